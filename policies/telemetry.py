"""Counting policy outcomes in the proxy's Prometheus metrics (optional, injected)."""

from __future__ import annotations

from collections.abc import Iterable

from detectors.base import Finding
from policies.engine import RuleMatch
from proxy.metrics import Metrics


def count_findings(metrics: Metrics | None, findings: Iterable[Finding], direction: str) -> None:
    """Count each finding once in ``detector_findings_total{entity_type,direction}``."""
    if metrics is None:
        return
    for finding in findings:
        metrics.detector_findings_total.labels(finding.entity_type, direction).inc()


def count_matches(metrics: Metrics | None, matches: Iterable[RuleMatch]) -> None:
    """Count each rule match in ``policy_actions_total{action,rule,direction,mode}``."""
    if metrics is None:
        return
    for match in matches:
        metrics.policy_actions_total.labels(
            match.action.value, match.rule_id, match.direction.value, match.mode.value
        ).inc()


def count_detection_failure(metrics: Metrics | None, direction: str, blocked: bool) -> None:
    """Count a detection that could not decide, by the outcome the policy applied
    (``detector_failures_total{direction,outcome}``; alerts watch fail-open events)."""
    if metrics is None:
        return
    outcome = "fail_closed" if blocked else "fail_open"
    metrics.detector_failures_total.labels(direction, outcome).inc()
