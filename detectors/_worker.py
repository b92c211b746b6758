"""The detection worker process: load the detectors once, then run units until told to stop.

The proxy talks to each worker over one pipe (see :mod:`detectors.workers`): the worker
answers ``Ready`` (or ``Failed`` if its detectors cannot load), then one reply per
:class:`~detectors.scanplan.ScanRequest` it receives. It exits when the pipe closes, the
proxy kills it to stop a unit that ran past its budget, and it ends with the proxy process
even in the middle of a unit (:mod:`detectors.lifeline`).
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection

from core.scanning import Finding
from detectors.lifeline import follow_parent
from detectors.registry import DetectorFactory
from detectors.scanplan import ScanRequest, execute
from detectors.settings import DetectorSettings


@dataclass(frozen=True, slots=True)
class Ready:
    """The detectors are loaded; the worker waits for requests."""

    pid: int


@dataclass(frozen=True, slots=True)
class Results:
    """Findings per text of the request just received."""

    findings: list[list[Finding]]


@dataclass(frozen=True, slots=True)
class Failed:
    """Loading or a detector raised. Only the exception's type: its message may quote text."""

    error: str


Reply = Ready | Results | Failed


def serve(conn: Connection, settings: DetectorSettings, factory: DetectorFactory) -> None:
    """The worker's main function (the ``target`` of its process)."""
    # Ctrl-C reaches the whole process group; the proxy decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    follow_parent()
    try:
        detectors = factory(settings)
    except Exception as exc:
        conn.send(Failed(type(exc).__name__))
        return
    conn.send(Ready(os.getpid()))
    while True:
        try:
            request: ScanRequest = conn.recv()
        except (EOFError, OSError):
            return  # the proxy closed the pipe or is gone
        reply: Reply
        try:
            reply = Results(execute(detectors, request))
        except Exception as exc:
            reply = Failed(type(exc).__name__)
        conn.send(reply)
