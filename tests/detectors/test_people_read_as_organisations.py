"""People the small NER model labels as organisations (issue 14, h207): a span it calls an
ORG that has a person's shape - a first name, then surnames or words on no list - is a
PERSON; brands, codenames and firms stay quiet (:mod:`detectors.ner_org_people`)."""

from __future__ import annotations

import pytest

from core.scanning import Finding
from detectors.ner_lexicon import shipped_lexicon
from detectors.ner_org_people import people_read_as_organisations
from detectors.pii import PresidioDetector


def _people(pii: PresidioDetector, text: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PERSON"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Christie Montoya lives at 49055 William Points, Gilbertsville", "Christie Montoya"),
        (
            "The cardholder Lydia Nkrumah says the charge on the statement is wrong.",
            "Lydia Nkrumah",
        ),
    ],
)
def test_a_person_the_model_calls_an_organisation(
    pii: PresidioDetector, text: str, name: str
) -> None:
    """A first name and a surname the model tags ORG are reported as a PERSON, whole."""
    assert name in _people(pii, text)


@pytest.mark.parametrize(
    "text",
    [
        "ok so El Capitan or Sun Valley for the new laptops?",
        "Migrate the builds to Jasper Lake before the freeze.",
        "We bought three units from Summit Ltd last year.",
        "Is Sandy Bridge still supported by the installer?",
        "Silver Phoenix and Blue Falcon are the codenames for the two launches.",
    ],
)
def test_brands_and_codenames_the_model_calls_organisations_stay_quiet(
    pii: PresidioDetector, text: str
) -> None:
    """An organisation of dictionary words, a firm or an article ("El") reports no PERSON."""
    assert _people(pii, text) == []


@pytest.mark.parametrize(
    ("span", "person"),
    [
        ("Daniela Okafor", True),
        ("Tomasz Wierzbicki-Nowak", True),
        ("Karen Mason", False),  # a mason is a trade: the model's ORG may be one
        ("Rosa Bianchi Group", False),
        ("Anna Consulting", False),
        ("Sandy Bridge", False),
        ("El Capitan", False),
        ("ANNA OKAFOR", False),
        ("Anna", False),
        ("Anna Maria Okafor Smith", False),
    ],
)
def test_the_shape_of_a_person(span: str, person: bool) -> None:
    """Two or three capitalised words, a first name that is no dictionary word first, then
    names or words on no list, and no company form."""
    found = people_read_as_organisations(span, [(0, len(span))], shipped_lexicon())
    assert [(f.entity_type, f.start, f.end) for f in found] == (
        [("PERSON", 0, len(span))] if person else []
    )


def test_a_span_overlapping_a_finding_is_left_to_it() -> None:
    """An organisation span over another finding adds nothing."""
    text = "Daniela Okafor"
    taken = [Finding("LOCATION", 0, 7, 0.85, "presidio")]
    assert people_read_as_organisations(text, [(0, len(text))], shipped_lexicon(), taken) == []
