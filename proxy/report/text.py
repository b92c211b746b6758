"""What the HTML and Markdown reports both say, in the same words and number formats: the
tables' rows as plain strings, built once from :class:`ReportData`.

A renderer only lays these out; a figure is therefore formatted the same way in both
documents (``1,234``, ``99.2 %``), and tests look figures up with :func:`count`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from proxy.report.data import DECISIONS, ReportData, Volume


def count(value: int) -> str:
    """A count as printed in the report: ``12,345``."""
    return f"{value:,}"


def percent(ratio: float | None) -> str:
    """A share as printed in the report: ``99.2 %`` (``n/a`` without a denominator)."""
    return "n/a" if ratio is None else f"{ratio * 100:.1f} %"


def day_time(iso: str | None) -> str:
    """An ISO time as ``2026-07-01 10:02`` (UTC)."""
    return iso[:16].replace("T", " ") if iso else "-"


@dataclass(frozen=True, slots=True)
class Table:
    """A table of one section: headers, rows of strings, and what to say when empty."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    empty: str = "none"
    #: Columns (by index) that hold numbers: right-aligned.
    numeric: frozenset[int] = frozenset()


def summary_items(data: ReportData) -> list[tuple[str, str, str]]:
    """(label, value, tone) for the summary at the top; tone: good | bad | warn | ''."""
    s = data.summary()
    chain = "intact" if s["chain_intact"] else f"{len(data.chain.findings)} finding(s)"
    return [
        ("Calls", count(s["calls"]), ""),
        ("Blocked", count(s["block"]), ""),
        ("Redacted / pseudonymised", f"{count(s['redact'])} / {count(s['pseudonymise'])}", ""),
        ("Flagged", count(s["flag"]), ""),
        ("Monitor mode would have blocked", count(s["would_block"]), ""),
        ("Refused (register, keys, limits)", count(s["reject"]), ""),
        (
            "Detection coverage",
            percent(s["coverage"]),
            "good" if (s["coverage"] or 0) >= 0.99 else "warn",
        ),
        ("Fail-open decisions", count(s["fail_open"]), "bad" if s["fail_open"] else "good"),
        (
            "Policy changes (refused)",
            f"{count(s['policy_changes'])} ({count(s['rejected_changes'])})",
            "",
        ),
        (
            "Register reviews overdue",
            count(s["register_overdue"]),
            "bad" if s["register_overdue"] else "good",
        ),
        (
            "Anomalies (open)",
            f"{count(s['anomalies'])} ({count(s['anomalies_open'])})",
            "warn" if s["anomalies_open"] else "good",
        ),
        ("Content reads", count(s["content_reads"]), ""),
        ("Log chain", chain, "good" if s["chain_intact"] else "bad"),
    ]


def register_table(register: Mapping[str, Any]) -> Table:
    rows = []
    for m in register.get("models", ()):
        approval = " / ".join(v for v in (m["approved_by"], m["approved_at"]) if v) or "-"
        if not m["approved"]:
            approval = "not approved" + (f" ({approval})" if approval != "-" else "")
        rows.append(
            [
                m["model"],
                m["provider"],
                m["owner"] or "-",
                approval,
                m["data_classification"],
                m["region"] or "-",
                m["review_by"] or "-",
                m["review"],
                day_time(m["last_used"]),
                count(m["calls_30d"]),
            ]
        )
    return Table(
        [
            "Model",
            "Provider",
            "Owner",
            "Approved by / at",
            "Data class",
            "Region",
            "Review by",
            "Review state",
            "Last used",
            "Calls",
        ],
        rows,
        "no models listed: the register is open",
        frozenset({9}),
    )


def shadow_table(register: Mapping[str, Any]) -> Table:
    rows = [
        [
            u["model"],
            count(u["calls"]),
            count(u["refused"]),
            day_time(u["last_used"]),
            ", ".join(u["teams"]) or "-",
        ]
        for u in register.get("shadow_ai", ())
    ]
    return Table(
        ["Model", "Calls", "Refused", "Last used", "Teams"],
        rows,
        "none: no calls to models outside the register",
        frozenset({1, 2}),
    )


def config_table(data: ReportData, *, at_start: bool) -> Table:
    changes = data.config_at_start if at_start else data.config_changes
    rows = [
        [
            day_time(c.ts),
            c.kind,
            c.trigger,
            c.content_hash[:12] or "-",
            "accepted" if c.accepted else "REFUSED",
            c.reason if not c.accepted else c.label,
        ]
        for c in changes
    ]
    empty = "no version recorded before the period" if at_start else "no change in the period"
    return Table(
        ["Recorded", "Kind", "Trigger", "Version", "Outcome", "What / why refused"], rows, empty
    )


