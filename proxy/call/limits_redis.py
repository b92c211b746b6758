"""Rate limits shared by every replica: the token buckets of :mod:`proxy.call.limits` in Redis.

Each bucket is a Redis hash (level, updated, capacity) under
``{prefix}{scope}:{name}:{kind}``. Admission and charging run as Lua scripts, so checking
every subject and taking from all of them is one atomic step however many replicas ask at
once, and the clock is Redis's own (``TIME``), so replicas with skewed clocks agree. A
bucket expires once it would have refilled completely: a missing bucket *is* a full one,
so Redis holds only the subjects that are using their allowance.

All keys carry one hash tag, so in a Redis Cluster they share a slot and the scripts may
touch several of them.

When Redis cannot be reached (refused, timed out, any client error) the limiter applies
``limits.redis.on_unavailable``: ``open`` admits the call, ``closed`` refuses it with 503.
Either way the failure is counted in ``llm_proxy_limiter_unavailable_total`` and
``llm_proxy_limiter_up`` drops to 0; one log line marks each change of state. After a
failure Redis is not asked again for ``retry_seconds``, so an outage adds no connect
timeout to every call.

``timeout`` bounds the time the limiter waits for Redis, not the time the event loop was
held meanwhile (:func:`~proxy.call.answer_timeout.answer_within`): a loop held past it by a
busy machine took a Redis that had answered for one that was away. The client's own socket
timeouts, wall-clock, are longer (:data:`WALL_BOUND`): they end a call only when the loop
is held again and again.

The proxy connects before it serves (:meth:`RedisLimiter.connect`, for up to
``start_timeout``): connected lazily, the first call opened the connection, did the
handshake and loaded its script, six round trips each under ``timeout``, and on a busy
machine one of them overran it and the proxy's first calls passed unlimited.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlsplit

import redis.asyncio as aioredis
import structlog
from redis.exceptions import RedisError

from proxy.call.answer_timeout import answer_within
from proxy.call.budgets import Charge
from proxy.call.limits import ALLOWED, UNAVAILABLE, LimitDecision, Subject, refuse
from proxy.config.settings import RedisLimitsConfig
from proxy.errors import ServiceUnavailable, StartupError
from proxy.metrics import Metrics

log = structlog.get_logger("llm_proxy.limits")

# Per bucket, ARGV holds (capacity per minute, kind) pairs; kind "r" needs one request
# token, kind "t" a non-negative token balance. Returns {} when admitted, else
# {index of the refusing bucket (1-based), seconds to wait as a string}.
_REFILL: Final = """
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local function load(key, capacity, at)
  local v = redis.call('HMGET', key, 'level', 'updated', 'capacity')
  local level, updated = tonumber(v[1]), tonumber(v[2])
  if level == nil or tonumber(v[3]) ~= capacity then
    return capacity
  end
  return math.min(capacity, level + (at - updated) * capacity / 60)
end
local function store(key, capacity, level, at)
  redis.call('HSET', key, 'level', tostring(level), 'updated', tostring(at),
             'capacity', tostring(capacity))
  -- Full again after (capacity - level) / rate seconds: then it may as well not exist.
  redis.call('PEXPIRE', key, math.ceil((capacity - level) * 60000 / capacity) + 1000)
end
"""

_ADMIT: Final = (
    _REFILL
    + """
local at = now()
local levels = {}
for i, key in ipairs(KEYS) do
  local capacity, kind = tonumber(ARGV[2 * i - 1]), ARGV[2 * i]
  local level = load(key, capacity, at)
  local need = (kind == 'r') and 1 or 0
  if level < need then
    return {i, tostring((need - level) * 60 / capacity)}
  end
  levels[i] = level
end
for i, key in ipairs(KEYS) do
  local capacity, kind = tonumber(ARGV[2 * i - 1]), ARGV[2 * i]
  if kind == 'r' then
    store(key, capacity, levels[i] - 1, at)
  end
end
return {}
"""
)

# ARGV: tokens, then one capacity per key.
_CHARGE: Final = (
    _REFILL
    + """
local at = now()
local tokens = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[i + 1])
  store(key, capacity, load(key, capacity, at) - tokens, at)
end
return 0
"""
)


# Spend counters for budgets (proxy/call/budgets.py). KEYS: one counter per charge. ARGV: the
# estimate, then per key its amount, hard flag (1/0) and expiry (Unix seconds, the period's
# end plus a day). Returns {0, spends...} when reserved, {i, spends...} when charge i refused.
_RESERVE: Final = """
local estimate = tonumber(ARGV[1])
local spends = {}
for i, key in ipairs(KEYS) do
  spends[i] = tonumber(redis.call('GET', key) or '0')
