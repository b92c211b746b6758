"""The operations dashboard: traffic, latency, errors, tokens, the log pipeline, detectors.

Mostly Prometheus (the proxy's own metrics and the recording rules in
``deploy/prometheus/recording.yml``); two ClickHouse panels show the log pipeline from the
store's side: events arriving per minute, and how old the newest one is.
"""

# These modules write the SQL text of dashboard panels from constants; Grafana, not Python,
# fills in the variables (quoted by its singlequote format). Nothing here runs a query.

from __future__ import annotations

from dashboards.filters import REQUESTS, VOLUME, all_of, any_of, matchers
from dashboards.grafana import PROMETHEUS, Dashboard, Panel, PromQuery, QueryVariable, Row, SqlQuery
from dashboards.spend import OPERATIONS_SPEND

UID = "llm-proxy-ops"

_CALLS = matchers("team", "model", "provider")
_UPSTREAM = matchers("model", "provider")
_RATE = "$__rate_interval"


def _quantiles(metric: str, by: str, selector: str) -> tuple[PromQuery, ...]:
    """p50, p90 and p99 of a histogram, per ``by`` labels (may be empty)."""
    by_labels = f"le, {by}" if by else "le"
    legend = " ".join(f"{{{{{label.strip()}}}}}" for label in by.split(",") if label.strip())
    return tuple(
        PromQuery(
            f"histogram_quantile({q}, sum by ({by_labels}) "
            f"(rate({metric}_bucket{{{selector}}}[{_RATE}])))",
            legend=f"p{round(q * 100)} {legend}".strip(),
        )
        for q in (0.5, 0.9, 0.99)
    )


_TRAFFIC = (
    Row("Traffic"),
    Panel(
        "Calls per second by team",
        "Every call the proxy answered, including refusals, by the caller's team.",
        (
            PromQuery(
                f"sum by (team) (rate(llm_proxy_requests_total{{{_CALLS}}}[{_RATE}]))", "{{team}}"
            ),
        ),
        unit="reqps",
        stacked=True,
    ),
    Panel(
        "Calls per second by decision",
        "allow, redact, pseudonymise, flag, block (policy), reject (auth, register, limits) "
        "and error (upstream or proxy failure).",
        (
            PromQuery(
                f"sum by (decision) (rate(llm_proxy_requests_total{{{_CALLS}}}[{_RATE}]))",
                "{{decision}}",
            ),
        ),
        unit="reqps",
        stacked=True,
    ),
    Panel(
        "Calls per second by provider and model",
        "Where the traffic goes. Models past the label limit are reported as 'other'.",
        (
            PromQuery(
                f"sum by (provider, model) (rate(llm_proxy_requests_total{{{_CALLS}}}[{_RATE}]))",
                "{{provider}} {{model}}",
            ),
        ),
        unit="reqps",
        width=8,
    ),
    Panel(
        "In-flight calls",
        "Calls being handled right now, per proxy instance (streams stay in flight until "
        "their last byte).",
        (PromQuery("sum by (instance) (llm_proxy_in_flight_requests)", "{{instance}}"),),
        width=8,
    ),
    Panel(
        "Proxy instances up",
        "Scrape targets of job llm-proxy that answer (LLMProxyDown fires at zero).",
        (PromQuery('sum(up{job="llm-proxy"})', "up"),),
        kind="stat",
        width=4,
    ),
    Panel(
        "Versions running",
        "Instances per proxy version (llm_proxy_build_info).",
        (PromQuery("count by (version) (llm_proxy_build_info)", "{{version}}"),),
        kind="stat",
        width=4,
    ),
)

_LATENCY = (
    Row("Latency"),
    Panel(
        "Call duration percentiles",
        "From arrival to the last byte sent to the caller, streams included.",
        _quantiles("llm_proxy_request_duration_seconds", "", _CALLS),
        unit="s",
        width=12,
    ),
    Panel(
        "p99 call duration by provider and model",
        "Recording rule provider_model:llm_proxy_request_duration_seconds:p99_5m (the "
        "LLMProxyLatencyP99High alert reads it).",
        (
            PromQuery(
                f"provider_model:llm_proxy_request_duration_seconds:p99_5m{{{_UPSTREAM}}}",
                "{{provider}} {{model}}",
            ),
        ),
        unit="s",
        width=12,
    ),
    Panel(
        "Upstream time to first byte by provider",
        "From forwarding the call to the provider's response headers: the provider's share "
        "of the latency. High here and in call duration means a slow provider.",
        _quantiles("llm_proxy_upstream_ttfb_seconds", "provider", _UPSTREAM),
        unit="s",
        width=12,
    ),
    Panel(
        "Streamed answer duration",
        "From the first to the last byte of streamed answers.",
        _quantiles("llm_proxy_stream_duration_seconds", "", _UPSTREAM),
        unit="s",
        width=12,
    ),
)

