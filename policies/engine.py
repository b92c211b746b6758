"""Policy evaluation: which rules match a call, what the call's verdict is, what to mask.

:meth:`PolicyEngine.select` picks the rules that apply to one call in one direction (by
caller, model and register attributes) once; the resulting :class:`RuleSelection` then
evaluates findings as often as needed (once per request, once per stream window).

Precedence: every matching rule is recorded; the most restrictive action among *enforced*
matches wins (allow < flag < redact < pseudonymise < block). Rules in monitor mode are
recorded as ``monitor:<id>`` and enforce nothing, but make the decision at least ``flag``
so that what they would have done shows up in dashboards and alerts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from core.identity import Identity
from core.inspection import ALLOW, Action, CallInfo, Verdict
from core.register import RegisterEntry
from core.scanning import Finding
from detectors.entities import SUPPORTED_PII_ENTITY_TYPES
from detectors.errors import DetectionError, DetectionTimeout
from policies.actions import Mask
from policies.entities import expand_entity_types
from policies.extract import Attachment
from policies.model import Direction, FailureMode, Mode, Policy, Rule, RuleSet

#: Rule id recorded when the detectors failed and the policy decided without findings.
DETECTOR_FAILED = "detector_failed"
#: Rule id recorded when a text was longer than ``detection.max_inspected_chars``.
INSPECTION_LIMIT = "inspection_limit"
MONITOR_PREFIX = "monitor:"
#: Rule selections :meth:`PolicyEngine.select` keeps (one per caller, model and direction).
SELECTIONS_KEPT = 4096
_SelectionKey = tuple[Identity, str, str, int, Direction]
#: A call's identity and register entry by id(), its model and provider.
_PairKey = tuple[int, str, str, int]


@dataclass(frozen=True, slots=True)
class CallContext:
    """What rules know about a call besides its text."""

    identity: Identity
    model: str
    provider: str
    entry: RegisterEntry

    @classmethod
    def of(cls, call: CallInfo) -> CallContext:
        return cls(call.identity, call.model, call.provider, call.entry)


# Not frozen: made for every inspected direction of every call, and a frozen class pays an
# object.__setattr__ per field (never hashed, compared or changed;
# tests/policies/test_selection_pairs.py).
@dataclass(slots=True)
class Subject:
    """What is inspected in one direction, apart from findings."""

    direction: Direction
    #: Characters of the inspected texts; left 0 when no rule of the selection reads it
    #: (:attr:`RuleSelection.reads_text_chars`).
    text_chars: int = 0
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class Located:
    """A finding in text number ``text_index`` of the inspected texts."""

    text_index: int
    finding: Finding


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """One rule that matched, what it does, and the findings that made it match (counts)."""

    rule_id: str
    rule_set: str
    action: Action
    mode: Mode
    direction: Direction
    entity_counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def recorded_id(self) -> str:
        """The id in the event record: ``monitor:<id>`` for rules in monitor mode."""
        return self.rule_id if self.mode is Mode.ENFORCE else MONITOR_PREFIX + self.rule_id


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of evaluating one direction: verdict, matches and masks to apply.

    The policy speaks the inspection seam's vocabulary (:mod:`core.inspection`): the
    :class:`~core.inspection.Verdict` here is what the proxy records (its action becomes
    the call's :class:`~core.inspection.CallDecision`); matches and masks carry the same
    :class:`~core.inspection.Action` values, which label ``policy_actions_total``.
    """

    verdict: Verdict
    matches: tuple[RuleMatch, ...] = ()
    masks: tuple[Mask, ...] = ()
    #: Set when detection failed: ``detector_timeout`` or ``detector_unavailable``.
    reason: str = ""

    @property
    def blocked(self) -> bool:
        return self.verdict.action is Action.BLOCK

    @property
    def blocking_matches(self) -> tuple[RuleMatch, ...]:
        return tuple(m for m in self.matches if m.mode is Mode.ENFORCE and m.action is Action.BLOCK)

    @property
    def blocking_entity_types(self) -> list[str]:
        return sorted({t for m in self.blocking_matches for t in m.entity_counts})


