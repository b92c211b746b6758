"""Spend budgets: a team, key or app that has spent its day's or month's budget gets 429
and nothing more reaches the provider; soft budgets only report; replicas sharing Redis
share the spend; a restart reads the spend back from the event log."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openai
import pytest

from core.identity import Identity
from proxy.call.budgets import charges_for, estimate_cost, period_bounds
from proxy.config.settings import Budget, ConfigError, Price, parse_settings
from proxy.store import EventLog
from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy
from tests.redis_server import RedisServer, require_redis_server

#: 1,000 per million tokens: the fake's 12 + 5 tokens cost 0.017 a call.
PRICE = {"input": 1000.0, "output": 1000.0}
COST = 0.017
#: The chat below: ~80 bytes of request (about 20 tokens) and max_tokens 5.
CHAT: dict[str, Any] = {
    "model": "gpt-4o",
    "messages": [{"role": "user", "content": "hi"}],
    "max_tokens": 5,
}


def config(*budgets: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "register": {"models": [{"name": "gpt-4o", "provider": "openai", "price": PRICE}]},
        "limits": {"budgets": list(budgets), **extra},
    }


def budget(**fields: Any) -> dict[str, Any]:
    base = {
        "name": "team-day",
        "scope": "team",
        "subject": "*",
        "period": "day",
        "amount": 0.05,
    }
    return {**base, **fields}


async def calls_until_refused(proxy: Proxy, limit: int = 10) -> tuple[int, openai.RateLimitError]:
    """Call until the proxy refuses; how many were answered, and the refusal."""
    client = proxy.openai()
    for answered in range(limit):
        try:
            await client.chat.completions.create(**CHAT)
        except openai.RateLimitError as exc:
            return answered, exc
        await asyncio.sleep(0.01)  # let the settlement of the call's cost run
    raise AssertionError(f"no refusal in {limit} calls")


# --- periods, subjects, estimates ---------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "now", "start", "end"),
    [
        ("day", datetime(2026, 3, 14, 10, 2, tzinfo=UTC), (2026, 3, 14), (2026, 3, 15)),
        ("month", datetime(2026, 2, 28, 23, 59, tzinfo=UTC), (2026, 2, 1), (2026, 3, 1)),
        ("month", datetime(2026, 12, 31, 12, 0, tzinfo=UTC), (2026, 12, 1), (2027, 1, 1)),
    ],
)
def test_periods_are_utc_days_and_calendar_months(
    period: str, now: datetime, start: tuple[int, int, int], end: tuple[int, int, int]
) -> None:
    """A day budget resets at 00:00 UTC; a month budget on the 1st, across year ends."""
    assert period_bounds(period, now) == (
        datetime(*start, tzinfo=UTC),
        datetime(*end, tzinfo=UTC),
    )


def test_budgets_apply_to_their_subject_or_to_each_one() -> None:
    """A named subject's budget applies only to it; ``*`` gives each team its own."""
    budgets = [
        Budget.model_validate(budget(name="all", subject="*")),
        Budget.model_validate(budget(name="red-only", subject="red")),
        Budget.model_validate(budget(name="app", scope="app", subject="notebook")),
    ]
    now = datetime(2026, 3, 14, tzinfo=UTC)
    red = Identity(user="u", team="red", app="notebook", key_id="vk_1")
    blue = Identity(user="u", team="blue", app="", key_id="vk_2")
    assert [(c.budget.name, c.subject) for c in charges_for(budgets, red, now)] == [
        ("all", "red"),
        ("red-only", "red"),
        ("app", "notebook"),
    ]
    assert [(c.budget.name, c.subject) for c in charges_for(budgets, blue, now)] == [
        ("all", "blue")
    ]


def test_the_estimate_is_bounded() -> None:
    """The estimate prices the request's size and its output limit, capped at 4,096 output
    tokens; an unpriced model is estimated at nothing."""
    price = Price(input=1.0, output=10.0)
    assert estimate_cost(price, 4000, {"max_tokens": 100}) == pytest.approx(
        (1000 * 1.0 + 100 * 10.0) / 1e6
    )
    assert estimate_cost(price, 0, {"max_completion_tokens": 10**9}) == pytest.approx(
        4096 * 10.0 / 1e6
    )
    assert estimate_cost(price, 0, {}) == pytest.approx(1024 * 10.0 / 1e6)
    assert estimate_cost(None, 4000, {"max_tokens": 100}) == 0.0


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"scope": "app", "subject": "*"}, "app budget names its app"),
        ({"amount": 0}, "amount"),
        ({"warn_at": 1.5}, "warn_at"),
        ({"name": "bad name"}, "name"),
    ],
)
def test_bad_budgets_are_refused_with_the_field_named(fields: dict[str, Any], problem: str) -> None:
    """An invalid budget is a configuration error that says what is wrong."""
    with pytest.raises(ConfigError, match=problem):
        parse_settings({"limits": {"budgets": [budget(**fields)]}}, environ={})


