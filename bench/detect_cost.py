"""What detecting a fresh 1 KB prompt costs: ours beside stock Presidio, in one run.

    .venv/bin/python bench/detect_cost.py [--texts 200] [--concurrency 8] [--calls 320]
        [--prose faker|independent]

On the same fresh ~1 KB texts (varied prose with some personal data, generated with Faker
from a fixed seed; every text distinct, so nothing is a cache hit) it measures:

* **stock**: ``presidio_analyzer.AnalyzerEngine`` with its default recognizers and the same
  spaCy model as ours (the full pipeline, as Presidio loads it), ``analyze(text)``;
* **ours**: the detection path the proxy uses with the default settings
  (``ScanService(DetectorSettings())`` in-process, ``scan_sync([text])``: every detector,
  normalised and decoded views, NER), one text per call;
* their ratio per text (the issue's goal: <= 0.5), from CPU time and from wall time. Stock
  and ours alternate text by text, so load from other processes hits both alike;
* **ours, 8 texts per call** (what micro-batching makes of texts that reach a worker
  together), and **ours, no NER** (the scan a call gets when no rule in scope needs an NER
  entity, e.g. the default policy's answers), where the service offers it;
* **throughput** of fresh prompts at ``--concurrency`` through the real ``ScanService``
  with one worker process (prompts/s per worker; the goal is >= 3x the ~30/s before), in
  wall time and per CPU-second the detection processes used (read from ``/proc``, so that
  other load on the machine does not count), with the sizes of the batches the worker got;
* the same for **stock** Presidio in one worker process (a ``ProcessPoolExecutor`` of one,
  the same callers and texts; it has no batching), and the ratio of the two per
  CPU-second.

``--prose independent`` measures the same on ~1 KB prompts made of the independent
evaluation set's tuning texts (technical questions, tickets, configs, stack traces, chats)
instead of Faker prose (half of which is Latin or French filler).

Timings are noisy on a shared machine: compare figures of the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import inspect
import logging
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import spacy
from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from detectors.service import ScanService
from detectors.settings import DetectorSettings, PiiSettings

SEED = 14_04
TEXT_CHARS = 1024
WARMUP = 12

# --- texts ------------------------------------------------------------------------------


def _ticket(f: Faker, rng: random.Random) -> str:
    return (
        f"Ticket #{rng.randint(10000, 99999)}: {f.catch_phrase()}.\n"
        f"Customer {f.name()} ({f.email()}) called from {f.phone_number()} about order "
        f"{rng.randint(100000, 999999)}. {f.paragraph(nb_sentences=5)} "
        f"Shipping address: {f.street_address()}, {f.city()}. {f.paragraph(nb_sentences=6)}"
    )


def _email(f: Faker, rng: random.Random) -> str:
    return (
        f"Hi {f.first_name()},\n\n{f.paragraph(nb_sentences=6)} Could you forward this to "
        f"{f.name()} in {f.city()}? {f.paragraph(nb_sentences=5)}\n\nBest regards,\n"
        f"{f.name()}\n{f.job()}, {f.company()}\nTel. {f.phone_number()}"
    )


def _technical(f: Faker, rng: random.Random) -> str:
    tools = ["Redis", "Kafka", "Postgres", "Envoy", "Django", "FastAPI", "Terraform", "Jenkins"]
    a, b = rng.sample(tools, 2)
    return (
        f"We are moving the {f.word()} service from {a} to {b}. "
        f"{f.paragraph(nb_sentences=4)} The build on port {rng.randint(1024, 65535)} fails "
        f"after version {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)} with a "
        f"timeout. {f.paragraph(nb_sentences=6)} Any idea why {a} behaves like this?"
    )


def _chat(f: Faker, rng: random.Random) -> str:
    return (
        f"Please draft a reply to {f.name()} who wrote: '{f.paragraph(nb_sentences=4)}' "
        f"Mention that our office at {f.address().replace(chr(10), ', ')} is closed on "
        f"{f.day_of_week()}. {f.paragraph(nb_sentences=5)} Her card ending "
        f"{rng.randint(1000, 9999)} was charged twice; refund to {f.iban()}."
    )


def _notes(f: Faker, rng: random.Random) -> str:
    people = ", ".join(f.name() for _ in range(3))
    return (
        f"Meeting notes {f.date()} - attendees: {people}. {f.paragraph(nb_sentences=5)} "
        f"Action: {f.first_name()} to call the supplier in {f.country()} "
        f"({f.phone_number()}). {f.paragraph(nb_sentences=6)}"
    )


_TEMPLATES: tuple[Callable[[Faker, random.Random], str], ...] = (
    _ticket,
    _email,
    _technical,
    _chat,
    _notes,
)


def fresh_texts(count: int, seed: int = SEED) -> list[str]:
    """``count`` distinct texts of about ``TEXT_CHARS`` characters (deterministic)."""
    rng = random.Random(seed)
    fakers = [Faker(locale) for locale in ("en_US", "en_GB", "de_DE", "fr_FR")]
    for index, faker in enumerate(fakers):
        faker.seed_instance(seed + index)
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < count:
        faker = rng.choice(fakers)
        text = rng.choice(_TEMPLATES)(faker, rng)
        while len(text) < TEXT_CHARS:
            text += " " + faker.sentence()
        text = text[:TEXT_CHARS]
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts


def independent_texts(count: int, seed: int = SEED) -> list[str]:
    """``count`` distinct ~``TEXT_CHARS`` prompts made of consecutive texts of the
    independent set's tuning part (tickets, e-mails, code reviews, configs, stack traces,
    chats in four locales; ``bench/evalset``), cut at a space (deterministic)."""
    from evalset.parts import PARTS, generate_part  # noqa: PLC0415 - only for this option

    rng = random.Random(seed)
    pool = [s.text for s in generate_part(PARTS["tuning"], 2000)]
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < count:
        text = ""
        while len(text) < TEXT_CHARS:
            text += rng.choice(pool) + "\n\n"
        cut = text.rfind(" ", 0, TEXT_CHARS)
        text = text[: cut if cut > TEXT_CHARS // 2 else TEXT_CHARS]
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts


TextSource = Callable[[int, int], list[str]]
TEXT_SOURCES: dict[str, TextSource] = {
    "faker": fresh_texts,
    "independent": independent_texts,
}


# --- engines ----------------------------------------------------------------------------


def stock_analyzer(model: str) -> Callable[[str], object]:
    """Stock ``AnalyzerEngine`` (default recognizers) on spaCy ``model``, made offline.

    Presidio's e-mail and URL recognizers call ``tldextract.extract``, whose module-level
    extractor downloads the public suffix list on first use; here it reads only the
    snapshot bundled with tldextract (what the machine could not fetch anyway).
    """
    import tldextract  # noqa: PLC0415
    from presidio_analyzer import AnalyzerEngine  # noqa: PLC0415
    from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: PLC0415

    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(
        cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True
    )
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": model}],
        }
    )
    engine = AnalyzerEngine(nlp_engine=provider.create_engine())

    def analyse(text: str) -> object:
        return engine.analyze(text=text, language="en")

    return analyse


def _in_process_settings() -> DetectorSettings:
    settings = DetectorSettings()
    service = settings.service.model_copy(update={"workers": 0})
    return settings.model_copy(update={"service": service})


def _pool_settings() -> DetectorSettings:
    settings = DetectorSettings()
    service = settings.service.model_copy(update={"workers": 1})
    return settings.model_copy(update={"service": service})


def _descendants_cpu() -> float | None:
    """CPU seconds used so far by this process's descendants (the pool's workers and their
    forkserver), from /proc; None where there is no /proc."""
    try:
        stats = [path.read_text() for path in Path("/proc").glob("[0-9]*/stat")]
    except OSError:
        return None
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in stats:
        pid, _, rest = stat.partition(" (")
        fields = rest.rpartition(") ")[2].split()
        parents[int(pid)] = int(fields[1])
        ticks[int(pid)] = int(fields[11]) + int(fields[12])  # utime + stime
    family, grew = {os.getpid()}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    family.discard(os.getpid())
    return sum(ticks[pid] for pid in family) / os.sysconf("SC_CLK_TCK")


def _supports(function: Callable[..., object], parameter: str) -> bool:
    return parameter in inspect.signature(function).parameters


# --- measurements -----------------------------------------------------------------------


class Timing:
    """Per-call wall and CPU seconds of one contender."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def time(self, call: Callable[[], object]) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)

    def line(self, per: int = 1) -> str:
        cpu = statistics.fmean(self.cpu) / per * 1000
        wall = statistics.fmean(self.wall) / per * 1000
        median = statistics.median(self.wall) / per * 1000
        return (
            f"{self.name:<34} cpu {cpu:6.2f} ms/text   wall mean {wall:6.2f}  "
            f"median {median:6.2f} ms/text"
        )


