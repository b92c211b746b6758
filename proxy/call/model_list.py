"""``GET /v1/models`` answered from the AI use register: the models the caller may use."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from core.identity import Identity
from proxy.config.register import Register
from proxy.errors import error_response


def list_models(
    path: str, register: Register, identity: Identity, request_id: str, *, shown: str = ""
) -> web.Response:
    """``GET /v1/models`` (and ``/v1/models/{id}``): each approved model the caller is
    entitled to, under its name and every alias. A 404 names the id as ``shown`` holds it
    (the path as it rests: the caller's id may be a credential, h145)."""
    data = []
    for entry in register.visible_to(identity):
        for name in (entry.name, *entry.aliases):
            data.append({"id": name, "object": "model", "created": 0, "owned_by": entry.provider})
    wanted = path.removeprefix("/v1/models").strip("/")
    if wanted:
        match = next((m for m in data if m["id"] == wanted), None)
        if match is None:
            named = (shown or path).removeprefix("/v1/models").strip("/")
            return error_response(register.not_found(named), request_id=request_id)
        body: Any = match
    else:
        body = {"object": "list", "data": data}
    return web.json_response(
        body, dumps=lambda o: orjson.dumps(o).decode(), headers={"x-request-id": request_id}
    )
