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
from proxy.admin.params import time_param
from proxy.errors import BadRequest, ServiceUnavailable
from proxy.services import SERVICES
from proxy.store.config_history import KINDS, read_config_history


async def config_history(request: web.Request) -> web.Response:
    reader = request.config_dict[SERVICES].log_reader
    if reader is None:
        raise ServiceUnavailable("This proxy has no event log store configured.")
    params = dict(request.query)
    _check_params(params)
    try:
        answer = await reader.run(read_config_history, reader.settings, params)
    except ClickHouseError:
        raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    return web.Response(body=orjson.dumps(answer), content_type="application/json")


def _check_params(params: dict[str, str]) -> None:
    """BadRequest naming a bad ``kind``, ``since`` or ``at`` and what it should be, never
    the value (h163: an admin's paste may hold a credential)."""
    kind = params.get("kind")
    if kind and kind not in KINDS:
        raise BadRequest(f"kind must be one of {', '.join(KINDS)}.", param="kind")
    for name in ("since", "at"):
        raw = params.get(name)
        if raw:
            time_param(name, raw)


def add_config_history_routes(routes: AdminRoutes) -> None:
    routes.add_get("/v1/config/history", config_history)
