"""The last stage of every call: record its event, settle what it spent, count it.

One event per call goes to the sink; the budget reservation is settled to the real cost,
the tokens are charged to the rate limits the call was admitted under, the call metrics are
updated and one access-log line is written. All of it reads the one :class:`CallEvent`.
"""

from __future__ import annotations

from proxy.call.events import CallEvent
from proxy.call.record import CallRecord
from proxy.labels import OTHER
from proxy.logs import LineLogger
from proxy.services import Services

log = LineLogger("llm_proxy.access")

_AUTH_ERRORS = frozenset({"missing_api_key", "invalid_api_key"})
_REGISTER_ERRORS = frozenset(
    {"model_not_found", "model_not_approved", "model_not_entitled", "path_not_allowed"}
)
#: ``status_class`` of the statuses a proxy answers with (others are formatted per call).
_STATUS_CLASSES = {status: f"{status // 100}xx" for status in range(100, 600)}


def account(services: Services, call: CallRecord, latency: float) -> None:
    """Record the event, charge tokens, update metrics and write the access log line."""
    call.recorded = True
    event = call.to_event(latency)
    if call.reservation.charges:
        services.tasks.spawn(services.budgets.settle(call.reservation, event.cost), name="budget")
    services.sink.record(event)
    tokens = event.prompt_tokens + event.completion_tokens
    if call.limit_subjects and tokens:
        services.tasks.spawn(
            services.limiter.charge_tokens(call.limit_subjects, tokens), name="charge_tokens"
        )
    _count(services, call, event, latency)
    _access_log(event)


def _count(services: Services, call: CallRecord, event: CallEvent, latency: float) -> None:
    """Update the call metrics. The series of the call's (team, model, provider, endpoint)
    are one kept bundle (``Metrics.call_series``); the others are kept per label set
    (``Metrics.kept``): a dictionary lookup each instead of ``labels()``."""
    m = services.metrics
    kept = m.kept
    # A call no route took (refused by the register) named a model nothing bounds: callers
    # invent names, and a refused one may be anything (h137).
    model = services.model_label(event.model) if call.route else OTHER if event.model else ""
    provider = event.provider
    series = m.call_series[event.team, model, provider, call.api.value]
    status_class = _STATUS_CLASSES.get(event.status_code) or f"{event.status_code // 100}xx"
    series.requests(event.decision, status_class).inc()
    series.duration.observe(latency)
    ttfb = call.relay.ttfb
    if event.upstream_status:
        series.observe_ttfb(ttfb)
    series.count_tokens(event.prompt_tokens, event.completion_tokens)
    series.count_cost(event.cost)
    error = event.error
    if error in _AUTH_ERRORS:
        kept[m.auth_failures_total].labels(error).inc()
    elif error in _REGISTER_ERRORS:
        kept[m.register_denials_total].labels(event.team, error).inc()
    if event.stream and event.upstream_status == 200:
        kept[m.stream_duration_seconds].labels(provider, model).observe(max(0.0, latency - ttfb))
    if error.startswith("upstream") or event.upstream_status >= 500:
        kind = error or f"http_{event.upstream_status}"
        kept[m.upstream_errors_total].labels(provider, model, kind).inc()


def _access_log(event: CallEvent) -> None:
    """One line per call: ids, names, numbers and codes, never content."""
    log.info(
        "call",
        request_id=event.request_id,
        method=event.method,
        path=event.endpoint,
        status=event.status_code,
        upstream_status=event.upstream_status,
        user=event.user,
        team=event.team,
        app=event.app,
        key_id=event.key_id,
        model=event.model,
        provider=event.provider,
        stream=event.stream,
        decision=event.decision,
        rules=list(event.rules),
        entity_types=list(event.entity_types),
        prompt_tokens=event.prompt_tokens,
        completion_tokens=event.completion_tokens,
        latency_ms=event.latency_ms,
        ttfb_ms=event.ttfb_ms,
        error=event.error,
    )
