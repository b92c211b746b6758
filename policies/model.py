"""The acceptable-use policy as typed, frozen objects, validated from YAML once.

A policy is a list of rule sets; each rule set groups rules that share a fail-open or
fail-closed setting for when the detectors cannot decide. A rule says when it applies
(``match``: caller, model, register attributes, detector findings, size, attachments),
in which ``direction`` (prompt, answer or both), what to do (``action``) and whether to do
it (``mode: enforce``) or only record what would have happened (``mode: monitor``).

Within ``match`` every condition given must hold; the values listed for one condition are
alternatives. ``match.except`` lists callers and models the rule never applies to: any one
of its entries excludes the call.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from enum import StrEnum
from fnmatch import fnmatchcase
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.identity import Identity
from core.inspection import Action
from core.register import Classification
from detectors.settings import CustomSettings
from policies.entities import unknown_entity_types
from policies.extract import AttachmentKind

_RULE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")
_TEMPLATE_FIELDS = frozenset({"rule", "entity_types", "url"})

DEFAULT_BLOCK_MESSAGE = (
    "This request was blocked by the acceptable-use policy for AI tools "
    "(rule {rule}; detected: {entity_types}). Remove the sensitive data and try again, "
    "or see {url}."
)
DEFAULT_OUTPUT_BLOCK_MESSAGE = (
    "The response was blocked by the acceptable-use policy for AI tools "
    "(rule {rule}; detected: {entity_types}). See {url}."
)
DEFAULT_URL_TEXT = "your organisation's acceptable-use policy"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Direction(StrEnum):
    """Which side of a call a rule inspects."""

    INPUT = "input"
    OUTPUT = "output"
    BOTH = "both"

    def covers(self, direction: Direction) -> bool:
        return self is Direction.BOTH or self is direction


class Mode(StrEnum):
    """``enforce`` applies the action; ``monitor`` only records that the rule matched."""

    ENFORCE = "enforce"
    MONITOR = "monitor"


class FailureMode(StrEnum):
    """What happens to a call when the detectors fail or run out of time."""

    FAIL_CLOSED = "fail_closed"
    FAIL_OPEN = "fail_open"


Names = tuple[Annotated[str, Field(min_length=1)], ...]


class Scope(_Model):
    """Callers and models. Each list is a set of alternatives; model names may be globs."""

    users: Names = ()
    teams: Names = ()
    apps: Names = ()
    keys: Names = ()
    models: Names = ()
    providers: Names = ()
    regions: Names = ()

    def _checks(self, identity: Identity, model: str, provider: str, region: str) -> list[bool]:
        """One result per non-empty list: does the call have one of its values."""
        pairs = (
            (self.users, identity.user),
            (self.teams, identity.team),
            (self.apps, identity.app),
            (self.keys, identity.key_id),
            (self.providers, provider),
            (self.regions, region),
        )
        results = [value in allowed for allowed, value in pairs if allowed]
        if self.models:
            results.append(any(fnmatchcase(model, pattern) for pattern in self.models))
        return results

    def matches_all(self, identity: Identity, model: str, provider: str, region: str) -> bool:
        """True when the call satisfies every list given (an empty scope matches all)."""
        return all(self._checks(identity, model, provider, region))

    def matches_any(self, identity: Identity, model: str, provider: str, region: str) -> bool:
        """True when the call has a value of any list given (an empty scope matches none)."""
        return any(self._checks(identity, model, provider, region))


class AttachmentCondition(_Model):
    """Images, audio or files in the prompt: at least ``min_count`` of them, ``min_bytes`` big."""

    kinds: tuple[AttachmentKind, ...] = tuple(AttachmentKind)
    min_count: int = Field(default=1, ge=1)
    #: Total decoded size of the matching attachments (0: any size). Only inline data
    #: (base64) has a size; attachments referenced by URL or file id count as 0 bytes.
    min_bytes: int = Field(default=0, ge=0)


class Match(Scope):
    """When a rule applies. Every condition given must hold."""

    exclude: Scope = Field(default=Scope(), alias="except")
    #: The model's register ceiling (highest data classification it may receive).
    classification_at_most: Classification | None = None
    classification_at_least: Classification | None = None
    approved: bool | None = None
    #: Entity types or group aliases (SECRETS, NATIONAL_IDS, FINANCIAL, CONTACT, PII).
    entities: Names = ()
    #: Findings scoring below this do not count for this rule.
    min_score: float = Field(default=0.0, ge=0.0, le=1.0)
    #: Matching findings needed in the prompt (or answer) for the rule to apply.
    min_count: int = Field(default=1, ge=1)
    #: Total characters of text in the prompt (or answer) at least this many.
    min_text_chars: int | None = Field(default=None, ge=1)
    attachments: AttachmentCondition | None = None

    @property
    def needs_findings(self) -> bool:
        return bool(self.entities)


class Rule(_Model):
    """One acceptable-use rule."""

    id: str
    description: str = ""
    direction: Direction = Direction.INPUT
    action: Action
    mode: Mode = Mode.ENFORCE
    #: Message shown to the caller when this rule blocks; defaults to the policy's.
    #: May use ``{rule}``, ``{entity_types}`` and ``{url}``.
    message: str | None = None
    match: Match = Match()

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _RULE_ID.fullmatch(value):
            raise ValueError(
                "rule ids are lower case letters, digits, '.', '_' and '-' (at most 80)"
            )
        return value

    @field_validator("message")
    @classmethod
    def _message_fields(cls, value: str | None) -> str | None:
        return None if value is None else check_template(value)

    @model_validator(mode="after")
    def _masking_needs_entities(self) -> Rule:
        if self.action in (Action.REDACT, Action.PSEUDONYMISE) and not self.match.entities:
            raise ValueError(
                f"action {self.action.value} masks detected entities: "
                "give match.entities (the types to mask)"
            )
        if self.match.attachments is not None and self.direction is not Direction.INPUT:
            raise ValueError("match.attachments applies to prompts only: use direction input")
        return self

    @property
    def enforced(self) -> bool:
        return self.mode is Mode.ENFORCE


class RuleSet(_Model):
    """Rules that share what happens when detection fails."""

    name: str = Field(min_length=1)
    description: str = ""
    #: Default: ``fail_closed`` when the set has an enforced blocking rule, else ``fail_open``.
    on_detector_failure: FailureMode | None = None
    rules: tuple[Rule, ...] = Field(min_length=1)

    @property
    def failure_mode(self) -> FailureMode:
        if self.on_detector_failure is not None:
            return self.on_detector_failure
        blocks = any(r.action is Action.BLOCK and r.enforced for r in self.rules)
        return FailureMode.FAIL_CLOSED if blocks else FailureMode.FAIL_OPEN


class StreamSettings(_Model):
    """Output scanning of streamed answers."""

    #: Characters of a streamed answer held back so a secret split across chunks is
    #: still caught whole. Text is released once this much newer text has arrived.
    holdback_chars: int = Field(default=64, ge=8, le=4096)
    #: Upper bound of what is held while an unfinished word or finding is waiting for its
    #: end; beyond it text is released (masked as far as known).
    max_hold_chars: int = Field(default=1024, ge=8, le=65536)

    @model_validator(mode="after")
    def _ordered(self) -> StreamSettings:
        if self.max_hold_chars < self.holdback_chars:
            raise ValueError(
                f"max_hold_chars ({self.max_hold_chars}) must be at least "
                f"holdback_chars ({self.holdback_chars})"
            )
        return self


#: ``detection.max_inspected_chars`` when a policy does not set it: about 25k tokens, which
#: spaCy NER on one worker covers in about 3 s on a small machine - inside the default 5 s
#: budget. Longer texts would mostly have run out of time anyway, and failed closed late.
DEFAULT_MAX_INSPECTED_CHARS = 100_000


class DetectionSettings(_Model):
    #: Per-call detection time budget in seconds; null uses the detection service's default.
    budget_seconds: float | None = Field(default=None, gt=0)
    #: The longest text (one message or content part) that is fully inspected. In a longer
    #: text, secrets and custom recognizers still cover every character, but PII detection
    #: (spaCy NER and Presidio's patterns: names, cards, IBANs, national IDs, e-mail
    #: addresses...) only its first ``max_inspected_chars``. Null: no limit - NER then runs
    #: over everything and the time budget alone bounds the cost.
    max_inspected_chars: int | None = Field(default=DEFAULT_MAX_INSPECTED_CHARS, ge=1)
    #: What a call with a longer text gets, when a rule depends on PII findings:
    #: ``fail_closed`` blocks it before any scan (403, reason ``too_large_to_inspect``);
    #: ``fail_open`` inspects what it can, applies the rules to that, and flags the call
    #: (rule ``inspection_limit``). Null: each rule set's ``on_detector_failure`` decides.
    on_exceed: FailureMode | None = None
    stream: StreamSettings = StreamSettings()
    #: Terms never reported as PERSON, LOCATION or NRP (in-house product, project and host
    #: names), on top of the shipped technology names (``detectors/data/tech_terms.txt``).
    allow_list: tuple[Annotated[str, Field(min_length=1, pattern=r"\S")], ...] = ()


class Policy(_Model):
    """A whole policy file."""

    version: Literal[1] = 1
    name: str = Field(min_length=1)
    description: str = ""
    #: Where staff read the acceptable-use policy; shown in block messages as ``{url}``.
    acceptable_use_url: str = ""
    block_message: str = DEFAULT_BLOCK_MESSAGE
    output_block_message: str = DEFAULT_OUTPUT_BLOCK_MESSAGE
    detection: DetectionSettings = DetectionSettings()
    #: Custom recognizers (regexes, keyword lists) whose entity types rules may use.
    recognizers: CustomSettings = Field(default_factory=CustomSettings)
    rule_sets: tuple[RuleSet, ...] = ()

    @field_validator("block_message", "output_block_message")
    @classmethod
    def _message_fields(cls, value: str) -> str:
        return check_template(value)

    @model_validator(mode="after")
    def _references(self) -> Policy:
        problems: list[str] = []
        custom = self.custom_entity_types
        seen_sets: set[str] = set()
        seen_rules: dict[str, str] = {}
        for i, rule_set in enumerate(self.rule_sets):
            if rule_set.name in seen_sets:
                problems.append(f"rule_sets.{i}.name: duplicate rule set name {rule_set.name!r}")
            seen_sets.add(rule_set.name)
            for j, rule in enumerate(rule_set.rules):
                where = f"rule_sets.{i}.rules.{j}"
                if rule.id in seen_rules:
                    first = seen_rules[rule.id]
                    problems.append(f"{where}.id: duplicate rule id {rule.id!r} (first in {first})")
                seen_rules.setdefault(rule.id, where)
                unknown = unknown_entity_types(rule.match.entities, custom)
                if unknown:
                    problems.append(
                        f"{where}.match.entities: unknown entity type(s) {', '.join(unknown)} "
                        "(not a detector type, group alias or custom recognizer type)"
                    )
        if problems:
            # One line per problem; the loader reports them separately.
            raise ValueError("\n".join(problems))
        return self

    @property
    def custom_entity_types(self) -> frozenset[str]:
        custom = self.recognizers
        return frozenset(r.entity_type for r in custom.regexes) | frozenset(
            k.entity_type for k in custom.keywords
        )

    def rules(self) -> Iterator[tuple[RuleSet, Rule]]:
        """Every rule with its rule set, in file order."""
        for rule_set in self.rule_sets:
            for rule in rule_set.rules:
                yield rule_set, rule

    def url_text(self) -> str:
        return self.acceptable_use_url or DEFAULT_URL_TEXT


def check_template(value: str) -> str:
    """Accept a message template that uses only the known ``{fields}``."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise ValueError(f"message template is malformed: {exc}") from None
    unknown = sorted(fields - _TEMPLATE_FIELDS)
    if unknown:
        known = ", ".join("{" + f + "}" for f in sorted(_TEMPLATE_FIELDS))
        raise ValueError(f"message template uses unknown field(s) {unknown}; known: {known}")
    return value