_ERRORS = (
    Row("Errors"),
    Panel(
        "Upstream error ratio by provider",
        "Share of routed calls ending in connect errors, timeouts or 5xx answers (recording "
        "rule provider:llm_proxy_upstream_errors:ratio_rate5m; alert at 10%).",
        (
            PromQuery(
                'provider:llm_proxy_upstream_errors:ratio_rate5m{provider=~"$provider"}',
                "{{provider}}",
            ),
        ),
        unit="percentunit",
        width=8,
    ),
    Panel(
        "Upstream errors by kind",
        "Timeouts and 5xx point at the provider; connect errors at our egress.",
        (
            PromQuery(
                "sum by (provider, kind) "
                f"(rate(llm_proxy_upstream_errors_total{{{_UPSTREAM}}}[{_RATE}]))",
                "{{provider}} {{kind}}",
            ),
        ),
        unit="reqps",
        width=8,
    ),
    Panel(
        "Answers by status class",
        "HTTP status classes the callers received.",
        (
            PromQuery(
                f"sum by (status_class) (rate(llm_proxy_requests_total{{{_CALLS}}}[{_RATE}]))",
                "{{status_class}}",
            ),
        ),
        unit="reqps",
        stacked=True,
        width=8,
    ),
    Panel(
        "Authentication failures by reason",
        "Calls refused with 401: unknown, revoked or missing keys.",
        (
            PromQuery(
                f"sum by (reason) (rate(llm_proxy_auth_failures_total[{_RATE}]))", "{{reason}}"
            ),
        ),
        unit="reqps",
    ),
    Panel(
        "Rate-limited calls by team",
        "Calls refused with 429 by the proxy's own per-key and per-team limits.",
        (
            PromQuery(
                "sum by (team, scope) "
                f'(rate(llm_proxy_rate_limited_total{{team=~"$team"}}[{_RATE}]))',
                "{{team}} {{scope}}",
            ),
        ),
        unit="reqps",
    ),
)

_TOKENS = (
    Row("Tokens"),
    Panel(
        "Tokens per second by team and direction",
        "Tokens reported by the providers: input (prompt) and output (completion).",
        (
            PromQuery(
                f"sum by (team, direction) (rate(llm_proxy_tokens_total{{{_CALLS}}}[{_RATE}]))",
                "{{team}} {{direction}}",
            ),
        ),
        stacked=True,
    ),
    Panel(
        "Tokens per second by provider and model",
        "Where token spend goes.",
        (
            PromQuery(
                f"sum by (provider, model) (rate(llm_proxy_tokens_total{{{_CALLS}}}[{_RATE}]))",
                "{{provider}} {{model}}",
            ),
        ),
        stacked=True,
    ),
    Panel(
        "Tokens in the selected time range",
        "Per team, model, provider and direction, over the whole time range.",
        (
            PromQuery(
                "sum by (team, model, provider, direction) "
                f"(increase(llm_proxy_tokens_total{{{_CALLS}}}[$__range]))",
                instant=True,
            ),
        ),
        kind="table",
        width=24,
        hidden_columns=("Time",),
    ),
)

_STORED = all_of(
    "$__timeFilter(minute)",
    any_of("team", "team"),
    any_of("model", "model"),
    any_of("provider", "provider"),
)

