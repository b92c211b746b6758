"""The acceptable-use policy at the proxy's inspection seam.

:class:`PolicyInspector` implements :class:`~core.inspection.RequestInspector`: for each
call it extracts the prompt's texts and attachments, scans them, evaluates the input rules,
and either blocks (:class:`RequestBlocked`, 403 ``policy_violation``) or returns the
verdict, the rewritten body (redacted / pseudonymised) and a :class:`PolicyOutput` that
inspects the answer with the output rules and restores pseudonyms in it.

The policy in force is read once per call, so a hot reload never changes the rules in the
middle of a call.

At rest, every span a rule blocks, redacts or pseudonymises (enforced or monitored) is
masked as its type and keyed fingerprint (:class:`StoredMasks`), whether or not the call
is blocked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import structlog

from core.fingerprint import Fingerprints
from core.inspection import (
    ALLOW,
    CallInfo,
    OutputBlocked,
    PassStream,
    PolicyBlocked,
    RequestInspection,
    StreamInspector,
    Verdict,
)
from core.scanning import Finding, Scanner
from core.telemetry import PolicyMetrics
from detectors.errors import DetectionError
from detectors.every_printing import with_every_printing
from policies.actions import Mask, apply_masks
from policies.at_rest import StoredMasks, at_rest_masks, stored_texts
from policies.bound_metrics import bound_metrics
from policies.boundaries import with_boundary_findings
from policies.engine import (
    CallContext,
    Decision,
    InspectionLimit,
    Located,
    PolicyEngine,
    RuleSelection,
    Subject,
)
from policies.extract import (
    Extracted,
    Location,
    TextPart,
    rewrite,
)
from policies.loader import PolicyHolder
from policies.model import Direction, Policy
from policies.pseudonyms import Pseudonyms
from policies.scanning import read_cached, timed_scan
from policies.stream import PolicyStream
from policies.stream_shapes import shape_for
from policies.telemetry import count_detection_failure, count_findings, count_matches
from wire.apis.registry import WIRE_APIS, WireRegistry

log = structlog.get_logger("llm_proxy.policy")


class RequestBlocked(PolicyBlocked):
    """A request blocked by the policy: 403 ``policy_violation`` with the rule ids and entity
    types in the error body (never the text), and the verdict for the event record."""

    def __init__(self, decision: Decision, *, stored_body: Any | None = None) -> None:
        extra: dict[str, Any] = {
            "rules": [m.rule_id for m in decision.blocking_matches],
            "entity_types": decision.blocking_entity_types,
        }
        if decision.reason:
            extra["reason"] = decision.reason
        super().__init__(
            decision.verdict.message or "The request was blocked by the acceptable-use policy.",
            decision.verdict,
            extra,
            stored_body=stored_body,
        )
        self.decision = decision


# Not frozen: made on every call, and a frozen class pays an object.__setattr__ per field
# (never hashed, compared or changed; tests/policies/test_call_objects.py).
@dataclass(slots=True)
class RequestEvaluation:
    """Everything the policy concluded about one request (the CLI prints it)."""

    decision: Decision
    extracted: Extracted
    #: Findings per extracted text (index into ``extracted.texts``).
    findings: tuple[Located, ...]
    #: The body to send upstream when masks changed it, else ``None``.
    body: Any | None
    #: The call's pseudonym table: needed to restore the answer. Never log it.
    pseudonyms: Pseudonyms
    #: The body the event log keeps when spans are masked at rest, else ``None``.
    stored_body: Any | None = None
    #: The values masked at rest, to mask them in the recorded answer too.
    stored: StoredMasks = field(default_factory=StoredMasks)


#: What an evaluation with nothing masked at rest keeps (never changed once made).
_NOTHING_STORED = StoredMasks()
#: The decision of a direction no rule applies to.
_ALLOWED = Decision(ALLOW)
#: A text part's text (mapped in C: no comprehension frame per inspected direction).
_TEXT_OF = attrgetter("text")
_LOCATION_OF = attrgetter("location")
#: Where a request names its model (every API's body): a name, read on its own.
_MODEL_NAME: Location = ("model",)


def masked_texts(
    texts: Sequence[TextPart],
    masks: Sequence[Mask],
    pseudonyms: Pseudonyms,
    *,
    restore: bool = False,
) -> dict[Location, str]:
    """The new text for each location that ``masks`` (and, if asked, restoring) change."""
    by_text: defaultdict[int, list[Mask]] = defaultdict(list)
    for mask in masks:
        by_text[mask.text_index].append(mask)
    changed: dict[Location, str] = {}
    for index, part in enumerate(texts):
        text = apply_masks(part.text, by_text[index], pseudonyms) if index in by_text else part.text
        if restore:
            text = pseudonyms.restore(text, json_string=part.role == "tool_call")
        if text != part.text:
            changed[part.location] = text
    return changed


async def _with_joins(
    scanner: Scanner,
    texts: Sequence[TextPart],
    strings: list[str],
    found: list[list[Finding]],
) -> list[list[Finding]]:
    """``found`` plus the secrets split over neighbouring texts
    (:func:`~policies.boundaries.with_boundary_findings`), the model name left out of
    every window: it is a name, not prose next to the first message, and a value split
    between the model field and a message is not one value to any reader (nor to the
    provider, which reads the two apart). Found on its own, a credential sent as the
    model is still found. Texts that join nothing (:func:`_join_nothing`) never come here."""
    try:
        apart = list(map(_LOCATION_OF, texts)).index(_MODEL_NAME)
    except ValueError:  # an answer, a body without a model name
        return await with_boundary_findings(scanner, strings, found)
    joined = await with_boundary_findings(
        scanner, strings[:apart] + strings[apart + 1 :], found[:apart] + found[apart + 1 :]
    )
    joined.insert(apart, found[apart])
    return joined


def _join_nothing(texts: Sequence[TextPart]) -> bool:
    """True when no secret can be split over ``texts``: one text, or a prompt of one message
    and its model name (left out of every window, :func:`_with_joins`)."""
    count = len(texts)
    return count == 1 or (count == 2 and _MODEL_NAME in map(_LOCATION_OF, texts))


def _inspection_limit(selection: RuleSelection, strings: list[str]) -> InspectionLimit | None:
    """The limit a text longer than the policy inspects meets: blocked unscanned, or flagged
    after the scan. Worked out only for such a text (most calls have none)."""
    ner_chars = selection.max_inspected_chars
    if ner_chars is None or max(map(len, strings)) <= ner_chars:
        return None
    return selection.inspection_limit(map(len, strings))


def _blocked_unscanned(
    selection: RuleSelection, subject: Subject, limit: InspectionLimit, request_id: str
) -> tuple[Decision, tuple[Located, ...]]:
    """The decision on texts over a limit that blocks them unscanned."""
    log.warning("inspection_limit", request_id=request_id, direction=selection.direction_label)
    return selection.over_limit(selection.evaluate(subject, ()), limit), ()


def _detection_failed(
    selection: RuleSelection,
    subject: Subject,
    exc: DetectionError,
    metrics: PolicyMetrics | None,
    request_id: str,
) -> tuple[Decision, tuple[Located, ...]]:
    """The decision when detection could not say (the selection fails open or closed)."""
    direction = selection.direction_label
    log.warning(
        "detection_failed",
        request_id=request_id,
        direction=direction,
        error=type(exc).__name__,
    )
    decision = selection.on_detection_failure(subject, exc)
    count_detection_failure(metrics, direction, decision.blocked)
    return decision, ()


def _decided(
    selection: RuleSelection,
    subject: Subject,
    results: list[list[Finding]],
    limit: InspectionLimit | None,
    metrics: PolicyMetrics | None,
) -> tuple[Decision, tuple[Located, ...]]:
    """The decision on texts whose findings are ``results``."""
    # Most texts have no findings: then no generator is run to find that out.
    located = (
        tuple(Located(i, f) for i, found in enumerate(results) for f in found)
        if any(results)
        else ()
    )
    if located:
        count_findings(metrics, (item.finding for item in located), selection.direction_label)
    decision = selection.evaluate(subject, located)
    if limit is not None:
        decision = selection.over_limit(decision, limit)
    return decision, located


def _decided_at_once(
    selection: RuleSelection,
    subject: Subject,
    texts: Sequence[TextPart],
    *,
    scanner: Scanner,
    metrics: PolicyMetrics | None,
    request_id: str,
    read_whole: bool = False,
) -> tuple[Decision, tuple[Located, ...]] | None:
    """The decision on ``texts`` when nothing has to be awaited for it: no rule reads
    findings, a text over a limit that blocks it unscanned, or texts that join nothing
    whose findings the scanner's cache holds (most prompts; an answer seen before). Else
    None, and :func:`_scan_and_decide` decides. A plain function: on most calls the
    inspection then runs none of the scan's coroutines (issue 11)."""
    if not (selection.needs_findings and texts):
        return selection.evaluate(subject, ()), ()
    if not _join_nothing(texts):
        return None
    strings: list[str] = list(map(_TEXT_OF, texts))
    limit = _inspection_limit(selection, strings)
    if limit is not None and limit.blocks:
        return _blocked_unscanned(selection, subject, limit, request_id)
    try:
        results = read_cached(
            scanner,
            strings,
            direction=selection.direction_label,
            metrics=metrics,
            ner_chars=selection.max_inspected_chars,
            entities=selection.entity_types,
        )
    except DetectionError as exc:
        return _detection_failed(selection, subject, exc, metrics, request_id)
    if results is None:
        return None
    if read_whole and any(results):
        results = with_every_printing(strings, results)
    return _decided(selection, subject, results, limit, metrics)


