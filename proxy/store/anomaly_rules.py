"""The unusual-behaviour heuristics, defined once: their thresholds and the SQL that applies them.

``llm-proxy anomalies``, ``GET /admin/v1/anomalies``, the evidence report and the security
dashboard's "Unusual behaviour" panels all run these queries; nothing else judges what is
unusual. Each query takes the window as two bound instants (``{now_ms:Int64}``, the end, and
``{window_ms:Int64}``, the start) and the thresholds as bound values, and does the whole
judgement inside ClickHouse, so a row returned is an anomaly. The command line binds the
values as ClickHouse parameters (:attr:`Query.parameters`); the dashboard inlines them with
:func:`inline`, the window's bounds becoming Grafana's time-range macros.

The window is cut into intervals of at most a day (``7d`` gives seven days, ``2h`` one
interval of two hours). An interval's value is compared with the mean and spread of the
subject's intervals over ``baseline_days`` before the window; a subject needs
``min_history_days`` of history, so new users are not reported as spikes.

The default thresholds (why these, where the old dashboard differed):

* baseline of 28 days, not 7: four whole weeks keep the weekday/weekend mix of every
  baseline the same, and 28 daily values estimate a spread; seven give a z-score that
  moves by half with one busy day.
* a departure needs 3x the baseline mean *and* 3 standard deviations: a ratio alone flags
  every naturally noisy caller (the old panel had no spread test).
* at least 50 calls or 50,000 tokens in the interval for users and apps (the old panel:
  20 calls, 10,000 tokens): a chat user resending history passes 10,000 tokens in a few
  turns, and a runaway script or leaked key makes hundreds of calls; below that the list
  fills with people having a busy afternoon.
* at least 10 blocked calls per interval for teams (the old panel: 5 an hour): bursts of
  blocks within minutes are the Prometheus alert ``LLMProxyPolicyBlockSpike``'s job; this
  table is the day-by-day view of the same departures the CLI reports.
* a model is new to a team when it was not used in the baseline (28 days; the old panel
  used 30), and only for teams with a baseline at all (a new team has no past).
* output drift needs 30 calls in both periods, a 50% change of the median answer length,
  or a refusal or error rate up by 5 points and at least doubled (the old panel listed
  every model without a judgement).
* drops in volume are not reported (the old panel listed callers under a third of their
  baseline): a caller going quiet is not a security event, and the operations dashboard
  shows errors.

Nothing here returns prompt or response text: refusals are counted inside ClickHouse with a
fixed list of phrases (not caller-supplied, so the report cannot probe stored text), and
only on calls whose text was kept (content modes ``full``/``redacted``). Rows are read
without ``FINAL``: a duplicate not yet collapsed may count twice, which is noise here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from proxy.store.queries import Query, requests_table

#: Openings of refusals, matched case-insensitively near the start of the stored response
#: (for non-streamed calls the stored response is the provider's JSON body, whose text
#: starts after a short envelope). Typographic apostrophes are folded to ``'`` first.
REFUSAL_PHRASES: Final[tuple[str, ...]] = (
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
REFUSAL_SCAN_CHARS: Final = 1000
#: Users listed per new model (the count of users is always exact).
NEW_MODEL_SAMPLE_USERS: Final = 10


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


#: What each kind of subject is judged on: users and apps by volume, teams by blocks
#: (team volume against its baseline is a Prometheus alert, see deploy/prometheus).
SUBJECT_METRICS: Final[Mapping[SubjectKind, tuple[Metric, ...]]] = {
    SubjectKind.USER: (Metric.CALLS, Metric.TOKENS),
    SubjectKind.APP: (Metric.CALLS, Metric.TOKENS),
    SubjectKind.TEAM: (Metric.BLOCKED,),
}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a departure counts (see the module docstring for why these defaults)."""

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

    def parameters(self) -> dict[str, Any]:
        """Every threshold, by the name the queries bind it as."""
        return {
            "baseline_days": self.baseline_days,
            "min_history_days": self.min_history_days,
            "ratio": float(self.ratio),
            "z_score": float(self.z_score),
            "min_calls": self.min_calls,
            "min_tokens": self.min_tokens,
            "min_blocked": self.min_blocked,
            "drift_min_calls": self.drift_min_calls,
            "length_change": float(self.length_change),
            "rate_increase": float(self.rate_increase),
            "rate_ratio": float(self.rate_ratio),
        }


