"""Counting policy outcomes in the proxy's Prometheus metrics (optional, injected)."""

from __future__ import annotations

from collections.abc import Iterable

from core.inspection import Action
from core.scanning import Finding
from core.telemetry import PolicyMetrics
from policies.engine import RuleMatch
from policies.model import Mode


def count_findings(
    metrics: PolicyMetrics | None, findings: Iterable[Finding], direction: str
) -> None:
    """Count each finding once in ``detector_findings_total{entity_type,direction}``."""
    if metrics is None:
        return
    for finding in findings:
        metrics.detector_findings_total.labels(finding.entity_type, direction).inc()


def count_matches(metrics: PolicyMetrics | None, matches: Iterable[RuleMatch]) -> None:
    """Count each rule match in ``policy_actions_total{action,rule,direction,mode}``, and
    each entity type an enforced rule blocked in ``policy_blocked_entities_total``.

    ``matches`` are one call's matches in one direction (one decision): an entity type counts
    once however many of its findings, or rules, blocked the call. Monitor-mode rules only
    count as actions: they blocked nothing.
    """
    if metrics is None:
        return
    blocked: set[tuple[str, str]] = set()
    for match in matches:
        metrics.policy_actions_total.labels(
            match.action.value, match.rule_id, match.direction.value, match.mode.value
        ).inc()
        if match.mode is Mode.ENFORCE and match.action is Action.BLOCK:
            blocked.update((entity, match.direction.value) for entity in match.entity_counts)
    for entity_type, direction in sorted(blocked):
        metrics.policy_blocked_entities_total.labels(entity_type, direction).inc()


def count_detection_failure(metrics: PolicyMetrics | None, direction: str, blocked: bool) -> None:
    """Count a detection that could not decide, by the outcome the policy applied
    (``detector_failures_total{direction,outcome}``; alerts watch fail-open events)."""
    if metrics is None:
        return
    outcome = "fail_closed" if blocked else "fail_open"
    metrics.detector_failures_total.labels(direction, outcome).inc()
