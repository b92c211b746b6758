"""The policy inspector on prompts and whole answers: block, mask, restore, fail open/closed."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from core.inspection import Action, OutputBlocked
from detectors.errors import DetectionTimeout, DetectionUnavailable
from detectors.service import ScanService
from detectors.settings import DetectorSettings
from policies.inspector import PolicyInspector, RequestBlocked
from policies.scanning import with_policy_recognizers
from proxy.call.apis import Api
from proxy.metrics import Metrics
from tests.policies.factories import (
    AWS_KEY,
    EMAIL,
    OPENAI_KEY,
    OTHER_EMAIL,
    SSN,
    CannedScanner,
    FailingScanner,
    call_info,
    chat,
    policy,
    real_scanner,
)
from tests.policies.pattern_detection import cached_pack

RULES = policy(
    """
name: unit
rule_sets:
  - name: main
    rules:
      - id: block-secrets
        direction: both
        action: block
        match: {entities: [SECRETS]}
      - id: pseudo-contact
        action: pseudonymise
        match: {entities: [EMAIL_ADDRESS]}
      - id: redact-ssn
        direction: both
        action: redact
        match: {entities: [US_SSN]}
"""
)


def answer(text: str) -> dict[str, Any]:
    return {"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]}


async def test_secret_in_prompt_is_blocked_without_revealing_it() -> None:
    """A secret blocks the request: 403 policy_violation with rule id and type, not the value."""
    inspector = PolicyInspector(RULES, real_scanner())
    with pytest.raises(RequestBlocked) as caught:
        await inspector.inspect_request(call_info(), chat(f"my key is {OPENAI_KEY}"))
    error = caught.value
    assert (error.status, error.code) == (403, "policy_violation")
    body = error.body()["error"]
    assert body["rules"] == ["block-secrets"]
    assert body["entity_types"] == ["OPENAI_API_KEY"]
    assert OPENAI_KEY not in str(body)
    assert error.verdict.action is Action.BLOCK


async def test_pseudonymised_values_go_upstream_as_placeholders_and_come_back() -> None:
    """E-mail addresses are consistent placeholders upstream and real values in the answer."""
    inspector = PolicyInspector(RULES, real_scanner())
    body = chat(f"write to {EMAIL}", f"and {OTHER_EMAIL}, cc {EMAIL}")
    original = copy.deepcopy(body)
    inspection = await inspector.inspect_request(call_info(), body)
    assert inspection.verdict.action is Action.PSEUDONYMISE
    assert inspection.verdict.rules == ("pseudo-contact",)
    sent = inspection.body
    assert sent is not None
    assert [m["content"] for m in sent["messages"]] == [
        "write to <EMAIL_ADDRESS_1>",
        "and <EMAIL_ADDRESS_2>, cc <EMAIL_ADDRESS_1>",
    ]
    assert body == original
    verdict, rewritten = await inspection.output.inspect_body(
        answer("Sent to <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>.")
    )
    assert rewritten is not None
    assert rewritten["choices"][0]["message"]["content"] == f"Sent to {EMAIL} and {OTHER_EMAIL}."
    assert verdict.action is Action.ALLOW


async def test_redact_masks_the_prompt() -> None:
    """A redact rule replaces the value with its entity type before it goes upstream."""
    inspector = PolicyInspector(RULES, real_scanner())
    inspection = await inspector.inspect_request(call_info(), chat(f"ssn {SSN} ok"))
    assert inspection.body is not None
    assert inspection.body["messages"][0]["content"] == "ssn <US_SSN> ok"
    assert inspection.verdict.action is Action.REDACT


async def test_clean_prompt_is_forwarded_unchanged() -> None:
    """A prompt without findings is allowed and not rewritten."""
    inspector = PolicyInspector(RULES, real_scanner())
    inspection = await inspector.inspect_request(call_info(), chat("hello there"))
    assert (inspection.verdict.action, inspection.body) == (Action.ALLOW, None)


async def test_output_is_redacted_before_the_caller_sees_it() -> None:
    """A redact rule on answers masks the value in a non-stream answer."""
    inspector = PolicyInspector(RULES, real_scanner())
    inspection = await inspector.inspect_request(call_info(), chat("hi"))
    verdict, rewritten = await inspection.output.inspect_body(answer(f"The SSN is {SSN}."))
    assert rewritten is not None
    assert rewritten["choices"][0]["message"]["content"] == "The SSN is <US_SSN>."
    assert (verdict.action, verdict.rules) == (Action.REDACT, ("redact-ssn",))


async def test_output_with_a_secret_is_blocked() -> None:
    """A blocking rule on answers raises OutputBlocked with the rule and entity type."""
    inspector = PolicyInspector(RULES, real_scanner())
    inspection = await inspector.inspect_request(call_info(), chat("hi"))
    with pytest.raises(OutputBlocked) as caught:
        await inspection.output.inspect_body(answer(f"use {AWS_KEY}"))
    assert caught.value.extra == {"rules": ["block-secrets"], "entity_types": ["AWS_ACCESS_KEY_ID"]}
    assert AWS_KEY not in caught.value.message


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (DetectionTimeout("slow"), "detector_timeout"),
        (DetectionUnavailable("dead"), "detector_unavailable"),
    ],
)
async def test_detector_failure_fails_closed_for_blocking_rule_sets(
    error: Exception, reason: str
) -> None:
    """When detection fails and the rule set blocks, the request is blocked with a reason."""
    inspector = PolicyInspector(RULES, FailingScanner(error))  # type: ignore[arg-type]
    with pytest.raises(RequestBlocked) as caught:
        await inspector.inspect_request(call_info(), chat("anything"))
    assert caught.value.extra == {
        "rules": ["detector_failed"],
        "entity_types": [],
        "reason": reason,
    }


async def test_detector_failure_fails_open_when_configured() -> None:
    """With fail_open the request goes through unchanged, flagged detector_failed."""
    lenient = policy(
        """
