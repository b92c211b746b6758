"""Unusual behaviour in the event log (ISO 27001 monitoring): who departs from their own past.

Four questions, each one query over ``requests`` defined in :mod:`proxy.store.anomaly_rules`
(with the thresholds, and the reasons for them), which the security dashboard's "Unusual
behaviour" panels run too:

* **Volume**: users and apps whose calls or tokens in some interval of the window are far
  above their own baseline (the intervals before the window).
* **Blocks**: teams whose blocked calls spike the same way.
* **New models**: a team using a model in the window that it never used in the baseline.
* **Output drift**: per model, the window against the period of equal length before it —
  response length, refusal rate, error rate.

The queries judge inside ClickHouse; this module binds the window and the thresholds, runs
them and turns their rows into the named results of :class:`AnomalyReport`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from clickhouse_connect.driver.client import Client

from proxy.store.anomaly_rules import (
    NEW_MODEL_SAMPLE_USERS,
    PERIOD_COLUMNS,
    REFUSAL_PHRASES,
    REFUSAL_SCAN_CHARS,
    SUBJECT_METRICS,
    Change,
    Metric,
    SubjectKind,
    Thresholds,
    bind,
    departures_query,
    new_models_query,
    output_drift_query,
    windows_query,
)
from proxy.store.queries import Query, epoch_millis

__all__ = [
    "NEW_MODEL_SAMPLE_USERS",
    "REFUSAL_PHRASES",
    "REFUSAL_SCAN_CHARS",
    "SUBJECT_METRICS",
    "AnomalyReport",
    "Change",
    "Departure",
    "Metric",
    "ModelDrift",
    "NewModel",
    "OutputStats",
    "SubjectKind",
    "Thresholds",
    "Windows",
    "find_anomalies",
    "find_windows",
]


@dataclass(frozen=True, slots=True)
class Departure:
    """A subject's busiest interval of the window, far above its own baseline."""

    kind: SubjectKind
    subject: str
    #: The team last seen for the subject (the team itself for team subjects).
    team: str
    metric: Metric
    interval_start: datetime
    interval_end: datetime
    observed: int
    #: Mean and standard deviation per interval over the subject's baseline history.
    baseline_mean: float
    baseline_stddev: float
    #: Intervals of history the baseline covers (from the subject's first one).
    baseline_intervals: int
    ratio: float
    z_score: float


@dataclass(frozen=True, slots=True)
class NewModel:
    """A model a team used in the window and never in the baseline."""

    team: str
    model: str
    first_seen: datetime
    last_seen: datetime
    calls: int
    users: int
    sample_users: tuple[str, ...]
    #: Decisions those calls got (a ``reject`` means the register refused the model).
    decisions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OutputStats:
    """A model's output over one period. Calls blocked by policy or rejected (register,
    limits, bad keys) never reached the model and are not counted."""

    calls: int
    errors: int
    #: Calls that were answered (not failed); lengths and refusals are over these.
    answered: int
    median_completion_tokens: float | None
    avg_completion_tokens: float | None
    median_response_chars: float | None
    avg_response_chars: float | None
    #: Answered calls whose response text was kept (content modes full/redacted).
    with_text: int
    refusals: int

    @property
    def error_rate(self) -> float | None:
        return self.errors / self.calls if self.calls else None

    @property
    def refusal_rate(self) -> float | None:
        """None when no response text was stored in the period (hash/none modes)."""
        return self.refusals / self.with_text if self.with_text else None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["error_rate"] = self.error_rate
        out["refusal_rate"] = self.refusal_rate
        return out


