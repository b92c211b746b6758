"""The client side of one upstream call alone: the proxy's against the floor's, in process.

The floor (bench/floor.py) sends each call with ``session.request(method, url, data=body,
headers=dict)`` and reads the answer with ``await response.read()``. The proxy builds the
upstream request from the caller's headers (``build_upstream``), sends it through its
client (timeouts, no redirects, its session settings), reads the answer as its relay does
and filters the provider's headers for the caller. Both start from the same caller request
(an OpenAI SDK's 16 headers, a 1 KB chat body) and end with the answer's bytes in hand; the
caller side (the server, the policy) is left out, so what is compared is the aiohttp client
machinery plus what the proxy wraps around it.

A third path, ``bare``, is ``session.post(url, data=body)`` with no headers at all: the
least the client machinery costs. Rounds alternate the paths; CPU time of this process
(the fake upstream runs in a child process) per call, and the ratio to the floor's in the
same run. ``--bytecodes`` counts Python bytecodes per call instead (deterministic),
``--profile TOP`` prints cProfile's top functions of the proxy path. ``--tree DIR`` imports
the proxy from another source tree (a commit unpacked with ``git archive``): a tree from
before ``proxy/call/upstream.py`` sends as its relay did then (``asyncio.timeout`` around
``session.request``).

Usage: .venv/bin/python bench/upstream_client_cost.py [--calls 2000] [--rounds 5] [-c 16]
[--tree DIR] [--bytecodes] [--profile TOP]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from call_path import BODY, _free_port, _wait_up  # noqa: E402 - bench/ is on sys.path

#: What an OpenAI SDK sends (the proxy drops Host, Accept-Encoding, Connection and
#: Content-Length, and re-sends the caller's key in pass-through mode).
CALLER_HEADERS = [
    ("Host", "127.0.0.1:8080"),
    ("Accept-Encoding", "gzip, deflate"),
    ("Connection", "keep-alive"),
    ("Accept", "application/json"),
    ("Content-Type", "application/json"),
    ("User-Agent", "AsyncOpenAI/Python 1.99.0"),
    ("X-Stainless-Lang", "python"),
    ("X-Stainless-Package-Version", "1.99.0"),
    ("X-Stainless-OS", "Linux"),
    ("X-Stainless-Arch", "x64"),
    ("X-Stainless-Runtime", "CPython"),
    ("X-Stainless-Runtime-Version", "3.11.7"),
    ("x-stainless-retry-count", "0"),
    ("x-stainless-read-timeout", "600"),
    ("Authorization", "Bearer sk-bench-caller-key-0123456789"),
    ("Content-Length", str(len(BODY))),
]
#: bench/floor.py's filter.
_FLOOR_HOP = {"host", "content-length", "transfer-encoding", "connection"}

Run = Callable[[], Awaitable[None]]


def _gather(one: Callable[[], Awaitable[None]], calls: int, connections: int) -> Run:
    async def worker(count: int) -> None:
        for _ in range(count):
            await one()

    async def run() -> None:
        share, extra = divmod(calls, connections)
        await asyncio.gather(*(worker(share + (i < extra)) for i in range(connections)))

    return run


def _proxy_sender(session: Any, timeouts: Any) -> Callable[..., Awaitable[Any]]:
    """The tree's way of sending an upstream request: its UpstreamClient, or (a tree from
    before it) the relay's code of then, copied from 70ef428's Relay.forward."""
    try:
        from proxy.call.upstream import UpstreamClient  # noqa: PLC0415 - the tree's
    except ImportError:
        import aiohttp  # noqa: PLC0415

        client_timeout = aiohttp.ClientTimeout(total=None, connect=timeouts.connect)

        async def send_as_at_70ef428(method: str, upstream: Any, body: bytes) -> Any:
            async with asyncio.timeout(timeouts.ttfb):
                return await session.request(
                    method,
                    upstream.url,
                    params=upstream.params,
                    headers=upstream.headers,
                    data=body,
                    timeout=client_timeout,
                    allow_redirects=False,
                )

        return send_as_at_70ef428
    return UpstreamClient(session, timeouts).send


async def main(args: argparse.Namespace, up_port: int) -> None:
    import aiohttp  # noqa: PLC0415 - every import of the tree after --tree is on sys.path
    from multidict import CIMultiDict, CIMultiDictProxy, MultiDict, MultiDictProxy  # noqa: PLC0415

    from proxy.call.providers import build_upstream, filter_response_headers  # noqa: PLC0415
    from proxy.call.relay import Relay  # noqa: PLC0415
    from proxy.config.register import Route  # noqa: PLC0415
    from proxy.config.settings import ModelEntry, parse_settings  # noqa: PLC0415

    upstream = f"http://127.0.0.1:{up_port}"
    tmp = tempfile.mkdtemp(prefix="upstream_client_cost_")
    settings = parse_settings(
        {"data_dir": tmp}, environ={"OPENAI_BASE_URL": f"{upstream}/v1"}, base_dir=Path(tmp)
    )
    route = Route(
        entry=ModelEntry(name="gpt-4o-mini", provider="openai"),
        provider_name="openai",
        provider=settings.providers["openai"],
        listed=True,
    )
    caller = CIMultiDictProxy(CIMultiDict(CALLER_HEADERS))
    no_query = MultiDictProxy(MultiDict[str]())
    own_key = (("authorization", caller["Authorization"]),)
    request_id = "0123456789abcdef0123456789abcdef"
    url = f"{upstream}/v1/chat/completions"

    # Each session as its server makes it (proxy/app.py's _upstream_session, bench/floor.py).
    proxy_session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=1000, limit_per_host=0, ttl_dns_cache=300),
        auto_decompress=True,
        cookie_jar=aiohttp.DummyCookieJar(),
    )
    floor_session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    send = _proxy_sender(proxy_session, settings.timeouts)
    relay = Relay(proxy_session, settings.timeouts)
    loop = asyncio.get_running_loop()

    async def bare() -> None:
        async with floor_session.post(url, data=BODY) as response:
            await response.read()

    async def floor() -> None:
        headers = {k: v for k, v in caller.items() if k.lower() not in _FLOOR_HOP}
        async with floor_session.request("POST", url, data=BODY, headers=headers) as response:
            content_type = response.headers.get("Content-Type", "application/json")
            await response.read()
            assert {"Content-Type": content_type}

    async def proxy() -> None:
        request = build_upstream(
            route,
            path="/v1/chat/completions",
            query=no_query,
            headers=caller,
            forward_credentials=own_key,
            credentials={},
            request_id=request_id,
        )
        response = await send("POST", request, BODY)
        try:
            if response.content_type != "application/json":
                raise SystemExit(f"unexpected answer {response.content_type}")
            deadline = loop.time() + settings.timeouts.total
            await relay._read_all(response, deadline)  # the relay's own read
            response.release()
            headers = filter_response_headers(response.headers)
            headers["x-request-id"] = request_id
        finally:
            if not response.closed:
                response.close()

    try:
        await _wait_up(floor_session, f"{upstream}/v1/models")
        runs = {
            name: _gather(one, args.calls, args.c)
            for name, one in (("bare", bare), ("floor", floor), ("proxy", proxy))
        }
        for run in runs.values():  # warm up: connections, memos
            await run()
        if args.bytecodes:
            await _bytecodes(runs, args.calls)
        elif args.profile:
            await _profile(runs["proxy"], args.profile)
        else:
            await _measure(runs, args)
    finally:
        await proxy_session.close()
        await floor_session.close()


async def _measure(runs: dict[str, Run], args: argparse.Namespace) -> None:
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            started = time.process_time()
            await run()
            cpu[name].append((time.process_time() - started) / args.calls * 1e6)
    print(f"{args.label}: {args.calls} calls x {args.rounds} rounds, c={args.c}")
    for name, figures in cpu.items():
        shown = " ".join(f"{f:.1f}" for f in figures)
        print(f"  {name:6} {statistics.median(figures):6.1f} us CPU per call (rounds: {shown})")
    for pick, how in ((statistics.median, "median"), (min, "least")):
        bare, floor, proxy = (pick(cpu[name]) for name in ("bare", "floor", "proxy"))
        print(
            f"  {how:6}: proxy / floor {proxy / floor:.2f}x; beyond a bare post: "
            f"floor {floor - bare:.1f} us, proxy {proxy - bare:.1f} us"
        )


async def _bytecodes(runs: dict[str, Run], calls: int) -> None:
    """Python bytecodes and function calls per call of each path (deterministic)."""
    counts = {"bytecodes": 0, "calls": 0}

    def trace(frame: Any, event: str, arg: object) -> Any:
        if event == "opcode":
            counts["bytecodes"] += 1
        elif event == "call":
            counts["calls"] += 1
            frame.f_trace_opcodes = True
        return trace

    per_path = {}
    for name, run in runs.items():
        counts["bytecodes"] = counts["calls"] = 0
        sys.settrace(trace)
        try:
            await run()
        finally:
            sys.settrace(None)
        per_path[name] = (counts["bytecodes"] / calls, counts["calls"] / calls)
    print(f"Python bytecodes (function calls) per call, {calls} calls")
    for name, (ops, fn_calls) in per_path.items():
        print(f"  {name:6} {ops:7.0f} ({fn_calls:.0f})")
    print(f"  proxy / floor {per_path['proxy'][0] / per_path['floor'][0]:.2f}x")


async def _profile(run: Run, top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    await run()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print(out.getvalue())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("label", nargs="?", default="this tree")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("-c", type=int, default=16, help="concurrent calls")
    parser.add_argument("--tree", type=Path, default=ROOT, help="import the proxy from here")
    parser.add_argument("--bytecodes", action="store_true", help="count bytecodes instead")
    parser.add_argument("--profile", type=int, default=0, metavar="TOP")
    arguments = parser.parse_args()
    sys.path.insert(0, str(arguments.tree.resolve()))
    port = _free_port()
    upstream_process = subprocess.Popen(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / "versus_floor.py"), "--serve-upstream", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        asyncio.run(main(arguments, port))
    finally:
        upstream_process.terminate()
        upstream_process.wait()