async def _scan_and_decide(
    selection: RuleSelection,
    subject: Subject,
    texts: Sequence[TextPart],
    *,
    scanner: Scanner,
    budget: float | None,
    metrics: PolicyMetrics | None,
    request_id: str,
    caller: str | None = None,
    read_whole: bool = False,
) -> tuple[Decision, tuple[Located, ...]]:
    """The decision on ``texts`` and the findings it rests on, where
    :func:`_decided_at_once` found none (it was asked first: texts that join nothing were
    read from the cache there and missed, so the scan reuses that read's keys).
    ``read_whole``: the texts are never streamed out (a prompt), so every printing of a
    found credential is found, earlier ones included
    (:func:`~detectors.every_printing.with_every_printing`); an answer keeps the detector's
    later-only repeats, which its stream can mask too."""
    strings: list[str] = list(map(_TEXT_OF, texts))
    limit = _inspection_limit(selection, strings)
    if limit is not None and limit.blocks:
        return _blocked_unscanned(selection, subject, limit, request_id)
    joins = not _join_nothing(texts)
    try:
        results = await timed_scan(
            scanner,
            strings,
            budget=budget,
            direction=selection.direction_label,
            metrics=metrics,
            caller=caller,
            ner_chars=selection.max_inspected_chars,
            entities=selection.entity_types,
            cached_first=joins,  # texts that join nothing missed the cache already
        )
        if read_whole and any(results):
            results = with_every_printing(strings, results)
        if joins:  # a secret split over two texts
            results = await _with_joins(scanner, texts, strings, results)
    except DetectionError as exc:
        return _detection_failed(selection, subject, exc, metrics, request_id)
    return _decided(selection, subject, results, limit, metrics)


