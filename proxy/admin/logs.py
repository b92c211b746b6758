"""The admin API's log routes: search, show and export the event log.

With the embedded engine the running proxy owns the store, so the incident-response CLI
reads through these routes. Reading prompt or response text (or searching it) needs the
``content`` role, and every such read is recorded in ``audit_log`` by the query layer,
under the authenticated admin credential (and, apart, whom the caller claims to act for).
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from aiohttp import web
from clickhouse_connect.driver.exceptions import Error as ClickHouseError

from proxy.admin.api import AdminRoutes, admin_identity
from proxy.admin.log_reader import LogReader, StoreBusy, ThreadedIterator
from proxy.admin.params import time_param
from proxy.call.record import new_request_id
from proxy.errors import BadRequest, Forbidden, ModelNotFound, ServiceUnavailable
from proxy.fingerprint import Fingerprints
from proxy.services import SERVICES
from proxy.store import LogFilter, Reader

#: Largest page a search returns; exports have no limit.
MAX_SEARCH_LIMIT = 10_000
#: The header in which an admin client says whom it acts for (unverified).
CLAIMED_ACTOR_HEADER = "x-llm-proxy-actor"
#: Longest claimed actor recorded (an OS user name, perhaps with a host).
MAX_CLAIMED_ACTOR_CHARS = 64


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
    since = time_param("since", query["since"]) if query.get("since") else None
    until = time_param("until", query["until"]) if query.get("until") else None
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
        records = await reader.run(reader.search, flt, content, _audit_reader(request))
    except (ClickHouseError, StoreBusy):
        raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    body = {"rows": [r.to_dict() for r in records], "content": content}
    return web.Response(body=orjson.dumps(body), content_type="application/json")


async def show_log(request: web.Request) -> web.Response:
    reader = _reader(request)
    request_id = request.match_info["request_id"]
    content = _wants_content(request, default=True)
    try:
        record = await reader.run(reader.get, request_id, content, _audit_reader(request))
    except (ClickHouseError, StoreBusy):
        raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    if record is None:
        # The id is the admin's input (a paste may hold anything): not repeated (h163).
        raise ModelNotFound("No logged call has this request id.", code="not_found")
    body = {"record": record.to_dict(), "content": content}
    return web.Response(body=orjson.dumps(body), content_type="application/json")


async def export_logs(request: web.Request) -> web.StreamResponse:
    """Stream matching calls as NDJSON, oldest first.

    The first batch is read (and audited) before the response starts, so a store that
    cannot be read is a 503, not a truncated 200. A caller that hangs up cancels this
    handler; the export is then closed on the reader's threads without waiting here.
    """
    reader = _reader(request)
    flt = parse_filter(request.query, default_limit=None)
    _check_text_search(request, flt)
    content = _wants_content(request, default=True)
    batches = ThreadedIterator(
        reader.export_batches(flt, content, _audit_reader(request)), reader.executor
    )
    try:
        try:
            chunk = await batches.next()
        except (ClickHouseError, StoreBusy):
            raise ServiceUnavailable("The event log store cannot be queried right now.") from None
        headers = {"Content-Type": "application/x-ndjson", "x-request-id": new_request_id()}
        response = web.StreamResponse(headers=headers)
        await response.prepare(request)
        while chunk is not None:
            await response.write(chunk)
            chunk = await batches.next()
        await response.write_eof()
    except ConnectionResetError:
        # The caller hung up between two batches (before its handler was cancelled): an
        # expected end of an export, not an error of ours.
        batches.close()
        return response
    except BaseException:
        batches.close()  # after the pull in flight, if any; nobody waits for it
        raise
    await asyncio.wrap_future(batches.close())
    return response


#: Longest value ``find-secret`` fingerprints (a PEM private key is a few kB).
MAX_SECRET_BYTES = 64 * 1024


async def find_secret(request: web.Request) -> web.Response:
    """Whether a value was sent, by its fingerprint: ``{"value": ...}`` in a POST body (never
    in the URL, which access logs keep). The value is fingerprinted and forgotten; so are
    its forms without a trailing newline and surrounding blanks (a pasted key file)."""
    reader = _reader(request)
    if not admin_identity(request).reads_content:
        raise Forbidden(
            "Finding a secret searches prompt text: it needs the content role.",
            code="content_access_denied",
        )
    raw = await request.content.read(MAX_SECRET_BYTES + 1)
    try:
        value = orjson.loads(raw).get("value") if len(raw) <= MAX_SECRET_BYTES else None
    except (orjson.JSONDecodeError, AttributeError):
        value = None
    if not isinstance(value, str) or not value.strip():
        raise BadRequest('The body must be {"value": "<the value>"}, at most 64 KiB.')
    data_dir = request.config_dict[SERVICES].settings.data_dir
    markers = (await reader.run(Fingerprints.load, data_dir)).markers(value)
    try:
        records = await reader.run(reader.find_markers, markers, _audit_reader(request))
    except (ClickHouseError, StoreBusy):
        raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    body = {
        "fingerprints": [marker[1:-1] for marker in markers],
        "sent": bool(records),
        "rows": [r.to_dict() for r in records],
    }
    return web.Response(body=orjson.dumps(body), content_type="application/json")


async def verify_chain(request: web.Request) -> web.Response:
    """``logs verify``: recompute the event log's hash chain (metadata only, any role)."""
    reader = _reader(request)
    raw = request.query.get("since")
    since = time_param("since", raw) if raw else None
    try:
        result = await reader.run(reader.verify_chain, since)
    except (ClickHouseError, StoreBusy):
        raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    return web.Response(body=orjson.dumps(result), content_type="application/json")


#: Most request ids one chain proof covers (an export's ids are sent in one body).
MAX_PROOF_IDS = 1_000_000


async def chain_proof(request: web.Request) -> web.Response:
    """The chain proof of exported calls: ``{"request_ids": [...]}`` in a POST body. A
    metadata reader's proof leaves out the text digests, as its export leaves out the text."""
    reader = _reader(request)
    try:
        ids = orjson.loads(await request.read()).get("request_ids")
    except (orjson.JSONDecodeError, AttributeError):
        ids = None
    if (
        not isinstance(ids, list)
        or len(ids) > MAX_PROOF_IDS
        or not all(isinstance(i, str) for i in ids)
    ):
        raise BadRequest('The body must be {"request_ids": ["...", ...]}.')
    try:
        texts = admin_identity(request).reads_content
        proof = await reader.run(reader.chain_proof, ids, texts)
    except (ClickHouseError, StoreBusy):
        raise ServiceUnavailable("The event log store cannot be queried right now.") from None
    return web.Response(body=orjson.dumps(proof), content_type="application/json")


def add_log_routes(routes: AdminRoutes) -> None:
    routes.add_post("/v1/logs/find-secret", find_secret)
    routes.add_get("/v1/logs/verify", verify_chain)
    routes.add_post("/v1/logs/chain-proof", chain_proof)
    routes.add_get("/v1/logs", search_logs)
    routes.add_get("/v1/logs/export", export_logs)
    routes.add_get("/v1/logs/{request_id}", show_log)
