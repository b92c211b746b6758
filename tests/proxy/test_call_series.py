"""A call's kept series bundle (``Metrics.call_series``) exports exactly the samples that
``labels()`` on each metric gives for the same calls, and makes no series a call did not touch."""

from __future__ import annotations

import math
from typing import Any

from prometheus_client import CollectorRegistry

from proxy import metrics as metrics_module
from proxy.metrics import Metrics

#: team, model, provider, endpoint, decision, status class, ttfb, prompt and completion
#: tokens, cost (None: unpriced).
CALLS: list[tuple[str, str, str, str, str, str, float, int, int, float | None]] = [
    ("t1", "gpt-4o", "openai", "chat", "allow", "2xx", 0.01, 230, 12, 0.002),
    ("t1", "gpt-4o", "openai", "chat", "allow", "2xx", 0.3, 0, 0, 0.0),
    ("t1", "gpt-4o", "openai", "chat", "block", "4xx", 0.0, 0, 0, 0.0),
    ("t2", "gpt-4o", "openai", "chat", "allow", "2xx", 2.0, 5, 0, None),
    ("t2", "claude", "anthropic", "messages", "redact", "2xx", 0.05, 0, 40, None),
    ("t2", "claude", "anthropic", "messages", "allow", "5xx", 0.05, 7, 3, 1.5),
    ("", "other", "openai", "embeddings", "allow", "2xx", 0.001, 9, 0, 0.0001),
]


def _samples(registry: CollectorRegistry) -> list[tuple[str, dict[str, str], Any]]:
    """Every sample but the creation times."""
    return [
        (s.name, s.labels, "nan" if math.isnan(s.value) else s.value)
        for family in registry.collect()
        for s in family.samples
        if not s.name.endswith("_created")
    ]


def _through_labels(m: Metrics) -> None:
    """The calls counted as the recording stage counted them before the bundle."""
    for team, model, provider, endpoint, decision, status, ttfb, prompt, completion, cost in CALLS:
        m.requests_total.labels(team, model, provider, endpoint, decision, status).inc()
        m.request_duration_seconds.labels(team, model, provider, endpoint).observe(ttfb * 2)
        m.upstream_ttfb_seconds.labels(provider, model).observe(ttfb)
        if prompt:
            m.tokens_total.labels(team, model, provider, "input").inc(prompt)
        if completion:
            m.tokens_total.labels(team, model, provider, "output").inc(completion)
        if cost is None:
            m.unpriced_calls_total.labels(model, provider).inc()
        elif cost:
            m.cost_total.labels(team, model, provider).inc(cost)


def _through_bundle(m: Metrics) -> None:
    """The same calls through ``Metrics.call_series``."""
    for team, model, provider, endpoint, decision, status, ttfb, prompt, completion, cost in CALLS:
        series = m.call_series[team, model, provider, endpoint]
        series.requests(decision, status).inc()
        series.duration.observe(ttfb * 2)
        series.observe_ttfb(ttfb)
        series.count_tokens(prompt, completion)
        series.count_cost(cost)


def test_the_bundle_exports_the_samples_labels_gives() -> None:
    """The same calls give the same samples, in the same order, either way."""
    reference, bundled = Metrics(), Metrics()
    _through_labels(reference)
    _through_bundle(bundled)
    assert _samples(bundled.registry) == _samples(reference.registry)


def test_a_call_without_tokens_or_cost_adds_no_such_series() -> None:
    """A call with no tokens and a zero cost exports no tokens_total, cost_total or
    unpriced_calls_total series (a bundle that made its children eagerly would)."""
    m = Metrics()
    series = m.call_series["t", "gpt-4o", "openai", "chat"]
    series.requests("allow", "2xx").inc()
    series.count_tokens(0, 0)
    series.count_cost(0.0)
    names = {name for name, _, _ in _samples(m.registry)}
    assert not names & {"llm_proxy_tokens_total", "llm_proxy_cost_total"}
    assert "llm_proxy_unpriced_calls_total" not in names
    assert "llm_proxy_requests_total" in names


def test_bundles_start_over_past_their_limit_and_keep_counting(monkeypatch: Any) -> None:
    """Past CALL_SERIES_KEPT label sets the kept bundles start over, and a bundle made
    again counts into the same exported series."""
    monkeypatch.setattr(metrics_module, "CALL_SERIES_KEPT", 2)
    m = Metrics()
    for team in ("a", "b", "c", "a"):
        m.call_series[team, "gpt-4o", "openai", "chat"].requests("allow", "2xx").inc()
    assert len(m.call_series) <= 2
    counted = m.registry.get_sample_value(
        "llm_proxy_requests_total",
        {
            "team": "a",
            "model": "gpt-4o",
            "provider": "openai",
            "endpoint": "chat",
            "decision": "allow",
            "status_class": "2xx",
        },
    )
    assert counted == 2
