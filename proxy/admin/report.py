"""``GET /admin/v1/report?from=D&to=D&format=html|md|json``: the evidence report.

The report holds metadata only (no prompt or answer text), so the ``metadata`` role may
ask for it; like a log search it is a read of the event log, recorded in ``audit_log``
under the authenticated admin credential (action ``report``). It reads every row of the
period, so it runs on a client of its own on the log reader's threads, never the loop's.
"""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from clickhouse_connect.driver.exceptions import Error as ClickHouseError

from proxy.admin.api import AdminRoutes
from proxy.admin.logs import _audit_reader
from proxy.admin.params import period_param
from proxy.config.settings import RegisterConfig
from proxy.errors import BadRequest, ServiceUnavailable
from proxy.report import CONTENT_TYPES, FORMATS, build_report
from proxy.report.data import Period
from proxy.services import SERVICES
from proxy.store import Reader, open_client
from proxy.store.settings import StoreSettings


def _report(  # noqa: PLR0917 - called through run_in_executor, positionally
    settings: StoreSettings,
    period: Period,
    reader: Reader,
    register: RegisterConfig,
    now: datetime,
    fmt: str,
) -> bytes:
    client = open_client(settings)
    try:
        source = settings.embedded_path if settings.embedded else settings.display_url
        return build_report(
            client,
            settings,
            period,
            reader=reader,
            current_register=register,
            source=source,
            now=now,
            fmt=fmt,
        )
    finally:
        client.close()


async def report(request: web.Request) -> web.Response:
    services = request.config_dict[SERVICES]
    reader = services.log_reader
    if reader is None:
        raise ServiceUnavailable("This proxy has no event log store configured.")
    fmt = request.query.get("format") or "html"
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}.", param="format")
    for name in ("from", "to"):
        if not request.query.get(name):
            raise BadRequest(f"{name} is required (a date such as 2026-07-01).", param=name)
    period = period_param(request.query["from"], request.query["to"])
    # The register as last reloaded: the fallback when none was recorded for the period.
    register = services.settings.ai_register
    try:
        await reader.run(reader.fresh)  # the calls answered so far are counted
        body = await reader.run(
            _report,
            reader.settings,
            period,
            _audit_reader(request),
            register,
            services.clock(),
            fmt,
        )
    except ClickHouseError:
        raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPES[fmt]})


def add_report_routes(routes: AdminRoutes) -> None:
    routes.add_get("/v1/report", report)
