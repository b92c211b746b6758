"""Under the default policy, answers are scanned only for what the output rules want
(secrets, cards, IBANs, national ids): the phone-number matcher runs on prompts, whose
rules pseudonymise phone numbers, and on answers, whole or streamed, only where a card or
id was found that a phone number could hide."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from core.inspection import RequestInspection
from core.scanning import Detector
from detectors.phones import RegionPhoneRecognizer
from detectors.pii import PresidioDetector
from detectors.registry import default_detectors
from detectors.service import ScanService
from detectors.settings import DetectorSettings, ServiceSettings
from policies.inspector import PolicyInspector
from proxy.call.sse import SSEEvent
from tests.policies.factories import call_info, chat
from tests.policies.pattern_detection import cached_pack

CARD = "4111 1111 1111 1111"
PHONE = "+44 20 7946 0958"
PROMPT = f"Release 14 ships 3 fixes; call me on {PHONE} about build 2041."
ANSWER = f"Build 2041 passed 3 of 4 stages by 12:30; call {PHONE} if 5 of 6 fail."
PAYMENT = f"Pay with {CARD} today."

pytestmark = pytest.mark.slow


class _Recorded:
    """The detectors a service built (in-process service: no pickling needed)."""

    def __init__(self) -> None:
        self.detectors: list[Detector] = []

    def __call__(self, settings: DetectorSettings) -> list[Detector]:
        self.detectors = default_detectors(settings)
        return self.detectors

    @property
    def phone(self) -> RegionPhoneRecognizer:
        pii = next(d for d in self.detectors if isinstance(d, PresidioDetector))
        return next(r for r in pii.recognizers if isinstance(r, RegionPhoneRecognizer))


@pytest.fixture
async def built() -> AsyncIterator[tuple[ScanService, _Recorded]]:
    """The real detection service (default detectors, in-process) and its detectors."""
    recorded = _Recorded()
    settings = DetectorSettings(service=ServiceSettings(workers=0))
    async with ScanService(settings, detector_factory=recorded) as service:
        yield service, recorded


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


async def test_the_prompt_runs_the_phone_matcher_and_the_whole_answer_does_not(
    built: tuple[ScanService, _Recorded],
) -> None:
    """The prompt's phone number is pseudonymised (the matcher ran); the answer's phone
    number is left and the matcher saw none of it; an answer with a card has it redacted,
    and the matcher then ran once, to rule out a phone number hiding the card."""
    service, recorded = built
    inspection = await _inspect(service, stream=False)
    assert inspection.body is not None
    assert PHONE not in json.dumps(inspection.body)
    seen = recorded.phone.texts_analysed
    assert seen > 0
    verdict, body = await inspection.output.inspect_body(_answer(ANSWER))
    assert body is None
    assert not verdict.entity_counts
    assert recorded.phone.texts_analysed == seen
    _, body = await inspection.output.inspect_body(_answer(PAYMENT))
    assert body is not None
    assert CARD not in body["choices"][0]["message"]["content"]
    assert recorded.phone.texts_analysed == seen + 1


async def test_a_streamed_answer_never_runs_the_phone_matcher(
    built: tuple[ScanService, _Recorded],
) -> None:
    """Streamed in small chunks, no window of the answer (digits and a phone number, no
    card) reached the phone-number matcher, and the answer arrived unchanged."""
    service, recorded = built
    inspection = await _inspect(service, stream=True)
    seen = recorded.phone.texts_analysed
    stream = inspection.output.stream()
    out: list[SSEEvent] = []
    pieces = [ANSWER[i : i + 7] for i in range(0, len(ANSWER), 7)]
    for event in [*(_chunk(piece) for piece in pieces), _chunk(finish="stop")]:
        out.extend(await stream.feed(event))
    out.extend(await stream.finish())
    text = "".join(
        choice["delta"].get("content") or ""
        for e in out
        if e.data.startswith("{")
        for choice in json.loads(e.data)["choices"]
    )
    assert text == ANSWER
    assert service.cache_stats.misses > 2  # the windows were scanned, not cache hits
    assert recorded.phone.texts_analysed == seen
