"""Where the proxy's CPU goes under load: py-spy samples ``llm-proxy serve`` (zero config,
default policy, event log, metrics and access log on) while wrk drives it, for plain and
streamed calls, and prints the functions with the most samples (self and inclusive).

The same setup as bench/versus_floor.py (the proxy pinned to CPU 0, the fake upstream and
wrk to CPU 1, the same 1 KB prompt every call, so detection is a cache hit).
py-spy is not a dependency: ``.venv/bin/pip install py-spy``.

Usage: .venv/bin/python bench/profile_hot_path.py [--seconds 8] [--top 25] [--subprocesses]
``--subprocesses`` also samples the detection worker processes.

``--native``: the floor (bench/floor.py) and the proxy, both on asyncio's loop, under the
same wrk load (c=16, plain calls), in turns (``--rounds``): each turn measures the
event-loop thread's CPU per call unsampled (``/proc/PID/task/PID/schedstat``), then samples
it with py-spy (``--rate`` a second); its samples become microseconds per call in
proportion. Printed, proxy beside floor: leaf frames, the nearest Python frame, and the
inclusive time of the proxy's stages (:data:`STAGES`). For the C functions a call makes
(exact counts) see ``bench/call_path.py --c-calls``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from versus_floor import (
    LOAD_CPU,
    NAME_THREADS,
    PYTHON,
    ROOT,
    SERVER_CPU,
    floor_command,
    free_port,
    loop_config,
    process,
    wait_ready,
    wrk,
)

PY_SPY = str(Path(PYTHON).with_name("py-spy"))


def summarise(collapsed: Path, top: int) -> str:
    """The ``top`` frames by self and by inclusive samples, as percentages."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [f for f in stack.split(";") if not f.startswith("process ")]
        if not frames:
            continue
        samples = int(count)
        total += samples
        own[_short(frames[-1])] += samples
        for frame in {_short(f) for f in frames}:
            inclusive[frame] += samples
    lines = [f"{total} samples"]
    for title, counter in (("self", own), ("inclusive", inclusive)):
        lines.append(f"  top by {title}:")
        lines += [f"    {n * 100 / total:5.1f}%  {name}" for name, n in counter.most_common(top)]
    return "\n".join(lines)


def _short(frame: str) -> str:
    """``func (path/to/module.py:12)`` as ``func (module.py)``: lines merged per function."""
    name, _, where = frame.partition(" (")
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", str(ROOT) + "/"):
        path = path.split(marker, 1)[-1]
    return f"{name} ({path})"


def main(seconds: float, top: int, subprocesses: bool) -> None:
    os.sched_setaffinity(0, {int(LOAD_CPU)})
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        up_port, proxy_port = free_port(), free_port()
        upstream = f"http://127.0.0.1:{up_port}"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "OPENAI_BASE_URL": f"{upstream}/v1",
            "PYTHONPATH": str(ROOT),
        }
        serve = [
            "-c",
            "from proxy.cli.main import main; main()",
            "serve",
            "--port",
            str(proxy_port),
        ]
        script = str(ROOT / "bench" / "versus_floor.py")
        with (
            process([PYTHON, script, "--serve-upstream", str(up_port)], LOAD_CPU),
            process([PYTHON, *serve], SERVER_CPU, cwd=tmp, env=env) as proxy,
        ):
            url = f"http://127.0.0.1:{proxy_port}"
            asyncio.run(wait_ready(f"{upstream}/v1/models"))
            asyncio.run(wait_ready(f"{url}/healthz"))
            for stream in (False, True):
                wrk(url, stream=stream, connections=4, seconds=1, workdir=workdir)  # warm up
                out = workdir / f"profile-{stream}.txt"
                command = [PY_SPY, "record", "--pid", str(proxy.pid), "--format", "raw"]
                command += ["--nonblocking", "--duration", str(int(seconds)), "-o", str(out)]
                if subprocesses:
                    command.append("--subprocesses")
                quiet = subprocess.DEVNULL
                spy = subprocess.Popen(command, stdout=quiet, stderr=quiet)  # noqa: S603
                time.sleep(0.5)  # py-spy attaches
                result = wrk(url, stream=stream, connections=16, seconds=seconds, workdir=workdir)
                spy.wait(timeout=seconds + 30)
                kind = "streamed (20 events)" if stream else "plain"
                print(f"== {kind}, c=16: {result['calls_per_s']:.0f} calls/s; ", end="")
                print(summarise(out, top))