async def evaluate_request(
    engine: PolicyEngine,
    call: CallInfo,
    body: Any,
    scanner: Scanner,
    *,
    metrics: PolicyMetrics | None = None,
    fingerprints: Fingerprints | None = None,
    wire: WireRegistry = WIRE_APIS,
    selection: RuleSelection | None = None,
) -> RequestEvaluation:
    """Apply the input rules of ``engine`` to one request. Does not raise for blocks.

    With ``fingerprints``, the evaluation also holds the body as the event log keeps it;
    ``wire`` reads the body through the format of the call's API. ``selection`` is the
    engine's input selection for the call when the caller has it already.
    """
    if selection is None:
        selection = engine.select(CallContext.of(call), Direction.INPUT)
    evaluated = _evaluated_at_once(call, body, scanner, selection, metrics, fingerprints, wire)
    if isinstance(evaluated, _Unsettled):
        return await _evaluated_after_scan(
            engine, call, body, scanner, selection, evaluated, metrics, fingerprints
        )
    return evaluated


@dataclass(slots=True)
class _Unsettled:
    """A request :func:`_evaluated_at_once` could not decide without a scan: what it read."""

    extracted: Extracted
    subject: Subject


def _evaluated_at_once(  # noqa: PLR0917 - evaluate_request's, passed on as they are
    call: CallInfo,
    body: Any,
    scanner: Scanner,
    selection: RuleSelection,
    metrics: PolicyMetrics | None,
    fingerprints: Fingerprints | None,
    wire: WireRegistry,
) -> RequestEvaluation | _Unsettled:
    """:func:`evaluate_request` when nothing has to be awaited for the decision
    (:func:`_decided_at_once`: most prompts); else what was read, for
    :func:`_evaluated_after_scan`. A plain function: the inspection of most calls then
    runs no coroutine but its own entry point (issue 11)."""
    extracted = wire.extract_request(call.api, body)
    if not selection:
        return _evaluation(body, extracted, _ALLOWED, (), fingerprints)
    text_chars = extracted.text_chars if selection.reads_text_chars else 0
    subject = Subject(Direction.INPUT, text_chars, extracted.attachments)
    decided = _decided_at_once(
        selection,
        subject,
        extracted.texts,
        scanner=scanner,
        metrics=metrics,
        request_id=call.request_id,
        read_whole=True,
    )
    if decided is None:
        return _Unsettled(extracted, subject)
    return _evaluation(body, extracted, *decided, fingerprints)


