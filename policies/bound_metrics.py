"""The policy's metrics with each labelled series looked up once, not on every call.

Every inspected call observes ``detector_duration_seconds{direction}`` once per direction,
and counts findings and rule matches under a few label sets. A Prometheus ``labels()``
call validates its values and takes a lock each time (about 1.5 us); the series a policy
touches are few (directions, entity types, its rules), so :class:`BoundPolicyMetrics`
keeps each child once asked for it. Series of these metrics are never removed, so a kept
child stays the one exported.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from core.telemetry import (
    Count,
    LabelledCounter,
    LabelledHistogram,
    Observe,
    PolicyMetrics,
)

#: Label sets kept per metric; past this (not expected: the values are bounded) it starts over.
SERIES_KEPT = 1024

_Child = TypeVar("_Child", Count, Observe)


class _Series(Generic[_Child]):
    """A labelled metric whose children are kept by their label values."""

    __slots__ = ("_children", "_labelled")

    def __init__(self, labelled: LabelledCounter | LabelledHistogram) -> None:
        self._labelled = labelled
        self._children: dict[tuple[str, ...], _Child] = {}

    def labels(self, *labelvalues: str) -> _Child:
        kept = self._children.get(labelvalues)
        if kept is not None:
            return kept
        if len(self._children) >= SERIES_KEPT:
            self._children.clear()
        # The wrapped metric's kind is the child's (a counter's children count, a
        # histogram's observe): the union of the two protocols cannot say so.
        child: _Child = self._labelled.labels(*labelvalues)  # type: ignore[assignment]
        self._children[labelvalues] = child
        return child


class BoundPolicyMetrics:
    """``metrics`` (a :class:`~core.telemetry.PolicyMetrics`) with kept label children."""

    def __init__(self, metrics: PolicyMetrics) -> None:
        self.wrapped = metrics
        self._findings: _Series[Count] = _Series(metrics.detector_findings_total)
        self._duration: _Series[Observe] = _Series(metrics.detector_duration_seconds)
        self._failures: _Series[Count] = _Series(metrics.detector_failures_total)
        self._actions: _Series[Count] = _Series(metrics.policy_actions_total)
        self._blocked: _Series[Count] = _Series(metrics.policy_blocked_entities_total)

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
