"""The admin API's spend route: ``GET /admin/v1/spend?by=team&since=30d``.

Also ``from``/``to`` instead of ``since`` (dates cover whole UTC days, ``to`` included, as
in ``llm-proxy report``), and ``limit`` (groups listed; the total covers them all). The
report holds identities, models, counts and costs, never prompt or response text, so the
``metadata`` role suffices and no audit row is written, as for the anomaly report: the
audit log records reads of content.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import orjson
from aiohttp import web
from clickhouse_connect.driver.exceptions import Error as ClickHouseError

from proxy.admin.api import AdminRoutes
from proxy.admin.params import duration_param, period_param
from proxy.errors import BadRequest, ServiceUnavailable
from proxy.report.data import MAX_PERIOD
from proxy.services import SERVICES
from proxy.store import open_client
from proxy.store.settings import StoreSettings
from proxy.store.spend import Grouping, SpendReport, SpendWindow, find_spend

DEFAULT_SINCE = "30d"
DEFAULT_LIMIT = 50
MAX_LIMIT = 10_000
#: Bounds on ``since`` (and on a ``from``/``to`` period: MAX_PERIOD).
MIN_SINCE = timedelta(minutes=1)
MAX_SINCE = MAX_PERIOD


def read_spend(
    settings: StoreSettings,
    by: Grouping,
    window: SpendWindow,
    currency: str,
    limit: int,
) -> SpendReport:
    """Run the report on a client of its own (blocking: call it in a thread), as the
    anomaly report does: a long read must not queue behind the log reader's client."""
    client = open_client(settings)
    try:
        return find_spend(
            client,
            database=settings.database,
            by=by,
            window=window,
            currency=currency,
            limit=limit,
        )
    finally:
        client.close()


def parse_grouping(raw: str | None) -> Grouping:
    try:
        return Grouping(raw or Grouping.TEAM.value)
    except ValueError:
        names = ", ".join(g.value for g in Grouping)
        raise BadRequest(f"by must be one of {names}.", param="by") from None


def parse_window(query: Mapping[str, str], now: datetime) -> SpendWindow:
    """``since`` back from ``now``, or ``from`` and ``to``; in whole minutes. BadRequest
    names the parameter."""
    first, last, since = query.get("from"), query.get("to"), query.get("since")
    if first or last:
        if since:
            raise BadRequest("Give since, or from and to, not both.", param="since")
        if not (first and last):
            raise BadRequest("from and to go together.", param="from" if not first else "to")
        period = period_param(first, last)
        return SpendWindow.covering(period.start, period.end)
    span = duration_param("since", since or DEFAULT_SINCE)
    if not MIN_SINCE <= span <= MAX_SINCE:
        raise BadRequest(f"since must be between 1m and {MAX_SINCE.days}d.", param="since")
    return SpendWindow.covering(now - span, now)


def parse_limit(raw: str | None) -> int:
    if not raw:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise BadRequest("limit must be a whole number.", param="limit") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"limit must be between 1 and {MAX_LIMIT}.", param="limit")
    return limit


async def spend(request: web.Request) -> web.Response:
    services = request.config_dict[SERVICES]
    reader = services.log_reader
    if reader is None:
        raise ServiceUnavailable("This proxy has no event log store configured.")
    by = parse_grouping(request.query.get("by"))
    window = parse_window(request.query, services.clock())
    limit = parse_limit(request.query.get("limit"))
    currency = services.settings.pricing.currency
    try:
        await reader.run(reader.fresh)  # the calls answered so far are counted
        report = await reader.run(read_spend, reader.settings, by, window, currency, limit)
    except ClickHouseError:
        raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    return web.Response(body=orjson.dumps(report.to_dict()), content_type="application/json")


def add_spend_routes(routes: AdminRoutes) -> None:
    routes.add_get("/v1/spend", spend)
