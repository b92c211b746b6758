"""A single text read from the scan cache before the scan (issue 11, h117): the same
findings, decisions, rewritten bodies, restored answers, metrics and cache counts as the
scan that filled it, under the detection service in use."""

from __future__ import annotations

from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from core.inspection import CallInfo
from core.scanning import Finding
from detectors.cache import ScanCache
from detectors.scan_lookup import ScopedCache
from detectors.service import ScanService
from detectors.settings import DetectorSettings
from policies.inspector import PolicyInspector
from proxy.call.enforcement import ScannerSlot
from proxy.metrics import Metrics
from tests.policies.factories import EMAIL, SSN, STAND_INS, call_info, chat, policy

RULES = policy(
    """
name: unit
rule_sets:
  - name: main
    rules:
      - id: pseudo-contact
        action: pseudonymise
        match: {entities: [EMAIL_ADDRESS]}
      - id: redact-ssn
        direction: both
        action: redact
        match: {entities: [US_SSN]}
"""
)
PROMPT = f"Write to {EMAIL} that the number on file is {SSN}."


def answer(text: str) -> dict[str, Any]:
    return {"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]}


def _settings(**custom: Any) -> DetectorSettings:
    return DetectorSettings.model_validate(
        {
            "enabled": ["secrets", "custom"],
            "custom": {**STAND_INS.model_dump(), **custom},
            "service": {"workers": 0, "budget_seconds": 5},
        }
    )


async def _one_call(inspector: PolicyInspector, call: CallInfo) -> tuple[Any, ...]:
    inspection = await inspector.inspect_request(call, chat(PROMPT))
    assert inspection.output is not None
    # The provider answers with the placeholder it was sent and the SSN it saw masked.
    verdict, body = await inspection.output.inspect_body(
        answer(f"Done: mailed <EMAIL_ADDRESS_1> about {SSN}.")
    )
    return inspection.verdict, inspection.body, inspection.stored_body, verdict, body


async def test_a_cached_prompt_and_answer_are_decided_and_counted_as_when_scanned(
    scan_service: ScanService,
) -> None:
    """The second identical call, its texts (model name, prompt, answer) cache hits, gets the
    first's verdicts, bodies, stored body and restored answer, and counts its findings,
    actions and detection times again; the cache counts three hits and no new miss."""
    metrics = Metrics(CollectorRegistry())
    inspector = PolicyInspector(RULES, ScannerSlot(scan_service), metrics=metrics)
    first = await _one_call(inspector, call_info())
    stats = scan_service.cache_stats
    second = await _one_call(inspector, call_info())
    after = scan_service.cache_stats
    assert second == first
    assert first[1]["messages"][0]["content"] == (
        "Write to <EMAIL_ADDRESS_1> that the number on file is <US_SSN>."
    )
    assert first[4]["choices"][0]["message"]["content"] == f"Done: mailed {EMAIL} about <US_SSN>."
    assert (after.hits - stats.hits, after.misses - stats.misses) == (3, 0)
    sample = metrics.registry.get_sample_value
    for direction in ("input", "output"):
        duration = {"direction": direction}
        assert sample("llm_proxy_detector_duration_seconds_count", duration) == 2
        ssn = {"entity_type": "US_SSN", "direction": direction}
        assert sample("llm_proxy_detector_findings_total", ssn) == 2
        redact = {"action": "redact", "rule": "redact-ssn", "direction": direction}
        assert sample("llm_proxy_policy_actions_total", {**redact, "mode": "enforce"}) == 2
    email = {"entity_type": "EMAIL_ADDRESS", "direction": "input"}
    assert sample("llm_proxy_detector_findings_total", email) == 2


async def test_each_call_has_its_own_pseudonyms_when_its_prompt_is_cached(
    scan_service: ScanService,
) -> None:
    """A cached prompt's call restores only its own values: an answer naming a placeholder
    the call did not issue is left as it came."""
    inspector = PolicyInspector(RULES, ScannerSlot(scan_service))
    await _one_call(inspector, call_info())
    inspection = await inspector.inspect_request(call_info(), chat("nothing personal here"))
    assert inspection.output is not None
    _, body = await inspection.output.inspect_body(answer("mailed <EMAIL_ADDRESS_1>"))
    assert body is None  # nothing to restore: the placeholder is not this call's


async def test_a_text_not_cached_is_counted_once_as_a_miss(scan_service: ScanService) -> None:
    """Reading a text not in the cache counts nothing; its scan then counts one miss, and
    a read after it returns the scan's findings as one hit."""
    before = scan_service.cache_stats
    assert scan_service.cached([PROMPT]) is None
    assert scan_service.cache_stats == before
    scanned = await scan_service.scan([PROMPT])
    middle = scan_service.cache_stats
    assert (middle.hits - before.hits, middle.misses - before.misses) == (0, 1)
    assert scan_service.cached([PROMPT]) == scanned
    after = scan_service.cache_stats
    assert (after.hits - middle.hits, after.misses - middle.misses) == (1, 0)


async def test_several_cached_texts_are_read_ahead(scan_service: ScanService) -> None:
    """Several texts (a model name and its prompt) all cached are read ahead, counted as
    the scan counts them (one hit per distinct text); one of them new, nothing is read or
    counted and the scan finds them (h134: the read's keys are the scan's, no text is
    hashed twice)."""
    texts = [PROMPT, "and a second message", PROMPT]
    found = await scan_service.scan(texts)
    before = scan_service.cache_stats
    assert scan_service.cached(texts) == found
    after = scan_service.cache_stats
    assert (after.hits - before.hits, after.misses - before.misses) == (2, 0)
    fresh = ["gpt-4o-mini", PROMPT]
    assert scan_service.cached(fresh) is None
    assert scan_service.cache_stats == after
    assert await scan_service.scan(fresh) == [[], found[0]]


class _CountedText(str):
    """A text that counts how often it is encoded (each cache key encodes it once)."""

    encodings = 0

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        type(self).encodings += 1
        return super().encode(encoding, errors)


@pytest.mark.parametrize("count", [1, 2, 5])
async def test_texts_a_read_ahead_missed_are_hashed_once(
    scan_service: ScanService, count: int
) -> None:
    """A prompt's texts that the read ahead missed are looked up by the keys it made: each
    text is hashed once for the read and the scan together (issue 11)."""
    texts = [_CountedText(f"message {n} of {count}") for n in range(count)]
    _CountedText.encodings = 0
    assert scan_service.cached(texts) is None
    await scan_service.scan(texts)
    assert _CountedText.encodings == count


async def test_a_swapped_service_is_read_not_the_old_one(scan_service: ScanService) -> None:
    """After a reload swaps in a service with other recognizers, a text the old one cached
    is scanned by the new one, and its findings are the new one's."""
    slot = ScannerSlot(scan_service)
    await slot.scan([PROMPT], budget=None)
    assert slot.cached([PROMPT]) is not None
    keyword = {"entity_type": "PROJECT_CODE", "keywords": ["number on file"]}
    async with ScanService(_settings(keywords=[keyword])) as fresh:
        slot.current = fresh
        assert slot.cached([PROMPT]) is None
        found = await slot.scan([PROMPT], budget=None)
        assert "PROJECT_CODE" in {f.entity_type for f in found[0]}
        assert slot.cached([PROMPT]) == found


async def test_a_closed_service_is_not_read(scan_service: ScanService) -> None:
    """A service that is not running answers nothing from its cache (its scan raises)."""
    await scan_service.scan([PROMPT])
    await scan_service.close()
    assert scan_service.cached([PROMPT]) is None


@pytest.mark.parametrize("model", [True, False])
@pytest.mark.parametrize("ner_chars", [None, 10, 1000])
@pytest.mark.parametrize("wanted", [None, frozenset({"PERSON"})])
def test_a_cached_read_keys_a_text_as_the_lookup_does(
    model: bool, ner_chars: int | None, wanted: frozenset[str] | None
) -> None:
    """Whatever the NER coverage and PII scope, a text stored through the lookup is read
    back by the cached read, and only under the same coverage and scope."""
    scoped = ScopedCache(ScanCache(16), "fp", model=model)
    finding = Finding("PERSON", 0, 5, 0.9, "pii")
    _, results, missing = scoped.lookup([PROMPT], ner_chars, wanted)
    scoped.store(missing, [[finding]], results)
    assert scoped.cached([PROMPT], ner_chars, wanted) == [[finding]]
    other_scope = frozenset({"LOCATION"}) if wanted is None else None
    assert scoped.cached([PROMPT], ner_chars, other_scope) is None
    if model:  # the coverage is part of the key only where NER runs
        other_coverage = 20 if ner_chars != 20 else 30
        assert scoped.cached([PROMPT], other_coverage, wanted) is None
