"""What a new user's first calls cost: ``llm-proxy serve`` from start to ready, then each kind
of call the first time and the second time.

    .venv/bin/python bench/first_calls.py [--rounds 3] [--base-tree DIR] [--proxy-tree DIR]

A user runs ``llm-proxy serve`` with no configuration, waits for ``/readyz``, points the
official ``openai`` SDK at it and makes a call; that call is what they judge the proxy by.
For each tree (``--proxy-tree``, default this one; ``--base-tree`` a second one, say an
older commit unpacked with ``git archive``, measured in the same run) a fresh zero-config
proxy is started in an empty directory, against a fake OpenAI upstream (tests/fakes, in a
process of its own, echoing the prompt back so every answer is new text to scan), and this
script measures:

* **ready**: seconds from starting the process until ``/readyz`` answers 200, and the CPU
  the proxy's process tree (detection workers included) spent until then;
* then, in this order, each call with a prompt never sent before (no scan cache hit):
  **plain** (not streamed, lower-case text: no name for NER to look at), **stream**
  (streamed, lower-case; the time to the last event), **ner** (not streamed, a prompt with
  names and places: the spaCy model runs), then the three again. Each row shows the first,
  the second and first ÷ second.

The trees take turns, in the opposite order every other round, so that load from other
processes falls on both; medians of the rounds are printed. Timings are noisy on a shared
machine: compare figures of one run, and quote the load average printed with them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
#: Runs ``llm-proxy serve`` from whichever tree is first on PYTHONPATH.
SERVE = "from proxy.cli.main import main; main()"
#: The calls, in the order they are made (each kind twice: first, then second).
KINDS = ("plain", "stream", "ner")
#: Per kind, the first call's prompt and the second's: different words (a word spaCy has
#: not seen before costs more than one it has), none with a capital letter but the NER
#: kind's (the model is skipped for a text without one). ``{n}`` makes each round's new.
PROMPTS = {
    "plain": (
        "please summarise the notes on the migration timeline, take {n}",
        "could you shorten this paragraph about quarterly planning, take {n}",
    ),
    "stream": (
        "please list the open risks around vendor lock-in, take {n}",
        "write three questions for the architecture review board, take {n}",
    ),
    "ner": (
        "Please write to Maria Schmidt in Hamburg and to John Carter in Leeds, take {n}.",
        "Ask Peter Novak whether the Vienna office moved to Graz before Ana Souza left, take {n}.",
    ),
}
#: How long the proxy may take to become ready on a loaded machine.
READY_WITHIN = 600.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_upstream(port: int) -> None:
    """The fake OpenAI upstream, echoing each prompt back (every answer is new text)."""
    sys.path.insert(0, str(ROOT))
    from aiohttp import web  # noqa: PLC0415 - only the upstream's process needs it

    from tests.fakes import Behaviour, FakeUpstream  # noqa: PLC0415

    app = FakeUpstream(Behaviour(echo_prompt=True)).make_app()
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and every live process below it (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(stat[1]), []).append(int(entry.name))
    pending = [pid]
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError):
            stat = (Path("/proc") / str(current) / "stat").read_text().rsplit(")", 1)[1].split()
            total += (int(stat[11]) + int(stat[12])) / ticks
        pending += children.get(current, [])
    return total


def answers(url: str) -> int | None:
    """The status ``url`` answers with, or None while nothing listens."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return None


