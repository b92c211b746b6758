"""What the evidence report holds: one typed, immutable :class:`ReportData` per period.

The collector (:mod:`proxy.report.collect`) fills it from the store; the renderers (HTML,
Markdown, JSON) only read it. :meth:`ReportData.to_dict` is the JSON document GRC tools
consume: its keys are stable (``report_version`` changes when one is renamed or removed)
and documented in the README ("Evidence for audits").

Nothing here holds prompt or response text: only identities, models, rule ids, entity
types, counts and hashes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from core.inspection import CallDecision

#: Bumped when a key of :meth:`ReportData.to_dict` is renamed or removed (adding is free).
REPORT_VERSION = 1

#: Decisions a call can get, in the order tables show them (``reject``: refused before
#: inspection by authentication, the register or limits; ``budget``: refused by a spend
#: budget; ``error``: failed upstream): every recorded decision, so none goes uncounted.
DECISIONS = tuple(decision.value for decision in CallDecision)

#: Longest period one report covers: every row of the period is read.
MAX_PERIOD = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class Period:
    """The days a report covers, UTC: ``start`` inclusive, ``end`` exclusive."""

    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(milliseconds=1)).date()

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
            "start": self.start.isoformat(),
            "end_exclusive": self.end.isoformat(),
        }


def parse_period(first: str, last: str) -> Period:
    """``--from`` and ``--to`` as a period; ValueError with a one-line reason.

    Dates (``2026-07-01``) cover whole UTC days, ``--to`` included; ISO timestamps are
    taken as given (``--to`` exclusive)."""
    start = _bound("--from", first, end=False)
    end = _bound("--to", last, end=True)
    if start >= end:
        raise ValueError(f"--from ({first}) is after --to ({last})")
    if end - start > MAX_PERIOD:
        raise ValueError(f"the period is longer than {MAX_PERIOD.days} days; split it")
    return Period(start, end)


def _bound(name: str, raw: str, *, end: bool) -> datetime:
    text = (raw or "").strip()
    try:
        if len(text) == 10:  # a date: the whole day
            day = date.fromisoformat(text)
            value = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return value + timedelta(days=1) if end else value
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name} {raw!r} is not a date (2026-07-01) or an ISO 8601 time") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Volume:
    """Calls of one model, team or app (or one day), by decision, and their tokens."""

    name: str
    calls: int
    prompt_tokens: int
    completion_tokens: int
    decisions: Mapping[str, int]

    def count(self, decision: str) -> int:
        return self.decisions.get(decision, 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "decisions": {d: self.count(d) for d in DECISIONS},
        }


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """Calls one rule matched, by the decision each call got.

    ``kind``: ``enforce`` (the rule acted), ``monitor`` (it only recorded what it would
    have done: ``action`` is what it would have done), ``unchecked`` (the policy decided
    without findings: detectors failed or a text exceeded the inspection limit)."""

    rule: str
    kind: str
    action: str  # from the policy versions of the period; "" when not found there
    calls: int
    decisions: Mapping[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "action": self.action,
            "calls": self.calls,
            "decisions": {d: self.decisions.get(d, 0) for d in DECISIONS},
        }


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of the traffic the detectors checked, and how enforcement failed."""

    calls: int
    #: Refused before inspection (authentication, register, limits, malformed requests).
    refused: int
    #: Calls whose detection ran to completion (neither failed nor cut at the limit).
    inspected: int
    detector_failures: int
    #: Detector failures the policy let through (flagged): the fail-open decisions.
    fail_open: int
    fail_closed: int
    #: Calls with a text longer than ``detection.max_inspected_chars`` (the size budget).
    over_limit: int
    over_limit_open: int

    @property
    def needing(self) -> int:
        """Calls that needed inspection: every call not refused before it."""
        return self.calls - self.refused

    @property
    def ratio(self) -> float | None:
        return self.inspected / self.needing if self.needing else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "needing_inspection": self.needing, "ratio": self.ratio}


@dataclass(frozen=True, slots=True)
class EntityCount:
    entity_type: str
    calls: int
    findings: int


@dataclass(frozen=True, slots=True)
class ConfigChange:
    """One recorded configuration version (see :mod:`proxy.store.config_history`)."""

    ts: str
    kind: str
    content_hash: str
    trigger: str
    path: str
    accepted: bool
    reason: str
    #: What the version is, for a reader: the policy's name and rule count, models listed.
    label: str


@dataclass(frozen=True, slots=True)
class Anomaly:
    """Something unusual found in the period, and whether anyone looked at it since."""

    kind: str  # volume | blocks | new_model | output_drift
    subject: str  # "user alice", "team support", "model gpt-4o"
    team: str
    what: str  # a short description: metric, observed against baseline
    interval_start: str
    interval_end: str
    #: ``investigated`` when a log read after the anomaly named the subject or its calls.
    state: str
    reviewed_by: str = ""
    reviewed_at: str = ""


