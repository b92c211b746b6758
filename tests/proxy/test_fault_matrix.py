"""The fault matrix: every fault the proxy is built to survive, one row each.

Each row asserts what the caller sees (status, error code, headers), what the proxy
recorded (the call's event, or the event log's own counters for store faults), and that
the proxy keeps serving: a normal call afterwards succeeds. Where another module already
proves a row in depth, the row here is thin and names it.

Upstream faults use a provider ``faulty`` beside the healthy default one, so "keeps
serving" is a call through the same proxy to the fake upstream.

================================== ================================== =========================
fault                              the caller sees                    recorded
================================== ================================== =========================
provider refused / DNS / TLS       502 upstream_unreachable           502, upstream_unreachable
no headers within timeouts.ttfb    504 upstream_timeout               504, upstream_timeout
provider 5xx                       the provider's status and body     status, upstream_status
provider 429 + Retry-After         429, Retry-After passed on         429, upstream 429
reset mid-stream                   200, stream ends in an error event upstream_broken
stream silent past timeouts.idle   200, error event upstream_timeout  timeout
stream without [DONE]              the stream as it ended             200, whole text
answer not valid JSON              the bytes, unchanged               200
same, output rules on (NaN)        XFAIL: a secret in it goes through -
16 MiB answer                      the answer, whole                  200, whole text
caller gone before/while uploading (nothing is forwarded)             499 client_disconnected
caller gone mid-stream             (the upstream stream is cancelled) 499 client_disconnected
caller stops reading a stream      (the provider's writes block)      499 when it leaves
store down at start, back later    200; /readyz 200 while spooling    every call once
store lost mid-run, back later     200                                every call once
provider reports tokens < 0, > 2³² 200                                0 tokens, log flows
spool full (on_overflow)           keep_serving 200 / refuse 503      dropped, counted
spool unwritable                   refuse: 503                        spool_error, counted
detector crash / over budget       403 policy_violation + reason      block, detector_failed
spaCy model missing                serve exits, one line naming it    -
invalid config reload              calls go on, old config            error line, metric
provider key variable unset        502 naming the variable            start-up warning line
SIGTERM with a stream in flight    the stream to its [DONE], exit 0   its event, once
================================== ================================== =========================
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import openai
import orjson
import pytest
import structlog
from clickhouse_connect.driver.client import Client

from detectors.service import ScanService
from detectors.settings import DetectorSettings, ServiceSettings
from policies.inspector import PolicyInspector
from policies.loader import parse_policy_text
from proxy.call.events import CallEvent
from proxy.config.key_changes import create_key
from proxy.store import EventLog, StoreSettings, open_client
from tests.detectors.detector_fakes import scripted_factory
from tests.fakes import FakeUpstream, TokenUsage
from tests.policies.factories import AWS_KEY, real_scanner
from tests.proxy.conftest import ANTHROPIC_PROVIDER_KEY, CALLER_KEY, Proxy, StartProxy
from tests.serving import LIGHT_DETECTION, LLM_PROXY, free_port, serve, wait_healthy
from tests.store.factories import (
    SwitchableStore,
    closed_port,
    request_ids,
    sample,
)

AUTH = {"Authorization": f"Bearer {CALLER_KEY}"}
MESSAGES = [{"role": "user", "content": "hi"}]
CHAT = {"model": "gpt-4o-mini", "messages": MESSAGES}
FAULTY = {"model": "faulty-model", "messages": MESSAGES}


def with_faulty_provider(base_url: str, **extra: Any) -> dict[str, Any]:
    """A config routing ``faulty-model`` to ``base_url`` and ``gpt-4o-mini`` to the fake."""
    return {
        "providers": {"faulty": {"kind": "openai_compatible", "base_url": base_url}},
        "register": {
            "models": [
                {"name": "gpt-4o-mini", "provider": "openai"},
                {"name": "faulty-model", "provider": "faulty"},
            ]
        },
        **extra,
    }


async def keeps_serving(proxy: Proxy) -> None:
    """A normal call through the proxy succeeds."""
    reply = await proxy.openai().chat.completions.create(**CHAT)  # type: ignore[call-overload]
    assert reply.choices[0].message.content == "Hello from the fake"


async def recorded(proxy: Proxy, count: int = 1, timeout: float = 5.0) -> CallEvent:
    """Wait until the proxy recorded ``count`` events; return the last."""
    async with asyncio.timeout(timeout):
        while len(proxy.sink.events) < count:
            await asyncio.sleep(0.01)
    return proxy.sink.last


async def post_raw(url: str, body: Any, **kwargs: Any) -> tuple[int, bytes, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=AUTH, **kwargs) as response,
    ):
        return response.status, await response.read(), response.headers


async def readyz(proxy: Proxy) -> int:
    async with aiohttp.ClientSession() as session, session.get(f"{proxy.url}/readyz") as response:
        return response.status


def sse_events(raw: bytes) -> list[bytes]:
    return [event for event in raw.split(b"\n\n") if event.strip()]


def last_error_event(raw: bytes) -> dict[str, Any]:
    """The ``error`` object of a stream's last event."""
    payload = orjson.loads(sse_events(raw)[-1].removeprefix(b"data: "))
    error: dict[str, Any] = payload["error"]
    return error


