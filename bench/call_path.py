"""CPU per plain call of the proxy's own work, in process, against a bare pass-through.

``--stream``: the same for a streamed call (a 20-event answer, as versus_floor.py's).
``--api messages`` / ``responses``: calls of Anthropic's Messages API or the Responses API
instead of chat completions (the same prompt and answer, as tests/fakes streams them).

One process, one event loop: an aiohttp client, the floor (bench/floor.py, a bare aiohttp
pass-through) and the proxy as ``llm-proxy serve`` builds it with no configuration (default
policy and its detection worker, metrics, access log to /dev/null), each on a loopback
port; the fake upstream (tests/fakes) runs in a child process. The same 1 KB chat prompt
every call, so detection is a cache hit, as in bench/versus_floor.py.

Rounds alternate three paths, N calls each at concurrency c: straight to the upstream
(the client's own cost), through the floor, through the proxy. The process's CPU time
(every thread) over a path, less the direct path's, is what the server added: CPU time
rather than wall time, and the baselines in the same rounds, so a busy machine moves the
figures little. It resolves a few microseconds per call where versus_floor.py, through
wrk and /proc, cannot resolve a few tens. ``--transport`` adds a fourth path after the
floor: the proxy's transport alone (bench/transport_floor.py: the proxy's own body read,
header filters, upstream client and answer, without the pipeline), which splits the
proxy's excess over the floor into its use of aiohttp and the pipeline's work.

The event log is a sink that drops events unless ``--event-log`` (then the real one, to
the embedded ClickHouse in a temporary directory, its writer threads counted). ``--tree``
imports the proxy from another source tree (an older commit unpacked with ``git archive``)
to measure a change before and after; ``--bytecodes`` counts the Python bytecodes and
function calls per call on each path instead (deterministic: unmoved by others' load);
with ``--profile TOP`` also the TOP functions of the proxy path by their own bytecodes;
``--profile`` alone prints cProfile's top functions of the proxy path instead, ``--spy SECONDS``
py-spy's samples of it (``--profile`` then sets how many functions are shown); ``--c-calls TOP``
the C functions each path calls per call (counts and own time under cProfile), proxy beside
floor.

Usage: .venv/bin/python bench/call_path.py [--calls 2000] [--rounds 5] [-c 16] [--tree DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import json
import os
import pstats
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


BODY = (
    b'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"'
    + (
        b"Please summarise the attached meeting notes for the steering committee. The notes "
        b"cover the migration timeline, the budget review and open risks around vendor lock-in. "
    )
    * 6
    + b'"}]}'
)
#: ``--stream``: the same prompt streamed (the fake upstream sends 20 content events, as in
#: bench/versus_floor.py; the proxy asks for the usage chunk too).
STREAM_BODY = BODY[:-1] + b',"stream":true}'
HEADERS = {
    "Content-Type": "application/json",
    "Authorization": "Bearer sk-bench-caller-key-0123456789",
}
#: The prompt of BODY, for the other APIs' bodies (``--api``).
PROMPT = BODY.split(b'"content":"', 1)[1].removesuffix(b'"}]}').decode()
#: ``--api``: each API's path and body (the same prompt), and what its calls add to HEADERS.
APIS: dict[str, tuple[str, bytes, dict[str, str]]] = {
    "chat": ("/v1/chat/completions", BODY, {}),
    "messages": (
        "/v1/messages",
        json.dumps(
            {
                "model": "claude-3-5-haiku-latest",
                "max_tokens": 256,
                "messages": [{"role": "user", "content": PROMPT}],
            },
            separators=(",", ":"),
        ).encode(),
        {"anthropic-version": "2023-06-01"},
    ),
    "responses": (
        "/v1/responses",
        json.dumps({"model": "gpt-4o-mini", "input": PROMPT}, separators=(",", ":")).encode(),
        {},
    ),
}


class DroppingSink:
    """An event sink that takes events and keeps nothing (the event log is not measured)."""

    def record(self, event: object) -> None:
        return None

    def accepting(self) -> bool:
        return True

    def status(self) -> None:
        return None


async def _serve(app: Any, port: int) -> Any:
    from aiohttp import web  # noqa: PLC0415 - every import of the tree after --tree

    runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


async def _wait_up(session: Any, url: str) -> None:
    for _ in range(300):
        try:
            async with session.get(url) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        await asyncio.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def _calls(
    session: Any,
    url: str,
    calls: int,
    connections: int,
    body: bytes = BODY,
    *,
    headers: dict[str, str] = HEADERS,
) -> Callable[[], Awaitable[None]]:
    """A coroutine function making ``calls`` calls to ``url`` from ``connections`` workers."""

    async def worker(count: int) -> None:
        for _ in range(count):
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise SystemExit(f"{url}: status {response.status}")

    async def run() -> None:
        share, extra = divmod(calls, connections)
        await asyncio.gather(*(worker(share + (i < extra)) for i in range(connections)))

    return run


async def main(args: argparse.Namespace, up_port: int) -> None:
    import aiohttp  # noqa: PLC0415 - every import of the tree after --tree is on sys.path

    sys.path.insert(0, str(ROOT / "bench"))
    from floor import make_app as floor_app  # noqa: PLC0415

    from proxy.app import create_app  # noqa: PLC0415
    from proxy.config.settings import parse_settings  # noqa: PLC0415

    try:
        from proxy.server import settle_heap  # noqa: PLC0415
    except ImportError:  # a tree from before it: what its ``serve`` did

        def settle_heap() -> None:
            gc.collect()
            gc.freeze()

    floor_port, proxy_port = _free_port(), _free_port()
    upstream = f"http://127.0.0.1:{up_port}"
    tmp = tempfile.mkdtemp(prefix="call_path_")
    env = {"OPENAI_BASE_URL": f"{upstream}/v1", "ANTHROPIC_BASE_URL": upstream, "HOME": tmp}
    settings = parse_settings({"data_dir": tmp}, environ=env, base_dir=Path(tmp))
    sink = None if args.event_log else DroppingSink()
    proxy = create_app(settings, environ=env, sink=sink)
    runners = [await _serve(floor_app(upstream), floor_port), await _serve(proxy, proxy_port)]
    transport_port = _free_port()
    if args.transport:  # imported only then: it needs the tree's transport modules
        from transport_floor import make_app as transport_app  # noqa: PLC0415

        runners.append(await _serve(transport_app(upstream), transport_port))
    connector = aiohttp.TCPConnector(limit=0)
    try:
        async with aiohttp.ClientSession(connector=connector) as session:
            await _wait_up(session, f"{upstream}/v1/models")
            path, body, extra = APIS[args.api]
            headers = {**HEADERS, **extra}
            paths = {
                "direct": f"{upstream}{path}",
                "floor": f"http://127.0.0.1:{floor_port}{path}",
                "transport": f"http://127.0.0.1:{transport_port}{path}",
                "proxy": f"http://127.0.0.1:{proxy_port}{path}",
            }
            if not args.transport:
                del paths["transport"]
            if args.stream:
                body = body[:-1] + b',"stream":true}'
            runs = {
                name: _calls(session, url, args.calls, args.c, body, headers=headers)
                for name, url in paths.items()
            }
            for run in runs.values():  # warm up: connections, caches, metric series
                await run()
            settle_heap()  # as ``serve`` does once the proxy listens
            if args.gc_threshold is not None:
                gc.set_threshold(*args.gc_threshold)
            if args.spy:
                await _spy(runs["proxy"], args)
                return
            if args.bytecodes:
                # A few untraced calls just before each traced run: the run before it took
                # long enough under the tracer for the path's pooled connections to pass
                # aiohttp's 15 s keep-alive, and new connections were counted as its work.
                warm = {
                    name: _calls(session, url, args.c, args.c, body, headers=headers)
                    for name, url in paths.items()
                }
                await _bytecodes(runs, args.calls, args.profile, warm)
                return
            if args.c_calls:
                await _c_calls(runs, args.calls, args.c_calls)
                return
            if args.profile or args.profile_out:
                await _profile(runs["proxy"], args.profile, args.profile_out)
                return
            await _measure(runs, args)
    finally:
        for runner in reversed(runners):
            await runner.cleanup()


async def _measure(
    runs: dict[str, Callable[[], Awaitable[None]]], args: argparse.Namespace
) -> None:
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    collections = dict.fromkeys(runs, (0, 0, 0))
    # The collector's CPU time and its longest pause, by its callbacks.
    in_gc = {"seconds": 0.0, "started": 0.0, "wall": 0.0, "longest": 0.0}
    gc_seconds = dict.fromkeys(runs, 0.0)
    gc_longest = dict.fromkeys(runs, 0.0)

    def timed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            in_gc["started"], in_gc["wall"] = time.thread_time(), time.perf_counter()
        else:
            in_gc["seconds"] += time.thread_time() - in_gc["started"]
            in_gc["longest"] = max(in_gc["longest"], time.perf_counter() - in_gc["wall"])

    gc.callbacks.append(timed)
    for _ in range(args.rounds):
        for name, run in runs.items():
            before = [generation["collections"] for generation in gc.get_stats()]
            in_gc["seconds"] = in_gc["longest"] = 0.0
            started = time.process_time()
            await run()
            cpu[name].append((time.process_time() - started) / args.calls * 1e6)
            gc_seconds[name] += in_gc["seconds"]
            gc_longest[name] = max(gc_longest[name], in_gc["longest"])
            after = [generation["collections"] for generation in gc.get_stats()]
            collections[name] = tuple(
                n + b - a for n, a, b in zip(collections[name], before, after, strict=True)
            )
    gc.callbacks.remove(timed)
    direct = statistics.median(cpu["direct"])
    floor = statistics.median(cpu["floor"]) - direct
    proxy = statistics.median(cpu["proxy"]) - direct
    kind = ("streamed (20 events)" if args.stream else "plain") + f" {args.api}"
    print(
        f"{args.label}: {args.calls} {kind} calls x {args.rounds} rounds, c={args.c}, "
        f"gc thresholds {gc.get_threshold()}"
    )
    for name, figures in cpu.items():
        shown = " ".join(f"{f:.0f}" for f in figures)
        total = args.calls * args.rounds
        per_k = "/".join(f"{n * 1000 / total:.0f}" for n in collections[name])
        print(
            f"  {name:6} {statistics.median(figures):7.1f} us CPU per call (rounds: {shown}); "
            f"GC per 1000 calls: {per_k} collections (gen 0/1/2), "
            f"{gc_seconds[name] * 1e6 / total:.1f} us a call, "
            f"longest {gc_longest[name] * 1e3:.1f} ms"
        )
    print(
        f"  server's own: floor {floor:.1f} us, proxy {proxy:.1f} us, "
        f"proxy / floor {proxy / floor:.2f}x"
    )
    if "transport" in cpu:
        transport = statistics.median(cpu["transport"]) - direct
        print(
            f"  server's own: transport {transport:.1f} us, transport / floor "
            f"{transport / floor:.2f}x, proxy / transport {proxy / transport:.2f}x"
        )
    # Others' load on a shared machine only adds CPU time (caches, migrations): the least
    # round of each path is the least disturbed figure, steadier than the median there.
    least = {name: min(figures) for name, figures in cpu.items()}
    floor_min, proxy_min = least["floor"] - least["direct"], least["proxy"] - least["direct"]
    print(
        f"  least rounds: floor {floor_min:.1f} us, proxy {proxy_min:.1f} us, "
        f"proxy / floor {proxy_min / floor_min:.2f}x"
    )


async def _bytecodes(
    runs: dict[str, Callable[[], Awaitable[None]]],
    calls: int,
    top: int = 0,
    warm: dict[str, Callable[[], Awaitable[None]]] | None = None,
) -> None:
    """Python bytecodes and function calls executed per call on each path (this thread).

    Deterministic where CPU time is not: a busy machine changes no count, so a change of a
    few percent in the interpreted work shows in one run. C work (JSON, hashing, syscalls),
    allocation and GC are not counted; CPU time per bytecode is about 1.5-2x higher on the
    proxy path than on the floor's, so this is a floor of what a change saves."""
    counts = {"bytecodes": 0, "calls": 0}
    by_code: dict[Any, int] = {}  # bytecodes per function, with --profile TOP
    generated: dict[Any, str] = {}

    def trace(frame: Any, event: str, arg: object) -> Any:
        if event == "opcode":
            counts["bytecodes"] += 1
            if top:
                code = frame.f_code
                by_code[code] = by_code.get(code, 0) + 1
        elif event == "call":
            counts["calls"] += 1
            frame.f_trace_opcodes = True
            if top and frame.f_code not in generated and frame.f_code.co_filename == "<string>":
                # A dataclass's generated method: name it by its class.
                owner = frame.f_locals.get("self")
                generated[frame.f_code] = type(owner).__qualname__ if owner is not None else "?"
        return trace

    per_path: dict[str, tuple[float, float]] = {}
    path_by_code: dict[str, dict[Any, int]] = {}
    for name, run in runs.items():
        counts["bytecodes"] = counts["calls"] = 0
        by_code.clear()
        if warm is not None:
            await warm[name]()
        sys.settrace(trace)
        try:
            await run()
        finally:
            sys.settrace(None)
        per_path[name] = (counts["bytecodes"] / calls, counts["calls"] / calls)
        path_by_code[name] = dict(by_code)
    direct_ops, direct_calls = per_path["direct"]
    print(f"Python bytecodes (function calls) per call, {calls} calls")
    for name, (ops, fn_calls) in per_path.items():
        own = (
            ""
            if name == "direct"
            else f"  server's own {ops - direct_ops:.0f} ({fn_calls - direct_calls:.0f})"
        )
        print(f"  {name:6} {ops:8.0f} ({fn_calls:.0f}){own}")
    floor_own = per_path["floor"][0] - direct_ops
    proxy_own = per_path["proxy"][0] - direct_ops
    print(f"  proxy / floor {proxy_own / floor_own:.2f}x")
    if "transport" in per_path:
        transport_own = per_path["transport"][0] - direct_ops
        print(f"  transport / floor {transport_own / floor_own:.2f}x")
    if top:
        # Less the direct path's count of the same function: the client's share.
        direct_by_code = path_by_code["direct"]
        server = {c: n - direct_by_code.get(c, 0) for c, n in path_by_code["proxy"].items()}
        floor = {c: n - direct_by_code.get(c, 0) for c, n in path_by_code["floor"].items()}
        print(
            f"proxy path: the server's own bytecodes per call in its {top} busiest functions "
            "(the floor's own in the same function beside it)"
        )
        busiest = sorted(server.items(), key=lambda item: -item[1])[:top]
        for code, ops in busiest:
            where = generated.get(code) or f"{Path(code.co_filename).name}:{code.co_firstlineno}"
            print(
                f"  {ops / calls:7.1f} {floor.get(code, 0) / calls:7.1f}  {code.co_qualname}  "
                f"({where})"
            )


