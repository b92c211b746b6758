"""The record of one call while it runs, and the :class:`CallEvent` it ends as.

A call's record is made as it arrives (:meth:`CallRecord.arrived`), every stage writes what
it learnt into it, and when the call is over :meth:`CallRecord.to_event` turns it into the
immutable event, in one step.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from aiohttp import web

from core.identity import Identity
from core.inspection import ALLOW, Action, CallDecision, Verdict, unchanged
from proxy.call import request_ids
from proxy.call.apis import Api
from proxy.call.budgets import NOTHING_RESERVED, BudgetExceeded, Reservation
from proxy.call.events import CallEvent, event_of
from proxy.call.limits import Subject
from proxy.call.path_segments import UNREAD, unread_view
from proxy.call.pricing import cost_of
from proxy.call.relay import RelayOutcome
from proxy.config.register import Route
from proxy.config.settings import Price
from proxy.config.snapshot import ConfigSnapshot
from proxy.services import Services
from proxy.store.settings import ContentMode

#: Status recorded when the caller went away before the answer was complete (nginx's 499).
CLIENT_CLOSED = 499
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")

#: Log content modes, least to most private.
_PRIVACY = tuple(ContentMode)

#: The pipeline's (and bench/'s) name for the event's id maker.
new_request_id = request_ids.new_request_id


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
    #: What the route charges for the call (its kind's, set with the route); None = unpriced.
    price: Price | None = None
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
    #: Set once the policy has read the request (:meth:`keep_at_rest`); a call refused
    #: before that (unknown model, rate limit, budget, the log not accepting) was not.
    inspected: bool = False

    @classmethod
    def arrived(
        cls,
        services: Services,
        request: web.BaseRequest,
        *,
        parsed: bool = True,
        identity: Identity | None = None,
    ) -> CallRecord:
        """The record of a call that has just arrived on ``request``: the one place one is
        made (the pipeline's, an unrouted request's, an unparseable one's), so no field is
        set for one kind of call and forgotten for another.

        It has an id and a time of its own, the caller's address and the configuration of
        the moment; of a request aiohttp ``parsed``, the method, the path as it rests until
        the policy has read it (:func:`~proxy.call.path_segments.unread_view`) and the
        caller's ``x-request-id`` when it is a sane id. That one is kept for correlation
        only: the event id is always the proxy's own, because a caller-chosen id need not be
        unique (and ``logs show`` must find exactly one call). Of a request aiohttp could
        not parse (``parsed=False``) only the address is read: no method, path or header
        was. ``identity`` is the caller when already known.
        """
        if parsed:
            method = request.method
            endpoint = unread_view(request.path[:256], services.wire.served_paths)
            supplied = request.headers.get("x-request-id", "")
            correlation = supplied if _SANE_REQUEST_ID.match(supplied) else ""
        else:
            method, endpoint, correlation = "", UNREAD, ""
        # Positional, in the fields' order (keywords to a class are packed into a dict and
        # unpacked again: h197); the correlation id, far down the fields, set after.
        call = cls(
            new_request_id(),
            services.clock(),  # ts
            method,
            endpoint,
            request.remote or "",  # client_ip
            services.snapshot,
            identity,
        )
        call.client_request_id = correlation
        return call

    @property
    def verdict(self) -> Verdict:
        relayed = self.relay.verdict
        return self.request_verdict if relayed is ALLOW else self.request_verdict.merge(relayed)

    def keep_at_rest(
        self, stored_body: Any | None, response: Callable[[str], str] = unchanged
    ) -> None:
        """Record ``stored_body`` (when the inspector masked spans) instead of the body
        received, and mask the answer with ``response``."""
        self.inspected = True
        if stored_body is not None:
            self.prompt = orjson.dumps(stored_body)
            self._keep_model_at_rest(stored_body)
        self.stored_response = response

    def _unread_mode(self) -> str:
        """The content mode of a body the policy never read: at least ``hash``.

        A call refused before inspection may hold anything, credentials included, and
        nothing masked them: its row keeps the body's digest and length, never its text
        (under ``full`` or ``redacted`` a rate-limited prompt rested in clear; h136).
        """
        settings = self.snapshot.settings
        team = settings.log_content.teams.get(self.identity.team) if self.identity else None
        # Refused before routing, a call has no mode of its own yet: its team's, else the
        # store's default.
        configured = self.content_mode or team or settings.store.default_content_mode
        return max(ContentMode(configured), ContentMode.HASH, key=_PRIVACY.index).value

    def _keep_model_at_rest(self, stored_body: Any) -> None:
        """Record the model name as the stored body holds it: a credential sent as the
        ``model`` (h131) rests masked in the row and the access line, like one in a prompt."""
        stored = stored_body.get("model") if isinstance(stored_body, dict) else None
        if isinstance(stored, str) and stored != self.model:
            if self.upstream_model == self.model:
                self.upstream_model = stored
            self.model = stored

    def decision(self, verdict: Verdict) -> CallDecision:
        """What became of the call under ``verdict`` (its :attr:`verdict`)."""
        if self.error == "policy_violation" or verdict.action is Action.BLOCK:
            return CallDecision.BLOCK
        if self.error == BudgetExceeded.code:
            return CallDecision.BUDGET
        if self.error and self.status >= 400:
            failed = self.status >= 500 or self.status == CLIENT_CLOSED
            return CallDecision.ERROR if failed else CallDecision.REJECT
        return CallDecision.of(verdict.action)

    def cost(self) -> float | None:
        """What the call cost (0 when no provider answered it), None when unpriced."""
        if self.route is None or not 200 <= self.relay.upstream_status < 300:
            return 0.0
        price = self.price
        return None if price is None else cost_of(self.relay.usage, price)

    def to_event(self, latency: float) -> CallEvent:
        """The recorded event, ``latency`` seconds after the call arrived."""
        ident = self.identity
        verdict = self.verdict
        relay = self.relay
        usage = relay.usage
        # Positional, in CallEvent's field order (event_of: half the cost of its __init__;
        # tests/proxy/test_call_event_build.py checks every field against the keywords).
        return event_of(
            (
                self.request_id,
                self.ts,
                ident.user if ident else "",
                ident.team if ident else "",
                ident.app if ident else "",
                ident.key_id if ident else "",
                self.client_ip,
                self.method,
                self.endpoint,
                self.route.provider_name if self.route else "",  # provider
                self.model,
                self.upstream_model,
                self.stream,
                self.status,  # status_code
                relay.upstream_status,
                self.decision(verdict),
                verdict.rules,
                tuple(sorted(verdict.entity_counts)),  # entity_types
                dict(verdict.entity_counts),
                self.prompt.decode("utf-8", errors="replace"),
                self.forwarded.decode("utf-8", errors="replace"),  # prompt_forwarded
                self.stored_response(relay.output),  # response
                usage.prompt_tokens,
                usage.completion_tokens,
                round(latency * 1000, 3),  # latency_ms
                round(relay.ttfb * 1000, 3),  # ttfb_ms
                self.error or relay.stream_error,
                self.content_mode if self.inspected or not self.prompt else self._unread_mode(),
                self.client_request_id,
                self.cost(),
            )
        )
