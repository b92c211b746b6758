"""Spend budgets: a cap on what a team, key or app may spend per day or month.

Before a call goes upstream, every budget that applies to its caller is checked against
the spend so far in the period plus a bounded estimate of the call (its prompt's size and
its output limit at the model's price), and the estimate is reserved. After the call, the
reservation is settled to the cost the provider's usage came to. A hard budget that the
estimate would overrun refuses the call with 429 ``budget_exceeded``; a soft one only
reports. Spend lives where the rate-limit buckets live: in this process, or in Redis when
replicas share it. At start the spend of the current periods is read back from the event
log, so a restart does not hand out a fresh budget.
"""

from __future__ import annotations

import calendar
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from core.identity import Identity
from proxy.config.settings import Budget, Price
from proxy.errors import RateLimited
from proxy.store import StoreSettings, open_client

#: Output tokens assumed when a request sets no limit, and the most ever assumed: the
#: estimate must not refuse a call on a limit the model would never reach.
DEFAULT_OUTPUT_TOKENS = 1024
MAX_OUTPUT_TOKENS = 4096
#: Request bytes per input token in the estimate (JSON overhead makes it generous).
BYTES_PER_TOKEN = 4
_OUTPUT_LIMIT_FIELDS = ("max_completion_tokens", "max_tokens", "max_output_tokens")
_SCOPE_FIELD = {"team": "team", "key": "key_id", "app": "app"}


def period_bounds(period: str, now: datetime) -> tuple[datetime, datetime]:
    """Start and end (exclusive) of the UTC day or month holding ``now``."""
    now = now.astimezone(UTC)
    if period == "day":
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return start, start + timedelta(days=1)
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    days = calendar.monthrange(start.year, start.month)[1]
    return start, start + timedelta(days=days)


@dataclass(frozen=True, slots=True)
class Charge:
    """One budget as it applies to one caller in the current period."""

    budget: Budget
    subject: str
    starts: datetime
    resets_at: datetime

    @property
    def key(self) -> str:
        """Identifies the spend counter: budget, subject and period."""
        return f"{self.budget.name}|{self.subject}|{self.starts:%Y-%m-%d}"


def charges_for(budgets: Iterable[Budget], identity: Identity, now: datetime) -> list[Charge]:
    """The budgets that apply to ``identity`` now."""
    found = []
    for budget in budgets:
        value = getattr(identity, _SCOPE_FIELD[budget.scope])
        if value and budget.subject in ("*", value):
            starts, ends = period_bounds(budget.period, now)
            found.append(Charge(budget, value, starts, ends))
    return found


def estimate_cost(price: Price | None, request_bytes: int, body: Any) -> float:
    """A bounded guess of a call's cost before it runs: its request size as input tokens
    and its output limit (capped) as output tokens. 0 for unpriced models."""
    if price is None:
        return 0.0
    output = DEFAULT_OUTPUT_TOKENS
    if isinstance(body, dict):
        limits = [body.get(name) for name in _OUTPUT_LIMIT_FIELDS]
        given = [v for v in limits if isinstance(v, int) and not isinstance(v, bool) and v > 0]
        if given:
            output = given[0]
    output = min(output, MAX_OUTPUT_TOKENS)
    tokens_in = request_bytes / BYTES_PER_TOKEN
    return (tokens_in * price.input + output * price.output) / 1_000_000 + price.per_call


class BudgetExceeded(RateLimited):
    """A hard budget is used up: nothing more goes upstream until it resets."""

    type = "insufficient_quota"
    code = "budget_exceeded"


class SpendStore(Protocol):
    """Where spend is counted; keys are :attr:`Charge.key`."""

    async def reserve(
        self, charges: Sequence[Charge], estimate: float
    ) -> tuple[int | None, list[float]]:
        """If no hard budget would be overrun by ``estimate``, add it to every charge's
        spend. Returns (index of the refusing charge or None, spend of each charge after)."""
        ...

    async def add(self, charges: Sequence[Charge], amount: float) -> list[float]:
        """Add ``amount`` (negative to give back) to each charge's spend; the new spends."""
        ...

    async def seed(self, spends: Mapping[Charge, float]) -> None:
        """Set the spend of charges that have none yet (the event log's figures at start)."""
        ...


def overruns(charge: Charge, spent: float, estimate: float) -> bool:
    budget = charge.budget
    return budget.hard and (spent >= budget.amount or spent + estimate > budget.amount)


class InProcessSpend:
    """Spend counters in this process (one replica)."""

    def __init__(self) -> None:
        self._spent: dict[str, tuple[float, datetime]] = {}

    def _prune(self, now: datetime) -> None:
        for key, (_, resets_at) in list(self._spent.items()):
            if resets_at <= now:
                del self._spent[key]

    def _get(self, charge: Charge) -> float:
        return self._spent.get(charge.key, (0.0, charge.resets_at))[0]

    async def reserve(
        self, charges: Sequence[Charge], estimate: float
    ) -> tuple[int | None, list[float]]:
        for i, charge in enumerate(charges):
            if overruns(charge, self._get(charge), estimate):
                return i, [self._get(c) for c in charges]
        return None, await self.add(charges, estimate)

    async def add(self, charges: Sequence[Charge], amount: float) -> list[float]:
        if len(self._spent) > 10_000:
            self._prune(datetime.now(UTC))
        spends = []
        for charge in charges:
            spent = max(0.0, self._get(charge) + amount)
            self._spent[charge.key] = (spent, charge.resets_at)
            spends.append(spent)
        return spends

    async def seed(self, spends: Mapping[Charge, float]) -> None:
        for charge, spent in spends.items():
            self._spent.setdefault(charge.key, (spent, charge.resets_at))


