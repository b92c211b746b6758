"""``ScanService``: detection for the proxy's event loop, off the loop, cached, time-boxed, fair.

* Detection runs in a pool of worker processes (``service.workers``; each loads the
  detectors - and the spaCy model - once), or, with ``workers: 0``, in one background
  thread of this process (CLI, tests). See :mod:`detectors.pool`.
* Each call's texts become small units (:mod:`detectors.scanplan`): pattern detectors run
  over whole texts, NER over the first ``ner_chars`` characters of each text in chunks.
  Units are queued per caller and served round-robin, so a caller's huge prompt does not
  hold back anyone else's.
* Units that reach a worker together (several callers' prompts queued while it was busy)
  go to it as one batch, and NER runs over their texts in one ``nlp.pipe`` call (see
  :mod:`detectors.pool`); each call still gets exactly its own findings.
* A call names the entity types its rules match (``entities``): the PII detector then
  reports only those and runs only the recognizers they need (:mod:`detectors.pii_scope`;
  the findings are exactly a full scan's of those types) - no NER model when none is an
  NER type, no phone-number matcher when phone numbers are not wanted. When a call needing
  no NER has small new texts (``inline_chars``, a stream's output window), they are
  scanned right here, on the event loop (:mod:`detectors.inline_scan`).
* Results are cached (:mod:`detectors.scan_lookup`): a chat that resends its history
  only pays for its new messages.
* Failures are explicit: a crashed worker is replaced and the call that saw it gets
  ``DetectionUnavailable``; a call that runs past its budget gets ``DetectionTimeout`` and
  its work is stopped (a worker in the middle of one of its units is killed and replaced
  by a warm spare), so nothing of it is cached. The caller decides fail-open or closed.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Collection, Sequence
from types import TracebackType

import structlog

from core.scanning import Detector, Finding
from detectors.cache import CacheKey, CacheStats, ScanCache
from detectors.errors import DetectionTimeout, DetectionUnavailable
from detectors.inline_scan import INLINE_CHARS, InlineScanner, vetted
from detectors.pii_scope import wanted_types
from detectors.pool import WorkerPool
from detectors.registry import DetectorFactory, default_detectors, preflight
from detectors.scan_duration import DurationObserver, LabelledHistogram, histogram_observer
from detectors.scan_lookup import CacheScope, ScopedCache
from detectors.scanplan import MODEL_DETECTORS, Pass, ScanPlan, execute, plan_scan
from detectors.settings import DetectorSettings
from detectors.workers import ProcessLauncher, ThreadWorker, Worker

log = structlog.get_logger(__name__)

#: The fair queue's line for scans that name no caller.
ANONYMOUS = ""
#: Entity sets whose wanted PII types a service keeps (a few per policy; more is unusual).
_WANTED_KEPT = 256
#: At most this many characters of queued units go to a worker in one batch: NER over
#: 16 KB takes ~0.2 s, the longest a short prompt waits for the others batched with it.
BATCH_CHARS = 16_384


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
        inline_chars: int = INLINE_CHARS,
        on_load: Callable[[], object] | None = None,
    ) -> None:
        """``on_duration`` takes a callback or a histogram with a ``direction`` label
        (``Metrics.detector_duration_seconds``); ``detector_factory`` must be picklable.
        ``inline_chars``: the largest no-NER scan run inline (0: every scan goes to the
        pool; then this process loads no detectors of its own). ``on_load`` is called,
        on the event loop, for each set of detectors loaded (see :attr:`loads`)."""
        self._settings = settings
        self._factory = detector_factory
        self._on_duration = (
            histogram_observer(on_duration)
            if isinstance(on_duration, LabelledHistogram)
            else on_duration
        )
        self._clock = clock
        self._workers = settings.service.workers
        self._model = bool(MODEL_DETECTORS & set(settings.enabled) and settings.pii.entities)
        self._cache = ScopedCache(
            ScanCache(settings.service.cache_size), settings.fingerprint(), model=self._model
        )
        self._pii_entities = tuple(settings.pii.entities) if self._model else ()
        self._wanted_by_set: dict[frozenset[str], frozenset[str] | None] = {}
        #: The cache scope of each (NER coverage, entity types) :meth:`cached` was asked for
        #: (types kept only as None or a frozenset: the key of a changeable collection would
        #: not stay its scope's).
        self._read_scopes: dict[tuple[int | None, Collection[str] | None], CacheScope] = {}
        self._ner_texts = 0
        self._pool: WorkerPool | None = None
        self._launcher: ProcessLauncher | None = None
        self._detectors: list[Detector] | None = None
        self._detect_lock = threading.Lock()
        self._inline_chars = inline_chars
        self._on_load = on_load
        self._loads = 0
        #: This process's detectors for inline scans (with a pool of worker processes).
        self._inline: InlineScanner | None = None
        self._closed = False

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
    def ner_texts(self) -> int:
        """Texts (or chunks of long texts) scanned with NER wanted so far, cache misses only
        (the model itself still skips a text whose letters are all lower-case)."""
        return self._ner_texts

    @property
    def inline_scans(self) -> int:
        """Scans run inline (no NER, small new texts) instead of in the pool, so far."""
        return 0 if self._inline is None else self._inline.scans

    @property
    def busy_workers(self) -> int:
        """Workers scanning now."""
        return 0 if self._pool is None else self._pool.busy

    @property
    def ready_workers(self) -> int:
        """Workers loaded and ready to scan, serving or in reserve (0 until started)."""
        return 0 if self._pool is None else self._pool.ready

    @property
    def loads(self) -> int:
        """Sets of detectors loaded so far: each worker process started (spares and
        replacements included), this process's own (``workers: 0``, or for inline scans).
        Each is warmed up when it counts (:func:`~detectors.registry.default_detectors`)."""
        return self._loads

    @property
    def restarts(self) -> int:
        """Worker processes replaced after a crash or after being stopped past a budget."""
        return 0 if self._pool is None else self._pool.restarts

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
        if self._pool is not None:
            return
        preflight(self._settings)
        service = self._settings.service
        if self._workers == 0:
            await asyncio.to_thread(self.load)
            self._loaded()
            pool = WorkerPool(self._thread_worker, size=1, batch_chars=BATCH_CHARS)
        else:
            self._launcher = ProcessLauncher(self._settings, self._factory)
            pool = WorkerPool(
                self._launch,
                size=self._workers,
                spares=service.spare_workers,
                max_units_per_worker=service.max_tasks_per_worker,
                batch_chars=BATCH_CHARS,
            )
        # The inline detectors load while the workers do (start-up waits for the slowest
        # load, not the sum); under fork first, as a thread importing modules while a
        # worker is forked could leave the worker's import locks held.
        inline = self._load_inline() if self._workers != 0 else None
        try:
            if inline is not None and service.start_method == "fork":
                await inline
            await pool.start()
            if inline is not None:
                await inline
            if self._inline is not None:
                self._loaded()
        except BaseException:
            if inline is not None:
                inline.cancel()
            await self._close_pool(pool)
            raise
        self._pool = pool

    async def _launch(self) -> Worker:
        """A worker process started by the launcher, its detectors loaded (counted)."""
        assert self._launcher is not None
        worker = await self._launcher()
        self._loaded()
        return worker

    def _loaded(self) -> None:
        self._loads += 1
        if self._on_load is not None:
            self._on_load()

    def _load_inline(self) -> asyncio.Task[None] | None:
        """Start building this process's detectors for inline scans in a thread; None when
        there are none to build."""
        if self._inline_chars == 0 or self._factory is not default_detectors:
            return None

        def load() -> None:
            detectors = vetted(self._factory(self._settings))
            if detectors is not None:
                self._inline = InlineScanner(
                    detectors, max_chars=self._inline_chars, model=self._model
                )

        return asyncio.create_task(asyncio.to_thread(load), name="inline-detectors-load")

    async def close(self) -> None:
        """Stop the workers; pending scans fail with DetectionUnavailable. Idempotent."""
        self._closed = True
        pool, self._pool = self._pool, None
        if pool is not None:
            await self._close_pool(pool)

    async def _close_pool(self, pool: WorkerPool) -> None:
        await pool.close()
        if self._launcher is not None:
            self._launcher.close()  # also workers whose start was cut short

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

    async def _thread_worker(self) -> Worker:
        if self._detectors is None:
            raise RuntimeError("ScanService not loaded")
        return ThreadWorker(self._detectors, self._detect_lock)

    # --- scanning -----------------------------------------------------------------------

    def scan_sync(
        self,
        texts: Sequence[str],
        *,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> list[list[Finding]]:
        """Scan in the calling thread (``workers: 0``), using the cache; no time budget."""
        self.load()
        ner_chars = self._ner_chars(ner_chars)
        wanted = self._wanted(entities)
        keys, results, missing = self._cache.lookup(texts, ner_chars, wanted)
        if missing:
            plan = self._plan(missing, ner_chars, wanted)
            with self._detect_lock:
                assert self._detectors is not None
                detectors = self._detectors
                outputs = [execute(detectors, request) for request in plan.requests]
            self._cache.store(missing, plan.assemble(outputs), results)
        return [list(results[key]) for key in keys]

    async def scan(
        self,
        texts: Sequence[str],
        *,
        budget: float | None = None,
        direction: str = "input",
        caller: str | None = None,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> list[list[Finding]]:
        """Findings for each text, in order.

        ``budget`` is the wall-time limit in seconds for this call (queueing included);
        None means the configured ``service.budget_seconds`` (itself None: unbounded).
        ``direction`` ("input"/"output") only labels the duration observation. ``caller``
        names the fair-queue line this call waits in (None: a shared anonymous line).
        ``ner_chars``: NER covers at most this many characters at the start of each text
        (None: ``pii.max_chars_per_text``); the pattern detectors always cover all of it.
        ``entities``: the entity types the caller's rules match (None: any). The PII
        detector reports only those, and skips the NER model when none is an NER type;
        the other detectors report everything they find.

        Raises DetectionTimeout past the budget and DetectionUnavailable when a worker
        crashed or a detector failed. Never blocks the event loop.
        """
        wanted = self._wanted(entities)
        ner_chars = self._ner_chars(ner_chars)
        if self._on_duration is None:  # the proxy times scans itself (policies.scanning)
            return await self._scan(texts, budget, caller, ner_chars, wanted)
        started = self._clock()
        try:
            return await self._scan(texts, budget, caller, ner_chars, wanted)
        finally:
            self._observe(self._clock() - started, direction)

    def cached(
        self,
        texts: Sequence[str],
        *,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> list[list[Finding]] | None:
        """What :meth:`scan` returns when every text is in the cache (counted as hits),
        without its coroutines; else None, nothing counted: then :meth:`scan`."""
        if self._pool is None or self._on_duration is not None:
            return None  # scan raises, or times itself
        try:
            scope = self._read_scopes[ner_chars, entities]
        except (KeyError, TypeError):  # first asked, or types in an unhashable collection
            scope = self._read_scope(ner_chars, entities)
        return scope.cached(texts)

    def _read_scope(self, ner_chars: int | None, entities: Collection[str] | None) -> CacheScope:
        """The cache scope :meth:`cached` reads for ``ner_chars`` and ``entities`` as a
        caller passes them, kept when they are the same few on every call (a policy's
        selections: None or a frozenset), so a read resolves neither again."""
        scope = self._cache.scope(self._ner_chars(ner_chars), self._wanted(entities))
        if entities is None or isinstance(entities, frozenset):
            if len(self._read_scopes) >= _WANTED_KEPT:
                self._read_scopes.clear()
            self._read_scopes[ner_chars, entities] = scope
        return scope

    async def _scan(
        self,
        texts: Sequence[str],
        budget: float | None,
        caller: str | None,
        ner_chars: int | None,
        wanted: frozenset[str] | None,
    ) -> list[list[Finding]]:
        pool = self._pool
        if pool is None:
            raise RuntimeError("ScanService not started (await start() first)")
        keys, results, missing = self._cache.lookup(texts, ner_chars, wanted)
        if missing:
            plan = self._plan(missing, ner_chars, wanted)
            outputs = self._run_inline(plan)
            if outputs is None:
                limit = self._settings.service.budget_seconds if budget is None else budget
                try:
                    async with asyncio.timeout(limit):
                        outputs = await pool.run(caller or ANONYMOUS, plan.requests)
                except TimeoutError:
                    raise DetectionTimeout(f"detection exceeded its budget of {limit:g}s") from None
            self._cache.store(missing, plan.assemble(outputs), results)
        return [list(results[key]) for key in keys]

    def _run_inline(self, plan: ScanPlan) -> list[list[list[Finding]]] | None:
        """The plan's outputs computed here, when it is small and needs no NER; else None
        (see :mod:`detectors.inline_scan`)."""
        if self._inline is None:
            return None
        try:
            return self._inline.run(plan)
        except Exception as exc:
            # Only the type: a detector's message or traceback may quote the scanned text.
            log.error("detector_failed", error=type(exc).__name__)
            raise DetectionUnavailable(f"detector failed: {type(exc).__name__}") from None

    def _ner_chars(self, requested: int | None) -> int | None:
        return self._settings.pii.max_chars_per_text if requested is None else requested

    def _wanted(self, entities: Collection[str] | None) -> frozenset[str] | None:
        """The PII types a call whose rules match ``entities`` (None: any) wants; None when
        that is all of them (or there is no PII detector: nothing to scope, and the cache
        keys stay as they were)."""
        if not self._model or entities is None:
            return None
        if isinstance(entities, frozenset):
            # A policy's selections pass the same few sets on every call: answered from a
            # dict by the set's cached hash, not by hashing the configured types again.
            if entities in self._wanted_by_set:
                return self._wanted_by_set[entities]
            if len(self._wanted_by_set) >= _WANTED_KEPT:
                self._wanted_by_set.clear()
            wanted = self._wanted_by_set[entities] = wanted_types(self._pii_entities, entities)
            return wanted
        return wanted_types(self._pii_entities, entities)

    def _plan(
        self, missing: dict[CacheKey, str], ner_chars: int | None, wanted: frozenset[str] | None
    ) -> ScanPlan:
        pii = self._settings.pii
        plan = plan_scan(
            list(missing.values()),
            ner_chars=ner_chars,
            chunk_chars=pii.chunk_chars,
            chunk_overlap=pii.chunk_overlap,
            model=self._model,
            entities=wanted,
        )
        if self._model:
            self._ner_texts += sum(
                len(r.texts) for r in plan.requests if r.ner and r.detectors is not Pass.PATTERNS
            )
        return plan

    def _observe(self, seconds: float, direction: str) -> None:
        if self._on_duration is None:
            return
        try:
            self._on_duration(seconds, direction)
        except Exception as exc:  # a metrics bug must not fail detection
            log.error("detector_duration_observer_failed", error=type(exc).__name__)
