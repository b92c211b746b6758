"""The metrics each subsystem below the proxy counts, as narrow Protocols.

The proxy's one metrics class (``proxy.metrics.Metrics``, Prometheus) satisfies them; a
lower layer names only the series it touches and never imports the exporter.
:class:`KeptSeries` keeps a labelled metric's children per label set, for every layer
(the proxy's call metrics and the policy's use the same one).
"""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar


class Count(Protocol):
    """One labelled series of a counter."""

    def inc(self, amount: float = 1) -> None: ...


class Observe(Protocol):
    """One labelled series of a histogram."""

    def observe(self, amount: float) -> None: ...


class LabelledCounter(Protocol):
    def labels(self, *labelvalues: str) -> Count: ...


class LabelledHistogram(Protocol):
    def labels(self, *labelvalues: str) -> Observe: ...


class PolicyMetrics(Protocol):
    """What the acceptable-use policy counts (names as exported, ``llm_proxy_`` prefixed)."""

    @property
    def detector_findings_total(self) -> LabelledCounter:
        """Labels: entity_type, direction."""
        ...

    @property
    def detector_duration_seconds(self) -> LabelledHistogram:
        """Labels: direction."""
        ...

    @property
    def detector_failures_total(self) -> LabelledCounter:
        """Labels: direction, outcome."""
        ...

    @property
    def policy_actions_total(self) -> LabelledCounter:
        """Labels: action, rule, direction, mode."""
        ...

    @property
    def policy_blocked_entities_total(self) -> LabelledCounter:
        """Labels: entity_type, direction."""
        ...

    @property
    def config_reloads_total(self) -> LabelledCounter:
        """Labels: what, outcome."""
        ...


_Child = TypeVar("_Child", Count, Observe)

#: Label sets kept per metric by default; past this (not expected: label values are bounded
#: sets) the kept children start over.
SERIES_KEPT = 1024


class KeptSeries(Generic[_Child]):
    """A labelled metric whose children are looked up once per label set, then kept.

    A Prometheus ``labels()`` call validates its values and takes a lock each time (about
    1.5 us); the series a call touches are few and the same from call to call. The proxy's
    call metrics (``proxy.metrics.Metrics.bound``) and the policy's
    (``policies.bound_metrics``) both keep their children here. Only for metrics whose
    series are never removed: a kept child must stay the one exported.
    """

    __slots__ = ("_children", "_limit", "labelled")

    def __init__(self, labelled: LabelledCounter | LabelledHistogram, limit: int = SERIES_KEPT):
        self.labelled = labelled
        self._limit = limit
        self._children: dict[tuple[str, ...], _Child] = {}

    def labels(self, *labelvalues: str) -> _Child:
        """The child for ``labelvalues``, as ``labelled.labels(*labelvalues)`` returns it."""
        kept = self._children.get(labelvalues)
        if kept is not None:
            return kept
        if len(self._children) >= self._limit:
            self._children.clear()
        # The wrapped metric's kind is the child's (a counter's children count, a
        # histogram's observe): the union of the two protocols cannot say so.
        child: _Child = self.labelled.labels(*labelvalues)  # type: ignore[assignment]
        self._children[labelvalues] = child
        return child
