"""Review of the shared upstream watchdog (issue 11): it must read a timeout and a caller's
cancellation exactly as ``asyncio.timeout`` does, and through the real proxy time out only
the hung calls, recording each, and leave nothing armed behind."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp import web

from proxy.call.watchdog import Watchdog
from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY, Proxy, StartProxy
from tests.proxy.test_fault_matrix import keeps_serving, with_faulty_provider

SECONDS = 0.08

Timed = Callable[[Callable[[], Awaitable[object]]], Coroutine[Any, Any, None]]


def _watchdog_timed(watchdog: Watchdog) -> Timed:
    async def timed(wait: Callable[[], Awaitable[object]]) -> None:
        task = watchdog.arm()
        try:
            await wait()
        except asyncio.CancelledError:
            if watchdog.fired(task):
                raise TimeoutError from None
            raise
        finally:
            watchdog.disarm(task)

    return timed


async def _asyncio_timed(wait: Callable[[], Awaitable[object]]) -> None:
    async with asyncio.timeout(SECONDS):
        await wait()


async def _outcome_when_cancelled_as_the_timeout_falls_due(timed: Timed) -> str:
    """Cancel a timed wait from a callback due just before its timeout, with the loop held
    until both are due, so both run in one pass of the loop: the caller's cancel first."""

    async def wait() -> None:
        # Right after the timer is armed (nothing in between: due before its first check).
        task = asyncio.current_task()
        assert task is not None
        asyncio.get_running_loop().call_later(0, task.cancel)  # the caller goes away
        time.sleep(SECONDS * 2)  # the loop is busy: both are due when it comes back
        await asyncio.Event().wait()

    task = asyncio.create_task(timed(wait))
    try:
        await task
    except asyncio.CancelledError:
        return "cancelled"
    except TimeoutError:
        return "timeout"
    return "returned"


@pytest.mark.parametrize("kind", ["asyncio.timeout", "watchdog"])
async def test_a_caller_cancel_in_the_timeouts_pass_stays_a_cancellation(kind: str) -> None:
    """A wait cancelled by its caller in the same loop pass as its timeout falls due ends
    cancelled (the caller went away), not in TimeoutError, as asyncio.timeout reads it."""
    timed = _asyncio_timed if kind == "asyncio.timeout" else _watchdog_timed(Watchdog(SECONDS))
    assert await _outcome_when_cancelled_as_the_timeout_falls_due(timed) == "cancelled"


async def test_a_timeout_alone_is_a_timeout_and_the_watchdog_ends_empty() -> None:
    """A wait nobody else cancels ends in TimeoutError after the watchdog's timeout, and the
    watchdog keeps no record of it afterwards."""
    watchdog = Watchdog(SECONDS)
    timed = _watchdog_timed(watchdog)
    with pytest.raises(TimeoutError):
        await timed(asyncio.Event().wait)
    assert not watchdog._waiting
    assert not watchdog._expired


# --- through the real proxy: a provider that hangs where each call asks it to -------------

#: What the hanging provider does, by the call's prompt.
OK, HANG_HEADERS, HANG_BODY, HANG_STREAM = "ok", "hang-headers", "hang-body", "hang-stream"
HANG_SECONDS = 30.0  # far beyond the proxy's timeouts below: a missed timeout fails the test
TIMEOUTS = {"ttfb": 0.3, "idle": 0.3}
#: The paced stream's: a piece every tenth of the idle timeout leaves 0.9 s for the event
#: loop to be late (one loop runs proxy, fake and callers; a stall past idle - interval
#: lets the watchdog's sweep and the piece's write fall due in one pass, and the read is
#: cut). A third of 0.3 s (0.2 s of slack) was cut at load 12 (h201).
PACED_TIMEOUTS = {"ttfb": 1.0, "idle": 1.0}
AUTH = {"Authorization": f"Bearer {CALLER_KEY}"}
MESSAGES = [{"role": "user", "content": "tell me"}]
COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "faulty-model",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "fine"}, "finish_reason": "stop"}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
CHUNK = (
    b"data: "
    + orjson.dumps(
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "faulty-model",
            "choices": [{"index": 0, "delta": {"content": "part"}, "finish_reason": None}],
        }
    )
    + b"\n\n"
)


async def _hanging(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    mode = body["messages"][-1]["content"]
    if mode == OK:
        return web.json_response(COMPLETION)
    if mode == HANG_HEADERS:
        await asyncio.sleep(HANG_SECONDS)
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream" if mode == HANG_STREAM else "application/json"}
    )
    await response.prepare(request)
    await response.write(CHUNK if mode == HANG_STREAM else b'{"id": "chatcmpl-1", ')
    await asyncio.sleep(HANG_SECONDS)
    return response


@asynccontextmanager
async def _hanging_provider() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/v1/chat/completions", _hanging)
    runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/v1"
    finally:
        await runner.cleanup()


@pytest.fixture
async def hanging() -> AsyncIterator[str]:
    async with _hanging_provider() as url:
        yield url


def _call(mode: str, *, stream: bool = False) -> dict[str, Any]:
    return {
        "model": "faulty-model",
        "messages": [{"role": "user", "content": mode}],
        "stream": stream,
    }


