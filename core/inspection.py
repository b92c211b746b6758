"""The inspection seams: where detectors and the acceptable-use policy plug into a call.

A :class:`RequestInspector` sees every routed request before it goes upstream and returns a
:class:`RequestInspection`: the verdict, possibly a rewritten body (redaction,
pseudonymisation), and an :class:`OutputInspector` for this one call, which sees the answer
(whole, or event by event for streams) and may rewrite or block it. The defaults here
allow everything unchanged.

The policy's vocabulary is defined here once: the :class:`Action` a rule takes, the
:class:`Verdict` of one direction of a call, and the :class:`CallDecision` the event log
and metrics record for the whole call (an action, or why the proxy refused the call).

What the event log keeps is decided here too: an inspector that blocks, redacts or
pseudonymises a span hands the pipeline a *stored body* in which that span is replaced by
its keyed fingerprint (:mod:`core.fingerprint`), also when it blocks the call, so the log
of a prevented leak is not a copy of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from core.apis import Api
from core.errors import PolicyViolation
from core.identity import Identity
from core.register import RegisterEntry
from core.sse import SSEEvent


class Action(StrEnum):
    """Policy actions, least to most restrictive (the most restrictive match wins)."""

    ALLOW = "allow"
    FLAG = "flag"
    REDACT = "redact"
    PSEUDONYMISE = "pseudonymise"
    BLOCK = "block"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


# Looked up per finding and per stream window: listing the enum each time cost 5 us.
_SEVERITY = {action: rank for rank, action in enumerate(Action)}


class CallDecision(StrEnum):
    """What became of a call, as recorded: the event's ``decision`` column, the ``decision``
    label of ``llm_proxy_requests_total`` and ``logs search --decision``.

    A call the policy judged is recorded with the policy's :class:`Action` (the same
    string: :meth:`of`); a call refused or failed before or outside the policy, with why.
    """

    ALLOW = "allow"
    FLAG = "flag"
    REDACT = "redact"
    PSEUDONYMISE = "pseudonymise"
    BLOCK = "block"
    #: Refused by the proxy before the policy decided (bad key, unknown model, rate limit,
    #: malformed request): a 4xx other than a policy block or a spend budget.
    REJECT = "reject"
    #: Refused by a spend budget (429 ``budget_exceeded``).
    BUDGET = "budget"
    #: Failed: a 5xx (upstream or proxy), or the caller went away (499).
    ERROR = "error"

    @classmethod
    def of(cls, action: Action) -> CallDecision:
        """The recorded decision of a call the policy judged ``action``."""
        return _DECISION_OF_ACTION[action]


# Every policy action is a recorded decision of the same name (a missing one fails here).
_DECISION_OF_ACTION = {action: CallDecision(action.value) for action in Action}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of inspecting one direction of a call."""

    action: Action = Action.ALLOW
    #: Ids of every rule that matched (enforced or in monitor mode).
    rules: tuple[str, ...] = ()
    #: Entity type → number of findings. Never the values themselves.
    entity_counts: Mapping[str, int] = field(default_factory=dict)
    #: For blocks: the message shown to the caller (no sensitive text).
    message: str = ""

    def merge(self, other: Verdict) -> Verdict:
        """Combine two verdicts: the stricter action, all rules, summed counts."""
        counts = dict(self.entity_counts)
        for entity, n in other.entity_counts.items():
            counts[entity] = counts.get(entity, 0) + n
        stricter = other if other.action.severity > self.action.severity else self
        rules = tuple(dict.fromkeys((*self.rules, *other.rules)))
        return Verdict(stricter.action, rules, counts, stricter.message)


ALLOW = Verdict()


# Not frozen: made on every call, and a frozen class pays an object.__setattr__ per field
# (never hashed, compared or changed; tests/policies/test_call_objects.py).
@dataclass(slots=True)
class CallInfo:
    """What inspectors know about the call."""

    request_id: str
    identity: Identity
    api: Api
    endpoint: str
    model: str
    entry: RegisterEntry
    provider: str
    stream: bool