name: lenient
rule_sets:
  - name: main
    on_detector_failure: fail_open
    rules:
      - id: block-secrets
        direction: both
        action: block
        match: {entities: [SECRETS]}
"""
    )
    metrics = Metrics(CollectorRegistry())
    inspector = PolicyInspector(lenient, FailingScanner(DetectionTimeout("slow")), metrics=metrics)
    inspection = await inspector.inspect_request(call_info(), chat("anything"))
    assert inspection.verdict.action is Action.FLAG
    failures = "llm_proxy_detector_failures_total"
    labels = {"direction": "input", "outcome": "fail_open"}
    assert metrics.registry.get_sample_value(failures, labels) == 1.0
    assert inspection.verdict.rules == ("detector_failed",)
    assert inspection.body is None
    verdict, rewritten = await inspection.output.inspect_body(answer("fine"))
    assert (verdict.rules, rewritten) == (("detector_failed",), None)


async def test_output_detector_failure_fails_closed() -> None:
    """When detection fails on an answer and the rule set blocks, the answer is blocked."""
    scanner = CannedScanner()
    inspector = PolicyInspector(RULES, scanner)
    inspection = await inspector.inspect_request(call_info(), chat("hello"))
    inspection.output._scanner = FailingScanner(DetectionTimeout("slow"))  # type: ignore[attr-defined]
    with pytest.raises(OutputBlocked) as caught:
        await inspection.output.inspect_body(answer("text"))
    assert caught.value.extra["rules"] == ["detector_failed"]


async def test_no_applicable_rules_means_no_scan() -> None:
    """When no rule applies to the caller, the prompt is not scanned at all."""
    scoped = policy(
        """
name: scoped
rule_sets:
  - name: main
    rules:
      - id: hr-only
        action: block
        match: {teams: [hr], entities: [PERSON]}
