"""``EventLog``: the event sink that records every call in ClickHouse, never blocking the
request path and never losing an event it accepted.

``record(event)`` builds the stored row (applying the log content mode), appends it to the
write-ahead spool with one ``write`` call, and queues it for the writer thread: a few
microseconds, no fsync, no network. Once ``record`` returns, the event survives the
process being killed; the writer batches it to ClickHouse (see :mod:`proxy.store.writer`).

Lifecycle, all blocking, from the application's start-up and clean-up hooks (run them in a
thread off the event loop)::

    log = EventLog(settings.store, metrics)
    log.start()      # spool recovery, connect + migrations; never fails on a down store
    ...              # log.record(event), log.accepting(), log.status()
    log.close(10.0)  # flush, then stop

Overflow (``on_overflow``): a full in-memory queue spills to the spool; a full or failing
spool drops the event, counted in ``llm_proxy_log_events_dropped_total{reason}``. Under
``refuse``, ``accepting()`` answers False while the queue or the spool is full (or the last
spool write failed, for a second), so the proxy can answer 503 instead of serving a call it
could not record.
"""

from __future__ import annotations

import threading
import time
from typing import Literal

import structlog
from structlog.typing import FilteringBoundLogger

from proxy.call.events import CallEvent
from proxy.metrics import Metrics
from proxy.store.client import ClientFactory, open_client
from proxy.store.feed import Feed
from proxy.store.rows import proved_line
from proxy.store.settings import StoreSettings
from proxy.store.spool import Spool, SpoolFullError
from proxy.store.status import ErrorKind, StoreStatus
from proxy.store.writer import Writer

DropReason = Literal["spool_full", "spool_error", "encode_error", "closed", "spool_torn"]

#: After a failed spool write, ``accepting()`` refuses (under ``refuse``) for this long.
_SPOOL_FAILURE_HOLD = 1.0
_FLUSH_POLL = 0.005


class EventLog:
    """Durable, non-blocking :class:`proxy.call.events.EventSink` backed by ClickHouse."""

    def __init__(
        self,
        settings: StoreSettings,
        metrics: Metrics,
        *,
        client_factory: ClientFactory = open_client,
        logger: FilteringBoundLogger | None = None,
    ) -> None:
        self.settings = settings
        self._metrics = metrics
        self._log: FilteringBoundLogger = logger or structlog.get_logger("llm_proxy.store")
        self._spool = Spool(
            settings.spool_dir,
            max_bytes=settings.spool_max_bytes,
            segment_bytes=settings.spool_segment_bytes,
        )
        self._feed = Feed(
            self._spool,
            max_items=settings.queue_max,
            max_bytes=settings.queue_max_bytes,
            batch_rows=settings.batch_size,
            batch_bytes=settings.batch_max_bytes,
        )
        self._writer = Writer(
            settings,
            self._spool,
            self._feed,
            metrics,
            client_factory=client_factory,
            log=self._log,
        )
        self._mode = settings.default_content_mode
        self._refuse = settings.on_overflow == "refuse"
        self._state: Literal["new", "running", "closed"] = "new"
        self._lifecycle = threading.Lock()
        self._spool_failed_at = float("-inf")
        self._dropping = False
        self._last_drop: ErrorKind | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        """Recover the spool, connect and migrate, start the writer.

        A store that cannot be reached does not fail the start: events are spooled and
        the writer keeps retrying. Spooled events from an earlier run are sent first, in
        order, by the writer thread (``flush`` waits for them). Raises ``OSError`` when
        the spool directory itself is unusable: then nothing could be recorded.
        """
        with self._lifecycle:
            if self._state != "new":
                raise RuntimeError(f"EventLog.start() called on a {self._state} event log")
            recovery = self._spool.open()
            if recovery.torn_segments:
                self._drop("spool_torn", recovery.torn_segments)
                self._log.warning(
                    "spool_torn_records_skipped",
                    segments=recovery.torn_segments,
                    bytes=recovery.torn_bytes,
                )
            self._log.info(
                "event_log_starting",
                url=self.settings.display_url,
                spool_dir=str(self.settings.spool_dir),
                backlog_rows=recovery.rows,
                backlog_segments=recovery.segments,
            )
            self._writer.connect()
            self._writer.start()
            self._state = "running"

    def flush(self, timeout: float) -> bool:
        """Wait until every event recorded before the call is committed to ClickHouse.
        True if that happened within ``timeout`` seconds."""
        target = self._spool.live_end()
        deadline = time.monotonic() + timeout
        self._feed.hurry(True)
        try:
            while self._spool.normalize(self._writer.committed) < target:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(_FLUSH_POLL)
            return True
        finally:
            self._feed.hurry(False)

    def close(self, timeout: float = 10.0) -> bool:
        """Flush for at most ``timeout`` seconds, then stop the writer and close the spool.

        Returns True when everything was committed; otherwise the rest stays in the spool
        and is sent after the next start. Later ``record`` calls are counted as dropped.
        """
        with self._lifecycle:
            if self._state != "running":
                self._state = "closed"
                return True
            self._state = "closed"
        flushed = self._writer.stop(timeout)
        self._spool.close()
        self._log.info("event_log_closed", flushed=flushed, backlog=self._spool.pending_rows)
        return flushed

    # -- request path --------------------------------------------------------------------

    def record(self, event: CallEvent) -> None:
        """Record one call: spooled durably (against a process crash) before returning."""
        if self._state != "running":
            self._drop("closed")
            return
        try:
            payload, proof = proved_line(event, self._mode)
        except Exception as exc:  # contained: a malformed event must not fail the call
            self._drop("encode_error")
            self._log.error("event_encode_failed", error_type=type(exc).__name__)
            return
        try:
            self._feed.push(payload, proof)
        except SpoolFullError:
            self._drop("spool_full")
            return
        except OSError as exc:
            self._spool_failed_at = time.monotonic()
            self._drop("spool_error")
            self._log.error("spool_write_failed", error_type=type(exc).__name__, errno=exc.errno)
            return
        if self._dropping:
            self._dropping = False
            self._log.info("event_log_recording_again")

    def accepting(self) -> bool:
        """May the proxy take another call? Always True under ``keep_serving``; under
        ``refuse``, False while an event could not be recorded (or only just failed to)."""
        if not self._refuse:
            return True
        return not (
            self._feed.full
            or self._spool.full
            or time.monotonic() - self._spool_failed_at < _SPOOL_FAILURE_HOLD
        )

    def status(self) -> StoreStatus:
        """A snapshot for ``/readyz`` and the admin API."""
        spool_writable = (
            self._state == "running"
            and not self._spool.full
            and time.monotonic() - self._spool_failed_at >= _SPOOL_FAILURE_HOLD
        )
        last_error = self._writer.last_error
        if last_error is None and not spool_writable:
            last_error = self._last_drop
        return StoreStatus(
            reachable=self._writer.reachable,
            queue_depth=self._feed.depth,
            spooled_rows=self._spool.pending_rows,
            spool_bytes=self._spool.bytes_used,
            accepting=self.accepting(),
            spool_writable=spool_writable,
            last_error=last_error,
        )

    def _drop(self, reason: DropReason, count: int = 1) -> None:
        self._metrics.log_events_dropped_total.labels(reason=reason).inc(count)
        if reason in ("spool_full", "spool_error"):
            self._last_drop = ErrorKind.SPOOL_FULL if reason == "spool_full" else ErrorKind.SPOOL_IO
        if not self._dropping and reason != "spool_torn":
            self._dropping = True
            self._log.warning("event_log_dropping_events", reason=reason)