async def _spy(run: Callable[[], Awaitable[None]], args: argparse.Namespace) -> None:
    """Sample this process with py-spy while only the proxy path runs; print the top
    functions by own and inclusive samples (bench/profile_hot_path.py's summary)."""
    from profile_hot_path import PY_SPY, summarise  # noqa: PLC0415 - bench/ is on sys.path

    out = Path(tempfile.mkdtemp(prefix="call_path_spy_")) / "samples.txt"
    command = [PY_SPY, "record", "--pid", str(os.getpid()), "--format", "raw", "--nonblocking"]
    command += ["--duration", str(args.spy), "-o", str(out)]
    spy = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    await asyncio.sleep(0.5)  # py-spy attaches
    while spy.returncode is None:
        await run()
    await spy.wait()
    print(summarise(out, args.profile or 40))


async def _c_calls(runs: dict[str, Callable[[], Awaitable[None]]], calls: int, top: int) -> None:
    """The C functions (builtins, extensions' methods) each path calls per call, less the
    client's share (the direct path's): calls and own time per call under cProfile, proxy
    beside floor, by the proxy's excess time. cProfile slows Python more than C, so the
    times are a ranking; the counts are exact."""
    per_path: dict[str, dict[str, tuple[float, float]]] = {}
    for name, run in runs.items():
        profiler = cProfile.Profile()
        profiler.enable()
        await run()
        profiler.disable()
        stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
        found: dict[str, tuple[float, float]] = {}
        for (filename, _line, function), (_cc, ncalls, tottime, _ct, _callers) in stats.items():
            if filename != "~":  # a Python function, not a C one
                continue
            key = function.strip("<>").removeprefix("built-in method ")
            count, seconds = found.get(key, (0.0, 0.0))
            found[key] = (count + ncalls / calls, seconds + tottime * 1e6 / calls)
        per_path[name] = found
    direct = per_path["direct"]

    def own(path: str) -> dict[str, tuple[float, float]]:
        return {
            key: (n - direct.get(key, (0.0, 0.0))[0], t - direct.get(key, (0.0, 0.0))[1])
            for key, (n, t) in per_path[path].items()
        }

    floor, proxy = own("floor"), own("proxy")
    print(
        f"C functions per call (cProfile, {calls} calls, the direct path's share taken off): "
        "proxy calls, us | floor calls, us | function"
    )
    for key, (n, t) in sorted(proxy.items(), key=lambda item: -item[1][1])[:top]:
        fn, ft = floor.get(key, (0.0, 0.0))
        print(f"  {n:6.1f} {t:6.2f} | {fn:6.1f} {ft:6.2f} | {key}")
    total_p = sum(t for _, t in proxy.values())
    total_f = sum(t for _, t in floor.values())
    print(f"  all C functions: proxy {total_p:.1f} us, floor {total_f:.1f} us a call")


