"""``SecretsDetector.find`` now against the code of an earlier revision, in one process.

    .venv/bin/python bench/secrets_versus_rev.py REV [--rounds 5]

``detectors/`` and ``core/`` of ``REV`` are exported with ``git archive`` to a temporary
directory and imported first; their modules are then dropped from ``sys.modules`` and the
working tree's are imported, so both detectors live side by side. On ~1 KB prose (the
``tuning`` part's texts joined) and on 4 KB of Python source (site-packages files of 4 KB or
more, cut), each text set is run through both, alternating round by round, and the best
CPU time per text of each is printed with the ratio now/REV (issue 14: at most 1.10).
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Find = Callable[[str], object]


def _load_revision(rev: str, into: Path) -> Find:
    """The ``find`` of a SecretsDetector built from ``rev``'s ``detectors`` and ``core``."""
    command = ["git", "archive", rev, "detectors", "core"]  # git on the PATH
    archive = subprocess.run(command, cwd=ROOT, capture_output=True, check=True).stdout  # noqa: S603
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    sys.path.insert(0, str(into))
    from detectors.secrets import SecretsDetector  # noqa: PLC0415 - imported from REV

    detector = SecretsDetector()
    sys.path.remove(str(into))
    for name in [m for m in sys.modules if m.split(".")[0] in ("detectors", "core")]:
        del sys.modules[name]
    return detector.find


def _texts() -> tuple[list[str], list[str]]:
    sys.path.insert(0, str(ROOT / "bench"))
    from evalset.parts import PARTS, generate_part  # noqa: PLC0415 - bench/ on the path now

    prose: list[str] = []
    current = ""
    for sample in generate_part(PARTS["tuning"], 1500):
        current += sample.text + "\n"
        if len(current) >= 1024:
            prose.append(current[:1024])
            current = ""
    python: list[str] = []
    for path in sorted(Path(sysconfig.get_paths()["purelib"]).rglob("*.py")):
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if len(source) >= 4096:
            python.append(source[:4096])
        if len(python) >= 400:
            break
    return prose, python


def _per_text(find: Find, texts: Sequence[str]) -> float:
    start = time.process_time()
    for text in texts:
        find(text)
    return (time.process_time() - start) / len(texts)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the per-text CPU time of both and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the revision to compare with (a commit, a tag, HEAD~3)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        before = _load_revision(args.rev, Path(tmp))
        sys.path.insert(0, str(ROOT))
        from detectors.secrets import SecretsDetector  # noqa: PLC0415 - the working tree's

        now = SecretsDetector().find
        prose, python = _texts()
        for name, texts in (("~1 KB prose", prose), ("4 KB Python", python)):
            times: dict[str, list[float]] = {"rev": [], "now": []}
            for _ in range(args.rounds):
                times["rev"].append(_per_text(before, texts))
                times["now"].append(_per_text(now, texts))
            rev, cur = min(times["rev"]), min(times["now"])
            print(
                f"{name:<12} {len(texts):>4} texts: {args.rev} {rev * 1e3:.3f} ms, "
                f"now {cur * 1e3:.3f} ms, ratio {cur / rev:.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
