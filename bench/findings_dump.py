"""Every finding of the default detectors on every open text, as lines to diff.

    .venv/bin/python bench/findings_dump.py --out FILE [--tree DIR] [--size 1000]
        [--windows 2000] [--windows-file FILE]

A change meant to make detection cheaper must not change what it finds. This writes one
line per text and scan - ``set  index  scan  findings`` with each finding as
``entity:start-end:score:detector`` - for:

* the labelled set (``bench/eval_dataset.py``: base, credentials, hard cases, evasions);
* the independent set's open parts (every part but ``heldout``, which is for reporting
  only and never read here) and the presidio-evaluator templates, ``--size`` texts each;
* ``bench/real_text_noise.py``'s windows of manual pages, READMEs and docstrings.

Scans: ``full`` (``ScanService(DetectorSettings())``, in process, no cache: what a prompt
gets; ``full/8`` the same, eight texts per call), ``no-ner`` (every type but the NER ones,
as a call whose rules want none) and ``answers`` (the default policy's answer types).
``--tree`` imports the detectors (and the sets' generators) of another checkout, so two
trees' dumps can be compared with ``diff``::

    git archive HEAD | tar -x -C /tmp/before
    .venv/bin/python bench/findings_dump.py --tree /tmp/before --out /tmp/before.txt
    .venv/bin/python bench/findings_dump.py --out /tmp/after.txt
    diff /tmp/before.txt /tmp/after.txt && echo identical
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.scanning import Finding

#: Texts per call of the batched full scan (what a worker gets under concurrency).
BATCH = 8
#: The default policy's answer rule (redact-secrets-in-answers) in PII types.
ANSWER_TYPES = [
    *("CREDIT_CARD", "IBAN_CODE", "US_SSN", "US_ITIN", "US_PASSPORT", "UK_NHS", "UK_NINO"),
    *("ES_NIF", "IT_FISCAL_CODE", "PL_PESEL", "FI_PERSONAL_IDENTITY_CODE", "IN_AADHAAR"),
    *("IN_PAN", "SG_NRIC_FIN", "AU_TFN", "US_DRIVER_LICENSE"),
]


def _texts(size: int, windows: int, windows_file: Path | None) -> list[tuple[str, list[str]]]:
    """(set, texts) of every open set, in a fixed order."""
    from eval_dataset import (  # noqa: PLC0415 - from the tree chosen at run time
        generate,
        generate_credentials,
        generate_evasions,
        generate_hard_cases,
    )
    from evalset.parts import INDEPENDENT_PARTS, PARTS, generate_part  # noqa: PLC0415
    from real_text_noise import SEED, load_or_sample  # noqa: PLC0415

    out = [
        ("labelled", [s.text for s in generate()]),
        ("credentials", [s.text for s in generate_credentials()]),
        ("hard-cases", [s.text for s in generate_hard_cases()]),
        ("evasions", [s.text for s in generate_evasions()]),
    ]
    for part in INDEPENDENT_PARTS:
        if part != "heldout":  # report only: never read here
            out.append((part, [s.text for s in generate_part(PARTS[part], size)]))
    out.append(("presidio", [s.text for s in generate_part(PARTS["presidio"], size)]))
    out.append(("real-text", [w.text for w in load_or_sample(windows, SEED, windows_file)]))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, required=True, help="file to write")
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--size", type=int, default=1000, help="texts per independent part")
    parser.add_argument("--windows", type=int, default=2000, help="real-text windows")
    parser.add_argument("--windows-file", type=Path, help="JSON cache of the windows")
    args = parser.parse_args(argv)
    tree = args.tree.resolve()
    sys.path[:0] = [str(tree), str(tree / "bench")]
    logging.disable(logging.WARNING)

    from detectors.entities import NER_ENTITY_TYPES  # noqa: PLC0415
    from detectors.service import ScanService  # noqa: PLC0415
    from detectors.settings import DetectorSettings, ServiceSettings  # noqa: PLC0415

    settings = DetectorSettings()
    service_settings = ServiceSettings.model_validate(
        settings.service.model_dump() | {"workers": 0, "cache_size": 0}
    )
    service = ScanService(settings.model_copy(update={"service": service_settings}))
    service.load()
    no_ner = [t for t in settings.pii.entities if t not in NER_ENTITY_TYPES]
    scopes: dict[str, list[str] | None] = {"full": None, "no-ner": no_ner, "answers": ANSWER_TYPES}
    started = time.perf_counter()
    lines = 0
    with args.out.open("w", encoding="utf-8") as out:
        for title, texts in _texts(args.size, args.windows, args.windows_file):
            for scope, entities in scopes.items():
                for index, text in enumerate(texts):
                    (found,) = service.scan_sync([text], entities=entities)
                    out.write(_line(title, index, scope, found))
            # a text's findings must not depend on the texts batched with it
            for start in range(0, len(texts), BATCH):
                batch = service.scan_sync(texts[start : start + BATCH])
                for index, found in enumerate(batch, start):
                    out.write(_line(title, index, f"full/{BATCH}", found))
            lines += len(texts) * (len(scopes) + 1)
            print(f"{title}: {len(texts)} texts", flush=True)
    print(f"{lines} lines in {time.perf_counter() - started:.0f} s -> {args.out}")
    return 0


def _line(title: str, index: int, scope: str, found: Sequence[Finding]) -> str:
    cells = " ".join(f"{f.entity_type}:{f.start}-{f.end}:{f.score}:{f.detector}" for f in found)
    return f"{title}\t{index}\t{scope}\t{cells}\n"


if __name__ == "__main__":
    raise SystemExit(main())
