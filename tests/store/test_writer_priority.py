"""The event log's writer and insert threads run at a lower CPU priority than the thread
serving calls, so an insert into the embedded engine cannot take the CPU from calls."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from proxy.store import EventLog
from proxy.store.inserter import WRITER_NICENESS, lower_priority
from tests.store.factories import make_event

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="nice values per thread are Linux's"
)


def _nice(thread: threading.Thread) -> int:
    assert thread.native_id is not None
    return os.getpriority(os.PRIO_PROCESS, thread.native_id)


def test_lower_priority_lowers_only_the_calling_thread() -> None:
    """A thread that calls lower_priority (twice, or from a thread that did) runs
    WRITER_NICENESS nicer than the main thread; the process's other threads keep theirs."""
    before = _nice(threading.current_thread())
    seen: list[int] = []

    def run() -> None:
        lower_priority()
        lower_priority()
        seen.append(_nice(threading.current_thread()))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert seen == [min(19, before + WRITER_NICENESS)]
    assert _nice(threading.current_thread()) == before


def test_writer_and_insert_threads_run_below_the_callers_thread(event_log: EventLog) -> None:
    """After an event went through to ClickHouse, the writer thread and every insert
    thread are niced below the thread that recorded it."""
    event_log.record(make_event())
    assert event_log.flush(timeout=10)
    mine = _nice(threading.main_thread())
    threads = [t for t in threading.enumerate() if t.name.startswith("event-log-")]
    assert any(t.name == "event-log-writer" for t in threads)
    assert any(t.name.startswith("event-log-insert") for t in threads)
    for thread in threads:
        assert _nice(thread) == min(19, mine + WRITER_NICENESS), thread.name
