"""Review of the shared upstream watchdog (issue 11): it must read a timeout and a caller's
cancellation exactly as ``asyncio.timeout`` does, and through the real proxy time out only
the hung calls, recording each, and leave nothing armed behind."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest

from proxy.call.watchdog import Watchdog

SECONDS = 0.08

Timed = Callable[[Callable[[], Awaitable[None]]], Awaitable[None]]


def _watchdog_timed(watchdog: Watchdog) -> Timed:
    async def timed(wait: Callable[[], Awaitable[None]]) -> None:
        task = watchdog.arm()
        try:
            await wait()
        except asyncio.CancelledError:
            if watchdog.fired(task):
                raise TimeoutError from None
            raise
        finally:
            watchdog.disarm(task)

    return timed


async def _asyncio_timed(wait: Callable[[], Awaitable[None]]) -> None:
    async with asyncio.timeout(SECONDS):
        await wait()


async def _outcome_when_cancelled_as_the_timeout_falls_due(timed: Timed) -> str:
    """Cancel a timed wait from a callback due just before its timeout, with the loop held
    until both are due, so both run in one pass of the loop: the caller's cancel first."""
    loop = asyncio.get_running_loop()
    armed = asyncio.Event()

    async def wait() -> None:
        armed.set()
        await asyncio.Event().wait()

    task = asyncio.create_task(timed(wait))
    await armed.wait()
    loop.call_later(0, task.cancel)  # the caller goes away: due before the timeout
    time.sleep(SECONDS * 2)  # the loop is busy: both are due when it comes back
    try:
        await task
    except asyncio.CancelledError:
        return "cancelled"
    except TimeoutError:
        return "timeout"
    return "returned"


@pytest.mark.parametrize("kind", ["asyncio.timeout", "watchdog"])
async def test_a_caller_cancel_in_the_timeouts_pass_stays_a_cancellation(kind: str) -> None:
    """A wait cancelled by its caller in the same loop pass as its timeout falls due ends
    cancelled (the caller went away), not in TimeoutError, as asyncio.timeout reads it."""
    timed = _asyncio_timed if kind == "asyncio.timeout" else _watchdog_timed(Watchdog(SECONDS))
    assert await _outcome_when_cancelled_as_the_timeout_falls_due(timed) == "cancelled"


async def test_a_timeout_alone_is_a_timeout_and_the_watchdog_ends_empty() -> None:
    """A wait nobody else cancels ends in TimeoutError after the watchdog's timeout, and the
    watchdog keeps no record of it afterwards."""
    watchdog = Watchdog(SECONDS)
    timed = _watchdog_timed(watchdog)
    with pytest.raises(TimeoutError):
        await timed(asyncio.Event().wait)
    assert not watchdog._waiting
    assert not watchdog._expired
