"""Instructions per call, proxy against the floor, counted by valgrind: a figure load cannot move.

bench/versus_floor.py measures CPU time per call; on 2 shared cores its rounds spread
0.6-1.2x for the same code. Here callgrind counts the instructions each server executes
for exactly ``--calls`` calls, which the other core's load does not change.

The floor (bench/floor.py) and ``llm-proxy serve`` (zero config, started as versus_floor.py
starts it: default policy and its detection worker, event log to the embedded ClickHouse,
metrics, access log) each run under ``valgrind --tool=callgrind`` on CPU 0; the fake upstream
(tests/fakes) and this script's aiohttp client, neither under valgrind, on CPU 1. The same
1 KB prompt every call, so detection is a cache hit, as in issue 11. For each server: a
warm-up of ``--warm-up`` calls of each kind, then for each kind - plain and streamed (20
content events), at c=1 and c=4 - a window: wait until the server is idle, zero the counters,
make exactly ``--calls`` calls (each answer read to its end), wait ``SETTLE`` seconds for the
work a call leaves behind (the event log inserts its batch up to 3 s later), dump.

How the window is cut: the server starts with instrumentation off (``--instr-atstart=no``,
which also starts it ~4x faster: the proxy still takes 2-3 minutes, chDB's library is
550 MB); ``callgrind_control -i on`` after the warm-up, ``-z`` (zero) and ``-d`` (dump)
around each window. ``--collect-atstart=no`` would need the program's own client requests
or ``--toggle-collect=FUNCTION`` to turn collection on: callgrind_control cannot. No
``PYTHONMALLOC=malloc``: that is memcheck's need (pymalloc reads memory it never wrote);
callgrind counts pymalloc as production runs it.

What is counted: every thread of the server's process (``--separate-threads=yes``, named
through vgdb's ``v.info scheduler`` and ``/proc``, as versus_floor.py names them: ``main``
is the event loop, then the event log's writer and inserts, chDB's own threads, the
detection workers' pipe threads). Not the detection worker processes (the forkserver and
its workers): they run natively (``--trace-children=no``; under valgrind each would take
minutes to load spaCy). Every call is a cache hit in the proxy's process, so they should be
idle: their CPU over each window (from /proc, 10 ms ticks) is printed to show it.

Two figures per call: the event loop (``main``: the request path, which repeats to a few
tenths of a percent) and all threads. Time-driven work - the event log's inserts (one batch
per flush interval, 3 s, however many rows), chDB's background threads - counts per call in
proportion to the wall time of a call, which valgrind stretches ~50x: the all-threads figure
overstates the event log against native speed, and moves with how long the window took.

Python functions are not named: CPython 3.11 has no perf trampoline (``-X perf`` is 3.12),
so callgrind sees ``_PyEval_EvalFrameDefault`` for every bytecode (``--dump-instr`` changes
nothing). ``--top N`` lists the native functions by their own instructions per call,
proxy against floor; the eval loop's line is the bytecodes' share (which bytecodes:
``bench/call_path.py --bytecodes``).

Usage: .venv/bin/python bench/instructions.py [--calls 200] [--warm-up 50] [--rounds 1]
       [--proxy-tree DIR] [--base-tree DIR] [--loop asyncio|uvloop] [--top 20] [--keep DIR]
``--base-tree DIR`` runs a second proxy from another tree (``git archive COMMIT | tar -x -C
DIR``): proxy / base ratios. ``--rounds N`` repeats every window N times on the same
processes. ``--keep DIR`` leaves the callgrind files there (``callgrind_annotate FILE``).
About 4 minutes with one proxy (most of it the proxy's start), 7 with a base tree.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from versus_floor import (
    _POOL_NUMBER,
    PROMPT,
    PYTHON,
    ROOT,
    _stat_times,
    cpu_seconds,
    floor_command,
    free_port,
    process,
    start_proxy,
    wait_ready,
)

#: Seconds to wait after a window's last call before the dump: the event log inserts a
#: batch up to its flush interval (3 s by default) after the first row waits in it.
SETTLE = 4.0
#: (streamed, connections) of each window, in order.
KINDS = ((False, 1), (False, 4), (True, 1), (True, 4))
#: The thread that runs the event loop (versus_floor.NAME_THREADS names it).
LOOP_THREAD = "main"
#: Times a window is measured again when one of its calls failed (under valgrind on a
#: loaded machine a new upstream connection can exceed the proxy's 10 s connect timeout).
ATTEMPTS = 3
HEADERS = {"Authorization": "Bearer sk-bench-caller-key-0123456789"}


def valgrind(out: Path) -> list[str]:
    """The command that runs a server under callgrind, its files ``out.<pid>.*``."""
    return [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        "--separate-threads=yes",
        f"--callgrind-out-file={out}.%p.out",
        f"--log-file={out}.%p.log",
    ]


# -- callgrind's output ------------------------------------------------------------------

_COST_LINE = re.compile(r"[0-9+\-*]")
_NAMED = re.compile(r"\((\d+)\)(?: (.*))?")
_RECURSION = re.compile(r"'\d+$")


def parse_totals(text: str) -> int:
    """Instructions (the first event, Ir) of one callgrind file: its ``totals:`` line, or
    ``summary:`` when it has none."""
    found = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("totals", "summary") and value.split():
            found[key] = int(value.split()[0])
    if not found:
        raise ValueError("no totals: or summary: line in the callgrind output")
    return found.get("totals", found.get("summary", 0))


def parse_own(text: str) -> dict[tuple[str, str], int]:
    """Instructions each function executed itself (its callees' left out), by (object
    file, function), from one callgrind file: the cost lines under each ``fn=``, less the
    line after each ``calls=`` (what that call cost, callees included). Names compressed
    as ``(id) name`` are expanded (ob/cob share a table, fn/cfn another)."""
    positions = 1
    tables: dict[str, dict[str, str]] = {"ob": {}, "fn": {}}
    current = {"ob": "???", "fn": "???"}
    own: dict[tuple[str, str], int] = {}
    skip_next = False
    for line in text.splitlines():
        if not line:
            continue
        if _COST_LINE.match(line):
            if skip_next:
                skip_next = False
                continue
            fields = line.split()
            if len(fields) > positions:
                function = (current["ob"], current["fn"])
                own[function] = own.get(function, 0) + int(fields[positions])
            continue
        key, equals, value = line.partition("=")
        if not equals:
            if line.startswith("positions:"):
                positions = len(line.split()) - 1
            continue
        if key in ("calls", "jump", "jcnd"):
            skip_next = True
        elif key in ("ob", "cob", "fn", "cfn"):
            table = key.removeprefix("c")
            name = _expand(tables[table], value)
            if key in current:
                # fn'2 is callgrind's name for the second level of a recursion
                current[key] = _RECURSION.sub("", name) if key == "fn" else name
    return own


def _expand(table: dict[str, str], value: str) -> str:
    named = _NAMED.fullmatch(value)
    if named is None:
        return value
    number, name = named.groups()
    if name is not None:
        table[number] = name
    return table.get(number, value)


# -- one server under callgrind ----------------------------------------------------------


class Server(NamedTuple):
    """A server under callgrind: its name in the report, URL, process id, and the prefix
    of its callgrind files."""

    name: str
    url: str
    pid: int
    out: Path


class Window(NamedTuple):
    """One measured window: instructions by thread name and by (object, function), the
    CPU seconds of the server's child processes (native, not counted) over it, and its
    wall time from zeroing the counters to the dump."""

    server: str
    stream: bool
    c: int
    calls: int
    round: int
    threads: dict[str, int]
    own: dict[tuple[str, str], int]
    children_cpu: float
    seconds: float

    @property
    def loop(self) -> float:
        """Instructions per call of the event loop's thread."""
        return self.threads.get(LOOP_THREAD, 0) / self.calls

    @property
    def total(self) -> float:
        """Instructions per call of every thread of the process."""
        return sum(self.threads.values()) / self.calls