class PolicyBlocked(PolicyViolation):
    """A policy block that carries its verdict, so the event records rules and findings.

    Raised by request inspectors to refuse a call (403 ``policy_violation``); ``extra``
    holds what the caller may see (rule ids, entity types), never the sensitive text.
    """

    def __init__(
        self,
        message: str,
        verdict: Verdict,
        extra: dict[str, Any],
        *,
        stored_body: Any | None = None,
    ) -> None:
        super().__init__(message, extra=extra)
        self.verdict = verdict
        #: The request body as the event log keeps it (see :class:`RequestInspection`).
        self.stored_body = stored_body


class OutputBlocked(PolicyBlocked):
    """The output inspector blocked the answer. Mapped to 403, or to an error event in a stream."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(
            verdict.message or "The response was blocked by the acceptable-use policy.",
            verdict,
            {"rules": list(verdict.rules), "entity_types": sorted(verdict.entity_counts)},
        )


class StreamInspector(Protocol):
    """Inspects one streamed answer event by event.

    ``feed`` returns the events to send to the caller now: the same event, a rewritten one,
    nothing (held back), or several (a hold-back window releasing). ``feed_all`` does the
    same for the events of one read, in order, at once (one scan for all of them).
    ``finish`` releases what is still held when the upstream stream ends. Any of them may
    raise :class:`OutputBlocked`.
    """

    async def feed(self, event: SSEEvent) -> Sequence[SSEEvent]: ...

    async def feed_all(self, events: Sequence[SSEEvent]) -> Sequence[SSEEvent]: ...

    async def finish(self) -> Sequence[SSEEvent]: ...

    @property
    def verdict(self) -> Verdict: ...


class OutputInspector(Protocol):
    """Inspects the answer to one call."""

    async def inspect_body(self, body: Any) -> tuple[Verdict, Any | None]:
        """Inspect a parsed JSON answer; return the verdict and a rewritten body or ``None``.

        May raise :class:`OutputBlocked`.
        """
        ...

    def stream(self) -> StreamInspector: ...


def unchanged(text: str) -> str:
    """The identity on text: a recorded answer with nothing to mask."""
    return text


# Not frozen: made on every call, and a frozen class pays an object.__setattr__ per field
# (never hashed, compared or changed; tests/policies/test_call_objects.py).
@dataclass(slots=True)
class RequestInspection:
    verdict: Verdict
    #: The body to send upstream when the inspector rewrote it; ``None`` = unchanged.
    body: Any | None
    output: OutputInspector
    #: The body the event log keeps, when it must differ from the one received: every
    #: span a rule blocked, redacted or pseudonymised replaced by its fingerprint mask.
    #: ``None``: nothing to mask.
    stored_body: Any | None = None
    #: Masks the same values in the recorded answer (pseudonyms restored into it).
    stored_response: Callable[[str], str] = unchanged


class RequestInspector(Protocol):
    """Inspects a request before it goes upstream. Raises :class:`PolicyViolation` to block."""

    async def inspect_request(self, call: CallInfo, body: Any) -> RequestInspection: ...


class PassStream:
    verdict = ALLOW

    async def feed(self, event: SSEEvent) -> Sequence[SSEEvent]:
        return (event,)

    async def feed_all(self, events: Sequence[SSEEvent]) -> Sequence[SSEEvent]:
        return events

    async def finish(self) -> Sequence[SSEEvent]:
        return ()


class PassOutput:
    async def inspect_body(self, body: Any) -> tuple[Verdict, Any | None]:
        return ALLOW, None

    def stream(self) -> StreamInspector:
        return PassStream()


class AllowAll:
    """The default request inspector: allows everything and inspects nothing."""

    async def inspect_request(self, call: CallInfo, body: Any) -> RequestInspection:
        return RequestInspection(verdict=ALLOW, body=None, output=PassOutput())
