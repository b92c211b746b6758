"""A request aiohttp cannot parse repeats none of the caller's bytes (h165).

aiohttp answered such a request itself (``RequestHandler.handle_error``): 400 in text/plain
with the parser's message, which quotes the offending bytes, a credential among them, with
no ``x-request-id`` and nothing recorded. Now the answer is the OpenAI error shape naming
the kind of problem, with the id of the refused call it records, and the connection closes.
Raw sockets against the real proxy (no client library sends such requests).
"""

from __future__ import annotations

import asyncio
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web
from prometheus_client import CollectorRegistry

from core.inspection import AllowAll
from proxy.app import create_app
from proxy.call.path_segments import UNREAD
from proxy.config.settings import parse_settings
from proxy.malformed import ShapedErrorHandler
from proxy.metrics import Metrics
from proxy.server import proxy_runner, start_listening
from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, RecordingSink, StartProxy
from tests.proxy.test_unrouted_calls import rows

#: A key in the caller's bytes, and a word that is only in them.
KEY = "sk-proj-Zq8vN2mXc4LpT7rY1wK9sD3fH6jB0aE5"
MARK = "caller-marker-words"


@dataclass
class Answer:
    """What came back on the socket, as sent."""

    raw: bytes
    status: int
    headers: dict[str, str]
    body: Any
    closed: bool


async def exchange(proxy: Proxy, request: bytes) -> Answer:
    """Send ``request`` raw and read the answer until the proxy closes the connection."""
    host, port = proxy.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(request)
        await writer.drain()
        async with asyncio.timeout(10):
            raw = await reader.read()  # the whole answer, then EOF: the connection closed
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    shaped = headers.get("content-type", "").startswith("application/json")
    parsed = orjson.loads(body) if shaped else body
    return Answer(raw, int(lines[0].split()[1]), headers, parsed, closed=True)


def _post(*headers: str, line: str = "POST /v1/chat/completions HTTP/1.1", body: str = "") -> bytes:
    """A request of ``line``, ``headers`` and ``body`` as a caller's bytes."""
    return ("\r\n".join([line, "Host: x", *headers, "", ""]) + body).encode("latin-1")


CASES = {
    "control byte in Authorization": (
        _post(f"Authorization: Bearer {KEY}\x01{MARK}", "Content-Length: 0"),
        400,
        "malformed_request",
    ),
    "control byte in another header holding a key": (
        _post("Authorization: Bearer x", f"X-Upstream-Key: {KEY}\x00{MARK}", "Content-Length: 0"),
        400,
        "malformed_request",
    ),
    "bad character in a request line holding a key": (
        _post("Content-Length: 0", line=f"POST /v1/chat?key={KEY}\x01{MARK} HTTP/1.1"),
        400,
        "malformed_request",
    ),
    "key as the method": (
        _post("Content-Length: 0", line=f"{KEY}{MARK}@ /v1/chat/completions HTTP/1.1"),
        400,
        "malformed_request",
    ),
    "over-long header holding a key": (
        _post(f"X-Note: {KEY} {MARK} {'a' * 9000}", "Content-Length: 0"),
        431,
        "request_header_too_large",
    ),
    "over-long request line holding a key": (
        _post("Content-Length: 0", line=f"GET /v1/models/{KEY}{MARK}{'b' * 9000} HTTP/1.1"),
        431,
        "request_header_too_large",
    ),
    "too many headers": (
        _post(*(f"X-H{i}: {KEY}{MARK}" for i in range(200)), "Content-Length: 0"),
        400,
        "malformed_request",
    ),
    "bad Content-Length": (
        _post(f"Authorization: Bearer {KEY}", f"Content-Length: 12{KEY}{MARK}"),
        400,
        "malformed_request",
    ),
    "Content-Length and chunked both": (
        _post(
            f"Authorization: Bearer {KEY}",
            "Content-Length: 4",
            f"Transfer-Encoding: chunked, {MARK}",
            body="0\r\n\r\n",
        ),
        400,
        "malformed_request",
    ),
}


@pytest.mark.parametrize(("request_bytes", "status", "code"), CASES.values(), ids=CASES.keys())
async def test_an_unparseable_request_is_answered_in_the_error_shape_with_its_event(
    start_proxy: StartProxy, request_bytes: bytes, status: int, code: str
) -> None:
    """The answer holds neither the key nor any of the caller's words, is the error shape
    naming the problem's kind, carries the id of the recorded refused call (path unread, no
    caller), and the proxy closes the connection."""
    proxy = await start_proxy()
    answer = await exchange(proxy, request_bytes)
    assert KEY.encode() not in answer.raw
    assert MARK.encode() not in answer.raw
    assert answer.headers["content-type"].startswith("application/json")
    assert (answer.status, answer.body["error"]["code"]) == (status, code)
    assert answer.body["error"]["type"] == "invalid_request_error"
    assert set(answer.body["error"]) >= {"message", "type", "code", "param"}
    assert answer.closed
    event = proxy.sink.last
    assert answer.headers["x-request-id"] == event.request_id
    assert (event.status_code, event.error, event.endpoint) == (status, code, UNREAD)
    assert (event.user, event.key_id) == ("", "")
    assert KEY not in repr(event)


