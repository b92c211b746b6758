"""Through the real proxy with the official SDK: each upstream stream event is decoded once
and its parsed payload shared by usage accounting, recording and output inspection."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

import orjson
import pytest

from core.sse import SSEEvent
from policies.inspector import PolicyInspector
from tests.fakes import FakeUpstream
from tests.policies.factories import OPENAI_KEY
from tests.policies.pattern_detection import default_pack_inspector
from tests.proxy.conftest import Proxy, StartProxy
from wire.apis.deltas import Channel, Delta, TextRun
from wire.apis.openai_chat import OpenAIChat

MODEL = "gpt-4o-mini"
WORDS = [f"word{i} " for i in range(20)]


@pytest.fixture
def inspector() -> PolicyInspector:
    """The default pack with real pattern detection (spaCy loaded once per session)."""
    return default_pack_inspector()


@pytest.fixture
def chunk_decodes(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often orjson decoded each stream chunk (keyed by the chunk's content). A deep
    copy that ``wire.apis.walk`` makes through orjson (a body being rewritten, e.g. the last
    event carrying held text) is a copy, not a decode of the upstream's bytes: not counted."""
    seen: Counter[str] = Counter()
    real = orjson.loads

    def counting(data: Any) -> Any:
        value = real(data)
        copying = sys._getframe(1).f_globals.get("__name__") == "wire.apis.walk"
        if copying:
            return value
        if isinstance(value, dict) and value.get("object") == "chat.completion.chunk":
            choices = value.get("choices") or [{}]
            seen[json.dumps(choices[0].get("delta"), sort_keys=True) + str(value.get("usage"))] += 1
        return value

    monkeypatch.setattr(orjson, "loads", counting)
    return seen


async def streamed_words(proxy: Proxy, fake: FakeUpstream) -> str:
    """The text of a streamed answer of WORDS, one upstream event per word, as the official
    client reads it through ``proxy``."""
    fake.behaviour.chunks = WORDS
    stream = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Count."}], stream=True
    )
    return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])


async def test_each_stream_event_is_decoded_once(
    start_proxy: StartProxy,
    fake: FakeUpstream,
    inspector: PolicyInspector,
    chunk_decodes: Counter[str],
) -> None:
    """A 20-event streamed answer under the default policy costs one JSON decode per
    upstream event, not one per consumer (it was four: usage, usage-only check, output
    inspection, recording)."""
    proxy = await start_proxy(inspector=inspector)
    text = await streamed_words(proxy, fake)
    assert text == "".join(WORDS)
    assert sum(chunk_decodes.values()) >= len(WORDS)
    assert set(chunk_decodes.values()) == {1}, chunk_decodes


async def test_event_data_after_extra_blanks_is_inspected(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """An event written ``data:  {...}`` (JSON after leading blanks, which the SDK reads) is
    inspected like any other: a key in it is masked, not relayed in clear."""
    proxy = await start_proxy(inspector=inspector)
    chunk = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": MODEL,
        "choices": [{"index": 0, "delta": {"content": f"use {OPENAI_KEY} now"}}],
    }
    fake.behaviour.raw_content_type = "text/event-stream"
    fake.behaviour.raw_reply = b"data:  \t" + orjson.dumps(chunk) + b"\n\ndata: [DONE]\n\n"
    stream = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Key?"}], stream=True
    )
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text.startswith("use <"), text
    assert OPENAI_KEY not in text


async def test_each_stream_events_deltas_are_read_once(
    start_proxy: StartProxy,
    fake: FakeUpstream,
    inspector: PolicyInspector,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The text deltas of each upstream event are read once, by output inspection, and the
    record takes them from the event (they were read twice); the record is unchanged. A
    read is a call of the format's ``deltas`` or of its ``deltas_and_closes`` (which
    inspection asks, and which may ask ``deltas`` itself), or an event of a run of plain
    text events its ``text_run`` found in a read."""
    reads: Counter[str] = Counter()
    inside: list[bool] = []
    real, real_both = OpenAIChat.deltas, OpenAIChat.deltas_and_closes
    real_run = OpenAIChat.text_run

    def counting_run(self: OpenAIChat, events: Sequence[SSEEvent]) -> TextRun | None:
        run = real_run(self, events)
        for event in events[run.start : run.stop] if run is not None else ():
            reads[json.dumps(event.payload, sort_keys=True)] += 1
        return run

    def counting(self: OpenAIChat, payload: dict[str, Any]) -> list[Delta]:
        if not inside:
            reads[json.dumps(payload, sort_keys=True)] += 1
        return real(self, payload)

    def counting_both(
        self: OpenAIChat, payload: dict[str, Any]
    ) -> tuple[list[Delta], list[Channel]]:
        reads[json.dumps(payload, sort_keys=True)] += 1
        inside.append(True)
        try:
            return real_both(self, payload)
        finally:
            inside.pop()

    monkeypatch.setattr(OpenAIChat, "deltas", counting)
    monkeypatch.setattr(OpenAIChat, "deltas_and_closes", counting_both)
    monkeypatch.setattr(OpenAIChat, "text_run", counting_run)
    proxy = await start_proxy(inspector=inspector)
    text = await streamed_words(proxy, fake)
    assert text == "".join(WORDS)
    assert sum(reads.values()) >= len(WORDS)
    assert set(reads.values()) == {1}, reads
    assert proxy.sink.last.response == text
