"""llm-proxy against the floor (bench/floor.py, a bare aiohttp pass-through), in one run.

Three processes besides this one, on a 2-core machine:

- CPU 0: the server under test - the floor, then ``llm-proxy serve`` as shipped (zero
  config: default policy with its detection worker, event log to the embedded ClickHouse,
  metrics, access log) - and the proxy's detection workers;
- CPU 1: the fake upstream (tests/fakes, an OpenAI-compatible aiohttp app) and the load
  generator (``wrk -t1``, or this script's own aiohttp client for the paced run).

Measured for each server, non-streamed and streamed (20 content events), at c=1 and c=16:
calls/s, p50/p99 latency (wrk), and the server's CPU per call (user+system time of its
process tree from /proc, over the run, divided by the calls wrk completed); then the
ratios proxy/floor. The same 1 KB prompt every call, so detection is a cache hit, as in
issue 11. Then a paced run: the upstream sends a content event every 20 ms, and each call
is made directly and through each proxy (``--base-tree``'s too), c=1, the servers taking
turns call by call: time to first content and content events received, against direct -
the mean of every call (as quoted before h161) and the median of the calls after the
first (whose new connection and first scans of the paced answer's reads are not the
stream's pace: bench/first_calls.py measures first calls). bench/paced_timeline.py takes
one paced call apart stage by stage.

Usage: .venv/bin/python bench/versus_floor.py [--seconds 5] [--proxy-tree DIR] [--loop uvloop]
       [--rounds N] [--base-tree DIR] [--syscalls | --syscalls-only] [--profile DIR]
``--loop`` runs both the floor and the proxy on that event loop (the proxy through its
``event_loop`` setting), so the ratio compares like with like.
``--proxy-tree`` runs the proxy from another source tree (say, an older commit unpacked
with ``git archive``) to measure before and after a change.

Before and after, in one run: ``--base-tree DIR`` runs a second proxy from DIR beside the
first, and ``--rounds N`` measures every server N times, taking turns (in the opposite
order every other round); ratios are per round, their median first. On a shared machine a
ratio to the floor from separate runs moved by +-30 %; paired in rounds, the same tree
against itself gave 0.80-1.19 a round and a median of 1.01-1.02, and the change of the
previous session (a502998 -> 1b864e7, 0.88x in process) 0.75-0.79 in every round.

Where the CPU goes (the c=16 runs): each server's CPU per call split by thread, from
``/proc/<pid>/task/*``: CPU to the nanosecond (``schedstat``), its user and system parts
(``stat``, in 10 ms ticks), voluntary context switches (how often the thread slept and
was woken) and minor page faults; a process's time less its live threads' is shown as
``(rest of process)`` (threads that ended, and the ticks' rounding). Both servers start
through :data:`NAME_THREADS`, which gives every Python thread's name to the kernel
(CPython 3.11 leaves them all ``python``); chDB names its own threads. Time-driven work
(the writer's batches every few seconds, chDB's background threads) counts per call in
proportion to how few calls the machine lets through. ``--syscalls`` adds one more c=16
run per server and kind under ``perf stat`` (pinned beside the load): system calls
per call, by thread and by call, then one table per kind: each system call's count per
call, all threads, floor against proxy (and base); ``--syscalls-only`` skips the timed
rounds and the paced run. perf slows the server, so its calls/s is not quoted.
``--profile DIR`` records py-spy's and perf's samples under c=16 into DIR.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes import FakeUpstream  # noqa: E402 - the fakes live in the tree's tests/

PYTHON = sys.executable
SERVER_CPU, LOAD_CPU = "0", "1"
WORDS = 20  # content events per streamed answer
PACE = 0.02  # seconds between content events in the paced run
PROMPT = (
    "Please summarise the attached meeting notes for the steering committee. The notes cover "
    "the migration timeline, the budget review and open risks around vendor lock-in. "
) * 6
REPLY = " ".join(f"word{i}" for i in range(WORDS))
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


#: Start the proxy's command line from any tree ``--proxy-tree`` names: before the
#: proxy/ regrouping ``main`` sat in ``proxy/cli.py``, now in ``proxy/cli/main.py``.
SERVE_ANY_TREE = """
try:
    from proxy.cli.main import main