async def _post(proxy: Proxy, mode: str) -> tuple[int, bytes, str]:
    """Status, body and x-request-id of one call asking the provider for ``mode``."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{proxy.url}/v1/chat/completions",
            json=_call(mode, stream=mode == HANG_STREAM),
            headers=AUTH,
        ) as response,
    ):
        return response.status, await response.read(), response.headers["x-request-id"]


def _watchdogs(proxy: Proxy) -> list[Watchdog]:
    relay = proxy.services.relay
    assert relay is not None
    return [relay._upstream._ttfb, relay._upstream._idle]


async def _all_recorded(proxy: Proxy, count: int) -> None:
    async with asyncio.timeout(5):
        while len(proxy.sink.events) < count:
            await asyncio.sleep(0.01)


async def test_only_the_hung_calls_of_many_time_out_each_as_its_kind(
    start_proxy: StartProxy, fake: FakeUpstream, hanging: str
) -> None:
    """Of many concurrent calls, only those whose provider hangs time out: before headers
    and mid-body with 504 upstream_timeout in the OpenAI error shape, mid-stream with an
    error event; the others answer 200; every call is recorded as what happened to it, and
    no watchdog keeps an entry afterwards."""
    proxy = await start_proxy(with_faulty_provider(hanging, timeouts=TIMEOUTS))
    modes = [OK, HANG_HEADERS, HANG_BODY, HANG_STREAM] * 4
    results = await asyncio.gather(*(_post(proxy, mode) for mode in modes))
    await _all_recorded(proxy, len(modes))
    events = {event.request_id: event for event in proxy.sink.events}
    for mode, (status, body, request_id) in zip(modes, results, strict=True):
        event = events[request_id]
        if mode == OK:
            assert (status, event.status_code, event.error) == (200, 200, "")
            assert orjson.loads(body)["choices"][0]["message"]["content"] == "fine"
        elif mode == HANG_STREAM:
            last = body.strip().split(b"\n\n")[-1]
            assert status == 200
            assert orjson.loads(last.removeprefix(b"data: "))["error"]["code"] == "upstream_timeout"
            assert event.error == "timeout"
        else:
            error = orjson.loads(body)["error"]
            assert (status, error["code"], error["type"]) == (
                504,
                "upstream_timeout",
                error["type"],
            )
            assert set(error) >= {"message", "type", "code", "param"}
            assert (event.status_code, event.error) == (504, "upstream_timeout")
    assert all(not w._waiting and not w._expired for w in _watchdogs(proxy))
    await keeps_serving(proxy)


@pytest.mark.parametrize("mode", [HANG_HEADERS, HANG_BODY, HANG_STREAM])
async def test_a_caller_gone_while_its_call_waits_leaves_nothing_armed(
    start_proxy: StartProxy, fake: FakeUpstream, hanging: str, mode: str
) -> None:
    """A caller that goes away while the proxy waits on a hung provider (headers, body or
    stream) is recorded as 499 client_disconnected, not as a timeout, and leaves no entry
    in either watchdog."""
    proxy = await start_proxy(with_faulty_provider(hanging, timeouts={"ttfb": 20, "idle": 20}))
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            await _post(proxy, mode)
    await _all_recorded(proxy, 1)
    event = proxy.sink.last
    assert (event.status_code, event.error) == (499, "client_disconnected")
    assert all(not w._waiting and not w._expired for w in _watchdogs(proxy))
    await keeps_serving(proxy)


async def test_a_paced_stream_longer_than_the_idle_timeout_is_not_cut_while_others_hang(
    start_proxy: StartProxy, fake: FakeUpstream, hanging: str
) -> None:
    """A stream whose pieces come every tenth of the idle timeout, lasting more than three
    idle timeouts, arrives whole without an error while streams beside it hang and time
    out: each read's wait is timed from its own start, not from the call's first."""
    proxy = await start_proxy(with_faulty_provider(hanging, timeouts=PACED_TIMEOUTS))
    # 31 pieces and 2+ closing events: 32+ waits of a tenth, over 3 idle timeouts in all.
    words = [f"w{i} " for i in range(31)]
    fake.behaviour.chunks = words
    fake.behaviour.chunk_interval = PACED_TIMEOUTS["idle"] / 10

    async def paced() -> tuple[int, bytes]:
        body = {"model": "gpt-4o-mini", "messages": MESSAGES, "stream": True}
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{proxy.url}/v1/chat/completions", json=body, headers=AUTH) as r,
        ):
            return r.status, await r.read()

    (status, body), hung = await asyncio.gather(
        paced(), asyncio.gather(*(_post(proxy, HANG_STREAM) for _ in range(3)))
    )
    events = [e.removeprefix(b"data: ") for e in body.strip().split(b"\n\n")]
    assert status == 200
    assert events[-1] == b"[DONE]"
    text = "".join(
        choice["delta"].get("content") or ""
        for event in events[:-1]
        for choice in orjson.loads(event)["choices"]
    )
    assert text == "".join(words)
    assert all(b"upstream_timeout" in hung_body for _, hung_body, _ in hung)
