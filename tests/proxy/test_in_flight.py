"""The in-flight gauge counts the /v1 calls being handled, read at scrape."""

from __future__ import annotations

import asyncio

from tests.fakes import FakeUpstream
from tests.proxy.conftest import StartProxy

IN_FLIGHT = "llm_proxy_in_flight_requests"


async def test_in_flight_counts_a_call_while_it_streams_and_not_after(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A stream held upstream counts as one call in flight; once answered, none is."""
    proxy = await start_proxy()
    registry = proxy.metrics.registry
    assert registry.get_sample_value(IN_FLIGHT) == 0
    held = fake.behaviour.hold_after_first_chunk = asyncio.Event()
    stream = await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    chunks = aiter(stream)
    await anext(chunks)
    assert registry.get_sample_value(IN_FLIGHT) == 1
    held.set()
    async for _ in chunks:
        pass
    await stream.close()
    for _ in range(100):  # the handler's last step may run just after the caller's read
        if registry.get_sample_value(IN_FLIGHT) == 0:
            break
        await asyncio.sleep(0.01)
    assert registry.get_sample_value(IN_FLIGHT) == 0
