"""Where a paced stream's first content waits in the proxy: one call's timeline.

bench/versus_floor.py's paced run (the upstream sends a content event every 20 ms, c=1,
default policy) shows only the sum: first content through the proxy minus direct. This
script takes one paced call apart, with ``time.perf_counter`` stamps (CLOCK_MONOTONIC, one
clock for every process on the machine) taken in three processes:

- the fake upstream (tests/fakes, as versus_floor.py's): request in, each event written;
- the proxy (``llm-proxy serve`` from ``--tree``, zero config): probes wrapped around its
  functions by this script's launcher, nothing in the tree changed - request in, upstream
  request sent and answered, each upstream read, the output inspector's decision on it,
  each write to the caller; held in memory and written out on SIGUSR1, never logged;
- this script, the caller (aiohttp): request sent, first byte, first content line.

Each tree's calls alternate with direct calls (straight to the upstream) in one run; the
first ``--warm`` calls of each are left out (scan-cache misses). Printed: the median of each
stage's time since the caller sent the request, and the added first content, proxy against
direct, per tree. ``--base-tree`` runs a second proxy from another tree beside it.

Usage: .venv/bin/python bench/paced_timeline.py [--calls 20] [--warm 3] [--tree DIR]
       [--base-tree DIR] [--pace 0.02]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from versus_floor import PROMPT, REPLY, floor_command, free_port, wait_ready  # noqa: E402 - own folder

from tests.fakes import FakeUpstream  # noqa: E402

PYTHON = sys.executable

#: Run in the proxy's process before ``main()``: wraps the functions a streamed call passes
#: through and keeps ``(stage, perf_counter)`` pairs, written as JSON to the path in
#: ``PACED_TIMELINE_OUT`` on SIGUSR1 (then cleared).
PROBES = r"""
import functools, json, os, signal, time
import proxy.call.pipeline as _pipeline
import proxy.call.relay as _relay
import proxy.call.upstream as _upstream
import policies.stream as _stream
_stamps = []
_clock = time.perf_counter
def _dump(signum, frame):
    path = os.environ["PACED_TIMELINE_OUT"]
    with open(path + ".part", "w") as out:
        json.dump(_stamps, out)
    os.replace(path + ".part", path)
    _stamps.clear()
def _has_content(args, value):
    compact = args[1].replace(b'": ', b'":')
    return b'"content":"' in compact and b'"content":""' not in compact
signal.signal(signal.SIGUSR1, _dump)
def _around(owner, name, before, after=None, result=None):
    original = getattr(owner, name)
    @functools.wraps(original)
    async def probe(*args, **kwargs):
        if before:
            _stamps.append((before, _clock(), None))
        value = await original(*args, **kwargs)
        if after:
            _stamps.append((after, _clock(), result(args, value) if result else None))
        return value
    setattr(owner, name, probe)
def _around_sync(owner, name, label):
    original = getattr(owner, name)
    @functools.wraps(original)
    def probe(*args, **kwargs):
        _stamps.append((f"{label} start", _clock(), None))
        try:
            return original(*args, **kwargs)
        finally:
            _stamps.append((f"{label} end", _clock(), None))
    setattr(owner, name, probe)
try:  # the event log's work in its own threads (a tree without these modules: none)
    import proxy.store.inserter as _inserter
    import proxy.store.writer as _writer
    _around_sync(_inserter.Inserter, "_insert", "store insert")
    _around_sync(_inserter.Inserter, "insert_link", "store link")
    _around_sync(_writer.Writer, "_roll_up", "store roll-up")
    _around_sync(_writer.Writer, "_harvest", "store harvest")
except (ImportError, AttributeError):
    pass
_around(_pipeline, "_run", "request in")
_around(_relay.Relay, "forward", "prompt decided")
_around(_upstream.UpstreamClient, "send", "upstream request", "upstream headers")
_around(_upstream.UpstreamClient, "next_chunk", None, "upstream read", lambda a, v: len(v))
_around(_stream.PolicyStream, "feed_all", "inspect start", "inspect end",
        lambda a, v: [len(e.raw) for e in v])
_around(_relay, "_write", None, "written", _has_content)
"""

#: The proxy's command line: the probes, then any tree's ``main``.
SERVE = (
    PROBES
    + """
try:
    from proxy.cli.main import main
except ImportError:
    from proxy.cli import main
