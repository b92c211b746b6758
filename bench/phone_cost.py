"""Cost of the phone recognizer per 1 KB by genre, beside the code before and stock Presidio.

    .venv/bin/python bench/phone_cost.py [--rounds 3]          # ms per KB, ratios
    .venv/bin/python bench/phone_cost.py --check 7 8 9 [--size 1500]   # same findings?

Times ``detectors.phones.RegionPhoneRecognizer``, the code before (``detectors/phones.py``
as git holds it at ``--reference-rev``, by default the commit before candidates were
decided once per text, or the file ``--reference FILE``) and stock Presidio's
``PhoneRecognizer`` (its default regions) on the same texts, one text at a time in turn,
so that a noisy machine slows all three alike: prose prompts, each genre of
``bench/phone_negatives.py`` cut to 1 KB, a CSV of 200 rows, a 1 KB JSON log and stack
traces. ``--check`` runs both of ours on the texts of the evaluation sets open for tuning
(labelled, independent tuning and tuning2, presidio; never the held-out part), on the
generated texts of several seeds (whole and cut to 1 KB) and on random digit-dense
mixes, and exits non-zero unless every finding (span, score, entity) is the same.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from faker import Faker
from presidio_analyzer import RecognizerResult
from presidio_analyzer import predefined_recognizers as pr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import phone_negatives as negatives
from eval_dataset import prompt_1kb

import detectors.phones as current
from detectors.settings import PiiSettings

_ROOT = Path(__file__).resolve().parent.parent


class _Phones(Protocol):
    """A phone recognizer as this script calls it: Presidio's and ours read no NLP artifacts
    (Presidio annotates the parameter ``NlpArtifacts`` but defaults it to None)."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]: ...


#: The commit before phones.py decided candidates once per text (cae3dab).
_REFERENCE_REV = "cae3dab~1"
_KB = 1024


def _cut(texts: list[str], size: int = _KB) -> list[str]:
    """``texts`` joined by line breaks and cut into pieces of ``size`` characters."""
    pieces, chunk = [], ""
    for text in texts:
        chunk += text + "\n"
        while len(chunk) >= size:
            pieces.append(chunk[:size])
            chunk = chunk[size:]
    return pieces


def _csv_200(g: negatives.Gen) -> str:
    """A CSV export of 200 rows of ids, amounts, dates and accounts (no phone column)."""
    rows = ["id,sku,qty,amount,date,account,sort_code,created"]
    for _ in range(200):
        rows.append(
            f"{g.digits(g.n(6, 10))},{g.digits(g.n(8, 13))},{g.n(1, 500)},"
            f'"{g.amount()}",{g.date()},{g.digits(8)},'
            f"{g.n(10, 99)}-{g.n(10, 99)}-{g.n(10, 99)},{g.epoch()}"
        )
    return "\n".join(rows)


def _json_log(g: negatives.Gen) -> str:
    """~1 KB of JSON log lines with times, ids, durations, sizes and addresses."""
    lines: list[str] = []
    while sum(len(line) + 1 for line in lines) < _KB:
        event = {
            "ts": int(g.epoch(ms=True)),
            "level": g.r.choice(["INFO", "WARN", "ERROR"]),
            "request_id": g.digits(12),
            "user_id": g.n(1, 9_999_999),
            "duration_ms": round(g.r.uniform(0.1, 9999), 3),
            "bytes": g.n(100, 99_999_999),
            "client": f"{g.n(1, 254)}.{g.n(0, 254)}.{g.n(0, 254)}.{g.n(1, 254)}:{g.n(1024, 65535)}",
            "order": g.digits(10),
        }
        lines.append(json.dumps(event))
    return "\n".join(lines)[:_KB]


def genres(seed: int) -> dict[str, list[str]]:
    """Texts by genre: prose prompts and technical texts of about 1 KB, a 200-row CSV."""
    rng, faker = random.Random(seed), Faker("en_US")
    faker.seed_instance(seed)
    g = negatives.Gen(seed)
    found = {"prose": [prompt_1kb(rng, faker) for _ in range(40)]}
    for name, template in negatives.GENRES.items():
        found[name] = _cut([template(g, g.r.random() < 0.3) for _ in range(60)])[:20]
    found["csv 200 rows"] = [_csv_200(g) for _ in range(3)]
    found["json log"] = [_json_log(g) for _ in range(20)]
    return found


