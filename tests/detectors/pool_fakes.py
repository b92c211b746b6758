"""Fake detectors for the worker pool tests, importable by pool workers (module-level factories).

``FakeModel`` stands in for spaCy NER: it is named ``presidio`` (so the service chunks and
budgets it like the real one), takes a fixed time per call, reports every "Alice Smith",
and remembers the texts it saw. ``Hanging`` never finishes a text containing ``HANG``.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence

from core.scanning import Detector, Finding
from detectors.secrets import SecretsDetector
from detectors.settings import DetectorSettings

HANG_SECONDS = 60.0
MODEL_SECONDS_PER_CALL = 0.05
NAME = re.compile(r"Alice Smith")


class FakeModel:
    """A slow "NER" detector: PERSON for each "Alice Smith"; records what it scanned."""

    def __init__(self, seconds: float = MODEL_SECONDS_PER_CALL) -> None:
        self.seen: list[str] = []
        self._seconds = seconds

    @property
    def name(self) -> str:
        return "presidio"

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]:
        time.sleep(self._seconds)
        self.seen.extend(texts)
        return [
            [Finding("PERSON", m.start(), m.end(), 0.85, self.name) for m in NAME.finditer(text)]
            for text in texts
        ]


class Hanging:
    """Hangs on ``HANG``; otherwise one finding naming the worker's process id."""

    @property
    def name(self) -> str:
        return "hanging"

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]:
        results: list[list[Finding]] = []
        for text in texts:
            if "HANG" in text:
                time.sleep(HANG_SECONDS)
            results.append([Finding(f"PID_{os.getpid()}", 0, len(text), 1.0, self.name)])
        return results


def model_factory(settings: DetectorSettings) -> list[Detector]:
    """The fake model and the real secrets detector."""
    return [FakeModel(), SecretsDetector()]


def hanging_factory(settings: DetectorSettings) -> list[Detector]:
    """One detector that hangs on ``HANG``."""
    return [Hanging()]
