"""``WorkerPool``: detection workers fed from a fair queue; a scan that is over is stopped.

A scan call hands the pool its units (see :mod:`detectors.scanplan`) under the caller's
name; one dispatcher per worker takes units from the :class:`~detectors.fairqueue.FairQueue`
round-robin across callers and runs them. When a scan is over before its unit finishes -
its budget expired, its request was cancelled, or another of its units failed - the
dispatcher stops that unit at once: a worker process is killed and replaced by a warm
spare (``spares`` processes are kept loaded for this; a new spare loads in the
background), so one caller's runaway scan never holds a worker past its own budget.
Units of a finished scan that are still queued are skipped.

Micro-batching: a dispatcher that takes a unit also takes the units queued behind it (in
the same round-robin order, so the batch is fair across callers), up to ``batch_chars``
characters, without waiting for more when the queue is empty. The worker runs them as one
unit - NER over all of their texts in one ``nlp.pipe`` call - and each scan gets its own
results back. A batch is stopped only when every scan in it is over (a batch is short);
if a detector fails on one, its units are run again one by one, so only that scan fails.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import structlog

from core.scanning import Finding
from detectors.errors import DetectionUnavailable
from detectors.fairqueue import FairQueue
from detectors.scanplan import ScanRequest, join, split
from detectors.workers import DetectorFailed, Worker, WorkerCrashed, WorkerError

log = structlog.get_logger(__name__)

#: Findings per text of one unit.
UnitResult = list[list[Finding]]
#: Starts one worker with its detectors loaded; raises DetectionUnavailable if it cannot.
Launch = Callable[[], Awaitable[Worker]]
#: At most this many units in one batch, whatever their size.
MAX_BATCH_UNITS = 64


@dataclass(eq=False, slots=True)
class _Job:
    """One scan call's units; ``future`` gets every unit's result, or the first error."""

    future: asyncio.Future[list[UnitResult]]
    results: list[UnitResult | None]
    left: int

    @classmethod
    def create(cls, units: int) -> _Job:
        job = cls(asyncio.get_running_loop().create_future(), [None] * units, units)
        if not units:
            job.future.set_result([])
        return job

    @property
    def over(self) -> bool:
        return self.future.done()

    def deliver(self, index: int, result: UnitResult) -> None:
        if self.over:
            return
        self.results[index] = result
        self.left -= 1
        if not self.left:
            self.future.set_result([r for r in self.results if r is not None])

    def fail(self, error: Exception) -> None:
        if not self.over:
            self.future.set_exception(error)


@dataclass(frozen=True, slots=True)
class _Unit:
    job: _Job
    index: int
    request: ScanRequest


def _closed() -> DetectionUnavailable:
    return DetectionUnavailable("the detection service is closed")


class WorkerPool:
    """``size`` workers (plus ``spares`` loaded in reserve) serving scans fairly.

    ``max_units_per_worker`` replaces a worker after that many units (bounds spaCy's
    growing string store). ``batch_chars`` bounds a batch of queued units run as one (0: one
    unit at a time). Lifecycle: ``await start()``, ``await run(...)``, ``await close()``.
    """

    def __init__(
        self,
        launch: Launch,
        *,
        size: int,
        spares: int = 0,
        max_units_per_worker: int | None = None,
        retry_seconds: float = 1.0,
        batch_chars: int = 0,
    ) -> None:
        if size < 1 or spares < 0:
            raise ValueError(f"a pool needs size >= 1 and spares >= 0, got {size}, {spares}")
        if batch_chars < 0:
            raise ValueError(f"batch_chars must be >= 0, got {batch_chars}")
        self._batch_chars = batch_chars
        self._launch = launch
        self._size = size
        self._spare_count = spares
        self._max_units = max_units_per_worker
        self._retry_seconds = retry_seconds
        self._queue: FairQueue[_Unit] = FairQueue()
        self._workers: list[Worker] = []
        self._spares: deque[asyncio.Future[Worker]] = deque()
        self._dispatchers: list[asyncio.Task[None]] = []
        self._busy = 0
        self._restarts = 0
        self._batch_sizes: Counter[int] = Counter()
        self._closed = False

    @property
    def busy(self) -> int:
        """Workers running a unit now."""
        return self._busy

    @property
    def restarts(self) -> int:
        """Workers replaced because they crashed or were stopped in the middle of a unit."""
        return self._restarts

    @property
    def batch_sizes(self) -> Counter[int]:
        """How many batches of each size (units run as one) the workers got so far."""
        return Counter(self._batch_sizes)

    @property
    def ready(self) -> int:
        """Workers loaded and ready to scan, serving or in reserve (0 before ``start()``);
        one stopped or crashed is not counted until its replacement has loaded."""
        serving = sum(1 for worker in self._workers if worker.alive)
        spares = sum(
            1
            for spare in self._spares
            if spare.done()
            and not spare.cancelled()
            and spare.exception() is None
            and spare.result().alive
        )
        return serving + spares

    @property
    def queued(self) -> int:
        """Units waiting for a worker (those of finished scans included until skipped)."""
        return len(self._queue)

    async def start(self) -> None:
        """Start and load every worker and spare; raises DetectionUnavailable if one fails.

        Waiting for the spares too means the first stopped worker is replaced at once.
        """
        launches = [self._launch() for _ in range(self._size + self._spare_count)]
        outcomes = await asyncio.gather(*launches, return_exceptions=True)
        started = [o for o in outcomes if not isinstance(o, BaseException)]
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        if failures:
            for worker in started:
                worker.close()
            raise DetectionUnavailable("detection workers failed to start") from failures[0]
        self._workers = started[: self._size]
        for spare in started[self._size :]:
            ready: asyncio.Future[Worker] = asyncio.get_running_loop().create_future()
            ready.set_result(spare)
            self._spares.append(ready)
        self._dispatchers = [
            asyncio.create_task(self._dispatch(slot), name=f"detector-dispatch-{slot}")
            for slot in range(self._size)
        ]
        for task in self._dispatchers:
            task.add_done_callback(_log_unexpected_end)

    async def run(self, caller: str, requests: Sequence[ScanRequest]) -> list[UnitResult]:
        """Each request's result, in order. Queued under ``caller`` for fair service.

        Raises DetectionUnavailable if a worker crashed or a detector failed. Cancelling
        the call (a timeout around it) stops its units, running or queued.
        """
        if self._closed:
            raise _closed()
        job = _Job.create(len(requests))
        for index, request in enumerate(requests):
            self._queue.put(caller, _Unit(job, index, request))
        try:
            return await job.future
        finally:
            job.future.cancel()  # nothing if it finished; else its units see it is over

    async def close(self) -> None:
        """Stop the dispatchers and every worker; scans still waiting fail. Idempotent."""
        self._closed = True
        for task in self._dispatchers:
            task.cancel()
        await asyncio.gather(*self._dispatchers, return_exceptions=True)
        for pending in self._spares:
            pending.cancel()
        spares = await asyncio.gather(*self._spares, return_exceptions=True)
        self._spares.clear()
        for worker in (*self._workers, *(s for s in spares if not isinstance(s, BaseException))):
            worker.close()
        for unit in self._queue.drain():
            unit.job.fail(_closed())

    # --- dispatching --------------------------------------------------------------------

    async def _dispatch(self, slot: int) -> None:
        units_run = 0
        while True:
            unit = await self._queue.get()
            if unit.job.over:
                continue  # its scan timed out, was cancelled or failed while queued
            batch = self._gather(unit)
            self._batch_sizes[len(batch)] += 1
            worker = self._workers[slot]
            self._busy += 1
            try:
                lost = await self._run_batch(worker, batch)
            except Exception as exc:  # a pool bug must fail its scans, not stop this slot
                log.error("detector_pool_error", error=type(exc).__name__)
                for failed in batch:
                    failed.job.fail(
                        DetectionUnavailable(f"detection pool error: {type(exc).__name__}")
                    )
                lost = not worker.alive
            finally:
                self._busy -= 1
            units_run += len(batch)
            if lost:
                self._restarts += 1
                log.warning("detector_worker_replaced", restarts=self._restarts)
            elif self._max_units is None or units_run < self._max_units:
                continue
            await worker.stop()  # reaps a dead process; recycles a live one
            self._workers[slot] = await self._replacement()
            units_run = 0

    def _gather(self, first: _Unit) -> list[_Unit]:
        """``first`` and the joinable units queued behind it, within ``batch_chars``."""
        batch, chars = [first], first.request.chars
        while self._batch_chars and len(self._queue) and len(batch) < MAX_BATCH_UNITS:
            unit = self._queue.peek()
            if unit.job.over:
                self._queue.get_nowait()  # as in _dispatch: nothing waits for it
                continue
            if not first.request.joinable(unit.request):
                break
            chars += unit.request.chars
            if chars > self._batch_chars:
                break
            batch.append(self._queue.get_nowait())
        return batch

    async def _run_batch(self, worker: Worker, batch: list[_Unit]) -> bool:
        """Run ``batch`` as one unit on ``worker``; True if the worker is lost."""
        if len(batch) == 1:
            return await self._run_unit(worker, batch[0])
        requests = [unit.request for unit in batch]
        jobs = {unit.job for unit in batch}
        running = asyncio.ensure_future(worker.run(join(requests)))
        try:
            while not running.done() and not all(job.over for job in jobs):
                waiting: list[asyncio.Future[Any]] = [running]
                waiting += (job.future for job in jobs if not job.over)
                await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:  # the pool is closing
            running.cancel()
            for unit in batch:
                unit.job.fail(_closed())
            raise
        if not running.done():  # every scan in the batch is over: stop it now
            await worker.stop()
            with contextlib.suppress(WorkerError):
                await running
            return not worker.alive
        try:
            results = running.result()
        except WorkerCrashed:
            log.warning("detector_worker_crashed")
            for unit in batch:
                unit.job.fail(DetectionUnavailable("a detection worker crashed; it was replaced"))
            return True
        except DetectorFailed:
            # Which text made the detector fail is unknown: run the units one by one.
            for index, unit in enumerate(batch):
                if await self._run_unit(worker, unit):
                    for rest in batch[index + 1 :]:
                        rest.job.fail(DetectionUnavailable("a detection worker was lost"))
                    return True
            return False
        for unit, result in zip(batch, split(requests, results), strict=True):
            unit.job.deliver(unit.index, result)
        return False

    async def _run_unit(self, worker: Worker, unit: _Unit) -> bool:
        """Run ``unit`` on ``worker``; True if the worker is lost (crashed or killed)."""
        running = asyncio.ensure_future(worker.run(unit.request))
        try:
            await asyncio.wait((running, unit.job.future), return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:  # the pool is closing
            running.cancel()
            unit.job.fail(_closed())
            raise
        if not running.done():
            # The scan is over (budget, cancellation, or another unit failed): stop this
            # unit now instead of letting it hold the worker.
            await worker.stop()
            with contextlib.suppress(WorkerError):
                await running
            return not worker.alive
        try:
            result = running.result()
        except WorkerCrashed:
            log.warning("detector_worker_crashed")
            unit.job.fail(DetectionUnavailable("a detection worker crashed; it was replaced"))
            return True
        except DetectorFailed as exc:
            # Only the type: a detector's message or traceback may quote the scanned text.
            log.error("detector_failed", error=str(exc))
            unit.job.fail(DetectionUnavailable(f"detector failed: {exc}"))
        else:
            unit.job.deliver(unit.index, result)
        return False

    # --- replacing workers --------------------------------------------------------------

    async def _replacement(self) -> Worker:
        """A loaded worker: a spare if one is ready or loading, else a new one."""
        while True:
            pending = self._spares.popleft() if self._spares else self._start_launch()
            self._refill()
            try:
                return await pending
            except DetectionUnavailable:
                await asyncio.sleep(self._retry_seconds)

    def _refill(self) -> None:
        while not self._closed and len(self._spares) < self._spare_count:
            self._spares.append(self._start_launch())

    def _start_launch(self) -> asyncio.Future[Worker]:
        pending = asyncio.ensure_future(self._launch())
        pending.add_done_callback(_log_failed_launch)
        return pending


def _log_failed_launch(pending: asyncio.Future[Worker]) -> None:
    if not pending.cancelled() and pending.exception() is not None:
        log.error("detector_worker_start_failed", error=str(pending.exception()))


def _log_unexpected_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("detector_dispatcher_died", error=type(task.exception()).__name__)