"""
    )
    scanner = CannedScanner()
    inspector = PolicyInspector(scoped, scanner)
    inspection = await inspector.inspect_request(call_info(team="finance"), chat("hello"))
    assert inspection.verdict.action is Action.ALLOW
    assert scanner.calls == []


async def test_metrics_count_actions_findings_and_detection_time() -> None:
    """Rule matches, findings and detection time are counted, labelled by direction."""
    metrics = Metrics(CollectorRegistry())
    inspector = PolicyInspector(RULES, real_scanner(), metrics=metrics)
    await inspector.inspect_request(call_info(), chat(f"to {EMAIL}"))
    with pytest.raises(RequestBlocked):
        await inspector.inspect_request(call_info(), chat(OPENAI_KEY))
    sample = metrics.registry.get_sample_value
    labels = {"action": "pseudonymise", "rule": "pseudo-contact", "direction": "input"}
    assert sample("llm_proxy_policy_actions_total", {**labels, "mode": "enforce"}) == 1
    blocked = {"action": "block", "rule": "block-secrets", "direction": "input", "mode": "enforce"}
    assert sample("llm_proxy_policy_actions_total", blocked) == 1
    found = {"entity_type": "EMAIL_ADDRESS", "direction": "input"}
    assert sample("llm_proxy_detector_findings_total", found) == 1
    assert sample("llm_proxy_detector_duration_seconds_count", {"direction": "input"}) == 2


async def test_metrics_count_blocked_entities_only_for_enforced_blocks() -> None:
    """An enforced block counts its entity types once per call; a monitor-mode block, even
    in a call that another rule blocks, counts nothing."""
    mixed = policy(
        """
name: mixed
rule_sets:
  - name: main
    rules:
      - id: block-openai-keys
        action: block
        match: {entities: [OPENAI_API_KEY]}
      - id: block-secrets
        action: block
        match: {entities: [OPENAI_API_KEY, GITHUB_TOKEN]}
      - id: would-block-aws-keys
        action: block
        mode: monitor
        match: {entities: [AWS_ACCESS_KEY_ID]}
"""
    )
    metrics = Metrics(CollectorRegistry())
    inspector = PolicyInspector(mixed, real_scanner(), metrics=metrics)
    inspection = await inspector.inspect_request(call_info(), chat(f"key {AWS_KEY}"))
    assert inspection.verdict.action is Action.FLAG
    with pytest.raises(RequestBlocked):
        await inspector.inspect_request(call_info(), chat(f"{OPENAI_KEY} {AWS_KEY} {OPENAI_KEY}"))
    sample = metrics.registry.get_sample_value
    blocked = "llm_proxy_policy_blocked_entities_total"
    openai_key = {"entity_type": "OPENAI_API_KEY", "direction": "input"}
    # Two findings, two blocking rules, one blocked call.
    assert sample("llm_proxy_detector_findings_total", openai_key) == 2
    assert sample(blocked, openai_key) == 1
    assert sample(blocked, {"entity_type": "AWS_ACCESS_KEY_ID", "direction": "input"}) is None
    monitored = {
        "action": "block",
        "rule": "would-block-aws-keys",
        "direction": "input",
        "mode": "monitor",
    }
    assert sample("llm_proxy_policy_actions_total", monitored) == 2


async def test_default_pack_decisions() -> None:
    """The default pack blocks ID numbers, pseudonymises contacts and flags names."""
    inspector = PolicyInspector(cached_pack(), real_scanner())
    with pytest.raises(RequestBlocked) as caught:
        await inspector.inspect_request(call_info(), chat(f"my ssn is {SSN}"))
    assert caught.value.extra["rules"] == ["block-national-ids"]
    inspection = await inspector.inspect_request(call_info(), chat(f"Alice Smith <{EMAIL}>"))
    assert inspection.verdict.rules == ("pseudonymise-contact-details", "flag-names-and-places")
    assert inspection.body is not None
    assert inspection.body["messages"][0]["content"] == "Alice Smith <<EMAIL_ADDRESS_1>>"


async def test_monitor_only_pack_changes_nothing() -> None:
    """The monitor-only pack records a secret as monitor:block-secrets and lets it pass."""
    inspector = PolicyInspector(cached_pack("monitor-only"), real_scanner())
    inspection = await inspector.inspect_request(call_info(), chat(f"key {OPENAI_KEY} {EMAIL}"))
    assert inspection.verdict.action is Action.FLAG
    assert inspection.verdict.rules == (
        "monitor:block-secrets",
        "monitor:pseudonymise-contact-details",
    )
    assert inspection.body is None


async def test_attachment_rule_blocks_images() -> None:
    """The strict pack's attachment rule blocks a prompt that carries an image."""
    inspector = PolicyInspector(cached_pack("strict"), real_scanner(cached_pack("strict")))
    body = {
        "model": "m",
        "messages": [
            {
                "role": "user",
                "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}],
            }
        ],
    }
    with pytest.raises(RequestBlocked) as caught:
        await inspector.inspect_request(call_info(Api.CHAT), body)
    assert caught.value.extra["rules"] == ["block-attachments"]


