"""``ScanService``: detection for the proxy's event loop, off the loop, cached, time-boxed.

* Detection runs in a process pool (``service.workers`` processes; each loads the
  detectors - and the spaCy model - once, in its initializer), or, with ``workers: 0``,
  in one background thread of this process (CLI, tests).
* Results are cached by SHA-256 of (configuration fingerprint, text): a chat that resends
  its history only pays for its new messages. Work that outlives its request's budget still
  lands in the cache, so a retry is cheap.
* Failures are explicit: a crashed worker restarts the pool and raises
  ``DetectionUnavailable`` for the request that saw it; a request that runs past its budget
  raises ``DetectionTimeout``. The caller decides fail-open or fail-closed.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Protocol, runtime_checkable

import structlog

from detectors import _worker
from detectors.base import Detector, Finding
from detectors.cache import CacheKey, CacheStats, ScanCache, cache_key
from detectors.errors import DetectionTimeout, DetectionUnavailable
from detectors.registry import DetectorFactory, default_detectors, preflight, scan_all
from detectors.settings import DetectorSettings

log = structlog.get_logger(__name__)


class DurationObserver(Protocol):
    """Receives the wall time of each ``scan`` call (cache hits included), in seconds."""

    def __call__(self, seconds: float, direction: str) -> None: ...


class _Observation(Protocol):
    def observe(self, amount: float) -> None: ...


@runtime_checkable
class LabelledHistogram(Protocol):
    """What ``Metrics.detector_duration_seconds`` (a prometheus Histogram) provides."""

    def labels(self, **labelkwargs: str) -> _Observation: ...


def histogram_observer(histogram: LabelledHistogram) -> DurationObserver:
    """A ``DurationObserver`` feeding a histogram labelled by ``direction``."""

    def observe(seconds: float, direction: str) -> None:
        histogram.labels(direction=direction).observe(seconds)

    return observe


def _balanced(texts: dict[CacheKey, str], groups: int) -> list[list[tuple[CacheKey, str]]]:
    """Split texts into at most ``groups`` batches of similar total length."""
    batches: list[list[tuple[CacheKey, str]]] = [[] for _ in range(min(groups, len(texts)))]
    loads = [0] * len(batches)
    for key, text in sorted(texts.items(), key=lambda item: -len(item[1])):
        lightest = loads.index(min(loads))
        batches[lightest].append((key, text))
        loads[lightest] += len(text)
    return batches


class ScanService:
    """Scans texts with the configured detectors; see the module docstring.

    Lifecycle: ``await start()`` (loads models; raises DetectorConfigError or
    DetectionUnavailable if that fails), ``await scan(...)`` any number of times,
    ``await close()``. It is also an async context manager. For synchronous callers with
    ``workers: 0``, ``load()`` then ``scan_sync(...)``.
    """

    def __init__(
        self,
        settings: DetectorSettings,
        *,
        detector_factory: DetectorFactory = default_detectors,
        on_duration: DurationObserver | LabelledHistogram | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        """``on_duration`` takes a callback or a histogram with a ``direction`` label
        (``Metrics.detector_duration_seconds``); ``detector_factory`` must be picklable."""
        self._settings = settings
        self._factory = detector_factory
        self._on_duration = (
            histogram_observer(on_duration)
            if isinstance(on_duration, LabelledHistogram)
            else on_duration
        )
        self._clock = clock
        self._fingerprint = settings.fingerprint()
        self._cache = ScanCache(settings.service.cache_size)
        self._workers = settings.service.workers
        self._executor: Executor | None = None
        self._detectors: list[Detector] | None = None
        self._detect_lock = threading.Lock()
        self._restarts = 0
        self._closed = False
        self._pending = 0  # batches submitted and not finished
        self._pending_lock = threading.Lock()

    # --- introspection ------------------------------------------------------------------

    @property
    def settings(self) -> DetectorSettings:
        """The settings this service was built with."""
        return self._settings

    @property
    def cache_stats(self) -> CacheStats:
        """Cache hits and misses so far."""
        return self._cache.stats

    @property
    def busy_workers(self) -> int:
        """Workers scanning now (batches in flight, at most the pool size)."""
        return min(self._pending, max(1, self._workers))

    @property
    def restarts(self) -> int:
        """How many times the worker pool was replaced after a crash."""
        return self._restarts

    # --- lifecycle ----------------------------------------------------------------------

    def load(self) -> None:
        """Build the detectors in this process (``workers: 0`` only); idempotent."""
        if self._workers != 0:
            raise RuntimeError("load() is for in-process mode (service.workers = 0)")
        with self._detect_lock:
            if self._detectors is None:
                preflight(self._settings)
                self._detectors = self._factory(self._settings)

    async def start(self) -> None:
        """Load the detectors (in every worker) and get ready to scan."""
        if self._closed:
            raise RuntimeError("ScanService is closed")
        if self._executor is not None:
            return
        preflight(self._settings)
        if self._workers == 0:
            await asyncio.to_thread(self.load)
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="detect")
            return
        pool = self._new_pool()
        self._executor = pool
        try:
            pings = [asyncio.wrap_future(pool.submit(_worker.ping)) for _ in range(self._workers)]
            await asyncio.gather(*pings)
        except BrokenProcessPool as exc:
            pool.shutdown(wait=False, cancel_futures=True)
            self._executor = None
            raise DetectionUnavailable("detection workers failed to start") from exc

    async def close(self) -> None:
        """Stop the workers; pending scans are cancelled. Idempotent."""
        self._closed = True
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)

    async def __aenter__(self) -> ScanService:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def _new_pool(self) -> ProcessPoolExecutor:
        service = self._settings.service
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context(service.start_method),
            initializer=_worker.initialize,
            initargs=(self._settings, self._factory),
            max_tasks_per_child=service.max_tasks_per_worker,
        )

    def _respawn(self, broken: Executor) -> None:
        """Replace a broken pool (once, however many requests saw it break)."""
        if self._executor is not broken or self._closed:
            return
        broken.shutdown(wait=False, cancel_futures=True)
        pool = self._new_pool()
        self._executor = pool
        self._restarts += 1
        for _ in range(self._workers):
            pool.submit(_worker.ping)  # start and warm the new workers now
        log.warning("detector_pool_restarted", restarts=self._restarts)

    # --- scanning -----------------------------------------------------------------------

    def _detect_in_process(self, texts: Sequence[str]) -> list[list[Finding]]:
        with self._detect_lock:
            if self._detectors is None:
                raise RuntimeError("ScanService not started")
            return scan_all(self._detectors, texts)

    def scan_sync(self, texts: Sequence[str]) -> list[list[Finding]]:
        """Scan in the calling thread (``workers: 0``), using the cache; no time budget."""
        self.load()
        keys, results, missing = self._lookup(texts)
        if missing:
            found = self._detect_in_process(list(missing.values()))
            for key, findings in zip(missing, found, strict=True):
                results[key] = tuple(findings)
                self._cache.put(key, results[key])
        return [list(results[key]) for key in keys]

    def _lookup(
        self, texts: Sequence[str]
    ) -> tuple[list[CacheKey], dict[CacheKey, tuple[Finding, ...]], dict[CacheKey, str]]:
        """Cache keys per text, the cached results, and the distinct texts still to scan."""
        keys = [cache_key(self._fingerprint, text) for text in texts]
        results: dict[CacheKey, tuple[Finding, ...]] = {}
        missing: dict[CacheKey, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key in results or key in missing:
                continue
            cached = self._cache.get(key)
            if cached is None:
                missing[key] = text
            else:
                results[key] = cached
        return keys, results, missing

    async def scan(
        self,
        texts: Sequence[str],
        *,
        budget: float | None = None,
        direction: str = "input",
    ) -> list[list[Finding]]:
        """Findings for each text, in order.

        ``budget`` is the wall-time limit in seconds for this call (queueing included);
        None means the configured ``service.budget_seconds`` (itself None: unbounded).
        ``direction`` ("input"/"output") only labels the duration observation.

        Raises DetectionTimeout past the budget and DetectionUnavailable when a worker
        crashed or a detector failed. Never blocks the event loop.
        """
        started = self._clock()
        try:
            return await self._scan(texts, budget)
        finally:
            self._observe(self._clock() - started, direction)

    async def _scan(self, texts: Sequence[str], budget: float | None) -> list[list[Finding]]:
        keys, results, missing = self._lookup(texts)
        if missing:
            results.update(await self._detect(missing, budget))
        return [list(results[key]) for key in keys]

    async def _detect(
        self, missing: dict[CacheKey, str], budget: float | None
    ) -> dict[CacheKey, tuple[Finding, ...]]:
        executor = self._executor
        if executor is None:
            raise RuntimeError("ScanService not started (await start() first)")
        limit = self._settings.service.budget_seconds if budget is None else budget
        batches = _balanced(missing, max(1, self._workers))
        futures: list[Future[list[list[Finding]]]] = []
        try:
            for batch in batches:
                futures.append(self._submit(executor, batch))
            done = await asyncio.wait_for(
                asyncio.gather(*(asyncio.wrap_future(f) for f in futures)), timeout=limit
            )
        except TimeoutError:
            for future in futures:
                future.cancel()  # not started yet: drop it; running: it still fills the cache
            raise DetectionTimeout(f"detection exceeded its budget of {limit:g}s") from None
        except BrokenProcessPool as exc:
            self._respawn(executor)
            raise DetectionUnavailable("a detection worker crashed; pool restarted") from exc
        except Exception as exc:
            # Only the type: a detector's message or traceback may quote the scanned text.
            log.error("detector_failed", error=type(exc).__name__)
            raise DetectionUnavailable(f"detector failed: {type(exc).__name__}") from exc
        found: dict[CacheKey, tuple[Finding, ...]] = {}
        for batch, batch_results in zip(batches, done, strict=True):
            for (key, _), findings in zip(batch, batch_results, strict=True):
                found[key] = tuple(findings)
        return found

    def _submit(
        self, executor: Executor, batch: list[tuple[CacheKey, str]]
    ) -> Future[list[list[Finding]]]:
        texts = [text for _, text in batch]
        if isinstance(executor, ProcessPoolExecutor):
            future = executor.submit(_worker.scan, texts)
        else:
            future = executor.submit(self._detect_in_process, texts)
        keys = [key for key, _ in batch]
        with self._pending_lock:
            self._pending += 1
        future.add_done_callback(lambda f: self._store(keys, f))
        return future

    def _store(self, keys: list[CacheKey], future: Future[list[list[Finding]]]) -> None:
        """Cache a finished batch (runs in the pool's callback thread)."""
        with self._pending_lock:
            self._pending -= 1
        if future.cancelled() or future.exception() is not None:
            return
        for key, findings in zip(keys, future.result(), strict=True):
            self._cache.put(key, tuple(findings))

    def _observe(self, seconds: float, direction: str) -> None:
        if self._on_duration is None:
            return
        try:
            self._on_duration(seconds, direction)
        except Exception as exc:  # a metrics bug must not fail detection
            log.error("detector_duration_observer_failed", error=type(exc).__name__)
