"""What sharing the rate limits through Redis costs, against the in-process limiter.

In one run (these machines are noisy: only the ratios mean something):

1. the limiters on their own: ``admit`` plus ``charge_tokens`` for a key and a team, from 16
   concurrent tasks, in-process vs a real ``redis-server`` on loopback;
2. through the proxy (inspection off, no event log: the limiter is the only difference),
   16 concurrent callers against a fake upstream, ``limits.backend`` memory vs redis.

Both limiters run with limits high enough never to refuse, so every call does the full
check-and-charge. Usage: .venv/bin/python bench/limiter_cost.py [--calls 3000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import structlog
from aiohttp import web
from prometheus_client import CollectorRegistry

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.inspection import AllowAll
from proxy.app import create_app
from proxy.call.limits import InProcessLimiter, RateLimiter, Subject
from proxy.call.limits_redis import RedisLimiter
from proxy.config.settings import RateLimit, RedisLimitsConfig, parse_settings
from proxy.metrics import Metrics
from tests.fakes import FakeUpstream
from tests.redis_server import RedisServer

CONCURRENCY = 16
LIMIT = RateLimit(requests_per_minute=10**9, tokens_per_minute=10**12)
SUBJECTS = [Subject("key", "bench-key", LIMIT), Subject("team", "bench-team", LIMIT)]
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello"}]}


async def run(call: Callable[[], Awaitable[None]], calls: int) -> dict[str, float]:
    """``calls`` calls from CONCURRENCY tasks: calls/s, p50 and p99 latency in ms."""
    latencies: list[float] = []
    left = iter(range(calls))

    async def worker() -> None:
        for _ in left:
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    for _ in range(50):
        await call()
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {"per_s": calls / elapsed, "p50": cuts[49] * 1000, "p99": cuts[98] * 1000}


async def limiter_alone(limiter: RateLimiter, calls: int) -> dict[str, float]:
    async def call() -> None:
        assert (await limiter.admit(SUBJECTS)).allowed
        await limiter.charge_tokens(SUBJECTS, 120)

    return await run(call, calls)


async def through_proxy(
    fake: FakeUpstream, data_dir: Path, limits: dict[str, Any], calls: int
) -> dict[str, float]:
    env = {"OPENAI_BASE_URL": f"{fake.url}/v1", "OPENAI_API_KEY": "sk-bench-provider"}
    config = {"data_dir": str(data_dir), "limits": limits}
    settings = parse_settings(config, environ=env, base_dir=data_dir)
    app = create_app(
        settings, environ=env, metrics=Metrics(CollectorRegistry()), inspector=AllowAll()
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    url = f"http://{host}:{port}/v1/chat/completions"
    headers = {"Authorization": "Bearer sk-bench-caller-0123456789"}
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def call() -> None:
            async with session.post(url, json=CHAT, headers=headers) as response:
                await response.read()
                assert response.status == 200, response.status

        result = await run(call, calls)
    await runner.cleanup()
    return result


def line(name: str, result: dict[str, float], base: dict[str, float] | None) -> str:
    ratio = "" if base is None else f"  ({result['per_s'] / base['per_s']:.2f}× calls/s)"
    return (
        f"  {name:<10} {result['per_s']:>9,.0f} calls/s   p50 {result['p50']:6.2f} ms"
        f"   p99 {result['p99']:6.2f} ms{ratio}"
    )


def best(results: list[dict[str, float]]) -> dict[str, float]:
    """The round with the median throughput (noise from other processes only slows runs)."""
    return sorted(results, key=lambda r: r["per_s"])[len(results) // 2]


async def main(calls: int, rounds: int) -> None:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    limits = {"per_key": LIMIT.model_dump(), "per_team": LIMIT.model_dump()}
    alone: dict[str, list[dict[str, float]]] = {"memory": [], "redis": []}
    proxied: dict[str, list[dict[str, float]]] = {"memory": [], "redis": []}
    with tempfile.TemporaryDirectory() as tmp:
        server = RedisServer(Path(tmp))
        server.start()
        try:
            async with FakeUpstream() as fake:
                # Alternate the two, round after round, so drift in the machine's load
                # falls on both alike.
                for i in range(rounds):
                    alone["memory"].append(await limiter_alone(InProcessLimiter(), calls))
                    shared = RedisLimiter(
                        RedisLimitsConfig(url=server.url), Metrics(CollectorRegistry())
                    )
                    alone["redis"].append(await limiter_alone(shared, calls))
                    await shared.close()
                    for backend in ("memory", "redis"):
                        config = {"backend": backend, "redis": {"url": server.url}, **limits}
                        data_dir = Path(tmp) / f"{backend}{i}"
                        proxied[backend].append(await through_proxy(fake, data_dir, config, calls))
        finally:
            server.stop()
    memory, redis = best(alone["memory"]), best(alone["redis"])
    print(
        f"limiter alone, admit + charge for a key and a team, c={CONCURRENCY}, "
        f"median of {rounds} rounds:"
    )
    print(line("memory", memory, None))
    print(line("redis", redis, memory))
    added = (1 / redis["per_s"] - 1 / memory["per_s"]) * 1e6
    print(f"  redis adds {added:.0f} µs of wall time per call at c={CONCURRENCY}")
    memory, redis = best(proxied["memory"]), best(proxied["redis"])
    print(f"\nthrough the proxy (inspection and event log off), c={CONCURRENCY}:")
    print(line("memory", memory, None))
    print(line("redis", redis, memory))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.rounds))