def volume_table(volumes: Sequence[Volume], what: str) -> Table:
    rows = [
        [
            v.name,
            count(v.calls),
            count(v.prompt_tokens + v.completion_tokens),
            *(count(v.count(d)) for d in DECISIONS),
        ]
        for v in volumes
    ]
    return Table(
        [what, "Calls", "Tokens", *(d.capitalize() for d in DECISIONS)],
        rows,
        "no calls",
        frozenset(range(1, 3 + len(DECISIONS))),
    )


def rules_table(data: ReportData) -> Table:
    rows = []
    for r in data.rules:
        action = r.action or "?"
        if r.kind == "monitor":
            action = f"would have: {action}"
        elif r.kind == "unchecked":
            action = "block or flag, by failure mode"
        rows.append(
            [
                r.rule,
                r.kind,
                action,
                count(r.calls),
                *(count(r.decisions.get(d, 0)) for d in DECISIONS[1:5]),
            ]
        )
    return Table(
        [
            "Rule",
            "Mode",
            "Action",
            "Calls matched",
            *(f"Call {d}" for d in ("flagged", "redacted", "pseudonymised", "blocked")),
        ],
        rows,
        "no rule matched a call",
        frozenset(range(3, 8)),
    )


def coverage_table(data: ReportData) -> Table:
    c = data.coverage
    rows = [
        ["Calls in the period", count(c.calls)],
        ["Refused before inspection (register, keys, limits, malformed)", count(c.refused)],
        ["Calls that needed inspection", count(c.needing)],
        ["Inspected to completion", count(c.inspected)],
        ["Coverage (inspected / needed)", percent(c.ratio)],
        ["Detector failures (timeout or unavailable)", count(c.detector_failures)],
        ["  of which failed open (let through, flagged)", count(c.fail_open)],
        ["  of which failed closed (blocked)", count(c.fail_closed)],
        ["Texts over the inspection limit", count(c.over_limit)],
        ["  of which let through (flagged)", count(c.over_limit_open)],
    ]
    return Table(["Measure", "Calls"], rows, numeric=frozenset({1}))


def entity_table(data: ReportData) -> Table:
    rows = [[e.entity_type, count(e.calls), count(e.findings)] for e in data.entities]
    return Table(["Entity type", "Calls", "Findings"], rows, "no findings", frozenset({1, 2}))


def anomaly_table(data: ReportData) -> Table:
    rows = [
        [
            day_time(a.interval_start),
            a.kind.replace("_", " "),
            a.subject,
            a.team or "-",
            a.what,
            a.state
            if a.state != "investigated"
            else f"investigated by {a.reviewed_by}, {day_time(a.reviewed_at)}",
        ]
        for a in data.anomalies
    ]
    return Table(["From", "Kind", "Subject", "Team", "What", "State"], rows, "no anomaly found")


def readers_table(data: ReportData) -> Table:
    rows = [
        [
            r.actor,
            r.claimed_actor or "-",
            r.via,
            r.role,
            count(r.reads),
            count(r.content_reads),
            count(r.calls_read),
            day_time(r.last_read),
        ]
        for r in data.readers
    ]
    return Table(
        [
            "Reader",
            "Acting for (claimed)",
            "Via",
            "Role",
            "Reads",
            "Content reads",
            "Calls read",
            "Last read",
        ],
        rows,
        "nobody read the event log",
        frozenset({4, 5, 6}),
    )


def content_reads_table(data: ReportData) -> Table:
    rows = [
        [
            day_time(r.ts),
            r.actor,
            r.claimed_actor or "-",
            r.action,
            r.via,
            count(r.calls),
            ", ".join(r.sample_ids) + (" ..." if r.calls > len(r.sample_ids) else ""),
        ]
        for r in data.content_reads
    ]
    return Table(
        ["When", "Reader", "Acting for", "Action", "Via", "Calls", "Request ids"],
        rows,
        "no prompt or answer was read",
        frozenset({5}),
    )


def retention_table(data: ReportData) -> Table:
    r = data.retention
    rows = [
        ["Calls (metadata, findings, hashes) kept", f"{count(r.retention_days)} days"],
        ["Prompt and answer text kept", f"{count(r.text_retention_days)} days"],
        ["Default content mode", r.default_content_mode],
        *([f"Calls stored with content mode {m}", count(n)] for m, n in r.content_modes.items()),
        ["Oldest call in the store", day_time(r.oldest_call)],
    ]
    return Table(["Setting", "Value"], rows)


