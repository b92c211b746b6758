"""A label glued to its value by "#" (issue 14, h220): "ssn#613688216", "card#...",
"tel#..." name the value, so it is no identifier's tail; any other word before the "#"
("order#", "ticket#", "class#") still makes the digits an identifier's, and is dropped."""

from __future__ import annotations

import pytest

from detectors.entities import NER_ENTITY_TYPES
from detectors.pii import PresidioDetector


def _found(pii: PresidioDetector, text: str) -> list[tuple[str, str]]:
    """(type, value) of the pattern findings in ``text`` (names left out)."""
    return sorted(
        (f.entity_type, text[f.start : f.end])
        for f in pii.find(text)
        if f.entity_type not in NER_ENTITY_TYPES
    )


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("ssn#613688216", "US_SSN", "613688216"),
        ("Employee SSN#613688216, hired 2019", "US_SSN", "613688216"),
        ("payee social_security#701-85-9061 (box 2)", "US_SSN", "701-85-9061"),
        ("Card#4532015112830366 was declined", "CREDIT_CARD", "4532015112830366"),
        ("cc#4532015112830366, exp 03/28", "CREDIT_CARD", "4532015112830366"),
        ("Reach her at tel#2125551234 after six", "PHONE_NUMBER", "2125551234"),
    ],
)
def test_a_hash_label_names_its_value(
    pii: PresidioDetector, text: str, entity: str, value: str
) -> None:
    """The value after a "#" glued to its own type's label is found, with its exact span."""
    assert _found(pii, text) == [(entity, value)]


@pytest.mark.parametrize(
    "text",
    [
        "class#613688216 starts Monday",
        "order#4532015112830366 shipped",
        "ticket#2125551234 is closed",
        "build#613688216 passed",
        "pass#613688216 for the gym",  # "ss" ends the word, it is not the label
    ],
)
def test_another_hash_label_makes_an_identifier(pii: PresidioDetector, text: str) -> None:
    """Digits glued by "#" to any other word are an identifier's, and not reported."""
    assert _found(pii, text) == []
