"""How much PERSON detection leans on the name lexicon: an ablation (a benchmark, not a test).

    .venv/bin/python bench/unknown_names.py [--size 1000] [--seed h50] [--errors 0]

The lexicon's first names and surnames (``detectors/data/first_names.txt``,
``surnames.txt``, from Faker) are split in two halves by a seeded hash of each word. The
detectors are loaded twice in this process: with the shipped lexicon, and with the second
half removed from both name lists (only here: the product code is not touched). Both score
PERSON on the open parts of the independent set (``tuning``, ``tuning2``), and the labels
are split by the words they are made of:

* ``unknown``: every word of the name (titles and particles aside) is in the removed half,
  so the ablated detectors know none of it, as with a name drawn from outside Faker;
* ``known``: every word is in the kept half;
* ``mixed``: the rest (one word known, or a word on neither list).

The recall gap between ``unknown`` and ``known`` under the ablation is the dependence on
the lexicon that the held-out part (names from another source) shows. Precision and F1 are
printed for the whole part, and the hard-negative rate, so a fix that simply tags every
capitalised word shows up.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script from anywhere

from eval_dataset import Sample
from evalset.compare import Ours
from evalset.parts import PARTS, generate_part
from evalset.scoring import Hit, score

import detectors.ner_filter
import detectors.ner_lexicon
import detectors.pii
from detectors.ner_lexicon import Lexicon, normalise, shipped_lexicon
from detectors.settings import DetectorSettings

OPEN_PARTS = ("tuning", "tuning2")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and particles: no part of a name's class.
_IGNORED = _words(
    "mr mrs ms miss mx dr prof sir dame herr frau mme mlle m sr sra srta dott sig ing "
    "de du des da das do dos di del della van von der den ter ten la le les y e bin ibn al "
    "el zu"
)


def removed_half(words: frozenset[str], seed: str) -> frozenset[str]:
    """The words whose seeded hash is odd: about half of ``words``, the same on every run."""
    return frozenset(
        w for w in words if hashlib.blake2b(f"{seed}:{w}".encode(), digest_size=2).digest()[1] & 1
    )


def ablated(lexicon: Lexicon, removed: frozenset[str]) -> Lexicon:
    """``lexicon`` without the ``removed`` first names and surnames."""
    return dataclasses.replace(
        lexicon,
        first_names=lexicon.first_names - removed,
        surnames=lexicon.surnames - removed,
    )


def name_class(value: str, kept: frozenset[str], removed: frozenset[str]) -> str:
    """``unknown``, ``known`` or ``mixed`` for a labelled name (module docstring)."""
    parts = [
        p
        for w in _WORD.findall(value)
        if normalise(w) not in _IGNORED
        for p in normalise(w).split("-")
        if p
    ]
    if parts and all(p in removed for p in parts):
        return "unknown"
    if parts and all(p in kept for p in parts):
        return "known"
    return "mixed"


def _covered(start: int, end: int, hits: Sequence[Hit]) -> bool:
    chars = sum(1 for i in range(start, end) if any(h.start <= i < h.end for h in hits))
    return 2 * chars >= end - start


def by_class(
    samples: Sequence[Sample],
    results: Sequence[Sequence[Hit]],
    classify: Callable[[str], str],
) -> tuple[Counter[str], Counter[str], list[str]]:
    """PERSON labels and those found, per name class; the unknown names missed."""
    gold: Counter[str] = Counter()
    found: Counter[str] = Counter()
    missed: list[str] = []
    for sample, hits in zip(samples, results, strict=True):
        people = [h for h in hits if h.entity_type == "PERSON"]
        for span in sample.spans:
            if span.entity_type != "PERSON":
                continue
            kind = classify(sample.text[span.start : span.end])
            gold[kind] += 1
            if _covered(span.start, span.end, people):
                found[kind] += 1
            elif kind == "unknown":
                line_start = sample.text.rfind("\n", 0, span.start) + 1
                line_end = sample.text.find("\n", span.end)
                line = sample.text[line_start : line_end if line_end >= 0 else None]
                missed.append(f"{sample.group:<28}{line.strip()[:110]!r}")
    return gold, found, missed


def _load(lexicon: Lexicon | None) -> Ours:
    """Our detectors, built while ``shipped_lexicon`` returns ``lexicon`` (None: shipped)."""
    if lexicon is None:
        return Ours(DetectorSettings())
    modules = (detectors.ner_lexicon, detectors.ner_filter, detectors.pii)
    with contextlib.ExitStack() as patched:
        for module in modules:  # the name where each module looks it up
            patched.enter_context(
                mock.patch.object(module, "shipped_lexicon", return_value=lexicon)
            )
        return Ours(DetectorSettings())


def main(argv: Sequence[str] | None = None) -> int:
    """Print recall per name class, PERSON precision/F1 and hard negatives, both ways."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="texts per part")
    parser.add_argument("--seed", default="h50", help="seed of the hash that splits the names")
    parser.add_argument("--errors", type=int, default=0, help="print N missed unknown names")
    args = parser.parse_args(argv)

    shipped = shipped_lexicon()
    names = shipped.first_names | shipped.surnames
    removed = removed_half(names, args.seed)
    kept = names - removed
    print(
        f"name lexicon: {len(names)} words; removed half (seed {args.seed!r}): {len(removed)}, "
        f"kept: {len(kept)}"
    )
    runs = {"shipped lexicon": _load(None), "ablated lexicon": _load(ablated(shipped, removed))}
    for ours in runs.values():
        ours.scan(["warm-up"])
    for part in OPEN_PARTS:
        samples = generate_part(PARTS[part], args.size)
        print(f"\n== {part}: {len(samples)} texts")
        print(
            f"{'':<17}{'unknown':>16}{'known':>16}{'mixed':>16}{'P':>7}{'R':>7}{'F1':>7}{'neg':>7}"
        )
        for title, ours in runs.items():
            hits = [
                [h for h in found if h.score >= 0.4]
                for found in ours.scan([s.text for s in samples])
            ]
            counts = score(samples, hits, secret=())
            gold, found, missed = by_class(samples, hits, lambda v: name_class(v, kept, removed))
            cells = "".join(
                f"{found[k] / gold[k] if gold[k] else float('nan'):>9.3f} ({gold[k]:>4})"
                for k in ("unknown", "known", "mixed")
            )
            print(
                f"{title:<17}{cells}{counts.precision('PERSON'):>7.3f}"
                f"{counts.recall('PERSON'):>7.3f}{counts.f1('PERSON'):>7.3f}"
                f"{counts.negative_rate():>7.3f}"
            )
            if args.errors and title.startswith("ablated"):
                for line in missed[: args.errors]:
                    print(f"   missed  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
