"""The register's state for auditors: every entry with its approval, review state and use,
and the models that got traffic without being in the register ("shadow AI").

Use comes from the event log: one aggregate over ``requests`` per model name as callers
named it (so calls through an alias count for its entry). Counts are of distinct request
ids, exact even before ReplacingMergeTree has collapsed a duplicate row. Only metadata is
read, never prompt or response text, so no audit row is written.

:func:`build_status` is shared by the admin API (the live register) and the offline CLI
(the configuration file's register); both answer with :meth:`RegisterStatus.to_dict`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from clickhouse_connect.driver.client import Client

from proxy.config.register import USAGE_WINDOW_DAYS, Review, review_of
from proxy.config.settings import ModelEntry
from proxy.store import StoreSettings, open_client
from proxy.store.queries import epoch_millis, requests_table

#: The period "calls" and shadow AI are counted over.
WINDOW = timedelta(days=USAGE_WINDOW_DAYS)
#: Teams named per shadow-AI model (the count of calls is always exact).
SHADOW_SAMPLE_TEAMS = 20


@dataclass(frozen=True, slots=True)
class ModelUse:
    """Calls naming one model: the last ever, and those in the window."""

    model: str
    last_used: datetime
    calls: int
    #: Calls in the window the proxy refused (``decision = reject``: register, key, limits).
    refused: int
    teams: tuple[str, ...]


def read_usage(client: Client, *, database: str, since: datetime) -> dict[str, ModelUse]:
    """Model name → its use, for every model named in a call (blocking)."""
    window = "ts >= fromUnixTimestamp64Milli({since_ms:Int64}, 'UTC')"
    columns = (
        "model, max(ts), "
        f"uniqExactIf(request_id, {window}), "
        f"uniqExactIf(request_id, {window} AND decision = 'reject'), "
        f"arraySort(groupUniqArrayIf({SHADOW_SAMPLE_TEAMS})(team, {window}))"
    )
    table = requests_table(database)
    sql = f"SELECT {columns} FROM {table} WHERE model != '' GROUP BY model"  # noqa: S608 - identifiers only
    rows = client.query(sql, parameters={"since_ms": epoch_millis(since)}).result_rows
    return {
        model: ModelUse(model, _utc(last), int(calls), int(refused), tuple(teams))
        for model, last, calls, refused, teams in rows
    }


def read_usage_from(settings: StoreSettings, since: datetime) -> dict[str, ModelUse]:
    """:func:`read_usage` on a client of its own (blocking: call it in a thread)."""
    client = open_client(settings)
    try:
        return read_usage(client, database=settings.database, since=since)
    finally:
        client.close()


def _utc(value: datetime) -> datetime:
    """``ts`` is stored in UTC; a client may hand it back without its zone."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class EntryStatus:
    """One register entry: what it says, where its review stands, how it is used."""

    entry: ModelEntry
    review: Review
    last_used: datetime | None
    calls: int

    def to_dict(self) -> dict[str, Any]:
        e = self.entry
        return {
            "model": e.name,
            "aliases": list(e.aliases),
            "provider": e.provider,
            "approved": e.approved,
            "owner": e.owner,
            "approved_by": e.approved_by,
            "approved_at": e.approved_at.isoformat() if e.approved_at else None,
            "review_by": e.review_by.isoformat() if e.review_by else None,
            "review_state": self.review.state.value,
            "review_days_left": self.review.days_left,
            "review": self.review.describe(),
            "data_classification": e.data_classification.value,
            "region": e.region,
            "risk_notes": e.risk_notes,
            "last_used": _iso(self.last_used),
            "calls_30d": self.calls,
        }


@dataclass(frozen=True, slots=True)
class RegisterStatus:
    """The register on one day, and the shadow AI of the window before it."""

    generated_at: datetime
    open: bool
    entries: tuple[EntryStatus, ...]
    #: Models called in the window that no entry names, most calls first.
    shadow: tuple[ModelUse, ...]
    #: False when no event log was read (a proxy without a store): use is unknown.
    usage_known: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "generated_at": _iso(self.generated_at),
            "today": self.generated_at.date().isoformat(),
            "window_days": WINDOW.days,
            "register": "open" if self.open else "closed",
            "usage_known": self.usage_known,
            "models": [status.to_dict() for status in self.entries],
            "shadow_ai": [
                {**asdict(use), "last_used": _iso(use.last_used), "teams": list(use.teams)}
                for use in self.shadow
            ],
        }


def build_status(
    entries: Iterable[ModelEntry],
    *,
    is_open: bool,
    usage: Mapping[str, ModelUse] | None,
    now: datetime,
) -> RegisterStatus:
    """Join the register with its use (``None``: not known); models with calls in the
    window and no entry are shadow AI (served in an open register, refused in a closed one)."""
    known = usage is not None
    usage = usage or {}
    listed: set[str] = set()
    statuses = []
    for entry in entries:
        names = (entry.name, *entry.aliases)
        listed.update(names)
        uses = [usage[name] for name in names if name in usage]
        statuses.append(
            EntryStatus(
                entry=entry,
                review=review_of(entry, now.date()),
                last_used=max((use.last_used for use in uses), default=None),
                calls=sum(use.calls for use in uses),
            )
        )
    shadow = sorted(
        (use for name, use in usage.items() if name not in listed and use.calls),
        key=lambda use: (-use.calls, use.model),
    )
    return RegisterStatus(now, is_open, tuple(statuses), tuple(shadow), usage_known=known)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