main()
"""
)


def serve_upstream(port: int) -> None:
    """The fake upstream, stamping each event it writes; ``POST /bench/pace`` sets the
    seconds between events, ``GET /bench/stamps`` returns (and clears) the stamps."""
    fake = FakeUpstream()
    fake.behaviour.reply_text = REPLY
    stamps: list[tuple[str, float]] = []

    async def before_event(number: int) -> None:
        stamps.append((f"upstream event {number}", time.perf_counter()))

    async def pace(request: web.Request) -> web.Response:
        fake.behaviour.chunk_interval = float(await request.text())
        fake.behaviour.before_event = before_event
        fake.clear()
        return web.Response(text="ok")

    async def reply(request: web.Request) -> web.Response:
        fake.behaviour.reply_text = await request.text()
        return web.Response(text="ok")

    async def taken(request: web.Request) -> web.Response:
        found = list(stamps)
        stamps.clear()
        return web.json_response(found)

    @web.middleware
    async def arrival(request: web.Request, handler: object) -> web.StreamResponse:
        if request.path.startswith("/v1/chat"):
            stamps.append(("upstream request in", time.perf_counter()))
        return await handler(request)  # type: ignore[operator,no-any-return]

    app = fake.make_app()
    app.middlewares.append(arrival)
    app.router.add_post("/bench/pace", pace)
    app.router.add_get("/bench/stamps", taken)
    app.router.add_post("/bench/reply", reply)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


@contextlib.contextmanager
def process(command: list[str], **kwargs: object) -> Iterator[subprocess.Popen[bytes]]:
    child = subprocess.Popen(  # noqa: S603 - our own scripts, fixed arguments
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **kwargs,  # type: ignore[call-overload]
    )
    try:
        yield child
    finally:
        child.terminate()
        child.wait(10)


async def one_call(session: aiohttp.ClientSession, url: str) -> list[tuple[str, float]]:
    """One paced streamed call: the caller's stamps."""
    body = {
        "model": "gpt-4o-mini",
        "stream": True,
        "messages": [{"role": "user", "content": PROMPT}],
    }
    stamps = [("caller sent", time.perf_counter())]
    async with session.post(f"{url}/v1/chat/completions", json=body) as response:
        stamps.append(("caller headers", time.perf_counter()))
        contents = 0
        async for line in response.content:
            if line.startswith(b"data: {"):
                choices = json.loads(line[6:]).get("choices") or [{}]
                if choices[0].get("delta", {}).get("content"):
                    contents += 1
                    name = "caller first content" if contents == 1 else f"caller content {contents}"
                    stamps.append((name, time.perf_counter()))
    return stamps


def timeline(stamps: list[tuple[str, float]], start: float) -> dict[str, float]:
    """Each stage's first occurrence (numbered when repeated), in ms after ``start``."""
    seen: dict[str, int] = {}
    out: dict[str, float] = {}
    for name, at in sorted(stamps, key=lambda s: s[1]):
        count = seen[name] = seen.get(name, 0) + 1
        label = name if count == 1 else f"{name} #{count}"
        out[label] = (at - start) * 1000
    return out


def _stage(name: str, extra: object) -> str:
    if name == "written" and not extra:
        return "proxy written (no content)"
    if name == "inspect end" and isinstance(extra, list):
        return f"proxy inspect end ({len(extra)} out)"
    return f"proxy {name}"


async def proxy_stamps(pid: int, out: Path) -> list[tuple[str, float]]:
    """The proxy's stamps since the last call (it writes them to ``out`` on SIGUSR1)."""
    os.kill(pid, signal.SIGUSR1)
    for _ in range(250):
        await asyncio.sleep(0.02)
        if await asyncio.to_thread(out.exists):
            break
    raw = json.loads(await asyncio.to_thread(out.read_bytes))
    await asyncio.to_thread(out.unlink)
    return [(_stage(name, extra), at) for name, at, extra in raw]


class Server(NamedTuple):
    name: str
    url: str
    pid: int  # 0: no probes (direct, the floor)
    stamps: Path


def start_servers(
    stack: contextlib.ExitStack, args: argparse.Namespace, work: Path
) -> list[Server]:
    """The fake upstream, the floor and each tree's proxy, the upstream first."""
    up_port, floor_port = free_port(), free_port()
    upstream = f"http://127.0.0.1:{up_port}"
    stack.enter_context(process([PYTHON, __file__, "--serve-upstream", str(up_port)]))
    stack.enter_context(process(floor_command(upstream, floor_port, "asyncio")))
    servers = [
        Server("direct", upstream, 0, Path()),
        Server("floor", f"http://127.0.0.1:{floor_port}", 0, Path()),
    ]
    trees = [("proxy", args.tree)] + ([("base", args.base_tree)] if args.base_tree else [])
    for name, tree in trees:
        home = work / name
        home.mkdir()
        port = free_port()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "OPENAI_BASE_URL": f"{upstream}/v1",
            "PYTHONPATH": str(tree),
            "PACED_TIMELINE_OUT": str(home / "stamps.json"),
        }
        serve = [PYTHON, "-c", SERVE, "serve", "--port", str(port)]
        child = stack.enter_context(process(serve, cwd=home, env=env))
        servers.append(Server(name, f"http://127.0.0.1:{port}", child.pid, home / "stamps.json"))
    return servers


