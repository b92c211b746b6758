"""Admission: may this call go upstream now? Rate limits per key and team, spend budgets.

Both read the limits of the configuration snapshot the call started with (see
:mod:`proxy.config.snapshot`), so a reload in flight never admits a call under one set of limits
and charges its tokens under another.
"""

from __future__ import annotations

from typing import Any

from core.identity import Identity
from proxy.call.budgets import NOTHING_RESERVED, Reservation, charges_for, estimate_cost
from proxy.call.limits import UNAVAILABLE, Subject
from proxy.config.keys import KeySet
from proxy.config.settings import Price, RateLimit, Settings
from proxy.errors import RateLimited, ServiceUnavailable
from proxy.services import Services


async def admit_subjects(
    services: Services, identity: Identity, subjects: tuple[Subject, ...]
) -> None:
    """Count the call against the limits of ``subjects`` (not empty), or refuse it."""
    decision = await services.limiter.admit(subjects)
    if decision is UNAVAILABLE:
        raise ServiceUnavailable(
            "Rate limits cannot be checked right now (the shared limit store is unreachable "
            "and limits.redis.on_unavailable is closed). Retry shortly.",
            headers={"Retry-After": "1"},
        )
    if not decision.allowed:
        services.metrics.rate_limited_total.labels(identity.team, decision.scope).inc()
        retry = int(decision.retry_after)
        raise RateLimited(
            f"Rate limit for your {decision.scope} reached ({decision.kind} per minute). "
            f"Retry after {retry} s.",
            headers={"Retry-After": str(retry)},
        )


async def reserve_budget(
    services: Services,
    settings: Settings,
    identity: Identity,
    *,
    price: Price | None,
    body: Any,
    request_bytes: int,
) -> Reservation:
    """Reserve the call's estimated cost at ``price`` (its kind's) on its budgets, or refuse
    it (429)."""
    budgets = settings.limits.budgets
    if not budgets:
        return NOTHING_RESERVED
    charges = charges_for(budgets, identity, services.clock())
    if not charges:
        return NOTHING_RESERVED
    return await services.budgets.admit(charges, estimate_cost(price, request_bytes, body))


def limit_subjects(settings: Settings, keys: KeySet, identity: Identity) -> tuple[Subject, ...]:
    """The key and team rate limits that apply to ``identity`` (unlimited ones left out)."""
    limits = settings.limits
    key_limit = limits.per_key
    if not identity.passthrough:
        entry = keys.entry(identity.key_id)
        if entry is not None and entry.limits is not None:
            # The key's own limits refine the default: an unset field keeps the default.
            key_limit = RateLimit(
                requests_per_minute=entry.limits.requests_per_minute
                or key_limit.requests_per_minute,
                tokens_per_minute=entry.limits.tokens_per_minute or key_limit.tokens_per_minute,
            )
    team_limit = limits.teams.get(identity.team, limits.per_team)
    # Subjects only for what limits anything: with none configured (the zero-config case)
    # nothing is built, and the call is not counted at all.
    subjects: tuple[Subject, ...] = ()
    if _limits(key_limit):
        subjects += (Subject("key", identity.key_id, key_limit),)
    if _limits(team_limit):
        subjects += (Subject("team", identity.team, team_limit),)
    return subjects


def _limits(limit: RateLimit) -> bool:
    """True when ``limit`` limits anything."""
    return limit.requests_per_minute is not None or limit.tokens_per_minute is not None
