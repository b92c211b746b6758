"""Local administration: the admin token file and the admin API.

On first start the proxy writes a random admin token to a 0600 file in its data directory,
and, once listening, its admin URL next to it (:mod:`proxy.admin.address`); the CLI on the
same machine reads both, so local administration needs no set-up. Admin calls present the
token as a bearer token.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler

from proxy.call.path_segments import unread_view
from proxy.call.record import new_request_id
from proxy.config.settings import AdminReader
from proxy.errors import ProxyError, Unauthorized, error_response, http_error_response
from proxy.expect import expect_continue
from proxy.services import SERVICES
from wire.apis.registry import WIRE_APIS

log = structlog.get_logger("llm_proxy.admin")


def ensure_admin_token(path: Path) -> str:
    """Read the admin token, creating it (0600) when missing."""
    try:
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        token = ""
    if token:
        return token
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = secrets.token_urlsafe(32)
    # O_EXCL: two processes starting at once must not both write a token.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    return token


@dataclass(frozen=True, slots=True)
class AdminIdentity:
    """Who called the admin API, and what they may read."""

    name: str
    role: str  # "content" (may read prompt/response text) or "metadata"

    @property
    def reads_content(self) -> bool:
        return self.role == "content"


class AdminAuth:
    """Checks admin bearer tokens: the local token file's, and configured readers'."""

    LOCAL = "local-admin"

    def __init__(self, local_token: str, readers: Sequence[AdminReader] = ()) -> None:
        self._local = hashlib.sha256(local_token.encode()).hexdigest()
        self._readers = tuple(readers)

    def authenticate(self, headers: Mapping[str, str]) -> AdminIdentity:
        scheme, _, presented = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and presented.strip():
            digest = hashlib.sha256(presented.strip().encode()).hexdigest()
            # Compare against every credential so timing does not tell which one matched.
            match: AdminIdentity | None = None
            if hmac.compare_digest(digest, self._local):
                match = AdminIdentity(self.LOCAL, "content")
            for reader in self._readers:
                if hmac.compare_digest(digest, reader.token_sha256):
                    match = AdminIdentity(reader.name, reader.role)
            if match is not None:
                return match
        raise Unauthorized("Admin API: missing or invalid admin token.")


ADMIN_IDENTITY = web.RequestKey("admin_identity", AdminIdentity)

#: Where the admin API is mounted on the listener that serves it.
ADMIN_PREFIX = "/admin"


def under_admin(path: str) -> bool:
    """Whether ``path`` lies in the admin API's space (``/admin`` and below)."""
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


class AdminRoutes:
    """Registers admin API handlers on a listener's router, under ``/admin``, each behind
    the admin token check.

    The check wraps each handler instead of being a middleware (of an admin sub-app, as it
    was): aiohttp runs an application's middleware chain on every request as soon as the
    application or any sub-application has one, so an admin middleware cost every ``/v1``
    call a chain of wrappers (issue 11). Errors of a handler are answered here, in the
    OpenAI error shape, as the middleware did.
    """

    def __init__(self, router: web.UrlDispatcher, auth: AdminAuth) -> None:
        self._router = router
        self._auth = auth

    def add_get(self, path: str, handler: Handler) -> None:
        """Serve GET (and HEAD) ``/admin<path>`` with ``handler``."""
        self._router.add_get(
            ADMIN_PREFIX + path, self._guarded(handler), expect_handler=expect_continue
        )

    def add_post(self, path: str, handler: Handler) -> None:
        """Serve POST ``/admin<path>`` with ``handler``."""
        self._router.add_post(
            ADMIN_PREFIX + path, self._guarded(handler), expect_handler=expect_continue
        )

    def _guarded(self, handler: Handler) -> Handler:
        auth = self._auth

        async def guarded(request: web.Request) -> web.StreamResponse:
            try:
                request[ADMIN_IDENTITY] = auth.authenticate(request.headers)
                response = await handler(request)
            except ProxyError as exc:
                return error_response(exc)
            except web.HTTPException as exc:  # e.g. a body over client_max_size
                if exc.status < 400:
                    raise
                return http_error_response(exc, unread_view(request.path[:256], _served(request)))
            except Exception:
                # A bug of ours: answered in the error shape, with an id (aiohttp's own 500
                # was plain text without one), the traceback logged. Once an answer has
                # started (an export), aiohttp closes the connection instead.
                if request.writer.output_size:
                    raise
                log.exception("admin_internal_error")
                return error_response(ProxyError("The proxy failed to handle this request."))
            # Every answer carries an id (DESIGN §HTTP); a streamed one (an export) set its
            # own before its headers went out.
            if not response.prepared:
                response.headers.setdefault("x-request-id", new_request_id())
            return response

        return guarded


def _served(request: web.Request) -> frozenset[str]:
    """The API paths of the proxy serving ``request`` (the shipped ones on an application
    wired without services): their words are route words wherever a path is shown."""
    services = request.config_dict.get(SERVICES)
    return (services.wire if services is not None else WIRE_APIS).served_paths


def admin_identity(request: web.Request) -> AdminIdentity:
    return request[ADMIN_IDENTITY]


async def status(request: web.Request) -> web.Response:
    """A summary of the running proxy's state, for ``llm-proxy`` commands and operators."""
    services = request.config_dict[SERVICES]
    store = services.sink.status()
    body = {
        "store": None if store is None else asdict(store),
        "auth_mode": "passthrough" if services.authenticator.passthrough else "virtual_keys",
        "virtual_keys": services.keys.active_count(),
        "virtual_keys_listed": len(services.keys),
        "register": {
            "open": services.register.is_open,
            "models": [entry.name for entry in services.register.entries()],
        },
    }
    return web.json_response(body)