async def run(args: argparse.Namespace) -> dict[str, list[dict[str, float]]]:
    """Every server's timelines, calls taking turns (the order reversed every other turn)."""
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        servers = start_servers(stack, args, Path(tmp))
        upstream = servers[0].url
        await wait_ready(f"{upstream}/v1/models")
        await wait_ready(f"{servers[1].url}/v1/models")
        for server in servers[2:]:
            await wait_ready(f"{server.url}/healthz", within=300)
        headers = {"Authorization": "Bearer sk-bench-caller-key-0123456789"}
        lines: dict[str, list[dict[str, float]]] = {server.name: [] for server in servers}
        async with aiohttp.ClientSession(headers=headers) as session:
            async with session.post(f"{upstream}/bench/pace", data=str(args.pace)):
                pass
            for turn in range(args.calls):
                if args.fresh:  # new words every turn: every output window a cache miss
                    words = " ".join(f"{os.urandom(3).hex()}{i}" for i in range(20))
                    async with session.post(f"{upstream}/bench/reply", data=words):
                        pass
                for server in servers if turn % 2 == 0 else servers[::-1]:
                    caller = await one_call(session, server.url)
                    async with session.get(f"{upstream}/bench/stamps") as answer:
                        stamps = caller + [(n, t) for n, t in await answer.json()]
                    if server.pid:
                        stamps += await proxy_stamps(server.pid, server.stamps)
                    lines[server.name].append(timeline(stamps, caller[0][1]))
    return lines


def _median(rows: list[dict[str, float]], stage: str) -> float:
    return statistics.median(row.get(stage, 1e9) for row in rows)


def report(lines: dict[str, list[dict[str, float]]], warm: int, slow: float) -> None:
    """Each server's stages (median of the warm calls) and its paced events' way through."""
    every = {name: [row["caller first content"] for row in rows] for name, rows in lines.items()}
    lines = {name: rows[warm:] for name, rows in lines.items()}
    first = {name: _median(rows, "caller first content") for name, rows in lines.items()}
    for name, rows in lines.items():
        print(f"{name}: median ms after the caller sent, {len(rows)} calls after {warm}")
        for stage in sorted({k for row in rows for k in row}, key=lambda k: _median(rows, k)):
            values = [row[stage] for row in rows if stage in row]
            if len(values) >= len(rows) / 2 and statistics.median(values) <= first[name] + 25:
                print(f"  {statistics.median(values):8.2f}  {stage}")
    for name, rows in lines.items():
        shown = " ".join(f"{v:.1f}" for v in every[name])
        print(f"{name}: first content of every call, ms: {shown}")
        if name == "direct":
            continue
        for row in rows:  # a call a chunk late or more: where it waited
            if row["caller first content"] > first[name] + slow:
                stages = sorted(row.items(), key=lambda item: item[1])
                shown = ", ".join(
                    f"{stage} {at:.1f}"
                    for stage, at in stages
                    if -30 <= at <= row["caller first content"]
                )
                print(f"  a slow call: {shown}")
        added = first[name] - first["direct"]
        print(f"  first content {first[name]:.2f} ms (median), added {added:+.2f} ms")
        # A paced event's way through: the upstream's write of event N to the caller.
        for event, content in (
            (1, "caller first content"),
            (1, "caller content 2"),
            (2, "caller content 3"),
        ):
            upstream = f"upstream event {event}"
            lags = [
                row[content] - row[upstream] for row in rows if content in row and upstream in row
            ]
            if lags:
                print(f"  {upstream} -> {content}: {statistics.median(lags):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--warm", type=int, default=3, help="first calls of each left out")
    parser.add_argument("--pace", type=float, default=0.02, help="seconds between events")
    parser.add_argument("--fresh", action="store_true", help="a new answer every turn")
    parser.add_argument(
        "--slow", type=float, default=10.0, help="show calls this many ms past the median"
    )
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--base-tree", type=Path, default=None)
    parser.add_argument("--serve-upstream", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_upstream:
        serve_upstream(args.serve_upstream)
        return
    report(asyncio.run(run(args)), args.warm, args.slow)


if __name__ == "__main__":
    main()
