"""The phone recognizer alone, another checkout's against this one, on the cost texts.

    .venv/bin/python bench/phone_matcher_ab.py --before /tmp/start/detectors/phones.py
        [--texts 400] [--rounds 7] [--prose faker independent]

Times ``RegionPhoneRecognizer.analyze`` of both files (the default regions) over
``bench/detect_cost.py``'s fresh texts, the two in turn round after round so that a noisy
machine slows both alike, and prints the least CPU microseconds per text of each and their
ratio. Exits non-zero if a text's findings differ.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from detect_cost import SEED, TEXT_SOURCES
from phone_negatives import _load_phones

import detectors.phones as current
from detectors.settings import PiiSettings


def _findings(recognizer: object, texts: list[str]) -> list[list[tuple[int, int, float]]]:
    analyze = recognizer.analyze  # type: ignore[attr-defined]
    return [[(r.start, r.end, r.score) for r in analyze(t, ["PHONE_NUMBER"])] for t in texts]


def main() -> None:
    """Time both recognizers and compare their findings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--texts", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--prose", nargs="+", default=list(TEXT_SOURCES))
    args = parser.parse_args()
    regions = list(PiiSettings().phone_regions)
    before = _load_phones(args.before, "phones_before").RegionPhoneRecognizer(
        supported_regions=regions
    )
    after = current.RegionPhoneRecognizer(supported_regions=regions)
    same = True
    for prose in args.prose:
        texts = TEXT_SOURCES[prose](args.texts, SEED + 2)
        same &= _findings(before, texts) == _findings(after, texts)
        least = {"before": float("inf"), "after": float("inf")}
        for _ in range(args.rounds):
            for name, recognizer in (("before", before), ("after", after)):
                started = time.process_time()
                for text in texts:
                    recognizer.analyze(text, ["PHONE_NUMBER"])
                spent = (time.process_time() - started) / len(texts) * 1e6
                least[name] = min(least[name], spent)
        print(
            f"{prose:12} before {least['before']:7.0f} us/text  after {least['after']:7.0f}"
            f" us/text  after/before {least['after'] / least['before']:.3f}"
        )
    print("findings identical" if same else "FINDINGS DIFFER")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
