"""Soak (not a test): ``llm-proxy serve`` as shipped under a mixed load for ``--minutes``.

The proxy runs as a real process with the default configuration and policy and the
embedded event log in a temporary data directory; a fake upstream (tests/fakes, a real
aiohttp app on loopback) answers. ``--concurrency`` callers send, with aiohttp, a mix of:

- ``plain`` and ``stream`` chat calls the provider answers normally;
- ``blocked``: a prompt holding a realistic AWS key pair (the default policy answers 403);
- ``upstream_5xx``: the provider answers 503;
- ``reset``: the provider resets the connection mid-stream;
- ``slow``: the provider streams its answer slowly (about 2 s).

A quarter of the way in (``--outage-at``), the store's disk fills up for
``--outage-seconds``: the embedded engine's directory is a small tmpfs of its own (the
spool stays on the ordinary disk) and another process fills it, then frees it (see
:class:`StoreOutage`; it needs root, else the outage is skipped and the report says why).
Inserts fail while it is full, events wait in the spool, and the writer's failure and
recovery are read back from the proxy's log. Halfway through (``--kill-at``), the proxy is
killed with SIGKILL and restarted on the same port and data directory; calls failing
meanwhile are counted as such.

At the end the proxy is stopped with SIGTERM (its event log flushes) and the log is read
offline with ``llm-proxy logs export``. Reported: calls sent, answered and failed by kind
and error; the stored events against the calls answered to their callers (by the
``x-request-id`` each answer carries: missing and duplicated ids); the proxy main
process's RSS, anonymous memory and threads at the start, middle and end of each of its
lifetimes, the anonymous memory's growth per 1,000 calls after a 30 s warm-up, and its
thread names at the end; p50/p99 latency per kind.

``--probe memory`` runs the proxy with ``bench/soak_probe`` on its path, which samples
where its memory is (Python objects, glibc malloc, the engine's jemalloc, outdated parts,
mapped code) to ``WORKDIR/probe.jsonl``; ``--probe tracemalloc`` adds Python's traced
allocations (slow). The proxy runs the code of the tree this script is in, so a copy of
one commit (``git archive``) measures that commit.

    .venv/bin/python bench/soak.py [--minutes 10] [--concurrency 8] [--json FILE]
        [--kill-at 0.5] [--outage-at 0.25] [--outage-seconds 60] [--probe memory] [--keep]
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
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.typedefs import Handler

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes import Behaviour, FakeUpstream
from tests.serving import LLM_PROXY, free_port, stop

#: The repository this script is in; the proxy runs its code.
ROOT = Path(__file__).resolve().parents[1]
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
#: Growth is also reported from this many seconds into a lifetime, past the warm-up.
WARM_UP = 30.0


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
    ended: float = field(default_factory=time.monotonic)


@dataclass
class Sample:
    at: float
    rss_kib: int
    threads: int
    #: Anonymous memory: RSS less the pages of mapped files (the engine's code is a
    #: 555 MB library, paged in as it is used, mostly in the first half minute).
    anon_kib: int


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
    return Sample(
        time.monotonic(),
        int(fields["VmRSS"].split()[0]),
        int(fields["Threads"]),
        int(fields["RssAnon"].split()[0]),
    )


def thread_names(pid: int) -> dict[str, int]:
    names: Counter[str] = Counter()
    for comm in Path(f"/proc/{pid}/task").glob("*/comm"):
        with contextlib.suppress(OSError):
            names[comm.read_text().strip()] += 1
    return dict(names.most_common())


class StoreOutage:
    """A full disk under the embedded store, made from outside the proxy.

    The engine's directory is a small tmpfs of its own (the spool stays on the ordinary
    disk, as an operator would place it); during the outage a filler file takes every free
    byte and is topped up each second (the engine frees space as it drops old parts), so
    ClickHouse cannot reserve space for a new part and every insert fails, as on a real
    full volume. Removing the filler ends it. Mounting needs root (CAP_SYS_ADMIN).
    """

    def __init__(self, mount: Path, size_mib: int) -> None:
        self.mount_point = mount
        self.size_mib = size_mib
        self.filler = mount / "outage-filler"
        self.mounted = False
        self.began: float | None = None
        self.ended: float | None = None

    def mount(self) -> None:
        self.mount_point.mkdir(parents=True, mode=0o700)
        options = f"size={self.size_mib}m,mode=0700"
        command = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(self.mount_point)]
        subprocess.run(command, check=True)  # noqa: S603 - mount(8), fixed arguments
        self.mounted = True

    def unmount(self) -> None:
        if self.mounted:
            command = ["umount", str(self.mount_point)]
            subprocess.run(command, check=False)  # noqa: S603 - umount(8)
            self.mounted = False

    def fill(self) -> int:
        """Write the filler until the volume is full; bytes written now."""
        chunk = b"\0" * (64 * 1024)
        written = 0
        with self.filler.open("ab") as out:
            try:
                while True:
                    written += out.write(chunk)
                    out.flush()
            except OSError:  # ENOSPC: the volume is full
                pass
        return written

    async def run(self, at: float, seconds: float) -> None:
        """Fill the volume ``at`` seconds from now, keep it full ``seconds``, then free it."""
        await asyncio.sleep(at)
        self.began = time.monotonic()
        while time.monotonic() - self.began < seconds:
            await asyncio.to_thread(self.fill)
            await asyncio.sleep(1.0)
        await asyncio.to_thread(self.filler.unlink)
        self.ended = time.monotonic()


class Soak:
    def __init__(
        self,
        workdir: Path,
        upstream: str,
        concurrency: int,
        *,
        kill_at: float | None = 0.5,
        outage: StoreOutage | None = None,
        outage_at: float = 0.25,
        outage_seconds: float = 60.0,
    ) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(workdir),
            "OPENAI_BASE_URL": f"{upstream}/v1",
            # The proxy runs the code of the tree this script is in (a snapshot of the
            # repository measures that commit, whatever the installed copy holds).
            "PYTHONPATH": str(ROOT),
        }
        self.kill_at = kill_at
        self.outage = outage
        self.outage_at = outage_at
        self.outage_seconds = outage_seconds
        self.began = 0.0
        self.began_wall = 0.0
        self.outage_skipped = "not asked for (--outage-seconds 0)"
        self.killed_at: float | None = None
        self.restarted_after: float | None = None
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
        self.began = began = time.monotonic()
        self.began_wall = time.time()
        deadline = began + minutes * 60
        callers = [
            asyncio.create_task(self.caller(deadline, random.Random(n)))
            for n in range(self.concurrency)
        ]
        outage = None
        if self.outage is not None:
            outage = asyncio.create_task(
                self.outage.run(minutes * 60 * self.outage_at, self.outage_seconds)
            )
        if self.kill_at is not None:
            await asyncio.sleep(minutes * 60 * self.kill_at)
            if outage is not None:
                await outage  # the outage ends before the kill: one fault at a time
            self.sample()
            assert self.process is not None
            self.process.kill()
            self.process.wait()
            self.killed_at = time.monotonic() - began
            await self.start_proxy()
            self.restarted_after = self.lifetimes[-1].healthy_after
        await asyncio.gather(*callers, *([outage] if outage is not None else []))
        self.sample()
        stop_sampling.set()
        await sampler
        self.elapsed = time.monotonic() - began
        assert self.process is not None
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


#: What the writer logs when the store fails and when it works again (proxy/store/writer.py).
STORE_LOG_EVENTS = ("store_write_failed", "store_connect_failed", "store_recovered")


def store_log(log_file: Path, began_wall: float) -> list[dict[str, Any]]:
    """The writer's store failures and recoveries in the proxy's log, seconds into the soak."""
    found = []
    with log_file.open(errors="replace") as lines:
        for line in lines:
            if not any(name in line for name in STORE_LOG_EVENTS):
                continue
            with contextlib.suppress(ValueError, KeyError):
                entry = json.loads(line)
                at = datetime.fromisoformat(entry["timestamp"]).timestamp() - began_wall
                found.append(
                    {
                        "at_s": round(at, 1),
                        "event": entry["event"],
                        **{
                            k: entry[k]
                            for k in ("error_kind", "error_name", "rows", "backlog")
                            if k in entry
                        },
                    }
                )
    return found


def outage_report(soak: Soak) -> dict[str, Any] | str:
    outage = soak.outage
    if outage is None or outage.began is None or outage.ended is None:
        return soak.outage_skipped
    return {
        "volume": f"tmpfs {outage.size_mib} MiB under the engine, filled by another process",
        "full_from_s": round(outage.began - soak.began, 1),
        "freed_at_s": round(outage.ended - soak.began, 1),
        "writer_log": store_log(soak.workdir / "proxy.log", soak.began_wall),
    }


def classify(status: int, data: bytes, *, streamed: bool) -> str:
    if status != 200:
        return f"http_{status}"
    if not streamed:
        return "ok"
    if b"data: [DONE]" in data and b'"error"' not in data:
        return "ok"
    return "stream_error_event" if b'"error"' in data else "stream_truncated"


def slope(samples: list[Sample]) -> float:
    """Least-squares slope of anonymous memory over time, KiB per second."""
    times = [s.at for s in samples]
    sizes = [float(s.anon_kib) for s in samples]
    return statistics.linear_regression(times, sizes).slope


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
    for number, life in enumerate(soak.lifetimes, 1):
        samples = life.samples
        picks = [samples[0], samples[len(samples) // 2], samples[-1]] if samples else []
        calls = [c for c in soak.calls if c.lifetime == number]
        warm = [s for s in samples if s.at - life.started >= WARM_UP]
        warm_calls = sum(1 for c in calls if warm and warm[0].at <= c.ended <= warm[-1].at)
        lifetimes.append(
            {
                "pid": life.pid,
                "healthy_after_s": round(life.healthy_after, 1),
                "calls": len(calls),
                "rss_mib": [round(s.rss_kib / 1024, 1) for s in picks],
                "anon_mib": [round(s.anon_kib / 1024, 1) for s in picks],
                "threads": [s.threads for s in picks],
                "at_s": [round(s.at - life.started) for s in picks],
                "max_threads": max((s.threads for s in samples), default=0),
                # From WARM_UP s in to the end: anonymous memory per 1,000 calls, from the
                # least-squares slope over every sample (the engine's allocator holds and
                # returns pages in swings of 10-30 MiB, which two end points would read
                # as growth or shrinkage).
                "warm_anon_mib_per_1k_calls": (
                    round(slope(warm) * (warm[-1].at - warm[0].at) / 1024 * 1000 / warm_calls, 2)
                    if len(warm) >= 3 and warm_calls
                    else None
                ),
                "series": [
                    (
                        round(s.at - life.started),
                        round(s.rss_kib / 1024, 1),
                        round(s.anon_kib / 1024, 1),
                        s.threads,
                    )
                    for s in samples
                ],
                "thread_names_at_end": life.thread_names,
            }
        )
    return {
        "seconds": round(soak.elapsed, 1),
        "concurrency": soak.concurrency,
        "load_average_before_after": load,
        "killed_at_s": None if soak.killed_at is None else round(soak.killed_at, 1),
        "restart_healthy_after_s": (
            None if soak.restarted_after is None else round(soak.restarted_after, 1)
        ),
        "final_sigterm_exit": soak.stop_code,
        "store_outage": outage_report(soak),
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
    outage = r["store_outage"]
    if isinstance(outage, str):
        print(f"store outage: {outage}")
    else:
        print(
            f"store outage: {outage['volume']}, full from {outage['full_from_s']} s,"
            f" freed at {outage['freed_at_s']} s; the writer logged:"
        )
        for entry in outage["writer_log"]:
            print("  " + ", ".join(f"{k} {v}" for k, v in entry.items()))
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
        f" {'anon MiB start/mid/end':>23} {'warm MiB/1k':>11} {'threads s/m/e':>14}  at s"
    )
    for n, life in enumerate(r["lifetimes"], 1):
        rss = "/".join(str(v) for v in life["rss_mib"])
        anon = "/".join(str(v) for v in life["anon_mib"])
        threads = "/".join(str(v) for v in life["threads"])
        at = "/".join(str(v) for v in life["at_s"])
        rss_mib = life["rss_mib"]
        growth = (rss_mib[-1] - rss_mib[0]) * 1000 / life["calls"] if life["calls"] else 0.0
        warm = life["warm_anon_mib_per_1k_calls"]
        print(
            f"{n:<9} {life['calls']:>6} {rss:>24} {growth:>12.2f} {anon:>23}"
            f" {'-' if warm is None else f'{warm:.2f}':>11} {threads:>14}  {at}"
        )
    for n, life in enumerate(r["lifetimes"], 1):
        names = ", ".join(f"{k}×{v}" for k, v in life["thread_names_at_end"].items())
        print(f"threads of lifetime {n} at its end: {names}")


def probe_env(workdir: Path, probe: str) -> dict[str, str]:
    """Environment that makes the proxy load bench/soak_probe (see its docstring)."""
    return {
        "PYTHONPATH": f"{Path(__file__).resolve().with_name('soak_probe')}:{ROOT}",
        "LLM_PROXY_PROBE_FILE": str(workdir / "probe.jsonl"),
        "LLM_PROXY_PROBE_PURGE": "1" if probe == "purge" else "0",
        # One frame per allocation: enough for sites, cheap enough to keep up.
        "LLM_PROXY_PROBE_TRACEMALLOC": "1" if probe == "tracemalloc" else "0",
    }


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


async def main(args: argparse.Namespace) -> None:
    minutes, json_file, keep = args.minutes, args.json, args.keep
    load_before = await asyncio.to_thread(load_average)
    workdir = Path(tempfile.mkdtemp(prefix="soak-"))
    outage = None
    try:
        async with PickingUpstream() as fake:
            skipped = "not asked for (--outage-seconds 0)"
            if args.outage_seconds > 0:
                if os.geteuid() == 0:
                    (workdir / "data").mkdir(mode=0o700)
                    outage = StoreOutage(workdir / "data" / "clickhouse", args.outage_mib)
                    outage.mount()
                else:
                    skipped = "skipped: mounting the store's small volume needs root"
            soak = Soak(
                workdir,
                fake.url,
                args.concurrency,
                kill_at=None if args.no_kill else args.kill_at,
                outage=outage,
                outage_at=args.outage_at,
                outage_seconds=args.outage_seconds,
            )
            soak.outage_skipped = skipped
            if args.probe:
                soak.env |= probe_env(workdir, args.probe)
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
            if outage is not None and outage.mounted:
                print(f"its store is a tmpfs: umount {outage.mount_point} when done")
        else:
            if outage is not None:
                outage.unmount()
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--no-kill", action="store_true", help="no SIGKILL and restart")
    parser.add_argument(
        "--kill-at", type=float, default=0.5, help="SIGKILL this far into the run (0-1)"
    )
    parser.add_argument(
        "--outage-at", type=float, default=0.25, help="fill the store's volume this far in"
    )
    parser.add_argument(
        "--outage-seconds",
        type=float,
        default=60.0,
        help="keep it full this long (0: no outage)",
    )
    parser.add_argument("--outage-mib", type=int, default=512, help="size of that volume")
    parser.add_argument(
        "--probe",
        choices=("memory", "purge", "tracemalloc"),
        help="run the proxy with bench/soak_probe (memory by kind, threads) sampling to"
        " WORKDIR/probe.jsonl; purge: the engine's allocator returns free pages before"
        " each sample; tracemalloc: Python's allocation sites that grew (slow)",
    )
    asyncio.run(main(parser.parse_args()))
