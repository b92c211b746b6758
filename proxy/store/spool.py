"""The write-ahead spool: every event is on disk before ``record()`` returns.

Segment files ``<seq>-<random>.seg`` under the spool directory, each a magic header then
records framed as ``length:u32 crc32:u32 payload`` (little-endian). ``append`` writes each
record with one ``write`` call and no fsync, so it survives the process being killed (the
kernel holds it); the writer fsyncs once per batch, before sending it, which bounds what a
power cut can take. A segment is closed for appends at ``segment_bytes`` and deleted once
every record in it is committed to ClickHouse. Appends after a restart always go to a new
segment, so a torn tail left by a crash is never written past: on recovery a record whose
length or CRC does not check out ends its segment, and the rest of the spool replays.

Event text must not linger on disk once ClickHouse holds it, so the live segment is also
closed at a commit that leaves it fully committed, or once it is ``seal_after`` seconds
old (whichever comes first; under steady traffic the time bound applies), and is then
deleted as soon as its last record is committed.

Thread model: ``append`` runs on the request path; everything else on the writer thread.
A lock guards the segment table and counters; fsync, reads and deletes happen outside it.
"""

from __future__ import annotations

import os
import secrets
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from proxy.datadir import ensure_private_dir
from proxy.store.journal import Span, read_journal
from proxy.store.spool_segment import FRAME, HEADER_SIZE, MAGIC, Segment, scan_records

_READ_CHUNK = 8 * 1024 * 1024
# Bound once: ``append`` runs once a call on the request path.
_pack_frame = FRAME.pack
_FRAME_SIZE = FRAME.size
_crc32 = zlib.crc32
_new_tuple = tuple.__new__
#: Default age (seconds) after which a commit closes the live segment.
SEAL_AFTER_SECONDS = 5.0


class SpoolFullError(Exception):
    """The spool has reached its configured size: the event was not recorded."""


class SpooledRecord(NamedTuple):
    """One appended record: where it lies in which segment, and its bytes."""

    segment: int
    start: int
    end: int
    payload: bytes


@dataclass(frozen=True, slots=True, order=True)
class Cursor:
    """A position in the spool: a byte offset within segment number ``segment``."""

    segment: int
    offset: int


@dataclass(frozen=True, slots=True)
class Batch:
    """Consecutive records of one segment, sent to ClickHouse as one insert."""

    segment: int
    span: Span
    payloads: tuple[bytes, ...]
    token: str  # deduplication token: the same bounds always give the same token

    @property
    def end(self) -> Cursor:
        return Cursor(self.segment, self.span.end)


@dataclass(frozen=True, slots=True)
class Recovery:
    """What ``open`` found left over from earlier runs."""

    segments: int
    rows: int
    torn_segments: int
    torn_bytes: int