#: The proxy's stages of a plain call, by the functions that run them (inclusive samples:
#: a stack is counted once per stage whatever the depth).
STAGES: dict[str, tuple[str, ...]] = {
    "whole /v1 handler": ("api_handler.<locals>.handle_api (proxy/call/pipeline.py)",),
    "auth": ("Authenticator.authenticate (proxy/call/auth.py)",),
    "body read + parse": (
        "read_body (proxy/call/request_body.py)",
        "parse_body (proxy/call/request_body.py)",
    ),
    "kind of call": ("CallKinds.of (proxy/call/call_kinds.py)",),
    "policy (request)": ("PolicyInspector.inspect_request (policies/inspector.py)",),
    "relay build (body, url, headers)": (
        "outgoing_body (proxy/call/outgoing.py)",
        "build_upstream (proxy/call/providers.py)",
    ),
    "upstream client send": ("UpstreamClient.send (proxy/call/upstream.py)",),
    "answer read": ("Relay._read_all (proxy/call/relay.py)",),
    "response handling (json relay)": ("Relay._relay_json (proxy/call/relay.py)",),
    "policy (answer)": ("PolicyOutput.inspect_body (policies/inspector.py)",),
    "recording: event build": ("CallRecord.to_event (proxy/call/record.py)",),
    "recording: sink": ("EventLog.record (proxy/store/eventlog.py)",),
    "metrics": ("_count (proxy/call/accounting.py)",),
    "access line": ("_access_log (proxy/call/accounting.py)",),
    "aiohttp server: request in": ("RequestHandler.data_received (aiohttp/web_protocol.py)",),
    "aiohttp server: response out": ("RequestHandler.finish_response (aiohttp/web_protocol.py)",),
    "aiohttp client: response in": ("ResponseHandler.data_received (aiohttp/client_proto.py)",),
    "event loop (selector, callbacks)": ("BaseEventLoop._run_once (asyncio/base_events.py)",),
    "garbage collector": ("gc_collect_main (gcmodule.c)",),
}


#: Leaf frames where the event loop waits for the kernel to report I/O (py-spy's own idle
#: test does not always tell).
_WAITS = frozenset({"EpollSelector.select (selectors.py)"})


def _native_frame(frame: str) -> bool:
    """A frame of C code (CPython's, an extension's, Cython's, libc's), not a Python
    function (a ``.py`` file, or generated code such as a dataclass's ``<string>``)."""
    where = frame.rpartition(" (")[2].rstrip(")")
    return not (where.endswith(".py") or where.startswith("<"))


