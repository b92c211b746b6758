"""Dishes named after places, greetings before a title, and short German sentences: no
person or place where there is none, the real one beside it with its exact span."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector

_NER = ("PERSON", "LOCATION")


def _ner(pii: PresidioDetector, text: str) -> list[tuple[str, str]]:
    return [(f.entity_type, text[f.start : f.end]) for f in pii.find(text) if f.entity_type in _NER]


@pytest.mark.parametrize(
    "text",
    [
        "Add Dijon mustard and Worcestershire sauce, then stir.",
        "Whisk the Dijon mustard into the dressing.",
        "A splash of Worcestershire sauce lifts the stew.",
    ],
)
def test_dish_named_after_a_place_is_no_finding(pii: PresidioDetector, text: str) -> None:
    """A place or name before a food noun names the dish, not a place or person."""
    assert _ner(pii, text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("We drove from Dijon to Lyon.", ["Dijon", "Lyon"]),
        ("The wings came from Buffalo, the sauce from Worcester.", ["Worcester"]),
    ],
)
def test_place_without_a_dish_noun_is_still_found(
    pii: PresidioDetector, text: str, found: list[str]
) -> None:
    """A place not followed by a food noun is still reported, exact span."""
    assert [words for _, words in _ner(pii, text)] == found


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Cher Monsieur Lefèvre, merci pour votre message.", "Monsieur Lefèvre"),
        ("Bonjour Monsieur Lefèvre, merci.", "Monsieur Lefèvre"),
    ],
)
def test_greeting_is_not_part_of_the_name(pii: PresidioDetector, text: str, person: str) -> None:
    """A greeting before a title is cut off the person's span."""
    assert _ner(pii, text) == [("PERSON", person)]


def test_noun_of_a_short_german_sentence_is_no_place(pii: PresidioDetector) -> None:
    """In a short German sentence led by 'Herr', a noun is no place; the person is kept."""
    text = "Herr Müller hat den Termin abgesagt."
    assert _ner(pii, text) == [("PERSON", "Müller")]


@pytest.mark.parametrize(
    "text", ["I bought Ben & Jerry's ice cream for the party.", "Have you read Moby Dick?"]
)
def test_brand_or_title_named_after_people_is_no_person(pii: PresidioDetector, text: str) -> None:
    """A listed brand or book title made of names is no person."""
    assert _ner(pii, text) == []


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Ben and Jerry met in the lobby.", ["Ben", "Jerry"]),
        ("Ask Ben about the tickets.", ["Ben"]),
    ],
)
def test_names_of_a_listed_brand_alone_are_still_people(
    pii: PresidioDetector, text: str, people: list[str]
) -> None:
    """The first names of a listed brand, written apart from it, are still people."""
    assert [words for kind, words in _ner(pii, text) if kind == "PERSON"] == people


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Grab me a Dr Pepper from the vending machine.", []),
        ("The fridge has Coke, Sprite and Dr Pepper.", []),
        ("Dr Smith will see you at 10.", [("PERSON", "Smith")]),
        ("Dear Mr Lefèvre, thank you for your order.", [("PERSON", "Mr Lefèvre")]),
    ],
)
def test_brand_of_a_title_and_a_word_is_no_person(
    pii: PresidioDetector, text: str, found: list[tuple[str, str]]
) -> None:
    """A brand written as a title and a word ("Dr Pepper") is no PERSON; a doctor is one."""
    assert _ner(pii, text) == found
