"""Instructions per call, proxy against the floor, counted by callgrind: a figure load barely moves.

bench/versus_floor.py measures CPU time per call; on 2 shared cores its rounds spread
0.6-1.2x for the same code. Here callgrind counts the instructions each server executes
for exactly ``--calls`` calls, which other processes' load does not change - except
through timing: how often the event loop wakes (see "loop turns" below).

The floor (bench/floor.py) and ``llm-proxy serve`` (zero config, started by versus_floor's
``start_proxy``: default policy and its detection worker, event log to the embedded
ClickHouse, metrics, access log) each run under ``valgrind --tool=callgrind``; the fake
upstream (tests/fakes) and this script's aiohttp client run natively. Nothing is pinned:
instructions do not depend on the core, and the proxy starts faster on two. The same 1 KB
prompt every call, so detection is a cache hit, as in issue 11. Each server has a warm-up
(``--warm-up`` calls of each kind); then for each kind - plain and streamed (20 content
events), at c=1 and c=4 - the servers take turns (in the opposite order every other kind),
each measuring a window: one call per connection (so the server's upstream connections
are fresh), wait until the server is idle, zero the counters, make exactly
``--calls`` calls (each answer read to its end), wait ``SETTLE`` seconds for the work a
call leaves behind (the event log inserts its batch up to 3 s later), dump.

How the window is cut: the server starts with instrumentation off (``--instr-atstart=no``,
~4x faster; the proxy still takes 3-8 minutes to start, chDB's library is 550 MB);
``callgrind_control -i on`` after the warm-up, then ``-z`` (zero) and ``-d`` (dump) around
each window. ``--collect-atstart=no`` would need the program's own client requests or
``--toggle-collect=FUNCTION`` to switch collection on: callgrind_control cannot. No
``PYTHONMALLOC=malloc``: that is memcheck's need (pymalloc reads memory it never wrote);
callgrind counts pymalloc as production runs it. ``PYTHONHASHSEED=0``: with a random seed
each process probes its dicts differently (one tree in two processes counted 0.97-1.02x
of itself). A window in which a call failed is measured again (a new upstream connection
can exceed the proxy's 10 s connect timeout under valgrind on a loaded machine).

What is counted: every thread of the server's process (``--separate-threads=yes``), named
through vgdb's ``v.info scheduler`` and ``/proc`` as versus_floor.py names them: ``main`` is
the event loop; the rest are the event log's writer and inserts, chDB's own threads and the
detection workers' pipe threads. Not the detection worker processes (the forkserver and
its workers): they run natively (``--trace-children=no``; under valgrind each would take
minutes to load spaCy). Every call is a cache hit in the proxy's process, so they should be
idle: their CPU over each window (from /proc, 10 ms ticks) is printed to show it.

Reading the figures:

- **event loop** (the thread ``main``): the request path. Its ratio to the floor is the
  figure to follow. **idle part**: what the loop runs with no call coming (its rate in an
  idle window of ``IDLE`` seconds measured after the warm-up) times the window's seconds,
  per call - the share of the event loop figure that is time, not calls.
- **loop turns**: the event loop's waits in epoll per call. How many there are depends on
  timing (whether the upstream's answer is already there when the loop looks), so on load,
  and each turn costs instructions (asyncio's ``_run_once``): at c=1 the floor's went
  6.6-8.0 a call between runs, its instructions 759-778k. c=4 keeps the loop busy and
  repeats better; compare turns before reading a small difference.
- **other** threads: time-driven - the event log's inserts (one batch per flush interval,
  3 s, however many rows), chDB's background threads - so per call they grow with the
  window's wall time, which valgrind stretches ~50x: at native speed they are a far smaller
  share. The all-threads figure moves with the machine's load.
- Instructions are not cycles. Valgrind's CPU has no SHA extensions (this machine's has),
  so OpenSSL's SHA-256 takes its generic code, 28 instructions a byte: the proxy's ~7
  hashes a call count ~125k instructions, far more than they cost natively. A memory
  stall costs no instruction.

Python functions are not named: CPython 3.11 has no perf trampoline (``-X perf`` is 3.12),
so callgrind sees ``_PyEval_EvalFrameDefault`` for every bytecode (``--dump-instr`` only
gives addresses inside it). ``--top N`` lists the native functions by their own
instructions per call, proxy against floor; the eval loop's line is the bytecodes' share
(which bytecodes: ``bench/call_path.py --bytecodes``).

Usage: .venv/bin/python bench/instructions.py [--calls 200] [--warm-up 50] [--rounds 1]
       [--proxy-tree DIR] [--base-tree DIR] [--loop asyncio|uvloop] [--top 20] [--keep DIR]
``--base-tree DIR`` runs a second proxy from another tree (``git archive COMMIT | tar -x -C
DIR``) in the same turns: proxy / base ratios. ``--rounds N`` repeats every window N times
on the same processes. ``--keep DIR`` leaves callgrind's files there (``callgrind_annotate
DIR/proxy.<pid>.out.<n>-01``: the event loop in the n-th dump; the first is the idle
window, then the windows in the order printed). With a base tree, about
12-20 minutes on a loaded 2-core machine, most of it the proxies' start.
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
from collections.abc import Collection, Iterable, Iterator
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
#: Seconds of the window that measures each server idle.
IDLE = 10.0
#: (streamed, connections) of each window, in order.
KINDS = ((False, 1), (False, 4), (True, 1), (True, 4))
#: The thread that runs the event loop (versus_floor.NAME_THREADS names it).
LOOP_THREAD = "main"
#: The system calls an event loop waits in: each is one turn of the loop (asyncio's
#: selector and libuv both wait in epoll).
LOOP_WAITS = frozenset({"epoll_wait", "epoll_pwait", "epoll_pwait2"})
#: Times a window is measured again when one of its calls failed (under valgrind on a
#: loaded machine a new upstream connection can exceed the proxy's 10 s connect timeout).
ATTEMPTS = 3
HEADERS = {"Authorization": "Bearer sk-bench-caller-key-0123456789"}


def valgrind(out: Path) -> list[str]:
    """The command that runs a server under callgrind, its files ``out.<pid>.*``. A fixed
    hash seed: with random string hashes each process probes its dicts differently."""
    return [
        "env",
        "PYTHONHASHSEED=0",
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


def count_calls(text: str, functions: Collection[str]) -> int:
    """How many times one callgrind file's code called any of ``functions`` (by name,
    from its ``calls=`` lines)."""
    names: dict[str, str] = {}
    callee = ""
    found = 0
    for line in text.splitlines():
        if line.startswith("cfn="):
            callee = _RECURSION.sub("", _expand(names, line[4:]))
        elif line.startswith("fn="):
            _expand(names, line[3:])
        elif line.startswith("calls=") and callee in functions:
            found += int(line[6:].split()[0])
    return found


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
    """One measured window: instructions by thread name, the event loop's by (object,
    function), the
    CPU seconds of the server's child processes (native, not counted) over it, its wall
    time from zeroing the counters to the dump, and the event loop's turns (its waits in
    epoll): how often the loop woke depends on timing, and each turn costs instructions."""

    server: str
    stream: bool
    c: int
    calls: int
    round: int
    threads: dict[str, int]
    own: dict[tuple[str, str], int]
    children_cpu: float
    seconds: float
    turns: int

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


class Dump(NamedTuple):
    """One dump of a server: instructions by thread name, its event loop's by (object,
    function), and the loop's turns."""

    threads: dict[str, int]
    own: dict[tuple[str, str], int]
    turns: int


