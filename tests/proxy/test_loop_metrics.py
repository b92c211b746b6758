"""The call metrics' lock-free series (``LoopCounter``, ``LoopHistogram``) export exactly
the library's samples, take no lock per update, keep the library's samples in its
multiprocess mode, and are used only for metrics no thread but the event loop's changes."""

from __future__ import annotations

import math
import threading
from typing import Any

import prometheus_client
import pytest
from prometheus_client import CollectorRegistry, values

from proxy.metrics import LoopCounter, LoopHistogram, Metrics
from tests.proxy.test_metric_series import AMOUNTS, BUCKETS, _counters, _histograms, _samples

#: Metrics changed outside the event loop: a reload thread, the event log writer.
OFF_LOOP = {
    "config_reloads_total",
    "log_rows_written_total",
    "log_write_errors_total",
    "log_events_dropped_total",
}


def test_loop_histogram_samples_equal_the_librarys() -> None:
    """Buckets, counts and sums of a LoopHistogram are the library's, NaN and infinities
    included, with and without an exemplar."""
    assert _samples(_histograms(LoopHistogram)) == _samples(
        _histograms(prometheus_client.Histogram)
    )


def test_loop_counter_samples_equal_the_librarys() -> None:
    """Labelled and plain LoopCounters sum to what the library's sum to."""
    assert _samples(_counters(LoopCounter)) == _samples(_counters(prometheus_client.Counter))


def test_loop_counters_refuse_what_the_library_refuses() -> None:
    """A negative increment and a parent asked to count are refused, as by the library."""
    counter = LoopCounter("calls", "c", ["team"], registry=CollectorRegistry())
    with pytest.raises(ValueError, match="non-negative"):
        counter.labels("t").inc(-1)
    with pytest.raises(ValueError, match="missing label values"):
        counter.inc()
    histogram = LoopHistogram("latency", "h", ["team"], registry=CollectorRegistry())
    with pytest.raises(ValueError, match="missing label values"):
        histogram.observe(1.0)


class _CountingLock:
    """A lock that counts how often it is taken."""

    def __init__(self) -> None:
        self.taken = 0
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        self.taken += 1
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def _locks(*samples: Any) -> list[_CountingLock]:
    counted = []
    for sample in samples:
        sample._lock = _CountingLock()
        counted.append(sample._lock)
    return counted


def test_loop_series_update_without_their_locks() -> None:
    """An increment or observation of a loop-only series takes no lock; a library one does."""
    registry = CollectorRegistry()
    counter = LoopCounter("calls", "c", ["team"], registry=registry).labels("t")
    histogram = LoopHistogram("lat", "h", ["team"], buckets=BUCKETS, registry=registry).labels("t")
    locks = _locks(counter._value, histogram._sum, *histogram._buckets)
    library = prometheus_client.Counter("lib", "c", ["team"], registry=registry).labels("t")
    (library_lock,) = _locks(library._value)
    for amount in AMOUNTS:
        if amount >= 0 and not math.isinf(amount):
            counter.inc(amount)
            library.inc(amount)
        histogram.observe(amount)
    assert [lock.taken for lock in locks] == [0] * len(locks)
    assert library_lock.taken > 0


def test_multiprocess_samples_keep_the_librarys_class(monkeypatch: pytest.MonkeyPatch) -> None:
    """When prometheus-client's samples are not its in-process MutexValue (its multiprocess
    mode), a loop-only series keeps them and counts through them."""

    class Shared(values.MutexValue):
        """Stands for the multiprocess mode's file-backed sample."""

    monkeypatch.setattr(values, "ValueClass", Shared)
    registry = CollectorRegistry()
    counter = LoopCounter("calls", "c", ["team"], registry=registry).labels("t")
    histogram = LoopHistogram("lat", "h", ["team"], buckets=BUCKETS, registry=registry).labels("t")
    counter.inc(2)
    histogram.observe(0.3)
    assert type(counter._value) is Shared
    assert {type(histogram._sum)} | {type(b) for b in histogram._buckets} == {Shared}
    # prometheus-client leaves MutexValue.get unannotated (its Counter types _value as it).
    assert counter._value.get() == 2  # type: ignore[no-untyped-call]
    assert histogram._sum.get() == 0.3


def test_only_loop_metrics_are_lock_free() -> None:
    """Metrics another thread changes keep the library's locked samples; the per-call ones
    (the pipeline's and the policy's) are loop-only."""
    metrics = Metrics()
    loop_only = {
        name
        for name, metric in vars(metrics).items()
        if isinstance(metric, LoopCounter | LoopHistogram)
    }
    assert not loop_only & OFF_LOOP
    assert {
        "requests_total",
        "request_duration_seconds",
        "upstream_ttfb_seconds",
        "tokens_total",
        "detector_duration_seconds",
        "policy_actions_total",
    } <= loop_only
