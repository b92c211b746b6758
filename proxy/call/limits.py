"""Rate limits: requests per minute and tokens per minute, per key and per team.

Token buckets. A request needs one request token from every bucket that applies and a
non-negative token balance; the tokens a call used are charged once the provider reports
them, so a big answer can push a bucket below zero and hold the next call back until it
refills. The :class:`RateLimiter` protocol lets a shared store (Redis) back the buckets
when several replicas run; :class:`InProcessLimiter` is the single-process implementation.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from proxy.config.settings import RateLimit

#: Idle buckets are pruned once this many exist (pass-through fingerprints are unbounded).
_MAX_BUCKETS = 10_000


@dataclass(frozen=True, slots=True)
class Subject:
    """Something a limit applies to: ``scope`` is "key" or "team", ``name`` its id."""

    scope: str
    name: str
    limit: RateLimit


@dataclass(frozen=True, slots=True)
class LimitDecision:
    allowed: bool
    #: Seconds until the call would be allowed (0 when allowed).
    retry_after: float = 0.0
    #: Which subject refused, e.g. "team"; "" when allowed.
    scope: str = ""
    kind: str = ""  # "requests" or "tokens"


ALLOWED = LimitDecision(allowed=True)
#: A shared limit store could not be asked and its fail mode is "closed": answered 503.
UNAVAILABLE = LimitDecision(allowed=False, retry_after=1.0, scope="limiter", kind="unavailable")


class RateLimiter(Protocol):
    """Admits calls against the limits of their subjects."""

    async def admit(self, subjects: Sequence[Subject]) -> LimitDecision:
        """Take one request from every subject's budget, or refuse without taking any."""
        ...

    async def charge_tokens(self, subjects: Sequence[Subject], tokens: int) -> None:
        """Charge the tokens a finished call used."""
        ...


@dataclass(slots=True)
class _Bucket:
    capacity: float
    per_second: float
    level: float
    updated: float = field(default=0.0)

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.updated) * self.per_second)
        self.updated = now

    def wait_for(self, amount: float) -> float:
        """Seconds until ``amount`` is available (0 if it is now)."""
        missing = amount - self.level
        return 0.0 if missing <= 0 else missing / self.per_second


class InProcessLimiter:
    """Token buckets in this process's memory. Capacity is one minute's allowance."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[tuple[str, str, str], _Bucket] = {}

    def _bucket(self, subject: Subject, kind: str, per_minute: int, now: float) -> _Bucket:
        key = (subject.scope, subject.name, kind)
        bucket = self._buckets.get(key)
        if bucket is None or bucket.capacity != per_minute:  # new, or the limit changed
            if len(self._buckets) >= _MAX_BUCKETS:
                self._prune(now)
            bucket = _Bucket(per_minute, per_minute / 60.0, float(per_minute), now)
            self._buckets[key] = bucket
        bucket.refill(now)
        return bucket

    def _prune(self, now: float) -> None:
        for key, bucket in list(self._buckets.items()):
            bucket.refill(now)
            if bucket.level >= bucket.capacity:
                del self._buckets[key]

    async def admit(self, subjects: Sequence[Subject]) -> LimitDecision:
        now = self._clock()
        taken: list[_Bucket] = []
        for subject in subjects:
            rpm, tpm = subject.limit.requests_per_minute, subject.limit.tokens_per_minute
            if tpm is not None:
                tokens = self._bucket(subject, "tokens", tpm, now)
                if tokens.level < 0:
                    return refuse(tokens.wait_for(0.0), subject.scope, "tokens")
            if rpm is not None:
                requests = self._bucket(subject, "requests", rpm, now)
                if requests.level < 1:
                    return refuse(requests.wait_for(1.0), subject.scope, "requests")
                taken.append(requests)
        for bucket in taken:
            bucket.level -= 1
        return ALLOWED

    async def charge_tokens(self, subjects: Sequence[Subject], tokens: int) -> None:
        if tokens <= 0:
            return
        now = self._clock()
        for subject in subjects:
            tpm = subject.limit.tokens_per_minute
            if tpm is not None:
                self._bucket(subject, "tokens", tpm, now).level -= tokens


def refuse(wait: float, scope: str, kind: str) -> LimitDecision:
    """A refusal by ``scope``'s ``kind`` bucket; Retry-After in whole seconds, at least one."""
    return LimitDecision(
        allowed=False, retry_after=max(1.0, math.ceil(wait)), scope=scope, kind=kind
    )
