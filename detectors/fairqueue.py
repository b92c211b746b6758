"""``FairQueue``: work queued per caller, taken round-robin across callers.

The detection pool's workers take units from one of these. Each caller (a virtual key, or
the fingerprint of a pass-through key) has its own first-in-first-out line; ``get`` serves
the callers in turn, one unit each. A caller who queued a 2 MB prompt's hundred chunks
therefore gets every n-th unit while n callers are waiting, and another caller's short
prompt waits for at most one unit per caller ahead of it - not for the whole prompt.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from typing import Generic, TypeVar

T = TypeVar("T")


class FairQueue(Generic[T]):
    """An unbounded asyncio queue, round-robin across keys, FIFO within a key.

    Bound to the running event loop of its first ``get``; not thread-safe.
    """

    def __init__(self) -> None:
        # Keys with queued items, in serving order: the next item comes from the first key,
        # which then moves to the back.
        self._lines: OrderedDict[str, deque[T]] = OrderedDict()
        self._size = 0
        self._getters: deque[asyncio.Future[None]] = deque()

    def __len__(self) -> int:
        return self._size

    def put(self, key: str, item: T) -> None:
        """Queue ``item`` at the end of ``key``'s line."""
        line = self._lines.get(key)
        if line is None:
            line = self._lines[key] = deque()
        line.append(item)
        self._size += 1
        self._wake_one()

    def peek(self) -> T:
        """The item ``get_nowait`` would return, left in place; ``LookupError`` when empty."""
        if not self._size:
            raise LookupError("the queue is empty")
        return next(iter(self._lines.values()))[0]

    def get_nowait(self) -> T:
        """The next item in round-robin order; raises ``LookupError`` when empty."""
        if not self._size:
            raise LookupError("the queue is empty")
        key, line = self._lines.popitem(last=False)
        item = line.popleft()
        if line:
            self._lines[key] = line  # back of the round
        self._size -= 1
        return item

    async def get(self) -> T:
        """Wait for an item and take it (round-robin across keys)."""
        while not self._size:
            waiter = asyncio.get_running_loop().create_future()
            self._getters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake_one()  # we were woken for an item we will not take
                raise
        return self.get_nowait()

    def drain(self) -> list[T]:
        """Remove and return every queued item (round-robin order)."""
        items: list[T] = []
        while self._size:
            items.append(self.get_nowait())
        return items

    def _wake_one(self) -> None:
        while self._getters:
            waiter = self._getters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
