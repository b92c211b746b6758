"""Detection quality and speed of the default detectors (a benchmark, not a test).

    .venv/bin/python bench/eval_detectors.py [--per-type 40] [--negatives 30] [--quick]
    .venv/bin/python bench/eval_detectors.py --set all [--part tuning|...|tuning16|heldout|open|all]
        [--size 1000] [--presidio-size 600] [--min-score 0.4] [--no-stock]

Prints, for the labelled set of ``bench/eval_dataset.py`` (Faker, fixed seed):

* precision and recall per entity type (a prediction counts if it has the same type and
  overlaps the labelled span; the exact-span rate is shown too);
* the false-positive rate on hard negatives (share of samples with any finding);
* for a separate set of evasions (encoded, unarmoured, fullwidth, zero-width, dotted
  values), how many were found, and its own hard negatives (base64 prose, hashes, images,
  certificates, fullwidth and CJK text);
* for a separate set of credentials by structure (human passwords in URLs with userinfo,
  ADO.NET/ODBC/JDBC strings, .env, YAML, JSON, INI/TOML and Kubernetes env entries),
  precision/recall per type, found per kind, and its hard negatives (the same structures
  with placeholders and templates, URLs without a password, prose and code about secrets);
* median and p99 detection time for a 1 KB prompt with NER, in-process and through the
  ``ScanService`` process pool;
* what a 20-turn chat that resends its history costs through the service's cache,
  compared with scanning only its newest message.

With ``--set``, it instead compares our detectors with stock Presidio on the labelled set,
the independent set (tuning and held-out parts) and presidio-evaluator's templates
(``bench/evalset/``): per-type precision, recall and F1, hard negatives, time per text.

Targets (issue 4): recall and precision >= 0.95 for structured identifiers and secrets,
false-positive rate on hard negatives <= 2%, 20-turn request <= 1.2x its newest message.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from faker import Faker

# Run as a script from anywhere, on this tree's detectors: the editable install would
# otherwise import the checkout it was installed from (a `git archive` of another commit
# measured the working tree's detectors).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_dataset import (
    SEED,
    Sample,
    generate,
    generate_credentials,
    generate_evasions,
    generate_hard_cases,
    prompt_1kb,
)
from evalset.compare import SETS, Options, run
from evalset.parts import INDEPENDENT_PARTS

from core.scanning import Finding
from detectors.entities import NER_ENTITY_TYPES
from detectors.service import ScanService
from detectors.settings import DetectorSettings, ServiceSettings

NEGATIVE_FP_TARGET = 0.02
STRUCTURED_TARGET = 0.95


def _overlaps(a: Finding, start: int, end: int) -> bool:
    return a.start < end and start < a.end


def quality(samples: Sequence[Sample], results: Sequence[Sequence[Finding]]) -> bool:
    """Print precision/recall per type and the hard-negative FP rate; True if on target."""
    gold: Counter[str] = Counter()
    found: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    negatives: Counter[str] = Counter()
    negatives_hit: Counter[str] = Counter()
    negative_types: Counter[str] = Counter()
    for sample, findings in zip(samples, results, strict=True):
        for span in sample.spans:
            gold[span.entity_type] += 1
            same = [f for f in findings if f.entity_type == span.entity_type]
            if any(_overlaps(f, span.start, span.end) for f in same):
                found[span.entity_type] += 1
            if any(f.start == span.start and f.end == span.end for f in same):
                exact[span.entity_type] += 1
        for f in findings:
            predicted[f.entity_type] += 1
            if any(
                s.entity_type == f.entity_type and _overlaps(f, s.start, s.end)
                for s in sample.spans
            ):
                correct[f.entity_type] += 1
        if sample.hard_negative:
            negatives[sample.group] += 1
            if findings:
                negatives_hit[sample.group] += 1
                negative_types.update(f.entity_type for f in findings)

    ok = True
    print(f"{'entity type':<24}{'gold':>6}{'pred':>6}{'recall':>9}{'precision':>11}{'exact':>8}")
    for entity in sorted(set(gold) | set(predicted)):
        recall = found[entity] / gold[entity] if gold[entity] else float("nan")
        precision = correct[entity] / predicted[entity] if predicted[entity] else float("nan")
        exact_rate = exact[entity] / gold[entity] if gold[entity] else float("nan")
        structured = entity not in NER_ENTITY_TYPES
        miss = structured and (
            (gold[entity] and recall < STRUCTURED_TARGET)
            or (predicted[entity] and precision < STRUCTURED_TARGET)
        )
        ok = ok and not miss
        flag = (
            "  <-- below target" if miss else ("  (NER, reported only)" if not structured else "")
        )
        print(
            f"{entity:<24}{gold[entity]:>6}{predicted[entity]:>6}{recall:>9.3f}"
            f"{precision:>11.3f}{exact_rate:>8.3f}{flag}"
        )
    total = sum(negatives.values())
    hit = sum(negatives_hit.values())
    rate = hit / total if total else 0.0
    ok = ok and rate <= NEGATIVE_FP_TARGET
    print(f"\nhard negatives: {hit}/{total} samples with a finding = {rate:.2%} FP rate")
    for group in sorted(negatives):
        print(f"  {group:<26}{negatives_hit[group]:>4}/{negatives[group]}")
    if negative_types:
        print("  finding types on hard negatives:", dict(negative_types))
    return ok


def evasion_quality(
    samples: Sequence[Sample], results: Sequence[Sequence[Finding]], title: str = "evasion"
) -> bool:
    """Print, per kind (evasion, credential structure), how many values were found (same
    type, overlapping span; exactly spanned), and the set's hard negatives; True if on
    target."""
    groups: dict[str, list[int]] = {}  # group -> [samples, found, exact]
    for sample, findings in zip(samples, results, strict=True):
        counts = groups.setdefault(sample.group, [0, 0, 0])
        counts[0] += 1
        if sample.hard_negative:
            counts[1] += bool(findings)
            continue
        same = [[f for f in findings if f.entity_type == s.entity_type] for s in sample.spans]
        counts[1] += all(
            any(_overlaps(f, s.start, s.end) for f in fs)
            for s, fs in zip(sample.spans, same, strict=True)
        )
        counts[2] += all(
            any((f.start, f.end) == (s.start, s.end) for f in fs)
            for s, fs in zip(sample.spans, same, strict=True)
        )
    ok = True
    print(f"{title:<34}{'found':>8}{'exact':>8}")
    for group in sorted(g for g in groups if not g.startswith("negative:")):
        total, found, exact = groups[group]
        ok = ok and found / total >= STRUCTURED_TARGET
        print(f"{group:<34}{found:>4}/{total:<3}{exact:>4}/{total}")
    negatives = {g: c for g, c in groups.items() if g.startswith("negative:")}
    hit = sum(c[1] for c in negatives.values())
    total = sum(c[0] for c in negatives.values())
    ok = ok and hit / total <= NEGATIVE_FP_TARGET
    print(f"{title} hard negatives: {hit}/{total} samples with a finding = {hit / total:.2%}")
    for group in sorted(negatives):
        print(f"  {group:<34}{negatives[group][1]:>4}/{negatives[group][0]}")
    return ok


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


async def speed(settings: DetectorSettings, count: int) -> bool:
    """Print latency figures; True if the 20-turn conversation is within 1.2x."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (timings are wall time)")
    rng = random.Random(SEED)
    faker = Faker("en_US")
    faker.seed_instance(SEED)
    prompts = [prompt_1kb(rng, faker) for _ in range(count)]

    local = ScanService(_with_service(settings, workers=0, cache_size=0))
    local.load()
    local.scan_sync(prompts[:3])  # warm-up
    times, cpu = [], []
    for prompt in prompts:
        started, started_cpu = time.perf_counter(), time.process_time()
        local.scan_sync([prompt])
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(
        f"1 KB prompt, in-process (NER + patterns + secrets): "
        f"median {_ms(statistics.median(times))}, p99 {_ms(_percentile(times, 0.99))} "
        f"(n={len(times)}); CPU time median {_ms(statistics.median(cpu))}, "
        f"p99 {_ms(_percentile(cpu, 0.99))}"
    )

    async with ScanService(_with_service(settings, workers=1)) as service:
        await service.scan(["warm-up"], budget=30)
        pooled = []
        for prompt in prompts:
            started = time.perf_counter()
            await service.scan([prompt], budget=30)
            pooled.append(time.perf_counter() - started)
        print(
            f"1 KB prompt, ScanService pool (1 worker, uncached): median "
            f"{_ms(statistics.median(pooled))}, p99 {_ms(_percentile(pooled, 0.99))}"
        )
        return await _conversations(service, rng, faker)