end
for i, key in ipairs(KEYS) do
  local amount, hard = tonumber(ARGV[3 * i - 1]), ARGV[3 * i]
  if hard == '1' and (spends[i] >= amount or spends[i] + estimate > amount) then
    local out = {i}
    for j = 1, #spends do out[j + 1] = tostring(spends[j]) end
    return out
  end
end
local out = {0}
for i, key in ipairs(KEYS) do
  out[i + 1] = redis.call('INCRBYFLOAT', key, ARGV[1])
  redis.call('EXPIREAT', key, ARGV[3 * i + 1])
end
return out
"""

# KEYS: counters; ARGV: the amount to add, then each key's expiry. Never below zero.
_ADD: Final = """
local out = {}
for i, key in ipairs(KEYS) do
  local spent = tonumber(redis.call('INCRBYFLOAT', key, ARGV[1]))
  if spent < 0 then
    redis.call('SET', key, '0')
    spent = 0
  end
  redis.call('EXPIREAT', key, ARGV[i + 1])
  out[i] = tostring(spent)
end
return out
"""


#: Every script the limiter and the budgets run, loaded when the limiter connects.
_SCRIPTS: Final = (_ADMIT, _CHARGE, _RESERVE, _ADD)
#: Longest pause between start-up's tries to reach Redis.
_START_PAUSE: Final = 0.5
#: Seconds beyond ``timeout`` the Redis client's own (wall-clock) socket timeouts allow.
WALL_BOUND: Final = 10.0


def redis_location(url: str) -> str:
    """``url`` without credentials or query, for log lines and errors."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix:{parts.path}"
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


