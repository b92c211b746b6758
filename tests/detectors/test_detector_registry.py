"""Explicit detector registration and the chain that runs the detectors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence

import pytest

from core.scanning import Detector, Finding
from detectors.custom import CustomDetector
from detectors.errors import DetectorConfigError
from detectors.registry import check_unique, default_detectors, preflight, scan_all
from detectors.secrets import SecretsDetector
from detectors.settings import (
    CustomSettings,
    DetectorSettings,
    KeywordRecognizerSettings,
    PiiSettings,
)


class _Fixed:
    """A detector that returns the same findings for every text."""

    def __init__(self, name: str, findings: list[Finding]) -> None:
        self._name = name
        self._findings = findings

    @property
    def name(self) -> str:
        return self._name

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]:
        return [list(self._findings) for _ in texts]


def test_duplicate_names_are_an_error() -> None:
    """Two detectors with one name cannot be registered."""
    with pytest.raises(ValueError, match="duplicate detector name 'secrets'"):
        check_unique([SecretsDetector(), SecretsDetector()])


def test_default_detectors_follow_enabled_order() -> None:
    """The enabled list decides which detectors run, in that order."""
    keywords = KeywordRecognizerSettings(entity_type="CODENAME", keywords=("Orion",))
    settings = DetectorSettings(
        enabled=("custom", "secrets"), custom=CustomSettings(keywords=(keywords,))
    )
    assert [d.name for d in default_detectors(settings)] == ["custom", "secrets"]


def test_custom_detector_without_rules_is_left_out() -> None:
    """An enabled custom detector with no recognizers is not registered."""
    detectors = default_detectors(DetectorSettings(enabled=("secrets", "custom")))
    assert [d.name for d in detectors] == ["secrets"]


def test_scan_all_merges_and_sorts_findings() -> None:
    """Findings of all detectors are merged per text and sorted by offset."""
    a = _Fixed("a", [Finding("X", 5, 6, 1.0, "a")])
    b = _Fixed("b", [Finding("Y", 1, 2, 1.0, "b")])
    results = scan_all([a, b], ["one", "two"])
    assert [[f.entity_type for f in r] for r in results] == [["Y", "X"], ["Y", "X"]]


def test_pii_inside_a_secret_is_dropped() -> None:
    """A phone-shaped run of digits inside a secret is not also reported as PII."""
    secret = Finding("GITHUB_TOKEN", 0, 40, 1.0, "secrets")
    digits = Finding("PHONE_NUMBER", 10, 20, 0.4, "presidio")
    outside = Finding("PERSON", 41, 45, 0.85, "presidio")
    detectors: list[Detector] = [_Fixed("secrets", [secret]), _Fixed("presidio", [digits, outside])]
    assert scan_all(detectors, ["t"]) == [[secret, outside]]


def test_custom_finding_next_to_secret_is_kept() -> None:
    """Only findings inside a secret's span are dropped."""
    detectors: list[Detector] = [
        CustomDetector(
            CustomSettings(
                keywords=(KeywordRecognizerSettings(entity_type="CODENAME", keywords=("Orion",)),)
            )
        ),
        SecretsDetector(),
    ]
    [findings] = scan_all(detectors, ["Orion: DB_PASSWORD=hunter2"])
    assert [f.entity_type for f in findings] == ["CODENAME", "PASSWORD"]


def test_preflight_reports_missing_model_without_loading_it() -> None:
    """A missing spaCy model is a configuration error before any worker starts."""
    settings = DetectorSettings(pii=PiiSettings(spacy_model="xx_no_such_model_sm"))
    with pytest.raises(DetectorConfigError, match="xx_no_such_model_sm"):
        preflight(settings)
    preflight(DetectorSettings(enabled=("secrets",), pii=settings.pii))  # presidio disabled
    preflight(DetectorSettings())


def test_detectors_without_presidio_load_neither_presidio_nor_spacy() -> None:
    """A configuration without ``presidio`` (the secrets detector alone) builds its detectors
    in a fresh interpreter without importing Presidio or spaCy: 0.8 s of CPU at each start
    of such a proxy, for a model it never uses."""
    probe = (
        "import json, sys\n"
        "from detectors.registry import default_detectors\n"
        "from detectors.settings import DetectorSettings\n"
        "found = default_detectors(DetectorSettings(enabled=['secrets']))\n"
        "heavy = ('presidio_analyzer', 'spacy', 'detectors.pii')\n"
        "print(json.dumps([[d.name for d in found], [n for n in heavy if n in sys.modules]]))\n"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [["secrets"], []]