def per_text(texts: Sequence[str], model: str, source: TextSource = fresh_texts) -> None:
    """Stock vs ours, one text per call, alternating; then ours batched and without NER."""
    stock = stock_analyzer(model)
    ours = ScanService(_in_process_settings())
    ours.load()
    for text in source(WARMUP, SEED + 1):
        stock(text)
        ours.scan_sync([text])
    stock_t, ours_t = Timing("stock Presidio AnalyzerEngine"), Timing("ours (ScanService, 1/call)")
    for text in texts:
        stock_t.time(lambda: stock(text))  # noqa: B023 - called at once
        ours_t.time(lambda: ours.scan_sync([text]))  # noqa: B023
    stats = ours.cache_stats
    print(f"texts: {len(texts)} fresh, ~{TEXT_CHARS} chars; cache hits {stats.hits} (must be 0)")
    print(stock_t.line())
    print(ours_t.line())
    cpu_ratio = sum(ours_t.cpu) / sum(stock_t.cpu)
    wall_ratio = sum(ours_t.wall) / sum(stock_t.wall)
    print(f"ratio ours/stock: cpu {cpu_ratio:.2f}   wall {wall_ratio:.2f}   (goal <= 0.50)")

    batch = 8
    fresh = source(len(texts), SEED + 2)
    batched = Timing(f"ours, {batch} texts per call")
    for start in range(0, len(fresh) - batch + 1, batch):
        group = fresh[start : start + batch]
        batched.time(lambda: ours.scan_sync(group))  # noqa: B023
    print(batched.line(per=batch))
    if _supports(ours.scan_sync, "entities"):
        no_ner = Timing("ours, no NER entity in scope")
        answers = frozenset({"CREDIT_CARD", "IBAN_CODE", "US_SSN", "PASSWORD"})
        for text in source(len(texts), SEED + 3):
            no_ner.time(lambda: ours.scan_sync([text], entities=answers))  # noqa: B023
        print(no_ner.line())


