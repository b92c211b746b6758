"""Local administration: the admin token file, the admin address file and the admin API.

On first start the proxy writes a random admin token to a 0600 file in its data directory,
and, once listening, its admin URL next to it; the CLI on the same machine reads both, so
local administration needs no set-up. Admin calls present the token as a bearer token.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from proxy.errors import ProxyError, Unauthorized, error_response
from proxy.services import SERVICES

ADMIN_ADDRESS_FILE = "admin.json"


def ensure_admin_token(path: Path) -> str:
    """Read the admin token, creating it (0600) when missing."""
    try:
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        token = ""
    if token:
        return token
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    # O_EXCL: two processes starting at once must not both write a token.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    return token


def write_admin_address(data_dir: Path, url: str) -> None:
    """Record where the running proxy's admin API listens, for the local CLI."""
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / ADMIN_ADDRESS_FILE
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps({"url": url, "pid": os.getpid()}) + "\n", encoding="utf-8")
    tmp.replace(target)


def read_admin_address(data_dir: Path) -> str | None:
    try:
        data: Any = json.loads((data_dir / ADMIN_ADDRESS_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    url = data.get("url") if isinstance(data, dict) else None
    return url if isinstance(url, str) else None


ADMIN_TOKEN = web.AppKey("admin_token", str)


def _check_token(request: web.Request) -> None:
    expected = request.config_dict[ADMIN_TOKEN]
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        presented.strip().encode(), expected.encode()
    ):
        raise Unauthorized("Admin API: missing or invalid admin token.")


@web.middleware
async def admin_auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        _check_token(request)
        return await handler(request)
    except ProxyError as exc:
        return error_response(exc)


async def status(request: web.Request) -> web.Response:
    """A summary of the running proxy's state, for ``llm-proxy`` commands and operators."""
    services = request.config_dict[SERVICES]
    body = {
        "auth_mode": "passthrough" if services.authenticator.passthrough else "virtual_keys",
        "virtual_keys": len(services.keys),
        "register": {
            "open": services.register.is_open,
            "models": [entry.name for entry in services.register.entries()],
        },
    }
    return web.json_response(body)


def admin_app(token: str) -> web.Application:
    """The admin sub-application, mounted under ``/admin``. Services are copied in on start."""
    app = web.Application(middlewares=[admin_auth])
    app[ADMIN_TOKEN] = token
    app.router.add_get("/v1/status", status)
    return app