@dataclass(frozen=True, slots=True)
class ModelDrift:
    """A model whose output in the window differs from the period before it."""

    model: str
    current: OutputStats
    previous: OutputStats
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class AnomalyReport:
    """Everything unusual in one window, each list most significant first."""

    window_start: datetime
    window_end: datetime
    baseline_start: datetime
    interval: timedelta
    thresholds: Thresholds
    volume: tuple[Departure, ...] = ()
    blocks: tuple[Departure, ...] = ()
    new_models: tuple[NewModel, ...] = ()
    output_drift: tuple[ModelDrift, ...] = ()

    @property
    def count(self) -> int:
        return len(self.volume) + len(self.blocks) + len(self.new_models) + len(self.output_drift)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: times ISO 8601, durations in seconds."""
        return {
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "baseline_start": self.baseline_start.isoformat(),
            "interval_seconds": self.interval.total_seconds(),
            "thresholds": asdict(self.thresholds),
            "count": self.count,
            "volume": [_departure_dict(d) for d in self.volume],
            "blocks": [_departure_dict(d) for d in self.blocks],
            "new_models": [_new_model_dict(m) for m in self.new_models],
            "output_drift": [
                {
                    "model": d.model,
                    "changes": [c.value for c in d.changes],
                    "current": d.current.to_dict(),
                    "previous": d.previous.to_dict(),
                }
                for d in self.output_drift
            ],
        }


def _departure_dict(d: Departure) -> dict[str, Any]:
    out = asdict(d)
    out["kind"] = d.kind.value
    out["metric"] = d.metric.value
    out["interval_start"] = d.interval_start.isoformat()
    out["interval_end"] = d.interval_end.isoformat()
    return out


def _new_model_dict(m: NewModel) -> dict[str, Any]:
    out = asdict(m)
    out["first_seen"] = m.first_seen.isoformat()
    out["last_seen"] = m.last_seen.isoformat()
    out["sample_users"] = list(m.sample_users)
    out["decisions"] = list(m.decisions)
    return out


@dataclass(frozen=True, slots=True)
class Windows:
    """The time ranges of one report, all ending at ``now``, as the queries cut them."""

    now: datetime
    since: timedelta
    #: Intervals in the window: one per day, or one for windows under a day.
    intervals: int
    interval: timedelta
    #: Intervals of the baseline before the window.
    baseline_intervals: int

    @property
    def window_start(self) -> datetime:
        return self.now - self.since

    @property
    def baseline_start(self) -> datetime:
        return self.window_start - self.interval * self.baseline_intervals

    def interval_bounds(self, index: int) -> tuple[datetime, datetime]:
        """Start and end of interval ``index`` (0 is the most recent)."""
        end = self.now - self.interval * index
        return end - self.interval, end


def _bound(query: Query, thresholds: Thresholds, now: datetime, since: timedelta) -> Query:
    return bind(query, thresholds, now_ms=epoch_millis(now), window_ms=epoch_millis(now - since))


def find_windows(
    client: Client, *, now: datetime, since: timedelta, thresholds: Thresholds
) -> Windows:
    """How the queries cut ``since`` before ``now`` (their arithmetic, asked of ClickHouse)."""
    query = _bound(windows_query(), thresholds, now, since)
    ((intervals, interval_ms, baseline_intervals, _),) = client.query(
        query.sql, parameters=query.parameters
    ).result_rows
    return Windows(
        now=now,
        since=since,
        intervals=int(intervals),
        interval=timedelta(milliseconds=int(interval_ms)),
        baseline_intervals=int(baseline_intervals),
    )


def _rows(client: Client, query: Query) -> list[dict[str, Any]]:
    result = client.query(query.sql, parameters=query.parameters)
    return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]


def _departures(kind: SubjectKind, rows: list[dict[str, Any]]) -> list[Departure]:
    return [
        Departure(
            kind=kind,
            subject=row[kind.value],
            team=row.get("team", row[kind.value]),
            metric=Metric(row["metric"]),
            interval_start=_utc(row["interval_start"]),
            interval_end=_utc(row["interval_end"]),
            observed=int(row["observed"]),
            baseline_mean=float(row["baseline_mean"]),
            baseline_stddev=float(row["baseline_stddev"]),
            baseline_intervals=int(row["baseline_intervals"]),
            ratio=float(row["ratio"]),
            z_score=float(row["z_score"]),
        )
        for row in rows
    ]


def _new_models(rows: list[dict[str, Any]]) -> list[NewModel]:
    return [
        NewModel(
            team=row["team"],
            model=row["model"],
            first_seen=_utc(row["first_seen"]),
            last_seen=_utc(row["last_seen"]),
            calls=int(row["calls"]),
            users=int(row["users"]),
            sample_users=tuple(row["sample_users"]),
            decisions=tuple(row["decisions"]),
        )
        for row in rows
    ]


def _stats(row: dict[str, Any], period: str) -> OutputStats:
    values = {column: row[f"{period}_{column}"] for column in PERIOD_COLUMNS}
    some = int(values["answered"]) > 0
    return OutputStats(
        calls=int(values["calls"]),
        errors=int(values["errors"]),
        answered=int(values["answered"]),
        median_completion_tokens=float(values["median_tokens"]) if some else None,
        avg_completion_tokens=float(values["avg_tokens"]) if some else None,
        median_response_chars=float(values["median_chars"]) if some else None,
        avg_response_chars=float(values["avg_chars"]) if some else None,
        with_text=int(values["with_text"]),
        refusals=int(values["refusals"]),
    )


def _drifts(rows: list[dict[str, Any]]) -> list[ModelDrift]:
    return [
        ModelDrift(
            model=row["model"],
            current=_stats(row, "c"),
            previous=_stats(row, "p"),
            changes=tuple(Change(change) for change in row["changes"]),
        )
        for row in rows
    ]


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def find_anomalies(
    client: Client,
    *,
    database: str,
    since: timedelta,
    now: datetime | None = None,
    thresholds: Thresholds | None = None,
) -> AnomalyReport:
    """Everything unusual in the ``since`` before ``now`` (default: the current time)."""
    if since <= timedelta(0):
        raise ValueError(f"since must be positive, got {since}")
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    thresholds = thresholds or Thresholds()
    windows = find_windows(client, now=now, since=since, thresholds=thresholds)

    def rows(query: Query) -> list[dict[str, Any]]:
        return _rows(client, _bound(query, thresholds, now, since))

    volume: list[Departure] = []
    for kind in (SubjectKind.USER, SubjectKind.APP):
        volume += _departures(kind, rows(departures_query(kind, database=database)))
    blocks = _departures(
        SubjectKind.TEAM, rows(departures_query(SubjectKind.TEAM, database=database))
    )

    def significance(d: Departure) -> tuple[float, str]:
        return (-d.z_score, d.subject)

    return AnomalyReport(
        window_start=windows.window_start,
        window_end=now,
        baseline_start=windows.baseline_start,
        interval=windows.interval,
        thresholds=thresholds,
        volume=tuple(sorted(volume, key=significance)),
        blocks=tuple(sorted(blocks, key=significance)),
        new_models=tuple(_new_models(rows(new_models_query(database=database)))),
        output_drift=tuple(_drifts(rows(output_drift_query(database=database)))),
    )
