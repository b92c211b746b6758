"""The Presidio/spaCy PII detector: exact spans, hard negatives, offline, chunking."""

from __future__ import annotations

import socket
from typing import NoReturn

import pytest
from spacy.language import Language

from detectors.chunking import plan_chunks
from detectors.entities import PATTERN_PII_ENTITY_TYPES
from detectors.errors import DetectorConfigError
from detectors.nlp_engine import load_spacy_model
from detectors.pii import PresidioDetector
from detectors.recognizers import PATTERN_RECOGNIZERS
from detectors.settings import PiiSettings

# (text before, value, text after, entity type): the value is reported with exact offsets.
POSITIVES = [
    ("Mail ", "john.doe@example.co.uk", " today.", "EMAIL_ADDRESS"),
    ("Reply to ", "JANE@Example.ORG", ", thanks.", "EMAIL_ADDRESS"),
    ('{"email": "', "m.muller+billing@firma.de", '"}', "EMAIL_ADDRESS"),
    ("Call ", "(415) 555-0199", " today.", "PHONE_NUMBER"),
    ("Call ", "+1 415-555-0132", " today.", "PHONE_NUMBER"),
    ("Call ", "+44 20 7946 0958", " today.", "PHONE_NUMBER"),
    ("Call ", "020 7946 0958", " today.", "PHONE_NUMBER"),
    ("Call ", "07700 900123", " today.", "PHONE_NUMBER"),
    ("Call ", "+49 30 901820", " today.", "PHONE_NUMBER"),
    ("Call ", "030 901820", " today.", "PHONE_NUMBER"),
    ("Call ", "+33 1 42 68 53 00", " today.", "PHONE_NUMBER"),
    ("Call ", "01 42 68 53 00", " today.", "PHONE_NUMBER"),
    ("Call ", "+34 912 345 678", " today.", "PHONE_NUMBER"),
    ("Call ", "+39 06 6982 1234", " today.", "PHONE_NUMBER"),
    ("Call ", "+31 20 123 4567", " today.", "PHONE_NUMBER"),
    ("Call ", "+91 98765 43210", " today.", "PHONE_NUMBER"),
    ("Call ", "+55 11 91234-5678", " today.", "PHONE_NUMBER"),
    ("Paid with ", "4111 1111 1111 1111", " yesterday.", "CREDIT_CARD"),
    ("Paid with ", "5555555555554444", " yesterday.", "CREDIT_CARD"),
    ("Paid with ", "2223 0031 2200 3222", " yesterday.", "CREDIT_CARD"),  # Mastercard 2-series
    ("Paid with ", "3782 822463 10005", " yesterday.", "CREDIT_CARD"),
    ("Paid with ", "4111.1111.1111.1111", " yesterday.", "CREDIT_CARD"),  # dots between groups
    ("Paid with ", "3782.822463.10005", ".", "CREDIT_CARD"),
    ("IBAN ", "DE89 3704 0044 0532 0130 00", " please.", "IBAN_CODE"),
    ("IBAN ", "GB82WEST12345698765432", " please.", "IBAN_CODE"),
    ("IBAN ", "FR14 2004 1010 0505 0001 3M02 606", " please.", "IBAN_CODE"),
    ("Pay to ", "NL91ABNA0417164300", " please.", "IBAN_CODE"),
    ("Her SSN is ", "536-22-1234", ".", "US_SSN"),
    ("SSN: ", "536221234", " on file.", "US_SSN"),
    ("Employee ", "219 09 9999", " joined.", "US_SSN"),
    ("Login from ", "192.168.1.10", " failed.", "IP_ADDRESS"),
    ("Login from ", "8.8.8.8", " failed.", "IP_ADDRESS"),
    ("Login from ", "2001:db8::8a2e:370:7334", " failed.", "IP_ADDRESS"),
    ("", "John Smith", " lives in Berlin.", "PERSON"),
    ("Draft an apology to ", "Maria Garcia", " for the delay.", "PERSON"),
    ("John Smith lives in ", "Berlin", ".", "LOCATION"),
    ("We are opening an office in ", "Toronto", " next year.", "LOCATION"),
]


