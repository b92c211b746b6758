"""US SSNs under the labels people give them (issue 14, h206): "SS#", a markdown table's
"Social Security #" column, a taxpayer identification number (which Presidio's phone
context word "number" made a phone), Spanish and French names of it; an ITIN stays an
ITIN, and other "#" labels name no SSN."""

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
    ("text", "ssn"),
    [
        ("Employee file: SS# 613688216, hired 2019", "613688216"),
        ("SSN #: 613688216", "613688216"),
        ("| Employee | Social Security # | Start |\n|:--|:--:|--|\n| Mo Ali | 152611517 | May |",
         "152611517"),
        ("Payee's taxpayer identification number: 701-85-9061 (box 2)", "701-85-9061"),
        ("TAX IDENTIFICATION NUMBER 660-85-4998", "660-85-4998"),
        ("Número de Seguro Social: 044966334", "044966334"),
        ("n° de sécurité sociale : 660854998", "660854998"),
        ("his social security is 701-85-9061", "701-85-9061"),
    ],
)  # fmt: skip
def test_a_labelled_ssn_is_one_ssn_and_no_phone(pii: PresidioDetector, text: str, ssn: str) -> None:
    """The label makes the nine digits an SSN, and nothing else is found on them."""
    assert _found(pii, text) == [("US_SSN", ssn)]


@pytest.mark.parametrize(
    "text",
    [
        "Pass# 613688216 for the gym",
        "| Employee | Order # |\n|---|---|\n| Mo Ali | 152611517 |",
        "class# 613688216 starts Monday",
    ],
)
def test_other_hash_labels_name_no_ssn(pii: PresidioDetector, text: str) -> None:
    """Nine digits after another "#" label, or in another column, are no SSN."""
    assert "US_SSN" not in [entity for entity, _ in _found(pii, text)]


def test_an_itin_is_an_itin_not_an_ssn(pii: PresidioDetector) -> None:
    """9xx numbers with a 70-88/90-92/94-99 group are ITINs, which the SSA never issues as
    SSNs: reported as US_ITIN (masked as a national id all the same), not as an SSN."""
    text = "Contractor ITIN 919-88-3849, paid monthly"
    assert _found(pii, text) == [("US_ITIN", "919-88-3849")]
