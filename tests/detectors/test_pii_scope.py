"""A scan scoped to some entity types reports exactly a full scan's findings of those types,
and runs only the recognizers it needs (the phone-number matcher only for phone numbers, or
when a wanted candidate could be hidden by one)."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence

import pytest
from spacy.language import Language

from core.scanning import Detector, Finding
from detectors.entities import (
    NATIONAL_ID_ENTITY_TYPES,
    NER_ENTITY_TYPES,
    SECRET_ENTITY_TYPES,
    SUPPORTED_PII_ENTITY_TYPES,
)
from detectors.phones import RegionPhoneRecognizer
from detectors.pii import PresidioDetector
from detectors.pii_scope import pii_scope, wanted_types
from detectors.scanplan import ScanRequest, execute
from detectors.secrets import SecretsDetector
from detectors.service import ScanService
from detectors.settings import DetectorSettings, PiiSettings, ServiceSettings

TEXTS = [
    "The migration plan moves the billing service first, then the reporting jobs.",
    "release v2 ships 14 fixes; build 20240115 passed 3 of 4 stages at 09:30",
    "Charge 4111 1111 1111 1111 and wire to DE89 3704 0044 0532 0130 00 today.",
    "Write to alice.smith@example.com or call +44 20 7946 0958; SSN 078-05-1120.",
    "call 078-05-1120 now, or phone: 212-555-0198",
    "mail 4111111111111111@example.com today",
    "https://user:4111111111111111@example.com/x and ip 192.168.10.20",
    "NHS 943 476 5919 and phone 943 476 5919; nino AB123456C, tfn 123 456 782",
    "born 1990-01-02, passport 123456789, bank 12345678901, aadhaar 2345 6789 0123",
    "Maria Gonzalez lives at 12 Oak Crescent, London; call +44 20 7946 0958",
    "Use sk-proj-aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3aB5cD7eF9gH1jK3 and AKIAIOSFODNN7EXAMPLQ.",
    "wallet 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2, card 5500-0000-0000-0004 exp 12/27",
    "john smith from paris paid 4012888888881881 at 10.0.0.1",
]
#: The default policy's output scope, then others that cross the shadowing between types.
SCOPES: list[frozenset[str]] = [
    frozenset({"CREDIT_CARD", "IBAN_CODE"} | NATIONAL_ID_ENTITY_TYPES | SECRET_ENTITY_TYPES),
    frozenset({"CREDIT_CARD"}),
    frozenset({"US_SSN", "US_ITIN"}),
    frozenset({"PHONE_NUMBER"}),
    frozenset({"EMAIL_ADDRESS", "IP_ADDRESS"}),
    frozenset({"PERSON"}),
    frozenset({"LOCATION", "CREDIT_CARD"}),
    frozenset({"DATE_TIME", "UK_NHS", "US_BANK_NUMBER"}),
    frozenset({"PROJECT_CODE"}),
]


def _filtered(found: Sequence[Sequence[Finding]], scope: Collection[str]) -> list[list[Finding]]:
    return [[f for f in findings if f.entity_type in scope] for findings in found]


def _phone(detector: PresidioDetector) -> RegionPhoneRecognizer:
    return next(r for r in detector.recognizers if isinstance(r, RegionPhoneRecognizer))


@pytest.fixture(scope="module")
def every_type(nlp: Language) -> PresidioDetector:
    """A PII detector with every supported entity type enabled (the most cross-type
    shadowing), sharing the session's spaCy model."""
    return PresidioDetector(
        PiiSettings(entities=tuple(sorted(SUPPORTED_PII_ENTITY_TYPES))), nlp=nlp
    )


def test_scope_runs_the_wanted_recognizers_first_and_never_ner_for_unwanted_types() -> None:
    """The first pass holds the wanted types (every NER type once one is wanted: a PERSON
    may be reported as a LOCATION); the second the other pattern types, date included."""
    configured = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "PERSON", "LOCATION", "DATE_TIME")
    cards = pii_scope(configured, {"CREDIT_CARD", "OPENAI_API_KEY"})
    assert (cards.first, cards.rest, cards.ner) == (
        ("CREDIT_CARD",),
        ("EMAIL_ADDRESS", "PHONE_NUMBER", "DATE_TIME"),
        False,
    )
    places = pii_scope(configured, {"LOCATION"})
    assert places.first == ("PERSON", "LOCATION", "DATE_TIME")
    assert places.ner
    assert places.wanted == {"LOCATION"}
    assert pii_scope(configured, None).complete
    assert wanted_types(configured, [*configured, "GITHUB_TOKEN"]) is None
    assert wanted_types(configured, {"GITHUB_TOKEN"}) == frozenset()


@pytest.mark.slow
@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: ",".join(sorted(s))[:40])
@pytest.mark.parametrize("configured", ["default", "every type"])
def test_scoped_scan_is_the_full_scan_filtered(
    pii: PresidioDetector, every_type: PresidioDetector, configured: str, scope: frozenset[str]
) -> None:
    """For every text, the scoped PII scan equals the full scan filtered to the scope."""
    detector = pii if configured == "default" else every_type
    assert detector.scan_scoped(TEXTS, scope) == _filtered(detector.scan(TEXTS), scope)