async def _evaluated_after_scan(  # noqa: PLR0917 - as _evaluated_at_once
    engine: PolicyEngine,
    call: CallInfo,
    body: Any,
    scanner: Scanner,
    selection: RuleSelection,
    unsettled: _Unsettled,
    metrics: PolicyMetrics | None,
    fingerprints: Fingerprints | None,
) -> RequestEvaluation:
    """:func:`evaluate_request` of a request whose texts are scanned first."""
    extracted = unsettled.extracted
    decision, located = await _scan_and_decide(
        selection,
        unsettled.subject,
        extracted.texts,
        scanner=scanner,
        budget=engine.policy.detection.budget_seconds,
        metrics=metrics,
        request_id=call.request_id,
        caller=call.identity.key_id,
        read_whole=True,
    )
    return _evaluation(body, extracted, decision, located, fingerprints)


def _evaluation(
    body: Any,
    extracted: Extracted,
    decision: Decision,
    located: tuple[Located, ...],
    fingerprints: Fingerprints | None,
) -> RequestEvaluation:
    """The evaluation of ``body`` under ``decision``: the body masked for the provider and
    for the event log (with ``fingerprints``), each only when a span is masked."""
    pseudonyms = Pseudonyms()
    new_body = None
    if decision.masks and not decision.blocked:
        changes = masked_texts(extracted.texts, decision.masks, pseudonyms)
        new_body = rewrite(body, changes) if changes else None
    stored_body, stored = None, _NOTHING_STORED
    # Only a matched rule masks anything at rest (at_rest_masks of no match is empty).
    if fingerprints is not None and decision.matches:
        masks = at_rest_masks(decision, located, extracted.texts)
        if masks:
            changed, stored = stored_texts(extracted.texts, masks, fingerprints)
            stored_body = rewrite(body, changed) if changed else None
    return RequestEvaluation(
        decision, extracted, located, new_body, pseudonyms, stored_body, stored
    )


class PolicyOutput:
    """The :class:`~core.inspection.OutputInspector` of one call."""

    def __init__(
        self,
        *,
        engine: PolicyEngine,
        call: CallInfo,
        pseudonyms: Pseudonyms,
        scanner: Scanner,
        metrics: PolicyMetrics | None,
        wire: WireRegistry = WIRE_APIS,
        selection: RuleSelection | None = None,
    ) -> None:
        """``selection``: the engine's output selection for ``call``, when known."""
        self._wire = wire
        self._policy = engine.policy
        self._call = call
        if selection is None:
            selection = engine.select(CallContext.of(call), Direction.OUTPUT)
        self._selection = selection
        self._pseudonyms = pseudonyms
        self._scanner = scanner
        self._metrics = metrics

    async def inspect_body(self, body: Any) -> tuple[Verdict, Any | None]:
        """Scan a whole answer, mask or block it, restore pseudonyms; see the protocol."""
        extracted = self._wire.extract_response(self._call.api, body)
        decision = _ALLOWED
        selection = self._selection
        if selection:
            subject = Subject(
                Direction.OUTPUT, extracted.text_chars if selection.reads_text_chars else 0
            )
            decided = _decided_at_once(
                selection,
                subject,
                extracted.texts,
                scanner=self._scanner,
                metrics=self._metrics,
                request_id=self._call.request_id,
            )
            decision, _ = (
                decided
                if decided is not None
                else await _scan_and_decide(
                    selection,
                    subject,
                    extracted.texts,
                    scanner=self._scanner,
                    budget=self._policy.detection.budget_seconds,
                    metrics=self._metrics,
                    request_id=self._call.request_id,
                    caller=self._call.identity.key_id,
                )
            )
            if decision.matches:
                count_matches(self._metrics, decision.matches)
            if decision.blocked:
                raise OutputBlocked(decision.verdict)
        if not (decision.masks or len(self._pseudonyms)):
            return decision.verdict, None  # nothing to mask or restore: the body as it came
        changes = masked_texts(extracted.texts, decision.masks, self._pseudonyms, restore=True)
        return decision.verdict, (rewrite(body, changes) if changes else None)

    def stream(self) -> StreamInspector:
        """A stream inspector for this call's answer (a pass-through when nothing applies)."""
        shape = shape_for(self._call.api, self._wire)
        if shape is None or not (self._selection or len(self._pseudonyms)):
            return PassStream()
        return PolicyStream(
            shape=shape,
            selection=self._selection,
            scanner=self._scanner,
            pseudonyms=self._pseudonyms,
            settings=self._policy.detection.stream,
            budget=self._policy.detection.budget_seconds,
            metrics=self._metrics,
            request_id=self._call.request_id,
        )


