"""The secrets detector's trigger check: once per text (``detectors.secret_triggers``)
against each rule's triggers tried separately (the code before), in one run.

    .venv/bin/python bench/secrets_triggers.py [--files 3000] [--rounds 5]

* **identical findings**: ``SecretsDetector.find`` with both checks on the labelled set, the
  independent set's ``tuning`` and ``tuning2`` parts, the presidio-evaluator templates and
  ``--files`` Python files of site-packages (never the held-out part);
* **cost**: ``find`` per text on ~1 KB prose (tuning texts joined) and on Python source
  (site-packages files of 4 KB or more, cut to 4 KB), best of ``--rounds`` rounds, the two
  alternating round by round so that load from other processes hits both alike; the ratio.
"""

from __future__ import annotations

import argparse
import sys
import sysconfig
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script from anywhere

from eval_dataset import generate, generate_credentials, generate_hard_cases
from evalset.parts import PARTS, generate_part

from core.scanning import Finding
from detectors.secrets import SecretsDetector

Find = Callable[[str], list[Finding]]


def per_rule_find(detector: SecretsDetector) -> Find:
    """``find`` as it was: each rule's triggers looked for separately."""
    triggers = detector._triggers  # a benchmark of the internals

    class PerRule:
        def rules_for(self, lowered: str) -> list[object]:
            return [r for r in detector.rules if any(t in lowered for t in r.triggers)]

    def find(text: str) -> list[Finding]:
        detector._triggers = PerRule()  # type: ignore[assignment]
        try:
            return detector.find(text)
        finally:
            detector._triggers = triggers

    return find


def python_files(limit: int) -> list[str]:
    """About ``limit`` Python files spread evenly over site-packages."""
    paths = sorted(Path(sysconfig.get_paths()["purelib"]).rglob("*.py"))
    texts: list[str] = []
    for path in paths[:: max(1, len(paths) // limit)]:
        if len(texts) >= limit:
            break
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError):
            continue
    return texts


def prose_1kb(texts: Sequence[str]) -> list[str]:
    out, current = [], ""
    for text in texts:
        current += text + "\n"
        if len(current) >= 1024:
            out.append(current[:1024])
            current = ""
    return out


def best(find: Find, texts: Sequence[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        find(text)
    return (time.perf_counter() - started) / len(texts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    detector = SecretsDetector()
    old, new = per_rule_find(detector), detector.find
    tuning = [s.text for s in generate_part(PARTS["tuning"], 1000)]
    sets = {
        "labelled": [
            s.text for s in (*generate(), *generate_credentials(), *generate_hard_cases())
        ],
        "tuning": tuning,
        "tuning2": [s.text for s in generate_part(PARTS["tuning2"], 1000)],
        "presidio": [s.text for s in generate_part(PARTS["presidio"], 600)],
        "site-packages": python_files(args.files),
    }
    identical = True
    for name, texts in sets.items():
        differ = sum(old(text) != new(text) for text in texts)
        found = sum(len(new(text)) for text in texts)
        print(f"{name:14} {len(texts):5} texts, {found:5} findings, {differ} differ")
        identical = identical and differ == 0
    workloads = {
        "prose 1 KB": prose_1kb(tuning),
        "python 4 KB": [text[:4096] for text in sets["site-packages"] if len(text) >= 4096][:600],
    }
    for name, texts in workloads.items():
        before, after = [], []
        for _ in range(args.rounds):
            before.append(best(old, texts))
            after.append(best(new, texts))
        b, a = min(before), min(after)
        print(
            f"{name:12} {len(texts)} texts: per-rule {b * 1e3:.3f} ms, once {a * 1e3:.3f} ms,"
            f" ratio {a / b:.2f}"
        )
    print("findings identical" if identical else "FINDINGS DIFFER")
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