@pytest.mark.slow
def test_a_card_hidden_by_an_unwanted_email_stays_hidden(pii: PresidioDetector) -> None:
    """A card number that is an e-mail's local part is hidden by the e-mail in a full scan;
    scoped to cards, the e-mail recognizer runs as a second pass and hides it the same."""
    text = "mail 4111111111111111@example.com today"
    assert [f.entity_type for f in pii.scan([text])[0]] == ["EMAIL_ADDRESS"]
    before = pii.second_passes
    assert pii.scan_scoped([text], {"CREDIT_CARD"}) == [[]]
    assert pii.second_passes == before + 1


@pytest.mark.slow
def test_a_scope_without_phone_numbers_does_not_run_the_phone_matcher(
    pii: PresidioDetector,
) -> None:
    """Prose with digits scanned for cards, IBANs and national ids never reaches the
    phone-number matcher; scanned for phone numbers (or in full) it does."""
    phone = _phone(pii)
    prose = [TEXTS[1], "we ship 3 builds a day across 12 regions and 40 teams"]
    scope = SCOPES[0]
    before = phone.texts_analysed
    assert pii.scan_scoped(prose, scope) == [[], []]
    assert phone.texts_analysed == before
    pii.scan_scoped(prose, {"PHONE_NUMBER"})
    pii.scan(prose)
    assert phone.texts_analysed == before + 2 * len(prose)


def _outside_pii_or_in(
    found: Sequence[Sequence[Finding]], scope: Collection[str]
) -> list[list[Finding]]:
    """``found`` minus the PII findings of types outside ``scope`` (secrets all stay)."""
    return [
        [
            f
            for f in findings
            if f.entity_type not in SUPPORTED_PII_ENTITY_TYPES or f.entity_type in scope
        ]
        for findings in found
    ]


@pytest.mark.slow
@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: ",".join(sorted(s))[:40])
def test_a_unit_scoped_to_pii_types_still_reports_every_secret(
    pii: PresidioDetector, secrets_detector: SecretsDetector, scope: frozenset[str]
) -> None:
    """A scan unit with a PII scope, run by a worker's detectors (views, secrets hiding
    what lies inside them), reports the full unit's findings minus the PII types outside
    the scope: the secrets detector is never scoped, since a secret hides the PII inside
    it whatever types are wanted."""
    detectors: list[Detector] = [secrets_detector, pii]
    full = execute(detectors, ScanRequest(tuple(TEXTS)))
    assert any(f.entity_type in SECRET_ENTITY_TYPES for found in full for f in found)
    scoped = execute(detectors, ScanRequest(tuple(TEXTS), entities=scope))
    assert scoped == _outside_pii_or_in(full, scope)


def _settings(**service: object) -> DetectorSettings:
    return DetectorSettings(service=ServiceSettings.model_validate({"spare_workers": 0, **service}))


@pytest.mark.slow
async def test_scoped_scans_through_the_pool_and_inline_match_the_full_scan() -> None:
    """Through a worker process and inline, for every scope, each text's findings are the
    full scan's with the PII types outside the scope left out; only scopes without an NER
    type run inline, and a scope is cached apart from the full scan and other scopes."""
    async with (
        ScanService(_settings(workers=1), inline_chars=0) as pooled,
        ScanService(_settings(workers=1)) as inline,
    ):
        full = await pooled.scan(TEXTS)
        for scope in SCOPES:
            expected = _outside_pii_or_in(full, scope)
            in_pool = await pooled.scan(TEXTS, entities=scope)
            one_by_one = await asyncio.gather(*(inline.scan([t], entities=scope) for t in TEXTS))
            assert in_pool == expected, sorted(scope)
            assert [found for [found] in one_by_one] == expected, sorted(scope)
        no_ner = sum(1 for scope in SCOPES if scope.isdisjoint(NER_ENTITY_TYPES))
        assert (pooled.inline_scans, inline.inline_scans) == (0, no_ner * len(TEXTS))
        # Cached by the configured types wanted: two scopes wanting none of them share.
        configured = DetectorSettings().pii.entities
        distinct = {wanted_types(configured, scope) for scope in SCOPES}
        assert pooled.cache_stats.hits == (len(SCOPES) - len(distinct)) * len(TEXTS)


@pytest.mark.slow
def test_a_scan_without_ner_runs_each_recognizer_once_on_a_text_with_a_match(
    pii: PresidioDetector,
) -> None:
    """Without the model, a text in which the phone matcher finds a number is analysed by
    it once (tokens for the context words are made when the boost asks for them, not by a
    second analysis), and the number still gets the boost of "phone" nearby."""
    phone = _phone(pii)
    text = "For the outage, phone: 212-555-0198 (on call all night)."
    before = phone.texts_analysed
    [found] = pii.scan_without_ner([text])
    assert phone.texts_analysed == before + 1
    assert [(f.entity_type, f.score) for f in found] == [("PHONE_NUMBER", 0.75)]
    assert found == pii.scan([text])[0]


@pytest.mark.slow
def test_a_scan_without_ner_is_the_full_scan_minus_ner_types(pii: PresidioDetector) -> None:
    """For every text, the scan without the model equals the full scan without its NER
    types: the same spans and the same context-boosted scores."""
    pattern_types = set(pii_scope(PiiSettings().entities, None).wanted) - NER_ENTITY_TYPES
    assert pii.scan_without_ner(TEXTS) == _filtered(pii.scan(TEXTS), pattern_types)