class _Rate:
    """Prompts per second of wall time and per CPU-second of this process's descendants."""

    def __init__(self, calls: int) -> None:
        self.calls = calls
        self.started, self.cpu_before = time.perf_counter(), _descendants_cpu()
        self.elapsed = 0.0
        self.per_cpu: float | None = None

    def stop(self) -> None:
        self.elapsed = time.perf_counter() - self.started
        cpu_after = _descendants_cpu()
        if self.cpu_before is not None and cpu_after is not None and cpu_after > self.cpu_before:
            self.per_cpu = self.calls / (cpu_after - self.cpu_before)

    def line(self, title: str) -> str:
        rate = self.calls / self.elapsed
        text = f"{title}: {self.calls} fresh prompts in {self.elapsed:.1f} s = {rate:.1f} prompts/s"
        if self.per_cpu is not None:
            text += f"; {self.per_cpu:.1f} per CPU-second ({1000 / self.per_cpu:.1f} ms CPU each)"
        return text


async def _clients(
    concurrency: int, texts: Sequence[str], scan: Callable[[str, str], Awaitable[None]]
) -> None:
    """``concurrency`` callers taking the next text as soon as their last one is done."""
    queue = iter(texts)

    async def client(name: str) -> None:
        for text in queue:
            await scan(text, name)

    await asyncio.gather(*(client(f"caller-{i}") for i in range(concurrency)))