except ImportError:
    from proxy.cli import main
main()
"""

#: Run before either server: every Python thread, once started, gives the kernel its name
#: (the first 15 bytes, ``PR_SET_NAME``), and the main thread is ``main``. Only the
#: thread names change, so any tree can be measured this way.
NAME_THREADS = """
import ctypes, threading
_prctl = ctypes.CDLL(None).prctl
def _name_os_thread(name):
    _prctl(15, name.encode()[:15], 0, 0, 0)
_run = threading.Thread.run
def _named_run(self):
    _name_os_thread(self.name)
    _run(self)
threading.Thread.run = _named_run
_name_os_thread("main")
"""

#: The floor's command line, after :data:`NAME_THREADS`.
RUN_FLOOR = f"""
import runpy
runpy.run_path({str(ROOT / "bench" / "floor.py")!r}, run_name="__main__")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_upstream(port: int) -> None:
    """The fake upstream, with ``POST /bench/pace`` to set the seconds between events."""
    fake = FakeUpstream()
    fake.behaviour.reply_text = REPLY

    async def pace(request: web.Request) -> web.Response:
        fake.behaviour.chunk_interval = float(await request.text())
        fake.clear()
        return web.Response(text="ok")

    app = fake.make_app()
    app.router.add_post("/bench/pace", pace)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and every process below it."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
    return total


class Times(NamedTuple):
    """CPU seconds in user and kernel mode (clock ticks), voluntary context switches, minor
    page faults (memory the kernel had to map: the allocator growing or giving pages back),
    and CPU seconds to the nanosecond (``schedstat``: a tick is 10 ms, a thread's share of
    a run may be a few ticks)."""

    user: float = 0.0
    system: float = 0.0
    switches: float = 0.0
    faults: float = 0.0
    run: float = 0.0

    def __add__(self, other: object) -> Times:
        assert isinstance(other, Times)
        return Times(*(mine + theirs for mine, theirs in zip(self, other, strict=True)))

    def __sub__(self, other: Times) -> Times:
        return Times(*(mine - theirs for mine, theirs in zip(self, other, strict=True)))


#: A thread's name, less a pool's number: ``event-log-insert_0`` and ``_1`` are one row.
_POOL_NUMBER = re.compile(r"[_-]?\d+$")
#: A process's CPU time less its live threads' (each thread's ticks are rounded on their
#: own): threads that ended, and the rounding.
ENDED = "(rest of process)"


def _stat_times(stat: Path) -> Times:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    user, system = int(fields[11]) / _CLOCK_TICKS, int(fields[12]) / _CLOCK_TICKS
    return Times(user, system, faults=int(fields[7]))


def _switches(status: Path) -> int:
    found = re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status.read_text(), re.MULTILINE)
    return int(found[1]) if found else 0


def thread_times(pid: int) -> dict[str, Times]:
    """Every thread of ``pid``'s process tree, summed by name: a pool's numbered threads
    together, a child process's under ``child <its name>``, and what threads that have
    ended used under :data:`ENDED`."""
    found: dict[str, Times] = {}
    pending = [(pid, "")]
    while pending:
        current, prefix = pending.pop()
        with contextlib.suppress(OSError):
            whole = _stat_times(Path(f"/proc/{current}/stat"))
            live = Times()
            for task in Path(f"/proc/{current}/task").iterdir():
                with contextlib.suppress(OSError):
                    name = _POOL_NUMBER.sub("", (task / "comm").read_text().strip())
                    times = _stat_times(task / "stat")._replace(
                        switches=_switches(task / "status"),
                        run=int((task / "schedstat").read_text().split()[0]) / 1e9,
                    )
                    live += times
                    key = f"{prefix}{name}"
                    found[key] = found.get(key, Times()) + times
                    children = (task / "children").read_text().split()
                    pending.extend((int(child), "child ") for child in children)
            ended = f"{prefix}{ENDED}"
            rest = (whole - live)._replace(switches=0)
            found[ended] = found.get(ended, Times()) + rest._replace(run=rest.user + rest.system)
    return found


