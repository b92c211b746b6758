"""Every Prometheus metric the proxy exports, defined in one place.

Dashboards and alert rules are checked against these names. Labels are bounded sets
(team, model, provider, decision, ...): never user ids, prompt text or other unbounded values.
Teams and models come from configuration (the register and the keys file), so their number
is bounded by what an operator wrote down.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry, Gauge, Info
from prometheus_client import Counter as _LibraryCounter
from prometheus_client import Histogram as _LibraryHistogram
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.metrics_core import Metric
from prometheus_client.values import MutexValue

from core.telemetry import KeptSeries

PREFIX = "llm_proxy_"

# Latency buckets span fast embeddings (tens of ms) to long generations (minutes).
_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
_DETECTOR_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)

_M = TypeVar("_M", bound=MetricWrapperBase)


class Counter(_LibraryCounter):
    """prometheus-client's ``Counter``, whose labelled series count without asking on every
    increment whether they are one (``_raise_if_not_observable``: two calls and a third of
    an increment's interpreted work). The same samples; anything else (a counter without
    labels, an exemplar, a parent asked to count) takes the library's own path."""

    def inc(self, amount: float = 1, exemplar: dict[str, str] | None = None) -> None:
        if exemplar or not self._labelvalues:
            super().inc(amount, exemplar)
            return
        if amount < 0:
            raise ValueError("Counters can only be incremented by non-negative amounts.")
        self._value.inc(amount)


class Histogram(_LibraryHistogram):
    """prometheus-client's ``Histogram``, whose labelled series observe without the
    observability check and find their bucket by bisection instead of a scan of the
    bounds. The same samples (a NaN lands in no bucket, as in the library); anything else
    takes the library's own path."""

    def observe(self, amount: float, exemplar: dict[str, str] | None = None) -> None:
        if exemplar or not self._labelvalues:
            super().observe(amount, exemplar)
            return
        self._sum.inc(amount)
        bounds = self._upper_bounds  # ascending, +Inf last
        i = bisect_left(bounds, amount)  # the first bound >= amount
        if amount <= bounds[i]:  # False only for NaN (then i is 0)
            self._buckets[i].inc(1)


class _LoopSample(MutexValue):
    """A sample only one thread ever changes: added to without taking its lock.

    prometheus-client guards every sample with a mutex of its own (``MutexValue``), so that
    threads counting the same series lose no increment; acquiring and releasing it was
    about a sixth of the proxy's metric work per call (issue 11). The loop-only metrics
    below are changed by the event loop's thread alone, so no two increments can
    interleave; a scrape (another thread) still reads under the lock, and a float
    attribute is read whole. Sum and buckets of a histogram were never read atomically
    together: each sample had its own lock, as here."""

    def __init__(self) -> None:
        # MutexValue ignores its arguments (names and labels are for the mmap'd variant);
        # the library leaves its __init__ unannotated.
        super().__init__("", "", "", (), (), "")  # type: ignore[no-untyped-call]

    def inc(self, amount: float) -> None:
        self._value += amount


def _single_writer(value: object) -> _LoopSample | None:
    """A lock-free sample in place of ``value``, unless prometheus-client is in its
    multiprocess mode (samples in shared files: those keep their own class)."""
    return _LoopSample() if type(value) is MutexValue else None


class LoopCounter(Counter):
    """A :class:`Counter` whose labelled series are incremented on the event loop only
    (every call metric): each adds to a :class:`_LoopSample` directly, with no lock and no
    further call. The same samples; a parent, an exemplar or the multiprocess mode take
    the library's path. NOT for a metric any other thread changes (a reload thread's
    ``config_reloads_total``, the event log writer's counters): increments would be lost."""

    _sample: _LoopSample | None = None

    def _metric_init(self) -> None:
        super()._metric_init()
        sample = _single_writer(self._value)
        if sample is not None:
            self._value = self._sample = sample

    def inc(self, amount: float = 1, exemplar: dict[str, str] | None = None) -> None:
        sample = self._sample
        if sample is None or exemplar:
            super().inc(amount, exemplar)
            return
        if amount < 0:
            raise ValueError("Counters can only be incremented by non-negative amounts.")
        sample._value += amount


