"""A streamed answer ends by its call's deadline (``timeouts.total``), timed by the one timer
of all streams (:class:`proxy.call.deadlines.Deadlines`): a stream that keeps trickling past
it ends with an upstream_timeout error event, and a deadline armed later but due sooner than
another still fires on time."""

from __future__ import annotations

import asyncio
from time import monotonic

import orjson

from proxy.call.deadlines import Deadlines
from tests.fakes import FakeUpstream
from tests.proxy.conftest import StartProxy
from tests.proxy.test_fault_matrix import (
    CHAT,
    keeps_serving,
    last_error_event,
    post_raw,
    recorded,
    sse_events,
)

WORDS = [f"w{i} " for i in range(200)]


async def _timed(deadlines: Deadlines, seconds: float) -> str:
    """Wait forever under a deadline ``seconds`` away: how the wait ended."""
    task = deadlines.arm_until(monotonic() + seconds)
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        if deadlines.fired(task):
            return "timeout"
        return "cancelled"
    finally:
        deadlines.disarm(task)
    return "done"


async def test_a_deadline_due_sooner_fires_though_armed_later() -> None:
    """Streams are armed after their headers came, not in the order of their deadlines: a
    wait armed later with the sooner deadline times out while the earlier one waits on, and
    a caller's cancellation of that one stays a cancellation."""
    deadlines = Deadlines(0.4)
    later = asyncio.create_task(_timed(deadlines, 600.0))
    await asyncio.sleep(0)
    sooner = asyncio.create_task(_timed(deadlines, 0.05))
    async with asyncio.timeout(10):
        assert await sooner == "timeout"
    assert not later.done()
    later.cancel()
    assert await later == "cancelled"


async def test_a_stream_past_the_calls_deadline_ends_with_a_timeout_event(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A stream whose provider never falls silent for the idle timeout, but goes on past
    the call's total, ends with an upstream_timeout error event after the text sent so far,
    and is recorded as timed out with that text."""
    proxy = await start_proxy({"timeouts": {"total": 0.5, "idle": 30}})
    fake.behaviour.chunks = WORDS
    fake.behaviour.chunk_interval = 0.02  # 4 s of words, each well within the idle timeout
    async with asyncio.timeout(20):
        status, raw, _ = await post_raw(
            f"{proxy.url}/v1/chat/completions", {**CHAT, "stream": True}
        )
    assert status == 200
    assert last_error_event(raw)["code"] == "upstream_timeout"
    sent = [orjson.loads(event.removeprefix(b"data: ")) for event in sse_events(raw)[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in sent if c["choices"])
    assert text
    assert "".join(WORDS).startswith(text)
    assert len(text) < len("".join(WORDS))
    event = await recorded(proxy)
    assert (event.status_code, event.error, event.response) == (200, "timeout", text)
    fake.behaviour.chunks = None
    fake.behaviour.chunk_interval = 0.0
    await keeps_serving(proxy)
