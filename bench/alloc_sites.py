"""Where a plain call's Python objects are made: allocations per call by source line.

``bench/cpu_by_thread.py --counts`` counts the allocations (perf uprobes) but cannot say
where they come from; tracemalloc's snapshots show memory still alive, not objects made
and freed within a call. This builds a small C counter (bench/alloc_sites.c, with the
system's C compiler, into a temporary directory) that wraps the interpreter's allocator
and counts, on the event-loop thread only, each allocation by the Python line running
(innermost frame) and by the nearest line of the proxy's own code (``--tree``) above it.

The paths and set-up are bench/call_path.py's (direct, floor, proxy, one process, the
same 1 KB prompt every call): each path runs once to warm up, then ``--calls`` calls are
counted. Counts are exact and unmoved by others' load. Printed: allocations per call per
path, then the proxy's less the direct path's (the client's share) by line of ours, by
function of ours, and by innermost line outside our code beside the floor's.

Usage: .venv/bin/python bench/alloc_sites.py [--calls 400] [-c 16] [--event-log]
       [--stream] [--api chat|messages|responses] [--tree DIR] [--top 40]
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import call_path  # noqa: E402 - bench/ on the path first

Row = tuple[CodeType | None, int, CodeType | None, int, int]


def build_counter() -> ModuleType:
    """Compile bench/alloc_sites.c against this interpreter's headers and import it."""
    include = sysconfig.get_paths()["include"]
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    out = Path(tempfile.mkdtemp(prefix="alloc_sites_")) / f"_alloc_sites{suffix}"
    command = ["gcc", "-O2", "-shared", "-fPIC", f"-I{include}", f"-I{include}/internal"]
    subprocess.run([*command, str(BENCH / "alloc_sites.c"), "-o", str(out)], check=True)  # noqa: S603
    spec = importlib.util.spec_from_file_location("_alloc_sites", out)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _where(code: CodeType | None, line: int, tree: str) -> str:
    """``file:line function`` with the tree's and site-packages' prefixes cut off."""
    if code is None:
        return "<no frame of ours>"
    name = code.co_filename.replace(tree, "")
    for cut in ("/site-packages/", "/python3.11/"):
        name = name.split(cut)[-1]
    return f"{name}:{line} {code.co_qualname}"


def _grouped(rows: list[Row], key: Callable[[Row], str]) -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter()
    for row in rows:
        counts[key(row)] += row[4]
    return counts


def measure(counter: ModuleType, args: argparse.Namespace) -> Any:
    """call_path's ``_measure`` replaced: each path's allocations over ``args.calls`` calls."""
    tree = str(args.tree.resolve()) + "/"

    async def run_all(runs: dict[str, Callable[[], Awaitable[None]]], _: object) -> None:
        rows: dict[str, list[Row]] = {}
        for name, run in runs.items():
            await run()
            counter.start()
            await run()
            rows[name], total, _lost = counter.stop()
            print(f"{name:6} {total / args.calls:7.1f} allocations per call")
        own = {
            "line of ours": lambda r: _where(r[2], r[3], tree),
            "function of ours": lambda r: _where(r[2], -1, tree).replace(":-1", ""),
        }
        for title, key in own.items():
            direct, proxy = _grouped(rows["direct"], key), _grouped(rows["proxy"], key)
            print(f"\nproxy less direct, by {title} (per call)")
            gaps = {k: (n - direct.get(k, 0)) / args.calls for k, n in proxy.items()}
            for name, gap in sorted(gaps.items(), key=lambda item: -item[1])[: args.top]:
                print(f"  {gap:7.1f}  {name}")
        inner = lambda r: _where(r[0], r[1], tree)  # noqa: E731
        direct, floor, proxy = (_grouped(rows[n], inner) for n in ("direct", "floor", "proxy"))
        print("\nby innermost line outside our code: proxy less direct, floor less direct")
        ours = ("proxy/", "core/", "wire/", "policies/", "detectors/")
        outside = {k for k in set(proxy) | set(floor) if not k.startswith(ours)}
        gaps = {k: (proxy.get(k, 0) - direct.get(k, 0)) / args.calls for k in outside}
        floors = {k: (floor.get(k, 0) - direct.get(k, 0)) / args.calls for k in outside}
        for name in sorted(outside, key=lambda k: -abs(gaps[k] - floors[k]))[: args.top]:
            print(f"  {gaps[name]:7.1f} {floors[name]:7.1f}  {name}")

    return run_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("-c", type=int, default=16, help="concurrent calls")
    parser.add_argument("--tree", type=Path, default=call_path.ROOT)
    parser.add_argument("--event-log", action="store_true", help="the real event log")
    parser.add_argument("--stream", action="store_true", help="streamed calls (20 events)")
    parser.add_argument("--api", choices=tuple(call_path.APIS), default="chat")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    # What call_path.main reads of its own arguments: none of its other modes.
    args.transport = args.bytecodes = False
    args.spy = args.c_calls = args.profile = 0
    args.profile_out = args.gc_threshold = None
    sys.path.insert(0, str(args.tree.resolve()))
    counter = build_counter()
    counter.install(str(args.tree.resolve()) + "/")
    call_path._measure = measure(counter, args)
    args.loop = "asyncio"
    call_path.run_against_upstream(args)


if __name__ == "__main__":
    main()