# --- the provider cannot be reached or does not answer ---------------------------------


def _refused(fake: FakeUpstream) -> str:
    return f"http://127.0.0.1:{closed_port()}/v1"


def _dns_failure(fake: FakeUpstream) -> str:
    return "http://provider.invalid/v1"  # RFC 6761: never resolves


def _tls_failure(fake: FakeUpstream) -> str:
    return fake.url.replace("http://", "https://") + "/v1"  # TLS to a plain HTTP port


@pytest.mark.parametrize(
    "target",
    [_refused, _dns_failure, _tls_failure],
    ids=["refused", "dns_failure", "tls_failure"],
)
async def test_unreachable_provider_gives_502_and_the_proxy_keeps_serving(
    start_proxy: StartProxy, fake: FakeUpstream, target: Callable[[FakeUpstream], str]
) -> None:
    """Refused, unresolvable or TLS-broken providers give 502 upstream_unreachable in the
    error shape (see also test_errors.py::test_upstream_down_gives_502)."""
    proxy = await start_proxy(with_faulty_provider(target(fake)))
    with pytest.raises(openai.APIStatusError) as info:
        await proxy.openai().chat.completions.create(**FAULTY)  # type: ignore[call-overload]
    assert info.value.status_code == 502
    assert isinstance(info.value.body, dict)
    assert info.value.body["code"] == "upstream_unreachable"
    event = proxy.sink.last
    assert (event.status_code, event.upstream_status, event.error) == (
        502,
        0,
        "upstream_unreachable",
    )
    assert event.decision == "error"
    await keeps_serving(proxy)


