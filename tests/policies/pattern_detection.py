"""The default pack with real pattern detection (secrets, Presidio's card, IBAN, national ID
and e-mail recognizers), built once per test session: loading spaCy takes seconds, and
parsing a shipped pack's YAML ~40 ms (paid per hypothesis example when built in one)."""

from __future__ import annotations

import functools

from detectors.nlp_engine import load_spacy_model
from detectors.pii import PresidioDetector
from detectors.settings import PiiSettings
from policies.inspector import PolicyInspector
from policies.loader import shipped_pack
from policies.model import Policy
from policies.scanning import DetectorScanner
from tests.policies.factories import secrets_detector

#: The Presidio entity types the default pack's rules use (NER types left out: no rule
#: in it acts on them in answers).
PATTERN_ENTITIES = ("EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "UK_NINO", "US_ITIN")


@functools.cache
def cached_pack(name: str = "default") -> Policy:
    """The shipped pack ``name``, parsed once per session (a Policy is frozen: tests can
    share it). Tests of parsing the packs call ``shipped_pack`` itself."""
    return shipped_pack(name)


@functools.cache
def pattern_scanner() -> DetectorScanner:
    """The real secrets detector and Presidio's pattern recognizers, in a worker thread."""
    pii = PiiSettings(entities=PATTERN_ENTITIES)
    nlp = load_spacy_model(pii.spacy_model)
    return DetectorScanner([secrets_detector(), PresidioDetector(pii, nlp=nlp)])


def default_pack_inspector() -> PolicyInspector:
    """The shipped default policy enforced with :func:`pattern_scanner`."""
    return PolicyInspector(cached_pack(), pattern_scanner())
