"""A timeout for another process's answer that does not count the event loop's own stalls.

``asyncio.timeout`` measures wall time on the event loop. When the loop is held past the
deadline (a long callback, a full garbage collection, the process waiting for a CPU on a
busy machine), the answer may be in the socket, unread, when the deadline's callback runs:
the wait is cut short although the other side answered in time. The Redis limiter took such
a hold for Redis being away and let calls through unlimited (h179: the loop held 1.2 s
while Redis answered in 20 ms, timeout 1 s). Here a deadline check that runs late by more
than :data:`LATE` moves the deadline on by its lateness instead of cancelling, so time the
loop was held does not count. Callers keep a wall-clock bound of their own for a loop that
is held again and again (the Redis client's socket timeouts).
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Final

from proxy.running_loop import current_task, running_loop

#: Seconds a deadline check may run late and still count: later, the loop was held.
LATE: Final = 0.05


class AnswerTimeout:
    """The context :func:`answer_within` returns (as ``asyncio.timeout`` its ``Timeout``)."""

    __slots__ = ("_cancelling", "_expired", "_handle", "_loop", "_seconds", "_task")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds

    async def __aenter__(self) -> None:
        task = current_task()
        if task is None:
            raise RuntimeError("answer_within is for use inside a task")
        self._loop = loop = running_loop()
        self._task = task
        self._cancelling = task.cancelling()
        self._expired = False
        self._handle = loop.call_at(loop.time() + self._seconds, self._due)

    def _due(self) -> None:
        now = self._loop.time()
        late = now - self._handle.when()
        if late > LATE:
            # Held past the deadline: what arrived meanwhile gets its turn first, and the
            # other side as long again (at most the whole timeout) if it was held too.
            self._handle = self._loop.call_at(now + min(late, self._seconds), self._due)
            return
        self._expired = True
        self._task.cancel()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._handle.cancel()
        # As asyncio.timeout: our cancellation becomes TimeoutError, anyone else's stays
        # (uncancel() first: it undoes our cancel() whatever the block raised).
        ours = self._expired and self._task.uncancel() <= self._cancelling
        if ours and exc_type is asyncio.CancelledError:
            raise TimeoutError(f"no answer within {self._seconds} s") from exc


def answer_within(seconds: float) -> AnswerTimeout:
    """``async with answer_within(seconds):`` raises :class:`TimeoutError` when the block has
    waited ``seconds`` without finishing, not counting time the event loop was held."""
    return AnswerTimeout(seconds)


__all__ = ["LATE", "AnswerTimeout", "answer_within"]
