"""Batched detection: nlp.pipe over many texts, queued units of several callers run as one,
and scans that need no NER entity type skip the model."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from core.scanning import Detector, Finding
from detectors.entities import NER_ENTITY_TYPES
from detectors.errors import DetectionUnavailable
from detectors.pii import PresidioDetector
from detectors.pool import WorkerPool
from detectors.scanplan import ScanRequest, execute, join, split
from detectors.secrets import SecretsDetector
from detectors.service import ScanService
from detectors.settings import DetectorSettings, PiiSettings, ServiceSettings
from detectors.workers import DetectorFailed, Worker
from tests.fuzzing import examples

# Prose with names, places and pattern PII (some only scored high by context words),
# technical text, blank and empty texts, and one longer than the chunk size below.
TEXTS = (
    "Please e-mail Maria Gonzalez in Madrid about the invoice; her phone is 202-555-0147.",
    "Call me on 415 555 0199 tomorrow, or write to jan.de.vries@example.nl.",
    "Should we put Envoy in front of the Redis cache before the Kafka upgrade?",
    "",
    "   \n  ",
    "Card 4111 1111 1111 1111 was charged twice; the SSN on file is 078-05-1120.",
    "John Smith moved from Berlin to Paris. " * 40,  # ~1.5k chars: chunked
    "Refund to DE89 3704 0044 0532 0130 00, account holder Peter Müller, Hamburg.",
    "The build on port 8443 fails after version 3.7.2 with a timeout.",
    "Ask Aisha Khan (aisha.khan@example.com) to review the Lisbon office lease.",
    "hey, can you ask maria gonzalez in madrid to call 202-555-0147 about the refund?",
)


@pytest.fixture(scope="module")
def chunked(nlp: Language) -> PresidioDetector:
    """The PII detector with small chunks, so that one text above is analysed in pieces."""
    return PresidioDetector(PiiSettings(chunk_chars=600, chunk_overlap=100), nlp=nlp)


@pytest.fixture(scope="module")
def one_by_one(chunked: PresidioDetector) -> list[list[Finding]]:
    """Each text of TEXTS analysed alone."""
    return [chunked.find(text) for text in TEXTS]


def _groups(order: Sequence[int], cuts: Sequence[int]) -> list[list[int]]:
    bounds = sorted({0, len(order), *(c % (len(order) + 1) for c in cuts)})
    return [list(order[a:b]) for a, b in itertools.pairwise(bounds) if a < b]


@pytest.mark.slow
@settings(
    max_examples=examples(6),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    order=st.permutations(range(len(TEXTS))),
    cuts=st.lists(st.integers(min_value=0, max_value=len(TEXTS)), max_size=4),
)
def test_any_grouping_gives_the_findings_of_one_by_one_analysis(
    chunked: PresidioDetector,
    one_by_one: list[list[Finding]],
    order: list[int],
    cuts: list[int],
) -> None:
    """Texts batched through nlp.pipe in any grouping and order get exactly their own findings."""
    for group in _groups(order, cuts):
        batched = chunked.scan([TEXTS[i] for i in group])
        assert batched == [one_by_one[i] for i in group]


@pytest.mark.slow
def test_joined_units_split_back_into_each_units_own_results(pii: PresidioDetector) -> None:
    """Units joined for one worker call (all detectors, views) split back exactly."""
    detectors: list[Detector] = [pii, SecretsDetector()]
    units = [ScanRequest(tuple(TEXTS[i : i + 3])) for i in range(0, len(TEXTS), 3)]
    alone = [execute(detectors, unit) for unit in units]
    assert split(units, execute(detectors, join(units))) == alone
    assert any(f.entity_type == "PERSON" for found in alone for text in found for f in text)


@pytest.mark.slow
def test_without_ner_the_findings_are_the_same_minus_ner_types(
    chunked: PresidioDetector, one_by_one: list[list[Finding]]
) -> None:
    """Skipping NER loses only NER entity types: context-scored patterns score the same."""
    before = chunked.ner_texts
    without = chunked.scan_without_ner(list(TEXTS))
    assert chunked.ner_texts == before
    expected = [[f for f in found if f.entity_type not in NER_ENTITY_TYPES] for found in one_by_one]
    assert without == expected
    # The phone with "phone" nearby scores above the bare match: context still works.
    phone = next(f for f in without[0] if f.entity_type == "PHONE_NUMBER")
    assert phone.score > 0.4
    assert any(f.entity_type == "PERSON" for f in one_by_one[0])


@pytest.mark.slow
async def test_a_scan_whose_rules_need_no_ner_entity_does_not_run_ner() -> None:
    """entities without an NER type: no text reaches NER, PERSON is not reported, and the
    result is cached apart from a full scan's."""
    text = "Maria Gonzalez paid with 4111 1111 1111 1111 and it was refused."
    service = ScanService(DetectorSettings(service=ServiceSettings(workers=0)))
    async with service:
        [answers] = await service.scan([text], entities={"CREDIT_CARD", "IBAN_CODE", "PASSWORD"})
        assert service.ner_texts == 0
        [names] = await service.scan([text], entities={"PERSON", "CREDIT_CARD"})
        assert service.ner_texts == 1
        [everything] = await service.scan([text])
        assert service.ner_texts == 2  # a narrower scan's result is not a full scan's
    assert [f.entity_type for f in answers] == ["CREDIT_CARD"]
    assert [f.entity_type for f in names] == ["PERSON", "CREDIT_CARD"]
    assert everything == names


