"""The per-process state of a detection pool worker.

``ProcessPoolExecutor`` runs ``initialize`` once in each worker and then calls ``scan`` for
each task; a module global is the only place the detectors can live between the two. It is
set once per worker process and never in the proxy's own process.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from detectors.base import Detector, Finding
from detectors.registry import DetectorFactory, scan_all
from detectors.settings import DetectorSettings

_detectors: list[Detector] | None = None


def initialize(settings: DetectorSettings, factory: DetectorFactory) -> None:
    """Build the detectors (loading the spaCy model) once for this worker process."""
    global _detectors  # noqa: PLW0603 - see the module docstring
    _detectors = factory(settings)


def scan(texts: Sequence[str]) -> list[list[Finding]]:
    """Run this worker's detectors over ``texts``."""
    if _detectors is None:
        raise RuntimeError("detection worker used before initialize()")
    return scan_all(_detectors, texts)


def ping() -> int:
    """The worker's pid; submitting one per worker starts and warms the pool."""
    return os.getpid()
