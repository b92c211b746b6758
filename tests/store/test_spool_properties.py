"""Properties of spool recovery: a damaged tail never crashes replay and never yields a
record that was not written."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.store.spool import Spool
from tests.fuzzing import examples

FUZZ = settings(max_examples=examples(100), deadline=None, database=None)
SEGMENT_BYTES = 64 << 10
#: Records up to ~20 KB (never empty, as encoded rows): several 64 KiB segments' worth.
PAYLOADS = st.lists(
    st.binary(min_size=1, max_size=64) | st.builds(lambda n: b"r" * n, st.integers(1, 20_000)),
    min_size=1,
    max_size=12,
)


def new_spool(directory: Path) -> Spool:
    return Spool(directory, max_bytes=1 << 30, segment_bytes=SEGMENT_BYTES)


def write(directory: Path, payloads: list[bytes]) -> None:
    spool = new_spool(directory)
    spool.open()
    for payload in payloads:
        spool.append(payload)
    spool.close()


def replay(directory: Path) -> list[bytes]:
    """Everything a restarted spool hands the writer, in order."""
    spool = new_spool(directory)
    spool.open()
    out: list[bytes] = []
    cursor = spool.first_cursor()
    try:
        while (batch := spool.read(spool.normalize(cursor), 1000)) is not None:
            out += batch.payloads
            cursor = batch.end
    finally:
        spool.close()
    return out


def last_segment(directory: Path) -> Path:
    return sorted(directory.glob("*.seg"))[-1]


#: An empty record's frame: length 0 and the CRC of nothing, which is 0.
EMPTY_FRAME = bytes(8)


@st.composite
def damages(draw: st.DrawFn, size: int) -> tuple[str, int, bytes]:
    """How the tail of a segment of ``size`` bytes is damaged: cut, a byte flipped, or
    garbage appended (not starting as an empty frame: see the zero-filled tail test)."""
    kind = draw(st.sampled_from(["cut", "flip", "garbage"]))
    offset = draw(st.integers(0, size - 1))
    extra = b""
    if kind == "garbage":
        extra = draw(st.binary(min_size=1, max_size=64).filter(lambda b: b[:8] != EMPTY_FRAME))
    return kind, offset, extra


def damage(directory: Path, kind: str, offset: int, extra: bytes) -> None:
    segment = last_segment(directory)
    content = segment.read_bytes()
    if kind == "cut":
        content = content[:offset]
    elif kind == "flip":
        content = content[:offset] + bytes([content[offset] ^ 0xFF]) + content[offset + 1 :]
    else:
        content += extra
    segment.write_bytes(content)


@FUZZ
@given(PAYLOADS, st.data())
def test_a_damaged_tail_replays_only_records_that_were_written(
    payloads: list[bytes], data: st.DataObject
) -> None:
    """After the last segment is cut, corrupted or padded, replay does not fail and gives
    the records written, in order: all of them before the damage, none invented."""
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        write(directory, payloads)
        kind, offset, extra = data.draw(damages(last_segment(directory).stat().st_size))
        damage(directory, kind, offset, extra)
        replayed = replay(directory)
    assert replayed == payloads[: len(replayed)], "a record that was not written"
    if kind == "garbage":
        assert replayed == payloads


def test_a_zero_filled_tail_replays_no_records(tmp_path: Path) -> None:
    """Zeros after the last record, as a filesystem may leave after a power cut, are not
    records: replay gives exactly what was written."""
    payloads = [b'{"request_id": "a"}', b'{"request_id": "b"}']
    write(tmp_path, payloads)
    damage(tmp_path, "append", 0, bytes(4096))
    assert replay(tmp_path) == payloads


@FUZZ
@given(PAYLOADS, st.integers(1, 4), st.integers(0, 200))
def test_a_torn_journal_never_loses_an_uncommitted_record(
    payloads: list[bytes], batch_rows: int, cut: int
) -> None:
    """With batches committed and the journal then cut anywhere, replay gives every record
    that was not committed, each one as written, in order."""
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        spool = new_spool(directory)
        spool.open()
        for payload in payloads:
            spool.append(payload)
        committed: list[bytes] = []
        cursor = spool.first_cursor()
        while (batch := spool.read(spool.normalize(cursor), batch_rows)) is not None:
            spool.begin(batch)
            if len(committed) + len(batch.payloads) > len(payloads) // 2:
                break  # the rest stays in flight or unsent
            spool.commit(batch)
            committed += batch.payloads
            cursor = batch.end
        spool.close()
        for journal in directory.glob("*.jnl"):
            journal.write_bytes(journal.read_bytes()[:cut])
        replayed = replay(directory)
    uncommitted = payloads[len(committed) :]
    assert replayed[len(replayed) - len(uncommitted) :] == uncommitted
    assert replayed == payloads[len(payloads) - len(replayed) :]
