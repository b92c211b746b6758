"""The admin API's log routes: search, show and export the event log.

With the embedded engine the running proxy owns the store, so the incident-response CLI
reads through these routes. Reading prompt or response text (or searching it) needs the
``content`` role, and every such read is recorded in ``audit_log`` by the query layer,
under the authenticated admin credential (and, apart, whom the caller claims to act for).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import orjson
from aiohttp import web
from clickhouse_connect.driver.client import Client
from clickhouse_connect.driver.exceptions import Error as ClickHouseError

from proxy.admin import admin_identity
from proxy.errors import BadRequest, Forbidden, ModelNotFound, ServiceUnavailable
from proxy.services import SERVICES
from proxy.store import LogFilter, LogRecord, Reader, export, get, open_client, search
from proxy.store.settings import StoreSettings
from proxy.store.timespec import parse_time

#: Largest page a search returns; exports have no limit.
MAX_SEARCH_LIMIT = 10_000
#: The header in which an admin client says whom it acts for (unverified).
CLAIMED_ACTOR_HEADER = "x-llm-proxy-actor"
#: Longest claimed actor recorded (an OS user name, perhaps with a host).
MAX_CLAIMED_ACTOR_CHARS = 64
_EXPORT_BATCH = 500


class LogReader:
    """Read access to the event log from the admin API: one client, calls in a thread.

    The client is opened on first use (ClickHouse may come up after the proxy) and each
    client serialises its calls, hence the lock.
    """

    def __init__(self, settings: StoreSettings) -> None:
        self.settings = settings
        self._client: Client | None = None
        self._lock = threading.Lock()

    def _with_client(self) -> Client:
        if self._client is None:
            self._client = open_client(self.settings)
        return self._client

    def search(self, flt: LogFilter, content: bool, reader: Reader) -> list[LogRecord]:
        with self._lock:
            client = self._with_client()
            return search(
                client,
                flt,
                database=self.settings.database,
                include_content=content,
                reader=reader,
            )

    def get(self, request_id: str, content: bool, reader: Reader) -> LogRecord | None:
        with self._lock:
            client = self._with_client()
            return get(
                client,
                request_id,
                database=self.settings.database,
                include_content=content,
                reader=reader,
            )

    def export_batches(self, flt: LogFilter, content: bool, reader: Reader) -> Iterator[bytes]:
        """Yield NDJSON in batches; holds the lock for the whole export."""
        with self._lock:
            client = self._with_client()
            rows = export(
                client,
                flt,
                database=self.settings.database,
                include_content=content,
                reader=reader,
            )
            batch: list[bytes] = []
            try:
                for record in rows:
                    batch.append(orjson.dumps(record.to_dict()) + b"\n")
                    if len(batch) >= _EXPORT_BATCH:
                        yield b"".join(batch)
                        batch = []
                if batch:
                    yield b"".join(batch)
            finally:
                rows.close()  # a generator: closing it writes the audit row

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def _reader(request: web.Request) -> LogReader:
    reader = request.config_dict[SERVICES].log_reader
    if reader is None:
        raise ServiceUnavailable("This proxy has no event log store configured.")
    return reader


def _audit_reader(request: web.Request) -> Reader:
    """The audit row's reader: the authenticated credential, plus whom the caller claims
    to act for (``x-llm-proxy-actor``, which the CLI sets to its OS user). The claim is
    anyone's to type, so it is kept in a column of its own and never names the actor."""
    identity = admin_identity(request)
    claimed = claimed_actor(request.headers.get(CLAIMED_ACTOR_HEADER, ""))
    return Reader(actor=identity.name, role=identity.role, via="admin_api", claimed_actor=claimed)


def claimed_actor(raw: str) -> str:
    """A claimed actor as recorded: printable characters only (no control, format, bidi or
    zero-width characters that could disguise it in a table), at most
    ``MAX_CLAIMED_ACTOR_CHARS``."""
    printable = "".join(char for char in raw if char.isprintable())
    return printable.strip()[:MAX_CLAIMED_ACTOR_CHARS].rstrip()


def _wants_content(request: web.Request, default: bool) -> bool:
    raw = request.query.get("content")
    wanted = default if raw is None else raw.lower() in ("1", "true", "yes")
    if wanted and not admin_identity(request).reads_content:
        if raw is None:
            return False  # the default quietly narrows to metadata for this role
        raise Forbidden(
            "Your admin role may read metadata only, not prompt or response text.",
            code="content_access_denied",
        )
    return wanted


def parse_filter(query: Any, *, default_limit: int | None) -> LogFilter:
    """A LogFilter from query parameters; BadRequest names the bad parameter."""
    try:
        since = parse_time(query["since"]) if query.get("since") else None
        until = parse_time(query["until"]) if query.get("until") else None
    except ValueError as exc:
        raise BadRequest(str(exc), param="since/until") from None
    limit: int | None = default_limit
    if query.get("limit"):
        try:
            limit = int(query["limit"])
        except ValueError:
            raise BadRequest("limit must be a whole number.", param="limit") from None
        if not 1 <= limit <= MAX_SEARCH_LIMIT:
            raise BadRequest(f"limit must be between 1 and {MAX_SEARCH_LIMIT}.", param="limit")
    try:
        return LogFilter(
            since=since,
            until=until,
            user=query.get("user") or None,
            team=query.get("team") or None,
            model=query.get("model") or None,
            decision=query.get("decision") or None,
            entity_type=query.get("entity") or None,
            text=query.get("text") or None,
            limit=limit,
        )
    except ValueError as exc:
        raise BadRequest(str(exc)) from None


def _check_text_search(request: web.Request, flt: LogFilter) -> None:
    if flt.text and not admin_identity(request).reads_content:
        raise Forbidden(
            "Searching prompt or response text needs the content role.",
            code="content_access_denied",
        )


async def search_logs(request: web.Request) -> web.Response:
    reader = _reader(request)
    flt = parse_filter(request.query, default_limit=100)
    _check_text_search(request, flt)
    content = _wants_content(request, default=False)
    try:
        records = await asyncio.to_thread(reader.search, flt, content, _audit_reader(request))
    except ClickHouseError:
        raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    body = {"rows": [r.to_dict() for r in records], "content": content}
    return web.Response(body=orjson.dumps(body), content_type="application/json")


async def show_log(request: web.Request) -> web.Response:
    reader = _reader(request)
    request_id = request.match_info["request_id"]
    content = _wants_content(request, default=True)
    try:
        record = await asyncio.to_thread(reader.get, request_id, content, _audit_reader(request))
    except ClickHouseError:
        raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    if record is None:
        raise ModelNotFound(f"No logged call has request id {request_id!r}.", code="not_found")
    body = {"record": record.to_dict(), "content": content}
    return web.Response(body=orjson.dumps(body), content_type="application/json")


async def export_logs(request: web.Request) -> web.StreamResponse:
    """Stream matching calls as NDJSON, oldest first."""
    reader = _reader(request)
    flt = parse_filter(request.query, default_limit=None)
    _check_text_search(request, flt)
    content = _wants_content(request, default=True)
    batches = reader.export_batches(flt, content, _audit_reader(request))
    response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
    await response.prepare(request)
    try:
        while True:
            chunk = await asyncio.to_thread(next, batches, None)
            if chunk is None:
                break
            await response.write(chunk)
    finally:
        await asyncio.to_thread(batches.close)  # type: ignore[attr-defined]
    await response.write_eof()
    return response


def add_log_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/v1/logs", search_logs)
    router.add_get("/v1/logs/export", export_logs)
    router.add_get("/v1/logs/{request_id}", show_log)
