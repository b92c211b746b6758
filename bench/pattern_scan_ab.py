"""The PII detector's scans without NER, this tree against another, in one process.

    .venv/bin/python bench/pattern_scan_ab.py --base /tmp/base_tree [--texts 200]
        [--rounds 2] [--check] [--size 1000]

``--base`` is a checkout of the code to compare with (``git archive REV | tar -x -C DIR``).
Both trees' ``detectors`` and ``core`` packages are imported side by side (the modules of
one are set aside while the other's are imported) and share one spaCy model, so the two
detectors run in the same process on the same texts, alternating text by text, and load
from other processes on the machine hits both alike.

* **cost**: CPU time (``time.process_time``) per text of the scans a call gets when no
  rule in scope needs an NER entity - ``scan_without_ner`` (every pattern type) and the
  default policy's answer scope (``scan_scoped``: cards, IBANs, national ids) - on fresh
  ~1 KB texts (``bench/detect_cost.py``'s Faker prose) and on 256-character stream
  windows cut from them; and ``scan`` (with NER) on the 1 KB texts. Printed as the ratio
  this tree / base, per round.
* **--check**: the findings of both trees, text by text, on the labelled set, the
  independent set's open parts (never ``heldout``), the presidio-evaluator templates and
  ``bench/real_text_noise.py``'s windows, for the full scan, the scan without NER and the
  answer scope; prints the number of texts whose findings differ (the goal: 0).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "bench"))

from detect_cost import fresh_texts  # noqa: E402 - after the path set-up

#: The default policy's answer rule (redact-secrets-in-answers) in PII types.
ANSWER_TYPES = frozenset(
    {"CREDIT_CARD", "IBAN_CODE", "US_SSN", "US_ITIN", "US_PASSPORT", "UK_NHS", "UK_NINO"}
    | {"ES_NIF", "IT_FISCAL_CODE", "PL_PESEL", "FI_PERSONAL_IDENTITY_CODE", "IN_AADHAAR"}
    | {"IN_PAN", "SG_NRIC_FIN", "AU_TFN", "US_DRIVER_LICENSE"}
)
WINDOW = 256
_OURS = ("core", "detectors")


def _set_aside() -> dict[str, ModuleType]:
    aside = {n: m for n, m in sys.modules.items() if n.split(".")[0] in _OURS}
    for name in aside:
        del sys.modules[name]
    return aside


def detector_of(root: Path, nlp: Any) -> Any:
    """A ``PresidioDetector`` with default settings from the tree at ``root``."""
    current = _set_aside()
    sys.path.insert(0, str(root))
    try:
        pii = importlib.import_module("detectors.pii")
        settings = importlib.import_module("detectors.settings")
        detector = pii.PresidioDetector(settings.PiiSettings(), nlp=nlp)
    finally:
        sys.path.remove(str(root))
        _set_aside()
        sys.modules.update(current)
    return detector


def windows(texts: Sequence[str]) -> list[str]:
    """Consecutive ``WINDOW``-character windows of ``texts`` (as a stream's output scan)."""
    return [t[i : i + WINDOW] for t in texts for i in range(0, len(t) - WINDOW + 1, WINDOW)]


Scan = Callable[[Any, list[str]], Any]
SCANS: dict[str, Scan] = {
    "no NER": lambda d, texts: d.scan_without_ner(texts),
    "answers": lambda d, texts: d.scan_scoped(texts, ANSWER_TYPES),
    "full": lambda d, texts: d.scan(texts),
}


def cost(base: Any, ours: Any, texts: Sequence[str], scan: Scan) -> tuple[float, float]:
    """CPU ms per text of ``base`` and ``ours``, alternating text by text."""
    spent = [0.0, 0.0]
    for text in texts:
        for index, detector in enumerate((base, ours)):
            started = time.process_time()
            scan(detector, [text])
            spent[index] += time.process_time() - started
    return spent[0] * 1000 / len(texts), spent[1] * 1000 / len(texts)


def _plain(findings: Sequence[Any]) -> list[tuple[str, int, int, float, str]]:
    """Findings as tuples: each tree has its own ``Finding`` class, and instances of two
    dataclasses never compare equal."""
    return [(f.entity_type, f.start, f.end, f.score, f.detector) for f in findings]


def check_texts(size: int) -> list[tuple[str, list[str]]]:
    """(title, texts) of every open evaluation set and the real-text windows."""
    from eval_dataset import generate, generate_credentials, generate_hard_cases  # noqa: PLC0415
    from evalset.parts import INDEPENDENT_PARTS, PARTS, generate_part  # noqa: PLC0415
    from real_text_noise import SEED, load_or_sample  # noqa: PLC0415

    labelled = [*generate(), *generate_credentials(), *generate_hard_cases()]
    out = [("labelled", [s.text for s in labelled])]
    for part in INDEPENDENT_PARTS:
        if part != "heldout":  # report only: never opened here
            out.append((f"independent/{part}", [s.text for s in generate_part(PARTS[part], size)]))
    out.append(("presidio", [s.text for s in generate_part(PARTS["presidio"], size)]))
    out.append(("real-text windows", [w.text for w in load_or_sample(3000, SEED, None)]))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="tree to compare with")
    parser.add_argument("--texts", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="compare findings, not cost")
    parser.add_argument("--size", type=int, default=1000, help="texts per independent part")
    args = parser.parse_args(argv)

    from detectors.nlp_engine import load_spacy_model  # noqa: PLC0415
    from detectors.settings import PiiSettings  # noqa: PLC0415

    nlp = load_spacy_model(PiiSettings().spacy_model)
    base, ours = detector_of(args.base.resolve(), nlp), detector_of(HERE, nlp)
    if args.check:
        total = 0
        for title, texts in check_texts(args.size):
            for name, scan in SCANS.items():
                pairs = zip(scan(base, texts), scan(ours, texts), strict=True)
                differ = sum(_plain(a) != _plain(b) for a, b in pairs)
                total += differ
                print(f"{title:<28} {name:<8} {len(texts):>6} texts, {differ} differ", flush=True)
        print(f"texts whose findings differ: {total}")
        return 1 if total else 0
    texts = fresh_texts(args.texts)
    sets = {"1 KB": texts, f"{WINDOW}-char windows": windows(texts)}
    for warm in (texts[:10], windows(texts[:10])):
        for scan in SCANS.values():
            cost(base, ours, warm, scan)
    for round_ in range(1, args.rounds + 1):
        for title, chosen in sets.items():
            for name, scan in SCANS.items():
                if name == "full" and title != "1 KB":
                    continue
                before, after = cost(base, ours, chosen, scan)
                print(
                    f"round {round_}  {title:<18} {name:<8} base {before:7.3f} ms  "
                    f"this {after:7.3f} ms  ratio {after / before:.2f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