async def test_a_bad_chunk_size_repeats_no_caller_bytes(start_proxy: StartProxy) -> None:
    """A chunked body whose size line is no hex number (found after the headers were parsed,
    so the call's handler answers it) repeats none of it, and carries an id."""
    proxy = await start_proxy()
    answer = await exchange(
        proxy,
        _post(
            f"Authorization: Bearer {KEY}",
            "Content-Type: application/json",
            "Transfer-Encoding: chunked",
            body=f"{KEY}{MARK}\r\n{{}}\r\n0\r\n\r\n",
        ),
    )
    assert KEY.encode() not in answer.raw
    assert MARK.encode() not in answer.raw
    assert answer.headers["content-type"].startswith("application/json")
    assert 400 <= answer.status < 500
    assert "x-request-id" in answer.headers
    assert set(answer.body["error"]) >= {"message", "type", "code", "param"}


async def test_an_exception_escaping_every_handler_is_answered_without_a_traceback(
    start_proxy: StartProxy,
) -> None:
    """aiohttp's own 500 (an exception out of a handler and every middleware) is the error
    shape with an id, no traceback or exception text, and the connection closes."""
    proxy = await start_proxy()

    async def fail(request: web.Request) -> web.StreamResponse:
        raise RuntimeError(f"internal detail {MARK}")

    app = web.Application()
    app.router.add_get("/", fail)
    runner = proxy_runner(app, shutdown_timeout=1.0, records=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        bare = Proxy(url=f"http://{host}:{port}", app=app, sink=proxy.sink, settings=proxy.settings)
        answer = await exchange(bare, b"GET / HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n")
    finally:
        await runner.cleanup()
    assert MARK.encode() not in answer.raw
    assert b"Traceback" not in answer.raw
    assert answer.headers["content-type"].startswith("application/json")
    assert (answer.status, answer.body["error"]["code"]) == (500, "internal_error")
    assert len(answer.headers["x-request-id"]) == 32


async def test_the_refused_request_rests_as_a_row_without_caller_bytes(
    start_proxy: StartProxy, clickhouse_url: str, store_database: str
) -> None:
    """In the real event log: one row under the answer's id, the status and code, the path
    ``<UNREAD>``, no method, key or body; api ``other`` in the call metrics."""
    store = {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05}
    proxy = await start_proxy({"store": store}, event_log=True)
    answer = await exchange(proxy, CASES["control byte in Authorization"][0])
    [row] = await rows(proxy)
    assert row["request_id"] == answer.headers["x-request-id"]
    assert (row["status_code"], row["error"], row["endpoint"]) == (400, "malformed_request", UNREAD)
    assert (row["method"], row["key_id"], row["decision"]) == ("", "", "reject")
    assert KEY not in repr(row)
    assert MARK not in repr(row)
    labels = {"team": "", "model": "", "provider": "", "endpoint": "other"}
    requests = proxy.metrics.registry.get_sample_value(
        "llm_proxy_requests_total", {**labels, "decision": "reject", "status_class": "4xx"}
    )
    assert requests == 1


async def test_the_admin_listener_answers_in_the_error_shape_and_records_nothing(
    fake: FakeUpstream, tmp_path: Path, clickhouse_url: str, store_database: str
) -> None:
    """Started as ``serve`` starts it (a public API listener, the admin API on a listener of
    its own): a malformed request to the admin listener is answered in the error shape with
    an id of its own and records nothing (the operator's listener serves no calls); the
    same request to the API listener is a recorded call."""
    raw = {
        "listen": {"host": "0.0.0.0", "port": 0},
        "admin": {"listen": {"port": 0}},
        "data_dir": str(tmp_path / "data"),
        "store": {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05},
    }
    environ = {"OPENAI_BASE_URL": f"{fake.url}/v1"}
    settings = parse_settings(raw, environ=environ, base_dir=tmp_path)
    app = create_app(
        settings, environ=environ, metrics=Metrics(CollectorRegistry()), inspector=AllowAll()
    )
    listening = await start_listening(app, settings)
    try:
        sink = RecordingSink()  # unused: the real event log records
        api = Proxy(f"http://{listening.address('api', local=True)}", app, sink, settings)
        admin = Proxy(f"http://{listening.address('admin')}", app, sink, settings)
        refused = CASES["control byte in Authorization"][0]
        operator = await exchange(admin, refused)
        call = await exchange(api, refused)
        recorded = await rows(api)
    finally:
        await listening.stop()
    assert KEY.encode() not in operator.raw
    assert (operator.status, operator.body["error"]["code"]) == (400, "malformed_request")
    assert [row["request_id"] for row in recorded] == [call.headers["x-request-id"]]
    assert operator.headers["x-request-id"] != call.headers["x-request-id"]


async def test_the_runner_builds_every_connection_with_the_shaped_handler() -> None:
    """The proxy's runner hands aiohttp a server whose connections are the proxy's handler
    (:class:`proxy.malformed.ShapedErrorHandler`), the listener serving calls a recording
    one: fails if a future aiohttp builds its server or connections another way."""
    runner = proxy_runner(web.Application(), shutdown_timeout=1.0, records=True)
    await runner.setup()
    try:
        assert runner.server is not None
        handler = runner.server()
        assert isinstance(handler, ShapedErrorHandler)
        assert type(handler).handle_error is ShapedErrorHandler.handle_error
    finally:
        await runner.cleanup()


def test_aiohttp_still_answers_its_refusals_through_handle_error() -> None:
    """The hook the proxy replaces (``RequestHandler.handle_error``, called by the
    handler aiohttp's server builds for each connection) has the signature it had: if a
    future aiohttp moves or renames it, this fails before callers get the parser's text."""
    params = list(inspect.signature(web.RequestHandler.handle_error).parameters)
    assert params == ["self", "request", "status", "exc", "message"]
    assert callable(web.Server.__call__)
