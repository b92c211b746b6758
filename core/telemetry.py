"""The metrics each subsystem below the proxy counts, as narrow Protocols.

The proxy's one metrics class (``proxy.metrics.Metrics``, Prometheus) satisfies them; a
lower layer names only the series it touches and never imports the exporter.
"""

from __future__ import annotations

from typing import Protocol


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
