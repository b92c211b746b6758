"""Read access to the event log for the admin API: :class:`LogReader` and its threads.

Held by the running proxy's services (``Services.log_reader``) and used by the admin log
routes (:mod:`proxy.admin.logs`); a module of its own so that neither imports the other.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any, Generic, TypeVar

import orjson
from clickhouse_connect.driver.client import Client

from proxy.store import LogFilter, LogRecord, Reader, export, get, open_client, search
from proxy.store.audit import AuditEntry, record_audit
from proxy.store.chain_verify import proof_for, verify_configured
from proxy.store.queries import find_markers
from proxy.store.settings import StoreSettings

#: Threads of the log reader's own executor: log reads never use the loop's default one.
READ_THREADS = 4
#: How long a read waits for the shared client before answering 503 instead of hanging.
LOCK_WAIT_SECONDS = 30.0
#: How long a read of calls waits for the event log to send what it holds (then it reads
#: what the store has: a store that is down must not make searches hang).
FLUSH_WAIT_SECONDS = 2.0

T = TypeVar("T")


class StoreBusy(Exception):
    """The log reader's client stayed busy past ``LOCK_WAIT_SECONDS``."""


class LogReader:
    """Read access to the event log from the admin API: a shared client for searches and
    shows, a client of its own per export, and threads of its own for all of it.

    The clients are opened on first use (ClickHouse may come up after the proxy). A
    clickhouse-connect client serialises its calls, hence the lock around the shared one;
    it is only ever held for one call, never while content is on its way to a caller.
    Reads run on a small executor of their own (``run``), so however many reads wait or
    hang, the loop's default executor (metrics, the key-file watcher, the event log's
    start and close) is never starved by them.
    """

    def __init__(
        self,
        settings: StoreSettings,
        *,
        threads: int = READ_THREADS,
        flush: Callable[[float], bool] | None = None,
    ) -> None:
        self.settings = settings
        # The event log's flush: a call answered before a search is in what it reads,
        # whatever the writer's flush interval (issue 11).
        self._flush = flush
        self._client: Client | None = None
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="log-read")

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        """Run a blocking store read on the reader's threads."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, call, *args)

    @property
    def executor(self) -> Executor:
        return self._executor

    def _with_client(self) -> Client:
        """The shared client, opened if needed; call with the lock held."""
        if self._client is None:
            self._client = open_client(self.settings)
        return self._client

    def fresh(self) -> None:
        """Let the event log send the calls recorded so far (for at most a moment):
        blocking, so on the reader's threads. Every read of calls does this first (log
        searches, exports, spend, the report, anomaly checks)."""
        if self._flush is not None:
            self._flush(FLUSH_WAIT_SECONDS)

    def _locked(self, call: Callable[[Client], T]) -> T:
        if not self._lock.acquire(timeout=LOCK_WAIT_SECONDS):
            raise StoreBusy
        try:
            return call(self._with_client())
        finally:
            self._lock.release()

    def search(self, flt: LogFilter, content: bool, reader: Reader) -> list[LogRecord]:
        db = self.settings.database
        self.fresh()
        return self._locked(
            lambda c: search(c, flt, database=db, include_content=content, reader=reader)
        )

    def get(self, request_id: str, content: bool, reader: Reader) -> LogRecord | None:
        db = self.settings.database
        self.fresh()
        return self._locked(
            lambda c: get(c, request_id, database=db, include_content=content, reader=reader)
        )

    def find_markers(self, markers: list[str], reader: Reader) -> list[LogRecord]:
        """Calls whose stored texts hold a fingerprint marker (audited as find-secret)."""
        db = self.settings.database
        self.fresh()
        return self._locked(lambda c: find_markers(c, markers, database=db, reader=reader))

    def record_audit(self, entry: AuditEntry) -> None:
        """Write one audit row through the shared client (an export's own is streaming)."""
        self._locked(lambda c: record_audit(c, entry, database=self.settings.database))

    def export_batches(self, flt: LogFilter, content: bool, reader: Reader) -> Iterator[bytes]:
        """NDJSON in batches, on a client of the export's own (closed with the iterator).
        Each batch is audited before it is yielded; nothing is locked between batches."""
        self.fresh()
        client = open_client(self.settings)
        try:
            batches = export(
                client,
                flt,
                database=self.settings.database,
                include_content=content,
                reader=reader,
                audit=self.record_audit,
            )
            try:
                for records in batches:
                    yield b"".join(orjson.dumps(r.to_dict()) + b"\n" for r in records)
            finally:
                batches.close()  # closes the stream before its client
        finally:
            client.close()

    def verify_chain(self, since: datetime | None) -> dict[str, Any]:
        """The hash chain's verification (``logs verify``), on a client of its own: it
        reads every row in range, and must not hold up searches meanwhile."""
        client = open_client(self.settings)
        try:
            return verify_configured(client, self.settings, since).to_dict()
        finally:
            client.close()

    def chain_proof(self, request_ids: list[str], texts: bool) -> dict[str, Any]:
        """The chain proof of exported calls (metadata and digests, no text; the text
        columns' digests only with ``texts``)."""
        db = self.settings.database
        return self._locked(lambda c: proof_for(c, db, request_ids, texts=texts))

    def close(self) -> None:
        """Finish the reads under way (exports closing included) and close the client."""
        self._executor.shutdown(wait=True)
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


class ThreadedIterator(Generic[T]):
    """Pulls a blocking iterator one item at a time on an executor's thread.

    ``close`` never waits for a pull in flight: a handler cancelled mid-pull (its caller
    hung up) returns at once, and the iterator is closed on the executor as soon as that
    pull has finished, releasing whatever it holds (stream, client, thread).
    """

    def __init__(self, items: Iterator[T], executor: Executor) -> None:
        self._items = items
        self._executor = executor
        self._pending: Future[T | None] | None = None

    async def next(self) -> T | None:
        """The next item, or None at the end."""
        self._pending = self._executor.submit(next, self._items, None)
        return await asyncio.wrap_future(self._pending)

    def close(self) -> Future[None]:
        """Close the iterator once no pull is in flight; the future tells when it is closed."""
        closed: Future[None] = Future()

        def close_now() -> None:
            try:
                getattr(self._items, "close", lambda: None)()
            except BaseException as exc:
                closed.set_exception(exc)
            else:
                closed.set_result(None)

        def submit(_: object = None) -> None:
            try:
                self._executor.submit(close_now)
            except RuntimeError:  # the executor is shutting down: close on this thread
                close_now()

        if self._pending is None:
            submit()
        else:
            self._pending.add_done_callback(submit)
        return closed