@pytest.mark.parametrize(
    ("before", "value", "after", "entity_type"),
    POSITIVES,
    ids=[f"{p[3]}-{i}" for i, p in enumerate(POSITIVES)],
)
def test_pii_found_with_exact_span(
    pii: PresidioDetector, before: str, value: str, after: str, entity_type: str
) -> None:
    """The entity is reported once with its exact offsets."""
    text = before + value + after
    spans = [(f.start, f.end) for f in pii.find(text) if f.entity_type == entity_type]
    assert spans == [(len(before), len(before) + len(value))]


HARD_NEGATIVES = [
    "Request 3f2b8c1e-9d4a-4b7e-8f6a-1c2d3e4f5a6b failed with status 500.",
    "Fixed in commit 9fceb02d0ae598e95dc970b74767f19372d61af8, cherry-pick a1b2c3d.",
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 is the digest.",
    "Order #4529-8812-3301 shipped, order number 100234567 is pending.",
    "Ticket JIRA-28202 and order 4428-6468-3170 need review.",
    "Invoice INV-2024-000123 is overdue, PO-53499-32 too.",
    "Upgrade from 3.11.4 to v2.0.0-rc.1, pin numpy>=1.26.4 and node 16.9.2.",
    "The card 4111 1111 1111 1112 was declined.",
    "The card 4111.1111.1111.1112 was declined.",  # dotted, Luhn-invalid
    "Versions 4.1.11 and 2024.1.15.3, build 6011.0009.9013.94247 and 4111.1111.111.1111.",
    "Test value 5480 8151 4674 1688 should be rejected.",
    "Started 2024-01-15T10:30:00Z, took 450 ms on port 8080.",
    "Build 20240115.3 passed; SKU A1B2C3D4E5 is back in stock.",
    "The payload was dGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcw== (truncated).",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negative_has_no_finding(pii: PresidioDetector, text: str) -> None:
    """Technical identifiers are not reported as PII."""
    assert [(f.entity_type, text[f.start : f.end]) for f in pii.find(text)] == []


def test_email_with_unknown_suffix_is_not_reported(pii: PresidioDetector) -> None:
    """Addresses whose domain has no public suffix (per the bundled list) are ignored."""
    text = "logs go to root@buildhost.internalzone and ops@example.com"
    assert [text[f.start : f.end] for f in pii.find(text)] == ["ops@example.com"]


def test_ner_is_not_reported_on_top_of_a_validated_pattern(pii: PresidioDetector) -> None:
    """An IBAN that NER also calls a LOCATION is reported as the IBAN only."""
    text = "Pay to NL91ABNA0417164300 please"
    assert [f.entity_type for f in pii.find(text)] == ["IBAN_CODE"]


def test_phone_inside_an_ssn_is_not_reported(pii: PresidioDetector) -> None:
    """A number that is both phone-shaped and an SSN is reported as the SSN."""
    text = "Employee SSN: 363-53-2300, keep it confidential."
    assert [f.entity_type for f in pii.find(text)] == ["US_SSN"]


def test_entities_setting_limits_what_is_reported(nlp: Language) -> None:
    """Only the configured entity types are reported."""
    detector = PresidioDetector(PiiSettings(entities=("EMAIL_ADDRESS",)), nlp=nlp)
    text = "John Smith, john@example.com, +1 415-555-0132"
    assert [f.entity_type for f in detector.find(text)] == ["EMAIL_ADDRESS"]


def test_threshold_setting_requires_context(nlp: Language) -> None:
    """A raised phone threshold keeps numbers next to a context word only."""
    settings = PiiSettings(entities=("PHONE_NUMBER",), thresholds={"PHONE_NUMBER": 0.6})
    detector = PresidioDetector(settings, nlp=nlp)
    assert detector.find("Reach (415) 555-0199 later") == []
    assert len(detector.find("My phone number is (415) 555-0199")) == 1


def test_no_entities_means_no_model_and_no_findings() -> None:
    """With an empty entity list nothing is loaded and nothing is reported."""
    detector = PresidioDetector(PiiSettings(entities=()))
    assert detector.scan(["john@example.com"]) == [[]]


def test_scan_keeps_order_and_handles_blank_text(pii: PresidioDetector) -> None:
    """``scan`` returns one list per text, in order."""
    results = pii.scan(["", "mail a@example.com", "   "])
    assert [len(r) for r in results] == [0, 1, 0]


def test_email_detection_works_with_networking_disabled(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No network access is attempted: e-mail validation uses tldextract's bundled list."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> NoReturn:
        attempts.append(args)
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # A fresh detector: its tldextract has not loaded a suffix list yet.
    detector = PresidioDetector(PiiSettings(entities=("EMAIL_ADDRESS", "URL")), nlp=nlp)
    text = "write to jane.roe@example.co.uk or see https://example.org/docs"
    found = {(f.entity_type, text[f.start : f.end]) for f in detector.find(text)}
    assert ("EMAIL_ADDRESS", "jane.roe@example.co.uk") in found
    assert attempts == []


def test_entity_on_a_chunk_boundary_is_found_once(nlp: Language) -> None:
    """An e-mail straddling the cut between two spaCy chunks is reported once, whole."""
    settings = PiiSettings(entities=("EMAIL_ADDRESS",), chunk_chars=600, chunk_overlap=140)
    filler = "The quarterly report is attached for review by the team. " * 30
    email = "firstname.middlename.lastname.dept@example.org"  # 46 chars < overlap / 2
    at = 560  # the address covers the whole window the cut may snap back into
    text = filler[:at] + " " + email + " " + filler[at + len(email) + 2 :]
    at += 1
    chunks = plan_chunks(text, settings.chunk_chars, settings.chunk_overlap)
    assert at < chunks[0].end < at + len(email)  # the cut falls inside the address
    detector = PresidioDetector(settings, nlp=nlp)
    assert [(f.start, f.end) for f in detector.find(text)] == [(at, at + len(email))]


def test_long_text_finds_entities_in_every_chunk(nlp: Language) -> None:
    """Entities at the start, middle and end of a long text are all found."""
    settings = PiiSettings(entities=("EMAIL_ADDRESS",), chunk_chars=1000, chunk_overlap=200)
    filler = "Nothing to see in this sentence at all. " * 40
    text = "a@example.com " + filler + " b@example.com " + filler + " c@example.com"
    detector = PresidioDetector(settings, nlp=nlp)
    found = [text[f.start : f.end] for f in detector.find(text)]
    assert found == ["a@example.com", "b@example.com", "c@example.com"]


def test_unknown_phone_region_is_a_config_error(nlp: Language) -> None:
    """A region phonenumbers does not know fails at construction."""
    with pytest.raises(DetectorConfigError, match="phone_regions"):
        PresidioDetector(PiiSettings(phone_regions=("QQ",)), nlp=nlp)


def test_missing_spacy_model_is_a_config_error() -> None:
    """A model that is not installed is reported, never downloaded."""
    with pytest.raises(DetectorConfigError, match="not installed"):
        load_spacy_model("xx_no_such_model_sm")


def test_every_pattern_entity_has_a_recognizer() -> None:
    """The entity vocabulary and the recognizer table agree."""
    assert set(PATTERN_RECOGNIZERS) == PATTERN_PII_ENTITY_TYPES


def test_every_supported_entity_builds(nlp: Language) -> None:
    """A detector with every supported entity type enabled builds and runs."""
    settings = PiiSettings(entities=tuple(sorted(PATTERN_PII_ENTITY_TYPES | {"PERSON"})))
    detector = PresidioDetector(settings, nlp=nlp)
    assert isinstance(detector.find("Contact Jane Doe at jane@example.com"), list)