async def test_timeout_before_headers_gives_504(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A provider silent past the time-to-first-byte timeout gives 504 upstream_timeout."""
    proxy = await start_proxy(with_faulty_provider(f"{fake.url}/v1", timeouts={"ttfb": 0.2}))
    fake.behaviour.delay_before_headers = 1.0
    with pytest.raises(openai.APIStatusError) as info:
        await proxy.openai().chat.completions.create(**FAULTY)  # type: ignore[call-overload]
    assert info.value.status_code == 504
    assert proxy.sink.last.error == "upstream_timeout"
    fake.behaviour.delay_before_headers = 0.0
    await keeps_serving(proxy)


# --- the provider answers with an error ----------------------------------------------------


@pytest.mark.parametrize("status", [500, 503])
async def test_provider_5xx_reaches_the_caller_unchanged(
    start_proxy: StartProxy, fake: FakeUpstream, status: int
) -> None:
    """A provider's 5xx and its error body reach the SDK as the provider sent them."""
    proxy = await start_proxy()
    fake.behaviour.status = status
    with pytest.raises(openai.InternalServerError) as info:
        await proxy.openai().chat.completions.create(**CHAT)  # type: ignore[call-overload]
    assert info.value.status_code == status
    assert info.value.message.endswith("Simulated upstream error")
    event = proxy.sink.last
    assert (event.status_code, event.upstream_status) == (status, status)
    errors = sample(
        proxy.metrics,
        "llm_proxy_upstream_errors_total",
        provider="openai",
        model="gpt-4o-mini",
        kind=f"http_{status}",
    )
    assert errors == 1
    fake.behaviour.status = None
    await keeps_serving(proxy)


async def test_provider_429_passes_retry_after_to_the_caller(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A provider's 429 reaches the caller with its Retry-After and rate-limit headers."""
    proxy = await start_proxy()
    fake.behaviour.status = 429
    fake.behaviour.error_headers = {"Retry-After": "7", "x-ratelimit-remaining-requests": "0"}
    with pytest.raises(openai.RateLimitError) as info:
        await proxy.openai().chat.completions.create(**CHAT)  # type: ignore[call-overload]
    assert info.value.response.headers["retry-after"] == "7"
    assert info.value.response.headers["x-ratelimit-remaining-requests"] == "0"
    event = proxy.sink.last
    assert (event.status_code, event.upstream_status) == (429, 429)
    fake.behaviour.status = None
    await keeps_serving(proxy)


# --- the provider's answer breaks ----------------------------------------------------------


async def test_reset_mid_stream_ends_the_stream_with_an_error_event(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A TCP reset mid-stream ends the caller's stream with an upstream error event and is
    recorded as upstream_broken (the held-back text is issue 9 item 5, not asserted)."""
    proxy = await start_proxy()
    fake.behaviour.chunks = ["one ", "two ", "three ", "four"]
    fake.behaviour.reset_after_pieces = 2
    status, raw, _ = await post_raw(f"{proxy.url}/v1/chat/completions", {**CHAT, "stream": True})
    assert status == 200
    assert last_error_event(raw)["type"] == "upstream_error"
    assert b"[DONE]" not in raw
    event = await recorded(proxy)
    assert (event.status_code, event.error) == (200, "upstream_broken")
    fake.behaviour.reset_after_pieces, fake.behaviour.chunks = None, None
    await keeps_serving(proxy)


async def test_stalled_stream_ends_with_a_timeout_event(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A stream silent past the idle timeout ends with an upstream_timeout error event
    (see also test_streaming.py::test_stream_that_goes_silent_ends_with_an_error_event)."""
    proxy = await start_proxy({"timeouts": {"idle": 0.2}})
    release = asyncio.Event()
    fake.behaviour.hold_after_first_chunk = release
    status, raw, _ = await post_raw(f"{proxy.url}/v1/chat/completions", {**CHAT, "stream": True})
    assert status == 200
    assert last_error_event(raw)["code"] == "upstream_timeout"
    event = await recorded(proxy)
    assert (event.status_code, event.error) == (200, "timeout")
    release.set()
    fake.behaviour.hold_after_first_chunk = None
    await keeps_serving(proxy)


async def test_stream_without_done_is_relayed_as_it_ended(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A stream that closes without ``[DONE]`` reaches the SDK whole and is recorded, with
    no invented ``[DONE]``."""
    proxy = await start_proxy()
    fake.behaviour.omit_final_event = True
    stream = await proxy.openai().chat.completions.create(**CHAT, stream=True)  # type: ignore[call-overload]
    async with asyncio.timeout(5):
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text == "Hello from the fake"
    status, raw, _ = await post_raw(f"{proxy.url}/v1/chat/completions", {**CHAT, "stream": True})
    assert status == 200
    assert b"[DONE]" not in raw
    event = await recorded(proxy, 2)
    assert (event.status_code, event.error, event.response) == (200, "", "Hello from the fake")
    fake.behaviour.omit_final_event = False
    await keeps_serving(proxy)


@pytest.mark.parametrize(
    ("reply", "content_type", "stream"),
    [
        (b'{"choices": [{"message": ', "application/json", False),
        (b"data: {not json\n\ndata: [DONE]\n\n", "text/event-stream", True),
    ],
    ids=["body", "stream_event"],
)
async def test_invalid_json_from_the_provider_is_relayed_not_fatal(
    start_proxy: StartProxy, fake: FakeUpstream, reply: bytes, content_type: str, stream: bool
) -> None:
    """An answer that is not valid JSON is relayed byte for byte and recorded; nothing in
    the proxy fails on it."""
    proxy = await start_proxy()
    fake.behaviour.raw_reply, fake.behaviour.raw_content_type = reply, content_type
    status, raw, _ = await post_raw(f"{proxy.url}/v1/chat/completions", {**CHAT, "stream": stream})
    assert (status, raw) == (200, reply)
    event = await recorded(proxy)
    assert (event.status_code, event.error) == (200, "")
    fake.behaviour.raw_reply = None
    await keeps_serving(proxy)


OUTPUT_REDACTION = parse_policy_text(
    """
name: matrix-output
rule_sets:
  - name: main
    rules:
      - id: redact-secrets-in-answers
        direction: output
        action: redact
        mode: enforce
        match: {entities: [SECRETS]}
""",
    source="test",
)


_LENIENT_CHOICE = (
    b'"choices": [{"index": 0, "finish_reason": null, "%s": {"role": "assistant",'
    b' "content": "the key is ' + AWS_KEY.encode() + b'"}}], "score": NaN}'
)


@pytest.mark.parametrize(
    ("reply", "content_type", "stream"),
    [
        (
            b'{"id": "c", "object": "chat.completion", ' + _LENIENT_CHOICE % b"message",
            "application/json",
            False,
        ),
        (
            b'data: {"id": "c", "object": "chat.completion.chunk", '
            + _LENIENT_CHOICE % b"delta"
            + b"\n\ndata: [DONE]\n\n",
            "text/event-stream",
            True,
        ),
    ],
    ids=["body", "stream_event"],
)
async def test_an_answer_only_lenient_parsers_read_is_not_relayed_uninspected(
    start_proxy: StartProxy, fake: FakeUpstream, reply: bytes, content_type: str, stream: bool
) -> None:
    """With output rules in force, an answer the proxy cannot parse (here: a NaN, which
    the SDK's parser accepts) never delivers a secret the rules would have masked."""
    proxy = await start_proxy(inspector=PolicyInspector(OUTPUT_REDACTION, real_scanner()))
    fake.behaviour.raw_reply, fake.behaviour.raw_content_type = reply, content_type
    status, raw, _ = await post_raw(f"{proxy.url}/v1/chat/completions", {**CHAT, "stream": stream})
    assert AWS_KEY.encode() not in raw  # masked, or the answer refused
    assert status in (200, 502)


async def test_huge_response_is_relayed_whole(start_proxy: StartProxy, fake: FakeUpstream) -> None:
    """A 16 MiB answer reaches the SDK intact and is recorded."""
    proxy = await start_proxy()
    content = "x" * (16 << 20)
    body = {
        "id": "chatcmpl-huge",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
    }
    fake.behaviour.raw_reply = orjson.dumps(body)
    reply = await proxy.openai().chat.completions.create(**CHAT)  # type: ignore[call-overload]
    assert reply.choices[0].message.content == content
    event = await recorded(proxy)
    assert event.status_code == 200
    assert len(event.response) >= len(content)
    fake.behaviour.raw_reply = None
    await keeps_serving(proxy)


# --- the caller goes away or reads slowly --------------------------------------------------


def _raw_request(proxy: Proxy, body: bytes, *, declared: int) -> bytes:
    head = (
        f"POST /v1/chat/completions HTTP/1.1\r\nHost: {proxy.url.removeprefix('http://')}\r\n"
        f"Authorization: Bearer {CALLER_KEY}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {declared}\r\n\r\n"
    )
    return head.encode() + body


@pytest.mark.parametrize("sent_fraction", [0.0, 0.5], ids=["before_body", "mid_upload"])
async def test_caller_gone_before_the_body_arrived_is_recorded_and_not_forwarded(
    start_proxy: StartProxy, fake: FakeUpstream, sent_fraction: float
) -> None:
    """A caller that closes before its body is complete: nothing reaches the provider and
    the call is recorded as the caller's disconnect."""
    proxy = await start_proxy()
    body = orjson.dumps({**CHAT, "messages": [{"role": "user", "content": "y" * 10_000}]})
    host, port = proxy.url.removeprefix("http://").split(":")
    _, writer = await asyncio.open_connection(host, int(port))
    writer.write(_raw_request(proxy, body[: int(len(body) * sent_fraction)], declared=len(body)))
    await writer.drain()
    await asyncio.sleep(0.1)
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()
    event = await recorded(proxy)
    assert (event.status_code, event.error) == (499, "client_disconnected")
    assert fake.requests == []
    await keeps_serving(proxy)


async def test_caller_gone_mid_stream_cancels_the_upstream(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A caller that drops a stream is recorded as 499 and the provider's stream is
    cancelled (in depth: test_streaming.py::test_caller_disconnect_mid_stream_...)."""
    proxy = await start_proxy()
    release = asyncio.Event()
    fake.behaviour.hold_after_first_chunk = release
    async with aiohttp.ClientSession() as session:
        response = await session.post(
            f"{proxy.url}/v1/chat/completions", json={**CHAT, "stream": True}, headers=AUTH
        )
        await response.content.readuntil(b"\n\n")
        response.close()
    async with asyncio.timeout(5):
        await fake.behaviour.stream_cancelled.wait()
    event = await recorded(proxy)
    assert (event.status_code, event.error) == (499, "client_disconnected")
    release.set()
    fake.behaviour.hold_after_first_chunk = None
    await keeps_serving(proxy)


#: A stream far larger than every socket buffer between the fake and the caller together.
FLOOD_PIECE = "z" * (64 << 10)
FLOOD_PIECES = 3000  # ~190 MiB
#: What may sit in kernel socket buffers (two loopback connections) plus the proxy's own
#: bounded buffers; far below the stream's size.
IN_FLIGHT_BOUND = 48 << 20  # measured: ~9 MiB


async def test_slow_reader_holds_back_the_provider_instead_of_filling_memory(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A caller that stops reading a stream makes the provider's writes block: the proxy
    passes back-pressure on instead of buffering the answer."""
    proxy = await start_proxy()
    fake.behaviour.chunks = [FLOOD_PIECE] * FLOOD_PIECES
    host, port = proxy.url.removeprefix("http://").split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 10)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
    reader, writer = await asyncio.open_connection(sock=sock)
    body = orjson.dumps({**CHAT, "stream": True})
    writer.write(_raw_request(proxy, body, declared=len(body)))
    await writer.drain()
    assert (await reader.readline()).startswith(b"HTTP/1.1 200")
    # The caller reads nothing more; wait until the provider's progress stalls.
    sent = -1
    async with asyncio.timeout(20):
        while sent != fake.behaviour.events_sent:
            sent = fake.behaviour.events_sent
            await asyncio.sleep(0.5)
    assert 0 < sent < FLOOD_PIECES
    assert sent * len(FLOOD_PIECE) < IN_FLIGHT_BOUND
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()
    event = await recorded(proxy)
    assert (event.status_code, event.error) == (499, "client_disconnected")
    fake.behaviour.chunks = None
    await keeps_serving(proxy)


# --- the event log's store and spool -------------------------------------------------------


@pytest.fixture
def store_client(clickhouse_url: str, store_database: str) -> Iterator[Client]:
    """A client on the session's embedded engine; drops the test's database afterwards."""
    client = open_client(StoreSettings(url=clickhouse_url, database=store_database))
    yield client
    client.command(f"DROP DATABASE IF EXISTS {store_database} SYNC")
    client.close()


StoreConfig = Callable[..., dict[str, Any]]


@pytest.fixture
def store_config(clickhouse_url: str, store_database: str) -> StoreConfig:
    """Proxy config recording to the test's database, tuned to flush and retry quickly."""

    def config(**extra: Any) -> dict[str, Any]:
        store = {"flush_interval": 0.05, "retry_backoff_max": 0.2, **extra}
        return {"store": {"url": clickhouse_url, "database": store_database, **store}}

    return config


@contextlib.asynccontextmanager
async def switchable_event_log(proxy: Proxy, store: SwitchableStore) -> AsyncIterator[EventLog]:
    """Give ``proxy`` a real event log whose store is down until ``store.up``; wired as the
    app's own start-up hook wires it (sink, admission, status)."""
    log = EventLog(proxy.settings.store, proxy.metrics, client_factory=store)
    await asyncio.to_thread(log.start)
    services = proxy.services
    services.sink = log
    try:
        yield log
    finally:
        await asyncio.to_thread(log.close, 5)


async def chat_ids(proxy: Proxy, count: int) -> list[str]:
    """Make ``count`` normal calls; return their event ids."""
    client = proxy.openai()
    ids = []
    for _ in range(count):
        raw = await client.chat.completions.with_raw_response.create(**CHAT)  # type: ignore[call-overload]
        assert raw.http_response.status_code == 200
        ids.append(raw.headers["x-request-id"])
    return ids


async def test_store_down_at_start_then_back_replays_every_call_once(
    start_proxy: StartProxy, store_config: StoreConfig, store_client: Client
) -> None:
    """With the store unreachable from the start, calls are answered and spooled; when it
    comes back each lands exactly once (store level: test_recovery.py)."""
    proxy = await start_proxy(store_config())
    store = SwitchableStore(up=False)
    async with switchable_event_log(proxy, store) as log:
        assert await readyz(proxy) == 200  # spooling counts as ready
        ids = await chat_ids(proxy, 5)
        status = log.status()
        assert (status.reachable, status.spooled_rows) == (False, 5)
        store.up = True
        assert await asyncio.to_thread(log.flush, 15)
    assert request_ids(store_client, proxy.settings.store.database) == sorted(ids)


async def test_store_lost_mid_run_then_back_replays_every_call_once(
    start_proxy: StartProxy, store_config: StoreConfig, store_client: Client
) -> None:
    """Calls made while the store's table is gone are answered, spooled, and land exactly
    once when it returns."""
    proxy = await start_proxy(store_config(), event_log=True)
    log = proxy.services.sink
    assert isinstance(log, EventLog)
    before = await chat_ids(proxy, 2)
    assert await asyncio.to_thread(log.flush, 10)
    database = proxy.settings.store.database
    store_client.command(f"DETACH TABLE {database}.requests")
    during = await chat_ids(proxy, 5)
    async with asyncio.timeout(10):
        while sample(proxy.metrics, "llm_proxy_log_write_errors_total") < 1:
            await asyncio.sleep(0.05)
    assert not log.status().reachable
    store_client.command(f"ATTACH TABLE {database}.requests")
    assert await asyncio.to_thread(log.flush, 15)
    assert request_ids(store_client, proxy.settings.store.database) == sorted(before + during)
    await keeps_serving(proxy)


@pytest.mark.parametrize("tokens", [-1, 2**40], ids=["negative", "oversized"])
async def test_impossible_token_counts_do_not_wedge_the_event_log(
    start_proxy: StartProxy,
    fake: FakeUpstream,
    store_config: StoreConfig,
    store_client: Client,
    tokens: int,
) -> None:
    """Usage the store cannot hold (negative, past UInt32) is recorded as unknown (0):
    it once made every insert fail, so no event after it reached the store."""
    proxy = await start_proxy(store_config(), event_log=True)
    fake.behaviour.usage = TokenUsage(prompt_tokens=tokens, completion_tokens=tokens)
    ids = await chat_ids(proxy, 1)
    fake.behaviour.usage = TokenUsage()
    ids += await chat_ids(proxy, 1)
    log = proxy.services.sink
    assert isinstance(log, EventLog)
    assert await asyncio.to_thread(log.flush, 10)
    database = proxy.settings.store.database
    assert request_ids(store_client, database) == sorted(ids)
    rows = store_client.query(
        f"SELECT prompt_tokens, completion_tokens FROM {database}.requests"
        f" WHERE request_id = '{ids[0]}'"
    ).result_rows
    assert rows == [(0, 0)]


@pytest.mark.parametrize(("policy", "status_when_full"), [("keep_serving", 200), ("refuse", 503)])
async def test_full_spool_follows_on_overflow(
    start_proxy: StartProxy,
    store_config: StoreConfig,
    store_client: Client,
    policy: str,
    status_when_full: int,
) -> None:
    """With the store down and the spool at its size limit, keep_serving answers and
    counts the dropped events, refuse answers 503; both recover when the store returns."""
    config = store_config(
        spool_max_bytes=1 << 20,
        spool_segment_bytes=256 << 10,
        on_overflow=policy,
    )
    proxy = await start_proxy(config)
    store = SwitchableStore(up=False)
    big = {**CHAT, "messages": [{"role": "user", "content": "q" * 100_000}]}
    async with switchable_event_log(proxy, store) as log:
        statuses = []
        for _ in range(20):
            status, _, _ = await post_raw(f"{proxy.url}/v1/chat/completions", big)
            statuses.append(status)
        dropped = sample(proxy.metrics, "llm_proxy_log_events_dropped_total", reason="spool_full")
        assert dropped >= 1
        assert statuses[0] == 200
        assert statuses[-1] == status_when_full
        assert await readyz(proxy) == 503
        store.up = True
        assert await asyncio.to_thread(log.flush, 15)
        await keeps_serving(proxy)


async def test_unwritable_spool_is_counted_and_refused(
    start_proxy: StartProxy, store_config: StoreConfig, store_client: Client
) -> None:
    """A spool the disk will not take (here: its directory replaced by a file) drops events
    as spool_error and, under refuse, answers 503 instead of serving unrecorded calls."""
    config = store_config(on_overflow="refuse", spool_segment_bytes=64 << 10)
    proxy = await start_proxy(config, event_log=True)
    spool_dir = proxy.settings.store.spool_dir
    moved = spool_dir.with_name("spool-moved")
    big = {**CHAT, "messages": [{"role": "user", "content": "q" * 20_000}]}
    try:
        spool_dir.rename(moved)
        spool_dir.write_bytes(b"")
        statuses = [(await post_raw(f"{proxy.url}/v1/chat/completions", big))[0] for _ in range(6)]
        assert (
            sample(proxy.metrics, "llm_proxy_log_events_dropped_total", reason="spool_error") >= 1
        )
        assert statuses[-1] == 503
    finally:
        spool_dir.unlink()
        moved.rename(spool_dir)
    async with asyncio.timeout(10):
        while (await post_raw(f"{proxy.url}/v1/chat/completions", CHAT))[0] != 200:
            await asyncio.sleep(0.1)


# --- detection -----------------------------------------------------------------------------

DETECTION_POLICY = parse_policy_text(
    """
name: matrix
detection: {budget_seconds: 0.5}
rule_sets:
  - name: main
    on_detector_failure: fail_closed
    rules:
      - id: block-aws-keys
        action: block
        mode: enforce
        match: {entities: [AWS_ACCESS_KEY_ID]}
""",
    source="test",
)


@pytest.fixture
async def scripted_detection() -> AsyncIterator[ScanService]:
    """A one-worker detection service whose detector crashes on CRASH and sleeps on SLOW."""
    settings = DetectorSettings(
        enabled=("secrets",), service=ServiceSettings(workers=1, cache_size=0)
    )
    async with ScanService(settings, detector_factory=scripted_factory) as service:
        yield service


@pytest.mark.parametrize(
    ("keyword", "reason"),
    [("CRASH", "detector_unavailable"), ("SLOW", "detector_timeout")],
    ids=["worker_crash", "timeout"],
)
async def test_detector_failure_fails_closed_and_detection_recovers(
    start_proxy: StartProxy,
    fake: FakeUpstream,
    scripted_detection: ScanService,
    keyword: str,
    reason: str,
) -> None:
    """A crashed or overrunning detector blocks the call under fail_closed (403 naming the
    reason, recorded as a block); the pool recovers and the next call is inspected and
    answered."""
    inspector = PolicyInspector(DETECTION_POLICY, scripted_detection)
    proxy = await start_proxy(inspector=inspector)
    prompt = {**CHAT, "messages": [{"role": "user", "content": f"please {keyword} now"}]}
    with pytest.raises(openai.PermissionDeniedError) as info:
        await proxy.openai().chat.completions.create(**prompt)  # type: ignore[call-overload]
    assert isinstance(info.value.body, dict)
    assert (info.value.body["code"], info.value.body["reason"]) == ("policy_violation", reason)
    event = proxy.sink.last
    assert (event.status_code, event.decision) == (403, "block")
    assert "detector_failed" in event.rules
    assert fake.requests == []
    await keeps_serving(proxy)
    assert len(fake.requests) == 1


async def test_missing_detection_model_stops_start_up_in_one_line(tmp_path: Path) -> None:
    """A spaCy model that is not installed stops ``llm-proxy serve`` with one line naming
    it (unit level: test_detector_service.py::test_missing_model_fails_start_...)."""
    (tmp_path / "proxy.yaml").write_text(
        "detectors:\n  pii:\n    spacy_model: xx_no_such_model_sm\n", encoding="utf-8"
    )
    process = await asyncio.create_subprocess_exec(
        str(LLM_PROXY),
        "serve",
        "--config",
        "proxy.yaml",
        "--port",
        str(free_port()),
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        _, stderr = await process.communicate()
    assert process.returncode != 0
    lines = [ln for ln in stderr.decode().splitlines() if not ln.startswith("{")]
    assert len(lines) == 1, stderr.decode()[-2000:]
    assert "xx_no_such_model_sm" in lines[0]


# --- configuration -------------------------------------------------------------------------


async def test_invalid_config_reload_keeps_the_running_config(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """A reload of an invalid file is refused, counted and logged; calls keep working on
    the previous configuration (see test_config_reload.py)."""
    path = tmp_path / "proxy.yaml"
    path.write_text(f"data_dir: {tmp_path / 'data'}\n", encoding="utf-8")
    proxy = await start_proxy({}, config_path=path)
    path.write_text("providers: {broken: {kind: nowhere}}\n", encoding="utf-8")
    with structlog.testing.capture_logs() as logs:
        for reload in proxy.services.reloaders:  # what SIGHUP runs
            await reload()
    (rejected,) = [line for line in logs if line["event"] == "config_reload_rejected"]
    assert rejected["log_level"] == "error"
    assert any("providers.broken.kind" in problem for problem in rejected["problems"])
    failures = sample(
        proxy.metrics, "llm_proxy_config_reloads_total", what="config", outcome="failure"
    )
    assert failures == 1
    await keeps_serving(proxy)


async def test_missing_provider_key_names_the_variable(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """A virtual-key call to a provider whose key variable is unset gets 502 with one line
    naming the variable (never a key); calls to other providers keep working."""
    issued = create_key(tmp_path / "data" / "keys.yaml", user="ann", team="red")
    proxy = await start_proxy(environ={"OPENAI_API_KEY": ""})
    with pytest.raises(openai.APIStatusError) as info:
        await proxy.openai(issued.key).chat.completions.create(**CHAT)  # type: ignore[call-overload]
    assert info.value.status_code == 502
    assert isinstance(info.value.body, dict)
    assert info.value.body["code"] == "upstream_credentials_missing"
    message = info.value.body["message"]
    assert "OPENAI_API_KEY" in message
    assert "\n" not in message
    assert ANTHROPIC_PROVIDER_KEY not in message
    assert proxy.sink.last.error == "upstream_credentials_missing"
    assert fake.requests == []
    reply = await proxy.anthropic(issued.key).messages.create(
        model="claude-test-model",
        max_tokens=20,
        messages=MESSAGES,  # type: ignore[arg-type]
    )
    assert reply.content[0].text == "Hello from the fake"  # type: ignore[union-attr]


async def test_missing_provider_key_is_named_at_start(tmp_path: Path, fake: FakeUpstream) -> None:
    """``llm-proxy serve`` with virtual keys and a provider's key variable unset says so in
    one warning line naming the provider and the variable, and starts anyway."""
    create_key(tmp_path / "data" / "keys.yaml", user="ann", team="red")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "ANTHROPIC_API_KEY": "sk-ant-central-provider-key-0123456789",
        "OPENAI_BASE_URL": f"{fake.url}/v1",
    }
    with serve(tmp_path, env=env, config=LIGHT_DETECTION) as proxy:
        await wait_healthy(proxy)
        lines = [orjson.loads(line) for line in proxy.log_tail(100_000).splitlines()]
    missing = [line for line in lines if line["event"] == "provider_key_missing"]
    assert [(line["provider"], line["env"]) for line in missing] == [("openai", "OPENAI_API_KEY")]
    assert missing[0]["level"] == "warning"


# --- start-up and shutdown -----------------------------------------------------------------


async def test_sigterm_lets_in_flight_streams_finish(tmp_path: Path, fake: FakeUpstream) -> None:
    """On SIGTERM a stream in flight runs to its ``[DONE]``, the process exits 0, and the
    call is in the event log once when the proxy is back."""
    fake.behaviour.chunk_interval = 0.2
    fake.behaviour.chunks = [f"piece{i} " for i in range(10)]
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "OPENAI_BASE_URL": f"{fake.url}/v1",
    }
    port = free_port()
    with serve(tmp_path, env=env, config=LIGHT_DETECTION, port=port) as proxy:
        await wait_healthy(proxy)
        async with aiohttp.ClientSession() as session:
            response = await session.post(
                f"{proxy.url}/v1/chat/completions", json={**CHAT, "stream": True}, headers=AUTH
            )
            assert response.status == 200
            request_id = response.headers["x-request-id"]
            await response.content.readuntil(b"\n\n")
            proxy.process.send_signal(signal.SIGTERM)
            raw = await response.read()
        assert b"piece9 " in raw
        assert raw.rstrip().endswith(b"data: [DONE]")
        assert await asyncio.to_thread(proxy.process.wait, 15) == 0
    with serve(tmp_path, env=env, config=LIGHT_DETECTION, port=port) as proxy:
        await wait_healthy(proxy)
        token = (tmp_path / "data" / "admin.token").read_text(encoding="utf-8").strip()
        async with (
            aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as session,
            session.get(f"{proxy.url}/admin/v1/logs", params={"since": "1h"}) as listing,
        ):
            rows = (await listing.json())["rows"]
    assert [(r["request_id"], r["status_code"], r["stream"]) for r in rows] == [
        (request_id, 200, True)
    ]
