"""The admin API's log reader: its own threads, bounded waits, exports closed after a pull."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator

import pytest

from proxy.admin import log_reader as reader_module
from proxy.admin.log_reader import LogReader, StoreBusy, ThreadedIterator
from proxy.store import LogFilter, Reader, StoreSettings

RESPONDER = Reader(actor="dana", role="content", via="test")


@pytest.fixture
async def reader() -> AsyncIterator[LogReader]:
    """A reader whose store is never opened by these tests."""
    log_reader = LogReader(StoreSettings(), threads=2)
    yield log_reader
    await asyncio.to_thread(log_reader.close)


async def test_reads_run_on_the_readers_own_threads(reader: LogReader) -> None:
    """Log reads never take a thread of the loop's default executor."""
    name = await reader.run(lambda: threading.current_thread().name)
    assert name.startswith("log-read")


async def test_a_read_that_cannot_get_the_client_gives_up(
    reader: LogReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read waiting for a client another read holds fails with StoreBusy (a 503) after
    LOCK_WAIT_SECONDS instead of holding its thread for ever."""
    monkeypatch.setattr(reader_module, "LOCK_WAIT_SECONDS", 0.1)
    with reader._lock, pytest.raises(StoreBusy):  # another read holds the client, stuck
        await reader.run(reader.search, LogFilter(), False, RESPONDER)


async def test_closing_during_a_pull_waits_for_nothing_and_closes_after_it(
    reader: LogReader,
) -> None:
    """close() while a pull is in flight returns at once; the iterator is closed (its
    clean-up runs) as soon as that pull has finished, and not before."""
    entered, release = threading.Event(), threading.Event()
    cleaned: list[str] = []

    def items() -> Iterator[str]:
        try:
            entered.set()
            release.wait(10)
            yield "first batch"
            yield "never pulled"
        finally:
            cleaned.append(threading.current_thread().name)

    batches = ThreadedIterator(items(), reader.executor)
    pull = asyncio.ensure_future(batches.next())
    assert await asyncio.to_thread(entered.wait, 5)
    pull.cancel()  # the caller hung up mid-pull
    closed = batches.close()
    await asyncio.sleep(0.05)
    assert not closed.done()
    assert cleaned == []
    release.set()
    await asyncio.wait_for(asyncio.wrap_future(closed), 5)
    assert len(cleaned) == 1
    assert cleaned[0].startswith("log-read")
