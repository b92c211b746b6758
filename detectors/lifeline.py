"""A detection worker process ends when the proxy process ends, however it ends (kill -9 too).

:func:`follow_parent` is the first thing a worker does. Two mechanisms, each covering a gap
of the other:

* **The kernel's parent-death signal** (Linux ``prctl(PR_SET_PDEATHSIG, SIGKILL)``). It
  needs nothing from the worker, so it also ends a worker stuck in one long C call (a
  regex, the model) that holds the GIL and would starve any watcher thread. It follows the
  process - strictly, the *thread* - that forked the worker:

  - ``forkserver`` (the default): the forkserver, a single-threaded process. It exits
    when the pipe it watches reaches EOF, but every process it forks inherits that pipe's
    write end: a busy worker would keep the forkserver alive, and the forkserver the
    worker. So the worker closes its copy; the proxy then holds the only one, its death
    ends the forkserver, and the forkserver's death makes the kernel kill the workers.
  - ``spawn`` and ``fork``: the proxy, from the launcher's own thread, which lives as long
    as the launcher (see :class:`~detectors.workers.ProcessLauncher`): a thread of asyncio's
    default executor could end earlier and take healthy workers with it.

* **A watcher thread** on the sentinel multiprocessing gives every child it starts: a pipe
  whose write end only the proxy process holds (with ``fork``, later workers inherit it
  too). It covers the proxy dying before the signal was armed, a forkserver that is not
  the one described above, and systems without ``prctl``; not a worker holding the GIL.

The resource tracker multiprocessing starts exits by itself once the proxy and every
worker are gone (they hold the only write ends of its pipe).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import sys
import threading
from multiprocessing.process import BaseProcess
from typing import Any, Final

#: ``<linux/prctl.h>``
_PR_SET_PDEATHSIG: Final = 1
#: Exit status of a worker that ended because the proxy was gone.
ORPHANED_EXIT: Final = 70


def follow_parent() -> None:
    """Make this worker process end when the proxy process that started it ends."""
    parent = multiprocessing.parent_process()
    if parent is None:
        raise RuntimeError("follow_parent() is for a process started by multiprocessing")
    _release_forkserver()
    _arm_parent_death_signal()
    # Also catches a proxy that died before the signal was armed: the sentinel is at EOF.
    threading.Thread(
        target=_exit_when_gone, args=(parent,), name="detector-lifeline", daemon=True
    ).start()


def _release_forkserver() -> None:
    """Close this process's copy of the forkserver's lifeline (see the module docstring).

    ``_forkserver_alive_fd`` is private to multiprocessing (checked on CPython 3.11); where
    it is missing, the watcher thread still ends this process once it gets the GIL.
    """
    server: Any = getattr(multiprocessing.forkserver, "_forkserver", None)
    alive_fd = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(alive_fd, int):
        with contextlib.suppress(OSError):
            os.close(alive_fd)
        server._forkserver_alive_fd = None


def _arm_parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def _exit_when_gone(parent: BaseProcess) -> None:
    parent.join()  # waits on the sentinel pipe: EOF once the proxy process is gone
    os._exit(ORPHANED_EXIT)
