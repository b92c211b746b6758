"""What the proxy adds to a call: latency and throughput against the same fake upstream.

Runs, in one process and one run (these machines are noisy, so only ratios against the
baseline measured alongside mean anything):

- baseline: the client calls the fake upstream directly;
- pass-through: through the proxy with policy inspection off (routing, auth, limits,
  relay, event recording to the real embedded ClickHouse);
- default policy: through the proxy as shipped (spaCy/Presidio detection in the worker pool),
  with a fresh prompt per call (no cache hits) and with a repeated prompt (cache hits).

Usage: .venv/bin/python bench/proxy_overhead.py [--calls 400] [--concurrency 8]
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
from proxy.config.settings import parse_settings
from proxy.metrics import Metrics
from tests.fakes import FakeUpstream

PROMPT = (
    "Please summarise the attached meeting notes for the steering committee. The notes cover "
    "the migration timeline, the budget review and open risks around vendor lock-in. "
) * 6  # about 1 KB


async def measure(
    name: str, call: Callable[[int], Awaitable[None]], calls: int, concurrency: int
) -> dict[str, Any]:
    latencies: list[float] = []
    counter = iter(range(calls))

    async def worker() -> None:
        for i in counter:
            started = time.perf_counter()
            await call(i)
            latencies.append(time.perf_counter() - started)

    for i in range(20):  # warm up connections, caches, the detector pool
        await call(-1 - i)
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "name": name,
        "median_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "calls_per_s": calls / elapsed,
    }


async def start_proxy(upstream: str, workdir: Path, *, policy: bool) -> tuple[web.AppRunner, str]:
    env = {"OPENAI_BASE_URL": f"{upstream}/v1"}
    settings = parse_settings(
        {"data_dir": str(workdir), "detectors": {"service": {"workers": 1}}},
        environ=env,
        base_dir=workdir,
    )
    app = create_app(
        settings,
        environ=env,
        metrics=Metrics(CollectorRegistry()),
        inspector=None if policy else AllowAll(),
    )
    runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


async def main(calls: int, concurrency: int) -> None:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    results = []
    async with FakeUpstream() as fake, aiohttp.ClientSession() as session:

        def caller(base: str, fresh: bool) -> Callable[[int], Awaitable[None]]:
            async def call(i: int) -> None:
                text = f"{PROMPT} (request {i})" if fresh else PROMPT
                body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}
                async with session.post(
                    f"{base}/v1/chat/completions",
                    json=body,
                    headers={"Authorization": "Bearer sk-bench"},
                ) as response:
                    await response.read()
                    assert response.status == 200, response.status

            return call

        results.append(await measure("direct", caller(fake.url, True), calls, concurrency))
        # The embedded engine allows one data directory per process: run the proxies in turn.
        for label, policy, fresh in (
            ("proxy, no policy", False, True),
            ("proxy, default policy, new text", True, True),
            ("proxy, default policy, cached text", True, False),
        ):
            with tempfile.TemporaryDirectory() as tmp:
                runner, base = await start_proxy(fake.url, Path(tmp), policy=policy)
                try:
                    results.append(await measure(label, caller(base, fresh), calls, concurrency))
                finally:
                    await runner.cleanup()
    direct = results[0]
    print(f"{calls} calls, concurrency {concurrency}, 1 KB prompts")
    print(f"{'path':38} {'median ms':>10} {'p99 ms':>8} {'calls/s':>8} {'added median':>13}")
    for row in results:
        added = row["median_ms"] - direct["median_ms"]
        print(
            f"{row['name']:38} {row['median_ms']:10.2f} {row['p99_ms']:8.2f} "
            f"{row['calls_per_s']:8.0f} {added:+12.2f}ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.concurrency))
