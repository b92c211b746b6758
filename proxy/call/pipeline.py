"""The request pipeline for ``/v1/*``: authenticate, route, admit, inspect, relay, record.

One handler runs every API call through the same stages, each in a module of its own
(:mod:`proxy.call`). A stage raises a :class:`~proxy.errors.ProxyError` to refuse the call;
the error becomes the OpenAI error shape in one place here, and every call, refused or not,
ends as one recorded event (:mod:`proxy.call.accounting`).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from functools import partial

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler

from core.inspection import CallInfo, OutputBlocked, PolicyBlocked
from proxy.call.accounting import account
from proxy.call.admission import admit_subjects, reserve_budget
from proxy.call.apis import Api, api_for_path
from proxy.call.call_kinds import CallKinds
from proxy.call.envelope import envelope_of
from proxy.call.judged_path import judge_path
from proxy.call.model_list import list_models
from proxy.call.multipart import FormBody, inspect_form
from proxy.call.outgoing import Outgoing, outgoing_body
from proxy.call.path_segments import caller_segments, unread_view
from proxy.call.paths import canonical_path
from proxy.call.providers import build_upstream
from proxy.call.record import CLIENT_CLOSED, CallRecord
from proxy.call.relay import ClientGone, RelayJob
from proxy.call.request_body import (
    api_body,
    arrived_body,
    model_named,
    parse_body,
    read_body,
)
from proxy.call.text_body import TextBody
from proxy.call.unlisted import refusal_of_unlisted
from proxy.errors import (
    Forbidden,
    ModelNotFound,
    ProxyError,
    ServiceUnavailable,
    error_response,
)
from proxy.services import Services

log = structlog.get_logger("llm_proxy.access")


def api_handler(services: Services) -> Handler:
    """The handler of every ``/v1/*`` call of the proxy wired from ``services``.

    The services are bound here once rather than looked up in the request's application
    on every call (three of aiohttp's Python calls and a mapping lookup; issue 11), and
    so are the kinds of call worked out per configuration snapshot (:class:`CallKinds`)."""
    kinds = CallKinds(services.wire)

    async def handle_api(request: web.Request) -> web.StreamResponse:
        """Handle one ``/v1/*`` call from arrival to recorded event."""
        # Its endpoint is replaced by the path as judged; until then (a path refused as not
        # canonical, a caller refused before the policy read it) caller segments rest unread.
        call = CallRecord.arrived(services, request)
        services.in_flight += 1
        try:
            response = await _run(request, services, call, kinds)
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
                ProxyError("The proxy failed to handle this request."),
                request_id=call.request_id,
            )
        finally:
            services.in_flight -= 1
            if not call.recorded:
                account(services, call, time.perf_counter() - call.started)

    return handle_api


def _record_now(services: Services, call: CallRecord, status: int) -> None:
    """Record a streamed call before its last byte goes out (see ``RelayJob.before_eof``)."""
    call.status = status
    account(services, call, time.perf_counter() - call.started)


async def _run(
    request: web.Request, services: Services, call: CallRecord, kinds: CallKinds
) -> web.StreamResponse:
    request_id = call.request_id
    snapshot = call.snapshot
    settings = snapshot.settings
    # SECURITY: the path is canonical before anything reads it, and exactly this path is
    # forwarded (issue 8: "/v1/x/../chat/completions" was relayed as chat, uninspected).
    wire = services.wire
    path = canonical_path(request.rel_url.raw_path, inspected=wire.served_paths)
    call.endpoint = unread_view(path, wire.served_paths)
    # The API is the route's, known from the path alone: a caller refused from here on (no
    # key, a bad or revoked one) counts under the API it called, not under "other" (h184).
    api = call.api = api_for_path(path, wire)
    caller = services.authenticator.authenticate(request.headers, snapshot.keys)
    identity = call.identity = caller.identity
    # SECURITY: an id the caller wrote in the path is judged before anything else (h145).
    judged = (
        await judge_path(call, path, wire) if caller_segments(path, wire.served_paths) else None
    )

    # Most bodies are here already and most calls are to a served API: neither read awaits.
    raw = arrived_body(request, settings.max_body_bytes)
    if raw is None:
        raw = await read_body(request, settings.max_body_bytes, settings.timeouts)
    call.prompt = raw
    body = await parse_body(request, api, raw) if api is Api.OTHER else api_body(api, raw)
    if api is Api.MODELS and not snapshot.register.is_open:
        return list_models(path, snapshot.register, identity, request_id, shown=call.endpoint)
    model = call.model = model_named(api, body)

    # Route, content mode, upstream model, price and rate limits: once per kind of call.
    try:
        kind = kinds.of(snapshot, path, model, identity)
    except ModelNotFound:
        # SECURITY: the refused name is caller input; answered and recorded as judged (h137).
        raise await refusal_of_unlisted(call, model, wire) from None
    except Forbidden as refused:
        # SECURITY: a name the caller may not use is caller input too (h156): recorded as
        # judged, a key pasted as the model neither in the row nor in the access line.
        if not model:
            raise
        raise await refusal_of_unlisted(call, model, wire, refused) from None
    route = call.route = kind.route
    call.price = kind.price
    entry = route.entry
    call.content_mode = kind.content_mode
    upstream_model = call.upstream_model = kind.upstream_model
    stream = call.stream = isinstance(body, dict) and body.get("stream") is True

    if not services.sink.accepting():
        raise ServiceUnavailable("The proxy cannot record calls right now; try again shortly.")
    # Awaited only when there is something to count: most calls have no limit or budget.
    subjects = call.limit_subjects = kind.limit_subjects
    if subjects:
        await admit_subjects(services, identity, subjects)
    if settings.limits.budgets:
        call.reservation = await reserve_budget(
            services,
            settings,
            identity,
            price=kind.price,
            body=body,
            request_bytes=len(raw),
        )

    # Positional, in CallInfo's field order, as RelayJob below and CallRecord.arrived: a
    # class has no vectorcall in 3.11, so keywords to a class are packed into a dict and
    # unpacked again for its __init__ (twice the cost of the call; h197).
    info = CallInfo(request_id, identity, api, path, model, entry, route.provider_name, stream)
    if isinstance(body, FormBody):
        inspection = await inspect_form(snapshot.inspector, info, body, upstream_model)
        outgoing = Outgoing(raw)  # forwarded as sent
    elif isinstance(body, TextBody):
        inspection = await snapshot.inspector.inspect_request(info, body.view())
        rewritten = body.encoded(inspection.body)
        outgoing = Outgoing(raw if rewritten is None else rewritten)
    else:
        inspection = await snapshot.inspector.inspect_request(info, body)
        outgoing = outgoing_body(
            raw, body, inspection.body, route, api, model=model, stream=stream, wire=wire
        )
    if judged is not None:  # the path's findings count with the body's (and the envelope's)
        inspection = replace(inspection, verdict=judged.verdict.merge(inspection.verdict))
    call.request_verdict = inspection.verdict
    call.keep_at_rest(inspection.stored_body, inspection.stored_response)

    upstream = build_upstream(
        route,
        path=path,
        query=request.query,
        headers=request.headers,
        forward_credentials=caller.forward_credentials,
        credentials=snapshot.credentials,
        request_id=request_id,
    )
    # SECURITY: a key in the query string or a header is judged as one in the body (h137).
    envelope = envelope_of(upstream, route)
    if envelope is not None:
        call.request_verdict = await envelope.judge(snapshot.inspector, info, inspection)
    if inspection.body is not None:
        call.forwarded = outgoing.body
    job = RelayJob(
        request.method,
        upstream,
        outgoing.body,
        api,
        inspection.output,
        outgoing.strip_usage_chunk,
        request_id,
        # A partial, not a lambda: a closure would turn this function's locals into cells.
        partial(_record_now, services, call),  # before_eof
        wire,
    )
    assert services.relay is not None, "the relay is created in the app's start-up hook"
    return await services.relay.forward(request, job, call.relay)
