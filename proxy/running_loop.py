"""The running event loop and task, found without a system call.

In CPython 3.11 ``asyncio.get_running_loop()`` (and everything that calls it:
``asyncio.current_task()``, ``asyncio.timeout``, the locks' and events' waits) asks the
kernel for the process id every time, to tell a forked child's copied loop from its own: a
``getpid`` system call, several per proxied call (3.12 resets the loop in a forked child
instead). Here each thread remembers the loop it last found running; a loop still running is
still this thread's (a loop runs on one thread at a time, and the proxy never moves one),
and a forked child forgets what its parent found.
"""

from __future__ import annotations

import asyncio
import os
import threading
from typing import Any


class _Seen(threading.local):
    """Per thread: the event loop last found running there (None: none yet)."""

    loop: asyncio.AbstractEventLoop | None = None


# Process state by nature (a forked child must forget it, which a hook registered once per
# process ensures); per thread, as running loops are.
_SEEN = _Seen()
os.register_at_fork(after_in_child=lambda: setattr(_SEEN, "loop", None))


def running_loop() -> asyncio.AbstractEventLoop:
    """The event loop running on this thread, as ``asyncio.get_running_loop()`` (which
    raises ``RuntimeError`` when none is)."""
    loop = _SEEN.loop
    if loop is not None and loop.is_running():
        return loop
    loop = _SEEN.loop = asyncio.get_running_loop()
    return loop


def running_loop_or_none() -> asyncio.AbstractEventLoop | None:
    """The event loop running on this thread, or None."""
    loop = _SEEN.loop
    if loop is not None and loop.is_running():
        return loop
    try:
        loop = _SEEN.loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop


def current_task() -> asyncio.Task[Any] | None:
    """The task running on this thread's event loop, as ``asyncio.current_task()``."""
    return asyncio.current_task(running_loop())