async def _profile(run: Callable[[], Awaitable[None]], top: int, dump: Path | None = None) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    await run()
    profiler.disable()
    if dump is not None:  # for pstats by hand (callers, callees, call counts)
        profiler.dump_stats(dump)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    print(out.getvalue())


def run_against_upstream(arguments: argparse.Namespace) -> None:
    """``main`` against the fake upstream of versus_floor.py in a process of its own, with
    the access log to /dev/null; the upstream stops however the run ends. The proxy's tree
    must already be on ``sys.path`` (``--tree``): the logging set-up is imported from it."""
    from proxy.logs import configure_logging  # noqa: PLC0415 - after --tree

    port = _free_port()
    upstream_process = subprocess.Popen(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / "versus_floor.py"), "--serve-upstream", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(os.devnull, "w") as access_log:
        configure_logging("info", access_log)
        try:
            if arguments.loop == "uvloop":
                import uvloop  # noqa: PLC0415 - an optional extra

                uvloop.run(main(arguments, port))
            else:
                asyncio.run(main(arguments, port))
        finally:
            upstream_process.terminate()
            upstream_process.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("label", nargs="?", default="this tree")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("-c", type=int, default=16, help="concurrent calls")
    parser.add_argument("--tree", type=Path, default=ROOT, help="import the proxy from here")
    parser.add_argument("--event-log", action="store_true", help="the real event log")
    parser.add_argument("--stream", action="store_true", help="streamed calls (20 events)")
    parser.add_argument(
        "--api",
        choices=tuple(APIS),
        default="chat",
        help="the API called: chat (/v1/chat/completions), messages (Anthropic's "
        "/v1/messages), responses (/v1/responses); the same prompt and 20-word answer",
    )
    parser.add_argument(
        "--transport",
        action="store_true",
        help="also the proxy's transport alone (bench/transport_floor.py), after the floor",
    )
    parser.add_argument("--profile", type=int, default=0, metavar="TOP")
    parser.add_argument("--bytecodes", action="store_true", help="count bytecodes instead")
    parser.add_argument(
        "--c-calls", type=int, default=0, metavar="TOP", help="the C functions called per call"
    )
    parser.add_argument("--profile-out", type=Path, default=None, help="dump cProfile stats")
    parser.add_argument("--spy", type=int, default=0, metavar="SECONDS", help="py-spy instead")
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    parser.add_argument(
        "--gc-threshold",
        type=int,
        nargs=3,
        default=None,
        metavar=("G0", "G1", "G2"),
        help="gc.set_threshold after the freeze (default: as it is)",
    )
    arguments = parser.parse_args()
    sys.path.insert(0, str(arguments.tree.resolve()))
    # A terminated run still stops its upstream (run_against_upstream's finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    run_against_upstream(arguments)
