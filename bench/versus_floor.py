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
is made directly and through the proxy (c=1): time to first content and content events
received, proxy against direct.

Usage: .venv/bin/python bench/versus_floor.py [--seconds 5] [--proxy-tree DIR] [--loop uvloop]
``--loop`` runs both the floor and the proxy on that event loop (the proxy through its
``event_loop`` setting), so the ratio compares like with like.
``--proxy-tree`` runs the proxy from another source tree (say, an older commit unpacked
with ``git archive``) to measure before and after a change.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

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


async def wait_ready(url: str, within: float = 90.0) -> None:
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


def measure(
    name: str, url: str, pid: int, workdir: Path, seconds: float
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for stream in (False, True):
        wrk(url, stream=stream, connections=4, seconds=1, workdir=workdir)  # warm up
        for connections in (1, 16):
            before = cpu_seconds(pid)
            result = wrk(
                url, stream=stream, connections=connections, seconds=seconds, workdir=workdir
            )
            cpu_ms = (cpu_seconds(pid) - before) * 1000 / max(1.0, result["calls"])
            rows.append(
                {"server": name, "stream": stream, "c": connections, "cpu_ms": cpu_ms, **result}
            )
    return rows


async def paced(url: str, calls: int) -> tuple[float, float]:
    """Mean time to first content (ms) and mean content events per call, at c=1."""
    body = {
        "model": "gpt-4o-mini",
        "stream": True,
        "messages": [{"role": "user", "content": PROMPT}],
    }
    firsts, counts = [], []
    headers = {"Authorization": "Bearer sk-bench-caller-key-0123456789"}
    async with aiohttp.ClientSession(headers=headers) as session:
        for _ in range(calls):
            started, first, count = time.perf_counter(), 0.0, 0
            async with session.post(f"{url}/v1/chat/completions", json=body) as response:
                async for line in response.content:
                    if not line.startswith(b"data: {"):
                        continue
                    choices = json.loads(line[6:]).get("choices") or [{}]
                    if choices[0].get("delta", {}).get("content"):
                        count += 1
                        first = first or time.perf_counter() - started
            firsts.append(first * 1000)
            counts.append(count)
    return statistics.mean(firsts), statistics.mean(counts)


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


async def main(seconds: float, proxy_tree: Path, paced_calls: int, loop: str) -> None:
    os.sched_setaffinity(0, {int(LOAD_CPU)})
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        up_port, floor_port, proxy_port = free_port(), free_port(), free_port()
        upstream = f"http://127.0.0.1:{up_port}"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "OPENAI_BASE_URL": f"{upstream}/v1",
            "PYTHONPATH": str(proxy_tree),
            **loop_config(proxy_tree, loop, workdir),
        }
        serve = [
            "-c",
            SERVE_ANY_TREE,
            "serve",
            "--port",
            str(proxy_port),
        ]
        with (
            process([PYTHON, __file__, "--serve-upstream", str(up_port)], LOAD_CPU),
            process(
                [
                    PYTHON,
                    str(ROOT / "bench" / "floor.py"),
                    "--upstream",
                    upstream,
                    "--port",
                    str(floor_port),
                    "--loop",
                    loop,
                ],
                SERVER_CPU,
            ) as floor,
            process([PYTHON, *serve], SERVER_CPU, cwd=tmp, env=env) as proxy,
        ):
            floor_url, proxy_url = (
                f"http://127.0.0.1:{floor_port}",
                f"http://127.0.0.1:{proxy_port}",
            )
            await wait_ready(f"{upstream}/v1/models")
            await wait_ready(f"{floor_url}/v1/models")
            await wait_ready(f"{proxy_url}/healthz")
            rows = measure("floor", floor_url, floor.pid, workdir, seconds)
            rows += measure("proxy", proxy_url, proxy.pid, workdir, seconds)
            async with (
                aiohttp.ClientSession() as session,
                session.post(f"{upstream}/bench/pace", data=str(PACE)),
            ):
                pass
            direct = await paced(upstream, paced_calls)
            through = await paced(proxy_url, paced_calls)
    report(rows, direct, through, seconds, proxy_tree, loop=loop)


def report(
    rows: list[dict[str, object]],
    direct: tuple[float, float],
    through: tuple[float, float],
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
    print(
        f"{'server':6} {'kind':9} {'c':>3} {'calls/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'CPU ms/call':>11}"
    )
    for row in rows:
        kind = "streamed" if row["stream"] else "plain"
        print(
            f"{row['server']:6} {kind:9} {row['c']:>3} {row['calls_per_s']:8.0f} "
            f"{row['p50_ms']:7.2f} {row['p99_ms']:7.2f} {row['cpu_ms']:11.3f}"
        )
    print("proxy / floor:")
    floor = {(r["stream"], r["c"]): r for r in rows if r["server"] == "floor"}
    for row in (r for r in rows if r["server"] == "proxy"):
        base = floor[(row["stream"], row["c"])]
        kind = "streamed" if row["stream"] else "plain"
        print(
            f"  {kind:9} c={row['c']:<3} CPU/call {row['cpu_ms'] / base['cpu_ms']:5.2f}x   "  # type: ignore[operator]
            f"calls/s {row['calls_per_s'] / base['calls_per_s']:5.2f}x   "  # type: ignore[operator]
            f"p99 {row['p99_ms'] / base['p99_ms']:5.2f}x"  # type: ignore[operator]
        )
    print(
        f"paced stream ({WORDS} content events, {PACE * 1000:.0f} ms apart, c=1), default policy:"
    )
    print(
        f"  time to first content: direct {direct[0]:.1f} ms, proxy {through[0]:.1f} ms "
        f"(added {through[0] - direct[0]:+.1f} ms)"
    )
    print(
        f"  content events: direct {direct[1]:.1f}, proxy {through[1]:.1f} "
        f"(ratio {through[1] / direct[1]:.2f})"
    )


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
    parser.add_argument("--serve-upstream", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_upstream:
        serve_upstream(args.serve_upstream)
    else:
        asyncio.run(main(args.seconds, args.proxy_tree.resolve(), args.paced_calls, args.loop))
