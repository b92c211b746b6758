"""The event sink is the one seam for recording calls, for back-pressure and for health."""

from __future__ import annotations

import aiohttp
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from proxy.call.events import CallEvent, EventSink
from proxy.store.status import StoreStatus
from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy

MESSAGES: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hi"}]


class FullSink(EventSink):
    """A sink that cannot take more events and is set to refuse traffic meanwhile."""

    def __init__(self) -> None:
        self.events: list[CallEvent] = []
        self.full = True

    def record(self, event: CallEvent) -> None:
        self.events.append(event)

    def accepting(self) -> bool:
        return not self.full

    def status(self) -> StoreStatus:
        return StoreStatus(
            reachable=False,
            queue_depth=1000,
            spooled_rows=5000,
            spool_bytes=1 << 20,
            accepting=not self.full,
            spool_writable=not self.full,
            last_error=None,
        )


async def ready(proxy: Proxy) -> tuple[int, list[str]]:
    async with aiohttp.ClientSession() as session, session.get(f"{proxy.url}/readyz") as got:
        return got.status, (await got.json())["problems"]


async def test_a_sink_that_is_not_accepting_refuses_calls_and_readiness(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """While the sink says it is not accepting, a call is refused with 503 before it goes
    upstream (and still recorded) and /readyz reports it; once it accepts, both recover."""
    proxy = await start_proxy()
    sink = proxy.services.sink = FullSink()
    client = proxy.openai()
    with pytest.raises(openai.InternalServerError) as refused:
        await client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    assert refused.value.status_code == 503
    assert fake.requests == []
    assert [event.status_code for event in sink.events] == [503]
    assert await ready(proxy) == (
        503,
        ["event log is refusing events", "event log store unreachable and spool not writable"],
    )
    sink.full = False
    await client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    assert await ready(proxy) == (200, [])