class LoopHistogram(Histogram):
    """A :class:`Histogram` whose labelled series observe on the event loop only, into
    :class:`_LoopSample` sum and buckets (see :class:`LoopCounter`: the same samples, and
    NOT for a metric another thread observes)."""

    _loop_sum: _LoopSample | None = None
    _loop_buckets: tuple[_LoopSample, ...] = ()

    def _metric_init(self) -> None:
        super()._metric_init()
        total = _single_writer(self._sum)
        if total is not None:
            buckets = tuple(_LoopSample() for _ in self._buckets)
            self._sum, self._buckets = total, list(buckets)
            self._loop_sum, self._loop_buckets = total, buckets

    def observe(self, amount: float, exemplar: dict[str, str] | None = None) -> None:
        total = self._loop_sum
        if total is None or exemplar:
            super().observe(amount, exemplar)
            return
        total._value += amount
        bounds = self._upper_bounds  # ascending, +Inf last
        i = bisect_left(bounds, amount)  # the first bound >= amount
        if amount <= bounds[i]:  # False only for NaN (then i is 0)
            self._loop_buckets[i]._value += 1


class ScrapedGauge(Gauge):
    """A labelled gauge whose series are recomputed from a source at every scrape.

    For state derived from configuration and the clock (a register entry falls overdue at
    midnight without any event): the source returns label value → sample, and series no
    longer in it disappear. Without a source the gauge keeps what was set on it.
    """

    _source: Callable[[], Mapping[str, float] | Mapping[tuple[str, ...], float]] | None = None

    def watch(
        self, source: Callable[[], Mapping[str, float] | Mapping[tuple[str, ...], float]]
    ) -> None:
        """Read series from ``source`` at every scrape: label value (or a tuple of them,
        for several labels) → sample."""
        self._refresh_lock = threading.Lock()
        self._source = source

    def collect(self) -> Iterable[Metric]:
        if self._source is not None:
            values = self._source()
            with self._refresh_lock:
                self.clear()
                for label, value in values.items():
                    labels = label if isinstance(label, tuple) else (label,)
                    self.labels(*labels).set(value)
        return super().collect()


class _Kept(dict[Any, KeptSeries[Any]]):
    """Metric -> its :class:`~core.telemetry.KeptSeries`, made when first asked for."""

    def __missing__(self, metric: Any) -> KeptSeries[Any]:
        kept: KeptSeries[Any] = KeptSeries(metric)
        self[metric] = kept
        return kept


#: Call-series bundles kept; past this (not expected: the labels are bounded sets) they start over.
CALL_SERIES_KEPT = 1024


class CallSeries:
    """The series one (team, model, provider, endpoint) updates on every call, looked up once.

    Each child is made on first use, as ``labels()`` would make it then: a series that no
    call touched is not exported (a call without tokens adds no ``tokens_total`` series).
    ``requests_total`` adds two labels (decision, status class), kept in a dictionary.
    """

    __slots__ = (
        "_key",
        "_m",
        "_requests",
        "_ttfb",
        "cost",
        "duration",
        "tokens_in",
        "tokens_out",
        "unpriced",
    )

    def __init__(self, metrics: Metrics, team: str, model: str, provider: str, endpoint: str):
        self._m = metrics
        self._key = (team, model, provider, endpoint)
        self._requests: dict[tuple[str, str], Any] = {}
        self.duration = metrics.request_duration_seconds.labels(*self._key)
        self._ttfb: Any = None
        self.tokens_in: Any = None
        self.tokens_out: Any = None
        self.cost: Any = None
        self.unpriced: Any = None

    def requests(self, decision: str, status_class: str) -> Any:
        """``requests_total`` under this call's labels and ``decision``, ``status_class``."""
        child = self._requests.get((decision, status_class))
        if child is None:
            child = self._m.requests_total.labels(*self._key, decision, status_class)
            self._requests[decision, status_class] = child
        return child

    def observe_ttfb(self, seconds: float) -> None:
        """``upstream_ttfb_seconds`` under this call's provider and model."""
        if self._ttfb is None:
            _, model, provider, _ = self._key
            self._ttfb = self._m.upstream_ttfb_seconds.labels(provider, model)
        self._ttfb.observe(seconds)

    def count_tokens(self, prompt: int, completion: int) -> None:
        """``tokens_total`` by direction, for the directions with tokens."""
        team, model, provider, _ = self._key
        if prompt:
            if self.tokens_in is None:
                self.tokens_in = self._m.tokens_total.labels(team, model, provider, "input")
            self.tokens_in.inc(prompt)
        if completion:
            if self.tokens_out is None:
                self.tokens_out = self._m.tokens_total.labels(team, model, provider, "output")
            self.tokens_out.inc(completion)

    def count_cost(self, cost: float | None) -> None:
        """``cost_total`` (a known, non-zero cost) or ``unpriced_calls_total`` (None)."""
        team, model, provider, _ = self._key
        if cost is None:
            if self.unpriced is None:
                self.unpriced = self._m.unpriced_calls_total.labels(model, provider)
            self.unpriced.inc()
        elif cost:
            if self.cost is None:
                self.cost = self._m.cost_total.labels(team, model, provider)
            self.cost.inc(cost)


