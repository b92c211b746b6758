"""Run our detectors and stock Presidio on each evaluation set and print them side by side.

Sets:

* ``labelled``: ``bench/eval_dataset.py`` (the original set, the credentials set and the
  hard cases of issue 14), written next to the detectors;
* ``independent``: templates in the style of support tickets, e-mails, code reviews,
  config files, stack traces, chat transcripts and technical questions, filled with Faker
  values in many locales, as ``tuning`` ... ``tuning15`` and ``heldout`` parts (see ``parts.py``);
* ``presidio``: the template sentences of Microsoft's presidio-evaluator, filled likewise.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from eval_dataset import (
    Sample,
    generate,
    generate_credentials,
    generate_hard_cases,
)

from detectors.entities import NER_ENTITY_TYPES
from detectors.every_printing import with_every_printing
from detectors.service import ScanService
from detectors.settings import DetectorSettings, ServiceSettings
from evalset.parts import PARTS, generate_part
from evalset.scoring import MATCHING, PII_TYPES, Hit, mistakes, report, score
from evalset.stock import StockPresidio
from evalset.table import Row, markdown

SETS = ("labelled", "independent", "presidio")


@dataclass(frozen=True, slots=True)
class Options:
    """What to run: sets, parts of the independent set, sizes, and the score cut-off."""

    sets: tuple[str, ...]
    parts: tuple[str, ...]
    size: int
    presidio_size: int
    min_score: float
    stock: bool
    errors: int = 0
    markdown: Path | None = None  # where to write the README's table of this run


def collections(options: Options) -> list[tuple[str, list[Sample]]]:
    """(title, samples) for every set and part asked for, in the order they print."""
    out: list[tuple[str, list[Sample]]] = []
    if "labelled" in options.sets:
        labelled = [*generate(), *generate_credentials(), *generate_hard_cases()]
        out.append(("labelled (bench/eval_dataset.py: base + credentials + hard cases)", labelled))
    if "independent" in options.sets:
        for part in options.parts:
            note = "  [REPORT ONLY: never tune on it]" if part == "heldout" else ""
            title = f"independent/{part} (locales {', '.join(PARTS[part].locales)}){note}"
            out.append((title, generate_part(PARTS[part], options.size)))
    if "presidio" in options.sets:
        title = "presidio-evaluator templates (third-party, en_US)"
        out.append((title, generate_part(PARTS["presidio"], options.presidio_size)))
    return out


class Ours:
    """Our detectors with the proxy's default settings, in-process, without the cache."""

    def __init__(self, settings: DetectorSettings) -> None:
        service = ServiceSettings.model_validate(
            settings.service.model_dump() | {"workers": 0, "cache_size": 0}
        )
        self.service = ScanService(settings.model_copy(update={"service": service}))
        self.service.load()

    def scan(self, texts: Sequence[str]) -> list[list[Hit]]:
        """Hits per text, each text read whole as the proxy reads a prompt (every printing
        of a found credential, :mod:`detectors.every_printing`)."""
        return [
            [Hit(f.entity_type, f.start, f.end, f.score) for f in findings]
            for text, found in zip(texts, self.service.scan_sync(list(texts)), strict=True)
            for findings in with_every_printing([text], [found])
        ]


def _timed(
    scan: Callable[[Sequence[str]], list[list[Hit]]], texts: Sequence[str]
) -> tuple[list[list[Hit]], float]:
    started = time.perf_counter()
    hits = scan(texts)
    return hits, time.perf_counter() - started


def _cut(results: list[list[Hit]], min_score: float) -> list[list[Hit]]:
    return [[h for h in hits if h.score >= min_score] for hits in results]


def _row_name(title: str) -> str:
    """A table row's name from a set's printed title: the part, the set or the source."""
    name = title.split(" ", 1)[0].removeprefix("independent/")
    if name == "heldout":
        return "**held-out** (report only)"
    return "presidio templates" if name == "presidio-evaluator" else name


def run(options: Options) -> bool:
    """Print every set's comparison; True if our detectors meet the issue's targets on all.
    With ``options.markdown``, the README's table of the run is written there too."""
    settings = DetectorSettings()
    our_types = set(settings.pii.entities)
    print(
        f"ours: DetectorSettings() defaults, as the proxy runs (spaCy {settings.pii.spacy_model});"
        " stock: presidio AnalyzerEngine() default recognizers, same spaCy model, entity names "
        "kept where ours has the same name"
    )
    print(MATCHING.format(min_score=options.min_score))
    ours = Ours(settings)
    stock = StockPresidio(settings.pii.spacy_model, our_types) if options.stock else None
    ours.scan(["warm-up"])
    if stock:
        stock.scan(["warm-up"])
    ok = True
    rows: list[Row] = []
    for title, samples in collections(options):
        texts = [s.text for s in samples]
        our_hits, our_seconds = _timed(ours.scan, texts)
        our_hits = _cut(our_hits, options.min_score)
        secret = {
            t
            for hits in our_hits
            for t in (h.entity_type for h in hits)
            if t not in our_types and t not in NER_ENTITY_TYPES
        } | {
            s.entity_type
            for sample in samples
            for s in sample.spans
            if s.entity_type not in PII_TYPES
        }
        labelled = sum(1 for s in samples if s.spans)
        print(
            f"\n== {title}: {len(samples)} texts ({labelled} with labels, "
            f"{len(samples) - labelled} hard negatives)"
        )
        stock_counts, time_ratio = None, None
        timing = f"ours {our_seconds / len(texts) * 1000:.1f} ms/text"
        if stock:
            stock_hits, stock_seconds = _timed(stock.scan, texts)
            stock_counts = score(samples, _cut(stock_hits, options.min_score), secret)
            timing += (
                f", stock {stock_seconds / len(texts) * 1000:.1f} ms/text, "
                f"ratio ours/stock {our_seconds / stock_seconds:.2f}"
            )
            time_ratio = our_seconds / stock_seconds
        print(timing + " (ours batched through scan_sync, stock one analyze() per text)")
        our_counts = score(samples, our_hits, secret)
        ok = report(our_counts, stock_counts, secret) and ok
        rows.append(Row(_row_name(title), our_counts, stock_counts, time_ratio))
        if options.errors:
            _print_mistakes(title, samples, our_hits, options.errors)
    if options.markdown:
        options.markdown.write_text(markdown(rows), encoding="utf-8")
        print(f"\nthe README's table of this run: {options.markdown}")
    return ok


def _print_mistakes(
    title: str, samples: Sequence[Sample], hits: Sequence[Sequence[Hit]], limit: int
) -> None:
    """Up to ``limit`` of our misses and false positives per type and kind (synthetic
    values only); never for the held-out part, which is not for tuning."""
    if "heldout" in title:
        print("(mistakes of the held-out part are not printed: it is not for tuning)")
        return
    shown: Counter[tuple[str, str]] = Counter()
    for entity, kind, group, value in sorted(mistakes(samples, hits)):
        if shown[entity, kind] < limit:
            shown[entity, kind] += 1
            print(f"  {kind:<15}{entity:<22}{group:<32}{value!r}")
