"""The admin API's register route: ``GET /admin/v1/register/status``.

The running proxy answers with its live register (as last reloaded) joined with the event
log's use of each model; metadata only, so the ``metadata`` role suffices and no audit row
is written. Without a store the use columns are empty, never an error: the register itself
is still worth showing.
"""

from __future__ import annotations

import orjson
from aiohttp import web
from clickhouse_connect.driver.exceptions import Error as ClickHouseError

from proxy.admin.api import AdminRoutes
from proxy.errors import ServiceUnavailable
from proxy.services import SERVICES
from proxy.store.register_status import WINDOW, ModelUse, build_status, read_usage_from


async def register_status(request: web.Request) -> web.Response:
    services = request.config_dict[SERVICES]
    register = services.register  # one reference: a reload meanwhile swaps, never mixes
    now = services.clock()
    usage: dict[str, ModelUse] | None = None
    reader = services.log_reader
    if reader is not None:
        try:
            usage = await reader.run(read_usage_from, reader.settings, now - WINDOW)
        except ClickHouseError:
            raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    status = build_status(register.entries(), is_open=register.is_open, usage=usage, now=now)
    return web.Response(body=orjson.dumps(status.to_dict()), content_type="application/json")


def add_register_routes(routes: AdminRoutes) -> None:
    routes.add_get("/v1/register/status", register_status)
