"""Where a fresh prompt's detection CPU goes: the stages of batches of 8 fresh ~1 KB texts.

    .venv/bin/python bench/detect_profile.py [--texts 400] [--batch 8] [--prose faker|independent]
        [--cprofile [--top 40] [--out FILE.prof]] [--plain]

The texts are ``bench/detect_cost.py``'s (every one distinct: no cache hits); they go
through ``ScanService.scan_sync`` in process, ``--batch`` per call (what one worker gets at
concurrency 8). By default each stage - spaCy's tokenizer, the NER gate, the NER model's
pipe, Presidio's analyzer (its recognizers, the phone matcher, context words), our
filters and gates - is timed in CPU seconds by a wrapper around its function, so the
split is not skewed: a profiler's overhead per Python call (cProfile inflates Python code
~4x against the model's C) and a sampler's wall-clock samples on a loaded machine both
move the shares. Stages nest (indented); "rest" is what no stage holds.

``--cprofile`` prints cProfile's tables (self and cumulative) instead; ``--plain`` only
runs the texts, for a sampling profiler:
``py-spy record -r 200 -f raw -o FILE -- .venv/bin/python bench/detect_profile.py --plain``.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import logging
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from detect_cost import SEED, TEXT_SOURCES, WARMUP, _in_process_settings

from detectors.service import ScanService


class _Stages:
    """CPU seconds spent in wrapped functions, by stage title."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.titles: list[str] = []

    def wrap(self, owner: object, name: str, title: str) -> None:
        """Time ``owner.name`` (a function of a class or module, or a bound method)."""
        original: Callable[..., object] = getattr(owner, name)
        seconds = self.seconds

        @functools.wraps(original)
        def timed(*args: object, **kwargs: object) -> object:
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[title] += time.process_time() - started

        setattr(owner, name, timed)
        self.titles.append(title)


def _wrap_stages(service: ScanService) -> _Stages:
    """Wrap the stages of ``service``'s PII detector (module docstring)."""
    from presidio_analyzer import AnalyzerEngine  # noqa: PLC0415
    from spacy.language import Language  # noqa: PLC0415

    from detectors import ner_filter, ner_gate, phones, pii  # noqa: PLC0415 - to wrap

    stages = _Stages()
    stages.wrap(pii.PresidioDetector, "scan", "PII detector (Presidio + spaCy + filters)")
    stages.wrap(pii.PresidioDetector, "_tag", "  tokenize, gate, NER model")
    stages.wrap(Language, "make_doc", "    spaCy tokenizer (texts and gated runs)")
    stages.wrap(ner_gate.NerGate, "runs", "    NER gate (NerGate.runs)")
    stages.wrap(ner_gate, "merge_entities", "    merge_entities")
    pii.merge_entities = ner_gate.merge_entities  # type: ignore[attr-defined]
    stages.wrap(AnalyzerEngine, "analyze", "  Presidio AnalyzerEngine.analyze")
    detector = next(d for d in service._detectors or () if d.name == pii.NAME)
    assert isinstance(detector, pii.PresidioDetector)
    for recognizer in detector.recognizers:  # the innermost wrapper first
        if isinstance(recognizer, phones.RegionPhoneRecognizer):
            stages.wrap(recognizer, "analyze", "      phone matcher")
        stages.wrap(recognizer, "analyze", "    recognizers (all, phones included)")
    analyzer = detector._analyzer
    assert analyzer is not None
    enhancer = analyzer.context_aware_enhancer
    stages.wrap(enhancer, "enhance_using_context", "    context words")
    stages.wrap(pii.PresidioDetector, "_candidates", "  results to findings (_candidates)")
    stages.wrap(ner_filter.NerFilter, "cued_names", "  NerFilter.cued_names (cues, tables)")
    stages.wrap(ner_filter.NerFilter, "apply", "  NerFilter.apply")
    # titles may repeat (one wrapper per recognizer): print each once, the phone matcher
    # under all recognizers
    titles = list(dict.fromkeys(stages.titles))
    phone = titles.pop(titles.index("      phone matcher"))
    titles.insert(titles.index("    recognizers (all, phones included)") + 1, phone)
    stages.titles = titles
    return stages


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--texts", type=int, default=400)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--prose", choices=sorted(TEXT_SOURCES), default="faker")
    parser.add_argument("--cprofile", action="store_true", help="cProfile's tables instead")
    parser.add_argument("--top", type=int, default=40, help="rows of cProfile's tables")
    parser.add_argument("--out", type=Path, help="cProfile's stats to this file")
    parser.add_argument("--plain", action="store_true", help="only run (for py-spy)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    source = TEXT_SOURCES[args.prose]
    service = ScanService(_in_process_settings())
    service.load()
    for text in source(WARMUP, SEED + 1):
        service.scan_sync([text])
    texts = source(args.texts, SEED + 6)
    stages = None if args.plain or args.cprofile else _wrap_stages(service)
    # CPU time, not wall time: the machine is shared
    profiler = cProfile.Profile(time.process_time) if args.cprofile else None
    started = time.process_time()
    if profiler is not None:
        profiler.enable()
    for start in range(0, len(texts), args.batch):
        service.scan_sync(texts[start : start + args.batch])
    if profiler is not None:
        profiler.disable()
    cpu = time.process_time() - started
    print(f"{len(texts)} texts, {args.batch} per call: {cpu / len(texts) * 1000:.2f} ms CPU each")
    if stages is not None:
        for title in stages.titles:
            seconds = stages.seconds[title]
            share = seconds / cpu * 100
            print(f"{title:<48} {seconds / len(texts) * 1000:6.2f} ms/text  {share:5.1f} %")
        rest = cpu - stages.seconds[stages.titles[0]]
        print(
            f"{'rest (other detectors, views, plan, cache)':<48} "
            f"{rest / len(texts) * 1000:6.2f} ms/text  {rest / cpu * 100:5.1f} %"
        )
    if profiler is not None:
        stats = pstats.Stats(profiler)
        if args.out:
            stats.dump_stats(args.out)
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
