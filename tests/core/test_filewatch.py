"""Noticing changed files (config, keys, policy) and the one loop that polls them."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from core.filewatch import FileWatch, Watched, watch


def test_a_rewrite_that_keeps_inode_size_and_mtime_is_noticed(tmp_path: Path) -> None:
    """A file rewritten within the same timestamp tick (same inode, size and mtime) counts
    as changed: a recently modified file's stamp keeps a content digest."""
    path = tmp_path / "proxy.yaml"
    path.write_text("limit: 1\n")
    mtime_ns = path.stat().st_mtime_ns
    watch_ = FileWatch(path)
    watch_.mark()
    path.write_text("limit: 2\n")
    os.utime(path, ns=(mtime_ns, mtime_ns))
    assert watch_.changed()


def test_an_unchanged_file_is_quiet_and_an_edit_is_noticed_until_marked(tmp_path: Path) -> None:
    """After ``mark`` an untouched file is not changed; an edit is, until marked again."""
    path = tmp_path / "keys.yaml"
    path.write_text("keys: []\n")
    watch_ = FileWatch(path)
    watch_.mark()
    assert not watch_.changed()
    path.write_text("keys: [1]\n")
    assert watch_.changed()
    watch_.mark()
    assert not watch_.changed()


def test_a_file_that_vanishes_or_appears_is_changed(tmp_path: Path) -> None:
    """Removing the file is a change; a missing file stays quiet until it appears."""
    path = tmp_path / "policy.yaml"
    path.write_text("name: x\n")
    watch_ = FileWatch(path)
    watch_.mark()
    path.unlink()
    assert watch_.changed()
    watch_.mark()
    assert not watch_.changed()
    path.write_text("name: y\n")
    assert watch_.changed()


async def test_one_loop_polls_each_file_at_its_interval_and_outlives_errors() -> None:
    """The watcher polls a fast file often and a slow one not yet, and an error checking
    one file is reported without stopping the polling of the others."""
    reloads: list[str] = []
    errors: list[str] = []
    polled: list[str] = []

    def broken() -> bool:
        polled.append("broken")
        raise PermissionError("unreadable")

    def slow() -> bool:
        polled.append("slow")
        return True

    def reload(name: str) -> Callable[[], Awaitable[None]]:
        async def reloaded() -> None:
            reloads.append(name)

        return reloaded

    watched = [
        Watched("broken", broken, reload("broken"), 0.01),
        Watched("fast", lambda: True, reload("fast"), 0.01),
        Watched("slow", slow, reload("slow"), 60),
    ]
    task = asyncio.create_task(watch(watched, lambda item, exc: errors.append(item.name)))
    try:
        async with asyncio.timeout(5):
            while reloads.count("fast") < 3 or len(errors) < 3:
                await asyncio.sleep(0.01)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert set(errors) == {"broken"}
    assert "slow" not in polled
    assert set(reloads) == {"fast"}