# The window, in milliseconds since the epoch, from its two bounds. Global WITH constants:
# ClickHouse passes them into every subquery, where an output column of the same name would
# clash with them, hence the ``w_`` prefix.
_WINDOWS = """WITH
    {now_ms:Int64} AS w_now,
    {window_ms:Int64} AS w_start,
    toInt64(86400000) AS w_day,
    greatest(toInt64(1), intDiv(w_now - w_start + w_day - 1, w_day)) AS w_intervals,
    greatest(toInt64(1), intDiv(w_now - w_start, w_intervals)) AS w_interval,
    intDiv({baseline_days:UInt32} * w_day + w_interval - 1, w_interval) AS w_baseline_intervals,
    intDiv({min_history_days:UInt32} * w_day + w_interval - 1, w_interval) AS w_min_history,
    w_start - w_interval * w_baseline_intervals AS w_baseline_start"""


def _at(name: str) -> str:
    return f"fromUnixTimestamp64Milli({name}, 'UTC')"


def _and(scope: str) -> str:
    return f"\n      AND {scope}" if scope else ""


def windows_query() -> Query:
    """The window's arithmetic alone: intervals, interval length and baseline start (ms)."""
    columns = "w_intervals, w_interval, w_baseline_intervals, w_baseline_start"
    return Query(f"{_WINDOWS}\nSELECT {columns}", {})


def _peak_and_baseline(metric: Metric, minimum: str) -> str:
    """One metric's tuple: name, peak in the window, its interval (the most recent of equal
    peaks), baseline sum and sum of squares, and the smallest peak worth reporting."""
    m = metric.value
    return (
        f"tuple('{m}', maxIf(v_{m}, bucket < w_intervals),"
        f" argMaxIf(bucket, tuple(v_{m}, -bucket), bucket < w_intervals),"
        f" sumIf(toFloat64(v_{m}), bucket >= w_intervals),"
        f" sumIf(toFloat64(v_{m}) * v_{m}, bucket >= w_intervals), toUInt64({minimum}))"
    )


def _per_interval(kind: SubjectKind, database: str, scope: str) -> str:
    """Per subject and interval: calls, tokens, blocked calls and the subject's latest team.

    Users and teams are read from the per-minute rollup ``call_volume_1m`` (a fraction of
    the rows; a call counts in the interval its minute starts in), apps from ``requests``
    (the rollup has no app). Aliases carry a ``v_`` prefix: an alias equal to a column
    name would be resolved inside its own aggregate.
    """
    column = SubjectKind(kind).value  # a fixed column name, never caller input
    table = requests_table(database)
    if kind is SubjectKind.APP:
        return f"""            SELECT
                {column} AS subject,
                intDiv(w_now - 1 - toUnixTimestamp64Milli(ts), w_interval) AS bucket,
                argMax(team, ts) AS latest_team,
                max(ts) AS last_ts,
                count() AS v_calls,
                sum(toUInt64(prompt_tokens) + completion_tokens) AS v_tokens,
                countIf(decision = 'block') AS v_blocked
            FROM {table}
            WHERE ts >= {_at("w_baseline_start")} AND ts < {_at("w_now")}
              AND {column} != ''{_and(scope)}
            GROUP BY subject, bucket"""  # noqa: S608 - identifiers only
    rollup = table.removesuffix(".requests") + ".call_volume_1m"
    return f"""            SELECT
                {column} AS subject,
                intDiv(w_now - 1 - toInt64(toUnixTimestamp(minute)) * 1000, w_interval) AS bucket,
                argMax(team, minute) AS latest_team,
                max(minute) AS last_ts,
                sum(calls) AS v_calls,
                sum(tokens) AS v_tokens,
                sum(blocked) AS v_blocked
            FROM {rollup}
            WHERE minute >= {_at("w_baseline_start")} AND minute < {_at("w_now")}
              AND {column} != ''{_and(scope)}
            GROUP BY subject, bucket"""  # noqa: S608 - identifiers only


