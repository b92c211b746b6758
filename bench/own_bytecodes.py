"""A call's Python bytecodes by where the code lives: the proxy's own packages, the
libraries (aiohttp, multidict, prometheus-client, structlog, ...), the standard library
(asyncio) and code generated at run time (dataclasses' ``__init__``).

``bench/call_path.py --bytecodes`` counts each path's bytecodes less the direct path's; the
paths' loop work (``_run_once``, ``Handle``, selectors) depends on how many passes of the
event loop a run takes, which the machine's load moves: the floor's own count moved by
7,648-8,318 between runs of the same code on one afternoon (h215). The proxy's own
packages run no loop code, so their count is the same in every run (but for what is timed:
a stream's reads, the event log's spool segment), and a cut there shows exactly. Also
counted: the calls into our functions and the coroutine (and generator) frames they start.

The paths and set-up are call_path's (direct, floor, proxy; one process, the same 1 KB
prompt every call, the real event log). Printed: per path, bytecodes per call less the
direct path's by origin; then the proxy's own functions, busiest first, with their calls.

Usage: .venv/bin/python bench/own_bytecodes.py [--calls 200] [--stream]
       [--api chat|messages|responses] [--tree DIR] [--top 60]
"""

from __future__ import annotations

import argparse
import collections
import inspect
import sys
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import call_path  # noqa: E402 - bench/ on the path first

#: Code that runs as a coroutine or generator: each start is a frame and an object.
_RESUMABLE = inspect.CO_COROUTINE | inspect.CO_GENERATOR | inspect.CO_ASYNC_GENERATOR
#: A resumable frame's first ``call`` event comes before any instruction past its set-up.
_FIRST_INSTRUCTIONS = 10
ORIGINS = ("ours", "generated", "libraries", "stdlib")


class Counts:
    """Bytecodes, calls and resumable frames started, per code object, over one path."""

    def __init__(self) -> None:
        self.bytecodes: collections.Counter[CodeType] = collections.Counter()
        self.calls: collections.Counter[CodeType] = collections.Counter()
        self.started: collections.Counter[CodeType] = collections.Counter()

    def trace(self, frame: FrameType, event: str, arg: object) -> Any:
        """A ``sys.settrace`` function counting into this."""
        if event == "opcode":
            self.bytecodes[frame.f_code] += 1
        elif event == "call":
            frame.f_trace_opcodes = True
            code = frame.f_code
            self.calls[code] += 1
            if code.co_flags & _RESUMABLE and frame.f_lasti < _FIRST_INSTRUCTIONS:
                self.started[code] += 1
        return self.trace


def origin_of(code: CodeType, tree: str) -> str:
    """Where ``code`` lives: one of :data:`ORIGINS` (or "bench": the floor's own code)."""
    name = code.co_filename
    if name.startswith(tree):
        return "bench" if name.startswith(f"{tree}bench/") else "ours"
    if name == "<string>":
        return "generated"
    return "libraries" if "site-packages" in name else "stdlib"


def measure(args: argparse.Namespace) -> Callable[..., Coroutine[Any, Any, None]]:
    """call_path's ``_bytecodes`` replaced: each path counted by origin."""
    tree = str(args.tree.resolve()) + "/"

    async def run_all(
        runs: dict[str, Callable[[], Awaitable[None]]],
        calls: int,
        top: int = 0,
        warm: dict[str, Callable[[], Awaitable[None]]] | None = None,
    ) -> None:
        counted: dict[str, Counts] = {}
        for name, run in runs.items():
            counts = counted[name] = Counts()
            if warm is not None:
                await warm[name]()
            sys.settrace(counts.trace)
            try:
                await run()
            finally:
                sys.settrace(None)

        def by_origin(counter: collections.Counter[CodeType]) -> collections.Counter[str]:
            out: collections.Counter[str] = collections.Counter()
            for code, n in counter.items():
                out[origin_of(code, tree)] += n
            return out

        direct = by_origin(counted["direct"].bytecodes)
        kind = "streamed" if args.stream else "plain"
        print(f"bytecodes per {kind} {args.api} call less the direct path's, {calls} calls")
        for name in ("floor", "proxy"):
            counts = counted[name]
            found = by_origin(counts.bytecodes)
            row = {o: (found[o] - direct[o]) / calls for o in (*ORIGINS, "bench")}
            ours = [c for c in counts.calls if origin_of(c, tree) == "ours"]
            calls_in = sum(counts.calls[c] for c in ours) / calls
            frames = sum(counts.started[c] for c in ours) / calls
            shown = "  ".join(f"{o} {row[o]:7.0f}" for o in (*ORIGINS, "bench"))
            print(f"  {name:6} all {sum(row.values()):7.0f}  {shown}")
            if name == "proxy":
                print(
                    f"         our functions called {calls_in:.1f} times a call, "
                    f"{frames:.1f} of them coroutine or generator frames started"
                )
        proxy = counted["proxy"]
        own = {c: n for c, n in proxy.bytecodes.items() if origin_of(c, tree) == "ours"}
        print(f"the proxy's own functions, top {top}: bytecodes, calls (per call)")
        for code, n in sorted(own.items(), key=lambda item: -item[1])[:top]:
            where = f"{code.co_filename.removeprefix(tree)}:{code.co_firstlineno}"
            resumable = " (coroutine)" if code.co_flags & inspect.CO_COROUTINE else ""
            print(
                f"  {n / calls:7.1f} {proxy.calls[code] / calls:5.1f}  "
                f"{code.co_qualname}{resumable}  {where}"
            )

    return run_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("-c", type=int, default=16, help="concurrent calls")
    parser.add_argument("--tree", type=Path, default=call_path.ROOT)
    parser.add_argument("--stream", action="store_true", help="streamed calls (20 events)")
    parser.add_argument("--api", choices=tuple(call_path.APIS), default="chat")
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args()
    # What call_path.main reads of its own arguments: the real event log, bytecodes.
    args.event_log = args.bytecodes = True
    args.transport = False
    args.spy = args.c_calls = 0
    args.profile = args.top
    args.profile_out = args.gc_threshold = None
    sys.path.insert(0, str(args.tree.resolve()))
    call_path._bytecodes = measure(args)
    args.loop = "asyncio"
    call_path.run_against_upstream(args)


if __name__ == "__main__":
    main()