@contextlib.contextmanager
def proxy(tree: Path, upstream: str, home: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A zero-config ``llm-proxy serve`` from ``tree``, run in the empty directory ``home``."""
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "OPENAI_BASE_URL": f"{upstream}/v1",
        "PYTHONPATH": str(tree),
    }
    command = [PYTHON, "-c", SERVE, "serve", "--port", str(port)]
    child = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        command,
        cwd=home,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield child
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def call(client: object, kind: str, turn: int, n: int) -> float:
    """Seconds the ``turn``-th (0, 1) call of ``kind`` takes through the SDK, to its last
    byte; ``n`` makes its prompt new."""
    prompt = PROMPTS[kind][turn].format(n=n)
    messages = [{"role": "user", "content": prompt}]
    started = time.perf_counter()
    if kind == "stream":
        stream = client.chat.completions.create(  # type: ignore[attr-defined]
            model="gpt-4o-mini", messages=messages, stream=True
        )
        text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    else:
        reply = client.chat.completions.create(  # type: ignore[attr-defined]
            model="gpt-4o-mini", messages=messages
        )
        text = reply.choices[0].message.content or ""
    took = time.perf_counter() - started
    if not text:
        raise SystemExit(f"{kind} call {n}: empty answer")
    return took


def warm_client(upstream: str) -> None:
    """Each kind of call once straight to the upstream: the SDK's and the fake's own first
    calls (the SDK builds its response models lazily) are not the proxy's."""
    import openai  # noqa: PLC0415

    with openai.OpenAI(base_url=f"{upstream}/v1", api_key="sk-bench", max_retries=0) as client:
        for kind in KINDS:
            call(client, kind, 0, -1)


def measure(tree: Path, upstream: str, home: Path, round_: int) -> dict[str, float]:
    """Start a proxy from ``tree``, time it to ready, then the calls; seconds by name."""
    import openai  # noqa: PLC0415 - imported by main before any timing

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    row: dict[str, float] = {}
    started = time.perf_counter()
    with proxy(tree, upstream, home, port) as child:
        while answers(f"{base}/readyz") != 200:
            if child.poll() is not None:
                raise SystemExit(f"{tree}: the proxy exited with {child.returncode}")
            if time.perf_counter() - started > READY_WITHIN:
                raise SystemExit(f"{tree}: not ready within {READY_WITHIN:.0f} s")
            time.sleep(0.02)
        row["ready"] = time.perf_counter() - started
        row["ready_cpu"] = cpu_seconds(child.pid)
        client = openai.OpenAI(base_url=f"{base}/v1", api_key="sk-bench-first-calls", max_retries=0)
        for turn, name in enumerate(("first", "second")):
            for kind in KINDS:
                row[f"{kind}_{name}"] = call(client, kind, turn, round_)
        row["calls_cpu"] = cpu_seconds(child.pid) - row["ready_cpu"]
        client.close()
    return row


def report(rows: dict[str, list[dict[str, float]]]) -> None:
    def median(name: str, key: str) -> float:
        return statistics.median(row[key] for row in rows[name])

    names = list(rows)
    print(f"median of {len(rows[names[0]])} rounds; load average {os.getloadavg()[0]:.1f}")
    print(f"{'':<24}" + "".join(f"{name:>12}" for name in names))
    for key, label, scale in (
        ("ready", "start -> ready (s)", 1),
        ("ready_cpu", "CPU until ready (s)", 1),
        ("calls_cpu", "CPU of the 6 calls (s)", 1),
    ):
        print(f"{label:<24}" + "".join(f"{median(n, key) * scale:>12.2f}" for n in names))
    print(f"{'call (ms)':<24}" + "".join(f"{'1st/2nd/ratio':>24}" for _ in names))
    for kind in KINDS:
        cells = ""
        for name in names:
            first, second = median(name, f"{kind}_first"), median(name, f"{kind}_second")
            ratios = [r[f"{kind}_first"] / r[f"{kind}_second"] for r in rows[name]]
            cells += f"{first * 1000:>10.0f}{second * 1000:>7.0f}{statistics.median(ratios):>7.1f}x"
        print(f"{kind:<24}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--proxy-tree", type=Path, default=ROOT)
    parser.add_argument("--base-tree", type=Path, help="a second tree measured in turn")
    parser.add_argument("--serve-upstream", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve_upstream is not None:
        serve_upstream(options.serve_upstream)
        return
    import openai  # noqa: F401, PLC0415 - its import (~1 s) is not the proxy's time

    trees = {"proxy": options.proxy_tree.resolve()}
    if options.base_tree is not None:
        trees["base"] = options.base_tree.resolve()
    up_port = free_port()
    upstream = f"http://127.0.0.1:{up_port}"
    command = [PYTHON, __file__, "--serve-upstream", str(up_port)]
    rows: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    with (
        tempfile.TemporaryDirectory(prefix="first-calls-") as tmp,
        subprocess.Popen(command, stdin=subprocess.DEVNULL) as fake,  # noqa: S603
    ):
        try:
            while answers(f"{upstream}/v1/models") is None:
                time.sleep(0.1)
            warm_client(upstream)
            for round_ in range(options.rounds):
                order = list(trees) if round_ % 2 == 0 else list(trees)[::-1]
                for name in order:
                    home = Path(tmp) / f"{name}-{round_}"
                    rows[name].append(measure(trees[name], upstream, home, round_))
                    print(
                        name,
                        round_,
                        {k: round(v, 3) for k, v in rows[name][-1].items()},
                        flush=True,
                    )
        finally:
            fake.terminate()
    report(rows)


if __name__ == "__main__":
    main()
