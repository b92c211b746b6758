"""Splitting long texts into overlapping chunks for NER, and merging their findings.

spaCy's memory grows with document length (and ``nlp.max_length`` caps it), so long texts
are analysed in chunks that share ``overlap`` characters. Every position belongs to exactly
one chunk - the cut between two chunks' territories lies in the middle of their overlap -
and a finding is kept only by the chunk whose territory holds its start. An entity shorter
than half the overlap that crosses a chunk edge is therefore whole in the owning chunk and
reported once; the partial copy in the neighbour is discarded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.scanning import Finding


@dataclass(frozen=True, slots=True)
class Chunk:
    """``text[start:end]`` is analysed; findings starting in ``[own_from, own_to)`` are kept."""

    start: int
    end: int
    own_from: int
    own_to: int


def _snap_back(text: str, position: int, floor: int) -> int:
    """The position just after the last whitespace in ``text[floor:position]``, if any."""
    for index in range(position - 1, floor - 1, -1):
        if text[index].isspace():
            return index + 1
    return position


def _snap_forward(text: str, position: int, ceiling: int) -> int:
    """The position just after the first whitespace in ``text[position:ceiling]``, if any."""
    for index in range(position, ceiling):
        if text[index].isspace():
            return index + 1
    return position


def plan_chunks(text: str, size: int, overlap: int) -> list[Chunk]:
    """Chunks of at most ``size`` characters covering ``text``, cut at whitespace if possible.

    Requires ``0 <= 4 * overlap <= size`` (checked by :class:`PiiSettings`).
    """
    length = len(text)
    if length <= size:
        return [Chunk(0, length, 0, length)]
    slack = max(1, overlap // 4)  # how far a cut may move to land on whitespace
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        end = min(start + size, length)
        if end < length:
            end = _snap_back(text, end, end - slack)
        spans.append((start, end))
        if end >= length:
            break
        next_start = end - overlap
        start = max(_snap_forward(text, next_start, next_start + slack), start + 1)
    chunks: list[Chunk] = []
    own_from = 0
    for index, (start, end) in enumerate(spans):
        # The territories meet in the middle of the overlap with the next chunk.
        own_to = (spans[index + 1][0] + end) // 2 if index + 1 < len(spans) else length
        chunks.append(Chunk(start, end, own_from, own_to))
        own_from = own_to
    return chunks


def analyse_in_chunks(
    text: str,
    size: int,
    overlap: int,
    analyse: Callable[[str], Iterable[Finding]],
) -> list[Finding]:
    """Run ``analyse`` on each chunk and return the merged findings in text offsets.

    Identical findings (type and span) from neighbouring chunks are reported once with the
    higher score.
    """
    chunks = plan_chunks(text, size, overlap)
    best: dict[tuple[str, int, int], Finding] = {}
    for chunk in chunks:
        for found in analyse(text[chunk.start : chunk.end]):
            start, end = found.start + chunk.start, found.end + chunk.start
            if not chunk.own_from <= start < chunk.own_to:
                continue
            key = (found.entity_type, start, end)
            previous = best.get(key)
            if previous is None or previous.score < found.score:
                best[key] = Finding(found.entity_type, start, end, found.score, found.detector)
    return sorted(best.values(), key=lambda f: (f.start, f.end, f.entity_type))
