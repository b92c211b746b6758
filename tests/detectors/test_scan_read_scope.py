"""A cached read of a scope asked before is one step (issue 11, h172): the service keeps the
cache scope of each (NER coverage, entity types) a policy's selection passes, so a plain
call's read resolves no PII scope or coverage again and hashes each text once; whatever
collection the types come in, the read answers as a fresh look-up does."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Collection, Iterator
from types import FrameType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.service import ScanService
from detectors.settings import DetectorSettings
from tests.fuzzing import examples

MODEL_NAME, PROMPT = "gpt-4o-mini", "Please summarise the notes for the committee. " * 8
TYPES = frozenset({"PERSON", "EMAIL_ADDRESS"})


@pytest.fixture
async def service() -> AsyncIterator[ScanService]:
    """An in-process service with a PII scope to resolve (its scope is part of each key)."""
    detectors = DetectorSettings.model_validate({"enabled": ["secrets"], "service": {"workers": 0}})
    async with ScanService(detectors) as started:
        started._model = True  # keys then carry the PII scope and NER coverage, as in serve
        yield started


def _entered(read: Any) -> tuple[Any, list[str]]:
    """What ``read()`` returns, and the qualified names of our functions it entered."""
    entered: list[str] = []

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        where = frame.f_code.co_filename
        if event == "call" and "/detectors/" in where and "/tests/" not in where:
            entered.append(frame.f_code.co_qualname)

    sys.setprofile(profile)
    try:
        result = read()
    finally:
        sys.setprofile(None)
    return result, entered


async def test_a_scope_read_before_is_read_in_one_step(service: ScanService) -> None:
    """The second read of a prompt and its model name under the same coverage and types
    enters only the service's read, the kept scope's keys and one call into the cache:
    no scope or coverage resolved again. It counts one hit per text, as the scan did."""
    texts = [MODEL_NAME, PROMPT]
    scanned = await service.scan(texts, ner_chars=500, entities=TYPES)
    assert service.cached(texts, ner_chars=500, entities=TYPES) == scanned
    before = service.cache_stats
    found, entered = _entered(lambda: service.cached(texts, ner_chars=500, entities=TYPES))
    after = service.cache_stats
    assert found == scanned
    assert (after.hits - before.hits, after.misses - before.misses) == (2, 0)
    assert entered == [
        "ScanService.cached",
        "CacheScope.cached",
        "CacheScope.keys",
        "ScanCache.hit_all",
    ]


ENTITY_COLLECTIONS = st.sampled_from(
    [
        None,
        TYPES,
        frozenset({"PERSON"}),
        frozenset(),
        ["PERSON", "EMAIL_ADDRESS"],  # unhashable: read, never kept
        ("EMAIL_ADDRESS", "PERSON"),
        {"PERSON"},
    ]
)
#: Every text the module's service has scanned (under any scope).
SCANNED: set[str] = set()
TEXTS = st.lists(st.sampled_from(["", MODEL_NAME, PROMPT, "x" * 30, "a key sk-"]), max_size=3)


@pytest.fixture(scope="module")
def started() -> Iterator[tuple[asyncio.Runner, ScanService]]:
    """One event loop and one started service for every example of the property."""
    detectors = DetectorSettings.model_validate({"enabled": ["secrets"], "service": {"workers": 0}})
    with asyncio.Runner() as loop:
        service = ScanService(detectors)
        service._model = True
        loop.run(service.start())
        yield loop, service
        loop.run(service.close())


@settings(max_examples=examples(40), deadline=None)
@given(
    reads=st.lists(
        st.tuples(TEXTS, st.sampled_from([None, 0, 5, 10_000]), ENTITY_COLLECTIONS),
        min_size=1,
        max_size=6,
    ),
    salt=st.integers(0, 10**9),
)
def test_a_read_answers_as_the_scan_for_any_scope(
    started: tuple[asyncio.Runner, ScanService],
    reads: list[tuple[list[str], int | None, Collection[str] | None]],
    salt: int,
) -> None:
    """For any texts, coverage and entity types (None, frozensets, lists, tuples, sets), in
    any order: texts never scanned are not read (nothing counted), and once scanned a read
    returns the scan's findings, counting one hit per distinct text and no miss."""
    loop, service = started
    for drawn, ner_chars, entities in reads:
        texts = [f"{text} {salt}" for text in drawn]  # new to the cache in this example
        if texts and SCANNED.isdisjoint(texts):  # examples share the service and its cache
            before = service.cache_stats
            assert service.cached(texts, ner_chars=ner_chars, entities=entities) is None
            assert service.cache_stats == before
        scanned = loop.run(service.scan(texts, ner_chars=ner_chars, entities=entities))
        SCANNED.update(texts)
        before = service.cache_stats
        assert service.cached(texts, ner_chars=ner_chars, entities=entities) == scanned
        after = service.cache_stats
        assert (after.hits - before.hits, after.misses - before.misses) == (len(set(texts)), 0)
