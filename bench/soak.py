"""Soak (not a test): ``llm-proxy serve`` as shipped under a mixed load for ``--minutes``.

The proxy runs as a real process with the default configuration and policy and the
embedded event log in a temporary data directory; a fake upstream (tests/fakes, a real
aiohttp app on loopback) answers. ``--concurrency`` callers send, with aiohttp, a mix of:

- ``plain`` and ``stream`` chat calls the provider answers normally;
- ``blocked``: a prompt holding a realistic AWS key pair (the default policy answers 403);
- ``upstream_5xx``: the provider answers 503;
- ``reset``: the provider resets the connection mid-stream;
- ``slow``: the provider streams its answer slowly (about 2 s).

Halfway through, the proxy is killed with SIGKILL and restarted on the same port and data
directory; calls failing meanwhile are counted as such. A store outage is not simulated:
the embedded engine lives inside the proxy process and this machine runs it as root, so
nothing outside the process can take the store down or make its files unwritable (the
in-process outage rows are in tests/proxy/test_fault_matrix.py); the script says so.

At the end the proxy is stopped with SIGTERM (its event log flushes) and the log is read
offline with ``llm-proxy logs export``. Reported: calls sent, answered and failed by kind
and error; the stored events against the calls answered to their callers (by the
``x-request-id`` each answer carries: missing and duplicated ids); the proxy main
process's RSS and threads at the start, middle and end of each of its lifetimes (and its
thread names at the end); p50/p99 latency per kind.

    .venv/bin/python bench/soak.py [--minutes 10] [--concurrency 8] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.typedefs import Handler

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes import Behaviour, FakeUpstream
from tests.serving import LLM_PROXY, free_port, stop

REPLY = " ".join(f"word{n}" for n in range(20))
#: Kind of call -> weight in the mix.
MIX = {"plain": 35, "stream": 35, "blocked": 10, "upstream_5xx": 5, "reset": 5, "slow": 10}
#: How the fake answers each kind, found by the marker the prompt carries.
BEHAVIOURS = {
    "plain": Behaviour(reply_text=REPLY),
    "stream": Behaviour(reply_text=REPLY),
    "upstream_5xx": Behaviour(status=503),
    "reset": Behaviour(reply_text=REPLY, reset_after_pieces=3),
    "slow": Behaviour(reply_text=REPLY, chunk_interval=0.1),
}
STREAMED = {"stream", "reset", "slow"}
MARKER = "soak-kind:"
HEALTHY_TIMEOUT = 180.0
CALL_TIMEOUT = aiohttp.ClientTimeout(total=60)
#: Samples of the proxy's RSS and threads, seconds apart.
SAMPLE_EVERY = 5.0


class PickingUpstream(FakeUpstream):
    """The fake upstream, answering each request as the kind its prompt names."""

    def make_app(self) -> web.Application:
        app = super().make_app()
        app.middlewares.insert(0, self._pick)
        return app

    @web.middleware
    async def _pick(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        body = await request.read()
        kind = body.split(MARKER.encode(), 1)[-1][:16].split(b" ", 1)[0].decode(errors="replace")
        # No await between here and the inner middleware's read of self.behaviour (the body
        # is cached), so concurrent requests cannot swap each other's behaviour.
        self.behaviour = BEHAVIOURS.get(kind, BEHAVIOURS["plain"])
        self.requests.clear()  # a soak's worth of recorded requests is only memory
        return await handler(request)


def aws_key_pair() -> str:
    """A prompt holding a fresh, realistic-looking AWS access key id and secret."""
    key_id = "AKIA" + "".join(random.choices(string.ascii_uppercase + "234567", k=16))
    alphabet = string.ascii_letters + string.digits + "+/"
    secret = "".join(secrets.choice(alphabet) for _ in range(40))
    return (
        "Why does this fail? [default]\n"
        f"aws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n"
    )


@dataclass
class Call:
    kind: str
    outcome: str  # "ok", a status class, or an error type
    seconds: float
    request_id: str | None  # the event id, when the call was answered in full
    lifetime: int


@dataclass
class Sample:
    at: float
    rss_kib: int
    threads: int


@dataclass
class Lifetime:
    pid: int
    started: float
    samples: list[Sample] = field(default_factory=list)
    thread_names: dict[str, int] = field(default_factory=dict)
    healthy_after: float = 0.0


def proc_sample(pid: int) -> Sample | None:
    """RSS and thread count of ``pid`` from /proc, or None once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return Sample(time.monotonic(), int(fields["VmRSS"].split()[0]), int(fields["Threads"]))


