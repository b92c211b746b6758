"""The call event: one immutable record per proxied call, handed to the event sink.

This is the contract between the request pipeline and the event log. The pipeline fills
every field it knows; the sink decides what to store (log content modes, retention).
Credentials never reach this object: identity carries only a key id, and values the policy
kept from the provider reach it only as fingerprint masks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, make_dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from proxy.store.status import StoreStatus


@dataclass(frozen=True, slots=True)
class CallEvent:
    """Everything recorded about one call. Times are UTC; durations in milliseconds."""

    request_id: str  # the proxy's own id (UUIDv7), unique per call
    ts: datetime  # when the request arrived, timezone-aware UTC
    user: str
    team: str
    app: str
    key_id: str
    client_ip: str
    method: str
    endpoint: str  # request path, e.g. "/v1/chat/completions"
    provider: str  # register provider name ("" when the call never got routed)
    model: str  # model as the caller named it ("" when the body has none)
    upstream_model: str  # model name sent to the provider
    stream: bool
    status_code: int  # status the caller got
    upstream_status: int  # status the provider returned, 0 if never reached
    decision: str  # allow | flag | redact | pseudonymise | block | error
    rules: tuple[str, ...] = ()
    entity_types: tuple[str, ...] = ()
    #: Findings per entity type, e.g. {"EMAIL_ADDRESS": 2}. Never the values themselves.
    entity_counts: dict[str, int] = field(default_factory=dict)
    #: The request body as the caller sent it (JSON text for JSON APIs), except that every
    #: span an enforced rule blocked, redacted or pseudonymised is replaced by its keyed
    #: fingerprint mask, ``<TYPE:3f9a1c2b04de>`` (see :mod:`proxy.fingerprint`); a multipart
    #: upload with such a span is its inspected text view as JSON.
    prompt: str = ""
    #: The request body as forwarded upstream, when the policy rewrote it (redaction,
    #: pseudonymisation); "" when it was forwarded unchanged or not forwarded.
    prompt_forwarded: str = ""
    #: The output text: the response body for non-streamed calls, the assembled output
    #: text for streams, after output inspection (what the caller saw), with the values
    #: masked in ``prompt`` masked here too (pseudonyms restored into the answer).
    response: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    ttfb_ms: float = 0.0  # time to the upstream's first byte; 0 if it never answered
    error: str = ""  # short machine-readable reason for failures, never sensitive text
    #: Log content mode in force for this call: full | redacted | hash | none.
    content_mode: str = "full"
    #: The caller's own ``x-request-id`` (when sane), for correlation; not unique.
    client_request_id: str = ""
    #: What the call cost in ``pricing.currency``: from the provider's reported usage and
    #: the model's price; 0 when no provider answered; None when the model is unpriced.
    cost: float | None = 0.0


#: CallEvent's fields as a plain (not frozen) slots dataclass: the same slots in the same
#: order, so the same object layout, and an instance of it may take CallEvent as its class
#: (see :func:`event_of`). Made from ``fields(CallEvent)``, so a field added there is here.
_Unfrozen = make_dataclass(
    "_Unfrozen",
    [(f.name, f.type) for f in fields(CallEvent)],
    slots=True,
    eq=False,
    repr=False,
    match_args=False,
)
_FIELD_COUNT = len(fields(CallEvent))


def event_of(values: tuple[Any, ...]) -> CallEvent:
    """``CallEvent(*values)``: every field's value, in declaration order, at about a fifth
    of the CPU. The generated ``__init__`` of a frozen dataclass sets each of the 30 fields
    through ``object.__setattr__``, looked up per field (3.0 us a call under load, where
    calling each slot's own setter from C took 1.8 us); a plain slots dataclass's
    ``__init__`` stores them as attributes (0.3 us), and assigning ``__class__`` between two
    classes of one layout is allowed (0.1 us). The result is a CallEvent like any other:
    frozen, equal to the keyword-built one (tests/proxy/test_call_event_build.py). For the
    one event every call makes (``CallRecord.to_event``); anything else constructs as
    usual. Raises ``ValueError`` unless there is one value per field."""
    if len(values) != _FIELD_COUNT:
        raise ValueError(f"CallEvent has {_FIELD_COUNT} fields, got {len(values)} values")
    event: CallEvent = _Unfrozen(*values)
    event.__class__ = CallEvent
    return event


class EventSink(Protocol):
    """Receives one event per call, and says whether it can take more.

    ``record`` is called on the event loop once the caller has been answered (or has gone
    away). It must return quickly and never block: durable storage happens elsewhere.

    ``accepting`` is the back-pressure: the pipeline asks it before a call goes upstream
    and refuses the call (503) while it is False, rather than serve a call it cannot
    record. ``status`` is the sink's health for ``/readyz`` and the admin API. A sink that
    subclasses this protocol inherits the defaults: always accepting, no status.
    """

    def record(self, event: CallEvent) -> None: ...

    def accepting(self) -> bool:
        """False while the sink cannot take more events and is set to refuse traffic."""
        return True

    def status(self) -> StoreStatus | None:
        """The state of the store behind the sink; None when there is none."""
        return None


class NullSink(EventSink):
    """The default sink: drops events. Used until a store is configured."""

    def record(self, event: CallEvent) -> None:
        return None