def read_dump(server: Server, dump: int, names: dict[str, str]) -> Dump:
    """Dump number ``dump`` of ``server``, its threads named by ``names``."""
    threads: dict[str, int] = {}
    turns = 0
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
        if name == LOOP_THREAD:
            own = parse_own(text)
            turns = count_calls(text, LOOP_WAITS)
    return Dump(threads, own, turns)


class ServerDied(Exception):
    """A server under valgrind ended in the middle of the run."""


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (not ended, not a zombie waiting for its parent)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


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
    how many were not answered 200 (or not at all)."""
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
                try:
                    async with session.post(f"{url}/v1/chat/completions", data=data) as answer:
                        said = await answer.read()
                        if answer.status != 200:
                            failed += 1
                            if failed == 1:  # the proxy's error names no prompt text
                                print(f"  {url}: {answer.status} {said[:300]!r}", file=sys.stderr)
                except (aiohttp.ClientError, TimeoutError) as exc:
                    failed += 1
                    if failed == 1:
                        print(f"  {url}: {type(exc).__name__}", file=sys.stderr)

        await asyncio.gather(*(caller() for _ in range(connections)))
    return failed


async def warm_up(server: Server, calls: int) -> None:
    """``calls`` calls of each kind, then instrumentation on."""
    for stream in (False, True):
        await drive(server.url, stream=stream, calls=calls, connections=4)
    control(server.pid, "-i", "on")


async def idle_rates(server: Server, dumps: Iterator[int]) -> dict[str, float]:
    """Instructions a second of each thread while no call is made (``IDLE`` seconds):
    the time-driven work a window's wall time adds to its calls."""
    await asyncio.to_thread(wait_idle, server.pid, at_least=1.0)
    control(server.pid, "-z")
    started = time.monotonic()
    await asyncio.sleep(IDLE)
    names = thread_names(server.pid)
    control(server.pid, "-d")
    seconds = time.monotonic() - started
    threads = read_dump(server, next(dumps), names).threads
    return {name: count / seconds for name, count in threads.items()}