class _CallSeriesKept(dict[tuple[str, str, str, str], CallSeries]):
    """(team, model, provider, endpoint) -> its :class:`CallSeries`, made when first asked for."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__()
        self._metrics = metrics

    def __missing__(self, key: tuple[str, str, str, str]) -> CallSeries:
        if len(self) >= CALL_SERIES_KEPT:
            self.clear()
        series = CallSeries(self._metrics, *key)
        self[key] = series
        return series


class Metrics:
    """The proxy's metrics, registered on ``registry`` (a fresh one per test)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        #: Each labelled metric with its children kept: ``kept[m].labels(*values)`` is
        #: ``m.labels(*values)``, looked up once per label set (see :meth:`bound`).
        self.kept: _Kept = _Kept()
        #: Each (team, model, provider, endpoint)'s :class:`CallSeries`:
        #: ``call_series[team, model, provider, endpoint]``, one lookup a call.
        self.call_series: _CallSeriesKept = _CallSeriesKept(self)
        r = self.registry
        p = PREFIX
        # The call metrics are LoopCounter and LoopHistogram: the pipeline, the policy and
        # the relay change them on the event loop only. Counters another thread changes
        # (reloads, the event log writer) keep the library's locked samples.
        self.build_info = Info(f"{p}build", "Proxy version.", registry=r)
        self.requests_total = LoopCounter(
            f"{p}requests_total",
            "Calls handled, by outcome.",
            ["team", "model", "provider", "endpoint", "decision", "status_class"],
            registry=r,
        )
        self.request_duration_seconds = LoopHistogram(
            f"{p}request_duration_seconds",
            "Time from request arrival to the last byte sent to the caller.",
            ["team", "model", "provider", "endpoint"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.upstream_ttfb_seconds = LoopHistogram(
            f"{p}upstream_ttfb_seconds",
            "Time from forwarding a request to the provider's response headers.",
            ["provider", "model"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.upstream_errors_total = LoopCounter(
            f"{p}upstream_errors_total",
            "Upstream failures: connect errors, timeouts, 5xx answers.",
            ["provider", "model", "kind"],
            registry=r,
        )
        self.in_flight_requests = Gauge(
            f"{p}in_flight_requests", "Calls currently being handled.", registry=r
        )
        self.tokens_total = LoopCounter(
            f"{p}tokens_total",
            "Tokens reported by providers, by direction (input or output).",
            ["team", "model", "provider", "direction"],
            registry=r,
        )
        self.cost_total = LoopCounter(
            f"{p}cost_total",
            "What calls cost, from the provider's reported usage and the model's price, in"
            " the currency pricing.currency names (USD by default).",
            ["team", "model", "provider"],
            registry=r,
        )
        self.unpriced_calls_total = LoopCounter(
            f"{p}unpriced_calls_total",
            "Answered calls whose model has no known price (its cost is unknown, not zero).",
            ["model", "provider"],
            registry=r,
        )
        self.rate_limited_total = Counter(
            f"{p}rate_limited_total",
            "Calls refused with 429 by the proxy's own limits.",
            ["team", "scope"],
            registry=r,
        )
        self.limiter_up = Gauge(
            f"{p}limiter_up",
            "1 while the rate-limit backend answers, 0 while it is unreachable.",
            ["backend"],
            registry=r,
        )
        self.limiter_unavailable_total = Counter(
            f"{p}limiter_unavailable_total",
            "Calls decided without the rate-limit backend (it was unreachable), by outcome"
            " (admitted: limits.redis.on_unavailable open; refused: closed).",
            ["backend", "outcome"],
            registry=r,
        )
        self.auth_failures_total = LoopCounter(
            f"{p}auth_failures_total", "Calls refused with 401.", ["reason"], registry=r
        )
        # Set by proxy/call/auth.py from the keys file (callbacks read at scrape time).
        self.virtual_keys_active = Gauge(
            f"{p}virtual_keys_active",
            "Virtual keys that authenticate now: not disabled, revoked or past a grace period.",
            registry=r,
        )
        self.auth_lockout = Gauge(
            f"{p}auth_lockout",
            "1 while virtual keys are required but none is active, so every call gets 401.",
            registry=r,
        )
        self.register_denials_total = LoopCounter(
            f"{p}register_denials_total",
            "Calls for models that are not in the register, not approved or not entitled.",
            ["team", "reason"],
            registry=r,
        )
        self.policy_actions_total = LoopCounter(
            f"{p}policy_actions_total",
            "Policy rule matches, by action taken and rule id.",
            ["action", "rule", "direction", "mode"],
            registry=r,
        )
        self.policy_blocked_entities_total = LoopCounter(
            f"{p}policy_blocked_entities_total",
            "Findings that caused an enforced block, by entity type: one per blocked call and "
            "entity type, however many findings or rules of that type blocked it.",
            ["entity_type", "direction"],
            registry=r,
        )
        self.detector_findings_total = LoopCounter(
            f"{p}detector_findings_total",
            "Detector findings, by entity type and direction.",
            ["entity_type", "direction"],
            registry=r,
        )
        self.detector_duration_seconds = LoopHistogram(
            f"{p}detector_duration_seconds",
            "Detection time per inspected request or output.",
            ["direction"],
            buckets=_DETECTOR_BUCKETS,
            registry=r,
        )
        self.detector_failures_total = LoopCounter(
            f"{p}detector_failures_total",
            "Detection that could not decide (timeout, worker crash), by the outcome applied.",
            ["direction", "outcome"],
            registry=r,
        )
        self.detector_cache_lookups_total = Counter(
            f"{p}detector_cache_lookups_total",
            "Scan cache lookups by result (hit or miss); texts are cached by content hash.",
            ["result"],
            registry=r,
        )
        self.detector_pool_busy_workers = Gauge(
            f"{p}detector_pool_busy_workers",
            "Detector worker processes currently scanning.",
            registry=r,
        )
        self.detector_pool_ready_workers = Gauge(
            f"{p}detector_pool_ready_workers",
            "Detector worker processes loaded, warmed up and ready to scan, spares included.",
            registry=r,
        )
        self.detector_loads_total = Counter(
            f"{p}detector_loads_total",
            "Sets of detectors loaded (spaCy model and patterns, then warmed up): one per "
            "worker process started (spares and replacements included) and the proxy's own.",
            registry=r,
        )
        self.stream_duration_seconds = LoopHistogram(
            f"{p}stream_duration_seconds",
            "Duration of streamed answers, from first to last byte relayed.",
            ["provider", "model"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        # Computed at scrape time from the live register and the clock (proxy/config/register.py).
        self.register_review_overdue = ScrapedGauge(
            f"{p}register_review_overdue",
            "1 for a register model whose review_by date has passed, else 0.",
            ["model"],
            registry=r,
        )
        self.budget_used_ratio = ScrapedGauge(
            f"{p}budget_used_ratio",
            "Share of a spend budget used in its current period (1 = used up), per budget and"
            " subject (team, key id or app) seen since the proxy started.",
            ["budget", "subject"],
            registry=r,
        )
        self.budget_warn_ratio = ScrapedGauge(
            f"{p}budget_warn_ratio",
            "The warn_at share of each configured budget (alert when used_ratio reaches it).",
            ["budget"],
            registry=r,
        )
        self.config_reloads_total = Counter(
            f"{p}config_reloads_total",
            "Hot reloads of keys, register or policy, by what and outcome.",
            ["what", "outcome"],
            registry=r,
        )
        # The event log pipeline (see proxy/store).
        self.log_queue_depth = Gauge(
            f"{p}log_queue_depth", "Events waiting to be written to the log store.", registry=r
        )
        self.log_rows_written_total = Counter(
            f"{p}log_rows_written_total", "Events written to the log store.", registry=r
        )
        self.log_rows_spooled = Gauge(
            f"{p}log_rows_spooled",
            "Events held in the on-disk spool, not yet committed to the log store.",
            registry=r,
        )
        self.log_write_errors_total = Counter(
            f"{p}log_write_errors_total",
            "Failed attempts to write a batch to the log store.",
            registry=r,
        )
        self.log_events_dropped_total = Counter(
            f"{p}log_events_dropped_total",
            "Events that could not be recorded (spool full and policy is keep-serving).",
            ["reason"],
            registry=r,
        )

    def bound(self, metric: _M, *labels: str) -> _M:
        """``metric.labels(*labels)``, looked up once per label set: the request path updates
        the same few series on every call, and ``labels()`` validates and locks each time.
        Not for metrics whose series are removed (a :class:`ScrapedGauge`)."""
        bound: _M = self.kept[metric].labels(*labels)
        return bound