def departures_query(kind: SubjectKind, *, database: str, scope: str = "") -> Query:
    """Subjects of ``kind`` whose busiest interval of the window departs from their baseline,
    one row per (subject, metric), most significant first.

    Intervals are numbered back from ``now`` (0 = the most recent); those at or beyond the
    window's count form the baseline. ``scope`` is an extra condition on the rows read:
    SQL text of the caller's code (the dashboard's team filter), never input.
    """
    column = SubjectKind(kind).value  # a fixed column name, never caller input
    metrics = ",\n            ".join(
        _peak_and_baseline(metric, f"{{min_{metric.value}:UInt64}}")
        for metric in SUBJECT_METRICS[kind]
    )
    team = "" if kind is SubjectKind.TEAM else "\n    subject_team AS team,"
    sql = f"""{_WINDOWS}
SELECT
    subject AS {column},{team}
    metric,
    observed,
    {_at("w_now - w_interval * (peak_bucket + 1)")} AS interval_start,
    {_at("w_now - w_interval * peak_bucket")} AS interval_end,
    history AS baseline_intervals,
    round(mean, 3) AS baseline_mean,
    round(stddev, 3) AS baseline_stddev,
    round(above, 2) AS ratio,
    round(z, 2) AS z_score
FROM
(
    SELECT
        subject,
        subject_team,
        history,
        m.1 AS metric,
        m.2 AS observed,
        m.3 AS peak_bucket,
        m.4 / history AS mean,
        sqrt(greatest(m.5 / history - mean * mean, 0)) AS stddev,
        observed / greatest(mean, 1) AS above,
        (observed - mean) / greatest(stddev, sqrt(mean), 1) AS z,
        m.6 AS minimum
    FROM
    (
        SELECT
            subject,
            argMax(latest_team, last_ts) AS subject_team,
            if(countIf(bucket >= w_intervals) > 0,
               maxIf(bucket, bucket >= w_intervals) - w_intervals + 1, 0) AS history,
            [{metrics}] AS metrics
        FROM
        (
{_per_interval(kind, database, scope)}
        )
        GROUP BY subject
        HAVING history >= w_min_history
    )
    ARRAY JOIN metrics AS m
)
WHERE observed >= minimum AND above >= {{ratio:Float64}} AND z >= {{z_score:Float64}}
ORDER BY z_score DESC, {column}, metric"""  # noqa: S608 - identifiers only; values are bound
    return Query(sql, {})


def new_models_query(*, database: str, scope: str = "") -> Query:
    """(team, model) pairs used in the window and not in the baseline, for teams that
    have a baseline at all (a brand-new team has no past to depart from).

    The baseline is read from the per-minute rollup (minutes wholly before the window), the
    window's calls from ``requests``: only the window's rows are scanned in full.
    """
    table = requests_table(database)
    rollup = table.removesuffix(".requests") + ".call_volume_1m"
    in_baseline = (
        f"minute >= {_at('w_baseline_start')} AND addMinutes(minute, 1) <= {_at('w_start')}"
    )
    sql = f"""{_WINDOWS}
SELECT
    team,
    model,
    min(ts) AS first_seen,
    max(ts) AS last_seen,
    count() AS calls,
    uniqExact(user) AS users,
    arraySlice(arraySort(groupUniqArray(1000)(user)), 1, {{max_users:UInt32}}) AS sample_users,
    arraySort(groupUniqArray(decision)) AS decisions
FROM {table}
WHERE ts >= {_at("w_start")} AND ts < {_at("w_now")} AND model != ''{_and(scope)}
  AND team IN (SELECT DISTINCT team FROM {rollup} WHERE {in_baseline})
  AND (team, model) NOT IN (SELECT DISTINCT team, model FROM {rollup} WHERE {in_baseline})
GROUP BY team, model
ORDER BY first_seen, team, model"""  # noqa: S608 - identifiers only; values are bound
    return Query(sql, {"max_users": NEW_MODEL_SAMPLE_USERS})


# A call failed when the provider answered an error or the relay did (timeouts, resets).
_FAILED = "decision = 'error' OR upstream_status >= 400 OR status_code >= 500"
#: The only reads of response text: whether any was kept, and whether it opens with one of
#: the fixed refusal phrases (typographic and JSON-escaped apostrophes folded to ``'``).
#: Both give counts; the dashboard tests allow exactly these two expressions.
TEXT_KEPT: Final = "response != ''"
REFUSED: Final = (
    "multiSearchAnyCaseInsensitiveUTF8(replaceAll(replaceAll(leftUTF8(response,"
    " {scan_chars:UInt32}), '\u2019', ''''), '\\\\u2019', ''''), {phrases:Array(String)})"
)
# Per period (p = the period before the window, c = the window) of a model's answers.
_PERIOD_STATS = """countIf({p}) AS {n}_calls,
        countIf({p} AND failed) AS {n}_errors,
        countIf({p} AND NOT failed) AS {n}_answered,
        quantileExactIf(0.5)(completion_tokens, {p} AND NOT failed) AS {n}_median_tokens,
        round(avgIf(completion_tokens, {p} AND NOT failed), 3) AS {n}_avg_tokens,
        quantileExactIf(0.5)(response_chars, {p} AND NOT failed) AS {n}_median_chars,
        round(avgIf(response_chars, {p} AND NOT failed), 3) AS {n}_avg_chars,
        countIf({p} AND NOT failed AND text_kept) AS {n}_with_text,
        countIf({p} AND NOT failed AND text_kept AND refused) AS {n}_refusals"""
