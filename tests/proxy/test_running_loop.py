"""The running loop and task found without a system call are asyncio's own, on every thread,
loop after loop, and never a forked child's copy of its parent's loop."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest

from proxy.running_loop import current_task, running_loop, running_loop_or_none


async def test_inside_a_loop_it_is_asyncios_loop_and_task() -> None:
    """In a coroutine, the loop and task are the ones asyncio names."""
    assert running_loop() is asyncio.get_running_loop()
    assert running_loop_or_none() is asyncio.get_running_loop()
    assert current_task() is asyncio.current_task()


def test_outside_a_loop_there_is_none() -> None:
    """With no loop running on the thread: RuntimeError, as asyncio raises, or None."""
    with pytest.raises(RuntimeError):
        running_loop()
    assert running_loop_or_none() is None


def test_the_next_loop_on_the_same_thread_is_found() -> None:
    """After one loop has run and closed, the next loop on the thread is the one found."""

    async def found() -> tuple[asyncio.AbstractEventLoop, asyncio.AbstractEventLoop]:
        return running_loop(), asyncio.get_running_loop()

    first, first_asyncio = asyncio.run(found())
    second, second_asyncio = asyncio.run(found())
    assert first is first_asyncio
    assert second is second_asyncio
    assert second is not first
    assert running_loop_or_none() is None  # between loops, no stale loop


async def test_another_thread_finds_its_own_loop() -> None:
    """A thread running a loop of its own finds that loop, not this thread's."""
    here = running_loop()
    seen: list[bool] = []

    def other() -> None:
        async def probe() -> None:
            seen.append(running_loop() is asyncio.get_running_loop() is not here)

        asyncio.run(probe())

    thread = threading.Thread(target=other)
    thread.start()
    await asyncio.to_thread(thread.join)
    assert seen == [True]
    assert running_loop() is here


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
async def test_a_forked_child_does_not_take_its_parents_loop() -> None:
    """In a child forked from inside a running loop, no loop is running (the copy of the
    parent's loop says it runs, but nothing drives it)."""
    assert running_loop() is asyncio.get_running_loop()  # the parent's loop is remembered
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(read)
        os.write(write, b"none" if running_loop_or_none() is None else b"loop")
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(child, 0)
    assert answer == b"none"
