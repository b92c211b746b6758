"""Match findings to labelled spans and print per-type precision, recall and F1.

How spans are matched (printed with every report, see ``MATCHING``):

* a labelled span is *found* when findings of the same type cover at least half of its
  characters (together: "Ms. Ana Lima" is found by "Ana Lima");
* a finding is *correct* when at least half of its characters lie inside labelled spans
  of the same type ("Lima" inside the labelled address "Rua Lima 12, Porto" is correct
  for LOCATION, but the address is found only if LOCATION findings cover half of it);
* a finding that is not correct but lies at least half inside a *neutral* span (a company,
  a date, a user name) is not scored; every other finding is a false positive;
* every secret kind is scored on its own, and once more as ``ANY_SECRET``, where a secret
  found under another secret kind's name counts (the default policy blocks them all alike);
* a hard negative is a text without labels; its rate is the share of such texts with at
  least one scored finding.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from eval_dataset import Sample, Span

MATCHING = (
    "matching: a label is found if same-type findings cover >= 50% of its characters; "
    "a finding is correct if >= 50% of it lies in same-type labels, unscored if >= 50% in a "
    "neutral value (company, date, user name), else a false positive; findings with "
    "score < {min_score} are dropped; ANY_SECRET pools all secret kinds"
)
ANY_SECRET = "ANY_SECRET"  # noqa: S105 - an entity type name, not a password
NAN = float("nan")
PII_TYPES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "PERSON",
    "LOCATION",
)
STRUCTURED_TARGET = 0.97
PERSON_F1_TARGET = 0.85
NEGATIVE_TARGET = 0.02


@dataclass(frozen=True, slots=True)
class Hit:
    """One finding, from our detectors or stock Presidio, in our entity names."""

    entity_type: str
    start: int
    end: int
    score: float


def _inside(start: int, end: int, spans: Iterable[Span]) -> int:
    """How many characters of [start, end) lie inside the union of ``spans``."""
    covered = [False] * (end - start)
    for span in spans:
        for i in range(max(start, span.start), min(end, span.end)):
            covered[i - start] = True
    return sum(covered)


def _half_inside(start: int, end: int, spans: Iterable[Span]) -> bool:
    return end > start and 2 * _inside(start, end, spans) >= end - start


@dataclass
class Counts:
    """Per-type tallies for one detector on one set."""

    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    negatives: Counter[str] = field(default_factory=Counter)
    negatives_hit: Counter[str] = field(default_factory=Counter)
    negative_types: Counter[str] = field(default_factory=Counter)

    def precision(self, entity: str) -> float:
        """NaN when nothing of the type was predicted."""
        return self.correct[entity] / self.predicted[entity] if self.predicted[entity] else NAN

    def recall(self, entity: str) -> float:
        """NaN when nothing of the type was labelled."""
        return self.found[entity] / self.gold[entity] if self.gold[entity] else NAN

    def f1(self, entity: str) -> float:
        p, r = self.precision(entity), self.recall(entity)
        if math.isnan(p) or math.isnan(r):
            return 0.0 if self.gold[entity] or self.predicted[entity] else NAN
        return 2 * p * r / (p + r) if p + r else 0.0

    def negative_rate(self) -> float:
        total = sum(self.negatives.values())
        return sum(self.negatives_hit.values()) / total if total else 0.0


def _pooled(spans: Iterable[Span], secret: Collection[str]) -> list[Span]:
    return [Span(ANY_SECRET, s.start, s.end) for s in spans if s.entity_type in secret]


def score(
    samples: Sequence[Sample], results: Sequence[Sequence[Hit]], secret: Collection[str]
) -> Counts:
    """Tally ``results`` against ``samples`` under the rules of ``MATCHING``; ``secret``
    names the entity types that are secret kinds."""
    counts = Counts()
    for sample, hits in zip(samples, results, strict=True):
        kept = [
            h
            for h in hits
            if _half_inside(
                h.start, h.end, [s for s in sample.spans if s.entity_type == h.entity_type]
            )
            or not _half_inside(h.start, h.end, sample.neutral)
        ]
        pooled_hits = [Hit(ANY_SECRET, h.start, h.end, h.score) for h in kept
                       if h.entity_type in secret]  # fmt: skip
        gold = [*sample.spans, *_pooled(sample.spans, secret)]
        for span in gold:
            counts.gold[span.entity_type] += 1
            same = [Span(h.entity_type, h.start, h.end) for h in [*kept, *pooled_hits]
                    if h.entity_type == span.entity_type]  # fmt: skip
            if _half_inside(span.start, span.end, same):
                counts.found[span.entity_type] += 1
        for hit in [*kept, *pooled_hits]:
            counts.predicted[hit.entity_type] += 1
            labels = [s for s in gold if s.entity_type == hit.entity_type]
            if _half_inside(hit.start, hit.end, labels):
                counts.correct[hit.entity_type] += 1
        if sample.hard_negative:
            counts.negatives[sample.group] += 1
            if kept:
                counts.negatives_hit[sample.group] += 1
                counts.negative_types.update(h.entity_type for h in kept)
    return counts


def _flag(entity: str, ours: Counts, stock: Counts | None) -> str:
    if entity in ("PERSON", "LOCATION"):
        if entity == "PERSON" and (
            ours.f1(entity) < PERSON_F1_TARGET or (stock and ours.f1(entity) <= stock.f1(entity))
        ):
            return "  <-- below target (F1 >= 0.85 and above stock)"
        return ""
    if (ours.gold[entity] and ours.recall(entity) < STRUCTURED_TARGET) or ours.precision(
        entity
    ) < STRUCTURED_TARGET:
        return "  <-- below target (P, R >= 0.97)"
    return ""


def _cells(counts: Counts, entity: str) -> str:
    return (
        f"{counts.predicted[entity]:>6}{counts.precision(entity):>7.3f}"
        f"{counts.recall(entity):>7.3f}{counts.f1(entity):>7.3f}"
    )


def report(ours: Counts, stock: Counts | None, secret: Collection[str]) -> bool:
    """Print the per-type table and hard negatives side by side; True if ours is on target."""
    kinds = sorted(t for t in {*ours.gold, *ours.predicted} if t in secret)
    others = sorted(
        t
        for t in {*ours.predicted, *(stock.predicted if stock else ())}
        if t not in PII_TYPES and t not in secret and t != ANY_SECRET
    )
    rows = [*PII_TYPES, *kinds, ANY_SECRET, *others]
    head = f"{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}"
    print(f"{'entity type':<24}{'gold':>6} | ours{head} |" + (f" stock{head}" if stock else ""))
    ok = True
    for entity in rows:
        if (
            not ours.gold[entity]
            and not ours.predicted[entity]
            and not (stock and stock.predicted[entity])
        ):
            continue
        flag = _flag(entity, ours, stock)
        ok = ok and not flag
        line = f"{entity:<24}{ours.gold[entity]:>6} |     {_cells(ours, entity)} |"
        print(line + (f"      {_cells(stock, entity)}" if stock else "") + flag)
    total = sum(ours.negatives.values())
    rate = ours.negative_rate()
    ok = ok and rate <= NEGATIVE_TARGET
    stock_part = ""
    if stock:
        stock_part = (
            f"; stock {sum(stock.negatives_hit.values())}/{total} = {stock.negative_rate():.1%}"
        )
    flag = "  <-- above target (<= 2%)" if rate > NEGATIVE_TARGET else ""
    print(
        f"hard negatives with a finding: ours {sum(ours.negatives_hit.values())}/{total} = "
        f"{rate:.1%}{stock_part}{flag}"
    )
    for group in sorted(ours.negatives):
        stock_group = f"   stock {stock.negatives_hit[group]:>4}" if stock else ""
        hit, total = ours.negatives_hit[group], ours.negatives[group]
        print(f"  {group:<40}ours {hit:>4}/{total:<5}{stock_group}")
    if ours.negative_types:
        print("  types on hard negatives, ours:", dict(ours.negative_types.most_common()))
    if stock and stock.negative_types:
        print("  types on hard negatives, stock:", dict(stock.negative_types.most_common()))
    return ok


def mistakes(
    samples: Sequence[Sample], results: Sequence[Sequence[Hit]]
) -> Iterator[tuple[str, str, str, str]]:
    """(entity type, "missed" or "false positive", group, value) for every label not found
    and every scored finding that is not correct, under the rules of ``MATCHING`` (secret
    kinds are not pooled here)."""
    for sample, hits in zip(samples, results, strict=True):
        for span in sample.spans:
            same = [Span(h.entity_type, h.start, h.end) for h in hits
                    if h.entity_type == span.entity_type]  # fmt: skip
            if not _half_inside(span.start, span.end, same):
                yield span.entity_type, "missed", sample.group, sample.text[span.start : span.end]
        for hit in hits:
            labels = [s for s in sample.spans if s.entity_type == hit.entity_type]
            if _half_inside(hit.start, hit.end, labels):
                continue
            if not _half_inside(hit.start, hit.end, sample.neutral):
                value = sample.text[hit.start : hit.end]
                yield hit.entity_type, "false positive", sample.group, value
