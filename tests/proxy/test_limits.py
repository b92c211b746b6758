"""Rate limits: the in-process token buckets, and 429 answers through the running proxy."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest

from proxy.call.limits import InProcessLimiter, LimitDecision, RateLimiter, Subject
from proxy.config.key_changes import create_key
from proxy.config.settings import RateLimit
from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY, Proxy, StartProxy

CHAT: dict[str, Any] = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def key(name: str = "k1", rpm: int | None = None, tpm: int | None = None) -> Subject:
    return Subject("key", name, RateLimit(requests_per_minute=rpm, tokens_per_minute=tpm))


def team(name: str = "red", rpm: int | None = None, tpm: int | None = None) -> Subject:
    return Subject("team", name, RateLimit(requests_per_minute=rpm, tokens_per_minute=tpm))


async def admitted(limiter: RateLimiter, subjects: list[Subject], times: int) -> int:
    """How many of ``times`` back-to-back calls the limiter admits."""
    return sum([(await limiter.admit(subjects)).allowed for _ in range(times)])


# --- the limiter on its own -------------------------------------------------------------


async def test_requests_per_minute_allow_a_minute_of_burst_then_refill() -> None:
    """A fresh key gets its whole minute's allowance at once, then one call per 1/rpm min."""
    clock = FakeClock()
    limiter = InProcessLimiter(clock)
    subjects = [key(rpm=60)]
    assert await admitted(limiter, subjects, 61) == 60
    clock.advance(1.0)
    assert await admitted(limiter, subjects, 2) == 1
    clock.advance(30.0)
    assert await admitted(limiter, subjects, 40) == 30


async def test_idle_time_does_not_bank_more_than_one_minute() -> None:
    """A key idle for an hour still gets only one minute's allowance in a burst."""
    clock = FakeClock()
    limiter = InProcessLimiter(clock)
    subjects = [key(rpm=5)]
    assert await admitted(limiter, subjects, 5) == 5
    clock.advance(3600.0)
    assert await admitted(limiter, subjects, 10) == 5


async def test_refusal_says_who_refused_and_when_to_retry() -> None:
    """A refused call names the scope and kind of the limit and a whole-second wait."""
    clock = FakeClock()
    limiter = InProcessLimiter(clock)
    subjects = [key(rpm=2)]
    assert await admitted(limiter, subjects, 2) == 2
    decision = await limiter.admit(subjects)
    assert decision == LimitDecision(allowed=False, retry_after=30.0, scope="key", kind="requests")


