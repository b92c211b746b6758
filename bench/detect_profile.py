"""Where a fresh prompt's detection CPU goes: cProfile of batches of 8 fresh ~1 KB texts.

    .venv/bin/python bench/detect_profile.py [--texts 400] [--batch 8] [--top 40]
        [--prose faker|independent] [--out FILE.prof]

The texts are ``bench/detect_cost.py``'s (every one distinct: no cache hits); they go
through ``ScanService.scan_sync`` in process, ``--batch`` per call (what one worker gets at
concurrency 8). Prints the split by stage - spaCy (tokenizer, the NER pipe), Presidio's
analyzer (recognizers, context words, result objects), our filters and gates, the other
detectors - and the functions with the most time, self and cumulative.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from detect_cost import SEED, TEXT_SOURCES, WARMUP, _in_process_settings

from detectors.service import ScanService

# (title, substring of "file:line(function)") of the cumulative stages to print.
STAGES = (
    ("whole scan", "service.py", "scan_sync"),
    ("PII detector (_analyse_batch)", "pii.py", "_analyse_batch"),
    ("  spaCy make_doc + gate + pipe (_tag)", "pii.py", "_tag"),
    ("    nlp.pipe (NER model)", "language.py", "pipe"),
    ("    NerGate.runs", "ner_gate.py", "runs"),
    ("    merge_entities", "ner_gate.py", "merge_entities"),
    ("  Presidio analyze", "analyzer_engine.py", "analyze"),
    ("    context words", "context_words.py", "enhance_using_context"),
    ("  our candidates (_candidates)", "pii.py", "_candidates"),
    ("  cued names (NerFilter.cued_names)", "ner_filter.py", "cued_names"),
    ("  resolve (NER filter)", "pii.py", "_resolve"),
    ("name tables", "name_tables.py", ""),
    ("secrets detector", "secrets.py", "scan"),
    ("execute (all detectors)", "scanplan.py", "execute"),
)


def _stage(stats: pstats.Stats, filename: str, function: str) -> float:
    total = 0.0
    raw = stats.stats  # type: ignore[attr-defined]  # pstats keeps its table here
    for (file, _line, name), (_cc, _nc, tt, ct, _callers) in raw.items():
        if file.endswith(filename) and (not function or name == function):
            total = max(total, ct) if function else total + tt
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--texts", type=int, default=400)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--prose", choices=sorted(TEXT_SOURCES), default="faker")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--plain",
        action="store_true",
        help="no cProfile (its overhead inflates Python code ~4x): for a sampling profiler, "
        "e.g. py-spy record -r 200 -f raw -o FILE -- python bench/detect_profile.py --plain",
    )
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    source = TEXT_SOURCES[args.prose]
    service = ScanService(_in_process_settings())
    service.load()
    for text in source(WARMUP, SEED + 1):
        service.scan_sync([text])
    texts = source(args.texts, SEED + 6)
    # CPU time, not wall time: the machine is shared
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    if args.plain:
        for start in range(0, len(texts), args.batch):
            service.scan_sync(texts[start : start + args.batch])
        cpu = time.process_time() - started
        print(f"{len(texts)} texts, {args.batch} per call: {cpu / len(texts) * 1000:.2f} ms CPU")
        return 0
    profiler.enable()
    for start in range(0, len(texts), args.batch):
        service.scan_sync(texts[start : start + args.batch])
    profiler.disable()
    cpu = time.process_time() - started
    print(f"{len(texts)} texts, {args.batch} per call: {cpu / len(texts) * 1000:.2f} ms CPU each")
    stats = pstats.Stats(profiler)
    total = _stage(stats, "service.py", "scan_sync") or cpu
    for title, filename, function in STAGES:
        seconds = _stage(stats, filename, function)
        share = seconds / total * 100
        print(f"{title:<44} {seconds / len(texts) * 1000:6.2f} ms/text  {share:5.1f} %")
    if args.out:
        stats.dump_stats(args.out)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