def thread_names(pid: int) -> dict[str, int]:
    names: Counter[str] = Counter()
    for comm in Path(f"/proc/{pid}/task").glob("*/comm"):
        with contextlib.suppress(OSError):
            names[comm.read_text().strip()] += 1
    return dict(names.most_common())


class Soak:
    def __init__(self, workdir: Path, upstream: str, concurrency: int) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(workdir),
            "OPENAI_BASE_URL": f"{upstream}/v1",
        }
        self.concurrency = concurrency
        self.calls: list[Call] = []
        self.lifetimes: list[Lifetime] = []
        self.process: subprocess.Popen[bytes] | None = None
        self.lifetime = 0

    async def start_proxy(self) -> None:
        with (self.workdir / "proxy.log").open("ab") as log:
            # Popen returns once the child is forked: no wait on the loop worth a thread.
            self.process = subprocess.Popen(  # noqa: S603, ASYNC220 - our own console script
                [str(LLM_PROXY), "serve", "--port", str(self.port)],
                cwd=self.workdir,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        started = time.monotonic()
        life = Lifetime(self.process.pid, started)
        async with aiohttp.ClientSession() as session:
            while True:
                if self.process.poll() is not None or time.monotonic() - started > HEALTHY_TIMEOUT:
                    tail = (self.workdir / "proxy.log").read_text(errors="replace")[-2000:]
                    raise SystemExit(f"llm-proxy serve did not come up:\n{tail}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(f"{self.url}/healthz") as response:
                        if response.status == 200:
                            break
                await asyncio.sleep(0.1)
        life.healthy_after = time.monotonic() - started
        self.lifetimes.append(life)
        self.lifetime = len(self.lifetimes)
        self.sample()

    def sample(self) -> None:
        life = self.lifetimes[-1]
        got = proc_sample(life.pid)
        if got is not None:
            life.samples.append(got)
            life.thread_names = thread_names(life.pid)

    async def sampler(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SAMPLE_EVERY)
            if self.process is not None and self.process.poll() is None:
                self.sample()

    async def one_call(self, session: aiohttp.ClientSession, kind: str) -> Call:
        prompt = aws_key_pair() if kind == "blocked" else f"Summarise this. {MARKER}{kind} ok"
        body: dict[str, Any] = {
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": prompt}],
        }
        if kind in STREAMED:
            body["stream"] = True
        lifetime = self.lifetime
        started = time.perf_counter()
        request_id = None
        try:
            async with session.post(
                f"{self.url}/v1/chat/completions",
                json=body,
                headers={"Authorization": "Bearer sk-soak-caller-0123456789"},
            ) as response:
                data = await response.read()
                request_id = response.headers.get("x-request-id")
                outcome = classify(response.status, data, streamed=kind in STREAMED)
        except TimeoutError:
            outcome, request_id = "client_timeout", None
        except aiohttp.ClientError as exc:
            outcome, request_id = f"conn:{type(exc).__name__}", None
        return Call(kind, outcome, time.perf_counter() - started, request_id, lifetime)

    async def caller(self, deadline: float, rng: random.Random) -> None:
        kinds, weights = list(MIX), list(MIX.values())
        async with aiohttp.ClientSession(timeout=CALL_TIMEOUT) as session:
            while time.monotonic() < deadline:
                call = await self.one_call(session, rng.choices(kinds, weights)[0])
                self.calls.append(call)
                if call.outcome.startswith("conn:"):
                    await asyncio.sleep(0.2)  # the proxy is down: do not spin

    async def run(self, minutes: float) -> None:
        await self.start_proxy()
        stop_sampling = asyncio.Event()
        sampler = asyncio.create_task(self.sampler(stop_sampling))
        began = time.monotonic()
        deadline = began + minutes * 60
        callers = [
            asyncio.create_task(self.caller(deadline, random.Random(n)))
            for n in range(self.concurrency)
        ]
        await asyncio.sleep(minutes * 30)
        self.sample()
        assert self.process is not None
        self.process.kill()
        self.process.wait()
        self.killed_at = time.monotonic() - began
        await self.start_proxy()
        self.restarted_after = self.lifetimes[-1].healthy_after
        await asyncio.gather(*callers)
        self.sample()
        stop_sampling.set()
        await sampler
        self.elapsed = time.monotonic() - began
        stop(self.process, timeout=60)
        self.stop_code = self.process.returncode

    def stored_ids(self) -> Counter[str]:
        out = self.workdir / "export.jsonl"
        done = subprocess.run(  # noqa: S603 - our own console script
            [str(LLM_PROXY), "logs", "export", "--since", "1d", "--output", str(out)],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"logs export failed: {done.stderr[-2000:]}")
        self.export_note = done.stderr.strip().splitlines()[-1:] if done.stderr else []
        ids: Counter[str] = Counter()
        with out.open() as lines:
            for line in lines:
                ids[json.loads(line)["request_id"]] += 1
        return ids


def classify(status: int, data: bytes, *, streamed: bool) -> str:
    if status != 200:
        return f"http_{status}"
    if not streamed:
        return "ok"
    if b"data: [DONE]" in data and b'"error"' not in data:
        return "ok"
    return "stream_error_event" if b'"error"' in data else "stream_truncated"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(soak: Soak, stored: Counter[str], load: tuple[str, str]) -> dict[str, Any]:
    answered = [c.request_id for c in soak.calls if c.request_id is not None]
    answered_set = set(answered)
    kinds: dict[str, Any] = {}
    for kind in MIX:
        calls = [c for c in soak.calls if c.kind == kind]
        seconds = [c.seconds for c in calls if c.request_id is not None]
        kinds[kind] = {
            "sent": len(calls),
            "answered": sum(1 for c in calls if c.request_id is not None),
            "outcomes": dict(Counter(c.outcome for c in calls).most_common()),
            "p50_ms": round(statistics.median(seconds) * 1000, 1) if seconds else None,
            "p99_ms": round(percentile(seconds, 0.99) * 1000, 1) if seconds else None,
        }
    lifetimes = []
    for life in soak.lifetimes:
        samples = life.samples
        picks = [samples[0], samples[len(samples) // 2], samples[-1]] if samples else []
        lifetimes.append(
            {
                "pid": life.pid,
                "healthy_after_s": round(life.healthy_after, 1),
                "calls": sum(1 for c in soak.calls if c.lifetime == soak.lifetimes.index(life) + 1),
                "rss_mib": [round(s.rss_kib / 1024, 1) for s in picks],
                "threads": [s.threads for s in picks],
                "at_s": [round(s.at - life.started) for s in picks],
                "max_threads": max((s.threads for s in samples), default=0),
                "series": [
                    (round(s.at - life.started), round(s.rss_kib / 1024, 1), s.threads)
                    for s in samples
                ],
                "thread_names_at_end": life.thread_names,
            }
        )
    return {
        "seconds": round(soak.elapsed, 1),
        "concurrency": soak.concurrency,
        "load_average_before_after": load,
        "killed_at_s": round(soak.killed_at, 1),
        "restart_healthy_after_s": round(soak.restarted_after, 1),
        "final_sigterm_exit": soak.stop_code,
        "store_outage": "skipped: the embedded engine runs inside the proxy process (as root"
        " here), so nothing outside it can take the store down or make it unwritable",
        "sent": len(soak.calls),
        "answered": len(answered),
        "errors": dict(Counter(c.outcome for c in soak.calls if c.outcome != "ok").most_common()),
        "kinds": kinds,
        "stored_events": sum(stored.values()),
        "answered_ids_duplicated_in_answers": len(answered) - len(answered_set),
        "missing": sorted(answered_set - set(stored))[:20],
        "missing_count": len(answered_set - set(stored)),
        "duplicated_count": sum(1 for n in stored.values() if n > 1),
        "stored_not_answered": len(set(stored) - answered_set),
        "lifetimes": lifetimes,
    }


def print_table(r: dict[str, Any]) -> None:
    print(
        f"soak: {r['seconds']} s, {r['concurrency']} callers, load avg before/after"
        f" {r['load_average_before_after'][0]} / {r['load_average_before_after'][1]}"
    )
    print(
        f"SIGKILL at {r['killed_at_s']} s, healthy again after {r['restart_healthy_after_s']} s;"
        f" final SIGTERM exit {r['final_sigterm_exit']}"
    )
    print(f"store outage: {r['store_outage']}")
    print(f"{'kind':13} {'sent':>6} {'answered':>8} {'p50 ms':>8} {'p99 ms':>8}  outcomes")
    for kind, k in r["kinds"].items():
        outcomes = ", ".join(f"{name} {n}" for name, n in k["outcomes"].items())
        print(
            f"{kind:13} {k['sent']:>6} {k['answered']:>8} {k['p50_ms'] or '-':>8}"
            f" {k['p99_ms'] or '-':>8}  {outcomes}"
        )
    print(f"{'all':13} {r['sent']:>6} {r['answered']:>8}")
    print("errors by type: " + ", ".join(f"{k} {v}" for k, v in r["errors"].items()))
    print(
        f"events stored {r['stored_events']} vs answered {r['answered']}: missing"
        f" {r['missing_count']}, duplicated {r['duplicated_count']}, stored but not answered"
        f" {r['stored_not_answered']}"
    )
    print(
        f"{'lifetime':9} {'calls':>6} {'RSS MiB start/mid/end':>24} {'MiB/1k calls':>12}"
        f" {'threads s/m/e':>14}  at s"
    )
    for n, life in enumerate(r["lifetimes"], 1):
        rss = "/".join(str(v) for v in life["rss_mib"])
        threads = "/".join(str(v) for v in life["threads"])
        at = "/".join(str(v) for v in life["at_s"])
        rss_mib = life["rss_mib"]
        growth = (rss_mib[-1] - rss_mib[0]) * 1000 / life["calls"] if life["calls"] else 0.0
        print(f"{n:<9} {life['calls']:>6} {rss:>24} {growth:>12.2f} {threads:>14}  {at}")
    for n, life in enumerate(r["lifetimes"], 1):
        names = ", ".join(f"{k}×{v}" for k, v in life["thread_names_at_end"].items())
        print(f"threads of lifetime {n} at its end: {names}")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


async def main(minutes: float, concurrency: int, json_file: Path | None, keep: bool) -> None:
    load_before = await asyncio.to_thread(load_average)
    workdir = Path(tempfile.mkdtemp(prefix="soak-"))
    try:
        async with PickingUpstream() as fake:
            soak = Soak(workdir, fake.url, concurrency)
            try:
                await soak.run(minutes)
            finally:
                if soak.process is not None:
                    stop(soak.process, timeout=60)
        stored = await asyncio.to_thread(soak.stored_ids)
        load_after = await asyncio.to_thread(load_average)
        result = report(soak, stored, (load_before, load_after))
        print_table(result)
        if json_file is not None:
            await asyncio.to_thread(json_file.write_text, json.dumps(result, indent=2))
    finally:
        if keep:
            print(f"work directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    asyncio.run(main(args.minutes, args.concurrency, args.json, args.keep))