@dataclass(frozen=True, slots=True)
class InspectionLimit:
    """A call holds a text longer than the policy fully inspects."""

    longest: int  # characters in its longest text
    limit: int  # detection.max_inspected_chars
    closed: tuple[str, ...]  # rule sets concerned that fail closed
    concerned: tuple[str, ...]  # rule sets with rules that depend on PII findings

    @property
    def blocks(self) -> bool:
        return bool(self.closed)


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule_set: RuleSet
    rule: Rule
    entity_types: frozenset[str]

    def accepts(self, finding: Finding) -> bool:
        """True when ``finding`` counts for this rule (type and score)."""
        return (
            finding.entity_type in self.entity_types and finding.score >= self.rule.match.min_score
        )

    def applies_to(self, call: CallContext, direction: Direction) -> bool:
        rule, match = self.rule, self.rule.match
        if not rule.direction.covers(direction):
            return False
        entry = call.entry
        args = (call.identity, call.model, call.provider, entry.region)
        if not match.matches_all(*args) or match.exclude.matches_any(*args):
            return False
        rank = entry.data_classification.rank
        if match.classification_at_most and rank > match.classification_at_most.rank:
            return False
        if match.classification_at_least and rank < match.classification_at_least.rank:
            return False
        return match.approved is None or match.approved == entry.approved


def _attachments_match(rule: Rule, attachments: Sequence[Attachment]) -> bool:
    condition = rule.match.attachments
    if condition is None:
        return True
    chosen = [a for a in attachments if a.kind in condition.kinds]
    size = sum(a.size_bytes for a in chosen)
    return len(chosen) >= condition.min_count and size >= condition.min_bytes


#: What a selection of finding rules decides about texts with no findings.
_NOTHING_FOUND = Decision(ALLOW)


