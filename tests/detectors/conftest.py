"""Shared fixtures for the detector tests: the spaCy model is loaded once per session."""

from __future__ import annotations

import pytest
from spacy.language import Language

from detectors.nlp_engine import load_spacy_model
from detectors.pii import PresidioDetector
from detectors.secrets import SecretsDetector
from detectors.settings import PiiSettings


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The default spaCy pipeline, loaded once for the whole test session."""
    return load_spacy_model(PiiSettings().spacy_model)


@pytest.fixture(scope="session")
def pii(nlp: Language) -> PresidioDetector:
    """The PII detector with default settings."""
    return PresidioDetector(PiiSettings(), nlp=nlp)


@pytest.fixture(scope="session")
def secrets_detector() -> SecretsDetector:
    """The secrets detector with default settings."""
    return SecretsDetector()