_PIPELINE = (
    Row("Log pipeline"),
    Panel(
        "Events waiting in the queue",
        "Events not yet written to ClickHouse. A queue that keeps growing means the writer "
        "cannot keep up (alert LLMProxyLogQueueGrowing).",
        (PromQuery("sum by (instance) (llm_proxy_log_queue_depth)", "{{instance}}"),),
        width=8,
    ),
    Panel(
        "Events held in the on-disk spool",
        "Events kept on disk because ClickHouse is not accepting them; replayed when it is "
        "back (alert LLMProxyLogSpoolGrowing).",
        (PromQuery("sum by (instance) (llm_proxy_log_rows_spooled)", "{{instance}}"),),
        width=8,
    ),
    Panel(
        "Events written vs calls served",
        "Rows written to ClickHouse per second next to calls answered: the two lines should "
        "meet (alert LLMProxyLogWritesStalled when writes stop while calls flow).",
        (
            PromQuery(
                f"sum by (instance) (rate(llm_proxy_log_rows_written_total[{_RATE}]))",
                "written {{instance}}",
            ),
            PromQuery(
                f"sum by (instance) (rate(llm_proxy_requests_total[{_RATE}]))",
                "served {{instance}}",
            ),
        ),
        unit="reqps",
        width=8,
    ),
    Panel(
        "Failed batch writes",
        "Batches ClickHouse refused or could not receive; the events stay spooled and are "
        "retried (alert LLMProxyLogWriteErrors).",
        (
            PromQuery(
                f"sum by (instance) (rate(llm_proxy_log_write_errors_total[{_RATE}]))",
                "{{instance}}",
            ),
        ),
        unit="reqps",
        width=8,
    ),
    Panel(
        "Events dropped",
        "Events that could not be recorded at all (spool full and the overflow policy keeps "
        "serving): missing from the audit trail (alert LLMProxyLogEventsDropped).",
        (
            PromQuery(
                f"sum by (reason) (increase(llm_proxy_log_events_dropped_total[{_RATE}]))",
                "{{reason}}",
            ),
        ),
        bars=True,
        width=8,
    ),
    Panel(
        "Seconds since the newest stored event",
        "From ClickHouse: how old the newest row in the requests table is (within the time "
        "range). Growing while calls flow means events stop reaching the store.",
        (
            SqlQuery(
                f"SELECT dateDiff('second', max(ts), now64(3)) AS lag\n"
                f"FROM {REQUESTS}\nWHERE $__timeFilter(ts)"
            ),
        ),
        kind="stat",
        unit="s",
        width=8,
    ),
    Panel(
        "Events stored per minute by team (ClickHouse)",
        "From the call_volume_1m rollup in ClickHouse: what actually reached the store. "
        "Compare with calls per second above (x60).",
        (
            SqlQuery(
                f"""SELECT
  toStartOfInterval(minute, toIntervalSecond(greatest($__interval_s, 60))) AS time,
  team,
  sum(calls) / (greatest($__interval_s, 60) / 60) AS calls_per_minute
FROM {VOLUME}
WHERE {_STORED}
GROUP BY time, team
ORDER BY time""",
                time_series=True,
            ),
        ),
        width=24,
        stacked=True,
        display_name="${__field.labels.team}",
    ),
)

_DETECTION = (
    Row("Detectors and configuration"),
    Panel(
        "Detection time per inspected text",
        "Detector time per inspected prompt or output, by direction.",
        _quantiles("llm_proxy_detector_duration_seconds", "direction", ""),
        unit="s",
        width=8,
    ),
    Panel(
        "Detector failures by outcome",
        "Scans that timed out or lost their worker; fail_open let the call through "
        "unchecked (alert LLMProxyDetectorFailOpen).",
        (
            PromQuery(
                "sum by (direction, outcome) "
                f"(increase(llm_proxy_detector_failures_total[{_RATE}]))",
                "{{direction}} {{outcome}}",
            ),
        ),
        bars=True,
        width=8,
    ),
    Panel(
        "Scan cache hit ratio",
        "Share of texts answered from the scan cache (chat clients resend their history).",
        (
            PromQuery(
                'sum(rate(llm_proxy_detector_cache_lookups_total{result="hit"}'
                f"[{_RATE}])) / sum(rate(llm_proxy_detector_cache_lookups_total[{_RATE}]))",
                "hit ratio",
            ),
        ),
        unit="percentunit",
        width=8,
    ),
    Panel(
        "Busy detector workers",
        "Detector worker processes scanning right now, per instance; at the pool size, scans "
        "queue and latency grows.",
        (PromQuery("sum by (instance) (llm_proxy_detector_pool_busy_workers)", "{{instance}}"),),
        width=12,
    ),
    Panel(
        "Configuration reloads",
        "Hot reloads of keys, register or policy, by outcome; a failure keeps the previous "
        "version active (alert LLMProxyConfigReloadFailed).",
        (
            PromQuery(
                f"sum by (what, outcome) (increase(llm_proxy_config_reloads_total[{_RATE}]))",
                "{{what}} {{outcome}}",
            ),
        ),
        bars=True,
        width=12,
    ),
)


def _label_values(label: str) -> str:
    return f"label_values(llm_proxy_requests_total, {label})"


OPERATIONS = Dashboard(
    uid=UID,
    title="LLM proxy: operations",
    description="Traffic, latency, errors and tokens through the proxy, the health of the "
    "event log pipeline, detectors and configuration reloads.",
    time_from="now-6h",
    refresh="30s",
    variables=(
        QueryVariable("team", "Team", PROMETHEUS, _label_values("team")),
        QueryVariable("model", "Model", PROMETHEUS, _label_values("model")),
        QueryVariable("provider", "Provider", PROMETHEUS, _label_values("provider")),
    ),
    items=(*_TRAFFIC, *_LATENCY, *_ERRORS, *_TOKENS, *OPERATIONS_SPEND, *_PIPELINE, *_DETECTION),
)
