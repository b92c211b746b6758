"""What the event log keeps of a request: every span a rule blocks, redacts or pseudonymises
(enforced or monitored) becomes ``<TYPE:fingerprint>`` in the stored body, blocked calls
included."""

from __future__ import annotations

import orjson
import pytest

from core.scanning import Scanner
from detectors.errors import DetectionUnavailable
from policies.at_rest import UNINSPECTED, StoredMasks
from policies.inspector import PolicyInspector, RequestBlocked
from policies.model import Policy
from proxy.fingerprint import Fingerprints
from tests.policies.factories import (
    AWS_KEY,
    EMAIL,
    SSN,
    FailingScanner,
    call_info,
    chat,
    policy,
    real_scanner,
)
from tests.policies.test_inspection_limit import limited, text_of
from tests.proxy.test_secrets_at_rest import GITHUB

KEY = Fingerprints(b"k" * 32)

RULES = policy(
    """
name: unit
rule_sets:
  - name: main
    rules:
      - id: block-secrets
        action: block
        match: {entities: [SECRETS]}
      - id: pseudo-contact
        action: pseudonymise
        match: {entities: [EMAIL_ADDRESS]}
      - id: redact-ssn
        action: redact
        match: {entities: [US_SSN]}
      - id: flag-names
        action: flag
        match: {entities: [PERSON]}
"""
)

MONITORED = policy(
    """
name: unit
rule_sets:
  - name: main
    rules:
      - id: block-secrets
        mode: monitor
        action: block
        match: {entities: [SECRETS]}
"""
)


def inspector(rules: Policy = RULES, scanner: Scanner | None = None) -> PolicyInspector:
    return PolicyInspector(rules, scanner or real_scanner(), fingerprints=KEY)


async def test_blocked_request_carries_the_masked_body() -> None:
    """A blocked call's exception holds the body with the secret as its fingerprint mask."""
    with pytest.raises(RequestBlocked) as caught:
        await inspector().inspect_request(call_info(), chat(f"deploy with {AWS_KEY} now"))
    stored = caught.value.stored_body
    assert stored is not None
    assert stored["messages"][0]["content"] == (
        f"deploy with {KEY.mask('AWS_ACCESS_KEY_ID', AWS_KEY)} now"
    )


async def test_a_token_split_over_two_messages_is_masked_in_both() -> None:
    """A secret found across a message boundary leaves no part of itself in either message."""
    body = chat(f"clone with {GITHUB[:17]}", f"{GITHUB[17:]} please")
    with pytest.raises(RequestBlocked) as caught:
        await inspector().inspect_request(call_info(), body)
    stored = orjson.dumps(caught.value.stored_body).decode()
    assert GITHUB[:17] not in stored
    assert GITHUB[17:] not in stored
    assert "<GITHUB_TOKEN:" in stored


async def test_redacted_and_pseudonymised_spans_are_fingerprinted_flags_are_not() -> None:
    """Redacted and pseudonymised values rest as masks; a flagged name stays as written."""
    text = f"Alice Smith: mail {EMAIL}, SSN {SSN}"
    inspection = await inspector().inspect_request(call_info(), chat(text))
    assert inspection.stored_body is not None
    assert inspection.body is not None
    assert inspection.stored_body["messages"][0]["content"] == (
        f"Alice Smith: mail {KEY.mask('EMAIL_ADDRESS', EMAIL)}, SSN {KEY.mask('US_SSN', SSN)}"
    )
    assert inspection.body["messages"][0]["content"].startswith("Alice Smith: mail <EMAIL")
    answer = f'{{"content": "Sure, I wrote to {EMAIL}."}}'
    assert inspection.stored_response(answer) == (
        f'{{"content": "Sure, I wrote to {KEY.mask("EMAIL_ADDRESS", EMAIL)}."}}'
    )


async def test_monitor_mode_rules_mask_at_rest_but_not_upstream() -> None:
    """A blocking rule in monitor mode lets the secret through to the provider, but the
    log keeps only its fingerprint (no log-only mode that logs the value)."""
    inspection = await inspector(MONITORED).inspect_request(call_info(), chat(f"key {AWS_KEY}"))
    assert inspection.body is None  # forwarded as sent
    assert inspection.stored_body == chat(f"key {KEY.mask('AWS_ACCESS_KEY_ID', AWS_KEY)}")
    assert AWS_KEY not in inspection.stored_response(f"the key {AWS_KEY} works")


def test_stored_masks_hide_values_and_their_json_escapes() -> None:
    """A value with a quote is masked in JSON text too, and the table never shows values."""
    masks = StoredMasks({'Jo "JJ" Doe': "<PERSON:1>"})
    assert masks.response('{"a": "Jo \\"JJ\\" Doe"}') == '{"a": "<PERSON:1>"}'
    assert "Jo" not in repr(masks)


@pytest.mark.parametrize(
    ("rules", "scanner", "text"),
    [
        (RULES, FailingScanner(DetectionUnavailable("down")), f"key {AWS_KEY}"),
        (limited("fail_closed"), None, text_of(1500, start=f"key {AWS_KEY} ")),
    ],
    ids=["detectors-failed-closed", "too-long-to-inspect"],
)
async def test_a_call_blocked_unchecked_stores_its_texts_as_fingerprints(
    rules: Policy, scanner: Scanner | None, text: str
) -> None:
    """Blocked without findings (nothing says where a secret is), each text rests whole
    as ``<UNINSPECTED:fingerprint>``; the rest of the body (model, roles) stays."""
    with pytest.raises(RequestBlocked) as caught:
        await inspector(rules, scanner).inspect_request(call_info(), chat(text, "second"))
    assert caught.value.stored_body == chat(
        KEY.mask(UNINSPECTED, text), KEY.mask(UNINSPECTED, "second")
    )


async def test_a_call_let_through_unchecked_is_stored_as_sent() -> None:
    """Detectors failing open forward the call uninspected: the content mode decides."""
    lenient = limited("fail_open")
    inspection = await inspector(lenient).inspect_request(call_info(), chat(text_of(1500)))
    assert inspection.stored_body is None