class RuleSelection:
    """The rules that apply to one call in one direction."""

    def __init__(self, policy: Policy, direction: Direction, rules: Sequence[_Compiled]) -> None:
        self._policy = policy
        self._direction = direction
        #: The direction's name, as metric labels and log fields carry it.
        self.direction_label: str = direction.value
        self._rules = tuple(rules)
        self._max_inspected_chars = policy.detection.max_inspected_chars
        # Fixed with the rules, and a selection is shared by every call of its kind
        # (PolicyEngine.select): worked out once, not per call.
        self._entity_types: frozenset[str] = frozenset().union(
            *(c.entity_types for c in self._rules)
        )
        self._needs_findings = any(c.entity_types for c in self._rules)
        # Every rule here wants findings: a text with none matches no rule, and most texts
        # have none. Such an evaluation is the shared plain allow (core.inspection.ALLOW),
        # which the event record also recognises without merging it.
        self._only_findings = all(c.entity_types for c in self._rules)
        #: True when some rule here has ``min_text_chars``: only then are a subject's
        #: characters counted (a walk over every text of the call, twice a call).
        self.reads_text_chars = any(c.rule.match.min_text_chars is not None for c in self._rules)

    def __bool__(self) -> bool:
        return bool(self._rules)

    @property
    def needs_findings(self) -> bool:
        """True when some rule depends on detector findings (so the texts must be scanned)."""
        return self._needs_findings

    @property
    def entity_types(self) -> frozenset[str]:
        """Every entity type some rule here matches (group aliases expanded)."""
        return self._entity_types

    def evaluate(
        self,
        subject: Subject,
        findings: Sequence[Located],
        *,
        history: Sequence[Finding] = (),
    ) -> Decision:
        """Evaluate ``findings``. ``history`` holds findings decided earlier in the same
        answer (stream windows): they count towards ``min_count`` but are not masked again.
        """
        if not findings and self._only_findings:
            return _NOTHING_FOUND
        matches: list[tuple[_Compiled, RuleMatch, list[Located]]] = []
        for compiled in self._rules:
            rule, match = compiled.rule, compiled.rule.match
            if match.min_text_chars is not None and subject.text_chars < match.min_text_chars:
                continue
            if not _attachments_match(rule, subject.attachments):
                continue
            hits: list[Located] = []
            if compiled.entity_types:
                hits = [f for f in findings if compiled.accepts(f.finding)]
                earlier = sum(1 for f in history if compiled.accepts(f))
                if not hits or len(hits) + earlier < match.min_count:
                    continue
            counts = Counter(h.finding.entity_type for h in hits)
            action = self._effective(rule.action)
            found = RuleMatch(
                rule.id, compiled.rule_set.name, action, rule.mode, self._direction, dict(counts)
            )
            matches.append((compiled, found, hits))
        return self._decide(matches, Counter(f.finding.entity_type for f in findings))

    def on_detection_failure(self, subject: Subject, error: DetectionError) -> Decision:
        """Decide without findings: rules that need none still apply; the rule sets whose
        finding rules could not run decide between fail-closed (block) and fail-open (flag).
        """
        decision = self.evaluate(subject, ())
        failed = {c.rule_set.name: c.rule_set for c in self._rules if c.entity_types}
        if not failed:
            return decision
        closed = [s.name for s in failed.values() if s.failure_mode is FailureMode.FAIL_CLOSED]
        timeout = isinstance(error, DetectionTimeout)
        cause = "detection took too long" if timeout else "the detectors are unavailable"
        message = (
            f"The acceptable-use policy for AI tools could not check {self._what} ({cause}), "
            "so it was blocked. Try again; if this persists, contact your security team."
        )
        return self._unchecked(
            decision,
            DETECTOR_FAILED,
            closed or list(failed),
            block=bool(closed),
            reason="detector_timeout" if timeout else "detector_unavailable",
            message=message,
        )

    @property
    def max_inspected_chars(self) -> int | None:
        """NER covers at most this many characters of each text (None: all of it)."""
        return self._max_inspected_chars

    def inspection_limit(self, lengths: Iterable[int]) -> InspectionLimit | None:
        """The limit a call with texts of ``lengths`` characters runs into, if any.

        None when every text is within ``detection.max_inspected_chars`` or no rule here
        depends on PII findings (secrets and custom recognizers cover whole texts).
        """
        limit = self._max_inspected_chars
        if limit is None:
            return None
        longest = max(lengths, default=0)
        if longest <= limit:
            return None
        concerned = {
            c.rule_set.name: c.rule_set
            for c in self._rules
            if c.entity_types & SUPPORTED_PII_ENTITY_TYPES
        }
        if not concerned:
            return None
        override = self._policy.detection.on_exceed
        closed = tuple(
            name
            for name, rule_set in concerned.items()
            if (override or rule_set.failure_mode) is FailureMode.FAIL_CLOSED
        )
        return InspectionLimit(longest, limit, closed, tuple(concerned))

    def over_limit(self, decision: Decision, limit: InspectionLimit) -> Decision:
        """``decision`` with ``limit`` applied: blocked if a rule set concerned fails closed,
        else flagged (its masks kept). For a block, pass ``evaluate(subject, ())``."""
        message = (
            f"The acceptable-use policy for AI tools could not check {self._what}: it holds a "
            f"text of {limit.longest:,} characters, more than the {limit.limit:,} it inspects, "
            "so it was blocked. Send a shorter text (split a long document into parts), or "
            "contact your security team."
        )
        return self._unchecked(
            decision,
            INSPECTION_LIMIT,
            limit.closed or limit.concerned,
            block=limit.blocks,
            reason="too_large_to_inspect",
            message=message,
        )

    @property
    def _what(self) -> str:
        return "the request" if self._direction is Direction.INPUT else "the response"

    def _unchecked(
        self,
        decision: Decision,
        rule_id: str,
        rule_sets: Sequence[str],
        *,
        block: bool,
        reason: str,
        message: str,
    ) -> Decision:
        """``decision`` plus a match of ``rule_id`` for what could not be checked: a block
        whose ``message`` wins over any other, or a flag."""
        action = Action.BLOCK if block else Action.FLAG
        unchecked = RuleMatch(rule_id, ",".join(rule_sets), action, Mode.ENFORCE, self._direction)
        verdict = decision.verdict.merge(Verdict(action, (rule_id,), {}, message if block else ""))
        if block:
            # The message must win even when another rule also blocks.
            verdict = Verdict(verdict.action, verdict.rules, verdict.entity_counts, message)
        masks = () if block else decision.masks
        return Decision(verdict, (*decision.matches, unchecked), masks, reason)

    def _effective(self, action: Action) -> Action:
        # There is no mapping to restore placeholders in an answer: mask them instead.
        if self._direction is Direction.OUTPUT and action is Action.PSEUDONYMISE:
            return Action.REDACT
        return action

    def _decide(
        self,
        matches: Sequence[tuple[_Compiled, RuleMatch, list[Located]]],
        counts: Counter[str],
    ) -> Decision:
        action = Action.ALLOW
        masks: list[Mask] = []
        blocker: tuple[_Compiled, RuleMatch] | None = None
        for compiled, match, hits in matches:
            if match.mode is Mode.MONITOR:
                action = max(action, Action.FLAG, key=lambda a: a.severity)
                continue
            action = max(action, match.action, key=lambda a: a.severity)
            if match.action is Action.BLOCK and blocker is None:
                blocker = (compiled, match)
            if match.action in (Action.REDACT, Action.PSEUDONYMISE):
                masks.extend(
                    Mask(
                        h.text_index,
                        h.finding.start,
                        h.finding.end,
                        h.finding.entity_type,
                        match.action,
                    )
                    for h in hits
                )
        message = self._message(*blocker) if blocker is not None else ""
        rules = tuple(dict.fromkeys(m.recorded_id for _, m, _ in matches))
        verdict = Verdict(action, rules, dict(counts), message)
        recorded = tuple(m for _, m, _ in matches)
        return Decision(verdict, recorded, () if blocker else tuple(masks))

    def _message(self, compiled: _Compiled, match: RuleMatch) -> str:
        policy = self._policy
        default = (
            policy.block_message
            if self._direction is Direction.INPUT
            else policy.output_block_message
        )
        template = compiled.rule.message or default
        return template.format(
            rule=match.rule_id,
            entity_types=", ".join(sorted(match.entity_counts)) or "no sensitive data types",
            url=policy.url_text(),
        )


