"""The policy's metrics through kept label children count exactly what the registry would
without them: across calls, across policy versions, and past the number of kept series."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry

from policies import bound_metrics as bound_module
from policies.bound_metrics import BoundPolicyMetrics, bound_metrics
from policies.engine import PolicyEngine
from policies.inspector import PolicyInspector
from proxy.metrics import Metrics
from tests.policies.factories import EMAIL, SSN, call_info, chat, policy, real_scanner

RULES = policy(
    """
name: counted
rule_sets:
  - name: main
    rules:
      - id: flag-contact
        action: flag
        match: {entities: [EMAIL_ADDRESS]}
      - id: redact-ssn
        action: redact
        match: {entities: [US_SSN]}
"""
)


async def test_counts_accumulate_in_the_exported_series_across_policy_versions() -> None:
    """Calls inspected under the policy at start and under a reloaded version of it count
    into the same exported series."""
    metrics = Metrics(CollectorRegistry())
    first = PolicyInspector(RULES, real_scanner(), metrics=metrics)
    reloaded = first.with_engine(PolicyEngine(RULES))
    for inspector in (first, reloaded, first):
        await inspector.inspect_request(call_info(), chat(f"mail {EMAIL} ssn {SSN}"))
    sample = metrics.registry.get_sample_value
    flagged = {"action": "flag", "rule": "flag-contact", "direction": "input", "mode": "enforce"}
    assert sample("llm_proxy_policy_actions_total", flagged) == 3
    found = {"entity_type": "US_SSN", "direction": "input"}
    assert sample("llm_proxy_detector_findings_total", found) == 3
    assert sample("llm_proxy_detector_duration_seconds_count", {"direction": "input"}) == 3


def test_counts_stay_exact_past_the_kept_series(monkeypatch: pytest.MonkeyPatch) -> None:
    """More label sets than are kept: the kept children start over and nothing is lost."""
    monkeypatch.setattr(bound_module, "SERIES_KEPT", 2)
    metrics = Metrics(CollectorRegistry())
    bound = BoundPolicyMetrics(metrics)
    types = ["EMAIL_ADDRESS", "US_SSN", "PERSON", "IBAN_CODE", "CREDIT_CARD"]
    for _ in range(3):
        for entity_type in types:
            bound.detector_findings_total.labels(entity_type, "output").inc()
    for entity_type in types:
        labels = {"entity_type": entity_type, "direction": "output"}
        assert metrics.registry.get_sample_value("llm_proxy_detector_findings_total", labels) == 3


def test_wrapping_is_done_once() -> None:
    """No metrics stay none, and kept children are not wrapped a second time."""
    metrics = Metrics(CollectorRegistry())
    once = bound_metrics(metrics)
    assert isinstance(once, BoundPolicyMetrics)
    assert bound_metrics(once) is once
    assert bound_metrics(None) is None