def chain_table(data: ReportData) -> Table:
    c = data.chain
    rows = [
        ["Result", "intact" if c.intact else f"{len(c.findings)} finding(s)"],
        ["Checked from", day_time(c.checked_since)],
        ["Batches (links) checked", count(c.links)],
        ["Calls checked", count(c.rows)],
        ["Calls whose text expired by retention", count(c.text_expired)],
        ["Calls expired by retention", count(c.rows_expired)],
        ["Calls older than the chain (not covered)", count(c.not_covered)],
        ["Calls waiting for their batch's link", count(c.pending)],
    ]
    return Table(["Measure", "Value"], rows, numeric=frozenset({1}))


def chain_findings_table(data: ReportData) -> Table:
    rows = [
        [
            f["kind"],
            f["writer_id"] or "-",
            str(f["seq"] or "-"),
            f["request_id"] or "-",
            f["detail"] or "-",
        ]
        for f in data.chain.findings
    ]
    return Table(["Finding", "Writer", "Batch", "Request id", "Detail"], rows, "none")


def controls_table(data: ReportData) -> Table:
    rows = [
        [c["title"], c["evidence"], "; ".join(c["iso27001"]), "; ".join(c["iso42001"])]
        for c in data.controls
    ]
    return Table(
        ["Section", "Evidence", "ISO/IEC 27001:2022 Annex A", "ISO/IEC 42001:2023 Annex A"], rows
    )


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart's place in a section (HTML draws it; Markdown leaves it out)."""

    name: str  # volume | rules | coverage


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


Block = Table | Chart | Heading


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the report: its anchor (the JSON key and control-map id), title,
    what it shows in a sentence, and its blocks in order."""

    id: str
    title: str
    intro: str
    blocks: Sequence[Block]


def sections(data: ReportData) -> list[Section]:
    """The report's sections, in order (the summary is laid out by each renderer)."""
    register = data.register
    review_day = day_time(register.get("generated_at"))[:10]
    origin = register.get("origin", "")
    return [
        Section(
            "register",
            "AI use register and review state",
            f"The register in force on {review_day} ({origin}), each model's review state on "
            f"that day and its calls since {day_time(register.get('usage_since'))[:10]}; then "
            "models called without being listed (shadow AI).",
            [register_table(register), Heading("Shadow AI"), shadow_table(register)],
        ),
        Section(
            "configuration",
            "Policy versions in force and changes",
            "Every policy, register, providers, limits, log-content and key-set version the "
            "proxy recorded: those in force when the period began, then each change, "
            "refused ones with the reason.",
            [
                Heading("In force at the start of the period"),
                config_table(data, at_start=True),
                Heading("Changes during the period"),
                config_table(data, at_start=False),
            ],
        ),
        Section(
            "volume",
            "Volume per model, team and application",
            "Calls per day by outcome, then calls, tokens and decisions per model, team "
            "and application.",
            [
                Chart("volume"),
                Heading("Per model"),
                volume_table(data.by_model, "Model"),
                Heading("Per team"),
                volume_table(data.by_team, "Team"),
                Heading("Per application"),
                volume_table(data.by_app, "Application"),
            ],
        ),
        Section(
            "decisions",
            "Decisions per rule",
            "Calls each rule matched and the decision each call got. Rules in monitor "
            f"mode enforce nothing: {count(data.would_block)} calls would have been blocked "
            "had they been enforced.",
            [Chart("rules"), rules_table(data)],
        ),
        Section(
            "coverage",
            "Detection coverage",
            "How many calls the detectors checked in full, and every call the policy had "
            "to decide without findings (detectors failed or a text was over the limit).",
            [Chart("coverage"), coverage_table(data)],
        ),
        Section(
            "entity_types",
            "Top entity types",
            "Kinds of personal data and secrets found, by calls and findings (never the values).",
            [entity_table(data)],
        ),
        Section(
            "anomalies",
            "Anomalies and their state",
            "Unusual behaviour, recomputed week by week over the period; investigated "
            "when someone read the logs behind it afterwards (audit log).",
            [anomaly_table(data)],
        ),
        Section(
            "content_access",
            "Content-read audit",
            "Every read of the event log in the period by reader, then each read of "
            "prompt or answer text.",
            [
                readers_table(data),
                Heading("Reads of prompt and answer text"),
                content_reads_table(data),
            ],
        ),
        Section(
            "retention",
            "Retention settings",
            "How long the store keeps calls and their text, and the content modes the "
            "period's calls were stored with.",
            [retention_table(data)],
        ),
        Section(
            "log_chain",
            "Log-chain verification",
            "The event log's hash chain recomputed at the time of this report, from the "
            "start of the period: an altered, deleted or inserted call is a finding.",
            [chain_table(data), Heading("Findings"), chain_findings_table(data)],
        ),
        Section(
            "controls",
            "Controls evidenced",
            "Which ISO/IEC 27001 and ISO/IEC 42001 Annex A controls each section gives "
            "evidence for. Whether a control is met is for the organisation and its auditor.",
            [controls_table(data)],
        ),
    ]
