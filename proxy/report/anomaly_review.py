"""The anomalies of a period, and whether anyone looked at them.

The proxy keeps no anomaly records of its own: ``llm-proxy anomalies`` computes them from
the event log on demand. The report recomputes them as an operator checking weekly would
have seen them: :func:`proxy.store.anomalies.find_anomalies` over each week of the period
(default thresholds, each week against the 28 days before it), the same departure found
twice counted once.

An anomaly's *state* answers "was it looked at?" from ``audit_log``: it is
``investigated`` when a read of the event log after the anomaly began named its subject
in its filters (``--user``, ``--team``, ``--model``) or, for a user's, app's or team's
departure, returned one of the subject's calls from the anomalous interval; otherwise
``open``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from clickhouse_connect.driver.client import Client

from proxy.report.data import Anomaly, Period
from proxy.store.anomalies import Departure, ModelDrift, NewModel, find_anomalies
from proxy.store.queries import epoch_millis, requests_table

#: The window each recomputation covers.
WEEK = timedelta(days=7)
#: A last window shorter than this joins the one before it.
MIN_WINDOW = timedelta(days=1)
#: Calls of a subject checked against the ids the audit log names.
MAX_SUBJECT_CALLS = 10_000


def weekly_windows(period: Period, now: datetime) -> list[tuple[datetime, datetime]]:
    """(start, end) of each week of the period, none past ``now``."""
    end = min(period.end, now)
    bounds = [period.start]
    while bounds[-1] + WEEK < end:
        bounds.append(bounds[-1] + WEEK)
    if len(bounds) > 1 and end - bounds[-1] < MIN_WINDOW:
        bounds.pop()
    bounds.append(end)
    return [(a, b) for a, b in pairwise(bounds) if b > a]


@dataclass(frozen=True, slots=True)
class _Found:
    """An anomaly before its review: what it is, and how to find its calls."""

    anomaly: Anomaly
    filter_key: str  # the audit filter that names the subject ("" when none does)
    filter_value: str
    column: str  # requests column of the subject's calls ("" when not a single subject)
    start: datetime
    end: datetime


def review_anomalies(
    client: Client,
    database: str,
    period: Period,
    now: datetime,
    audit_rows: Sequence[Mapping[str, Any]],
) -> tuple[Anomaly, ...]:
    """Every anomaly found in the period's weeks, with its state."""
    found: dict[tuple[str, ...], _Found] = {}
    for start, end in weekly_windows(period, now):
        report = find_anomalies(client, database=database, since=end - start, now=end)
        for item in (
            *(_departure("volume", d) for d in report.volume),
            *(_departure("blocks", d) for d in report.blocks),
            *(_new_model(m) for m in report.new_models),
            *(_drift(d, start, end) for d in report.output_drift),
        ):
            key = (
                item.anomaly.kind,
                item.anomaly.subject,
                item.anomaly.what.split(":")[0],
                item.anomaly.interval_start if item.anomaly.kind != "new_model" else "",
            )
            found.setdefault(key, item)
    ordered = sorted(found.values(), key=lambda f: (f.anomaly.interval_start, f.anomaly.subject))
    return tuple(_reviewed(client, database, item, audit_rows) for item in ordered)


def _departure(kind: str, d: Departure) -> _Found:
    what = (
        f"{d.metric.value}: {d.observed:,} in one interval against a baseline of "
        f"{d.baseline_mean:,.1f} (x{d.ratio:,.1f}, z {d.z_score:,.1f})"
    )
    subject = d.kind.value
    anomaly = Anomaly(
        kind=kind,
        subject=f"{subject} {d.subject}",
        team=d.team,
        what=what,
        interval_start=d.interval_start.isoformat(),
        interval_end=d.interval_end.isoformat(),
        state="open",
    )
    key = subject if subject in ("user", "team") else ""
    return _Found(anomaly, key, d.subject, subject, d.interval_start, d.interval_end)


def _new_model(m: NewModel) -> _Found:
    what = (
        f"new model: first use of {m.model} by team {m.team}, {m.calls:,} calls by "
        f"{m.users} users (decisions: {', '.join(m.decisions)})"
    )
    anomaly = Anomaly(
        kind="new_model",
        subject=f"model {m.model}",
        team=m.team,
        what=what,
        interval_start=m.first_seen.isoformat(),
        interval_end=m.last_seen.isoformat(),
        state="open",
    )
    return _Found(anomaly, "model", m.model, "", m.first_seen, m.last_seen)


def _drift(d: ModelDrift, start: datetime, end: datetime) -> _Found:
    changes = ", ".join(c.value.replace("_", " ") for c in d.changes)
    anomaly = Anomaly(
        kind="output_drift",
        subject=f"model {d.model}",
        team="",
        what=f"output drift: {changes} ({d.current.calls:,} calls against {d.previous.calls:,})",
        interval_start=start.isoformat(),
        interval_end=end.isoformat(),
        state="open",
    )
    return _Found(anomaly, "model", d.model, "", start, end)


def _reviewed(
    client: Client, database: str, item: _Found, audit_rows: Iterable[Mapping[str, Any]]
) -> Anomaly:
    later = [row for row in audit_rows if row["ts"] >= item.start]
    if not later:
        return item.anomaly
    calls = _subject_calls(client, database, item)
    for row in later:
        named = bool(item.filter_key) and row["filters"].get(item.filter_key) == item.filter_value
        if named or calls.intersection(row["request_ids"]):
            a = item.anomaly
            return Anomaly(
                a.kind,
                a.subject,
                a.team,
                a.what,
                a.interval_start,
                a.interval_end,
                state="investigated",
                reviewed_by=row["claimed_actor"] or row["actor"],
                reviewed_at=row["ts"].isoformat(),
            )
    return item.anomaly


def _subject_calls(client: Client, database: str, item: _Found) -> set[str]:
    if item.column not in ("user", "team", "app"):
        return set()
    table = requests_table(database)
    sql = f"""
SELECT request_id FROM {table}
WHERE {item.column} = {{subject:String}}
  AND ts >= fromUnixTimestamp64Milli({{start_ms:Int64}}, 'UTC')
  AND ts <= fromUnixTimestamp64Milli({{end_ms:Int64}}, 'UTC')
LIMIT {MAX_SUBJECT_CALLS}
"""  # noqa: S608 - the column is one of three names; values are bound parameters
    params = {
        "subject": item.filter_value,
        "start_ms": epoch_millis(item.start),
        "end_ms": epoch_millis(item.end),
    }
    return {str(row[0]) for row in client.query(sql, parameters=params).result_rows}
