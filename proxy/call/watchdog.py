"""One timer for the timeouts of many concurrent waits of the same length.

``async with asyncio.timeout(s)`` per call makes a timer handle, pushes it on the loop's heap
(compared in Python) and takes it out again: about 4.4 us a call here, where the whole wait
for a provider's response headers costs aiohttp less than that. Every call's wait has the same
length (``timeouts.ttfb``), so their deadlines come in the order the waits start: a
:class:`Watchdog` keeps the waiting tasks in a dict in that order (0.4 us a call) and one
callback, due every ``tick`` while something waits, cancels those whose deadline passed.

A timeout fires up to one tick late (a tick is at most a second, and at most an eighth of the
timeout). Cancellation is read as :func:`asyncio.timeout` reads it: a wait cancelled by the
watchdog raises :class:`TimeoutError`, one cancelled by anything else (the caller went away)
stays cancelled.
"""

from __future__ import annotations

import asyncio
from time import monotonic
from typing import Any

from proxy.running_loop import current_task

#: The longest tick: how late a long timeout may fire.
MAX_TICK = 1.0


class Watchdog:
    """Timeouts of ``seconds`` for the waits of many tasks on one event loop.

    The contract, around one ``await`` of the task itself::

        task = watchdog.arm()
        try:
            result = await something()
        except asyncio.CancelledError:
            if watchdog.fired(task):
                raise TimeoutError from None
            raise
        finally:
            watchdog.disarm(task)
    """

    __slots__ = ("_expired", "_sweep", "_tick", "_waiting", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._tick = min(MAX_TICK, seconds / 8)
        #: Armed task -> its deadline (``time.monotonic``, whichever loop runs) and how many
        #: cancellations it had when armed, in the order armed: earliest deadline first.
        self._waiting: dict[asyncio.Task[Any], tuple[float, int]] = {}
        #: Tasks the watchdog cancelled -> how many cancellations they had when armed.
        self._expired: dict[asyncio.Task[Any], int] = {}
        self._sweep: asyncio.TimerHandle | None = None

    def arm(self) -> asyncio.Task[Any]:
        """Start the running task's timeout; returns the task for :meth:`fired` and
        :meth:`disarm`."""
        task = current_task()  # asyncio's asks for the pid (a system call) each time
        assert task is not None, "a watchdog watches tasks"
        # A task is armed once per wait, and disarmed before it is armed again: inserted
        # last, its deadline is the latest.
        self._waiting[task] = (monotonic() + self.seconds, task.cancelling())
        if self._sweep is None:
            self._sweep = task.get_loop().call_later(self._tick, self._expire)
        return task

    def disarm(self, task: asyncio.Task[Any]) -> None:
        """End ``task``'s timeout (armed, fired or both: always, in a ``finally``)."""
        self._waiting.pop(task, None)
        if self._expired and self._expired.pop(task, None) is not None:
            # Cancelled by the watchdog, yet the wait ended without CancelledError (something
            # inside swallowed it): the cancellation is withdrawn, as asyncio.timeout does.
            task.uncancel()

    def fired(self, task: asyncio.Task[Any]) -> bool:
        """Whether the watchdog cancelled ``task`` (asked after a ``CancelledError``), and
        nothing else did: the wait then ends in :class:`TimeoutError`. The watchdog's
        cancellation is withdrawn (``uncancel``), as :func:`asyncio.timeout` does."""
        cancelling = self._expired.pop(task, None)
        if cancelling is None:
            return False
        return task.uncancel() <= cancelling

    def _overdue(self, now: float) -> list[tuple[asyncio.Task[Any], int]]:
        """The armed tasks whose deadline passed by ``now``, with their count when armed."""
        overdue = []
        for task, (deadline, cancelling) in self._waiting.items():
            if deadline > now:
                break  # the rest were armed later: their deadlines are later
            overdue.append((task, cancelling))
        return overdue

    def _expire(self) -> None:
        """Cancel every task whose deadline passed; come back in a tick while any waits."""
        for task, cancelling in self._overdue(monotonic()):
            del self._waiting[task]
            if task.done():
                continue
            # The count when armed, not now: a caller's cancel already requested (in this
            # pass of the loop) must stay a cancellation, as asyncio.timeout reads it.
            self._expired[task] = cancelling
            task.cancel()
        self._sweep = None
        if self._waiting:
            self._sweep = next(iter(self._waiting)).get_loop().call_later(self._tick, self._expire)
