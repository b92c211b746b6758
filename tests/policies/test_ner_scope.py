"""The default policy's scans run NER only where a rule in scope needs an NER entity type:
on prompts (names and places are flagged), not on answers (only secrets, cards, IBANs and
national ids are redacted there), whole or streamed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from core.inspection import RequestInspection
from detectors.service import ScanService
from detectors.settings import DetectorSettings, ServiceSettings
from policies.inspector import PolicyInspector
from proxy.call.sse import SSEEvent
from tests.policies.factories import call_info, chat
from tests.policies.pattern_detection import cached_pack

CARD = "4111 1111 1111 1111"
PROMPT = "Maria Gonzalez from Madrid asked about her refund."
ANSWER = f"Maria Gonzalez from Madrid paid with {CARD} on Monday."

pytestmark = pytest.mark.slow


@pytest.fixture
async def service() -> AsyncIterator[ScanService]:
    """The real detection service (default detectors, in-process) with a fresh cache."""
    async with ScanService(DetectorSettings(service=ServiceSettings(workers=0))) as scan:
        yield scan


async def _inspect(service: ScanService, *, stream: bool) -> RequestInspection:
    inspector = PolicyInspector(cached_pack(), service)
    return await inspector.inspect_request(call_info(stream=stream), chat(PROMPT))


def _chunk(text: str | None = None, finish: str | None = None) -> SSEEvent:
    delta = {} if text is None else {"content": text}
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    data = {"id": "c1", "object": "chat.completion.chunk", "choices": [choice]}
    return SSEEvent.build(json.dumps(data))


def _answer(text: str) -> dict[str, Any]:
    return {"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]}


async def test_prompt_runs_ner_and_whole_answer_does_not(service: ScanService) -> None:
    """The prompt's scan reaches NER; the answer's card is redacted without running NER."""
    inspection = await _inspect(service, stream=False)
    assert service.ner_texts == 2  # the model name and the prompt
    assert "PERSON" in inspection.verdict.entity_counts
    _, body = await inspection.output.inspect_body(_answer(ANSWER))
    assert service.ner_texts == 2
    content = body["choices"][0]["message"]["content"] if body else ""
    assert CARD not in content
    assert "Maria Gonzalez" in content


async def test_streamed_answer_does_not_run_ner(service: ScanService) -> None:
    """A streamed answer is scanned window by window without NER; its card is still masked."""
    inspection = await _inspect(service, stream=True)
    before = service.ner_texts
    stream = inspection.output.stream()
    out: list[SSEEvent] = []
    for event in [_chunk(ANSWER[:30]), _chunk(ANSWER[30:]), _chunk(finish="stop")]:
        out.extend(await stream.feed(event))
    out.extend(await stream.finish())
    text = "".join(
        choice["delta"].get("content") or ""
        for e in out
        if e.data.startswith("{")
        for choice in json.loads(e.data)["choices"]
    )
    assert service.ner_texts == before
    assert CARD not in text
    assert text.startswith("Maria Gonzalez")
