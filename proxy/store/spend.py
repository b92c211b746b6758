"""What AI use cost, per team, model, provider, user, virtual key or application.

One parameterised query per report, grouped by the column ``by`` names. Team, model,
provider and user are keys of the per-minute rollup ``call_volume_1m``, so those groupings
read it (a few rows per minute instead of one per call); keys and applications are not, so
those read ``requests``. Both sources answer the same question over the same window: the
window is cut to whole minutes (start rounded down, end rounded up), the rollup's grain, so
either source counts exactly the same calls.

Costs are in the currency ``pricing.currency`` names; they are added up, never converted.
A call whose model had no known price has a NULL cost: it is counted apart as *unpriced*,
and a group whose every call is unpriced has no cost (``None``), never a cost of zero.
Calls no provider answered (blocked, refused, failed) cost 0 and are counted as calls.

Rows are read without ``FINAL``, as the anomaly report does: a duplicate not yet collapsed
by ReplacingMergeTree may count twice (the writer's insert deduplication makes that rare).
Nothing here reads prompt or response text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from clickhouse_connect.driver.client import Client

from proxy.store.queries import Query, epoch_millis, requests_table

_MINUTE = timedelta(minutes=1)


class Grouping(StrEnum):
    """What the spend is grouped by (``--by``)."""

    TEAM = "team"
    MODEL = "model"
    PROVIDER = "provider"
    USER = "user"
    KEY = "key"
    APP = "app"

    @property
    def column(self) -> str:
        """The column holding the group's name (in both tables where it exists)."""
        return "key_id" if self is Grouping.KEY else self.value

    @property
    def in_rollup(self) -> bool:
        """Whether ``call_volume_1m`` is keyed by this column."""
        return self in _ROLLUP_KEYS


_ROLLUP_KEYS = frozenset({Grouping.TEAM, Grouping.MODEL, Grouping.PROVIDER, Grouping.USER})


@dataclass(frozen=True, slots=True)
class SpendWindow:
    """Whole minutes, UTC: ``start`` inclusive, ``end`` exclusive."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value.tzinfo is None or value != floor_minute(value):
                raise ValueError(f"{name} must be a timezone-aware whole minute, got {value}")
        if self.start >= self.end:
            raise ValueError(f"the window starts ({self.start}) at or after its end ({self.end})")

    @classmethod
    def covering(cls, start: datetime, end: datetime) -> SpendWindow:
        """The whole minutes covering ``start`` to ``end``."""
        return cls(floor_minute(start), ceil_minute(end))

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end_exclusive": self.end.isoformat()}


def floor_minute(value: datetime) -> datetime:
    """``value`` in UTC, rounded down to its minute."""
    return value.astimezone(UTC).replace(second=0, microsecond=0)


def ceil_minute(value: datetime) -> datetime:
    """``value`` in UTC, rounded up to a whole minute."""
    floor = floor_minute(value)
    return floor if floor == value.astimezone(UTC) else floor + _MINUTE


@dataclass(frozen=True, slots=True)
class SpendLine:
    """One group's calls, tokens and cost over the window.

    ``cost`` adds up the priced calls; it is ``None`` when every call of the group was
    unpriced (unknown, not zero). ``share`` is the group's part of the total known cost,
    ``None`` when the total is zero or unknown.
    """

    name: str
    calls: int
    unpriced_calls: int
    prompt_tokens: int
    completion_tokens: int
    cost: float | None
    share: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "calls": self.calls,
            "unpriced_calls": self.unpriced_calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost": self.cost,
            "share": self.share,
        }


@dataclass(frozen=True, slots=True)
class SpendReport:
    """The spend of every group (the ``limit`` costliest in ``lines``) and the total."""

    by: Grouping
    window: SpendWindow
    currency: str
    #: ``call_volume_1m`` or ``requests``: the table the figures come from.
    source: str
    lines: tuple[SpendLine, ...]
    total: SpendLine
    #: Groups with calls in the window (``lines`` may hold fewer: ``limit``).
    groups: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by.value,
            "window": self.window.to_dict(),
            "currency": self.currency,
            "source": self.source,
            "groups": self.groups,
            "lines": [line.to_dict() for line in self.lines],
            "total": self.total.to_dict(),
        }


def spend_query(by: Grouping, window: SpendWindow, *, database: str) -> Query:
    """The SELECT of (name, calls, unpriced, prompt tokens, completion tokens, cost) per
    group. Values travel as bound parameters; the column comes from :class:`Grouping`."""
    table = requests_table(database)
    if by.in_rollup:
        params = {"start": int(window.start.timestamp()), "end": int(window.end.timestamp())}
        source = table.removesuffix(".requests") + ".call_volume_1m"
        sql = f"""
