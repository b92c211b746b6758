"""The admin API's unusual-behaviour route: ``GET /admin/v1/anomalies?since=7d``.

The report holds identities, models, counts and rates, never prompt or response text
(refusals are counted inside ClickHouse with fixed phrases), so the ``metadata`` role
suffices and no audit row is written: the audit log records reads of content.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from aiohttp import web
from clickhouse_connect.driver.exceptions import Error as ClickHouseError

from proxy.admin.api import AdminRoutes
from proxy.admin.params import duration_param
from proxy.errors import BadRequest, ServiceUnavailable
from proxy.services import SERVICES
from proxy.store import open_client
from proxy.store.anomalies import AnomalyReport, Thresholds, find_anomalies
from proxy.store.settings import StoreSettings

DEFAULT_SINCE = "7d"
#: Bounds on ``since``: a window and its baseline are scanned in full.
MIN_SINCE = timedelta(minutes=5)
MAX_SINCE = timedelta(days=90)
MAX_BASELINE_DAYS = 365


def read_anomalies(
    settings: StoreSettings, since: timedelta, now: datetime, thresholds: Thresholds
) -> AnomalyReport:
    """Run the report on a client of its own (blocking: call it in a thread).

    A report is rare and long next to a log search, so it does not queue behind the log
    reader's client; several clients on one embedded engine work together. The admin API
    runs it on the log reader's threads, never the loop's default executor.
    """
    client = open_client(settings)
    try:
        return find_anomalies(
            client, database=settings.database, since=since, now=now, thresholds=thresholds
        )
    finally:
        client.close()


def parse_since(raw: str) -> timedelta:
    """The window a request asks for; BadRequest names the parameter and the bounds."""
    since = duration_param("since", raw)
    if not MIN_SINCE <= since <= MAX_SINCE:
        raise BadRequest("since must be between 5m and 90d.", param="since")
    return since


def parse_thresholds(query: Any) -> Thresholds:
    raw = query.get("baseline_days")
    if not raw:
        return Thresholds()
    try:
        days = int(raw)
    except ValueError:
        raise BadRequest("baseline_days must be a whole number.", param="baseline_days") from None
    if not 1 <= days <= MAX_BASELINE_DAYS:
        raise BadRequest(
            f"baseline_days must be between 1 and {MAX_BASELINE_DAYS}.", param="baseline_days"
        )
    defaults = Thresholds()
    return Thresholds(baseline_days=days, min_history_days=min(defaults.min_history_days, days))


async def anomalies(request: web.Request) -> web.Response:
    services = request.config_dict[SERVICES]
    reader = services.log_reader
    if reader is None:
        raise ServiceUnavailable("This proxy has no event log store configured.")
    since = parse_since(request.query.get("since") or DEFAULT_SINCE)
    thresholds = parse_thresholds(request.query)
    try:
        await reader.run(reader.fresh)  # the calls answered so far are counted
        report = await reader.run(
            read_anomalies, reader.settings, since, services.clock(), thresholds
        )
    except ClickHouseError:
        raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    return web.Response(body=orjson.dumps(report.to_dict()), content_type="application/json")


def add_anomaly_routes(routes: AdminRoutes) -> None:
    routes.add_get("/v1/anomalies", anomalies)
