"""The in-memory feed between record() and the writer thread."""

from __future__ import annotations

import time
from pathlib import Path

from proxy.store.feed import Feed
from proxy.store.spool import Spool

MIB = 1024 * 1024


def test_a_flush_ending_does_not_end_another_flushs_hurry(tmp_path: Path) -> None:
    """Two flushes hurry the feed; when one ends, take() still returns a partial batch at
    once for the other instead of waiting out the flush interval."""
    spool = Spool(tmp_path, max_bytes=64 * MIB, segment_bytes=MIB)
    spool.open()
    feed = Feed(spool, max_items=100, max_bytes=MIB, batch_rows=50, batch_bytes=MIB)
    cursor = spool.live_end()
    assert feed.go_live(cursor)
    feed.push(b'{"request_id":"a"}')
    feed.hurry(True)
    feed.hurry(True)
    feed.hurry(False)
    started = time.monotonic()
    taken = feed.take(cursor, wait=60.0)
    assert time.monotonic() - started < 30.0
    assert [r.payload for r in taken.records] == [b'{"request_id":"a"}']
    spool.close()
