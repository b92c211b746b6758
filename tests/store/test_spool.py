"""The write-ahead spool: framing, rotation, recovery, torn tails and the batch journal."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.store.journal import ENTRY_SIZE
from proxy.store.spool import Cursor, Spool, SpoolFullError
from proxy.store.spool_segment import HEADER_SIZE

MIB = 1024 * 1024


def _spool(directory: Path, *, max_bytes: int = 64 * MIB, segment_bytes: int = MIB) -> Spool:
    spool = Spool(directory, max_bytes=max_bytes, segment_bytes=segment_bytes)
    spool.open()
    return spool


def _drain(spool: Spool, cursor: Cursor, max_rows: int = 1000) -> list[bytes]:
    out: list[bytes] = []
    while True:
        cursor = spool.normalize(cursor)
        batch = spool.read(cursor, max_rows)
        if batch is None:
            return out
        out.extend(batch.payloads)
        cursor = batch.end


def test_appended_records_read_back_in_order(tmp_path: Path) -> None:
    """What is appended is read back byte for byte, in order."""
    spool = _spool(tmp_path)
    payloads = [f'{{"n":{i}}}'.encode() for i in range(100)]
    for payload in payloads:
        spool.append(payload)
    assert spool.pending_rows == 100
    assert _drain(spool, spool.first_cursor()) == payloads


def test_segments_rotate_and_committed_ones_are_deleted(tmp_path: Path) -> None:
    """Full segments are sealed; once committed they disappear from disk."""
    spool = _spool(tmp_path, segment_bytes=64 * 1024)
    for _ in range(100):
        spool.append(b"x" * 2000)
    assert len(list(tmp_path.glob("*.seg"))) >= 3
    cursor = spool.first_cursor()
    while (batch := spool.read(spool.normalize(cursor), 40)) is not None:
        spool.begin(batch)
        spool.commit(batch)
        cursor = batch.end
    assert spool.pending_rows == 0
    # The live segment too: a commit that leaves it fully committed closes it.
    assert list(tmp_path.glob("*.seg")) == []
    spool.append(b"after")  # the next record starts a new segment
    assert len(list(tmp_path.glob("*.seg"))) == 1
    spool.close()


def test_uncommitted_records_survive_a_restart(tmp_path: Path) -> None:
    """A new spool on the same directory replays what was not committed."""
    first = _spool(tmp_path)
    for i in range(10):
        first.append(str(i).encode())
    batch = first.read(first.first_cursor(), 4)
    assert batch is not None
    first.begin(batch)
    first.commit(batch)
    first.close()

    second = Spool(tmp_path, max_bytes=64 * MIB, segment_bytes=MIB)
    recovery = second.open()
    assert (recovery.segments, recovery.rows, recovery.torn_segments) == (1, 6, 0)
    assert _drain(second, second.first_cursor()) == [str(i).encode() for i in range(4, 10)]


def test_torn_tail_is_skipped_and_the_rest_replays(tmp_path: Path) -> None:
    """A half-written last record (crash mid-write) is dropped; earlier records survive."""
    first = _spool(tmp_path)
    for i in range(5):
        first.append(f"record-{i}".encode())
    first.close()
    segment = next(tmp_path.glob("*.seg"))
    data = segment.read_bytes()
    segment.write_bytes(data[:-3])  # cut into the last record

    second = Spool(tmp_path, max_bytes=64 * MIB, segment_bytes=MIB)
    recovery = second.open()
    assert recovery.torn_segments == 1
    assert recovery.torn_bytes > 0
    assert _drain(second, second.first_cursor()) == [f"record-{i}".encode() for i in range(4)]
    second.append(b"after")  # new appends go to a fresh segment, never after the tear
    assert len(list(tmp_path.glob("*.seg"))) == 2


def test_corrupt_record_ends_its_segment(tmp_path: Path) -> None:
    """A record whose checksum fails is treated like a torn tail."""
    first = _spool(tmp_path)
    for i in range(3):
        first.append(f"record-{i}".encode())
    first.close()
    segment = next(tmp_path.glob("*.seg"))
    data = bytearray(segment.read_bytes())
    data[-1] ^= 0xFF
    segment.write_bytes(bytes(data))
    second = Spool(tmp_path, max_bytes=64 * MIB, segment_bytes=MIB)
    assert second.open().torn_segments == 1
    assert _drain(second, second.first_cursor()) == [b"record-0", b"record-1"]


def test_segment_with_bad_header_is_set_aside(tmp_path: Path) -> None:
    """A file that does not start with the spool magic is renamed, not replayed."""
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "0000000001-deadbeef.seg").write_bytes(b"garbage")
    spool = Spool(tmp_path, max_bytes=64 * MIB, segment_bytes=MIB)
    assert spool.open().torn_segments == 1
    assert (tmp_path / "0000000001-deadbeef.corrupt").exists()
    assert spool.pending_rows == 0


def test_in_flight_batch_replays_with_the_same_bounds_and_token(tmp_path: Path) -> None:
    """A batch journaled but not committed comes back whole, with its original token."""
    first = _spool(tmp_path)
    for i in range(10):
        first.append(str(i).encode())
    batch = first.read(first.first_cursor(), 7)
    assert batch is not None
    first.begin(batch)
    first.close()  # "crash": sent, never committed

    second = Spool(tmp_path, max_bytes=64 * MIB, segment_bytes=MIB)
    second.open()
    replay = second.read(second.first_cursor(), 3)  # asks for 3, gets the in-flight 7
    assert replay is not None
    assert (replay.span, replay.token, replay.payloads) == (batch.span, batch.token, batch.payloads)


def test_torn_journal_entry_is_ignored(tmp_path: Path) -> None:
    """A half-written journal entry does not hide the valid entries before it."""
    first = _spool(tmp_path)
    for i in range(6):
        first.append(str(i).encode())
    batch = first.read(first.first_cursor(), 2)
    assert batch is not None
    first.begin(batch)
    first.commit(batch)
    first.close()
    journal = next(tmp_path.glob("*.jnl"))
    journal.write_bytes(journal.read_bytes() + b"\x02" * (ENTRY_SIZE - 1))
    second = Spool(tmp_path, max_bytes=64 * MIB, segment_bytes=MIB)
    assert second.open().rows == 4


def test_full_spool_refuses_appends(tmp_path: Path) -> None:
    """Appends beyond max_bytes raise SpoolFullError and write nothing."""
    spool = _spool(tmp_path, max_bytes=MIB, segment_bytes=MIB)
    while spool.bytes_used + 4104 <= MIB:
        spool.append(b"y" * 4096)
    assert not spool.full
    before = spool.bytes_used
    with pytest.raises(SpoolFullError):
        spool.append(b"y" * 4096)
    assert spool.bytes_used == before
    assert spool.full


def test_live_end_tracks_appends(tmp_path: Path) -> None:
    """live_end is where the next record will start."""
    spool = _spool(tmp_path)
    start = spool.live_end()
    assert start.offset == HEADER_SIZE
    record = spool.append(b"abc")
    assert spool.live_end() == Cursor(record.segment, record.end)


def test_spool_files_are_private(tmp_path: Path) -> None:
    """Segments hold prompt text: only the owner may read them."""
    spool = _spool(tmp_path / "spool")
    spool.append(b"secret prompt")
    assert (tmp_path / "spool").stat().st_mode & 0o077 == 0
    segment = next((tmp_path / "spool").glob("*.seg"))
    assert segment.stat().st_mode & 0o077 == 0


def test_several_in_flight_batches_replay_with_their_bounds(tmp_path: Path) -> None:
    """Batches sent concurrently and never committed come back one by one, unchanged."""
    first = _spool(tmp_path)
    for i in range(30):
        first.append(str(i).encode())
    one = first.read(first.first_cursor(), 10)
    assert one is not None
    two = first.read(one.end, 12)
    assert two is not None
    first.begin(one)
    first.begin(two)
    first.close()

    second = Spool(tmp_path, max_bytes=64 * MIB, segment_bytes=MIB)
    second.open()
    replay_one = second.read(second.first_cursor(), 100)
    assert replay_one is not None
    replay_two = second.read(replay_one.end, 100)
    assert replay_two is not None
    assert (replay_one.token, replay_two.token) == (one.token, two.token)
    rest = second.read(replay_two.end, 100)
    assert rest is not None
    assert rest.span.rows == 8


def test_read_respects_the_byte_limit(tmp_path: Path) -> None:
    """A batch stops before the record that would take it past max_bytes (min one record)."""
    spool = _spool(tmp_path)
    for _ in range(10):
        spool.append(b"p" * 1000)
    batch = spool.read(spool.first_cursor(), 100, max_bytes=3500)
    assert batch is not None
    assert batch.span.rows == 3
    single = spool.read(spool.first_cursor(), 100, max_bytes=10)
    assert single is not None
    assert single.span.rows == 1


def test_pending_counters_follow_appends_commits_and_restarts(tmp_path: Path) -> None:
    """Pending rows and bytes count what is not yet committed, across a restart."""
    first = _spool(tmp_path)
    records = [first.append(b"r" * 100) for _ in range(6)]
    per_record = records[0].end - records[0].start
    assert (first.pending_rows, first.pending_bytes) == (6, 6 * per_record)
    batch = first.read(first.first_cursor(), 2)
    assert batch is not None
    first.begin(batch)
    first.commit(batch)
    assert (first.pending_rows, first.pending_bytes) == (4, 4 * per_record)
    first.close()
    second = Spool(tmp_path, max_bytes=64 * MIB, segment_bytes=MIB)
    second.open()
    assert (second.pending_rows, second.pending_bytes) == (4, 4 * per_record)
    cursor = second.first_cursor()
    while (rest := second.read(second.normalize(cursor), 100)) is not None:
        second.begin(rest)
        second.commit(rest)
        cursor = rest.end
    assert (second.pending_rows, second.pending_bytes) == (0, 0)


def _commit_all(spool: Spool) -> None:
    cursor = spool.first_cursor()
    while (batch := spool.read(spool.normalize(cursor), 1000)) is not None:
        spool.begin(batch)
        spool.commit(batch)
        cursor = batch.end


def test_committed_records_leave_the_disk_at_once(tmp_path: Path) -> None:
    """A record committed to ClickHouse is no longer on disk once its commit returns, even
    though its segment is far from full (event text must not linger in the spool)."""
    spool = _spool(tmp_path, segment_bytes=64 * MIB)
    spool.append(b"AKIA-secret-row")
    _commit_all(spool)
    assert not any(b"AKIA-secret-row" in p.read_bytes() for p in tmp_path.glob("*.seg"))
    assert spool.pending_rows == 0
    assert spool.normalize(spool.first_cursor()) == spool.live_end()
    spool.close()


@pytest.mark.parametrize(
    ("seal_after", "segments"),
    [(0.0, 2), (3600.0, 1)],
    ids=["old-segment-closed", "young-segment-kept"],
)
def test_busy_live_segment_is_closed_once_older_than_seal_after(
    tmp_path: Path, seal_after: float, segments: int
) -> None:
    """Under steady traffic (the live segment never fully committed at a commit), a commit
    closes a segment older than ``seal_after`` (a younger one keeps taking appends: no
    file per batch); once all is committed, no record is left on disk."""
    spool = Spool(tmp_path, max_bytes=64 * MIB, segment_bytes=64 * MIB, seal_after=seal_after)
    spool.open()
    spool.append(b"first-row")
    first = spool.read(spool.first_cursor(), 1)
    assert first is not None
    spool.begin(first)
    spool.append(b"second-row")  # arrives while the first batch is being inserted
    spool.commit(first)
    spool.append(b"third-row")
    assert len(list(tmp_path.glob("*.seg"))) == segments
    _commit_all(spool)
    assert not any(b"-row" in p.read_bytes() for p in tmp_path.glob("*.seg"))
    spool.close()


def test_spool_directory_is_made_private(tmp_path: Path) -> None:
    """An existing spool directory with wide permissions is narrowed to 0700 on open."""
    directory = tmp_path / "spool"
    directory.mkdir(mode=0o755)
    directory.chmod(0o755)
    spool = _spool(directory)
    spool.append(b"row")
    assert directory.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in directory.iterdir())
    spool.close()