def _per_call(collapsed: Path, cpu_per_call_us: float) -> dict[str, collections.Counter[str]]:
    """Microseconds per call of the event-loop thread (the main thread: its stacks start at
    ``<module>``; waits in the selector left out) by leaf frame and by stage, its busy
    samples scaled to ``cpu_per_call_us``."""
    leaf: collections.Counter[str] = collections.Counter()
    stage: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [_short(f) for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        python = [f for f in frames if not _native_frame(f)]
        if not python or not python[0].startswith("<module> ") or frames[-1] in _WAITS:
            continue
        samples = int(count)
        total += samples
        top = frames[-1]
        leaf[top] += samples
        present = set(frames)
        for name, functions in STAGES.items():
            if present.intersection(functions):
                stage[name] += samples
    scale = cpu_per_call_us / max(1, total)
    return {
        kind: collections.Counter({k: n * scale for k, n in counter.items()})
        for kind, counter in (("leaf", leaf), ("stage", stage))
    }


def _loop_cpu_us(pid: int) -> float:
    """CPU time of ``pid``'s main thread (its event loop), microseconds."""
    fields = Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()
    return int(fields[0]) / 1000


def _loop_cpu_per_call(pid: int, url: str, seconds: float, workdir: Path) -> float:
    """The event-loop thread's CPU per call (us) under wrk, c=16, plain, unsampled."""
    before = _loop_cpu_us(pid)
    result = wrk(url, stream=False, connections=16, seconds=seconds, workdir=workdir)
    return (_loop_cpu_us(pid) - before) / max(1.0, result["calls"])


def _sample_under_load(pid: int, url: str, seconds: float, rate: int, out: Path) -> None:
    """Sample ``pid`` with py-spy while wrk drives it (c=16, plain): Python stacks (C
    functions called from Python show as the calling frame) into ``out``.txt.

    Not ``--native``: unwinding the proxy's ~60 threads (chDB's among them) at each sample
    stopped it for so long that its CPU per call read 2.7 ms (0.5 unsampled) and the loop
    thread got a few dozen samples. Not perf either: in this container ``perf record -p``
    records nothing, and ``-C`` on the shared server CPU resolved the floor's samples to
    implausible symbols (no ``_PyEval_EvalFrameDefault``)."""
    workdir = out.parent

    def load() -> None:
        wrk(url, stream=False, connections=16, seconds=seconds * 3 + 5, workdir=workdir)

    driver = threading.Thread(target=load)
    driver.start()
    time.sleep(0.5)
    quiet = subprocess.DEVNULL
    spy = ["taskset", "-c", LOAD_CPU, PY_SPY, "record", "--format", "raw"]
    spy += ["--rate", str(rate), "--duration", str(int(seconds))]
    spy += ["--output", str(out.with_suffix(".txt")), "--pid", str(pid)]
    subprocess.run(spy, stdout=quiet, stderr=quiet, check=True)  # noqa: S603
    driver.join()


def versus_floor(seconds: float, top: int, rate: int, rounds: int) -> None:
    """The native profile of the floor and the proxy, in turns, as microseconds per call of
    their event-loop threads (both on asyncio's loop)."""
    os.sched_setaffinity(0, {int(LOAD_CPU)})
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        up_port, floor_port, proxy_port = free_port(), free_port(), free_port()
        upstream = f"http://127.0.0.1:{up_port}"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "OPENAI_BASE_URL": f"{upstream}/v1",
            "PYTHONPATH": str(ROOT),
            **loop_config(ROOT, "asyncio", workdir),
        }
        serve = ["-c", NAME_THREADS + "from proxy.cli.main import main; main()"]
        serve += ["serve", "--port", str(proxy_port)]
        script = str(ROOT / "bench" / "versus_floor.py")
        with (
            process([PYTHON, script, "--serve-upstream", str(up_port)], LOAD_CPU),
            process(floor_command(upstream, floor_port, "asyncio"), SERVER_CPU) as floor,
            process([PYTHON, *serve], SERVER_CPU, cwd=tmp, env=env) as proxy,
        ):
            servers = {
                "floor": (floor.pid, f"http://127.0.0.1:{floor_port}"),
                "proxy": (proxy.pid, f"http://127.0.0.1:{proxy_port}"),
            }
            asyncio.run(wait_ready(f"{upstream}/v1/models"))
            asyncio.run(wait_ready(f"{servers['floor'][1]}/v1/models"))
            asyncio.run(wait_ready(f"{servers['proxy'][1]}/healthz", within=300))
            figures: dict[str, dict[str, collections.Counter[str]]] = {}
            cpu: dict[str, list[float]] = {name: [] for name in servers}
            samples = Path(tempfile.mkdtemp(prefix="native_profile_"))
            for turn in range(rounds):
                order = list(servers.items())
                for name, (pid, url) in order if turn % 2 == 0 else order[::-1]:
                    if turn == 0:
                        wrk(url, stream=False, connections=4, seconds=1, workdir=workdir)
                    cpu[name].append(_loop_cpu_per_call(pid, url, seconds, workdir))
                    out = samples / f"{name}-{turn}-{pid}"
                    _sample_under_load(pid, url, seconds, rate, out)
                    found = _per_call(out.with_suffix(".txt"), cpu[name][-1])
                    into = figures.setdefault(name, {})
                    for kind, counter in found.items():
                        into.setdefault(kind, collections.Counter()).update(
                            {k: v / rounds for k, v in counter.items()}
                        )
    print(_native_report(figures, cpu, top))
    print(f"\n(py-spy's collapsed stacks: {samples})")


def _native_report(
    figures: dict[str, dict[str, collections.Counter[str]]],
    cpu: dict[str, list[float]],
    top: int,
) -> str:
    floor, proxy = figures["floor"], figures["proxy"]
    rounds = ", ".join(
        f"{p:.0f} / {f:.0f}" for p, f in zip(cpu["proxy"], cpu["floor"], strict=True)
    )
    lines = [f"Event-loop thread CPU per plain call, c=16, proxy / floor (us, by round): {rounds}"]
    titles = {
        "leaf": "Python function's own time (its bytecode and the C functions it calls)",
    }
    for kind, title in titles.items():
        lines.append(f"\nus per call by {title}: proxy, floor, proxy - floor")
        gap = collections.Counter({k: v - floor[kind].get(k, 0.0) for k, v in proxy[kind].items()})
        for name, extra in gap.most_common(top):
            lines.append(
                f"  {proxy[kind][name]:6.1f} {floor[kind].get(name, 0.0):6.1f} {extra:6.1f}  {name}"
            )
    lines.append("\nus per call by stage (inclusive): proxy, floor")
    for name in STAGES:
        lines.append(
            f"  {proxy['stage'].get(name, 0.0):6.1f} {floor['stage'].get(name, 0.0):6.1f}  {name}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--subprocesses", action="store_true")
    parser.add_argument("--native", action="store_true", help="floor and proxy, native frames")
    parser.add_argument("--rate", type=int, default=500, help="--native: samples a second")
    parser.add_argument("--rounds", type=int, default=2, help="--native: turns of each server")
    arguments = parser.parse_args()
    if arguments.native:
        versus_floor(arguments.seconds, arguments.top, arguments.rate, arguments.rounds)
    else:
        main(arguments.seconds, arguments.top, arguments.subprocesses)
