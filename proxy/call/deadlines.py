"""The total timeout of streamed answers: one timer for every stream's deadline.

A streamed answer must end by its call's deadline (``timeouts.total`` after the call was
forwarded). ``async with asyncio.timeout_at(deadline)`` around each stream cost 318
bytecodes and about 5 us here, two ``getpid`` system calls among them (in 3.11
``current_task()`` and the timer's ``reschedule`` each ask for the running loop), and a
timer handle pushed on the loop's heap (compared in Python) and cancelled again.

The deadlines are all ``timeouts.total`` long, but counted from each call's start, and a
stream is armed after its provider's headers came, which takes each call its own time: the
streams are armed nearly, not exactly, in the order of their deadlines. So
:class:`Deadlines` is a :class:`~proxy.call.watchdog.Watchdog` whose waits end at the time
given, and whose sweep reads every armed wait (one pass over the streams in flight, once a
tick) instead of stopping at the first that is not due. A stream's timeout fires up to one
tick late (a tick is at most a second, and at most an eighth of ``timeouts.total``), and
reads a caller's cancellation as the watchdog's contract says.
"""

from __future__ import annotations

import asyncio
from typing import Any

from proxy.call.watchdog import Watchdog
from proxy.running_loop import current_task


class Deadlines(Watchdog):
    """Timeouts of many tasks' waits on one event loop, each ending at its own deadline
    (those of calls ``seconds`` long): the contract of :class:`Watchdog`, armed with
    :meth:`arm_until`."""

    __slots__ = ()

    def arm_until(self, deadline: float) -> asyncio.Task[Any]:
        """Start the running task's timeout, due at ``deadline`` (``time.monotonic``);
        returns the task for :meth:`fired` and :meth:`disarm`."""
        task = current_task()  # asyncio's asks for the pid (a system call) each time
        assert task is not None, "a deadline times a task"
        self._waiting[task] = (deadline, task.cancelling())
        if self._sweep is None:
            self._sweep = task.get_loop().call_later(self._tick, self._expire)
        return task

    def _overdue(self, now: float) -> list[tuple[asyncio.Task[Any], int]]:
        # Armed in about, not exactly, the order of their deadlines: every one is read.
        return [
            (task, cancelling)
            for task, (deadline, cancelling) in self._waiting.items()
            if deadline <= now
        ]