SELECT {by.column} AS name, sum(calls), sum(unpriced), sum(prompt_tokens),
       sum(completion_tokens), sum(cost)
FROM {source}
WHERE minute >= toDateTime({{start:Int64}}, 'UTC') AND minute < toDateTime({{end:Int64}}, 'UTC')
GROUP BY name
"""  # noqa: S608 - identifiers only; values are bound parameters
    else:
        params = {"start_ms": epoch_millis(window.start), "end_ms": epoch_millis(window.end)}
        sql = f"""
SELECT {by.column} AS name, count(), countIf(isNull(cost)), sum(prompt_tokens),
       sum(completion_tokens), sum(ifNull(cost, 0))
FROM {table}
WHERE ts >= fromUnixTimestamp64Milli({{start_ms:Int64}}, 'UTC')
  AND ts < fromUnixTimestamp64Milli({{end_ms:Int64}}, 'UTC')
GROUP BY name
"""  # noqa: S608 - identifiers only; values are bound parameters
    return Query(sql, params)


def _line(name: str, row: Sequence[Any]) -> SpendLine:
    """A group from (calls, unpriced, prompt tokens, completion tokens, known cost)."""
    calls, unpriced, prompt, completion = (int(value) for value in row[:4])
    known = None if calls and unpriced == calls else float(row[4])
    return SpendLine(name, calls, unpriced, prompt, completion, known)


def _with_share(line: SpendLine, total: float | None) -> SpendLine:
    if line.cost is None or not total:
        return line
    return replace(line, share=line.cost / total)


def summarise(
    rows: Sequence[Sequence[Any]],
    *,
    by: Grouping,
    window: SpendWindow,
    currency: str,
    limit: int | None = None,
) -> SpendReport:
    """The report from the query's rows: groups costliest first (then by calls, then
    name), the total over every group, each share of the total known cost."""
    lines = [_line(str(row[0]), row[1:]) for row in rows]
    sums = [sum(int(row[i]) for row in rows) for i in range(1, 5)]
    total = _line("total", [*sums, sum(line.cost or 0.0 for line in lines)])
    # Rounded: the order of equal costs must not follow float summation noise.
    ordered = sorted(lines, key=lambda line: (-round(line.cost or 0.0, 9), -line.calls, line.name))
    shown = ordered if limit is None else ordered[:limit]
    return SpendReport(
        by=by,
        window=window,
        currency=currency,
        source="call_volume_1m" if by.in_rollup else "requests",
        lines=tuple(_with_share(line, total.cost) for line in shown),
        total=_with_share(total, total.cost),
        groups=len(lines),
    )


def find_spend(
    client: Client,
    *,
    database: str,
    by: Grouping,
    window: SpendWindow,
    currency: str,
    limit: int | None = None,
) -> SpendReport:
    """The spend per group over ``window`` (blocking: one query)."""
    query = spend_query(by, window, database=database)
    rows = client.query(query.sql, parameters=query.parameters).result_rows
    return summarise(rows, by=by, window=window, currency=currency, limit=limit)


__all__ = [
    "Grouping",
    "SpendLine",
    "SpendReport",
    "SpendWindow",
    "ceil_minute",
    "find_spend",
    "floor_minute",
    "spend_query",
    "summarise",
]
