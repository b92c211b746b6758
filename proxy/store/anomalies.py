"""Unusual behaviour in the event log (ISO 27001 monitoring): who departs from their own past.

Four questions, each one parameterised query over ``requests`` (``{name:Type}`` placeholders
bound by ClickHouse; the database and the grouping column are validated identifiers):

* **Volume**: users and apps whose calls or tokens in some interval of the window are far
  above their own baseline (the intervals before the window).
* **Blocks**: teams whose blocked calls spike the same way.
* **New models**: a team using a model in the window that it never used in the baseline.
* **Output drift**: per model, the window against the period of equal length before it —
  response length, refusal rate, error rate.

The window of ``since`` is cut into intervals of at most a day (``7d`` gives seven days,
``2h`` one interval of two hours); an interval's value is compared with the mean and spread
of the subject's intervals over ``baseline_days`` before the window. A subject must have
some history (``min_history_days``), so new users are not reported as spikes.

Nothing here returns prompt or response text: refusals are counted inside ClickHouse with a
fixed list of phrases (not caller-supplied, so the report cannot be used to probe stored
text), and only on calls whose text was kept (content modes ``full``/``redacted``); under
``hash``/``none`` only lengths (tokens, characters) are compared. Rows are read without
``FINAL``: a duplicate not yet collapsed by ReplacingMergeTree may count twice, which is
noise at this scale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from clickhouse_connect.driver.client import Client

from proxy.store.queries import Query, epoch_millis, requests_table

#: Openings of refusals, matched case-insensitively near the start of the stored response
#: (for non-streamed calls the stored response is the provider's JSON body, whose text
#: starts after a short envelope). Typographic apostrophes are folded to ``'`` first.
REFUSAL_PHRASES: tuple[str, ...] = (
    "i can't help with",
    "i cannot help with",
    "i can't assist with",
    "i cannot assist with",
    "i'm sorry, but",
    "i am sorry, but",
    "i'm unable to",
    "i am unable to",
    "i won't be able to",
    "i must decline",
)
#: Characters of each response searched for a refusal phrase.
REFUSAL_SCAN_CHARS = 1000
#: Users listed per new model (the count of users is always exact).
NEW_MODEL_SAMPLE_USERS = 10

_DAY = timedelta(days=1)


class SubjectKind(StrEnum):
    """Whose behaviour is compared with its own past; the value is the ``requests`` column."""

    USER = "user"
    APP = "app"
    TEAM = "team"


class Metric(StrEnum):
    CALLS = "calls"
    TOKENS = "tokens"
    BLOCKED = "blocked"


class Change(StrEnum):
    """What drifted in a model's output."""

    RESPONSE_LENGTH = "response_length"
    REFUSAL_RATE = "refusal_rate"
    ERROR_RATE = "error_rate"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a departure counts. Defaults are starting points; tune them per deployment."""

    #: Days before the window that form the baseline.
    baseline_days: int = 28
    #: Days of history a subject needs before its departures are judged.
    min_history_days: int = 3
    #: Interval value over the baseline mean (a mean under one counts as one).
    ratio: float = 3.0
    #: Standard deviations above the baseline mean (the spread is at least sqrt(mean) and
    #: at least 1, so a perfectly regular baseline does not make every rise significant).
    z_score: float = 3.0
    #: Smallest interval values worth reporting, per metric.
    min_calls: int = 50
    min_tokens: int = 50_000
    min_blocked: int = 10
    #: Calls a model needs in both periods for its output to be compared.
    drift_min_calls: int = 30
    #: Relative change of the median response length that counts as drift.
    length_change: float = 0.5
    #: A refusal or error rate drifts when it rises by this much (absolute) ...
    rate_increase: float = 0.05
    #: ... and to at least this multiple of its previous value.
    rate_ratio: float = 2.0

    def __post_init__(self) -> None:
        for name in ("baseline_days", "min_history_days", "drift_min_calls"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        for name in ("min_calls", "min_tokens", "min_blocked"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)}")
        for name in ("ratio", "z_score", "length_change", "rate_increase", "rate_ratio"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.min_history_days > self.baseline_days:
            raise ValueError("min_history_days exceeds baseline_days")

    def minimum(self, metric: Metric) -> int:
        return {
            Metric.CALLS: self.min_calls,
            Metric.TOKENS: self.min_tokens,
            Metric.BLOCKED: self.min_blocked,
        }[metric]


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
    """The time ranges of one report, all ending at ``now``."""

    now: datetime
    since: timedelta
    baseline_days: int

    @property
    def intervals(self) -> int:
        """Intervals in the window: one per day, or one for windows under a day."""
        return max(1, math.ceil(self.since / _DAY))

    @property
    def interval(self) -> timedelta:
        return self.since / self.intervals

    @property
    def window_start(self) -> datetime:
        return self.now - self.since

    @property
    def baseline_intervals(self) -> int:
        return math.ceil(timedelta(days=self.baseline_days) / self.interval)

    @property
    def baseline_start(self) -> datetime:
        return self.window_start - self.interval * self.baseline_intervals

    def interval_bounds(self, index: int) -> tuple[datetime, datetime]:
        """Start and end of interval ``index`` (0 is the most recent)."""
        end = self.now - self.interval * index
        return end - self.interval, end


def _at(name: str) -> str:
    return f"fromUnixTimestamp64Milli({{{name}:Int64}}, 'UTC')"


_METRICS = (Metric.CALLS, Metric.TOKENS, Metric.BLOCKED)
#: What each kind of subject is judged on: users and apps by volume, teams by blocks
#: (team volume against its baseline is a Prometheus alert, see deploy/prometheus).
SUBJECT_METRICS: dict[SubjectKind, tuple[Metric, ...]] = {
    SubjectKind.USER: (Metric.CALLS, Metric.TOKENS),
    SubjectKind.APP: (Metric.CALLS, Metric.TOKENS),
    SubjectKind.TEAM: (Metric.BLOCKED,),
}


def departures_query(
    kind: SubjectKind, windows: Windows, thresholds: Thresholds, *, database: str
) -> Query:
    """Per subject: its peak interval in the window and its baseline sums, per metric.

    Intervals are numbered back from ``now`` (0 = the most recent); those at or beyond the
    window's count form the baseline. Only subjects with a peak worth judging are returned.
    """
    column = SubjectKind(kind).value  # a fixed column name, never caller input
    per_metric = []
    for metric in _METRICS:
        m = metric.value
        per_metric.append(
            f"maxIf({m}, bucket < {{window:UInt32}}) AS peak_{m}, "
            f"argMaxIf(bucket, {m}, bucket < {{window:UInt32}}) AS peak_{m}_bucket, "
            f"sumIf(toFloat64({m}), bucket >= {{window:UInt32}}) AS base_{m}, "
            f"sumIf(toFloat64({m}) * {m}, bucket >= {{window:UInt32}}) AS base_{m}_sq"
        )
    considered = " OR ".join(f"peak_{m.value} >= {{min_{m.value}:UInt64}}" for m in _METRICS)
    sql = f"""