#: Columns of one period's statistics, in the order :data:`_PERIOD_STATS` gives them.
PERIOD_COLUMNS: Final = (
    "calls",
    "errors",
    "answered",
    "median_tokens",
    "avg_tokens",
    "median_chars",
    "avg_chars",
    "with_text",
    "refusals",
)


def _rate_rose(now: str, before: str, rate_kept: str) -> str:
    return (
        f"{rate_kept} AND c_{now} / c_{before} - p_{now} / p_{before} >= {{rate_increase:Float64}}"
        f" AND c_{now} / c_{before} >= p_{now} / p_{before} * {{rate_ratio:Float64}}"
    )


def _length_changed(unit: str) -> str:
    return f"abs(c_median_{unit} - p_median_{unit}) / p_median_{unit} >= {{length_change:Float64}}"


def output_drift_query(*, database: str, scope: str = "") -> Query:
    """Models whose answers in the window differ from the period of equal length before it:
    one row per drifting model with what changed and both periods' statistics.

    Calls blocked by policy or rejected (register, limits, bad keys) never reached the model
    and are not counted. The answer length is the median completion tokens when both
    periods have them, else the median characters (content modes without text).
    """
    both_tokens = (
        "p_answered > 0 AND c_answered > 0 AND p_median_tokens > 0 AND c_median_tokens > 0"
    )
    both_chars = "p_answered > 0 AND c_answered > 0 AND p_median_chars > 0 AND c_median_chars > 0"
    sql = f"""{_WINDOWS}
SELECT
    model,
    arrayFilter(change -> change != '', [
        if(if({both_tokens}, {_length_changed("tokens")},
              {both_chars} AND {_length_changed("chars")}), 'response_length', ''),
        if({_rate_rose("refusals", "with_text", "p_with_text > 0 AND c_with_text > 0")},
           'refusal_rate', ''),
        if({_rate_rose("errors", "calls", "1")}, 'error_rate', '')
    ]) AS changes,
    {", ".join(f"p_{c}" for c in PERIOD_COLUMNS)},
    {", ".join(f"c_{c}" for c in PERIOD_COLUMNS)}
FROM
(
    SELECT
        model,
        {_PERIOD_STATS.format(p="NOT in_window", n="p")},
        {_PERIOD_STATS.format(p="in_window", n="c")}
    FROM
    (
        SELECT
            model, completion_tokens, response_chars,
            ts >= {_at("w_start")} AS in_window,
            ({_FAILED}) AS failed,
            {TEXT_KEPT} AS text_kept,
            {REFUSED} AS refused
        FROM {requests_table(database)}
        WHERE ts >= {_at("w_start - (w_now - w_start)")} AND ts < {_at("w_now")}
          AND model != '' AND decision NOT IN ('block', 'reject'){_and(scope)}
    )
    GROUP BY model
    HAVING least(p_calls, c_calls) >= {{drift_min_calls:UInt32}}
)
WHERE notEmpty(changes)
ORDER BY model"""  # noqa: S608 - identifiers only; values are bound parameters
    return Query(sql, {"scan_chars": REFUSAL_SCAN_CHARS, "phrases": list(REFUSAL_PHRASES)})


def bind(query: Query, thresholds: Thresholds, *, now_ms: int, window_ms: int) -> Query:
    """``query`` with its window and thresholds as ClickHouse parameters (the CLI's way)."""
    parameters = {
        **thresholds.parameters(),
        **query.parameters,
        "now_ms": now_ms,
        "window_ms": window_ms,
    }
    return Query(query.sql, parameters)


# A ClickHouse parameter placeholder, not a Grafana variable (``${team:singlequote}``).
_PLACEHOLDER = re.compile(r"(?<!\$)\{(\w+):(\w+(?:\([\w, ]*\))?)\}")


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        if "$" in value:  # Grafana would read it as a variable
            raise ValueError(f"cannot inline a string holding '$': {value!r}")
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, Sequence):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    raise TypeError(f"cannot inline {type(value).__name__} as a SQL literal")


def inline(query: Query, thresholds: Thresholds, *, now_ms: str, window_ms: str) -> str:
    """``query`` as SQL text with nothing left to bind (the dashboard's way): thresholds and
    constants as literals, the window's bounds as the given SQL expressions (Grafana macros)."""
    values: dict[str, Any] = {**thresholds.parameters(), **query.parameters}
    expressions = {"now_ms": now_ms, "window_ms": window_ms}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in expressions:
            return expressions[name]
        if name not in values:
            raise KeyError(f"no value for the query parameter {name!r}")
        return _literal(values[name])

    return _PLACEHOLDER.sub(replace, query.sql)
