"""How the scan service reports each scan's wall time: a callback, or a histogram.

``Metrics.detector_duration_seconds`` (a prometheus Histogram labelled by ``direction``)
is adapted by :func:`histogram_observer`; tests pass a plain callback.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class DurationObserver(Protocol):
    """Receives the wall time of each ``scan`` call (cache hits included), in seconds."""

    def __call__(self, seconds: float, direction: str) -> None: ...


class _Observation(Protocol):
    def observe(self, amount: float) -> None: ...


@runtime_checkable
class LabelledHistogram(Protocol):
    """What ``Metrics.detector_duration_seconds`` (a prometheus Histogram) provides."""

    def labels(self, **labelkwargs: str) -> _Observation: ...


def histogram_observer(histogram: LabelledHistogram) -> DurationObserver:
    """A ``DurationObserver`` feeding a histogram labelled by ``direction``."""

    def observe(seconds: float, direction: str) -> None:
        histogram.labels(direction=direction).observe(seconds)

    return observe
