"""The watchdog times many waits with one timer, and reads cancellation as asyncio.timeout."""

from __future__ import annotations

import asyncio
import time

import pytest

from proxy.call.watchdog import Watchdog

pytestmark = pytest.mark.asyncio


async def _wait(watchdog: Watchdog, seconds: float) -> str:
    """Sleep ``seconds`` under ``watchdog``, as the contract in its docstring says."""
    task = watchdog.arm()
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        if watchdog.fired(task):
            raise TimeoutError from None
        raise
    finally:
        watchdog.disarm(task)
    return "done"


async def test_a_wait_longer_than_the_timeout_ends_in_timeout_error() -> None:
    """A wait past the watchdog's seconds raises TimeoutError, long before the wait would
    have ended, and leaves the task not cancelling."""
    watchdog = Watchdog(0.05)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        await _wait(watchdog, 30)
    assert time.monotonic() - started < 10  # 30 s without the watchdog
    current = asyncio.current_task()
    assert current is not None
    assert current.cancelling() == 0


async def test_a_wait_within_the_timeout_returns_and_is_never_cancelled_later() -> None:
    """A wait that ends in time returns its result, and the task is not cancelled when
    its deadline passes afterwards."""
    watchdog = Watchdog(0.1)
    assert await _wait(watchdog, 0) == "done"
    await asyncio.sleep(0.3)  # past the deadline and a few ticks: no CancelledError here


async def test_each_wait_has_its_own_deadline_counted_from_its_start() -> None:
    """Of two waits armed 0.2 s apart with a 0.3 s timeout, the first times out while the
    second, still within its own 0.3 s, finishes."""
    watchdog = Watchdog(0.3)
    first = asyncio.create_task(_wait(watchdog, 30))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(_wait(watchdog, 0.25))
    with pytest.raises(TimeoutError):
        await first
    assert await second == "done"


async def test_a_wait_cancelled_by_something_else_stays_cancelled() -> None:
    """A wait cancelled from outside (the caller went away) raises CancelledError, not
    TimeoutError."""
    watchdog = Watchdog(10)
    task = asyncio.create_task(_wait(watchdog, 30))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_an_outer_timeout_is_not_disturbed_by_the_watchdog_firing() -> None:
    """A watchdog timeout inside a longer asyncio.timeout is a TimeoutError of the inner
    wait only: the outer block carries on and does not expire."""
    watchdog = Watchdog(0.05)
    async with asyncio.timeout(5) as outer:
        with pytest.raises(TimeoutError):
            await _wait(watchdog, 30)
        assert await _wait(watchdog, 0) == "done"
    assert not outer.expired()


async def test_many_waits_time_out_together_each_once() -> None:
    """Fifty waits armed together all time out, each with its own TimeoutError, and the
    watchdog then waits for nothing."""
    watchdog = Watchdog(0.05)
    results = await asyncio.gather(
        *(_wait(watchdog, 30) for _ in range(50)), return_exceptions=True
    )
    assert all(isinstance(result, TimeoutError) for result in results)
    assert await _wait(watchdog, 0) == "done"
