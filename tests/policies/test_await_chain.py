"""A prompt and an answer read from the scan cache are inspected with no scan coroutine
(issue 11, h162): the decision needs nothing awaited, so only the inspection's own entry
points run as coroutines; texts that miss, or that join (several messages), still go
through the scan, with the same decisions."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Awaitable
from types import FrameType
from typing import Any, TypeVar

from core.inspection import RequestInspection
from detectors.service import ScanService
from policies.inspector import PolicyInspector
from proxy.call.enforcement import ScannerSlot
from tests.policies.factories import EMAIL, SSN, call_info, chat, policy

RULES = policy(
    """
name: unit
rule_sets:
  - name: main
    rules:
      - id: redact-contact
        direction: both
        action: redact
        match: {entities: [EMAIL_ADDRESS, US_SSN]}
"""
)
ANSWER = {"choices": [{"index": 0, "message": {"role": "assistant", "content": "Noted."}}]}
T = TypeVar("T")


async def _coroutines_run(step: Awaitable[T]) -> tuple[T, list[str]]:
    """What ``step`` returns, and the names of the coroutines of ours it entered."""
    entered: list[str] = []

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        code = frame.f_code
        ours = "/policies/" in code.co_filename or "/detectors/" in code.co_filename
        if event == "call" and code.co_flags & inspect.CO_COROUTINE and ours:
            entered.append(code.co_name)

    sys.setprofile(profile)
    try:
        result = await step
    finally:
        sys.setprofile(None)
    return result, entered


async def test_a_cached_prompt_and_answer_run_no_scan_coroutine(
    scan_service: ScanService,
) -> None:
    """The second identical call's prompt (one message and its model name) and answer are
    decided from the cache as the first's were, entering only the inspection's own
    entry points as coroutines: no evaluation coroutine (h215), no scan, no boundary join."""
    inspector = PolicyInspector(RULES, ScannerSlot(scan_service))
    body = chat(f"Write to {EMAIL} about {SSN}.")
    first = await inspector.inspect_request(call_info(), body)
    assert first.output is not None
    first_answer = await first.output.inspect_body(ANSWER)

    again: RequestInspection
    again, entered = await _coroutines_run(inspector.inspect_request(call_info(), body))
    assert again.output is not None
    answer, entered_answer = await _coroutines_run(again.output.inspect_body(ANSWER))

    assert (again.verdict, again.body, again.stored_body) == (
        first.verdict,
        first.body,
        first.stored_body,
    )
    assert answer == first_answer
    assert again.body is not None
    assert EMAIL not in str(again.body)
    assert entered == ["inspect_request"]
    assert entered_answer == ["inspect_body"]


async def test_a_new_prompt_and_a_joined_one_are_still_scanned(
    scan_service: ScanService,
) -> None:
    """A prompt the cache has not seen is scanned, and a prompt of two messages (a value
    may be split over them) goes through the scan and its boundary join even when cached."""
    inspector = PolicyInspector(RULES, ScannerSlot(scan_service))
    new, entered_new = await _coroutines_run(
        inspector.inspect_request(call_info(), chat(f"Mail {EMAIL} now."))
    )
    assert new.body is not None
    assert EMAIL not in str(new.body)
    assert "_scan_and_decide" in entered_new

    two = chat("First part of the note.", f"Second part, for {EMAIL}.")
    await inspector.inspect_request(call_info(), two)
    joined, entered_two = await _coroutines_run(inspector.inspect_request(call_info(), two))
    assert joined.body is not None
    assert EMAIL not in str(joined.body)
    assert "_scan_and_decide" in entered_two
    assert "with_boundary_findings" in entered_two
