"""Fake detectors for service tests, importable by pool workers (module-level factory)."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from core.scanning import Detector, Finding
from detectors.settings import DetectorSettings

SLOW_SECONDS = 1.5


class ScriptedDetector:
    """Acts on keywords in the text: CRASH kills the process, SLOW sleeps, FAIL raises.

    Otherwise it reports one finding whose entity type counts the ``scan`` calls this
    process has made (``CALL_1``, ``CALL_2``, ...), so a test can tell a cached result from
    a fresh one.
    """

    def __init__(self) -> None:
        self.calls = 0
        self.texts: list[str] = []

    @property
    def name(self) -> str:
        return "scripted"

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]:
        self.calls += 1
        self.texts.extend(texts)
        results: list[list[Finding]] = []
        for text in texts:
            if "CRASH" in text:
                os._exit(3)
            if "SLOW" in text:
                time.sleep(SLOW_SECONDS)
            if "FAIL" in text:
                raise RuntimeError("scripted detector failure")
            results.append([Finding(f"CALL_{self.calls}", 0, len(text), 1.0, self.name)])
        return results


def scripted_factory(settings: DetectorSettings) -> list[Detector]:
    """One ScriptedDetector, whatever the settings."""
    return [ScriptedDetector()]


def failing_factory(settings: DetectorSettings) -> list[Detector]:
    """Raises, as a worker whose model cannot load would."""
    raise RuntimeError("cannot build detectors")
