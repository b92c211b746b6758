"""Detection workers as the pool sees them: run a unit, or be stopped in the middle of one.

* :class:`ProcessWorker` - a process of our own (not a ``ProcessPoolExecutor``, which
  cannot stop one task) that loads the detectors once and answers requests over a pipe;
  stopping it kills the process, the only way to interrupt spaCy in the middle of a text.
  :class:`ProcessLauncher` starts them and, at shutdown, kills every one it started; if the
  proxy dies instead, they end with it (:mod:`detectors.lifeline`).
* :class:`ThreadWorker` - the detectors of this process in one thread (``workers: 0``,
  for the CLI and tests). A thread cannot be interrupted: stopping it waits for its unit.

The blocking pipe reads and writes of a process worker run in a thread of its own, so
the event loop never blocks and no unit waits for a free thread.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess
from typing import Final, Protocol, TypeVar

from core.scanning import Detector, Finding
from detectors import _worker
from detectors.errors import DetectionUnavailable
from detectors.registry import DetectorFactory
from detectors.scanplan import ScanRequest, execute
from detectors.settings import DetectorSettings

R = TypeVar("R")

#: How long a killed worker process may take to be reaped.
_REAP_SECONDS = 5.0


class WorkerError(Exception):
    """A unit could not be run (see the subclasses)."""


class WorkerCrashed(WorkerError):
    """The worker process died (killed, crashed, out of memory)."""


class DetectorFailed(WorkerError):
    """A detector raised; the worker itself is fine. ``str()`` is the exception type only."""


class Worker(Protocol):
    """One detection worker; the pool runs at most one unit on it at a time."""

    @property
    def alive(self) -> bool:
        """False once the worker can run nothing more (stopped or crashed)."""
        ...

    async def run(self, request: ScanRequest) -> list[list[Finding]]:
        """Findings per text of ``request``; raises a :class:`WorkerError`."""
        ...

    async def stop(self) -> None:
        """End the unit in progress now. A process worker is killed (no longer ``alive``);
        a thread worker cannot be interrupted, so this waits for its unit to end."""
        ...

    def close(self) -> None:
        """Let the worker go for good, without waiting (a process is killed)."""
        ...


class ProcessWorker:
    """A started worker process and the proxy's end of its pipe."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self._process = process
        self._conn = conn
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="detector-io")
        self._stopped = False

    @property
    def alive(self) -> bool:
        return not self._stopped and self._process.is_alive()

    async def wait_ready(self) -> None:
        """Wait until the detectors are loaded; raises DetectionUnavailable if they cannot."""
        try:
            reply = await self._in_thread(self._receive)
        except WorkerCrashed as exc:
            raise DetectionUnavailable("a detection worker died while loading") from exc
        if isinstance(reply, _worker.Failed):
            raise DetectionUnavailable(f"a detection worker failed to load: {reply.error}")

    async def run(self, request: ScanRequest) -> list[list[Finding]]:
        reply = await self._in_thread(lambda: self._roundtrip(request))
        if isinstance(reply, _worker.Results):
            return reply.findings
        if isinstance(reply, _worker.Failed):
            raise DetectorFailed(reply.error)
        raise WorkerCrashed(f"unexpected reply {type(reply).__name__}")

    async def stop(self) -> None:
        """Kill the process; reap it once the unit's pipe read has returned. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        self._process.kill()
        try:
            await self._in_thread(self._reap)
        finally:
            self._io.shutdown(wait=False)

    def close(self) -> None:
        """Kill the process without waiting for anything (shutdown)."""
        self._stopped = True
        self._process.kill()
        self._io.shutdown(wait=False)

    async def _in_thread(self, call: Callable[[], R]) -> R:
        return await asyncio.get_running_loop().run_in_executor(self._io, call)

    def _roundtrip(self, request: ScanRequest) -> _worker.Reply:
        try:
            self._conn.send(request)
        except (OSError, ValueError) as exc:  # broken pipe, or closed after a kill
            raise WorkerCrashed("the detection worker is gone") from exc
        return self._receive()

    def _receive(self) -> _worker.Reply:
        try:
            reply: _worker.Reply = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerCrashed("the detection worker is gone") from exc
        return reply

    def _reap(self) -> None:
        self._process.join(_REAP_SECONDS)
        self._conn.close()


class ProcessLauncher:
    """Starts loaded :class:`ProcessWorker` s; ``close`` kills every one still running."""

    def __init__(self, settings: DetectorSettings, factory: DetectorFactory) -> None:
        self._context = _context(settings.service.start_method)
        self._settings = settings
        self._factory = factory
        self._started: list[ProcessWorker] = []
        self._lock = threading.Lock()  # _started is appended to from the launch thread
        self._closed = False
        # Every process starts from this one thread, alive until close(): with spawn and
        # fork the kernel's parent-death signal follows the thread that forked a worker
        # (see detectors.lifeline), so that thread must not end before the worker should.
        self._launching = ThreadPoolExecutor(max_workers=1, thread_name_prefix="detector-launch")

    async def __call__(self) -> ProcessWorker:
        """A new worker with its detectors loaded; raises DetectionUnavailable."""
        loop = asyncio.get_running_loop()
        worker = await loop.run_in_executor(self._launching, self._start)
        try:
            await worker.wait_ready()
        except BaseException:
            await worker.stop()
            raise
        return worker

    def _start(self) -> ProcessWorker:
        """Start a process (blocking: forkserver and spawn talk to other processes)."""
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker.serve,
            args=(child, self._settings, self._factory),
            name="detector-worker",
            daemon=True,
        )
        with self._lock:
            if self._closed:
                raise DetectionUnavailable("the detection service is closed")
            process.start()
            worker = ProcessWorker(process, parent)
            self._started = [w for w in self._started if w.alive]
            self._started.append(worker)
        # Our copy of the worker's end must go, or reading ours would never see it die.
        child.close()
        return worker

    def close(self) -> None:
        """Kill every worker this launcher started; later launches fail."""
        with self._lock:
            self._closed = True
            started, self._started = self._started, []
        for worker in started:
            worker.close()
        self._launching.shutdown(wait=False)


#: Modules the forkserver imports before it forks workers: the ones that take long to import
#: (``__main__`` is multiprocessing's own default).
FORKSERVER_PRELOAD: Final = ["__main__", "spacy", "presidio_analyzer", "detectors._worker"]


def _context(method: str) -> ForkServerContext | SpawnContext | ForkContext:
    """The multiprocessing context for a configured start method (typed per method)."""
    if method == "forkserver":
        context = multiprocessing.get_context("forkserver")
        # Takes effect when the forkserver starts: it imports these once, and each
        # worker forked from it starts with them imported (~half of a worker's load).
        context.set_forkserver_preload(FORKSERVER_PRELOAD)
        return context
    if method == "spawn":
        return multiprocessing.get_context("spawn")
    return multiprocessing.get_context("fork")


class ThreadWorker:
    """This process's detectors, run in one thread; ``lock`` serialises their use."""

    def __init__(self, detectors: Sequence[Detector], lock: threading.Lock) -> None:
        self._detectors = tuple(detectors)
        self._lock = lock
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="detect")

    @property
    def alive(self) -> bool:
        return True

    async def run(self, request: ScanRequest) -> list[list[Finding]]:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._thread, self._execute, request)
        except Exception as exc:
            raise DetectorFailed(type(exc).__name__) from exc

    async def stop(self) -> None:
        # The unit in progress (if any) is the only thing ahead of this no-op.
        await asyncio.get_running_loop().run_in_executor(self._thread, lambda: None)

    def close(self) -> None:
        self._thread.shutdown(wait=False)

    def _execute(self, request: ScanRequest) -> list[list[Finding]]:
        with self._lock:
            return execute(self._detectors, request)
