"""FairQueue: round-robin across callers, first-in-first-out within a caller."""

from __future__ import annotations

import asyncio

import pytest

from detectors.fairqueue import FairQueue


def test_items_are_taken_round_robin_across_keys() -> None:
    """A key with many items gets one turn per round; the others' items come between."""
    queue: FairQueue[str] = FairQueue()
    for n in range(4):
        queue.put("big", f"big-{n}")
    queue.put("a", "a-0")
    queue.put("b", "b-0")
    queue.put("a", "a-1")
    assert queue.drain() == ["big-0", "a-0", "b-0", "big-1", "a-1", "big-2", "big-3"]


def test_a_key_that_returns_joins_the_back_of_the_round() -> None:
    """A key whose line ran empty and fills again waits for the keys already queued."""
    queue: FairQueue[str] = FairQueue()
    queue.put("a", "a-0")
    queue.put("b", "b-0")
    assert queue.get_nowait() == "a-0"
    queue.put("a", "a-1")
    queue.put("c", "c-0")
    assert queue.drain() == ["b-0", "a-1", "c-0"]
    assert len(queue) == 0


def test_get_nowait_on_an_empty_queue_raises() -> None:
    """An empty queue has nothing to give."""
    with pytest.raises(LookupError):
        FairQueue[str]().get_nowait()


async def test_get_waits_for_a_put() -> None:
    """A waiting consumer is woken by the next put."""
    queue: FairQueue[str] = FairQueue()
    waiting = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    assert not waiting.done()
    queue.put("a", "a-0")
    assert await asyncio.wait_for(waiting, 1) == "a-0"


async def test_a_cancelled_consumer_passes_its_wake_up_on() -> None:
    """An item announced to a consumer that was cancelled goes to the next consumer."""
    queue: FairQueue[str] = FairQueue()
    first = asyncio.create_task(queue.get())
    second = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    queue.put("a", "a-0")
    first.cancel()
    assert await asyncio.wait_for(second, 1) == "a-0"