async def measure_window(
    server: Server, dumps: Iterator[int], *, stream: bool, connections: int, calls: int, turn: int
) -> Window:
    """One window (see the module's docstring), measured again if a call failed."""
    for _ in range(ATTEMPTS):
        # Fresh upstream connections, one per caller: the window connects to nothing (a
        # pooled connection expires in 15 s idle, and a connect is timing's to win or lose).
        await drive(server.url, stream=stream, calls=connections, connections=connections)
        await asyncio.to_thread(wait_idle, server.pid, at_least=SETTLE)
        workers_before = children_cpu(server.pid)
        control(server.pid, "-z")
        started = time.monotonic()
        failed = await drive(server.url, stream=stream, calls=calls, connections=connections)
        await asyncio.to_thread(wait_idle, server.pid, at_least=SETTLE)
        if not alive(server.pid):
            raise ServerDied(f"{server.name} died; valgrind's log:\n{_logs([server])}")
        names = thread_names(server.pid)
        control(server.pid, "-d")
        dump = next(dumps)
        if not failed:
            break
        if not alive(server.pid):
            raise ServerDied(f"{server.name} died; valgrind's log:\n{_logs([server])}")
        print(f"  {server.name}: {failed} calls failed, measuring again", file=sys.stderr)
    else:
        raise SystemExit(f"{server.name}: calls failed in {ATTEMPTS} windows")
    threads, own, turns = read_dump(server, dump, names)
    measured = Window(
        server.name,
        stream,
        connections,
        calls,
        turn,
        threads,
        own,
        children_cpu(server.pid) - workers_before,
        time.monotonic() - started,
        turns,
    )
    print(
        f"  {server.name} {_kind(stream)} c={connections}: {measured.loop:,.0f} (event loop) / "
        f"{measured.total:,.0f} (all threads) instructions a call",
        file=sys.stderr,
    )
    return measured


