"""Chunking long texts for NER without losing or doubling entities on chunk edges."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable

import pytest

from core.scanning import Finding
from detectors.chunking import analyse_in_chunks, plan_chunks

WORDS = ("lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit")


def _filler(length: int) -> str:
    text = ""
    index = 0
    while len(text) < length:
        text += WORDS[index % len(WORDS)] + " "
        index += 1
    return text[:length]


@pytest.mark.parametrize("length", [0, 10, 999, 1000, 1001, 5_000, 23_456])
def test_chunks_cover_text_and_territories_partition_it(length: int) -> None:
    """Chunks stay within size, overlap, and their territories tile the text exactly."""
    text = _filler(length)
    chunks = plan_chunks(text, 1000, 200)
    assert chunks[0].start == 0
    assert chunks[-1].end == length
    assert chunks[0].own_from == 0
    assert chunks[-1].own_to == length
    for chunk in chunks:
        assert chunk.end - chunk.start <= 1000
        assert chunk.start <= chunk.own_from <= chunk.own_to <= chunk.end
    for left, right in itertools.pairwise(chunks):
        assert left.own_to == right.own_from
        assert right.start < left.end  # they overlap


def test_cuts_land_on_whitespace_when_possible() -> None:
    """Chunk edges fall just after whitespace, not inside a word."""
    text = _filler(5000)
    for chunk in plan_chunks(text, 1000, 200)[:-1]:
        assert text[chunk.end - 1].isspace()


def _regex_analyser(pattern: str) -> tuple[list[str], Callable[[str], Iterable[Finding]]]:
    seen: list[str] = []

    def analyse(chunk: str) -> Iterable[Finding]:
        seen.append(chunk)
        return [
            Finding("THING", m.start(), m.end(), 0.9, "test") for m in re.finditer(pattern, chunk)
        ]

    return seen, analyse


def test_entity_across_a_chunk_edge_is_found_once_whole() -> None:
    """An entity straddling a cut (no whitespace to snap to) is reported once, whole."""
    entity = "ID" + "7" * 116 + "ID"  # 120 characters, at most half the overlap
    at = 890
    base = _filler(3000)
    text = base[: at - 1] + " " + entity + " " + base[at + len(entity) + 1 :]
    first = plan_chunks(text, 1000, 400)[0]
    assert at < first.end < at + len(entity)  # the cut really falls inside the entity
    seen, analyse = _regex_analyser(r"ID7+(?:ID)?")  # also matches the cut-off part
    findings = analyse_in_chunks(text, 1000, 400, analyse)
    assert [(f.start, f.end) for f in findings] == [(at, at + len(entity))]
    assert len(seen) > 1


def test_entity_inside_the_overlap_is_not_doubled() -> None:
    """An entity both chunks see whole is reported once, at the higher score."""
    base = _filler(3000)
    chunks = plan_chunks(base, 1000, 200)
    at = chunks[1].start + 20  # inside the overlap of chunks 0 and 1
    text = base[:at] + "XYZZY" + base[at + 5 :]
    _, analyse = _regex_analyser("XYZZY")
    findings = analyse_in_chunks(text, 1000, 200, analyse)
    assert [(f.start, f.end) for f in findings] == [(at, at + 5)]


def test_short_text_is_one_chunk() -> None:
    """A text within the chunk size is analysed once, as is."""
    seen, analyse = _regex_analyser("amet")
    findings = analyse_in_chunks("dolor sit amet", 1000, 200, analyse)
    assert seen == ["dolor sit amet"]
    assert [(f.start, f.end) for f in findings] == [(10, 14)]