class Spool:
    """Append-only, segmented, crash-tolerant log of encoded rows (see module docstring)."""

    def __init__(
        self,
        directory: Path,
        *,
        max_bytes: int,
        segment_bytes: int,
        seal_after: float = SEAL_AFTER_SECONDS,
    ) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.seal_after = seal_after
        # A full spool frees space only by deleting sealed segments, so the live segment
        # must be a small part of it.
        self.segment_bytes = min(segment_bytes, max(max_bytes // 4, 64 * 1024))
        self._overflowed = False
        self._lock = threading.Lock()
        self._segments: dict[int, Segment] = {}
        self._live: Segment | None = None
        self._next_seq = 1
        self._bytes = 0
        self._pending = 0
        self._pending_bytes = 0
        self._closed = True

    # -- state ---------------------------------------------------------------------------

    @property
    def pending_rows(self) -> int:
        """Records on disk not yet committed to ClickHouse."""
        return self._pending

    @property
    def pending_bytes(self) -> int:
        """Bytes of the records not yet committed (frames included)."""
        return self._pending_bytes

    @property
    def bytes_used(self) -> int:
        return self._bytes

    @property
    def full(self) -> bool:
        """An append was refused for space, and no segment has been deleted since."""
        return self._overflowed or self._bytes >= self.max_bytes

    def live_end(self) -> Cursor:
        """Where the next appended record will start (ends of all records so far)."""
        with self._lock:
            live = self._live
            return Cursor(live.seq, live.end) if live else self._next_start()

    def _next_start(self) -> Cursor:
        """Where the first record of the next segment will start (lock held)."""
        return Cursor(self._next_seq, HEADER_SIZE)

    def first_cursor(self) -> Cursor:
        """The oldest record not yet committed."""
        with self._lock:
            first = min(self._segments, default=None)
            if first is None:
                return Cursor(self._next_seq, HEADER_SIZE)
            return Cursor(first, self._segments[first].committed)

    # -- lifecycle -----------------------------------------------------------------------

    def open(self) -> Recovery:
        """Load segments left by earlier runs and start a new segment for appends."""
        ensure_private_dir(self.directory)
        torn_segments = torn_bytes = rows = 0
        for path in sorted(self.directory.glob("*.seg")):
            seq = int(path.stem.split("-", 1)[0])
            self._next_seq = max(self._next_seq, seq + 1)
            data = path.read_bytes()
            if not data.startswith(MAGIC):
                # Not ours or torn in its header: keep it aside for inspection.
                path.rename(path.with_suffix(".corrupt"))
                torn_segments, torn_bytes = torn_segments + 1, torn_bytes + len(data)
                continue
            ends = scan_records(data, HEADER_SIZE)
            valid_end = ends[-1] if ends else HEADER_SIZE
            if valid_end < len(data):
                torn_segments, torn_bytes = torn_segments + 1, torn_bytes + len(data) - valid_end
            segment = Segment(seq, path, valid_end, fd=None)
            state = read_journal(segment.journal.path)
            segment.committed = max(HEADER_SIZE, min(state.committed_end, valid_end))
            segment.rows = len(ends)
            segment.rows_committed = sum(1 for end in ends if end <= segment.committed)
            segment.in_flight = {
                span.start: span
                for span in state.in_flight
                if span.start >= segment.committed and span.end <= valid_end
            }
            if segment.committed >= valid_end:
                self._delete(segment)
                continue
            self._segments[seq] = segment
            self._bytes += valid_end
            self._pending += segment.rows - segment.rows_committed
            self._pending_bytes += valid_end - segment.committed
            rows += segment.rows - segment.rows_committed
        leftover = len(self._segments)
        self._closed = False
        with self._lock:
            self._start_segment()
        return Recovery(leftover, rows, torn_segments, torn_bytes)

    def close(self) -> None:
        """Flush and close every file; delete segments that are fully committed."""
        with self._lock:
            self._closed = True
            self._live = None
            segments = list(self._segments.values())
        for segment in segments:
            if segment.fd is not None:
                os.fsync(segment.fd)
                os.close(segment.fd)
                segment.fd = None
            segment.sealed = True
            if segment.committed >= segment.end:
                with self._lock:
                    self._forget(segment)
                self._delete(segment)
            else:
                self._close_files(segment)

    # -- request path --------------------------------------------------------------------

    def append(self, payload: bytes) -> SpooledRecord:
        """Write one record; raises :class:`SpoolFullError`, or ``OSError`` from the disk.
        An empty payload is refused (``ValueError``): it could not be told from zeros."""
        length = len(payload)
        if not length:
            raise ValueError("a spool record cannot be empty")
        header = _pack_frame(length, _crc32(payload))
        size = _FRAME_SIZE + length
        with self._lock:
            if self._closed:
                raise OSError("spool is closed")
            if self._bytes + size > self.max_bytes:
                self._overflowed = True
                raise SpoolFullError
            live = self._live
            if live is None or (live.end + size > self.segment_bytes and live.end > HEADER_SIZE):
                live = self._start_segment()
            assert live.fd is not None
            try:
                written = os.writev(live.fd, (header, payload))
            except OSError:
                self._abandon(live)
                raise
            if written != size:
                self._abandon(live)
                raise OSError(f"short write to spool segment {live.path.name}")
            start = live.end
            live.end = end = start + size
            live.rows += 1
            self._bytes += size
            self._pending += 1
            self._pending_bytes += size
            # tuple.__new__ directly: the NamedTuple's own __new__ is a Python-level call.
            return _new_tuple(SpooledRecord, (live.seq, start, end, payload))

    def _start_segment(self) -> Segment:
        """Seal the live segment and open a new one (lock held)."""
        if self._live is not None:
            self._live.sealed = True
        seq = self._next_seq
        self._next_seq += 1
        path = self.directory / f"{seq:010d}-{secrets.token_hex(4)}.seg"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        os.write(fd, MAGIC)
        segment = Segment(seq, path, HEADER_SIZE, fd)
        self._segments[seq] = segment
        self._bytes += HEADER_SIZE
        self._live = segment
        return segment

    def _abandon(self, segment: Segment) -> None:
        """After a failed write: cut the partial record off, or at least never append
        after it again (lock held). Readers stop at ``end`` either way."""
        assert segment.fd is not None
        try:
            os.ftruncate(segment.fd, segment.end)
        except OSError:
            segment.sealed = True
            self._live = None

    # -- writer thread ---------------------------------------------------------------------

    def normalize(self, cursor: Cursor) -> Cursor:
        """Move a cursor past the end of sealed (or deleted) segments to the next record."""
        with self._lock:
            while True:
                segment = self._segments.get(cursor.segment)
                if segment is not None and not (segment.sealed and cursor.offset >= segment.end):
                    return cursor
                later = [seq for seq in self._segments if seq > cursor.segment]
                if not later:
                    # Past a closed live segment: the next record starts a new one.
                    return cursor if self._live is not None else self._next_start()
                nxt = self._segments[min(later)]
                cursor = Cursor(nxt.seq, nxt.committed)

    def read(self, cursor: Cursor, max_rows: int, max_bytes: int = 1 << 62) -> Batch | None:
        """Up to ``max_rows`` records (and ``max_bytes`` of payload, at least one record)
        from ``cursor`` within its segment, or None when there are none yet. A batch that
        was in flight at a crash is returned whole, with the bounds it had."""
        with self._lock:
            segment = self._segments.get(cursor.segment)
            if segment is None or cursor.offset >= segment.end:
                return None
            limit = segment.end
            flight = segment.in_flight.get(cursor.offset)
            later = [start for start in segment.in_flight if start > cursor.offset]
        if segment.read_fd is None:
            segment.read_fd = os.open(segment.path, os.O_RDONLY)
        if flight is not None:
            limit, max_rows, max_bytes = flight.end, flight.rows, 1 << 62
        elif later:
            limit = min(later)  # never cut across a batch that must be re-sent whole
        payloads: list[bytes] = []
        size = 0
        pos = cursor.offset
        while len(payloads) < max_rows and size < max_bytes and pos < limit:
            data = os.pread(segment.read_fd, min(_READ_CHUNK, limit - pos), pos)
            ends = scan_records(data, 0)
            if not ends:  # one record larger than the chunk
                (length,) = struct.unpack_from("<I", data)
                data = os.pread(segment.read_fd, FRAME.size + length, pos)
                ends = scan_records(data, 0)
                if not ends:
                    raise OSError(f"unreadable record at {segment.path.name}:{pos}")
            start = 0
            for end in ends[: max_rows - len(payloads)]:
                payload = data[start + FRAME.size : end]
                if payloads and size + len(payload) > max_bytes:
                    size = max_bytes  # full: stop the outer loop too
                    break
                payloads.append(payload)
                size += len(payload)
                start = end
            pos += start
        span = Span(cursor.offset, pos, len(payloads))
        return Batch(segment.seq, span, tuple(payloads), segment.token(span))

    def batch(self, records: list[SpooledRecord]) -> Batch:
        """A batch from records taken off the in-memory queue (contiguous, one segment)."""
        first, last = records[0], records[-1]
        span = Span(first.start, last.end, len(records))
        with self._lock:
            token = self._segments[first.segment].token(span)
        return Batch(first.segment, span, tuple(r.payload for r in records), token)

    def begin(self, batch: Batch) -> None:
        """Make a batch durable and journal it as in flight; call before sending it."""
        with self._lock:
            segment = self._segments[batch.segment]
        if segment.fd is not None and segment.synced < batch.span.end:
            os.fsync(segment.fd)
            segment.synced = batch.span.end
        segment.journal.begin(batch.span)
        with self._lock:
            segment.in_flight[batch.span.start] = batch.span
        if not segment.dir_synced:
            dir_fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
            segment.dir_synced = True

    def commit(self, batch: Batch) -> None:
        """Record that ClickHouse accepted a batch; delete segments now fully committed."""
        with self._lock:
            segment = self._segments[batch.segment]
        segment.journal.commit(batch.span)
        with self._lock:
            segment.in_flight.pop(batch.span.start, None)
            segment.committed = batch.span.end
            segment.rows_committed += batch.span.rows
            self._pending -= batch.span.rows
            self._pending_bytes -= batch.span.end - batch.span.start
            live = self._live
            if live is segment and (
                segment.committed >= segment.end
                or time.monotonic() - segment.created >= self.seal_after
            ):
                # The next append starts a new segment; this one goes once committed.
                segment.sealed = True
                self._live = None
        self.release()

    def release(self) -> None:
        """Delete sealed segments whose records are all committed."""
        with self._lock:
            done = [s for s in self._segments.values() if s.sealed and s.committed >= s.end]
            for segment in done:
                self._forget(segment)
        for segment in done:
            self._delete(segment)

    def _forget(self, segment: Segment) -> None:
        """Drop a segment from the table and the counters (lock held)."""
        del self._segments[segment.seq]
        self._bytes -= segment.end
        self._overflowed = False
        self._pending -= segment.rows - segment.rows_committed
        self._pending_bytes -= segment.end - segment.committed

    def _close_files(self, segment: Segment) -> None:
        segment.journal.close()
        for fd in (segment.fd, segment.read_fd):
            if fd is not None:
                os.close(fd)
        segment.fd = segment.read_fd = None

    def _delete(self, segment: Segment) -> None:
        self._close_files(segment)
        segment.path.unlink(missing_ok=True)
        segment.journal.path.unlink(missing_ok=True)