@pytest.mark.parametrize("rpm", [1, 2, 3, 7, 45, 60, 90, 1000])
async def test_waiting_retry_after_is_enough_to_be_admitted(rpm: int) -> None:
    """A client that waits exactly Retry-After seconds is let in; it is never told to wait
    less than one second or longer than one call's refill (rounded up to a whole second)."""
    clock = FakeClock()
    limiter = InProcessLimiter(clock)
    subjects = [key(rpm=rpm)]
    longest = max(1, -(-60 // rpm))  # ceil(60 / rpm)
    assert await admitted(limiter, subjects, rpm) == rpm
    for _ in range(5):
        decision = await limiter.admit(subjects)
        assert not decision.allowed
        assert 1 <= decision.retry_after <= longest
        assert decision.retry_after == int(decision.retry_after)
        clock.advance(decision.retry_after)
        assert (await limiter.admit(subjects)).allowed
        # Use up whatever else refilled meanwhile, so the next round starts refused.
        assert await admitted(limiter, subjects, rpm) < rpm


async def test_tokens_per_minute_go_negative_after_a_big_answer_then_recover() -> None:
    """A call is admitted with tokens left; a big answer overdraws the budget, which holds
    the next call back until the minute's refill has paid the debt."""
    clock = FakeClock()
    limiter = InProcessLimiter(clock)
    subjects = [key(tpm=100)]
    assert (await limiter.admit(subjects)).allowed
    await limiter.charge_tokens(subjects, 250)  # 100 - 250 = -150 tokens
    decision = await limiter.admit(subjects)
    assert (decision.allowed, decision.scope, decision.kind) == (False, "key", "tokens")
    assert decision.retry_after == 90  # 150 tokens at 100/min
    clock.advance(89.0)
    assert not (await limiter.admit(subjects)).allowed
    clock.advance(1.0)
    assert (await limiter.admit(subjects)).allowed
    # Admission costs no tokens: only what the provider reports is charged.
    assert (await limiter.admit(subjects)).allowed


async def test_tokens_are_charged_to_key_and_team_alike() -> None:
    """Tokens a key used count against its team's budget too."""
    limiter = InProcessLimiter(FakeClock())
    await limiter.charge_tokens([key("k1", tpm=1000), team("red", tpm=100)], 150)
    decision = await limiter.admit([key("k2", tpm=1000), team("red", tpm=100)])
    assert (decision.allowed, decision.scope, decision.kind) == (False, "team", "tokens")


async def test_no_tokens_charged_for_empty_usage() -> None:
    """A call that reported no usage leaves the token budget untouched."""
    limiter = InProcessLimiter(FakeClock())
    subjects = [key(tpm=1)]
    await limiter.charge_tokens(subjects, 0)
    await limiter.charge_tokens(subjects, -5)
    assert (await limiter.admit(subjects)).allowed


async def test_refused_call_consumes_nothing_from_other_subjects() -> None:
    """When the team refuses a call, the key's own allowance is not spent on it."""
    clock = FakeClock()
    limiter = InProcessLimiter(clock)
    assert (await limiter.admit([key("k1", rpm=3), team("red", rpm=1)])).allowed
    for _ in range(5):
        decision = await limiter.admit([key("k1", rpm=3), team("red", rpm=1)])
        assert (decision.allowed, decision.scope) == (False, "team")
    # k1 spent one request of three; the five refused calls took nothing.
    assert await admitted(limiter, [key("k1", rpm=3)], 3) == 2


async def test_keys_and_teams_have_separate_budgets() -> None:
    """One key using up its allowance does not touch another key's, or a same-named team's."""
    limiter = InProcessLimiter(FakeClock())
    assert await admitted(limiter, [key("k1", rpm=1)], 2) == 1
    assert (await limiter.admit([key("k2", rpm=1)])).allowed
    assert (await limiter.admit([team("k1", rpm=1)])).allowed


async def test_subjects_without_limits_are_always_admitted() -> None:
    """No limits configured means no refusals."""
    limiter = InProcessLimiter(FakeClock())
    assert await admitted(limiter, [], 100) == 100
    assert await admitted(limiter, [key(), team()], 100) == 100


# --- through the proxy ----------------------------------------------------------------


async def chat(proxy: Proxy, key: str) -> aiohttp.ClientResponse:
    """One chat call with raw aiohttp, so the test sees the exact status, headers and body."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{proxy.url}/v1/chat/completions",
            json=CHAT,
            headers={"Authorization": f"Bearer {key}"},
        ) as response,
    ):
        await response.read()
        return response


async def statuses(proxy: Proxy, key: str, times: int) -> list[int]:
    return [(await chat(proxy, key)).status for _ in range(times)]


async def test_key_over_its_rpm_gets_429_with_retry_after_in_openai_shape(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """The third call in a minute on a 2-rpm key is refused with 429, a Retry-After header
    and the OpenAI error shape, and never reaches the provider."""
    issued = create_key(tmp_path / "data" / "keys.yaml", user="ann", team="red")
    proxy = await start_proxy({"limits": {"per_key": {"requests_per_minute": 2}}})
    client = proxy.openai(issued.key)
    for _ in range(2):
        await client.chat.completions.create(**CHAT)
    with pytest.raises(openai.RateLimitError) as caught:
        await client.chat.completions.create(**CHAT)
    response = caught.value.response
    assert response.status_code == 429
    assert response.headers["retry-after"] == "30"
    assert response.headers["x-request-id"] == proxy.sink.last.request_id
    body = response.json()
    assert set(body["error"]) == {"message", "type", "code", "param"}
    assert body["error"]["code"] == "rate_limit_exceeded"
    assert body["error"]["type"] == "rate_limit_error"
    assert "key" in body["error"]["message"]
    assert len(fake.requests) == 2
    assert (proxy.sink.last.status_code, proxy.sink.last.user) == (429, "ann")


async def test_team_limit_from_config_applies_to_all_its_keys(
    start_proxy: StartProxy, tmp_path: Path
) -> None:
    """Keys of a team named under ``limits.teams`` share that team's allowance; other teams
    are not affected."""
    keys_file = tmp_path / "data" / "keys.yaml"
    red_1 = create_key(keys_file, user="ann", team="red").key
    red_2 = create_key(keys_file, user="bob", team="red").key
    blue = create_key(keys_file, user="cy", team="blue").key
    proxy = await start_proxy({"limits": {"teams": {"red": {"requests_per_minute": 2}}}})
    assert await statuses(proxy, red_1, 1) == [200]
    assert await statuses(proxy, red_2, 2) == [200, 429]
    refused = await chat(proxy, red_1)
    assert refused.status == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert await statuses(proxy, blue, 3) == [200, 200, 200]


async def test_per_team_default_applies_to_teams_not_named(
    start_proxy: StartProxy, tmp_path: Path
) -> None:
    """``limits.per_team`` covers every team without its own entry under ``limits.teams``."""
    keys_file = tmp_path / "data" / "keys.yaml"
    red = create_key(keys_file, user="ann", team="red").key
    blue = create_key(keys_file, user="bob", team="blue").key
    proxy = await start_proxy(
        {
            "limits": {
                "per_team": {"requests_per_minute": 1},
                "teams": {"red": {"requests_per_minute": 3}},
            }
        }
    )
    assert await statuses(proxy, blue, 2) == [200, 429]
    assert await statuses(proxy, red, 4) == [200, 200, 200, 429]


async def test_key_limit_from_the_keys_file_overrides_the_default(
    start_proxy: StartProxy, tmp_path: Path
) -> None:
    """A key issued with its own rpm is held to it; keys without one get ``limits.per_key``."""
    keys_file = tmp_path / "data" / "keys.yaml"
    strict = create_key(
        keys_file, user="ann", team="red", limits=RateLimit(requests_per_minute=1)
    ).key
    relaxed = create_key(keys_file, user="bob", team="red").key
    proxy = await start_proxy({"limits": {"per_key": {"requests_per_minute": 3}}})
    assert await statuses(proxy, strict, 2) == [200, 429]
    assert await statuses(proxy, relaxed, 4) == [200, 200, 200, 429]


async def test_key_limit_added_while_running_takes_effect(
    start_proxy: StartProxy, tmp_path: Path
) -> None:
    """A key created while the proxy runs brings its own limit with it on hot reload."""
    keys_file = tmp_path / "data" / "keys.yaml"
    create_key(keys_file, user="ops", team="ops")
    proxy = await start_proxy({"auth": {"reload_interval": 0.05}})
    issued = create_key(keys_file, user="ann", team="red", limits=RateLimit(requests_per_minute=1))
    async with asyncio.timeout(5):
        while proxy.services.keys.entry(issued.entry.id) is None:
            await asyncio.sleep(0.02)
    assert await statuses(proxy, issued.key, 2) == [200, 429]


async def test_tokens_per_minute_limit_holds_back_the_call_after_a_big_answer(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """A key whose answer used more tokens than its per-minute budget is refused with 429
    until the budget refills; the wait reflects the overdraft."""
    issued = create_key(
        tmp_path / "data" / "keys.yaml",
        user="ann",
        team="red",
        limits=RateLimit(tokens_per_minute=10),
    )
    proxy = await start_proxy()
    assert (await chat(proxy, issued.key)).status == 200  # the fake reports 12 + 5 tokens
    refused = await chat(proxy, issued.key)
    assert refused.status == 429
    # 7 tokens overdrawn at 10 tokens/min: 42 s.
    assert refused.headers["Retry-After"] == "42"
    assert len(fake.requests) == 1
    assert proxy.sink.last.decision == "reject"


async def test_passthrough_callers_are_limited_per_provider_key(start_proxy: StartProxy) -> None:
    """In pass-through mode ``limits.per_key`` applies to each caller's own provider key."""
    proxy = await start_proxy({"limits": {"per_key": {"requests_per_minute": 1}}})
    assert await statuses(proxy, CALLER_KEY, 2) == [200, 429]
    assert await statuses(proxy, CALLER_KEY + "-other", 1) == [200]
