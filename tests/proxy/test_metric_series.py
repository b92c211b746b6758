"""The proxy's Counter and Histogram export exactly the samples prometheus-client's own do
for the same increments and observations, and refuse what the library refuses."""

from __future__ import annotations

import math
from typing import Any

import prometheus_client
import pytest
from prometheus_client import CollectorRegistry

from core.telemetry import KeptSeries, Observe
from proxy.metrics import Counter, Histogram

BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
AMOUNTS = [0.0, 0.004, 0.01, 0.0100001, 0.025, 0.3, 1, 1.0, 4.99, 5, 5.0001, 1e9]
AMOUNTS += [math.inf, -0.5, -math.inf, math.nan, 3, 0.05, 2.5, 1e-12]


def _samples(registry: CollectorRegistry) -> list[tuple[str, dict[str, str], Any]]:
    """Every sample but the creation times, NaN written as a string so it compares."""
    return [
        (s.name, s.labels, "nan" if math.isnan(s.value) else s.value)
        for family in registry.collect()
        for s in family.samples
        if not s.name.endswith("_created")
    ]


def _histograms(kind: type[Any]) -> CollectorRegistry:
    registry = CollectorRegistry()
    labelled = kind("latency", "h", ["team"], buckets=BUCKETS, registry=registry)
    plain = kind("plain", "h", buckets=BUCKETS, registry=registry)
    kept: KeptSeries[Observe] = KeptSeries(labelled)
    for i, amount in enumerate(AMOUNTS):
        labelled.labels("a" if i % 2 else "b").observe(amount)
        kept.labels("c").observe(amount)
        plain.observe(amount)
    labelled.labels("a").observe(0.2, {"trace_id": "t1"})
    return registry


def _counters(kind: type[Any]) -> CollectorRegistry:
    registry = CollectorRegistry()
    labelled = kind("calls", "c", ["team", "model"], registry=registry)
    plain = kind("plain", "c", registry=registry)
    for i, amount in enumerate(a for a in AMOUNTS if a >= 0 and not math.isinf(a)):
        labelled.labels("t", str(i % 3)).inc(amount)
        labelled.labels("t", "default").inc()
        plain.inc(amount)
    labelled.labels("t", "x").inc(2, {"trace_id": "t1"})
    return registry


def test_histogram_samples_equal_the_librarys() -> None:
    """Buckets, counts and sums of labelled and plain histograms are the library's, for
    amounts on and between the bounds, infinities, negatives and NaN."""
    assert _samples(_histograms(Histogram)) == _samples(_histograms(prometheus_client.Histogram))


def test_counter_samples_equal_the_librarys() -> None:
    """Labelled and plain counters sum to what the library's sum to."""
    assert _samples(_counters(Counter)) == _samples(_counters(prometheus_client.Counter))


@pytest.mark.parametrize("kind", [Counter, prometheus_client.Counter])
def test_counters_refuse_what_the_library_refuses(kind: type[Any]) -> None:
    """A negative increment and a parent asked to count are refused, as by the library."""
    counter = kind("calls", "c", ["team"], registry=CollectorRegistry())
    with pytest.raises(ValueError, match="non-negative"):
        counter.labels("t").inc(-1)
    with pytest.raises(ValueError, match="missing label values"):
        counter.inc()


def test_a_parent_histogram_refuses_to_observe() -> None:
    """A labelled histogram's parent cannot observe, as in the library."""
    histogram = Histogram("latency", "h", ["team"], registry=CollectorRegistry())
    with pytest.raises(ValueError, match="missing label values"):
        histogram.observe(1.0)
