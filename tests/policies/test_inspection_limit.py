"""detection.max_inspected_chars: texts longer than the policy inspects, failing open or closed."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import pytest

from core.inspection import Action
from core.scanning import Finding
from policies.engine import INSPECTION_LIMIT
from policies.inspector import PolicyInspector, RequestBlocked
from policies.model import DEFAULT_MAX_INSPECTED_CHARS
from tests.policies.factories import AWS_KEY, EMAIL, call_info, chat, policy, real_scanner
from tests.policies.pattern_detection import cached_pack

LIMIT = 1000
FILLER = "The quarterly report is attached. "


class RecordingScanner:
    """The real model-free detectors, remembering the caller and NER limit of each scan."""

    def __init__(self) -> None:
        self._inner = real_scanner()
        self.asked: list[tuple[str | None, int | None]] = []

    async def scan(
        self,
        texts: Sequence[str],
        *,
        budget: float | None,
        caller: str | None = None,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> list[list[Finding]]:
        self.asked.append((caller, ner_chars))
        return await self._inner.scan(texts, budget=budget)


def limited(on_exceed: str, *, limit: int = LIMIT) -> Any:
    return policy(
        f"""
name: limited
detection: {{max_inspected_chars: {limit}, on_exceed: {on_exceed}}}
rule_sets:
  - name: main
    rules:
      - id: block-secrets
        action: block
        match: {{entities: [SECRETS]}}
      - id: pseudo-email
        action: pseudonymise
        match: {{entities: [EMAIL_ADDRESS]}}
"""
    )


def text_of(chars: int, *, start: str = "", end: str = "") -> str:
    body = (FILLER * (chars // len(FILLER) + 1))[: chars - len(start) - len(end)]
    return start + body + end


def answer(text: str) -> dict[str, Any]:
    return {"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]}


async def test_text_over_the_limit_is_blocked_unscanned_when_failing_closed() -> None:
    """fail_closed: a longer text gets 403 with a reason and sizes, and is never scanned."""
    scanner = RecordingScanner()
    inspector = PolicyInspector(limited("fail_closed"), scanner)
    with pytest.raises(RequestBlocked) as caught:
        await inspector.inspect_request(call_info(), chat(text_of(2000, start=EMAIL)))
    error = caught.value
    assert error.extra["reason"] == "too_large_to_inspect"
    assert error.extra["rules"] == [INSPECTION_LIMIT]
    assert "2,000 characters" in str(error)
    assert "1,000" in str(error)
    assert EMAIL not in str(error)
    assert scanner.asked == []


async def test_text_over_the_limit_is_flagged_and_still_masked_when_failing_open() -> None:
    """fail_open: the call goes on, flagged, with what was found in it still masked."""
    scanner = RecordingScanner()
    inspector = PolicyInspector(limited("fail_open"), scanner)
    inspection = await inspector.inspect_request(call_info(), chat(text_of(2000, start=EMAIL)))
    assert inspection.verdict.action is Action.PSEUDONYMISE
    assert INSPECTION_LIMIT in inspection.verdict.rules
    assert inspection.body is not None
    assert EMAIL not in str(inspection.body)
    assert scanner.asked == [("key-1", LIMIT)]


async def test_secret_beyond_the_limit_still_blocks_when_failing_open() -> None:
    """The pattern detectors see the whole text: a key past the limit blocks the call."""
    inspector = PolicyInspector(limited("fail_open"), RecordingScanner())
    with pytest.raises(RequestBlocked) as caught:
        await inspector.inspect_request(call_info(), chat(text_of(5000, end=f" {AWS_KEY}")))
    assert caught.value.extra["rules"] == ["block-secrets"]


async def test_within_the_limit_nothing_changes() -> None:
    """A text of exactly max_inspected_chars is inspected as usual, with no limit recorded."""
    inspector = PolicyInspector(limited("fail_closed"), RecordingScanner())
    inspection = await inspector.inspect_request(call_info(), chat(text_of(LIMIT)))
    assert inspection.verdict.action is Action.ALLOW
    assert inspection.verdict.rules == ()


async def test_no_limit_when_no_rule_depends_on_pii_findings() -> None:
    """Secrets and custom types are found in whole texts: a secrets-only policy has no limit."""
    secrets_only = policy(
        f"""
name: secrets-only
detection: {{max_inspected_chars: {LIMIT}, on_exceed: fail_closed}}
rule_sets:
  - name: main
    rules:
      - id: block-secrets
        action: block
        match: {{entities: [SECRETS]}}
"""
    )
    inspector = PolicyInspector(secrets_only, RecordingScanner())
    inspection = await inspector.inspect_request(call_info(), chat(text_of(5000)))
    assert inspection.verdict.action is Action.ALLOW


async def test_default_policy_blocks_oversized_prompts_and_flags_oversized_answers() -> None:
    """As shipped, rule sets decide: never-send fails closed on prompts, answers fail open."""
    pack = cached_pack()
    assert pack.detection.max_inspected_chars == DEFAULT_MAX_INSPECTED_CHARS
    inspector = PolicyInspector(pack, RecordingScanner())
    huge = text_of(DEFAULT_MAX_INSPECTED_CHARS + 1)
    with pytest.raises(RequestBlocked) as caught:
        await inspector.inspect_request(call_info(), chat(huge))
    assert caught.value.extra["reason"] == "too_large_to_inspect"

    inspection = await inspector.inspect_request(call_info(), chat("short question"))
    verdict, _ = await inspection.output.inspect_body(answer(huge))
    assert verdict.action is Action.FLAG
    assert INSPECTION_LIMIT in verdict.rules