def _reference_file(rev: str) -> Path:
    """``detectors/phones.py`` as git holds it at ``rev``, written to a temporary file."""
    source = subprocess.run(  # noqa: S603 - git with our own arguments
        ["git", "-C", str(_ROOT), "show", f"{rev}:detectors/phones.py"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "phones_reference.py"
    path.write_text(source, encoding="utf-8")
    return path


def _recognizers(reference_path: Path) -> dict[str, _Phones]:
    regions = list(PiiSettings().phone_regions)
    reference = negatives._load_phones(reference_path, "phones_reference")
    return {
        "before": reference.RegionPhoneRecognizer(supported_regions=regions),
        "after": current.RegionPhoneRecognizer(supported_regions=regions),
        "stock": pr.PhoneRecognizer(),
    }


def cost(rounds: int, seed: int, reference: Path) -> None:
    """Print ms per KB of each recognizer by genre and the ratios after/before, after/stock."""
    recognizers = _recognizers(reference)
    print(f"{'genre':<14} {'KB':>6}  " + "  ".join(f"{n:>8}" for n in recognizers), end="")
    print("   after/before  after/stock   (ms per KB)")
    for genre, texts in genres(seed).items():
        spent = dict.fromkeys(recognizers, 0.0)
        for _ in range(rounds):
            for text in texts:
                for name, recognizer in recognizers.items():
                    began = time.perf_counter()
                    recognizer.analyze(text, ["PHONE_NUMBER"], None)
                    spent[name] += time.perf_counter() - began
        kb = rounds * sum(len(t) for t in texts) / _KB
        per = {n: 1e3 * t / kb for n, t in spent.items()}
        cells = "  ".join(f"{ms:8.3f}" for ms in per.values())
        print(
            f"{genre:<14} {kb / rounds:6.1f}  {cells}   {per['after'] / per['before']:12.2f}"
            f"  {per['after'] / per['stock']:11.2f}"
        )


_PIECES = [*"0123456789" * 6, *" -.:,;|()+/\n\"'=x", "0", "1", "00", "+49 ", "+1-", "1. "]
_PIECES += ["ts=", '"ts": ', "id ", "order ", "phone ", "tel: ", "Call ", "ms ", " INFO", "ext. "]
_PIECES += ["anna@example.com ", "Anna (", "phone,id\n", "Kto ", "version "]


def _evaluation_texts() -> list[str]:
    """The texts of the evaluation sets open for tuning, at eval_detectors' default sizes:
    labelled, independent tuning and tuning2 (never the held-out part), presidio."""
    from evalset.compare import SETS, Options, collections  # noqa: PLC0415  (--check only)

    options = Options(SETS, ("tuning", "tuning2"), 1000, 600, 0.4, stock=False)
    return [sample.text for _, samples in collections(options) for sample in samples]


def _seed_texts(seed: int, size: int) -> list[str]:
    """phone_negatives' texts of ``seed`` (whole and cut to 1 KB), the genres of
    :func:`genres` and random digit-dense mixes of ``_PIECES``."""
    texts = [s.text for s in negatives.generate(size, seed)]
    texts += _cut(texts)
    rng = random.Random(seed)
    texts += ["".join(rng.choices(_PIECES, k=rng.randint(10, 150))) for _ in range(size)]
    for batch in genres(seed).values():
        texts += batch
    return texts


def check(seeds: list[int], size: int, reference: Path) -> bool:
    """Whether the code before and after report the same findings on every text."""
    recognizers = _recognizers(reference)
    before, after = recognizers["before"], recognizers["after"]
    differ = 0
    batches: list[tuple[str, Callable[[], list[str]]]] = [("evaluation sets", _evaluation_texts)]
    batches += [(f"seed {seed}", functools.partial(_seed_texts, seed, size)) for seed in seeds]
    for label, make in batches:
        texts, findings = make(), 0
        for text in texts:
            old = [(r.start, r.end, r.score, r.entity_type) for r in before.analyze(text, [])]
            new = [(r.start, r.end, r.score, r.entity_type) for r in after.analyze(text, [])]
            findings += len(old)
            if old != new:
                differ += 1
                print(f"DIFFERS: {text!r}\n  before {old}\n  after  {new}")
        print(f"{label}: {len(texts)} texts, {findings} findings before; differ so far: {differ}")
    return differ == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--check", type=int, nargs="+", metavar="SEED")
    parser.add_argument("--size", type=int, default=1500, help="texts per seed for --check")
    parser.add_argument("--reference", type=Path, help="the code before, as a file")
    parser.add_argument(
        "--reference-rev",
        default=_REFERENCE_REV,
        help="else the code before as git holds it at this revision (default: %(default)s)",
    )
    args = parser.parse_args()
    reference = args.reference or _reference_file(args.reference_rev)
    if args.check:
        sys.exit(0 if check(args.check, args.size, reference) else 1)
    cost(args.rounds, args.seed, reference)


if __name__ == "__main__":
    main()
