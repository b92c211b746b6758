"""The batch journal kept beside each spool segment.

Before the writer sends a batch it appends ``BEGIN(start, end, rows)`` and fsyncs; after
ClickHouse accepted it, ``COMMIT(start, end, rows)`` (commits are written in spool order).
After a crash the journal says which part of the segment is committed (skip it) and which
batches were in flight: they are re-sent with exactly the same bounds, hence the same
deduplication tokens, so ClickHouse drops those whose first attempt had in fact landed.
Without the journal a replay would cut batches differently and a landed batch would be
inserted twice.

Entries are fixed-size with a CRC, so a torn last entry is recognised and ignored.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

_BODY = struct.Struct("<BQQI")  # kind, start offset, end offset, rows
_CRC = struct.Struct("<I")
ENTRY_SIZE = _BODY.size + _CRC.size


class EntryKind(IntEnum):
    BEGIN = 1
    COMMIT = 2


@dataclass(frozen=True, slots=True)
class Span:
    """A batch: records ``[start, end)`` of one segment, ``rows`` of them."""

    start: int
    end: int
    rows: int


@dataclass(frozen=True, slots=True)
class JournalState:
    """What a journal says: committed up to offset ``committed_end`` (0: nothing yet) and
    the batches in flight (begun after that, not committed), in order."""

    committed_end: int
    in_flight: tuple[Span, ...]


def encode_entry(kind: EntryKind, span: Span) -> bytes:
    """One journal entry."""
    body = _BODY.pack(kind, span.start, span.end, span.rows)
    return body + _CRC.pack(zlib.crc32(body))


def read_journal(path: Path) -> JournalState:
    """Parse a journal, stopping at the first torn or corrupt entry."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return JournalState(committed_end=0, in_flight=())
    committed_end = 0
    begun: dict[int, Span] = {}
    for offset in range(0, len(data) - ENTRY_SIZE + 1, ENTRY_SIZE):
        body = data[offset : offset + _BODY.size]
        (crc,) = _CRC.unpack_from(data, offset + _BODY.size)
        if zlib.crc32(body) != crc:
            break
        kind, start, end, rows = _BODY.unpack(body)
        span = Span(start, end, rows)
        if kind == EntryKind.COMMIT:
            committed_end = max(committed_end, end)
        elif kind == EntryKind.BEGIN:
            begun[start] = span
    in_flight = tuple(sorted((s for s in begun.values() if s.start >= committed_end), key=_start))
    return JournalState(committed_end=committed_end, in_flight=in_flight)


def _start(span: Span) -> int:
    return span.start


class Journal:
    """Append-only writer of one segment's journal. Used by the writer thread only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def _open(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return self._fd

    def begin(self, span: Span) -> None:
        """Record a batch about to be sent, durably (fsync) before it is sent."""
        fd = self._open()
        os.write(fd, encode_entry(EntryKind.BEGIN, span))
        os.fsync(fd)

    def commit(self, span: Span) -> None:
        """Record a batch ClickHouse accepted. Not fsynced: losing it only causes a
        replay that deduplication absorbs."""
        os.write(self._open(), encode_entry(EntryKind.COMMIT, span))

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