async def _conversations(service: ScanService, rng: random.Random, faker: Faker) -> bool:
    last_turn, newest_alone, uncached_last = [], [], []
    for _ in range(10):
        messages = [
            " ".join(faker.paragraph(nb_sentences=rng.randint(2, 8)) for _ in range(2))
            for _ in range(20)
        ]
        messages[rng.randrange(20)] += f" Contact {faker.name()} at {faker.email()}."
        for turn in range(1, 21):
            started = time.perf_counter()
            await service.scan(messages[:turn], budget=30)
            elapsed = time.perf_counter() - started
        last_turn.append(elapsed)
        started = time.perf_counter()
        await service.scan([messages[-1] + " "], budget=30)  # same size, not cached
        newest_alone.append(time.perf_counter() - started)
        started = time.perf_counter()
        await service.scan([m + " ." for m in messages], budget=30)  # same history, uncached
        uncached_last.append(time.perf_counter() - started)
    ratio = statistics.median(last_turn) / statistics.median(newest_alone)
    print(
        f"20-turn chat, turn 20 (history cached): median {_ms(statistics.median(last_turn))}; "
        f"its newest message alone, uncached: {_ms(statistics.median(newest_alone))}; "
        f"ratio {ratio:.2f}x (target <= 1.2x)"
    )
    print(
        f"  same 20 messages without the cache: {_ms(statistics.median(uncached_last))}; "
        f"cache {service.cache_stats}"
    )
    return ratio <= 1.2


