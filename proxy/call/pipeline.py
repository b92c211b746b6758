"""The request pipeline for ``/v1/*``: authenticate, route, admit, inspect, relay, record.

One handler runs every API call through the same stages, each in a module of its own
(:mod:`proxy.call`). A stage raises a :class:`~proxy.errors.ProxyError` to refuse the call;
the error becomes the OpenAI error shape in one place here, and every call, refused or not,
ends as one recorded event (:mod:`proxy.call.accounting`).
"""

from __future__ import annotations

import asyncio
import time

import structlog
from aiohttp import web

from core.inspection import CallInfo, OutputBlocked, PolicyBlocked
from proxy.call.accounting import account
from proxy.call.admission import admit_subjects, limit_subjects, reserve_budget
from proxy.call.apis import Api, api_for_path
from proxy.call.content_modes import content_mode_for
from proxy.call.model_list import list_models
from proxy.call.multipart import FormBody, inspect_form
from proxy.call.outgoing import Outgoing, outgoing_body
from proxy.call.paths import canonical_path
from proxy.call.providers import build_upstream
from proxy.call.record import CLIENT_CLOSED, CallRecord, client_request_id, new_request_id
from proxy.call.relay import ClientGone, RelayJob
from proxy.call.request_body import model_named, parse_body, read_body
from proxy.call.routing import route_call
from proxy.errors import ProxyError, ServiceUnavailable, error_response
from proxy.services import SERVICES, Services

log = structlog.get_logger("llm_proxy.access")


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
            account(services, call, time.perf_counter() - call.started)


def _record_now(services: Services, call: CallRecord, status: int) -> None:
    """Record a streamed call before its last byte goes out (see ``RelayJob.before_eof``)."""
    call.status = status
    account(services, call, time.perf_counter() - call.started)


async def _run(request: web.Request, services: Services, call: CallRecord) -> web.StreamResponse:
    snapshot = call.snapshot
    settings = snapshot.settings
    # SECURITY: the path is canonical before anything reads it, and exactly this path is
    # forwarded (issue 8: "/v1/x/../chat/completions" was relayed as chat, uninspected).
    wire = services.wire
    path = call.endpoint = canonical_path(request.rel_url.raw_path, inspected=wire.served_paths)
    caller = services.authenticator.authenticate(request.headers, snapshot.keys)
    identity = call.identity = caller.identity
    api = call.api = api_for_path(path, wire)

    raw = call.prompt = await read_body(request, settings.max_body_bytes, settings.timeouts)
    body = await parse_body(request, api, raw)
    if api is Api.MODELS and not snapshot.register.is_open:
        return list_models(path, snapshot.register, identity, call.request_id)
    call.model = model_named(api, body)

    route = call.route = route_call(snapshot, path, call.model, identity, wire)
    call.content_mode = content_mode_for(settings, identity, route.entry)
    call.upstream_model = route.entry.target_model
    call.stream = isinstance(body, dict) and body.get("stream") is True

    if not services.sink.accepting():
        raise ServiceUnavailable("The proxy cannot record calls right now; try again shortly.")
    # Awaited only when there is something to count: most calls have no limit or budget.
    subjects = call.limit_subjects = limit_subjects(settings, snapshot.keys, identity)
    if subjects:
        await admit_subjects(services, identity, subjects)
    if settings.limits.budgets:
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
        inspection = await inspect_form(snapshot.inspector, info, body, call.upstream_model)
        outgoing = Outgoing(raw)  # forwarded as sent
    else:
        inspection = await snapshot.inspector.inspect_request(info, body)
        outgoing = outgoing_body(
            raw, body, inspection.body, route, api, model=call.model, stream=call.stream, wire=wire
        )
    call.request_verdict = inspection.verdict
    call.keep_at_rest(inspection.stored_body, inspection.stored_response)
    if inspection.body is not None:
        call.forwarded = outgoing.body

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
        body=outgoing.body,
        api=api,
        output=inspection.output,
        strip_usage_chunk=outgoing.strip_usage_chunk,
        request_id=call.request_id,
        wire=wire,
    )
    assert services.relay is not None, "the relay is created in the app's start-up hook"
    return await services.relay.forward(request, job, call.relay)