SELECT
    subject,
    argMax(latest_team, last_ts) AS subject_team,
    {", ".join(per_metric)},
    countIf(bucket >= {{window:UInt32}}) AS base_active,
    maxIf(bucket, bucket >= {{window:UInt32}}) AS oldest_bucket
FROM
(
    SELECT
        {column} AS subject,
        intDiv({{now_ms:Int64}} - 1 - toUnixTimestamp64Milli(ts), {{interval_ms:Int64}}) AS bucket,
        argMax(team, ts) AS latest_team,
        max(ts) AS last_ts,
        count() AS calls,
        sum(toUInt64(prompt_tokens) + completion_tokens) AS tokens,
        countIf(decision = 'block') AS blocked
    FROM {requests_table(database)}
    WHERE ts >= {_at("start_ms")} AND ts < {_at("now_ms")} AND {column} != ''
    GROUP BY subject, bucket
)
GROUP BY subject
HAVING {considered}
"""  # noqa: S608 - identifiers only; values are bound parameters
    params: dict[str, Any] = {
        "window": windows.intervals,
        "now_ms": epoch_millis(windows.now),
        "start_ms": epoch_millis(windows.baseline_start),
        "interval_ms": _millis_delta(windows.interval),
    }
    for metric in _METRICS:
        params[f"min_{metric.value}"] = thresholds.minimum(metric)
    return Query(sql, params)


def _millis_delta(value: timedelta) -> int:
    return max(1, round(value.total_seconds() * 1000))


def judge(
    kind: SubjectKind,
    row: dict[str, Any],
    metric: Metric,
    windows: Windows,
    thresholds: Thresholds,
) -> Departure | None:
    """The departure one result row shows for one metric, if it passes the thresholds."""
    m = metric.value
    peak = int(row[f"peak_{m}"])
    history = int(row["oldest_bucket"]) - windows.intervals + 1 if row["base_active"] else 0
    min_history = math.ceil(timedelta(days=thresholds.min_history_days) / windows.interval)
    if peak < thresholds.minimum(metric) or history < min_history:
        return None
    mean = float(row[f"base_{m}"]) / history
    variance = max(float(row[f"base_{m}_sq"]) / history - mean * mean, 0.0)
    stddev = math.sqrt(variance)
    ratio = peak / max(mean, 1.0)
    z_score = (peak - mean) / max(stddev, math.sqrt(mean), 1.0)
    if ratio < thresholds.ratio or z_score < thresholds.z_score:
        return None
    start, end = windows.interval_bounds(int(row[f"peak_{m}_bucket"]))
    return Departure(
        kind=kind,
        subject=row["subject"],
        team=row["subject_team"],
        metric=metric,
        interval_start=start,
        interval_end=end,
        observed=peak,
        baseline_mean=round(mean, 3),
        baseline_stddev=round(stddev, 3),
        baseline_intervals=history,
        ratio=round(ratio, 2),
        z_score=round(z_score, 2),
    )


def find_departures(
    client: Client,
    kind: SubjectKind,
    windows: Windows,
    thresholds: Thresholds,
    *,
    database: str,
) -> list[Departure]:
    """Departures of every subject of a kind, on the metrics that kind is judged by."""
    query = departures_query(kind, windows, thresholds, database=database)
    result = client.query(query.sql, parameters=query.parameters)
    found: list[Departure] = []
    for values in result.result_rows:
        row = dict(zip(result.column_names, values, strict=True))
        for metric in SUBJECT_METRICS[kind]:
            departure = judge(kind, row, metric, windows, thresholds)
            if departure is not None:
                found.append(departure)
    return found


def new_models_query(windows: Windows, *, database: str) -> Query:
    """(team, model) pairs used in the window and not in the baseline, for teams that
    have a baseline at all (a brand-new team has no past to depart from)."""
    table = requests_table(database)
    sql = f"""
