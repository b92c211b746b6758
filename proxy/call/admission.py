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
from proxy.call.pricing import price_of
from proxy.config.keys import KeySet
from proxy.config.register import Route
from proxy.config.settings import RateLimit, Settings
from proxy.config.snapshot import ConfigSnapshot
from proxy.errors import RateLimited, ServiceUnavailable
from proxy.services import Services


async def admit(
    services: Services, snapshot: ConfigSnapshot, identity: Identity
) -> tuple[Subject, ...]:
    """Count the call against its key's and team's rate limits, or refuse it (429/503).
    The limits it was admitted under, to charge its tokens to once it is answered."""
    subjects = tuple(limit_subjects(snapshot.settings, snapshot.keys, identity))
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
    return subjects


async def reserve_budget(
    services: Services,
    settings: Settings,
    identity: Identity,
    *,
    route: Route,
    upstream_model: str,
    body: Any,
    request_bytes: int,
) -> Reservation:
    """Reserve the call's estimated cost on its budgets, or refuse it (429)."""
    budgets = settings.limits.budgets
    if not budgets:
        return NOTHING_RESERVED
    charges = charges_for(budgets, identity, services.clock())
    if not charges:
        return NOTHING_RESERVED
    price = price_of(route, upstream_model, settings.pricing)
    return await services.budgets.admit(charges, estimate_cost(price, request_bytes, body))


def limit_subjects(settings: Settings, keys: KeySet, identity: Identity) -> list[Subject]:
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
    subjects = [
        Subject("key", identity.key_id, key_limit),
        Subject("team", identity.team, team_limit),
    ]
    return [
        s
        for s in subjects
        if s.limit.requests_per_minute is not None or s.limit.tokens_per_minute is not None
    ]