def times_per_call(before: dict[str, Times], after: dict[str, Times], calls: float) -> Split:
    """Milliseconds of CPU and switches per call, by thread name, busiest first."""
    per_call = {}
    for name, now in after.items():
        used = now - before.get(name, Times())
        per_call[name] = Times(
            used.user * 1000 / calls,
            used.system * 1000 / calls,
            used.switches / calls,
            used.faults / calls,
            used.run * 1000 / calls,
        )
    return dict(sorted(per_call.items(), key=lambda item: -item[1].run))


#: CPU ms per call (user, system) and voluntary switches per call, by thread name.
Split = dict[str, Times]


@contextlib.contextmanager
def process(command: list[str], cpu: str, **kwargs: object) -> Iterator[subprocess.Popen[bytes]]:
    child = subprocess.Popen(  # noqa: S603 - our own scripts, fixed arguments
        ["taskset", "-c", cpu, *command],  # noqa: S607 - util-linux taskset
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **kwargs,  # type: ignore[call-overload]
    )
    try:
        yield child
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


async def wait_ready(url: str, within: float = 240.0) -> None:
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def wrk(
    url: str, *, stream: bool, connections: int, seconds: float, workdir: Path
) -> dict[str, float]:
    body: dict[str, object] = {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": PROMPT}],
    }
    if stream:
        body["stream"] = True
    script = workdir / f"post_{stream}.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(json.dumps(body))}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        'wrk.headers["Authorization"] = "Bearer sk-bench-caller-key-0123456789"\n'
    )
    command = ["taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{connections}"]
    command += [f"-d{seconds:g}s", "--latency", "-s", str(script), f"{url}/v1/chat/completions"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    done = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors[1]} failed calls\n{out}")
    return {
        "calls": done,
        "calls_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),  # type: ignore[index]
        "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", out)[1]),  # type: ignore[index]
        "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", out)[1]),  # type: ignore[index]
    }


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


class Server(NamedTuple):
    """A server under test: its name in the report, URL and process id."""

    name: str
    url: str
    pid: int


def measure(
    server: Server, workdir: Path, seconds: float, *, warm_up: bool
) -> list[dict[str, object]]:
    """One run of each kind and concurrency: wrk's figures, CPU and its split per call."""
    name, url, pid = server
    rows: list[dict[str, object]] = []
    for stream in (False, True):
        if warm_up:
            wrk(url, stream=stream, connections=4, seconds=1, workdir=workdir)
        for connections in (1, 16):
            before, threads_before = cpu_seconds(pid), thread_times(pid)
            result = wrk(
                url, stream=stream, connections=connections, seconds=seconds, workdir=workdir
            )
            calls = max(1.0, result["calls"])
            cpu_ms = (cpu_seconds(pid) - before) * 1000 / calls
            split = times_per_call(threads_before, thread_times(pid), calls)
            rows.append(
                {
                    "server": name,
                    "stream": stream,
                    "c": connections,
                    "cpu_ms": cpu_ms,
                    "split": split,
                    **result,
                }
            )
    return rows


