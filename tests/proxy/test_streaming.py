"""Streams are relayed as they arrive, and a caller that leaves cancels the upstream call."""

from __future__ import annotations

import asyncio

import aiohttp
import orjson

from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY, StartProxy

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "stream": True}
AUTH = {"Authorization": f"Bearer {CALLER_KEY}"}


async def test_first_chunk_reaches_the_caller_before_the_upstream_finishes(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """The caller reads the first streamed token while the upstream is still generating."""
    proxy = await start_proxy()
    release = asyncio.Event()
    fake.behaviour.hold_after_first_chunk = release
    stream = await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    first_text = ""
    async with asyncio.timeout(5):
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                first_text = chunk.choices[0].delta.content
                break
    assert first_text == "Hello "
    assert not release.is_set(), "the upstream was still holding the rest of the stream"
    release.set()
    rest = [c.choices[0].delta.content or "" async for c in stream if c.choices]
    assert first_text + "".join(rest) == "Hello from the fake"


async def test_caller_disconnect_mid_stream_cancels_the_upstream_request(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """When the caller drops a stream, the proxy drops its upstream request too."""
    proxy = await start_proxy()
    release = asyncio.Event()
    fake.behaviour.hold_after_first_chunk = release
    async with aiohttp.ClientSession() as session:
        response = await session.post(f"{proxy.url}/v1/chat/completions", json=CHAT, headers=AUTH)
        assert response.status == 200
        await response.content.readuntil(b"\n\n")
        response.close()  # the caller goes away mid-stream
    async with asyncio.timeout(5):
        await fake.behaviour.stream_cancelled.wait()
    async with asyncio.timeout(5):
        while not proxy.sink.events:
            await asyncio.sleep(0.01)
    event = proxy.sink.last
    assert (event.status_code, event.error) == (499, "client_disconnected")


async def test_caller_disconnect_before_headers_cancels_the_upstream_request(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A caller that gives up while the provider is still thinking cancels the call."""
    proxy = await start_proxy()
    fake.behaviour.delay_before_headers = 1.0
    async with aiohttp.ClientSession() as session:
        try:
            async with asyncio.timeout(0.3):
                await session.post(f"{proxy.url}/v1/chat/completions", json=CHAT, headers=AUTH)
        except TimeoutError:
            pass
    async with asyncio.timeout(5):
        while not proxy.sink.events:
            await asyncio.sleep(0.01)
    assert proxy.sink.last.status_code == 499


async def test_stream_that_goes_silent_ends_with_an_error_event(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """An upstream stream idle longer than the idle timeout ends with an OpenAI error event."""
    proxy = await start_proxy({"timeouts": {"idle": 0.2}})
    fake.behaviour.hold_after_first_chunk = asyncio.Event()  # never released
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{proxy.url}/v1/chat/completions", json=CHAT, headers=AUTH) as response,
    ):
        body = await response.read()
    last = body.strip().split(b"\n\n")[-1]
    error = orjson.loads(last.removeprefix(b"data: "))["error"]
    assert error["code"] == "upstream_timeout"
    assert proxy.sink.last.error == "timeout"


async def test_sse_events_are_relayed_byte_for_byte(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """Without inspection rewriting anything, the caller gets exactly the upstream's events."""
    proxy = await start_proxy()
    body = {**CHAT, "stream_options": {"include_usage": True}}
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{proxy.url}/v1/chat/completions", json=body, headers=AUTH
        ) as response:
            through_proxy = await response.read()
            assert response.headers["Content-Type"].startswith("text/event-stream")
        async with session.post(f"{fake.url}/v1/chat/completions", json=body) as response:
            direct = await response.read()

    def strip_ids(raw: bytes) -> list[bytes]:
        # Each call gets fresh ids and timestamps; compare everything else.
        events = []
        for event in raw.split(b"\n\n"):
            if event.startswith(b"data: {"):
                payload = orjson.loads(event.removeprefix(b"data: "))
                payload.pop("id", None)
                payload.pop("created", None)
                events.append(orjson.dumps(payload))
            else:
                events.append(event)
        return events

    assert strip_ids(through_proxy) == strip_ids(direct)
