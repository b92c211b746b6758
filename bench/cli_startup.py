"""What an ``llm-proxy <command>`` costs to start: this tree beside the CLI at ``--before``.

    .venv/bin/python bench/cli_startup.py [--before REF] [--path PATH ...] [--rounds 5]

Incident responders run the CLI one command at a time, and tests run it as a process; each
call pays the imports of the modules it loads. This measures, per command, the wall time
and the CPU time (user + system of the child process) of a fresh interpreter running it:

* **after**: the working tree as it is;
* **before**: a copy of the working tree's packages in which each ``--path`` (default: the
  command line ``proxy/cli``, the admin package ``proxy/admin`` and the store package's
  ``proxy/store/__init__.py``) is as it was at git ``REF`` (default ``HEAD~1``), so the two
  differ only in those modules;
* **floor**: ``python -c pass`` (the interpreter and site start-up every command pays).

The commands run in a scratch directory holding an empty, migrated embedded event log, so
``logs search`` and ``logs verify`` read a real store (no proxy is running: they open it
themselves), and an admin token, so ``logs search --proxy-url`` goes as far as asking a
proxy (a closed local port: the connection is refused) with every import that path makes.
Before and after alternate command by command and round by round, so load from other
processes hits both alike; the table shows the median of the rounds and the ratio
after/before. Timings are noisy on a shared machine: compare figures of one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "wire", "detectors", "policies", "proxy", "dashboards")
#: What differs between the two trees unless ``--path`` says otherwise.
PATHS = ("proxy/cli", "proxy/admin", "proxy/store/__init__.py")
#: A local port nothing listens on (discard): the admin API's connection is refused.
REFUSED_URL = "http://127.0.0.1:9"

#: (label, arguments of ``python``); ``-m proxy.cli.main`` is what the console script runs.
COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("import proxy.cli.main", ("-c", "import proxy.cli.main")),
    ("llm-proxy --help", ("-m", "proxy.cli.main", "--help")),
    ("llm-proxy logs search --help", ("-m", "proxy.cli.main", "logs", "search", "--help")),
    ("llm-proxy keys list", ("-m", "proxy.cli.main", "keys", "list")),
    ("llm-proxy logs search", ("-m", "proxy.cli.main", "logs", "search")),
    ("llm-proxy logs verify", ("-m", "proxy.cli.main", "logs", "verify")),
    (
        "logs search --proxy-url",
        ("-m", "proxy.cli.main", "logs", "search", "--proxy-url", REFUSED_URL),
    ),
)


def before_tree(ref: str, paths: tuple[str, ...], into: Path) -> Path:
    """The working tree's packages with each of ``paths`` (a file or a folder) as at ``ref``."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, into / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    for path in paths:
        target = into / path
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
        for name in _git("ls-tree", "-r", "--name-only", ref, "--", path).decode().split():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            (into / name).write_bytes(_git("show", f"{ref}:{name}"))
    return into


def _git(*args: str) -> bytes:
    command = ["git", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, check=True).stdout  # noqa: S603


def scratch_store(directory: Path) -> None:
    """An empty, migrated embedded event log and an admin token under ``directory/data``
    (default settings)."""
    code = (
        "from proxy.config.settings import load_settings\n"
        "from proxy.store import open_client\n"
        "from proxy.store.schema import migrate\n"
        "settings = load_settings(None, environ={})\n"
        "client = open_client(settings.store)\n"
        "migrate(client, settings.store)\n"
        "client.close()\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=directory, check=True)  # noqa: S603
    (directory / "data" / "admin.token").write_text("bench-token\n", encoding="utf-8")


def run_once(args: tuple[str, ...], cwd: Path, pythonpath: str | None) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh interpreter running ``args``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLM_PROXY")}
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    else:
        env.pop("PYTHONPATH", None)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="HEAD~1", metavar="REF", help="git ref of --path")
    parser.add_argument(
        "--path",
        action="append",
        metavar="PATH",
        help=f"a file or folder taken from REF (repeat; default: {', '.join(PATHS)})",
    )
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cli-startup-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        paths = tuple(options.path or PATHS)
        before = str(before_tree(options.before, paths, Path(tmp) / "before"))
        scratch_store(work)
        # ``-c`` puts the working directory first on sys.path: run where no package is.
        trees = {"before": before, "after": None}
        samples: dict[tuple[str, str], list[tuple[float, float]]] = {}
        floor: list[tuple[float, float]] = []
        for _, args in COMMANDS:  # a first, uncounted run writes each tree's bytecode
            for pythonpath in trees.values():
                run_once(args, work, pythonpath)
        for round_ in range(options.rounds):
            floor.append(run_once(("-c", "pass"), work, None))
            for label, args in COMMANDS:
                order = ("before", "after") if round_ % 2 == 0 else ("after", "before")
                for name in order:
                    result = run_once(args, work, trees[name])
                    samples.setdefault((label, name), []).append(result)

    def median(values: list[tuple[float, float]], index: int) -> float:
        return statistics.median(value[index] for value in values) * 1000

    print(
        f"median of {options.rounds} rounds, ms; floor (python -c pass): "
        f"wall {median(floor, 0):.0f}, CPU {median(floor, 1):.0f}"
    )
    print(
        f"{'command':<30} {'wall before':>11} {'after':>7} {'ratio':>6}"
        f" {'CPU before':>11} {'after':>7} {'ratio':>6}"
    )
    for label, _ in COMMANDS:
        b, a = samples[(label, "before")], samples[(label, "after")]
        print(
            f"{label:<30} {median(b, 0):>11.0f} {median(a, 0):>7.0f}"
            f" {median(a, 0) / median(b, 0):>6.2f}"
            f" {median(b, 1):>11.0f} {median(a, 1):>7.0f} {median(a, 1) / median(b, 1):>6.2f}"
        )


if __name__ == "__main__":
    main()
