"""Through the real proxy with the official SDK: the text deltas of each upstream stream
event are read once, by output inspection, and handed to the stream's recorder."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from policies.inspector import PolicyInspector
from tests.fakes import FakeUpstream
from tests.policies.pattern_detection import default_pack_inspector
from tests.proxy.conftest import StartProxy
from wire.apis.deltas import Delta
from wire.apis.openai_chat import OpenAIChat

MODEL = "gpt-4o-mini"
WORDS = [f"word{i} " for i in range(20)]


@pytest.fixture
def inspector() -> PolicyInspector:
    """The default pack with real pattern detection (spaCy loaded once per session)."""
    return default_pack_inspector()


@pytest.fixture
def delta_reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often the chat format read the deltas of each chunk (keyed by its choices)."""
    seen: Counter[str] = Counter()
    real = OpenAIChat.deltas

    def counting(self: OpenAIChat, payload: dict[str, Any]) -> list[Delta]:
        seen[json.dumps(payload.get("choices"), sort_keys=True)] += 1
        return real(self, payload)

    monkeypatch.setattr(OpenAIChat, "deltas", counting)
    return seen


async def test_each_stream_events_deltas_are_read_once(
    start_proxy: StartProxy,
    fake: FakeUpstream,
    inspector: PolicyInspector,
    delta_reads: Counter[str],
) -> None:
    """A 20-event answer under the default policy reads each event's deltas once (it was
    twice: output inspection, then the recorder), and the caller gets the text unchanged."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.chunks = WORDS
    stream = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Count."}], stream=True
    )
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text == "".join(WORDS)
    with_text = {key: n for key, n in delta_reads.items() if "word" in key}
    assert len(with_text) == len(WORDS)
    assert set(with_text.values()) == {1}, with_text
