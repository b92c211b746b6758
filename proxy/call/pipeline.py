"""The request pipeline for ``/v1/*``: authenticate, route, limit, inspect, relay, record.

One handler runs every API call through the same stages. Each stage raises a
:class:`~proxy.errors.ProxyError` to refuse the call; the error becomes the OpenAI error
shape in one place here, and every call, refused or not, ends as one recorded event.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
import structlog
from aiohttp import web

from core.identity import Identity
from core.inspection import (
    ALLOW,
    Action,
    CallInfo,
    OutputBlocked,
    PolicyBlocked,
    RequestInspection,
    RequestInspector,
    Verdict,
    unchanged,
)
from proxy.call.admission import admit, reserve_budget
from proxy.call.apis import (
    INSPECTED_PATHS,
    USAGE_OPTION_APIS,
    Api,
    Usage,
    api_family_for_path,
    api_for_path,
)
from proxy.call.budgets import NOTHING_RESERVED, BudgetExceeded, Reservation
from proxy.call.events import CallEvent
from proxy.call.limits import Subject
from proxy.call.multipart import FormBody
from proxy.call.paths import canonical_path
from proxy.call.pricing import cost_of, price_of
from proxy.call.providers import build_upstream
from proxy.call.relay import ClientGone, RelayJob, RelayOutcome
from proxy.call.request_body import parse_body, read_body
from proxy.config.register import Register, Route
from proxy.config.settings import ModelEntry, PricingConfig, Settings
from proxy.config.snapshot import ConfigSnapshot
from proxy.errors import (
    BadRequest,
    ProxyError,
    ServiceUnavailable,
    error_response,
)
from proxy.services import SERVICES, Services
from proxy.store.settings import ContentMode

log = structlog.get_logger("llm_proxy.access")

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")
_AUTH_ERRORS = frozenset({"missing_api_key", "invalid_api_key"})
_REGISTER_ERRORS = frozenset(
    {"model_not_found", "model_not_approved", "model_not_entitled", "path_not_allowed"}
)
#: Status recorded when the caller went away before the answer was complete (nginx's 499).
CLIENT_CLOSED = 499


def new_request_id() -> str:
    """A time-ordered UUIDv7 (RFC 9562) as 32 hex digits."""
    ms = time.time_ns() // 1_000_000
    rand = uuid.uuid4().int
    value = (ms << 80) | (0x7 << 76) | (rand & ((1 << 76) - 1))
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant bits
    return f"{value:032x}"


def client_request_id(request: web.Request) -> str:
    """The caller's ``x-request-id`` when it is a sane id, else "".

    It is recorded for correlation only: the event id is always the proxy's own, because a
    caller-chosen id need not be unique (and ``logs show`` must find exactly one call).
    """
    supplied = request.headers.get("x-request-id", "")
    return supplied if _SANE_REQUEST_ID.match(supplied) else ""


@dataclass(slots=True)
class CallRecord:
    """The event under construction while a call runs."""

    request_id: str
    ts: datetime
    method: str
    endpoint: str
    client_ip: str
    #: The configuration the call runs under, taken once at its start (a reload in flight
    #: does not change it).
    snapshot: ConfigSnapshot
    identity: Identity | None = None
    api: Api = Api.OTHER
    route: Route | None = None
    model: str = ""
    upstream_model: str = ""
    stream: bool = False
    status: int = 0
    error: str = ""
    #: The request body as the event log keeps it: as received, or with the spans the
    #: policy blocked, redacted or pseudonymised replaced by their fingerprint masks.
    prompt: bytes = b""
    forwarded: bytes = b""
    #: Masks the same values in the recorded answer.
    stored_response: Callable[[str], str] = unchanged
    request_verdict: Verdict = ALLOW
    relay: RelayOutcome = field(default_factory=RelayOutcome)
    started: float = field(default_factory=time.perf_counter)
    #: Set once the event went to the sink: a call is recorded exactly once.
    recorded: bool = False
    #: Log content mode for this call ("" = the store's default).
    content_mode: str = ""
    client_request_id: str = ""
    #: The budget reservation made before the call went upstream, settled when recorded.
    reservation: Reservation = NOTHING_RESERVED
    #: The rate limits the call was admitted under; its tokens are charged to the same.
    limit_subjects: tuple[Subject, ...] = ()

    @property
    def verdict(self) -> Verdict:
        return self.request_verdict.merge(self.relay.verdict)

    def keep_at_rest(
        self, stored_body: Any | None, response: Callable[[str], str] = unchanged
    ) -> None:
        """Record ``stored_body`` (when the inspector masked spans) instead of the body
        received, and mask the answer with ``response``."""
        if stored_body is not None:
            self.prompt = orjson.dumps(stored_body)
        self.stored_response = response

    def decision(self) -> str:
        if self.error == "policy_violation" or self.verdict.action is Action.BLOCK:
            return Action.BLOCK.value
        if self.error == BudgetExceeded.code:
            return "budget"
        if self.error and self.status >= 400:
            return "error" if self.status >= 500 or self.status == CLIENT_CLOSED else "reject"
        return self.verdict.action.value

    def cost(self, pricing: PricingConfig) -> float | None:
        """What the call cost (0 when no provider answered it), None when unpriced."""
        if self.route is None or not 200 <= self.relay.upstream_status < 300:
            return 0.0
        price = price_of(self.route, self.upstream_model, pricing)
        return None if price is None else cost_of(self.relay.usage, price)

    def to_event(self, latency: float, cost: float | None = 0.0) -> CallEvent:
        ident = self.identity
        verdict = self.verdict
        return CallEvent(
            request_id=self.request_id,
            ts=self.ts,
            user=ident.user if ident else "",
            team=ident.team if ident else "",
            app=ident.app if ident else "",
            key_id=ident.key_id if ident else "",
            client_ip=self.client_ip,
            method=self.method,
            endpoint=self.endpoint,
            provider=self.route.provider_name if self.route else "",
            model=self.model,
            upstream_model=self.upstream_model,
            stream=self.stream,
            status_code=self.status,
            upstream_status=self.relay.upstream_status,
            decision=self.decision(),
            rules=verdict.rules,
            entity_types=tuple(sorted(verdict.entity_counts)),
            entity_counts=dict(verdict.entity_counts),
            prompt=self.prompt.decode("utf-8", errors="replace"),
            prompt_forwarded=self.forwarded.decode("utf-8", errors="replace"),
            response=self.stored_response(self.relay.output),
            prompt_tokens=self.relay.usage.prompt_tokens,
            completion_tokens=self.relay.usage.completion_tokens,
            latency_ms=round(latency * 1000, 3),
            ttfb_ms=round(self.relay.ttfb * 1000, 3),
            error=self.error or self.relay.stream_error,
            content_mode=self.content_mode,
            client_request_id=self.client_request_id,
            cost=cost,
        )


async def handle_api(request: web.Request) -> web.StreamResponse:
    """Handle one ``/v1/*`` call from arrival to recorded event."""
    services = request.app[SERVICES]
    call = CallRecord(
        request_id=new_request_id(),
        client_request_id=client_request_id(request),
        ts=services.clock(),
        method=request.method,
        # Replaced by the canonical path once it is decided; a refused path is recorded
        # as sent, clipped.
        endpoint=request.path[:256],
        client_ip=request.remote or "",
        snapshot=services.snapshot,
    )
    services.metrics.in_flight_requests.inc()
    try:
        response = await _run(request, services, call)
        call.status = response.status
        return response
    except ProxyError as exc:
        call.status, call.error = exc.status, exc.code
        if isinstance(exc, OutputBlocked):
            call.relay.verdict = exc.verdict
        elif isinstance(exc, PolicyBlocked):
            call.request_verdict = exc.verdict
            call.keep_at_rest(exc.stored_body)
        return error_response(exc, request_id=call.request_id)
    except (ClientGone, asyncio.CancelledError):
        call.status, call.error = CLIENT_CLOSED, "client_disconnected"
        raise
    except Exception:
        # A bug of ours: answer in the error shape, keep the event, log the traceback.
        log.exception("internal_error", request_id=call.request_id)
        call.error = "internal_error"
        if call.relay.started:
            # The answer's status line is out: a second response would corrupt it. Let
            # aiohttp close the connection; the caller sees a truncated answer.
            call.status = call.relay.upstream_status
            raise
        call.status = 500
        return error_response(
            ProxyError("The proxy failed to handle this request."), request_id=call.request_id
        )
    finally:
        services.metrics.in_flight_requests.dec()
        if not call.recorded:
            _finish(services, call, time.perf_counter() - call.started)


def _record_now(services: Services, call: CallRecord, status: int) -> None:
    """Record a streamed call before its last byte goes out (see ``RelayJob.before_eof``)."""
    call.status = status
    _finish(services, call, time.perf_counter() - call.started)


async def _run(request: web.Request, services: Services, call: CallRecord) -> web.StreamResponse:
    # SECURITY: the path is canonical before anything reads it, and exactly this path is
    # forwarded (issue 8: "/v1/x/../chat/completions" was relayed as chat, uninspected).
    path = call.endpoint = canonical_path(request.rel_url.raw_path, inspected=INSPECTED_PATHS)
    caller = services.authenticator.authenticate(request.headers, call.snapshot.keys)
    identity = call.identity = caller.identity
    api = call.api = api_for_path(path)
    snapshot = call.snapshot
    settings, register = snapshot.settings, snapshot.register
    raw = call.prompt = await read_body(request, settings.max_body_bytes, settings.timeouts)
    body = await parse_body(request, api, raw)
    if api is Api.MODELS and not register.is_open:
        return list_models(path, register, identity, call.request_id)
    model = body.get("model") if isinstance(body, dict | FormBody) else None
    if api not in (Api.OTHER, Api.MODELS) and not (isinstance(model, str) and model):
        raise BadRequest("You must provide a model parameter.", param="model")
    call.model = model if isinstance(model, str) else ""
    family = api_family_for_path(path)
    if call.model:
        route = register.resolve(call.model, family, identity)
    else:  # model-less pass-through paths (files, model list in an open register)
        register.check_path(path)
        entry = ModelEntry.model_construct(name="", provider=family.value)
        provider = settings.providers[family.value]
        route = Route(entry=entry, provider_name=family.value, provider=provider, listed=False)
    call.route = route
    call.content_mode = content_mode_for(settings, identity, route.entry)
    call.upstream_model = route.entry.target_model
    call.stream = isinstance(body, dict) and body.get("stream") is True
    if not services.sink.accepting():
        raise ServiceUnavailable("The proxy cannot record calls right now; try again shortly.")
    call.limit_subjects = await admit(services, snapshot, identity)
    call.reservation = await reserve_budget(
        services,
        settings,
        identity,
        route=route,
        upstream_model=call.upstream_model,
        body=body,
        request_bytes=len(raw),
    )

    info = CallInfo(
        request_id=call.request_id,
        identity=identity,
        api=api,
        endpoint=path,
        model=call.model,
        entry=route.entry,
        provider=route.provider_name,
        stream=call.stream,
    )
    if isinstance(body, FormBody):
        inspection = await _inspect_form(snapshot.inspector, info, body, route)
        forwarded, strip_usage = raw, False
    else:
        inspection = await snapshot.inspector.inspect_request(info, body)
        outgoing, strip_usage = _outgoing_body(body, inspection.body, route, api, call)
        # SECURITY: a parsed body is always forwarded re-encoded from what was judged: with
        # duplicate keys ({"model": "a", "model": "b"}) the raw bytes could mean something
        # else to a provider whose parser keeps the first value.
        forwarded = raw if body is None else orjson.dumps(body if outgoing is None else outgoing)
    call.request_verdict = inspection.verdict
    call.keep_at_rest(inspection.stored_body, inspection.stored_response)
    if inspection.body is not None:
        call.forwarded = forwarded
    upstream = build_upstream(
        route,
        path=path,
        query=request.query,
        headers=request.headers,
        forward_credentials=caller.forward_credentials,
        credentials=snapshot.credentials,
        request_id=call.request_id,
    )
    job = RelayJob(
        before_eof=lambda status: _record_now(services, call, status),
        method=request.method,
        upstream=upstream,
        body=forwarded,
        api=api,
        output=inspection.output,
        strip_usage_chunk=strip_usage,
        request_id=call.request_id,
    )
    assert services.relay is not None, "the relay is created in the app's start-up hook"
    return await services.relay.forward(request, job, call.relay)


async def _inspect_form(
    inspector: RequestInspector, info: CallInfo, body: FormBody, route: Route
) -> RequestInspection:
    """Inspect a multipart upload, which is forwarded as sent: it cannot be rewritten, so
    a policy that would mask something in it blocks it, and so does a model alias."""
    if route.entry.target_model != info.model:
        raise BadRequest(
            f"Multipart uploads must name the model itself ({route.entry.target_model!r}), "
            "not an alias: the proxy does not rewrite them.",
            param="model",
        )
    inspection = await inspector.inspect_request(info, body.view())
    if inspection.body is not None:
        verdict = inspection.verdict
        raise PolicyBlocked(
            "The acceptable-use policy would redact part of this upload, and uploads are "
            "forwarded unchanged: remove the flagged content and send it again.",
            verdict,
            {"rules": list(verdict.rules), "entity_types": sorted(verdict.entity_counts)},
            stored_body=inspection.stored_body,
        )
    return inspection


def _outgoing_body(
    body: Any, rewritten: Any | None, route: Route, api: Api, call: CallRecord
) -> tuple[dict[str, Any] | None, bool]:
    """The body to send when it differs from what the caller sent, and whether the proxy
    asked for stream usage the caller did not."""
    if not isinstance(body, dict):
        return None, False
    changed = rewritten is not None
    out: dict[str, Any] = dict(rewritten if rewritten is not None else body)
    if route.entry.target_model != call.model:
        out["model"] = route.entry.target_model
        changed = True
    strip_usage = False
    if call.stream and api in USAGE_OPTION_APIS and route.provider.asks_stream_usage:
        options = out.get("stream_options")
        # Anything but an object (or nothing) is the caller's error, left for the provider
        # to refuse.
        wants_usage = options is None or (
            isinstance(options, dict) and not options.get("include_usage")
        )
        if wants_usage:
            # Token accounting needs usage; the extra chunk is not relayed to the caller.
            out["stream_options"] = {**(options or {}), "include_usage": True}
            strip_usage, changed = True, True
    return (out if changed else None), strip_usage


_PRIVACY = tuple(ContentMode)  # least to most private


def content_mode_for(settings: Settings, identity: Identity, entry: ModelEntry) -> str:
    """The more private of the register entry's and the team's log content mode."""
    modes = [
        mode
        for mode in (entry.log_content, settings.log_content.teams.get(identity.team))
        if mode is not None
    ]
    return max(modes, key=_PRIVACY.index).value if modes else ""


def list_models(path: str, register: Register, identity: Identity, request_id: str) -> web.Response:
    """``GET /v1/models`` (and ``/v1/models/{id}``) answered from the register."""
    data = []
    for entry in register.visible_to(identity):
        for name in (entry.name, *entry.aliases):
            data.append({"id": name, "object": "model", "created": 0, "owned_by": entry.provider})
    wanted = path.removeprefix("/v1/models").strip("/")
    if wanted:
        match = next((m for m in data if m["id"] == wanted), None)
        if match is None:
            return error_response(register.not_found(wanted), request_id=request_id)
        body: Any = match
    else:
        body = {"object": "list", "data": data}
    return web.json_response(
        body, dumps=lambda o: orjson.dumps(o).decode(), headers={"x-request-id": request_id}
    )


def _finish(services: Services, call: CallRecord, latency: float) -> None:
    """Record the event, charge tokens, update metrics and write the access log line."""
    call.recorded = True
    cost = call.cost(call.snapshot.settings.pricing)
    event = call.to_event(latency, cost)
    if call.reservation.charges:
        services.tasks.spawn(services.budgets.settle(call.reservation, cost), name="budget")
    services.sink.record(event)
    usage: Usage = call.relay.usage
    if call.limit_subjects and usage.total:
        services.tasks.spawn(
            services.limiter.charge_tokens(call.limit_subjects, usage.total), name="charge_tokens"
        )
    m = services.metrics
    model = services.model_label(event.model)
    labels = (event.team, model, event.provider)
    m.requests_total.labels(
        *labels, call.api.value, event.decision, f"{event.status_code // 100}xx"
    ).inc()
    m.request_duration_seconds.labels(*labels, call.api.value).observe(latency)
    if call.relay.upstream_status:
        m.upstream_ttfb_seconds.labels(event.provider, model).observe(call.relay.ttfb)
    if usage.prompt_tokens:
        m.tokens_total.labels(*labels, "input").inc(usage.prompt_tokens)
    if usage.completion_tokens:
        m.tokens_total.labels(*labels, "output").inc(usage.completion_tokens)
    if cost is None:
        m.unpriced_calls_total.labels(model, event.provider).inc()
    elif cost:
        m.cost_total.labels(*labels).inc(cost)
    if event.error in _AUTH_ERRORS:
        m.auth_failures_total.labels(event.error).inc()
    elif event.error in _REGISTER_ERRORS:
        m.register_denials_total.labels(event.team, event.error).inc()
    if call.stream and call.relay.upstream_status == 200:
        m.stream_duration_seconds.labels(event.provider, model).observe(
            max(0.0, latency - call.relay.ttfb)
        )
    if event.error.startswith("upstream") or event.upstream_status >= 500:
        kind = event.error or f"http_{event.upstream_status}"
        m.upstream_errors_total.labels(event.provider, model, kind).inc()
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