SELECT
    team,
    model,
    minIf(ts, in_window) AS first_seen,
    maxIf(ts, in_window) AS last_seen,
    countIf(in_window) AS calls,
    uniqExactIf(user, in_window) AS users,
    arraySlice(arraySort(groupUniqArrayIf(1000)(user, in_window)), 1, {{max_users:UInt32}})
        AS sample_users,
    arraySort(groupUniqArrayIf(decision, in_window)) AS decisions,
    countIf(NOT in_window) AS baseline_calls
FROM
(
    SELECT team, model, user, decision, ts, ts >= {_at("window_ms")} AS in_window
    FROM {table}
    WHERE ts >= {_at("start_ms")} AND ts < {_at("now_ms")} AND model != ''
      AND team IN (
          SELECT DISTINCT team FROM {table}
          WHERE ts >= {_at("start_ms")} AND ts < {_at("window_ms")}
      )
)
GROUP BY team, model
HAVING calls > 0 AND baseline_calls = 0
ORDER BY first_seen, team, model
"""  # noqa: S608 - identifiers only; values are bound parameters
    return Query(
        sql,
        {
            "now_ms": epoch_millis(windows.now),
            "window_ms": epoch_millis(windows.window_start),
            "start_ms": epoch_millis(windows.baseline_start),
            "max_users": NEW_MODEL_SAMPLE_USERS,
        },
    )


def find_new_models(client: Client, windows: Windows, *, database: str) -> list[NewModel]:
    query = new_models_query(windows, database=database)
    rows = client.query(query.sql, parameters=query.parameters).result_rows
    return [
        NewModel(
            team=team,
            model=model,
            first_seen=_utc(first_seen),
            last_seen=_utc(last_seen),
            calls=int(calls),
            users=int(users),
            sample_users=tuple(sample_users),
            decisions=tuple(decisions),
        )
        for (team, model, first_seen, last_seen, calls, users, sample_users, decisions, _) in rows
    ]


# A call failed when the provider answered an error or the relay did (timeouts, resets).
_FAILED = "decision = 'error' OR upstream_status >= 400 OR status_code >= 500"
# Fold typographic and JSON-escaped apostrophes to ASCII before matching the phrases.
_FOLDED_RESPONSE = (
    "replaceAll(replaceAll(leftUTF8(response, {scan_chars:UInt32}), '\u2019', ''''), "
    "'\\\\u2019', '''')"
)


def output_query(windows: Windows, *, database: str) -> Query:
    """Per model and period (current = the window, previous = as long, before it)."""
    sql = f"""
