"""A surname written before the first name and a comma (issue 14, h207): "Name, Vorname:
Saidov, Amir", "Attendees: Nkrumah, Katy; ...". The PERSON the model or a cue found on the
first name is widened to hold the surname (:func:`detectors.name_cues.surnames_first`)."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector


def _people(pii: PresidioDetector, text: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PERSON"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Nom, prénom : Dubois, Claire\nTéléphone : voir fiche", "Dubois, Claire"),
        ("Familienname, Vorname: Hakimov, Amir\nAbteilung: Einkauf", "Hakimov, Amir"),
        ("Participants: Lindqvist, Sara; Haddad, Omar", "Haddad, Omar"),
    ],
)
def test_a_surname_before_the_first_name_and_a_comma(
    pii: PresidioDetector, text: str, name: str
) -> None:
    """The surname, the comma and the first name are one PERSON."""
    assert name in _people(pii, text)


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Thanks, Anna", ["Anna"]),
        (
            "Teilnehmer: Pilar Alemany Huerta, Lidia Karge, Aarón Arnau Bru",
            ["Pilar Alemany Huerta", "Lidia Karge", "Aarón Arnau Bru"],
        ),
        ("Inspired by Carthage, Ada Lovelace and Reqwest.", ["Ada Lovelace"]),
    ],
)
def test_a_word_and_a_comma_before_a_name_that_is_no_surname_first(
    pii: PresidioDetector, text: str, people: list[str]
) -> None:
    """A dictionary word, the last name of a listed person or a name of two words after
    the comma leaves the PERSONs as they were."""
    assert _people(pii, text) == people