class PolicyInspector:
    """Enforces a policy at the proxy's inspection seam.

    ``policy`` is a fixed :class:`~policies.model.Policy` (or its compiled
    :class:`~policies.engine.PolicyEngine`), or a :class:`PolicyHolder` that hot-reloads;
    ``scanner`` finds entities (the detection service in the proxy). ``metrics``
    (optional) receives ``policy_actions_total``, ``policy_blocked_entities_total``,
    ``detector_findings_total`` and ``detector_duration_seconds``. ``fingerprints`` masks
    spans at rest (the proxy passes the data directory's; the default key lives as long as
    the inspector). ``wire`` holds the API wire formats the calls' bodies are read by.

    The proxy keeps one inspector per version of the policy in its configuration snapshot
    (:meth:`with_engine`), so a call is inspected under the policy of the snapshot it took.
    """

    def __init__(
        self,
        policy: Policy | PolicyEngine | PolicyHolder,
        scanner: Scanner,
        *,
        metrics: PolicyMetrics | None = None,
        fingerprints: Fingerprints | None = None,
        wire: WireRegistry = WIRE_APIS,
    ) -> None:
        if isinstance(policy, Policy):
            policy = PolicyEngine(policy)
        self._holder = policy if isinstance(policy, PolicyHolder) else None
        self._fixed = policy if isinstance(policy, PolicyEngine) else None
        self._scanner = scanner
        # Each labelled series looked up once (every call counts under the same few).
        self._metrics = bound_metrics(metrics)
        self._fingerprints = fingerprints or Fingerprints.ephemeral()
        self._wire = wire

    def with_engine(self, engine: PolicyEngine) -> PolicyInspector:
        """An inspector of the policy ``engine`` with this one's scanner, metrics and keys."""
        return PolicyInspector(
            engine,
            self._scanner,
            metrics=self._metrics,
            fingerprints=self._fingerprints,
            wire=self._wire,
        )

    @property
    def engine(self) -> PolicyEngine:
        """The policy in force now."""
        if self._holder is not None:
            return self._holder.engine
        assert self._fixed is not None
        return self._fixed

    async def inspect_request(self, call: CallInfo, body: Any) -> RequestInspection:
        """Inspect the prompt; raise :class:`RequestBlocked` or return the inspection."""
        engine = self.engine  # one policy version for the whole call
        selection_in, selection_out = engine.selections(call)
        scanner, metrics, fingerprints = self._scanner, self._metrics, self._fingerprints
        # evaluate_request's two steps, the second only when a scan is needed: a coroutine
        # fewer on most calls.
        evaluation = _evaluated_at_once(
            call, body, scanner, selection_in, metrics, fingerprints, self._wire
        )
        if isinstance(evaluation, _Unsettled):
            evaluation = await _evaluated_after_scan(
                engine, call, body, scanner, selection_in, evaluation, metrics, fingerprints
            )
        decision = evaluation.decision
        if decision.matches:
            count_matches(metrics, decision.matches)
        if decision.blocked:
            raise RequestBlocked(decision, stored_body=evaluation.stored_body)
        output = PolicyOutput(
            engine=engine,
            call=call,
            pseudonyms=evaluation.pseudonyms,
            scanner=scanner,
            metrics=metrics,
            wire=self._wire,
            selection=selection_out,
        )
        return RequestInspection(
            decision.verdict,
            evaluation.body,
            output,
            stored_body=evaluation.stored_body,
            stored_response=evaluation.stored.response,
        )