def _with_service(settings: DetectorSettings, **changes: object) -> DetectorSettings:
    service = ServiceSettings.model_validate(settings.service.model_dump() | changes)
    return settings.model_copy(update={"service": service})


def _parts(choice: str) -> tuple[str, ...]:
    """The independent parts ``--part`` names: the held-out one only when asked for."""
    if choice == "all":
        return INDEPENDENT_PARTS
    if choice == "open":
        return tuple(part for part in INDEPENDENT_PARTS if part != "heldout")
    return (choice,)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation; exit status 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-type", type=int, default=40)
    parser.add_argument("--negatives", type=int, default=30)
    parser.add_argument("--prompts", type=int, default=200, help="1 KB prompts to time")
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument(
        "--set",
        choices=[*SETS, "all"],
        help="instead: compare ours with stock Presidio on this set (see bench/evalset/)",
    )
    parser.add_argument(
        "--part",
        choices=[*INDEPENDENT_PARTS, "open", "all"],
        default="open",
        help="independent set's part: open = every part but heldout (the default), all = "
        "every part; heldout is to report, never to tune on",
    )
    parser.add_argument("--size", type=int, default=1000, help="texts per independent part")
    parser.add_argument("--presidio-size", type=int, default=600, help="presidio set texts")
    parser.add_argument("--min-score", type=float, default=0.4)
    parser.add_argument("--no-stock", action="store_true", help="skip stock Presidio")
    parser.add_argument(
        "--errors", type=int, default=0, help="print up to N of our mistakes per type and kind"
    )
    parser.add_argument(
        "--markdown",
        type=Path,
        help="with --set: also write the README's detection table of this run to this file",
    )
    args = parser.parse_args(argv)
    if args.set:
        options = Options(
            sets=SETS if args.set == "all" else (args.set,),
            parts=_parts(args.part),
            size=args.size,
            presidio_size=args.presidio_size,
            min_score=args.min_score,
            stock=not args.no_stock,
            errors=args.errors,
            markdown=args.markdown,
        )
        ok = run(options)
        print("\nall targets met" if ok else "\nsome targets missed")
        return 0 if ok else 1

    settings = DetectorSettings()
    samples = generate(per_type=args.per_type, negatives=args.negatives)
    scanner = ScanService(_with_service(settings, workers=0))
    scanner.load()
    started = time.perf_counter()
    results = scanner.scan_sync([s.text for s in samples])
    elapsed = time.perf_counter() - started
    print(f"labelled set: {len(samples)} samples (seed {SEED}), scanned in {elapsed:.1f}s\n")
    ok = quality(samples, results)
    evasions = generate_evasions()
    print(f"\nevasion set: {len(evasions)} samples (seed {SEED}; not part of the figures above)")
    ok = evasion_quality(evasions, scanner.scan_sync([s.text for s in evasions])) and ok
    credentials = generate_credentials()
    print(
        f"\ncredentials set: {len(credentials)} samples (seed {SEED}; passwords in URLs, "
        "connection strings and config entries; not part of the figures above)"
    )
    found = scanner.scan_sync([s.text for s in credentials])
    quality(credentials, found)  # reported in full; its targets are judged below
    # NER noise on the prose negatives ("Vault" as a LOCATION) is the NER filter's to fix
    # (issue 14 item 2): this set's targets judge the pattern and secret findings.
    patterns_only = [[f for f in fs if f.entity_type not in NER_ENTITY_TYPES] for fs in found]
    print("\nwithout NER findings:")
    ok = evasion_quality(credentials, patterns_only, title="credential") and ok
    hard = generate_hard_cases()
    print(
        f"\nhard cases set: {len(hard)} samples (seed {SEED}; national phone formats, "
        "extensions, 12-19 digit cards; technical prose, decimals, timestamps and ids as "
        "hard negatives; not part of the figures above)"
    )
    ok = quality(hard, scanner.scan_sync([s.text for s in hard])) and ok
    if not args.quality_only:
        print()
        ok = asyncio.run(speed(settings, args.prompts)) and ok
    print("\nall targets met" if ok else "\nsome targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
