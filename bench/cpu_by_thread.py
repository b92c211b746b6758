"""Where a call's CPU goes beyond Python bytecodes: by thread, and by native code.

``bench/call_path.py --bytecodes`` counts the Python a call runs; this measures the rest.
The floor (bench/floor.py) and ``llm-proxy serve`` (zero config: default policy, event log
to the embedded ClickHouse, metrics, access log), set up as bench/versus_floor.py sets them
up (servers on CPU 0, fake upstream and ``wrk -t1`` on CPU 1, the same 1 KB prompt every
call, so detection is a cache hit), take turns under c=16 load. Each turn has two windows:

1. **unsampled**: every thread's CPU over the load window, from ``/proc/<pid>/task/*``
   (``schedstat`` to the nanosecond; user and system ticks from ``stat``), per call;
2. **sampled**: the same load under ``perf record`` (pinned beside the load, every thread
   of the server and its child processes, user and kernel). Each thread's samples are
   sorted by what ran: the interpreter's eval loop, the garbage collector, allocation,
   the rest of libpython, orjson, OpenSSL's hashing, aiohttp's C parts (multidict, yarl,
   the HTTP parser), the kernel (system calls, sockets, scheduling), chDB, and so on.
   A thread's share of samples times its unsampled CPU gives microseconds per call.

CPython 3.11 has no perf trampoline, so Python functions are not named here: the eval
loop's share is the bytecodes' cost; which bytecodes, see ``call_path.py --bytecodes``.

Usage: .venv/bin/python bench/cpu_by_thread.py [--seconds 5] [--rounds 2] [--stream]
       [--base-tree DIR] [--proxy-tree DIR] [--no-perf] [--top 25]
``--base-tree`` runs a second proxy from another tree (``git archive COMMIT | tar -x -C
DIR``) in the same turns: before and after, thread by thread.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from versus_floor import (
    _POOL_NUMBER,
    ENDED,
    LOAD_CPU,
    PYTHON,
    ROOT,
    SERVER_CPU,
    Times,
    floor_command,
    free_port,
    process,
    start_proxy,
    thread_times,
    times_per_call,
    wait_ready,
    wrk,
)

#: A sample's native symbol or library, and what it stands for. The first match wins:
#: symbols are matched by prefix, libraries by a piece of their file name.
SYMBOL_KINDS: tuple[tuple[str, str], ...] = (
    ("_PyEval_EvalFrameDefault", "eval loop (bytecodes)"),
    ("gc_collect", "garbage collector"),
    ("deduce_unreachable", "garbage collector"),
    ("visit_", "garbage collector"),
    ("move_unreachable", "garbage collector"),
    ("update_refs", "garbage collector"),
    ("subtract_refs", "garbage collector"),
    ("_PyObject_GC_Link", "garbage collector"),
    ("_PyObject_Malloc", "allocation"),
    ("_PyObject_Free", "allocation"),
    ("_PyObject_Realloc", "allocation"),
    ("_PyObject_Calloc", "allocation"),
    ("pymalloc", "allocation"),
    ("_int_malloc", "allocation"),
    ("_int_free", "allocation"),
    ("_int_realloc", "allocation"),
    ("malloc", "allocation"),
    ("free", "allocation"),
    ("cfree", "allocation"),
    ("realloc", "allocation"),
    ("unlink_chunk", "allocation"),
    ("sre_", "regex"),
    ("SRE_", "regex"),
    ("_sre_", "regex"),
    ("pattern_", "regex"),
)
LIBRARY_KINDS: tuple[tuple[str, str], ...] = (
    ("[kernel", "kernel"),
    ("orjson", "JSON (orjson)"),
    ("libcrypto", "hashing (OpenSSL)"),
    ("_hashlib", "hashing (OpenSSL)"),
    ("_regex", "regex"),
    ("multidict", "aiohttp C (multidict, yarl, parser)"),
    ("yarl", "aiohttp C (multidict, yarl, parser)"),
    ("aiohttp", "aiohttp C (multidict, yarl, parser)"),
    ("propcache", "aiohttp C (multidict, yarl, parser)"),
    ("frozenlist", "aiohttp C (multidict, yarl, parser)"),
    ("chdb", "chDB engine"),
    ("libz", "zlib (CRC)"),
    ("zlib", "zlib (CRC)"),
    ("libpython", "libpython, other (calls, dicts, str, ...)"),
    ("python3", "libpython, other (calls, dicts, str, ...)"),
    ("libc.so", "libc, other"),
    ("libc-", "libc, other"),
    ("ld-linux", "libc, other"),
)
OTHER = "other native"


def kind_of(library: str, symbol: str) -> str:
    """What a sample ran, from its library and symbol (:data:`SYMBOL_KINDS`, then
    :data:`LIBRARY_KINDS`)."""
    if "[kernel" not in library:
        for prefix, kind in SYMBOL_KINDS:
            if symbol.startswith(prefix):
                return kind
    for piece, kind in LIBRARY_KINDS:
        if piece in library:
            return kind
    return OTHER


class Sample(NamedTuple):
    """One group of perf samples: the thread, its library and symbol, and how many."""

    thread: str
    library: str
    symbol: str
    hits: int


def read_samples(data: Path) -> list[Sample]:
    """perf's samples of ``data`` grouped by thread (a pool's threads as one), library and
    symbol, from ``perf report``'s separated fields."""
    command = ["perf", "report", "-i", str(data), "--stdio", "--no-children", "-t", "\x1f"]
    command += ["--sort", "comm,dso,sym", "-F", "sample,comm,dso,sym", "--percent-limit", "0"]
    out = subprocess.run(  # noqa: S603 - fixed arguments
        command,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    samples: list[Sample] = []
    for line in out.splitlines():
        fields = [field.strip() for field in line.split("\x1f")]
        if line.startswith("#") or len(fields) < 4 or not fields[0].isdigit():
            continue
        symbol = fields[3].removeprefix("[.] ").removeprefix("[k] ").strip()
        thread = _POOL_NUMBER.sub("", fields[1])
        samples.append(Sample(thread, fields[2], symbol, int(fields[0])))
    return samples


@contextlib.contextmanager
def perf_record(pids: list[int], data: Path) -> Iterator[None]:
    """``perf record`` of ``pids`` (every thread, user and kernel) while the block runs."""
    command = ["taskset", "-c", LOAD_CPU, "perf", "record", "-F", "999", "-q"]
    command += ["-p", ",".join(map(str, pids)), "-o", str(data)]
    recorder = subprocess.Popen(  # noqa: S603 - fixed arguments
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(0.5)  # perf has opened every thread's counter
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)
        recorder.wait(timeout=120)


def tree_pids(pid: int) -> list[int]:
    """``pid`` and every process below it (the detection workers)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
    return found


class Turn(NamedTuple):
    """One server's measured turn: calls, CPU per call by thread, perf samples."""

    server: str
    calls: float
    calls_per_s: float
    split: dict[str, Times]
    samples: list[Sample]


def measure(
    name: str, url: str, pid: int, workdir: Path, seconds: float, *, stream: bool, sampled: bool
) -> Turn:
    """An unsampled c=16 window (CPU by thread), then a sampled one (what ran)."""
    before = thread_times(pid)
    done = wrk(url, stream=stream, connections=16, seconds=seconds, workdir=workdir)
    calls = max(1.0, done["calls"])
    split = times_per_call(before, thread_times(pid), calls)
    samples: list[Sample] = []
    if sampled:
        data = workdir / f"{name}.data"
        with perf_record(tree_pids(pid), data):
            wrk(url, stream=stream, connections=16, seconds=seconds, workdir=workdir)
        samples = read_samples(data)
    return Turn(name, calls, done["calls_per_s"], split, samples)


def idle(pid: int, seconds: float) -> dict[str, Times]:
    """CPU by thread over ``seconds`` with no call (per second: as if one call a second):
    the work that follows the clock, not the calls."""
    before = thread_times(pid)
    time.sleep(seconds)
    return times_per_call(before, thread_times(pid), seconds)


def by_thread(turns: list[Turn]) -> dict[str, Times]:
    """The turns of one server as one split: CPU per call over all its calls."""
    calls = sum(turn.calls for turn in turns)
    merged: dict[str, Times] = {}
    for turn in turns:
        for thread, used in turn.split.items():
            weighted = Times(*(value * turn.calls / calls for value in used))
            merged[thread] = merged.get(thread, Times()) + weighted
    return dict(sorted(merged.items(), key=lambda item: -item[1].run))


def shared_out(turns: list[Turn], label: Callable[[Sample], str]) -> dict[tuple[str, str], float]:
    """µs per call by (thread, ``label`` of a sample): each thread's CPU per call over all
    the turns (unsampled) shared out in proportion to its samples over all the turns (a turn
    that perf reached rarely weighs no more than its samples)."""
    cpu = by_thread(turns)
    samples: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for turn in turns:
        for sample in turn.samples:
            samples[sample.thread][label(sample)] += sample.hits
    found: dict[tuple[str, str], float] = {}
    for thread, labels in samples.items():
        cpu_us = cpu.get(thread, Times()).run * 1000
        total = sum(labels.values())
        for name, count in labels.items():
            found[thread, name] = cpu_us * count / total
    return found


def native_split(turns: list[Turn]) -> dict[tuple[str, str], float]:
    """µs per call by (thread, kind of native code: :func:`kind_of`)."""
    return shared_out(turns, lambda sample: kind_of(sample.library, sample.symbol))


def top_symbols(turns: list[Turn], thread: str, top: int) -> list[tuple[str, float]]:
    """The ``top`` symbols of ``thread`` by µs per call (library in brackets)."""
    found = shared_out(turns, lambda sample: f"{sample.symbol} [{Path(sample.library).name}]")
    mine = sorted(((n, us) for (t, n), us in found.items() if t == thread), key=lambda i: -i[1])
    return mine[:top]


def sample_counts(turns: list[Turn]) -> collections.Counter[str]:
    """perf's samples by thread, over all the turns."""
    counts: collections.Counter[str] = collections.Counter()
    for turn in turns:
        for sample in turn.samples:
            counts[sample.thread] += sample.hits
    return counts


def report(
    results: dict[str, list[Turn]],
    idling: dict[str, dict[str, Times]],
    *,
    stream: bool,
    top: int,
) -> None:
    """Per call at c=16: every server's CPU by thread, then by thread and native code,
    then the loop thread's symbols, server beside server (the first is the floor)."""
    servers = list(results)
    splits = {server: by_thread(turns) for server, turns in results.items()}
    threads = sorted(
        {thread for split in splits.values() for thread in split},
        key=lambda thread: -max(split.get(thread, Times()).run for split in splits.values()),
    )
    busy = [t for t in threads if any(splits[s].get(t, Times()).run >= 0.0005 for s in servers)]
    print(f"\n{'streamed' if stream else 'plain'} calls at c=16, per call: µs of CPU (schedstat)")
    print(f"  {'thread':24}" + "".join(f"{server:>10}" for server in servers))
    rates = [statistics.mean(turn.calls_per_s for turn in results[s]) for s in servers]
    print(f"  {'(calls/s)':24}" + "".join(f"{rate:10.0f}" for rate in rates))
    for thread in ["(all)", *busy]:
        cells = []
        for server in servers:
            split = splits[server]
            used = sum(split.values(), Times()) if thread == "(all)" else split.get(thread)
            cells.append(f"{used.run * 1000:10.1f}" if used else f"{'':10}")
        print(f"  {thread:24}" + "".join(cells))
    print("  user + system µs (10 ms ticks), voluntary switches, minor faults, per call:")
    for server in servers:
        for thread in ["(all)", *busy]:
            split = splits[server]
            used = sum(split.values(), Times()) if thread == "(all)" else split.get(thread)
            if used is None or (thread != "(all)" and used.faults < 0.05 and used.switches < 0.05):
                continue
            print(
                f"    {server:6} {thread:24} {used.user * 1000:7.1f} + {used.system * 1000:6.1f}"
                f"  {used.switches:6.2f} switches  {used.faults:6.2f} faults"
            )
    print(
        "  with no call (idle, after the load), ms of CPU per second, by thread (the process's"
        f" ticks less its threads', {ENDED}, is mostly the rounding of 10 ms ticks):"
    )
    for server, split in idling.items():
        # times_per_call over seconds: ms a second
        live = sum((u for t, u in split.items() if t != ENDED), Times()).run
        shown = ", ".join(f"{t} {u.run:.2f}" for t, u in split.items() if u.run >= 0.01)
        print(f"    {server}: threads {live:.1f} ({shown})")
    natives = {server: native_split(turns) for server, turns in results.items()}
    if not any(natives.values()):
        return
    print("\nby native code (each thread's CPU shared out by its perf samples), µs per call")
    for server in servers:
        counts = sample_counts(results[server])
        shown = ", ".join(f"{t} {n}" for t, n in counts.most_common(4))
        print(f"  perf samples, {server}: {sum(counts.values())} ({shown}, ...)")
    print(f"  {'thread / what ran':62}" + "".join(f"{server:>10}" for server in servers))
    for thread in busy:
        kinds = {kind for native in natives.values() for t, kind in native if t == thread}
        for kind in sorted(
            kinds, key=lambda k: -max(n.get((thread, k), 0.0) for n in natives.values())
        ):
            values = [natives[s].get((thread, kind), 0.0) for s in servers]
            if max(values) >= 1.0:
                print(f"  {thread + ' / ' + kind:62}" + "".join(f"{v:10.1f}" for v in values))
    print("\nevery thread together, by what ran, µs per call")
    every = {s: collections.Counter[str]() for s in servers}
    for server in servers:
        for (_, kind), us in natives[server].items():
            every[server][kind] += us  # type: ignore[assignment]
    for kind in sorted(
        {k for e in every.values() for k in e}, key=lambda k: -max(e[k] for e in every.values())
    ):
        print(f"  {kind:62}" + "".join(f"{every[s][kind]:10.1f}" for s in servers))
    symbols = {server: dict(top_symbols(results[server], "main", 10_000)) for server in servers}
    names = sorted(
        {n for found in symbols.values() for n in found},
        key=lambda n: -max(f.get(n, 0.0) for f in symbols.values()),
    )
    print(f"\nthe loop thread's top {top} symbols, µs per call, and the difference from the floor")
    print(
        f"  {'symbol [library]':70}"
        + "".join(f"{server:>9}" for server in servers)
        + "".join(f"{s + '-' + servers[0]:>12}" for s in servers[1:])
    )
    for name in names[:top]:
        values = [symbols[s].get(name, 0.0) for s in servers]
        print(
            f"  {name[:70]:70}"
            + "".join(f"{v:9.1f}" for v in values)
            + "".join(f"{v - values[0]:+12.1f}" for v in values[1:])
        )
    for server in servers[1:]:
        for thread in busy[1:]:
            found = top_symbols(results[server], thread, 6)
            if found and splits[server].get(thread, Times()).run >= 0.002:
                print(f"\n{server} / {thread}: top symbols, µs per call")
                for label, us in found:
                    print(f"  {us:7.1f}  {label[:90]}")
    if len(servers) > 1:
        gap = sorted(
            names,
            key=lambda n: -(symbols[servers[1]].get(n, 0.0) - symbols[servers[0]].get(n, 0.0)),
        )
        print(f"\nthe loop thread's {top} largest differences, {servers[1]} - {servers[0]}, µs")
        for name in gap[:top]:
            diff = symbols[servers[1]].get(name, 0.0) - symbols[servers[0]].get(name, 0.0)
            print(f"  {diff:+8.1f}  {name[:90]}")


#: ``--counts``: native functions counted exactly (perf uprobes) per call, by thread.
LIBPYTHON = Path(sysconfig.get_config_var("LIBDIR") or "") / str(
    sysconfig.get_config_var("LDLIBRARY") or ""
)
LIBC = Path("/lib/x86_64-linux-gnu/libc.so.6")
COUNTED: tuple[tuple[Path, str, str], ...] = (
    (LIBPYTHON, "_PyObject_Malloc", "Python object allocations (pymalloc)"),
    (LIBC, "malloc", "glibc malloc (blocks over 512 bytes)"),
    (LIBPYTHON, "_PyErr_SetObject", "exceptions set"),
    (LIBPYTHON, "PyUnicode_FromFormatV", "C-formatted str (Task names, messages)"),
    (LIBC, "printf_positional", "glibc printf's slow path"),
)


@contextlib.contextmanager
def uprobes() -> Iterator[dict[str, str]]:
    """The :data:`COUNTED` functions as perf uprobes while the block runs: perf's event
    name for each description. They cost nothing until counted, and only in the process
    counted; removed at the end."""
    events: dict[str, str] = {}
    try:
        for number, (library, function, description) in enumerate(COUNTED):
            named = f"cpu_by_thread_{number}={function}"  # a name no one else's probe has
            added = subprocess.run(  # noqa: S603 - fixed arguments
                ["perf", "probe", "-x", str(library), "--add", named],  # noqa: S607
                capture_output=True,
                text=True,
                check=False,
            )
            found = re.search(r"(probe_[\w]+:[\w]+)", added.stdout + added.stderr)
            if found:
                events[description] = found[1]
        yield events
    finally:
        for event in set(events.values()):
            subprocess.run(  # noqa: S603 - fixed arguments
                ["perf", "probe", "-d", event],  # noqa: S607
                capture_output=True,
                check=False,
            )


def counts_per_call(
    url: str, pid: int, events: dict[str, str], workdir: Path, *, stream: bool
) -> dict[str, dict[str, float]]:
    """Each counted function's calls per call under c=16, by thread (``perf stat``; the
    probes slow the server, so its calls/s means nothing here)."""
    out = workdir / f"counts_{pid}.txt"
    command = ["taskset", "-c", LOAD_CPU, "perf", "stat", "-x,", "--per-thread"]
    command += ["-p", str(pid), "-o", str(out)]
    for event in events.values():
        command += ["-e", event]
    counter = subprocess.Popen(  # noqa: S603 - fixed arguments
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(0.5)
    done = wrk(url, stream=stream, connections=16, seconds=3, workdir=workdir)
    counter.send_signal(signal.SIGINT)
    counter.wait(timeout=60)
    calls = max(1.0, done["calls"])
    by_event = {event: description for description, event in events.items()}
    found: dict[str, dict[str, float]] = {}
    for line in out.read_text().splitlines():
        fields = line.split(",")
        if len(fields) < 4 or not fields[1].isdigit() or fields[3] not in by_event:
            continue
        thread = _POOL_NUMBER.sub("", fields[0].rsplit("-", 1)[0])
        per_thread = found.setdefault(by_event[fields[3]], {})
        per_thread[thread] = per_thread.get(thread, 0.0) + int(fields[1]) / calls
    return found


def report_counts(counted: dict[str, dict[str, dict[str, float]]]) -> None:
    """Counts per call, server beside server, with the busiest threads of each."""
    servers = list(counted)
    print("\nnative functions counted per call (perf uprobes, c=16)")
    print(f"  {'function':46}" + "".join(f"{server:>10}" for server in servers))
    for _, _, description in COUNTED:
        values = [sum(counted[s].get(description, {}).values()) for s in servers]
        print(f"  {description:46}" + "".join(f"{v:10.2f}" for v in values))
        for server in servers[1:]:
            threads = sorted(counted[server].get(description, {}).items(), key=lambda i: -i[1])
            shown = ", ".join(f"{t} {n:.2f}" for t, n in threads if n >= 0.01)
            if len(threads) > 1:
                print(f"    {server}: {shown}")


async def main(args: argparse.Namespace) -> None:
    os.sched_setaffinity(0, {int(LOAD_CPU)})
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        workdir = Path(tmp)
        up_port, floor_port = free_port(), free_port()
        upstream = f"http://127.0.0.1:{up_port}"
        versus = str(ROOT / "bench" / "versus_floor.py")
        stack.enter_context(process([PYTHON, versus, "--serve-upstream", str(up_port)], LOAD_CPU))
        floor = stack.enter_context(
            process(floor_command(upstream, floor_port, "asyncio"), SERVER_CPU)
        )
        servers = [("floor", f"http://127.0.0.1:{floor_port}", floor.pid)]
        trees = [("proxy", args.proxy_tree)] + (
            [("base", args.base_tree)] if args.base_tree else []
        )
        for name, tree in trees:
            port, pid = start_proxy(stack, tree.resolve(), "asyncio", upstream, workdir / name)
            servers.append((name, f"http://127.0.0.1:{port}", pid))
        await wait_ready(f"{upstream}/v1/models")
        await wait_ready(f"{servers[0][1]}/v1/models")
        for _, url, _ in servers[1:]:
            await wait_ready(f"{url}/healthz", within=300)  # a loaded machine starts slowly
        for _, url, _ in servers:
            wrk(url, stream=args.stream, connections=4, seconds=2, workdir=workdir)
        results: dict[str, list[Turn]] = {name: [] for name, _, _ in servers}
        for turn in range(args.rounds):
            for name, url, pid in servers if turn % 2 == 0 else servers[::-1]:
                results[name].append(
                    measure(
                        name,
                        url,
                        pid,
                        workdir,
                        args.seconds,
                        stream=args.stream,
                        sampled=not args.no_perf,
                    )
                )
        await asyncio.sleep(args.flush)  # the last batch is inserted: idle is idle
        idling = {name: idle(pid, args.seconds) for name, _, pid in servers}
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
        report(results, idling, stream=args.stream, top=args.top)
        if args.counts:
            with uprobes() as events:
                counted = {
                    name: counts_per_call(url, pid, events, workdir, stream=args.stream)
                    for name, url, pid in servers
                }
            report_counts(counted)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--stream", action="store_true", help="streamed calls (20 events)")
    parser.add_argument("--proxy-tree", type=Path, default=ROOT)
    parser.add_argument("--base-tree", type=Path, help="a second proxy from this tree")
    parser.add_argument(
        "--flush", type=float, default=4.0, help="seconds to let the event log settle before idle"
    )
    parser.add_argument(
        "--counts",
        action="store_true",
        help="also count allocations, exceptions and printf calls per call (perf uprobes)",
    )
    parser.add_argument("--no-perf", action="store_true", help="CPU by thread only")
    parser.add_argument("--top", type=int, default=25, help="symbols of the loop thread")
    arguments = parser.parse_args()
    for tool in ("wrk", "perf"):
        if shutil.which(tool) is None and not (tool == "perf" and arguments.no_perf):
            raise SystemExit(f"cpu_by_thread: {tool} is not installed (make bench-deps)")
    asyncio.run(main(arguments))