SELECT
    model,
    ts >= {_at("window_ms")} AS is_current,
    count() AS calls,
    countIf(failed) AS errors,
    countIf(NOT failed) AS answered,
    quantileExactIf(0.5)(completion_tokens, NOT failed) AS median_tokens,
    avgIf(completion_tokens, NOT failed) AS avg_tokens,
    quantileExactIf(0.5)(response_chars, NOT failed) AS median_chars,
    avgIf(response_chars, NOT failed) AS avg_chars,
    countIf(NOT failed AND response != '') AS with_text,
    countIf(
        NOT failed AND response != ''
        AND multiSearchAnyCaseInsensitiveUTF8({_FOLDED_RESPONSE}, {{phrases:Array(String)}})
    ) AS refusals
FROM
(
    SELECT model, ts, completion_tokens, response_chars, response, ({_FAILED}) AS failed
    FROM {requests_table(database)}
    WHERE ts >= {_at("previous_ms")} AND ts < {_at("now_ms")} AND model != ''
      AND decision NOT IN ('block', 'reject')
)
GROUP BY model, is_current
ORDER BY model, is_current
"""  # noqa: S608 - identifiers only; values are bound parameters
    return Query(
        sql,
        {
            "now_ms": epoch_millis(windows.now),
            "window_ms": epoch_millis(windows.window_start),
            "previous_ms": epoch_millis(windows.window_start - windows.since),
            "scan_chars": REFUSAL_SCAN_CHARS,
            "phrases": list(REFUSAL_PHRASES),
        },
    )


def _stats(row: Sequence[Any]) -> OutputStats:
    calls, errors, answered, median_tokens, avg_tokens, median_chars, avg_chars = row[:7]
    with_text, refusals = row[7:9]
    some = int(answered) > 0
    return OutputStats(
        calls=int(calls),
        errors=int(errors),
        answered=int(answered),
        median_completion_tokens=float(median_tokens) if some else None,
        avg_completion_tokens=round(float(avg_tokens), 3) if some else None,
        median_response_chars=float(median_chars) if some else None,
        avg_response_chars=round(float(avg_chars), 3) if some else None,
        with_text=int(with_text),
        refusals=int(refusals),
    )


def _empty_stats() -> OutputStats:
    return OutputStats(0, 0, 0, None, None, None, None, 0, 0)


def _length_changed(current: OutputStats, previous: OutputStats, limit: float) -> bool:
    """Median completion tokens when both periods have them, else median characters."""
    pairs = (
        (current.median_completion_tokens, previous.median_completion_tokens),
        (current.median_response_chars, previous.median_response_chars),
    )
    for now, before in pairs:
        if now and before:
            return abs(now - before) / before >= limit
    return False


def _rate_rose(now: float | None, before: float | None, thresholds: Thresholds) -> bool:
    if now is None or before is None:
        return False
    return now - before >= thresholds.rate_increase and now >= before * thresholds.rate_ratio


def compare_output(
    model: str, current: OutputStats, previous: OutputStats, thresholds: Thresholds
) -> ModelDrift | None:
    """The drift between two periods of a model, or None when nothing moved (or when
    either period has too few calls to tell)."""
    if min(current.calls, previous.calls) < thresholds.drift_min_calls:
        return None
    changes: list[Change] = []
    if _length_changed(current, previous, thresholds.length_change):
        changes.append(Change.RESPONSE_LENGTH)
    if _rate_rose(current.refusal_rate, previous.refusal_rate, thresholds):
        changes.append(Change.REFUSAL_RATE)
    if _rate_rose(current.error_rate, previous.error_rate, thresholds):
        changes.append(Change.ERROR_RATE)
    if not changes:
        return None
    return ModelDrift(model, current, previous, tuple(changes))


def find_output_drift(
    client: Client, windows: Windows, thresholds: Thresholds, *, database: str
) -> list[ModelDrift]:
    query = output_query(windows, database=database)
    periods: dict[str, dict[bool, OutputStats]] = {}
    for row in client.query(query.sql, parameters=query.parameters).result_rows:
        periods.setdefault(row[0], {})[bool(row[1])] = _stats(row[2:])
    found = []
    for model, stats in sorted(periods.items()):
        drift = compare_output(
            model,
            stats.get(True, _empty_stats()),
            stats.get(False, _empty_stats()),
            thresholds,
        )
        if drift is not None:
            found.append(drift)
    return found


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
    windows = Windows(now=now, since=since, baseline_days=thresholds.baseline_days)
    volume: list[Departure] = []
    for kind in (SubjectKind.USER, SubjectKind.APP):
        volume += find_departures(client, kind, windows, thresholds, database=database)
    blocks = find_departures(client, SubjectKind.TEAM, windows, thresholds, database=database)

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
        new_models=tuple(find_new_models(client, windows, database=database)),
        output_drift=tuple(find_output_drift(client, windows, thresholds, database=database)),
    )
