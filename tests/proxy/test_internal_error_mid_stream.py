"""A bug of ours after a stream has started ends the stream with an error event; it never
writes a second response into it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aiohttp
import orjson

from core.inspection import (
    ALLOW,
    CallInfo,
    PassOutput,
    RequestInspection,
    StreamInspector,
    Verdict,
)
from proxy.call.sse import SSEEvent
from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY, StartProxy


class _BrokenStream:
    """A stream inspector with a bug: it fails on the second event."""

    def __init__(self) -> None:
        self.seen = 0

    async def feed(self, event: SSEEvent) -> Sequence[SSEEvent]:
        self.seen += 1
        if self.seen == 2:
            raise RuntimeError("bug in a stream inspector")
        return [event]

    async def feed_all(self, events: Sequence[SSEEvent]) -> Sequence[SSEEvent]:
        return [out for event in events for out in await self.feed(event)]

    async def finish(self) -> Sequence[SSEEvent]:
        return []

    @property
    def verdict(self) -> Verdict:
        return ALLOW


class _BrokenOutput(PassOutput):
    def stream(self) -> StreamInspector:
        return _BrokenStream()


class _Inspector:
    async def inspect_request(self, call: CallInfo, body: Any) -> RequestInspection:
        return RequestInspection(verdict=ALLOW, body=None, output=_BrokenOutput())


async def test_internal_error_mid_stream_ends_it_with_an_error_event(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """The caller gets the 200 stream's first event, then an error event in the OpenAI
    shape - never the text of a 500 response inside the stream - and the event records the
    internal error."""
    proxy = await start_proxy(inspector=_Inspector())
    body = {"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": "x"}]}
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{proxy.url}/v1/chat/completions",
            json=body,
            headers={"Authorization": f"Bearer {CALLER_KEY}"},
        ) as response,
    ):
        assert response.status == 200
        received = await response.read()
    events = [chunk for chunk in received.split(b"\n\n") if chunk]
    assert events[0].startswith(b"data: {")
    assert orjson.loads(events[-1].removeprefix(b"data: "))["error"]["type"] == "server_error"
    assert b"HTTP/1.1" not in received
    event = proxy.sink.last
    assert (event.status_code, event.error) == (200, "internal_error")
