"""Where the proxy's CPU goes under load: py-spy samples ``llm-proxy serve`` (zero config,
default policy, event log, metrics and access log on) while wrk drives it, for plain and
streamed calls, and prints the functions with the most samples (self and inclusive).

The same setup as bench/versus_floor.py (the proxy pinned to CPU 0, the fake upstream and
wrk to CPU 1, the same 1 KB prompt every call, so detection is a cache hit).
py-spy is not a dependency: ``.venv/bin/pip install py-spy``.

Usage: .venv/bin/python bench/profile_hot_path.py [--seconds 8] [--top 25] [--subprocesses]
``--subprocesses`` also samples the detection worker processes.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from versus_floor import (
    LOAD_CPU,
    PYTHON,
    ROOT,
    SERVER_CPU,
    free_port,
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--subprocesses", action="store_true")
    arguments = parser.parse_args()
    main(arguments.seconds, arguments.top, arguments.subprocesses)