class _RecordingWorker:
    """A worker that answers each text with one finding naming it, after a short pause;
    it records the texts of each call it gets and fails a call with a text saying BOOM."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.release = asyncio.Event()

    @property
    def alive(self) -> bool:
        return True

    async def run(self, request: ScanRequest) -> list[list[Finding]]:
        self.calls.append(request.texts)
        await self.release.wait()
        if any("BOOM" in text for text in request.texts):
            raise DetectorFailed("RuntimeError")
        return [[Finding(text, 0, len(text), 1.0, "echo")] for text in request.texts]

    async def stop(self) -> None:
        return None

    def close(self) -> None:
        return None


async def _pool(worker: _RecordingWorker, batch_chars: int) -> WorkerPool:
    async def launch() -> Worker:
        return worker

    pool = WorkerPool(launch, size=1, batch_chars=batch_chars)
    await pool.start()
    return pool


def _unit(text: str) -> ScanRequest:
    return ScanRequest((text,))


async def test_units_of_two_callers_are_batched_in_turn_and_get_their_own_results() -> None:
    """Queued units of two callers go to the worker together in round-robin order, within
    the batch bound, and each scan gets exactly the findings of its own texts; the pool
    counts its batches by size."""
    worker = _RecordingWorker()
    pool = await _pool(worker, batch_chars=4 * 3)  # four 3-character units per batch
    try:
        first = asyncio.create_task(pool.run("a", [_unit("a00")]))
        await asyncio.sleep(0.01)  # the worker is busy with a00; the rest queue up
        a = asyncio.create_task(pool.run("a", [_unit(f"a{n:02}") for n in range(1, 7)]))
        b = asyncio.create_task(pool.run("b", [_unit(f"b{n:02}") for n in range(1, 4)]))
        await asyncio.sleep(0.01)
        worker.release.set()
        results = await asyncio.gather(first, a, b)
    finally:
        await pool.close()
    assert worker.calls == [
        ("a00",),
        ("a01", "b01", "a02", "b02"),
        ("a03", "b03", "a04", "a05"),
        ("a06",),
    ]
    texts = [[[f.entity_type for f in found] for found in unit] for unit in results[1]]
    assert texts == [[[f"a{n:02}"]] for n in range(1, 7)]
    assert [unit[0][0].entity_type for unit in results[2]] == ["b01", "b02", "b03"]
    assert pool.batch_sizes == {1: 2, 4: 2}


async def test_without_a_batch_bound_units_run_one_at_a_time() -> None:
    """batch_chars=0 keeps the pool's old behaviour: one unit per worker call."""
    worker = _RecordingWorker()
    worker.release.set()
    pool = await _pool(worker, batch_chars=0)
    try:
        await asyncio.gather(pool.run("a", [_unit("a1"), _unit("a2")]), pool.run("b", [_unit("b")]))
    finally:
        await pool.close()
    assert worker.calls == [("a1",), ("b",), ("a2",)]


async def test_a_detector_failure_in_a_batch_fails_only_the_scan_that_caused_it() -> None:
    """A batch whose detector fails is run again unit by unit: the other callers' scans in
    it still get their findings."""
    worker = _RecordingWorker()
    pool = await _pool(worker, batch_chars=1000)
    try:
        first = asyncio.create_task(pool.run("x", [_unit("warm")]))
        await asyncio.sleep(0.01)
        good = asyncio.create_task(pool.run("a", [_unit("fine")]))
        bad = asyncio.create_task(pool.run("b", [_unit("BOOM")]))
        other = asyncio.create_task(pool.run("c", [_unit("also fine")]))
        await asyncio.sleep(0.01)
        worker.release.set()
        await first
        [[[found]]] = await good
        with pytest.raises(DetectionUnavailable, match="detector failed"):
            await bad
        [[[also]]] = await other
    finally:
        await pool.close()
    assert (found.entity_type, also.entity_type) == ("fine", "also fine")
    assert worker.calls[1] == ("fine", "BOOM", "also fine")


@pytest.mark.slow
def test_a_detector_without_ner_entity_types_never_runs_the_model(nlp: Language) -> None:
    """Configured with pattern types only, the detector finds them without running NER."""
    detector = PresidioDetector(PiiSettings(entities=("CREDIT_CARD",)), nlp=nlp)
    [found] = detector.scan([TEXTS[5]])
    assert detector.ner_texts == 0
    assert [f.entity_type for f in found] == ["CREDIT_CARD"]


@pytest.mark.slow
def test_text_without_capitals_skips_the_model_and_keeps_its_pattern_findings(
    chunked: PresidioDetector,
) -> None:
    """A text whose letters are all lower-case does not reach NER (a name NER could tag in
    it would be dropped as implausible anyway); its capitalised twin does."""
    lower = TEXTS[-1]
    before = chunked.ner_texts
    [found] = chunked.scan([lower])
    assert chunked.ner_texts == before
    assert [f.entity_type for f in found] == ["PHONE_NUMBER"]
    [twin] = chunked.scan([lower.replace("maria gonzalez", "Maria Gonzalez")])
    assert chunked.ner_texts == before + 1
    assert "PERSON" in [f.entity_type for f in twin]
