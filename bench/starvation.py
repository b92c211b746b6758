"""Starvation: what other callers get while one caller's huge prompt is being scanned.

Runs, in one process and one run (these machines are noisy, so compare ratios against the
baseline measured alongside):

- baseline: rounds of small prompts, each round from several callers at once;
- loaded: the same while another caller's 2 MB prompt (log lines full of names) is being
  scanned under a policy that runs NER over everything and fails closed;
- after its budget: one small prompt sent the moment the 2 MB prompt got its answer
  (403: its detection budget ran out).

The proxy runs as shipped (one detection worker, the real spaCy model), in pass-through
mode, so each API key is a caller of its own.

Usage: .venv/bin/python bench/starvation.py [--callers 4] [--rounds 3] [--mb 2]

It leaves out the settings older code does not know, so copying it into an older checkout
and running it there gives the "before" figures.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import structlog
from aiohttp import web
from prometheus_client import CollectorRegistry

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detectors.settings import ServiceSettings
from policies.model import DetectionSettings
from proxy.app import create_app
from proxy.call.enforcement import ENFORCEMENT
from proxy.config.settings import parse_settings
from proxy.metrics import Metrics
from tests.fakes import FakeUpstream

LOG_LINE = "2024-05-01T12:00:00Z INFO request served by node-7 in 12 ms for Alice Smith\n"
POLICY = """
version: 1
name: scan-everything
detection:
  {limit}
rule_sets:
  - name: contact-details
    on_detector_failure: fail_closed
    rules:
      - id: pseudonymise-email
        action: pseudonymise
        match: {{entities: [EMAIL_ADDRESS]}}
"""

Outcome = tuple[int, float]  # status, seconds


async def start_proxy(upstream: str, workdir: Path) -> tuple[web.AppRunner, str, Any]:
    env = {"OPENAI_BASE_URL": f"{upstream}/v1"}
    limit = (
        "max_inspected_chars: null"
        if "max_inspected_chars" in DetectionSettings.model_fields
        else "{}"
    )
    policy = workdir / "policy.yaml"
    policy.write_text(POLICY.format(limit=limit))
    service: dict[str, Any] = {"workers": 1}
    if "spare_workers" in ServiceSettings.model_fields:
        service["spare_workers"] = 1
    settings = parse_settings(
        {
            "data_dir": str(workdir / "data"),
            "detectors": {"service": service},
            "policy": {"file": str(policy)},
        },
        environ=env,
        base_dir=workdir,
    )
    app = create_app(settings, environ=env, metrics=Metrics(CollectorRegistry()))
    runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}", app[ENFORCEMENT].slot


async def call(session: aiohttp.ClientSession, base: str, caller: str, text: str) -> Outcome:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}
    headers = {"Authorization": f"Bearer sk-{caller}-0123456789abcdefghij"}
    started = time.perf_counter()
    async with session.post(f"{base}/v1/chat/completions", json=body, headers=headers) as reply:
        await reply.read()
        return reply.status, time.perf_counter() - started


async def rounds(
    session: aiohttp.ClientSession, base: str, label: str, callers: int, count: int
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for r in range(count):
        outcomes += await asyncio.gather(
            *(
                call(session, base, f"caller-{n}", f"{label} {r}: write to user{n}@example.com")
                for n in range(callers)
            )
        )
    return outcomes


def row(name: str, outcomes: list[Outcome], baseline: float) -> str:
    ok = sum(1 for status, _ in outcomes if status == 200)
    seconds = sorted(s for _, s in outcomes)
    median = statistics.median(seconds)
    return (
        f"{name:34} {ok:>3}/{len(outcomes):<3} {median:9.2f} {seconds[-1]:8.2f} "
        f"{median / baseline:9.1f}x"
    )


async def main(callers: int, count: int, megabytes: float) -> None:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    chars = int(megabytes * 1_000_000)
    big_prompt = (LOG_LINE * (chars // len(LOG_LINE) + 1))[:chars]
    timeout = aiohttp.ClientTimeout(total=300)
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeUpstream() as fake, aiohttp.ClientSession(timeout=timeout) as session:
            runner, base, slot = await start_proxy(fake.url, Path(tmp))
            try:
                await rounds(session, base, "warm-up", callers, 1)
                baseline = await rounds(session, base, "baseline", callers, count)
                big = asyncio.create_task(call(session, base, "log-paster", big_prompt))
                while slot.current.busy_workers == 0:  # noqa: ASYNC110 - polls the pool's gauge
                    await asyncio.sleep(0.01)
                loaded = await rounds(session, base, "loaded", callers, count)
                big_status, big_seconds = await big
                after = [await call(session, base, "caller-0", "after: write to x@example.com")]
            finally:
                await runner.cleanup()
    base_median = statistics.median(s for _, s in baseline)
    print(f"{callers} callers x {count} rounds of small prompts; one {megabytes:g} MB prompt")
    print(f"{'scenario':34} {'200/all':>7} {'median s':>9} {'max s':>8} {'vs base':>10}")
    print(row("baseline", baseline, base_median))
    print(row(f"while the {megabytes:g} MB prompt scans", loaded, base_median))
    print(row("right after its budget ran out", after, base_median))
    print(f"the {megabytes:g} MB prompt itself: status {big_status} after {big_seconds:.1f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--callers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mb", type=float, default=2.0)
    args = parser.parse_args()
    asyncio.run(main(args.callers, args.rounds, args.mb))