def test_budget_names_are_unique() -> None:
    """Two budgets with one name are refused (the name keys spend and metrics)."""
    with pytest.raises(ConfigError, match="unique: team-day"):
        parse_settings({"limits": {"budgets": [budget(), budget()]}}, environ={})


# --- through the proxy -------------------------------------------------------------------


async def test_a_used_up_budget_refuses_with_429_naming_it(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """Two calls fit a 0.05 day budget (0.017 each, estimate 0.025); the third would
    overrun it and gets 429 budget_exceeded naming the budget and its reset, is not retried
    by the SDK, never reaches the provider, and is recorded with decision "budget"."""
    proxy = await start_proxy(config(budget()))
    answered, refusal = await calls_until_refused(proxy)
    assert answered == 2
    assert len(fake.requests) == 2
    body: Any = refusal.body
    assert body["code"] == "budget_exceeded"
    assert body["type"] == "insufficient_quota"
    assert "'team-day' for team passthrough" in body["message"]
    assert "resets at" in body["message"]
    assert refusal.response.headers["x-should-retry"] == "false"
    assert proxy.sink.last.decision == "budget"
    assert proxy.sink.last.status_code == 429


async def test_a_soft_budget_reports_but_never_refuses(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """hard: false lets calls go on past the budget; the used share passes 1 and the warn
    share is exported for the alert."""
    proxy = await start_proxy(config(budget(hard=False, warn_at=0.5)))
    client = proxy.openai()
    for _ in range(5):
        await client.chat.completions.create(**CHAT)
        await asyncio.sleep(0.01)
    registry = proxy.metrics.registry
    used = registry.get_sample_value(
        "llm_proxy_budget_used_ratio", {"budget": "team-day", "subject": "passthrough"}
    )
    assert used == pytest.approx(5 * COST / 0.05)
    assert registry.get_sample_value("llm_proxy_budget_warn_ratio", {"budget": "team-day"}) == 0.5
    assert len(fake.requests) == 5


async def test_other_subjects_keep_their_own_budget(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """With ``subject: *`` each caller has its own budget: one caller's spend does not
    refuse another's calls."""
    proxy = await start_proxy(config(budget(scope="key")))
    answered, _ = await calls_until_refused(proxy)
    assert answered == 2
    other = proxy.openai(key="sk-another-caller-key-0123456789")
    await other.chat.completions.create(**CHAT)
    assert len(fake.requests) == 3


async def test_a_restart_reads_the_spend_back_from_the_event_log(
    start_proxy: StartProxy, fake: FakeUpstream, clickhouse_url: str, store_database: str
) -> None:
    """A proxy started on the event log of one that spent most of the budget refuses the
    call that would overrun it, instead of handing out a fresh budget."""
    store = {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05}
    first = await start_proxy({**config(budget()), "store": store}, event_log=True)
    client = first.openai()
    for _ in range(2):
        await client.chat.completions.create(**CHAT)
    sink = first.services.sink
    assert isinstance(sink, EventLog)
    assert await asyncio.to_thread(sink.flush, 10.0)
    second = await start_proxy({**config(budget()), "store": store}, event_log=True)
    answered, refusal = await calls_until_refused(second)
    assert answered == 0
    assert "0.03 of 0.05" in refusal.body["message"]  # type: ignore[index]


async def test_replicas_sharing_redis_share_the_spend(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """Two proxies on one Redis: the budget is spent once across both."""
    require_redis_server()
    server = RedisServer(tmp_path)
    server.start()
    try:
        shared = {"backend": "redis", "redis": {"url": server.url}}
        proxies = [await start_proxy(config(budget(), **shared)) for _ in range(2)]
        clients = [p.openai() for p in proxies]
        statuses = []
        for i in range(4):
            try:
                await clients[i % 2].chat.completions.create(**CHAT)
                statuses.append(200)
            except openai.RateLimitError:
                statuses.append(429)
            await asyncio.sleep(0.01)
        assert statuses == [200, 200, 429, 429]
        assert len(fake.requests) == 2
    finally:
        server.stop()