@dataclass(frozen=True, slots=True)
class ReaderSummary:
    """Reads of the event log by one reader in the period."""

    actor: str
    claimed_actor: str
    via: str
    role: str
    reads: int
    content_reads: int
    #: Distinct calls whose prompt or response text this reader read.
    calls_read: int
    last_read: str


@dataclass(frozen=True, slots=True)
class ContentRead:
    """One read of logged content (an ``audit_log`` row with ``include_content``)."""

    ts: str
    actor: str
    claimed_actor: str
    action: str
    via: str
    calls: int
    #: The first request ids read (all of them are in ``audit_log``).
    sample_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Retention:
    """What the store keeps, as configured, and what the period's calls kept."""

    retention_days: int
    text_retention_days: int
    default_content_mode: str
    #: Calls of the period by the content mode they were stored with.
    content_modes: Mapping[str, int]
    oldest_call: str  # the oldest call still stored ("" when none)


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """The hash chain's verification (:mod:`proxy.store.chain_verify`) from the period's
    start to the time of the report."""

    intact: bool
    checked_since: str
    links: int
    rows: int
    findings: tuple[Mapping[str, Any], ...]
    text_expired: int
    rows_expired: int
    not_covered: int
    pending: int


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the evidence report shows for one period."""

    period: Period
    generated_at: datetime
    source: str  # the store read: an engine directory or a server, never credentials
    calls: int
    daily: tuple[Volume, ...]
    by_model: tuple[Volume, ...]
    by_team: tuple[Volume, ...]
    by_app: tuple[Volume, ...]
    rules: tuple[RuleOutcome, ...]
    #: Calls a monitor-mode block rule matched: what enforcing it would have blocked.
    would_block: int
    coverage: Coverage
    entities: tuple[EntityCount, ...]
    #: Versions in force at the period's start, then every change within it.
    config_at_start: tuple[ConfigChange, ...]
    config_changes: tuple[ConfigChange, ...]
    #: ``RegisterStatus.to_dict()`` as of the period's end, plus where the register came from.
    register: Mapping[str, Any]
    anomalies: tuple[Anomaly, ...]
    readers: tuple[ReaderSummary, ...]
    content_reads: tuple[ContentRead, ...]
    retention: Retention
    chain: ChainCheck
    controls: tuple[Mapping[str, Any], ...] = field(default=())

    def decision_total(self, decision: str) -> int:
        return sum(day.count(decision) for day in self.daily)

    def summary(self) -> dict[str, Any]:
        """The figures at the top of the report."""
        overdue = sum(m["review_state"] == "overdue" for m in self.register.get("models", ()))
        return {
            "calls": self.calls,
            **{d: self.decision_total(d) for d in DECISIONS},
            "would_block": self.would_block,
            "coverage": self.coverage.ratio,
            "detector_failures": self.coverage.detector_failures,
            "fail_open": self.coverage.fail_open,
            "policy_changes": sum(c.kind == "policy" and c.accepted for c in self.config_changes),
            "rejected_changes": sum(not c.accepted for c in self.config_changes),
            "register_overdue": overdue,
            "shadow_ai_models": len(self.register.get("shadow_ai", ())),
            "anomalies": len(self.anomalies),
            "anomalies_open": sum(a.state != "investigated" for a in self.anomalies),
            "content_reads": len(self.content_reads),
            "chain_intact": self.chain.intact,
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (stable keys; see the README)."""
        return {
            "report_version": REPORT_VERSION,
            "period": self.period.to_dict(),
            "generated_at": self.generated_at.isoformat(),
            "source": self.source,
            "summary": self.summary(),
            "register": dict(self.register),
            "configuration": {
                "in_force_at_start": [asdict(c) for c in self.config_at_start],
                "changes": [asdict(c) for c in self.config_changes],
            },
            "volume": {
                "daily": [v.to_dict() for v in self.daily],
                "by_model": [v.to_dict() for v in self.by_model],
                "by_team": [v.to_dict() for v in self.by_team],
                "by_app": [v.to_dict() for v in self.by_app],
            },
            "decisions": {
                "by_rule": [r.to_dict() for r in self.rules],
                "would_block": self.would_block,
            },
            "coverage": self.coverage.to_dict(),
            "entity_types": [asdict(e) for e in self.entities],
            "anomalies": [asdict(a) for a in self.anomalies],
            "content_access": {
                "readers": [asdict(r) for r in self.readers],
                "content_reads": [
                    {**asdict(r), "sample_ids": list(r.sample_ids)} for r in self.content_reads
                ],
            },
            "retention": {
                **asdict(self.retention),
                "content_modes": dict(self.retention.content_modes),
            },
            "log_chain": {**asdict(self.chain), "findings": [dict(f) for f in self.chain.findings]},
            "controls": [dict(c) for c in self.controls],
        }