class RedisLimiter:
    """The :class:`~proxy.call.limits.RateLimiter` protocol over one Redis shared by replicas."""

    def __init__(
        self,
        config: RedisLimitsConfig,
        metrics: Metrics,
        *,
        password: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self._metrics = metrics
        self._clock = clock
        extra: dict[str, Any] = {} if password is None else {"password": password}
        self._client = aioredis.Redis.from_url(
            config.url,
            **extra,
            socket_timeout=config.timeout + WALL_BOUND,
            socket_connect_timeout=config.timeout + WALL_BOUND,
            retry_on_timeout=False,
            # redis-py names itself on each new connection (CLIENT SETINFO lib-name, then
            # lib-ver): two commands that a reconnect under a call's timeout paid for a
            # label in CLIENT LIST that nothing of ours reads.
            driver_info=None,
        )
        self._admit = self._client.register_script(_ADMIT)
        self._charge = self._client.register_script(_CHARGE)
        self._down_until = 0.0
        self._up = True
        metrics.limiter_up.labels("redis").set(1)

    @property
    def location(self) -> str:
        return redis_location(self._config.url)

    @property
    def client(self) -> aioredis.Redis:
        return self._client

    @property
    def key_prefix(self) -> str:
        return self._config.key_prefix

    @property
    def fails_closed(self) -> bool:
        return self._config.on_unavailable == "closed"

    def _key(self, subject: Subject, kind: str) -> str:
        # The hash tag ({...}) keeps every bucket in one Cluster slot.
        return f"{{{self._config.key_prefix}}}{subject.scope}:{subject.name}:{kind}"

    async def connect(self) -> bool:
        """Connect and load the scripts, trying again until ``start_timeout`` has passed;
        False when Redis could not be reached (then logged and paused as after a call).

        Run before the proxy serves: its first call then finds a connection and its script
        in place, one round trip, where connecting on that call took six."""
        deadline = self._clock() + self._config.start_timeout
        pause = 0.05
        while True:
            try:
                async with (
                    answer_within(max(deadline - self._clock(), self._config.timeout)),
                    self._client.pipeline(transaction=False) as pipe,
                ):
                    for script in _SCRIPTS:
                        pipe.script_load(script)
                    await pipe.execute()
            except (RedisError, OSError) as exc:  # TimeoutError is an OSError
                if self._clock() + pause >= deadline:
                    self._failed(exc)
                    return False
            else:
                return True
            await asyncio.sleep(pause)
            pause = min(2 * pause, _START_PAUSE)

    async def admit(self, subjects: Sequence[Subject]) -> LimitDecision:
        keys: list[str] = []
        args: list[Any] = []
        owners: list[tuple[Subject, str]] = []
        for subject in subjects:
            rpm, tpm = subject.limit.requests_per_minute, subject.limit.tokens_per_minute
            # Tokens before requests, as the in-process limiter checks them.
            for kind, per_minute, code in (("tokens", tpm, "t"), ("requests", rpm, "r")):
                if per_minute is not None:
                    keys.append(self._key(subject, kind))
                    args += [per_minute, code]
                    owners.append((subject, kind))
        if not keys:
            return ALLOWED
        result = await self.run(self._admit, keys, args)
        if result is None:
            return ALLOWED if self._config.on_unavailable == "open" else UNAVAILABLE
        if not result:
            return ALLOWED
        subject, kind = owners[int(result[0]) - 1]
        return refuse(float(result[1]), subject.scope, kind)

    async def charge_tokens(self, subjects: Sequence[Subject], tokens: int) -> None:
        if tokens <= 0:
            return
        keys: list[str] = []
        args: list[Any] = [tokens]
        for subject in subjects:
            tpm = subject.limit.tokens_per_minute
            if tpm is not None:
                keys.append(self._key(subject, "tokens"))
                args.append(tpm)
        if keys:
            await self.run(self._charge, keys, args)

    async def run(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        """Run ``script``; None when Redis is unavailable (counted, logged on change)."""
        return await self._guarded(script(keys=keys, args=args))

    async def run_command(self, *command: Any) -> Any:
        """Run one Redis command; None when Redis is unavailable."""
        return await self._guarded(self._client.execute_command(*command))  # type: ignore[no-untyped-call]

    async def _guarded(self, call: Awaitable[Any]) -> Any:
        if self._clock() < self._down_until:
            if inspect.iscoroutine(call):
                call.close()  # never awaited: Redis is not asked during the pause
            self._unavailable()
            return None
        try:
            async with answer_within(self._config.timeout):
                result = await call
        except (RedisError, OSError) as exc:  # TimeoutError is an OSError
            self._failed(exc)
            self._unavailable()
            return None
        if not self._up:
            self._up = True
            self._metrics.limiter_up.labels("redis").set(1)
            log.info("rate_limiter_recovered", backend="redis", location=self.location)
        return result

    def _failed(self, exc: Exception) -> None:
        """Redis did not answer: pause asking it; mark and log the change to down."""
        self._down_until = self._clock() + self._config.retry_seconds
        if self._up:
            self._up = False
            self._metrics.limiter_up.labels("redis").set(0)
            log.warning(
                "rate_limiter_unavailable",
                backend="redis",
                location=self.location,
                error=type(exc).__name__,
                # redis-py's messages name host and port, never the password.
                detail=str(exc)[:200],
                on_unavailable=self._config.on_unavailable,
            )

    def _unavailable(self) -> None:
        outcome = "admitted" if self._config.on_unavailable == "open" else "refused"
        self._metrics.limiter_unavailable_total.labels("redis", outcome).inc()

    async def close(self) -> None:
        await self._client.aclose()


def _expiry(charge: Charge) -> int:
    return int(charge.resets_at.timestamp()) + 86_400


class RedisSpend:
    """Budget spend in the Redis the limiter uses (same connection, same fail mode)."""

    def __init__(self, limiter: RedisLimiter) -> None:
        self._limiter = limiter
        self._reserve = limiter.client.register_script(_RESERVE)
        self._add = limiter.client.register_script(_ADD)

    def _key(self, charge: Charge) -> str:
        return f"{{{self._limiter.key_prefix}}}spend:{charge.key}"

    async def reserve(
        self, charges: Sequence[Charge], estimate: float
    ) -> tuple[int | None, list[float]]:
        args: list[Any] = [estimate]
        for charge in charges:
            args += [charge.budget.amount, int(charge.budget.hard), _expiry(charge)]
        result = await self._limiter.run(self._reserve, [self._key(c) for c in charges], args)
        if result is None:
            self._unavailable()
            return None, [0.0] * len(charges)
        refused = int(result[0])
        return (refused - 1 if refused else None), [float(v) for v in result[1:]]

    async def add(self, charges: Sequence[Charge], amount: float) -> list[float]:
        args: list[Any] = [amount, *(_expiry(c) for c in charges)]
        result = await self._limiter.run(self._add, [self._key(c) for c in charges], args)
        return [0.0] * len(charges) if result is None else [float(v) for v in result]

    async def seed(self, spends: Mapping[Charge, float]) -> None:
        for charge, spent in spends.items():
            await self._limiter.run_command(
                "SET", self._key(charge), repr(spent), "NX", "EXAT", _expiry(charge)
            )

    def _unavailable(self) -> None:
        if self._limiter.fails_closed:
            raise ServiceUnavailable(
                "Budgets cannot be checked right now (the shared limit store is unreachable "
                "and limits.redis.on_unavailable is closed). Retry shortly.",
                headers={"Retry-After": "1"},
            )


def redis_limiter(
    config: RedisLimitsConfig, metrics: Metrics, environ: Mapping[str, str]
) -> RedisLimiter:
    """The limiter ``limits.redis`` describes; its password from ``password_env`` if set."""
    password = None
    if config.password_env is not None:
        password = environ.get(config.password_env)
        if not password:
            raise StartupError(
                f"limits.redis.password_env names {config.password_env}, which is not set"
            )
    return RedisLimiter(config, metrics, password=password)


__all__ = ["WALL_BOUND", "RedisLimiter", "RedisSpend", "redis_limiter", "redis_location"]