async def test_custom_recognizer_from_the_policy_blocks() -> None:
    """A keyword list declared in the policy (strict pack) feeds a blocking rule."""
    strict = cached_pack("strict")
    inspector = PolicyInspector(strict, real_scanner(strict))
    body = chat("Summarise this STRICTLY   Confidential memo")
    with pytest.raises(RequestBlocked) as caught:
        await inspector.inspect_request(call_info(region="eu"), body)
    assert caught.value.extra["entity_types"] == ["CLASSIFICATION_MARKING"]


async def test_tool_arguments_and_tool_inputs_are_masked_in_place() -> None:
    """Values inside tool-call arguments and Anthropic tool inputs are pseudonymised."""
    inspector = PolicyInspector(RULES, real_scanner())
    body = {
        "model": "claude",
        "messages": [
            {
                "role": "assistant",
                "content": [
                    {"type": "tool_use", "id": "t", "name": "mail", "input": {"to": EMAIL}}
                ],
            },
            {"role": "user", "content": f"and cc {EMAIL}"},
        ],
    }
    inspection = await inspector.inspect_request(call_info(Api.MESSAGES), body)
    assert inspection.body is not None
    assert inspection.body["messages"][0]["content"][0]["input"] == {"to": "<EMAIL_ADDRESS_1>"}
    assert inspection.body["messages"][1]["content"] == "and cc <EMAIL_ADDRESS_1>"


async def test_allow_rule_is_recorded_without_changing_anything() -> None:
    """An allow rule that matches is recorded and the call proceeds unchanged."""
    allow = policy(
        """
name: allow
rule_sets:
  - name: m
    rules: [{id: note-email, action: allow, match: {entities: [EMAIL_ADDRESS]}}]
"""
    )
    inspection = await PolicyInspector(allow, real_scanner()).inspect_request(
        call_info(), chat(EMAIL)
    )
    assert (inspection.verdict.action, inspection.verdict.rules) == (Action.ALLOW, ("note-email",))
    assert inspection.body is None


async def test_policy_recognizers_reach_the_detection_service() -> None:
    """A detection service built with the policy's recognizers detects its custom types."""
    strict = cached_pack("strict")
    base = DetectorSettings.model_validate(
        {"enabled": ["secrets", "custom"], "service": {"workers": 0}}
    )
    async with ScanService(with_policy_recognizers(base, strict)) as service:
        inspector = PolicyInspector(strict, service)
        with pytest.raises(RequestBlocked) as caught:
            await inspector.inspect_request(call_info(), chat("account CUST-0012345 please"))
    assert caught.value.extra["entity_types"] == ["CUSTOMER_ACCOUNT"]
