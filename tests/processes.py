"""Processes as Linux's ``/proc`` shows them (psutil is not a dependency): who descends from
whom, whether one is still running, and the subreaper setting that keeps orphans in view.

A :class:`Proc` is a pid together with its start time, so a process is never confused with
a later one that reuses its pid.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

PROC: Final = Path("/proc")
#: ``<linux/prctl.h>``
_PR_SET_CHILD_SUBREAPER: Final = 36


@dataclass(frozen=True, slots=True)
class Proc:
    """One process: its id, its parent's, its state letter and its start time (ticks)."""

    pid: int
    ppid: int
    state: str
    start: int

    @property
    def running(self) -> bool:
        """True unless it exited (gone, or a zombie not yet reaped)."""
        return self.state not in ("Z", "X")

    def cmdline(self) -> str:
        """Its command line (empty once it is gone); for failure messages."""
        try:
            raw = (PROC / str(self.pid) / "cmdline").read_bytes()
        except OSError:
            return ""
        return raw.replace(b"\0", b" ").decode(errors="replace").strip()[:200]


def read(pid: int) -> Proc | None:
    """The process ``pid`` now, or None if there is none."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name, in parentheses, may hold spaces and parentheses itself.
    fields = stat[stat.rindex(")") + 2 :].split()
    return Proc(pid, int(fields[1]), fields[0], int(fields[19]))


def table() -> list[Proc]:
    """Every process visible now."""
    found = (read(int(entry.name)) for entry in PROC.iterdir() if entry.name.isdigit())
    return [proc for proc in found if proc is not None]


def descendants(pid: int) -> list[Proc]:
    """The children of ``pid``, their children, and so on."""
    by_parent: dict[int, list[Proc]] = {}
    for proc in table():
        by_parent.setdefault(proc.ppid, []).append(proc)
    found: list[Proc] = []
    parents = [pid]
    while parents:
        children = [child for parent in parents for child in by_parent.get(parent, [])]
        found += children
        parents = [child.pid for child in children]
    return found


def still_running(procs: Iterable[Proc]) -> list[Proc]:
    """Those of ``procs`` that are still running (the same process, not a pid reused)."""
    procs = list(procs)
    now = [read(proc.pid) for proc in procs]
    return [
        current
        for proc, current in zip(procs, now, strict=True)
        if current is not None and current.start == proc.start and current.running
    ]


def wait_until_gone(procs: Iterable[Proc], *, timeout: float) -> list[Proc]:
    """Poll until none of ``procs`` runs or ``timeout`` seconds pass; the ones left."""
    procs = list(procs)
    deadline = time.monotonic() + timeout
    while (left := still_running(procs)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def reap_zombie_children() -> None:
    """Collect the exit status of this process's children that have exited."""
    for proc in descendants(os.getpid()):
        if proc.ppid == os.getpid() and not proc.running:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(proc.pid, os.WNOHANG)


def become_subreaper() -> None:
    """Make this process the parent of orphans among its descendants (instead of init),
    so a process left behind by a killed child still counts as ours (Linux 3.4+)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
