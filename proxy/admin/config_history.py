"""``GET /admin/v1/config/history``: the configuration versions the proxy loaded or refused.

Query parameters ``kind``, ``since`` and ``at`` (see
:func:`proxy.store.config_history.read_config_history`). Metadata only: the recorded
content never holds a secret, so the ``metadata`` role may read it.
"""

from __future__ import annotations

import orjson
from aiohttp import web
from clickhouse_connect.driver.exceptions import Error as ClickHouseError

from proxy.admin.api import AdminRoutes
from proxy.errors import BadRequest, ServiceUnavailable
from proxy.services import SERVICES
from proxy.store.config_history import parse_history_params, read_config_history


async def config_history(request: web.Request) -> web.Response:
    reader = request.config_dict[SERVICES].log_reader
    if reader is None:
        raise ServiceUnavailable("This proxy has no event log store configured.")
    params = dict(request.query)
    try:
        parse_history_params(params)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    try:
        answer = await reader.run(read_config_history, reader.settings, params)
    except ClickHouseError:
        raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    return web.Response(body=orjson.dumps(answer), content_type="application/json")


def add_config_history_routes(routes: AdminRoutes) -> None:
    routes.add_get("/v1/config/history", config_history)