def control(pid: int, *command: str) -> None:
    """One callgrind_control command to ``pid`` (it returns once the command has run)."""
    done = subprocess.run(  # noqa: S603 - fixed arguments
        ["callgrind_control", *command, str(pid)],  # noqa: S607 - valgrind's own tool
        capture_output=True,
        text=True,
        check=False,
    )
    if "OK" not in done.stdout:
        raise SystemExit(f"callgrind_control {' '.join(command)} {pid}: {done.stdout}{done.stderr}")


def thread_names(pid: int) -> dict[str, str]:
    """Callgrind's thread number -> the kernel's thread name (a pool's number left out),
    for the threads alive now, from vgdb's ``v.info scheduler``."""
    listed = subprocess.run(  # noqa: S603 - fixed arguments
        ["vgdb", f"--pid={pid}", "v.info", "scheduler"],  # noqa: S607 - valgrind's own tool
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    names = {}
    for number, lwp in re.findall(r"^Thread (\d+):.*\(lwpid (\d+)\)", listed, re.MULTILINE):
        with contextlib.suppress(OSError):
            comm = Path(f"/proc/{pid}/task/{lwp}/comm").read_text().strip()
            names[number] = _POOL_NUMBER.sub("", comm)
    return names


def read_dump(
    server: Server, dump: int, names: dict[str, str]
) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Instructions by thread name and by (object, function) of dump number ``dump``."""
    threads: dict[str, int] = {}
    own: dict[tuple[str, str], int] = {}
    pattern = f"{server.out.name}.{server.pid}.out.{dump}-*"
    files = sorted(server.out.parent.glob(pattern))
    if not files:
        raise SystemExit(f"{server.name}: no callgrind dump {pattern}")
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        number = str(int(path.name.rsplit("-", 1)[1]))
        name = names.get(number, f"(ended thread {number})")
        threads[name] = threads.get(name, 0) + parse_totals(text)
        for key, cost in parse_own(text).items():
            own[key] = own.get(key, 0) + cost
    return threads, own


def children_cpu(pid: int) -> float:
    """CPU seconds of ``pid``'s child processes (the detection workers), from /proc."""
    whole = _stat_times(Path(f"/proc/{pid}/stat"))
    return cpu_seconds(pid) - whole.user - whole.system


def wait_idle(pid: int, *, at_least: float, within: float = 60.0) -> None:
    """Wait ``at_least`` seconds, then until ``pid`` uses under a tenth of a core."""
    time.sleep(at_least)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - before < 0.05:
            return


async def drive(url: str, *, stream: bool, calls: int, connections: int) -> int:
    """Exactly ``calls`` calls, ``connections`` at a time, each answer read to its end:
    how many were not answered 200."""
    body: dict[str, object] = {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": PROMPT}],
    }
    if stream:
        body["stream"] = True
    data = json.dumps(body).encode()
    headers = {**HEADERS, "Content-Type": "application/json"}
    numbers = iter(range(calls))
    failed = 0
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:

        async def caller() -> None:
            nonlocal failed
            for _ in numbers:
                async with session.post(f"{url}/v1/chat/completions", data=data) as answer:
                    await answer.read()
                    failed += answer.status != 200

        await asyncio.gather(*(caller() for _ in range(connections)))
    return failed


async def measure(server: Server, *, calls: int, warm_up: int, rounds: int) -> list[Window]:
    """The warm-up, then one window per kind and round (see the module's docstring)."""
    for stream in (False, True):
        await drive(server.url, stream=stream, calls=warm_up, connections=4)
    control(server.pid, "-i", "on")
    windows = []
    dumps = itertools.count(1)
    for turn in range(rounds):
        for stream, connections in KINDS:
            for _ in range(ATTEMPTS):
                await asyncio.to_thread(wait_idle, server.pid, at_least=1.0)
                workers_before = children_cpu(server.pid)
                control(server.pid, "-z")
                started = time.monotonic()
                failed = await drive(
                    server.url, stream=stream, calls=calls, connections=connections
                )
                await asyncio.to_thread(wait_idle, server.pid, at_least=SETTLE)
                names = thread_names(server.pid)
                control(server.pid, "-d")
                dump = next(dumps)
                if not failed:
                    break
                print(f"  {server.name}: {failed} calls failed, measuring again", file=sys.stderr)
            else:
                raise SystemExit(f"{server.name}: calls failed in {ATTEMPTS} windows")
            threads, own = read_dump(server, dump, names)
            window = Window(
                server.name,
                stream,
                connections,
                calls,
                turn,
                threads,
                own,
                children_cpu(server.pid) - workers_before,
                time.monotonic() - started,
            )
            windows.append(window)
            print(
                f"  {server.name} {_kind(stream)} c={connections}: {window.loop:,.0f} "
                f"(event loop) / {window.total:,.0f} (all threads) instructions a call",
                file=sys.stderr,
            )
    return windows


# -- report -------------------------------------------------------------------------------


def _kind(stream: bool) -> str:
    return "streamed" if stream else "plain"


def report(
    windows: list[Window], *, calls: int, trees: dict[str, Path], loop: str, top: int
) -> None:
    print(
        f"instructions per call (valgrind --tool=callgrind), {calls} calls a window; "
        f"floor and proxy on {loop}; 1 KB prompt (cache hit); "
        + "; ".join(f"{name} from {tree}" for name, tree in trees.items())
    )
    print(
        f"{'server':6} {'kind':9} {'c':>2} {'round':>5} {'event loop':>11} {'other':>11}"
        f" {'all threads':>11}   {'seconds':>7} {'workers ms':>10}"
    )
    for window in windows:
        print(
            f"{window.server:6} {_kind(window.stream):9} {window.c:>2} {window.round:>5} "
            f"{window.loop:11,.0f} {window.total - window.loop:11,.0f} {window.total:11,.0f}"
            f"   {window.seconds:7.1f} {window.children_cpu * 1000:10.0f}"
        )
    print(
        "  event loop: the thread named main; other: the rest of the process (the event log,"
        " chDB), which is time-driven: per call it grows with the window's seconds; workers:"
        " CPU of the detection worker processes in the window (not counted by valgrind)"
    )
    for name in trees:
        report_ratios(windows, name, "floor")
    if "base" in trees:
        report_ratios(windows, "proxy", "base")
    report_threads(windows)
    if top:
        for stream in (False, True):
            report_top(windows, stream=stream, connections=1, top=top)


def report_ratios(windows: list[Window], server: str, base: str) -> None:
    """``server`` against ``base``, kind by kind, round by round."""
    print(f"{server} / {base}: event loop, all threads (each round)")
    for stream, connections in KINDS:
        pairs = [
            (mine, theirs)
            for mine in windows
            for theirs in windows
            if (mine.server, theirs.server) == (server, base)
            and mine.round == theirs.round
            and (mine.stream, mine.c) == (theirs.stream, theirs.c) == (stream, connections)
        ]
        loops = " ".join(f"{mine.loop / theirs.loop:.4f}" for mine, theirs in pairs)
        totals = " ".join(f"{mine.total / theirs.total:.4f}" for mine, theirs in pairs)
        print(f"  {_kind(stream):9} c={connections}  {loops:>8}   {totals:>8}")


def report_threads(windows: list[Window]) -> None:
    """Thousands of instructions per call by thread, over every window of each server."""
    print("by thread, thousands of instructions per call (each kind and c in the order above):")
    for server in dict.fromkeys(window.server for window in windows):
        mine = [window for window in windows if window.server == server]
        names = sorted(
            {name for window in mine for name in window.threads},
            key=lambda name: -sum(window.threads.get(name, 0) for window in mine),
        )
        print(f"  {server}:")
        for name in names:
            counts = [window.threads.get(name, 0) / window.calls / 1000 for window in mine]
            if max(counts) < 1:
                continue
            print(f"    {name:22} " + " ".join(f"{count:8.1f}" for count in counts))


def report_top(windows: list[Window], *, stream: bool, connections: int, top: int) -> None:
    """The native functions by own instructions per call, the proxy's excess over the
    floor first (first round of this kind, every thread)."""
    chosen = {
        window.server: window
        for window in windows
        if (window.stream, window.c, window.round) == (stream, connections, 0)
    }
    floor, proxy = chosen["floor"], chosen["proxy"]
    keys = set(floor.own) | set(proxy.own)
    rows = sorted(
        keys,
        key=lambda key: (
            -(proxy.own.get(key, 0) / proxy.calls - floor.own.get(key, 0) / floor.calls)
        ),
    )
    print(
        f"top {top} native functions, own instructions per {_kind(stream)} call, c={connections}"
        " (proxy, floor, proxy - floor; all threads):"
    )
    for obj, function in rows[:top]:
        mine = proxy.own.get((obj, function), 0) / proxy.calls
        theirs = floor.own.get((obj, function), 0) / floor.calls
        print(
            f"  {mine:10,.0f} {theirs:10,.0f} {mine - theirs:+10,.0f}  {function[:60]}"
            f"  ({Path(obj).name})"
        )


# -- the run ------------------------------------------------------------------------------


def _start_failed(servers: Iterable[Server]) -> str:
    logs = [
        path for server in servers for path in server.out.parent.glob(f"{server.out.name}.*.log")
    ]
    tails = [path.read_text(errors="replace")[-2000:] for path in logs]
    return "\n".join(tails)


async def main(args: argparse.Namespace) -> None:
    cpus = ",".join(str(cpu) for cpu in sorted(os.sched_getaffinity(0)))
    trees = {"proxy": args.proxy_tree} | ({"base": args.base_tree} if args.base_tree else {})
    with contextlib.ExitStack() as stack:
        if args.keep:
            workdir = args.keep
            workdir.mkdir(parents=True, exist_ok=True)
        else:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        up_port, floor_port = free_port(), free_port()
        upstream = f"http://127.0.0.1:{up_port}"
        versus = str(ROOT / "bench" / "versus_floor.py")
        stack.enter_context(process([PYTHON, versus, "--serve-upstream", str(up_port)], cpus))
        floor_out = workdir / "floor"
        command = [*valgrind(floor_out), *floor_command(upstream, floor_port, args.loop)]
        floor = stack.enter_context(process(command, cpus))
        servers = [Server("floor", f"http://127.0.0.1:{floor_port}", floor.pid, floor_out)]
        for name, tree in trees.items():
            out = workdir / name
            home = workdir / f"{name}-home"
            port, pid = start_proxy(
                stack, tree, args.loop, upstream, home, wrapper=valgrind(out), cpus=cpus
            )
            servers.append(Server(name, f"http://127.0.0.1:{port}", pid, out))
        await wait_ready(f"{upstream}/v1/models")
        try:
            await wait_ready(f"{servers[0].url}/v1/models", within=300)
            for server in servers[1:]:
                await wait_ready(f"{server.url}/healthz", within=900)
        except SystemExit:
            print(_start_failed(servers), file=sys.stderr)
            raise
        windows = []
        for server in servers:
            windows += await measure(
                server, calls=args.calls, warm_up=args.warm_up, rounds=args.rounds
            )
    report(windows, calls=args.calls, trees=trees, loop=args.loop, top=args.top)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=200, help="calls a window (default 200)")
    parser.add_argument("--warm-up", type=int, default=50, help="calls of each kind before")
    parser.add_argument("--rounds", type=int, default=1, help="windows of each kind (default 1)")
    parser.add_argument("--proxy-tree", type=Path, default=ROOT)
    parser.add_argument("--base-tree", type=Path, help="also run the proxy from this tree")
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    parser.add_argument("--top", type=int, default=20, help="native functions shown (0: none)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep callgrind's files here")
    args = parser.parse_args()
    for tool in ("valgrind", "callgrind_control", "vgdb"):
        if shutil.which(tool) is None:
            raise SystemExit(f"instructions: {tool} is not installed (apt-get install valgrind)")
    args.proxy_tree = args.proxy_tree.resolve()
    args.base_tree = args.base_tree.resolve() if args.base_tree else None
    asyncio.run(main(args))
