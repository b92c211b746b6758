"""Does the NER gate change what we report? Gated and whole-text scans side by side.

    .venv/bin/python bench/ner_gate_check.py [--sets labelled,tuning,tuning2,presidio,bench]

Runs the PII detector twice on every text of the evaluation sets (and the fresh 1 KB texts
of ``bench/detect_cost.py``): once with :mod:`detectors.ner_gate` (the default) and once
with the model on whole texts. Prints per set the share of tokens the model read, and the
PERSON/LOCATION/NRP findings lost or gained by the gate (types and counts only: the texts
are synthetic, but the habit of printing no values is kept).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detect_cost import fresh_texts
from eval_dataset import generate, generate_credentials, generate_hard_cases
from evalset.parts import PARTS, generate_part

from core.scanning import Finding
from detectors.nlp_engine import load_spacy_model
from detectors.pii import PresidioDetector
from detectors.settings import PiiSettings

NER_TYPES = frozenset({"PERSON", "LOCATION", "NRP"})


def texts_of(name: str) -> list[str]:
    """The texts of one set."""
    if name == "labelled":
        return [s.text for s in (*generate(), *generate_credentials(), *generate_hard_cases())]
    if name == "bench":
        return fresh_texts(200)
    size = 600 if name == "presidio" else 1000
    return [s.text for s in generate_part(PARTS[name], size)]


def ner_findings(findings: Sequence[Finding]) -> set[tuple[str, int, int]]:
    return {(f.entity_type, f.start, f.end) for f in findings if f.entity_type in NER_TYPES}


def compare(name: str, texts: list[str], gated: PresidioDetector, whole: PresidioDetector) -> int:
    """Print one set's figures; the number of findings that differ."""
    tokens_before = whole.ner_tokens
    started = time.process_time()
    expected = whole.scan(texts)
    whole_cpu = time.process_time() - started
    gated_tokens_before = gated.ner_tokens
    started = time.process_time()
    got = gated.scan(texts)
    gated_cpu = time.process_time() - started
    lost: Counter[str] = Counter()
    gained: Counter[str] = Counter()
    texts_differing = 0
    for a, b in zip(expected, got, strict=True):
        want, have = ner_findings(a), ner_findings(b)
        lost.update(t for t, _, _ in want - have)
        gained.update(t for t, _, _ in have - want)
        texts_differing += want != have
    read = (gated.ner_tokens - gated_tokens_before) / max(1, whole.ner_tokens - tokens_before)
    print(
        f"{name:<10} {len(texts):5} texts  model read {read:5.1%} of the tokens  "
        f"cpu whole {whole_cpu / len(texts) * 1000:5.2f} gated {gated_cpu / len(texts) * 1000:5.2f}"
        f" ms/text  lost {dict(lost)} gained {dict(gained)} ({texts_differing} texts differ)"
    )
    return sum(lost.values()) + sum(gained.values())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sets", default="labelled,tuning,tuning2,presidio,bench")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    settings = PiiSettings()
    nlp = load_spacy_model(settings.spacy_model)
    gated = PresidioDetector(settings, nlp=nlp)
    whole = PresidioDetector(settings, nlp=nlp, ner_gate=False)
    differ = sum(compare(name, texts_of(name), gated, whole) for name in args.sets.split(","))
    print("gate changes nothing" if not differ else f"gate changes {differ} findings")
    return 0 if not differ else 1


if __name__ == "__main__":
    raise SystemExit(main())
