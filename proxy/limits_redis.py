"""Rate limits shared by every replica: the token buckets of :mod:`proxy.limits` in Redis.

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
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlsplit

import redis.asyncio as aioredis
import structlog
from redis.exceptions import RedisError

from proxy.config import RedisLimitsConfig
from proxy.errors import StartupError
from proxy.limits import ALLOWED, UNAVAILABLE, LimitDecision, Subject, refuse
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


def redis_location(url: str) -> str:
    """``url`` without credentials or query, for log lines and errors."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix:{parts.path}"
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


class RedisLimiter:
    """The :class:`~proxy.limits.RateLimiter` protocol over one Redis shared by replicas."""

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
            socket_timeout=config.timeout,
            socket_connect_timeout=config.timeout,
            retry_on_timeout=False,
        )
        self._admit = self._client.register_script(_ADMIT)
        self._charge = self._client.register_script(_CHARGE)
        self._down_until = 0.0
        self._up = True
        metrics.limiter_up.labels("redis").set(1)

    @property
    def location(self) -> str:
        return redis_location(self._config.url)

    def _key(self, subject: Subject, kind: str) -> str:
        # The hash tag ({...}) keeps every bucket in one Cluster slot.
        return f"{{{self._config.key_prefix}}}{subject.scope}:{subject.name}:{kind}"

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
        result = await self._call(self._admit, keys, args)
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
            await self._call(self._charge, keys, args)

    async def _call(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        """Run ``script``; None when Redis is unavailable (counted, logged on change)."""
        if self._clock() < self._down_until:
            self._unavailable()
            return None
        try:
            result = await script(keys=keys, args=args)
        except (RedisError, OSError) as exc:
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
            self._unavailable()
            return None
        if not self._up:
            self._up = True
            self._metrics.limiter_up.labels("redis").set(1)
            log.info("rate_limiter_recovered", backend="redis", location=self.location)
        return result

    def _unavailable(self) -> None:
        outcome = "admitted" if self._config.on_unavailable == "open" else "refused"
        self._metrics.limiter_unavailable_total.labels("redis", outcome).inc()

    async def close(self) -> None:
        await self._client.aclose()


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


__all__ = ["RedisLimiter", "redis_limiter", "redis_location"]