class PolicyEngine:
    """A validated policy, compiled for evaluation. Immutable; cheap to share."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._rules = tuple(
            _Compiled(rule_set, rule, expand_entity_types(rule.match.entities))
            for rule_set, rule in policy.rules()
        )
        # By the context's fields, the register entry by id(): hashing a register entry
        # (a pydantic model of 17 fields) cost more than the look-up saved. The entry is
        # kept beside its selection, so its id cannot be reused while the slot is here.
        self._selections: dict[_SelectionKey, tuple[RegisterEntry, RuleSelection]] = {}
        # Both directions' selections of a call by the ids of its identity and entry: each
        # kept beside them, so that neither id can be reused while its slot is here.
        self._pairs: dict[
            _PairKey, tuple[Identity, RegisterEntry, tuple[RuleSelection, RuleSelection]]
        ] = {}

    def select(self, call: CallContext, direction: Direction) -> RuleSelection:
        """The rules that apply to ``call`` when inspecting ``direction``.

        Which rules apply depends only on the call's context and the (immutable) policy,
        so each context's selection is made once and shared; a reloaded policy is a new
        engine. The cache is bounded: past :data:`SELECTIONS_KEPT` contexts (callers and
        models) it starts over.
        """
        key = (call.identity, call.model, call.provider, id(call.entry), direction)
        kept = self._selections.get(key)
        if kept is not None and kept[0] is call.entry:
            return kept[1]
        chosen = [c for c in self._rules if c.applies_to(call, direction)]
        selection = RuleSelection(self.policy, direction, chosen)
        if len(self._selections) >= SELECTIONS_KEPT:
            self._selections.clear()
        self._selections[key] = (call.entry, selection)
        return selection

    def selections(self, call: CallInfo) -> tuple[RuleSelection, RuleSelection]:
        """``select`` of ``call``'s context for its input and its output, in one look-up.

        Every call needs both; kept by the call's identity and register entry (the objects
        authentication and the register hand out, the same for each call of one caller and
        model) and its model and provider, so a call of a kind seen before builds no
        :class:`CallContext` and hashes no identity. Bounded as :meth:`select`'s cache."""
        identity, entry = call.identity, call.entry
        key = (id(identity), call.model, call.provider, id(entry))
        kept = self._pairs.get(key)
        if kept is not None and kept[0] is identity and kept[1] is entry:
            return kept[2]
        context = CallContext.of(call)
        pair = (self.select(context, Direction.INPUT), self.select(context, Direction.OUTPUT))
        if len(self._pairs) >= SELECTIONS_KEPT:
            self._pairs.clear()
        self._pairs[key] = (identity, entry, pair)
        return pair