@dataclass(frozen=True, slots=True)
class Reservation:
    """What a call reserved: settled once its real cost is known."""

    charges: tuple[Charge, ...]
    estimate: float


NOTHING_RESERVED = Reservation((), 0.0)


class BudgetGuard:
    """Checks, reserves and settles budgets; keeps the last spend seen for the metrics."""

    def __init__(self, store: SpendStore) -> None:
        self.store = store
        self._seen: dict[tuple[str, str], tuple[Charge, float]] = {}
        self._lock = threading.Lock()  # the metrics scrape reads from another thread

    async def admit(self, charges: Sequence[Charge], estimate: float) -> Reservation:
        """Reserve ``estimate`` on every charge, or raise :class:`BudgetExceeded`."""
        if not charges:
            return NOTHING_RESERVED
        refused, spends = await self.store.reserve(charges, estimate)
        self._remember(charges, spends)
        if refused is not None:
            raise _exceeded(charges[refused], spends[refused])
        return Reservation(tuple(charges), estimate)

    async def settle(self, reservation: Reservation, cost: float | None) -> None:
        """Replace the reservation by the call's real cost (unknown counts as nothing)."""
        if not reservation.charges:
            return
        delta = (cost or 0.0) - reservation.estimate
        if delta:
            spends = await self.store.add(reservation.charges, delta)
            self._remember(reservation.charges, spends)

    def _remember(self, charges: Sequence[Charge], spends: Sequence[float]) -> None:
        with self._lock:
            for charge, spent in zip(charges, spends, strict=True):
                self._seen[(charge.budget.name, charge.subject)] = (charge, spent)

    def used_ratios(self, now: datetime) -> dict[tuple[str, ...], float]:
        """(budget, subject) → share of the budget spent in the current period, for the
        subjects seen; a period that has ended reads as 0 until the next call."""
        with self._lock:
            seen = list(self._seen.items())
        return {
            label: (spent / charge.budget.amount if charge.resets_at > now else 0.0)
            for label, (charge, spent) in seen
        }


def _exceeded(charge: Charge, spent: float) -> BudgetExceeded:
    budget = charge.budget
    period = "today" if budget.period == "day" else "this month"
    resets = charge.resets_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    wait = max(1, int((charge.resets_at - datetime.now(UTC)).total_seconds()))
    return BudgetExceeded(
        f"Budget {budget.name!r} for {budget.scope} {charge.subject} is used up "
        f"({spent:.2f} of {budget.amount:.2f} spent {period}); it resets at {resets}.",
        headers={"Retry-After": str(wait), "x-should-retry": "false"},
    )


def seed_query(budget: Budget, database: str, now: datetime) -> tuple[str, dict[str, Any]]:
    """SQL reading each subject's spend in ``budget``'s current period from the event log
    (rows: subject, spend)."""
    column = _SCOPE_FIELD[budget.scope]
    starts, _ = period_bounds(budget.period, now)
    where = f"ts >= {{starts:DateTime64(3, 'UTC')}} AND {column} != ''"
    parameters: dict[str, Any] = {"starts": starts}
    if budget.subject != "*":
        where += f" AND {column} = {{subject:String}}"
        parameters["subject"] = budget.subject
    sql = (
        f"SELECT {column}, sum(ifNull(cost, 0)) FROM {database}.requests "  # noqa: S608
        f"WHERE {where} GROUP BY {column}"
    )
    return sql, parameters


def seed_charges(
    budget: Budget, rows: Iterable[Sequence[Any]], now: datetime
) -> dict[Charge, float]:
    """The charges and spends :func:`seed_query`'s rows stand for."""
    starts, ends = period_bounds(budget.period, now)
    return {Charge(budget, str(subject), starts, ends): float(spent) for subject, spent in rows}


def read_spends(
    store: StoreSettings, budgets: Iterable[Budget], now: datetime
) -> dict[Charge, float]:
    """Every budget's spend so far in its current period, from the event log (blocking)."""
    client = open_client(store)
    try:
        spends: dict[Charge, float] = {}
        for budget in budgets:
            sql, parameters = seed_query(budget, store.database, now)
            rows = client.query(sql, parameters=parameters).result_rows
            spends.update(seed_charges(budget, rows, now))
        return spends
    finally:
        client.close()


__all__ = [
    "NOTHING_RESERVED",
    "BudgetExceeded",
    "BudgetGuard",
    "Charge",
    "InProcessSpend",
    "Reservation",
    "SpendStore",
    "charges_for",
    "estimate_cost",
    "period_bounds",
    "read_spends",
    "seed_charges",
    "seed_query",
]