async def measure(
    servers: list[Server], *, calls: int, warm_up_calls: int, rounds: int
) -> tuple[list[Window], dict[str, dict[str, float]]]:
    """Each server's warm-up and idle rates, then every kind's window on each server in
    turn (in the opposite order every other time, so none is always measured last)."""
    dumps = {server.name: itertools.count(1) for server in servers}
    idle = {}
    for server in servers:
        await warm_up(server, warm_up_calls)
        idle[server.name] = await idle_rates(server, dumps[server.name])
    windows = []
    turns = itertools.count()
    try:
        for turn in range(rounds):
            for stream, connections in KINDS:
                order = servers if next(turns) % 2 == 0 else servers[::-1]
                for server in order:
                    windows.append(
                        await measure_window(
                            server,
                            dumps[server.name],
                            stream=stream,
                            connections=connections,
                            calls=calls,
                            turn=turn,
                        )
                    )
    except (ServerDied, SystemExit) as stopped:  # report the windows measured before
        print(stopped, file=sys.stderr)
    return windows, idle


# -- report -------------------------------------------------------------------------------


def _kind(stream: bool) -> str:
    return "streamed" if stream else "plain"


def report(
    windows: list[Window],
    idle: dict[str, dict[str, float]],
    *,
    calls: int,
    trees: dict[str, Path],
    loop: str,
    top: int,
) -> None:
    print(
        f"instructions per call (valgrind --tool=callgrind), {calls} calls a window; "
        f"floor and proxy on {loop}; 1 KB prompt (cache hit); "
        + "; ".join(f"{name} from {tree}" for name, tree in trees.items())
    )
    print(
        f"{'server':6} {'kind':9} {'c':>2} {'round':>5} {'event loop':>11} {'idle part':>9}"
        f" {'other':>11} {'all threads':>11}   {'seconds':>7} {'loop turns':>10}"
        f" {'workers ms':>10}"
    )
    for window in windows:
        idle_part = idle[window.server].get(LOOP_THREAD, 0.0) * window.seconds / window.calls
        print(
            f"{window.server:6} {_kind(window.stream):9} {window.c:>2} {window.round:>5} "
            f"{window.loop:11,.0f} {idle_part:9,.0f} {window.total - window.loop:11,.0f}"
            f" {window.total:11,.0f}   {window.seconds:7.1f} {window.turns / window.calls:10.2f}"
            f" {max(0.0, window.children_cpu) * 1000:10.0f}"
        )
    print(
        "  event loop: the thread named main; idle part: what the event loop runs when no"
        " call comes, times the window's seconds, per call (included in event loop); other:"
        " the rest of the process (the event log, chDB), which is time-driven: per call it"
        " grows with the window's seconds; loop turns: the event loop's waits in epoll per"
        " call; workers: CPU of the detection worker processes in the window (not counted)"
    )
    for server, rates in idle.items():
        busiest = sorted(rates.items(), key=lambda item: -item[1])[:6]
        shown = ", ".join(f"{name} {rate / 1000:,.0f}k" for name, rate in busiest)
        print(f"  idle, instructions a second: {server}: {shown}")
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
    """The event loop's native functions by own instructions per call, the proxy's excess
    over the floor first (the first round of this kind)."""
    chosen = {
        window.server: window
        for window in windows
        if (window.stream, window.c, window.round) == (stream, connections, 0)
    }
    if "floor" not in chosen or "proxy" not in chosen:
        return
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
        " (proxy, floor, proxy - floor; the event loop's thread):"
    )
    for obj, function in rows[:top]:
        mine = proxy.own.get((obj, function), 0) / proxy.calls
        theirs = floor.own.get((obj, function), 0) / floor.calls
        print(
            f"  {mine:10,.0f} {theirs:10,.0f} {mine - theirs:+10,.0f}  {function[:60]}"
            f"  ({Path(obj).name})"
        )


# -- the run ------------------------------------------------------------------------------


def _logs(servers: Iterable[Server]) -> str:
    """The end of valgrind's log of each server (not of the processes they started)."""
    logs = [server.out.parent / f"{server.out.name}.{server.pid}.log" for server in servers]
    return "\n".join(path.read_text(errors="replace")[-2000:] for path in logs if path.exists())


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
            print(_logs(servers), file=sys.stderr)
            raise
        windows, idle = await measure(
            servers, calls=args.calls, warm_up_calls=args.warm_up, rounds=args.rounds
        )
    report(windows, idle, calls=args.calls, trees=trees, loop=args.loop, top=args.top)


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
