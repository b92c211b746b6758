"""The policy's metrics with each labelled series looked up once, not on every call.

Every inspected call observes ``detector_duration_seconds{direction}`` once per direction,
and counts findings and rule matches under a few label sets. A Prometheus ``labels()``
call validates its values and takes a lock each time (about 1.5 us); the series a policy
touches are few (directions, entity types, its rules), so :class:`BoundPolicyMetrics`
keeps each child once asked for it, in a :class:`core.telemetry.KeptSeries` (the same
keeping as the proxy's call metrics). Series of these metrics are never removed, so a kept
child stays the one exported.
"""

from __future__ import annotations

from core.telemetry import (
    Count,
    KeptSeries,
    LabelledCounter,
    LabelledHistogram,
    Observe,
    PolicyMetrics,
)

#: Label sets kept per metric; past this (not expected: the values are bounded) it starts over.
SERIES_KEPT = 1024


class BoundPolicyMetrics:
    """``metrics`` (a :class:`~core.telemetry.PolicyMetrics`) with kept label children."""

    def __init__(self, metrics: PolicyMetrics) -> None:
        self.wrapped = metrics
        kept = SERIES_KEPT
        self._findings: KeptSeries[Count] = KeptSeries(metrics.detector_findings_total, kept)
        self._duration: KeptSeries[Observe] = KeptSeries(metrics.detector_duration_seconds, kept)
        self._failures: KeptSeries[Count] = KeptSeries(metrics.detector_failures_total, kept)
        self._actions: KeptSeries[Count] = KeptSeries(metrics.policy_actions_total, kept)
        self._blocked: KeptSeries[Count] = KeptSeries(metrics.policy_blocked_entities_total, kept)

    @property
    def detector_findings_total(self) -> LabelledCounter:
        return self._findings

    @property
    def detector_duration_seconds(self) -> LabelledHistogram:
        return self._duration

    @property
    def detector_failures_total(self) -> LabelledCounter:
        return self._failures

    @property
    def policy_actions_total(self) -> LabelledCounter:
        return self._actions

    @property
    def policy_blocked_entities_total(self) -> LabelledCounter:
        return self._blocked

    @property
    def config_reloads_total(self) -> LabelledCounter:
        # Counted once per reload, not per call: nothing to keep.
        return self.wrapped.config_reloads_total


def bound_metrics(metrics: PolicyMetrics | None) -> PolicyMetrics | None:
    """``metrics`` with kept label children (itself when it keeps them already)."""
    if metrics is None or isinstance(metrics, BoundPolicyMetrics):
        return metrics
    return BoundPolicyMetrics(metrics)