def syscalls(
    name: str, url: str, pid: int, workdir: Path, seconds: float
) -> list[dict[str, object]]:
    """System calls per call of ``pid``'s threads (not its children) under wrk c=16, by
    thread and by call: ``perf stat`` counting every ``sys_enter`` tracepoint per thread in
    the kernel (no event lost, where ``perf trace`` under load lost or missed some: one
    run showed a quarter of a streamed call's sends), switched on through its control fifo
    just before wrk starts and off once it ends (pinned beside the load)."""
    rows: list[dict[str, object]] = []
    for stream in (False, True):
        out = workdir / f"perf_{name}_{stream}.txt"
        control, ack = workdir / f"perf_{name}_{stream}.ctl", workdir / f"perf_{name}_{stream}.ack"
        os.mkfifo(control)
        os.mkfifo(ack)
        command = ["taskset", "-c", LOAD_CPU, "perf", "stat", "--per-thread", "-x,"]
        command += ["-e", "syscalls:sys_enter_*", "-p", str(pid), "-D", "-1"]
        command += ["--control", f"fifo:{control},{ack}", "-o", str(out)]
        counter = subprocess.Popen(  # noqa: S603 - fixed arguments
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        with control.open("w") as commands, ack.open() as acks:
            commands.write("enable\n")
            commands.flush()
            acks.readline()  # counting: every thread's counters are open
            result = wrk(url, stream=stream, connections=16, seconds=seconds, workdir=workdir)
            commands.write("disable\n")
            commands.flush()
            acks.readline()
        counter.send_signal(signal.SIGINT)
        counter.wait(timeout=60)
        found = parse_perf_stat(out.read_text())
        calls = max(1.0, result["calls"])
        per_call = {
            thread: {call: count / calls for call, count in counts.items()}
            for thread, counts in found.items()
        }
        rows.append({"server": name, "stream": stream, "syscalls": per_call})
    return rows


def profile(name: str, url: str, pid: int, workdir: Path, seconds: float, *, into: Path) -> None:
    """py-spy's samples (native frames, every thread, idle ones left out) of ``pid`` under
    wrk c=16, plain and streamed: collapsed stacks in ``into/<name>_<kind>.txt``."""
    into.mkdir(parents=True, exist_ok=True)
    for stream in (False, True):
        out = into / f"{name}_{'streamed' if stream else 'plain'}.txt"
        command = ["taskset", "-c", LOAD_CPU, str(Path(PYTHON).parent / "py-spy"), "record"]
        command += ["--native", "--threads", "--format", "raw", "--rate", "200"]
        command += ["--duration", f"{seconds:g}", "--output", str(out), "--pid", str(pid)]
        spy = subprocess.Popen(  # noqa: S603 - fixed arguments
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wrk(url, stream=stream, connections=16, seconds=seconds + 1, workdir=workdir)
        spy.wait(timeout=60)


def perf_profile(
    name: str, url: str, pid: int, workdir: Path, seconds: float, *, into: Path
) -> None:
    """``perf record`` of ``pid`` (every thread, kernel included) under wrk c=16, plain and
    streamed: ``into/<name>_<kind>.data``, and its split by thread and shared object
    (``perf report --sort comm,dso``) in ``.txt`` beside it."""
    into.mkdir(parents=True, exist_ok=True)
    for stream in (False, True):
        data = into / f"{name}_{'streamed' if stream else 'plain'}.data"
        command = ["taskset", "-c", LOAD_CPU, "perf", "record", "-F", "999", "-p", str(pid)]
        recorder = subprocess.Popen(  # noqa: S603 - fixed arguments
            [*command, "-o", str(data)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(1.0)
        wrk(url, stream=stream, connections=16, seconds=seconds, workdir=workdir)
        recorder.send_signal(signal.SIGINT)
        recorder.wait(timeout=60)
        split = subprocess.run(  # noqa: S603 - fixed arguments
            ["perf", "report", "-i", str(data), "--stdio", "--sort", "comm,dso"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        data.with_suffix(".txt").write_text(split, encoding="utf-8")


def parse_perf_stat(text: str) -> dict[str, dict[str, int]]:
    """System calls by thread name (a pool's threads summed), then by call, from
    ``perf stat --per-thread -x,`` of the ``syscalls:sys_enter_*`` tracepoints (lines
    ``<name>-<tid>,<count>,,syscalls:sys_enter_<call>,...``)."""
    found: dict[str, dict[str, int]] = {}
    for line in text.splitlines():
        fields = line.split(",")
        if len(fields) < 4 or not fields[3].startswith("syscalls:sys_enter_"):
            continue
        if not fields[1].isdigit() or not int(fields[1]):
            continue  # "<not counted>" or none
        thread = _POOL_NUMBER.sub("", fields[0].rsplit("-", 1)[0])
        calls = found.setdefault(thread, {})
        call = fields[3].removeprefix("syscalls:sys_enter_")
        calls[call] = calls.get(call, 0) + int(fields[1])
    return found


class Paced(NamedTuple):
    """One server's paced calls: time to first content (ms) and content events, per call."""

    firsts: list[float]
    counts: list[int]

    @property
    def mean(self) -> float:
        """Mean time to first content over every call, the first (cold) one included."""
        return statistics.mean(self.firsts)

    @property
    def warm(self) -> float:
        """Median time to first content after the first call (a new connection, the
        paced answer's first scans)."""
        return statistics.median(self.firsts[1:] or self.firsts)

    @property
    def events(self) -> float:
        return statistics.mean(self.counts)


async def paced(urls: dict[str, str], calls: int) -> dict[str, Paced]:
    """``calls`` paced calls to each of ``urls`` at c=1, taking turns call by call (in
    the opposite order every other turn), so that a change of load moves them alike."""
    body = {
        "model": "gpt-4o-mini",
        "stream": True,
        "messages": [{"role": "user", "content": PROMPT}],
    }
    found = {name: Paced([], []) for name in urls}
    headers = {"Authorization": "Bearer sk-bench-caller-key-0123456789"}
    async with contextlib.AsyncExitStack() as stack:
        sessions = {
            name: await stack.enter_async_context(aiohttp.ClientSession(headers=headers))
            for name in urls
        }
        order = list(urls)
        for turn in range(calls):
            for name in order if turn % 2 == 0 else order[::-1]:
                started, first, count = time.perf_counter(), 0.0, 0
                url = f"{urls[name]}/v1/chat/completions"
                async with sessions[name].post(url, json=body) as response:
                    async for line in response.content:
                        if not line.startswith(b"data: {"):
                            continue
                        choices = json.loads(line[6:]).get("choices") or [{}]
                        if choices[0].get("delta", {}).get("content"):
                            count += 1
                            first = first or time.perf_counter() - started
                found[name].firsts.append(first * 1000)
                found[name].counts.append(count)
    return found


def loop_config(proxy_tree: Path, loop: str, workdir: Path) -> dict[str, str]:
    """Environment that runs the proxy of ``proxy_tree`` on ``loop``: a config file naming
    it, for trees that have the ``event_loop`` setting (older trees run on asyncio)."""
    if "event_loop" not in (proxy_tree / "proxy" / "server.py").read_text(encoding="utf-8"):
        if loop != "asyncio":
            raise SystemExit(f"{proxy_tree}: this proxy cannot run on {loop}")
        return {}
    config = workdir / "proxy.yaml"
    config.write_text(f"event_loop: {loop}\n", encoding="utf-8")
    return {"LLM_PROXY_CONFIG": str(config)}


def floor_command(upstream: str, port: int, loop: str) -> list[str]:
    """The floor's command line: bench/floor.py after :data:`NAME_THREADS`."""
    command = [PYTHON, "-c", NAME_THREADS + RUN_FLOOR, "--upstream", upstream]
    return [*command, "--port", str(port), "--loop", loop]


def start_proxy(
    stack: contextlib.ExitStack,
    tree: Path,
    loop: str,
    upstream: str,
    home: Path,
    *,
    wrapper: Sequence[str] = (),
    cpus: str = SERVER_CPU,
) -> tuple[int, int]:
    """``llm-proxy serve`` from ``tree`` on CPU 0 (or ``cpus``), its data under ``home``:
    (port, pid). ``wrapper`` runs the Python under another command (bench/instructions.py:
    valgrind)."""
    home.mkdir()
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "OPENAI_BASE_URL": f"{upstream}/v1",
        "PYTHONPATH": str(tree),
        **loop_config(tree, loop, home),
    }
    serve = ["-c", NAME_THREADS + SERVE_ANY_TREE, "serve", "--port", str(port)]
    command = [*wrapper, PYTHON, *serve]
    proxy = stack.enter_context(process(command, cpus, cwd=home, env=env))
    return port, proxy.pid


async def main(
    seconds: float,
    proxy_tree: Path,
    paced_calls: int,
    loop: str,
    *,
    rounds: int,
    base_tree: Path | None,
    trace_syscalls: bool,
    profile_dir: Path | None,
    syscalls_only: bool = False,
    paced_only: bool = False,
) -> None:
    os.sched_setaffinity(0, {int(LOAD_CPU)})
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        workdir = Path(tmp)
        up_port, floor_port = free_port(), free_port()
        upstream = f"http://127.0.0.1:{up_port}"
        stack.enter_context(process([PYTHON, __file__, "--serve-upstream", str(up_port)], LOAD_CPU))
        floor = stack.enter_context(process(floor_command(upstream, floor_port, loop), SERVER_CPU))
        servers = [Server("floor", f"http://127.0.0.1:{floor_port}", floor.pid)]
        trees = [("proxy", proxy_tree)] + ([("base", base_tree)] if base_tree else [])
        for name, tree in trees:
            port, pid = start_proxy(stack, tree, loop, upstream, workdir / name)
            servers.append(Server(name, f"http://127.0.0.1:{port}", pid))
        await wait_ready(f"{upstream}/v1/models")
        await wait_ready(f"{servers[0].url}/v1/models")
        for server in servers[1:]:
            await wait_ready(f"{server.url}/healthz")
        rows: list[dict[str, object]] = []
        if syscalls_only:
            counted: list[dict[str, object]] = []
            for server in servers:
                for stream in (False, True):  # the warm-up the timed rounds would have been
                    wrk(server.url, stream=stream, connections=4, seconds=1, workdir=workdir)
                counted += syscalls(*server, workdir, seconds)
            report_syscalls(counted)
            return
        for turn in range(
            0 if paced_only else rounds
        ):  # servers take turns: each round sees the same machine,
            # in the opposite order every other round, so that none is always measured last
            for server in servers if turn % 2 == 0 else servers[::-1]:
                measured = measure(server, workdir, seconds, warm_up=turn == 0)
                rows += [{**row, "round": turn} for row in measured]
        floor_server, proxy_server = servers[0], servers[1]
        if profile_dir is not None and not paced_only:
            for sampler in (profile, perf_profile):
                for server in (floor_server, proxy_server):
                    sampler(*server, workdir, seconds, into=profile_dir)
        traced: list[dict[str, object]] = []
        if trace_syscalls and not paced_only:
            for server in servers:
                traced += syscalls(*server, workdir, seconds)
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{upstream}/bench/pace", data=str(PACE)),
        ):
            pass
        paced_urls = {"direct": upstream} | {server.name: server.url for server in servers[1:]}
        runs = await paced(paced_urls, paced_calls)
    if paced_only:
        report_paced(runs)
        return
    report(rows, runs, seconds, proxy_tree, loop=loop)
    if base_tree is not None:
        report_ratios(rows, "proxy", "base", f"proxy / base ({base_tree}):")
    report_split(combined(rows))
    if traced:
        report_syscalls(traced)


def combined(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The rounds of each server, kind and concurrency as one row: calls and CPU summed
    (CPU per call over all of them), calls/s averaged, p50 and p99 the rounds' medians."""
    groups: dict[tuple[object, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["server"], row["stream"], row["c"]), []).append(row)
    merged: list[dict[str, object]] = []
    for (server, stream, connections), group in groups.items():
        calls = sum(run["calls"] for run in group)
        split: Split = {}
        for run in group:
            for name, used in run["split"].items():
                weighted = Times(*(value * run["calls"] / calls for value in used))
                split[name] = split.get(name, Times()) + weighted
        merged.append(
            {
                "server": server,
                "stream": stream,
                "c": connections,
                "calls": calls,
                "cpu_ms": sum(row["cpu_ms"] * row["calls"] for row in group) / calls,
                "calls_per_s": statistics.mean(row["calls_per_s"] for row in group),
                "p50_ms": statistics.median(row["p50_ms"] for row in group),
                "p99_ms": statistics.median(row["p99_ms"] for row in group),
                "split": dict(sorted(split.items(), key=lambda item: -item[1].run)),
            }
        )
    return merged


def report_ratios(rows: list[dict[str, object]], server: str, base: str, title: str) -> None:
    """``server`` against ``base``, kind by kind: each round's ratio, their median first."""
    print(title)
    by_key = {(r["server"], r["stream"], r["c"], r["round"]): r for r in rows}
    rounds = sorted({r["round"] for r in rows})  # type: ignore[type-var]
    for stream in (False, True):
        for connections in (1, 16):
            pairs = [
                (by_key[server, stream, connections, turn], by_key[base, stream, connections, turn])
                for turn in rounds
            ]
            kind = "streamed" if stream else "plain"
            parts = []
            for label, field in (
                ("CPU/call", "cpu_ms"),
                ("calls/s", "calls_per_s"),
                ("p99", "p99_ms"),
            ):
                ratios = [mine[field] / theirs[field] for mine, theirs in pairs]  # type: ignore[operator]
                shown = f"{label} {statistics.median(ratios):5.2f}x"
                if len(ratios) > 1:
                    shown += " (" + " ".join(f"{r:.2f}" for r in ratios) + ")"
                parts.append(shown)
            print(f"  {kind:9} c={connections:<3} " + "   ".join(parts))


def report(
    rows: list[dict[str, object]],
    runs: dict[str, Paced],
    seconds: float,
    proxy_tree: Path,
    *,
    loop: str,
) -> None:
    print(
        f"llm-proxy from {proxy_tree}, floor and proxy on {loop}; servers pinned to CPU "
        f"{SERVER_CPU}, fake upstream and wrk -t1 to CPU {LOAD_CPU}; {seconds:g} s per run; "
        "1 KB prompt (cache hit)"
    )
    rounds = len({row["round"] for row in rows})
    if rounds > 1:
        print(f"{rounds} rounds, the servers taking turns; figures over all rounds")
    print(
        f"{'server':6} {'kind':9} {'c':>3} {'calls/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'CPU ms/call':>11}"
    )
    for row in combined(rows):
        kind = "streamed" if row["stream"] else "plain"
        print(
            f"{row['server']:6} {kind:9} {row['c']:>3} {row['calls_per_s']:8.0f} "
            f"{row['p50_ms']:7.2f} {row['p99_ms']:7.2f} {row['cpu_ms']:11.3f}"
        )
    report_ratios(rows, "proxy", "floor", "proxy / floor (median of the rounds):")
    report_paced(runs)


def report_paced(runs: dict[str, Paced]) -> None:
    """Time to first content and content events of the paced run, each server against
    direct: the mean of every call (as quoted before h161) and the median of warm calls."""
    print(
        f"paced stream ({WORDS} content events, {PACE * 1000:.0f} ms apart, c=1), default policy:"
    )
    direct = runs["direct"]
    print(f"  time to first content: direct {direct.mean:.1f} ms (warm {direct.warm:.1f} ms)")
    for name, run in runs.items():
        if name == "direct":
            continue
        print(
            f"  {name}: {run.mean:.1f} ms (added {run.mean - direct.mean:+.1f} ms); warm "
            f"{run.warm:.1f} ms (added {run.warm - direct.warm:+.1f} ms); content events "
            f"{run.events:.1f} of {direct.events:.1f} (ratio {run.events / direct.events:.2f})"
        )
    calls = " ".join(
        f"{name} " + "/".join(f"{v:.0f}" for v in r.firsts) for name, r in runs.items()
    )
    print(f"  each call's first content, ms: {calls}")


def report_split(rows: list[dict[str, object]]) -> None:
    """CPU ms per call at c=16 by thread (to the nanosecond), its user and system parts (in
    clock ticks), voluntary switches and minor page faults per call."""
    print(
        "where the CPU goes at c=16, per call: ms, and user + system (10 ms ticks), by thread;"
        " voluntary switches; minor page faults"
    )
    for row in rows:
        if row["c"] != 16:
            continue
        split: Split = row["split"]  # type: ignore[assignment]
        total = sum(split.values(), Times())
        kind = "streamed" if row["stream"] else "plain"
        print(
            f"  {row['server']} {kind}: {total.run:.3f} ms, user {total.user:.3f} + system "
            f"{total.system:.3f}; {total.switches:.2f} switches; {total.faults:.2f} faults"
        )
        for name, used in split.items():
            if used.run < 0.001 and used.switches < 0.05 and used.faults < 0.05:
                continue
            print(
                f"    {name:20} {used.run:6.3f} {100 * used.run / max(total.run, 1e-9):5.1f}%  "
                f"{used.user:6.3f} + {used.system:6.3f}   {used.switches:5.2f}  {used.faults:6.2f}"
            )


def report_syscalls(traced: list[dict[str, object]]) -> None:
    """System calls per call at c=16 (``perf stat``), by thread, then by call."""
    print("system calls per call at c=16 (perf stat, every thread of the server's process):")
    for row in traced:
        found: dict[str, dict[str, float]] = row["syscalls"]  # type: ignore[assignment]
        totals = {thread: sum(calls.values()) for thread, calls in found.items()}
        kind = "streamed" if row["stream"] else "plain"
        print(f"  {row['server']} {kind}: {sum(totals.values()):.1f}")
        for thread, total in sorted(totals.items(), key=lambda item: -item[1]):
            if total < 0.05:
                continue
            calls = sorted(found[thread].items(), key=lambda item: -item[1])
            shown = ", ".join(f"{call} {count:.2f}" for call, count in calls if count >= 0.01)
            print(f"    {thread:16} {total:5.2f}: {shown}")
    for stream in (False, True):
        report_syscall_table([row for row in traced if row["stream"] == stream], stream)


def report_syscall_table(traced: list[dict[str, object]], stream: bool) -> None:
    """Each system call's count per call, every thread together, one column per server
    (the first is the floor), and the difference of each other server from the floor."""
    if not traced:
        return
    names = [str(row["server"]) for row in traced]
    per_call: list[dict[str, float]] = []
    for row in traced:
        found: dict[str, dict[str, float]] = row["syscalls"]  # type: ignore[assignment]
        summed: dict[str, float] = {}
        for calls in found.values():
            for call, count in calls.items():
                summed[call] = summed.get(call, 0.0) + count
        per_call.append(summed)
    kinds = sorted(
        {call for summed in per_call for call, count in summed.items() if count >= 0.01},
        key=lambda call: -max(summed.get(call, 0.0) for summed in per_call),
    )
    head = "".join(f"{name:>9}" for name in names)
    extra = "".join(f"{name + '-' + names[0]:>14}" for name in names[1:])
    print(f"system calls per {'streamed' if stream else 'plain'} call, all threads:")
    print(f"  {'call':16}{head}{extra}")
    for call in [*kinds, "total"]:
        counts = [
            sum(summed.values()) if call == "total" else summed.get(call, 0.0)
            for summed in per_call
        ]
        base = counts[0]
        cells = "".join(f"{count:9.2f}" for count in counts)
        diffs = "".join(f"{count - base:+14.2f}" for count in counts[1:])
        print(f"  {call:16}{cells}{diffs}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--paced-calls", type=int, default=10)
    parser.add_argument("--proxy-tree", type=Path, default=ROOT)
    parser.add_argument(
        "--loop",
        choices=("asyncio", "uvloop"),
        default="asyncio",
        help="the event loop of both the floor and the proxy",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure every server this many times, taking turns (ratios: their median)",
    )
    parser.add_argument(
        "--base-tree",
        type=Path,
        help="also run the proxy from this tree in the same rounds: proxy / base ratios",
    )
    parser.add_argument(
        "--syscalls",
        action="store_true",
        help="count system calls per call with perf stat (one more c=16 run per kind)",
    )
    parser.add_argument(
        "--syscalls-only",
        action="store_true",
        help="only count system calls per call with perf stat (no timed rounds, no paced run)",
    )
    parser.add_argument(
        "--paced-only",
        action="store_true",
        help="only the paced run (no timed rounds: the first paced call is then a cold one)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="also record py-spy's and perf's samples under c=16 load into DIR",
    )
    parser.add_argument("--serve-upstream", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_upstream:
        serve_upstream(args.serve_upstream)
    elif shutil.which("wrk") is None:
        raise SystemExit("versus_floor: wrk is not installed (make bench-deps installs it)")
    else:
        asyncio.run(
            main(
                args.seconds,
                args.proxy_tree.resolve(),
                args.paced_calls,
                args.loop,
                rounds=args.rounds,
                base_tree=args.base_tree.resolve() if args.base_tree else None,
                trace_syscalls=args.syscalls,
                profile_dir=args.profile,
                syscalls_only=args.syscalls_only,
                paced_only=args.paced_only,
            )
        )
