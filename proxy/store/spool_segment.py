"""One segment file of the write-ahead spool (:mod:`proxy.store.spool`) and its format.

A segment is ``<seq>-<random>.seg`` in the spool directory: the magic header, then records
framed as ``length:u32 crc32:u32 payload`` (little-endian), with a journal of committed
spans beside it (``.jnl``). :func:`scan_records` finds where the valid records end, so a
record torn by a crash ends its segment instead of being read as data.
"""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path

from proxy.store.journal import Journal, Span

MAGIC = b"LPSPOOL1"
HEADER_SIZE = len(MAGIC)
#: A record's frame: its payload's length and CRC-32.
FRAME = struct.Struct("<II")


class Segment:
    """A segment file's state: its bytes, and how much is synced, sealed and committed."""

    __slots__ = (
        "committed",
        "created",
        "dir_synced",
        "end",
        "fd",
        "in_flight",
        "journal",
        "path",
        "read_fd",
        "rows",
        "rows_committed",
        "sealed",
        "seq",
        "synced",
    )

    def __init__(self, seq: int, path: Path, end: int, fd: int | None) -> None:
        self.seq = seq
        self.path = path
        self.end = end  # bytes of complete records (appends go here)
        self.fd = fd  # write fd; None for segments left by an earlier run
        self.read_fd: int | None = None
        self.journal = Journal(path.with_suffix(".jnl"))
        self.sealed = fd is None
        self.synced = end if fd is None else 0
        self.dir_synced = fd is None
        self.committed = HEADER_SIZE
        self.rows = 0
        self.rows_committed = 0
        self.in_flight: dict[int, Span] = {}  # by start offset
        self.created = time.monotonic()

    def token(self, span: Span) -> str:
        return f"{self.path.stem}:{span.start}:{span.end}"


def scan_records(data: bytes, start: int) -> list[int]:
    """End offsets of the valid records from ``start``; stops at a torn or corrupt one.

    A zero-length frame is never valid (records are never empty): its CRC is 0, so the
    zeros a filesystem may leave after a power cut would otherwise read as records.
    """
    ends: list[int] = []
    pos, size = start, len(data)
    while pos + FRAME.size <= size:
        length, crc = FRAME.unpack_from(data, pos)
        end = pos + FRAME.size + length
        if length == 0 or end > size or zlib.crc32(data[pos + FRAME.size : end]) != crc:
            break
        ends.append(end)
        pos = end
    return ends