def _batch_sizes(pool: object) -> Counter[int]:
    sizes: dict[int, int] = getattr(pool, "batch_sizes", {})
    return Counter(sizes)


async def throughput(calls: int, concurrency: int, source: TextSource = fresh_texts) -> _Rate:
    """Fresh prompts per second at ``concurrency`` through a one-worker ScanService."""
    texts = source(calls, SEED + 4)
    async with ScanService(_pool_settings()) as service:
        for text in source(WARMUP, SEED + 5):
            await service.scan([text], budget=None)

        async def scan(text: str, caller: str) -> None:
            await service.scan([text], budget=None, caller=caller)

        # The service does not show its pool's batch sizes; a tree before them has none.
        pool = service._pool
        before = _batch_sizes(pool)
        rate = _Rate(calls)
        await _clients(concurrency, texts, scan)
        rate.stop()
        batches = _batch_sizes(pool) - before
    title = f"ours, 1 worker process, concurrency {concurrency}"
    print(rate.line(title))
    sizes = ", ".join(f"{size}: {count}" for size, count in sorted(batches.items()))
    times = calls / rate.elapsed / 30
    print(f"  ({times:.1f}x the ~30/s before; goal >= 3x); batch sizes {sizes or '?'}")
    return rate


@functools.lru_cache(maxsize=1)
def _stock_here(model: str) -> Callable[[str], object]:
    logging.disable(logging.WARNING)
    return stock_analyzer(model)


def _stock_scan(model: str, text: str) -> None:
    """One text through stock Presidio in a pool process (built there on first use)."""
    _stock_here(model)(text)


async def stock_throughput(
    calls: int, concurrency: int, model: str, source: TextSource = fresh_texts
) -> _Rate:
    """Fresh prompts per second at ``concurrency`` through stock Presidio in one process."""
    texts = source(calls, SEED + 4)
    loop = asyncio.get_running_loop()
    # spawn: a fresh process, as stock Presidio would be deployed (not a fork of this one)
    with ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        for text in source(WARMUP, SEED + 5):
            await loop.run_in_executor(pool, _stock_scan, model, text)

        async def scan(text: str, _caller: str) -> None:
            await loop.run_in_executor(pool, _stock_scan, model, text)

        rate = _Rate(calls)
        await _clients(concurrency, texts, scan)
        rate.stop()
    print(rate.line(f"stock Presidio, 1 worker process, concurrency {concurrency}"))
    return rate


async def throughputs(calls: int, concurrency: int, model: str, source: TextSource) -> None:
    """Ours and stock at the same concurrency on the same texts, and their ratio."""
    ours = await throughput(calls, concurrency, source)
    stock = await stock_throughput(calls, concurrency, model, source)
    ratio = (ours.calls / ours.elapsed) / (stock.calls / stock.elapsed)
    line = f"throughput ours/stock: {ratio:.2f}x prompts/s"
    if ours.per_cpu is not None and stock.per_cpu is not None:
        line += f", {ours.per_cpu / stock.per_cpu:.2f}x prompts per CPU-second"
    print(line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--texts", type=int, default=200, help="texts for the per-text cost")
    parser.add_argument("--calls", type=int, default=320, help="prompts for the throughput")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--prose",
        choices=sorted(TEXT_SOURCES),
        default="faker",
        help="faker: Faker prose in 4 locales (the figures so far); independent: prompts "
        "made of the independent evaluation set's tuning texts",
    )
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # Presidio logs a line per unmapped spaCy label
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    model = PiiSettings().spacy_model
    print(
        f"machine: {os.cpu_count()} cores, load average {load}; spaCy {spacy.about.__version__} "
        f"(builds 3.8.8 and later cost ~1.35x per text: see pyproject.toml), model {model}"
    )
    source = TEXT_SOURCES[args.prose]
    print(f"texts: {args.prose}")
    per_text(source(args.texts, SEED), model, source)
    asyncio.run(throughputs(args.calls, args.concurrency, model, source))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
