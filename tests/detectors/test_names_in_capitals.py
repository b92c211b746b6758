"""Names in capitals after a label of a card, a claim or a form (h218, issue 14; tuning13:
"Name on card: BILOL ALIYEV", "Full name (as on ID): OMOTOUN FALETI").

Cards, ID documents and claim forms print a holder's name in capitals, and the labels before
them ("Name on card:", "Policyholder:", "Spouse:") name a person as "Cardholder:" does
(:data:`detectors.name_cues._HEADERS`, a note in brackets before the colon allowed). After
such a strong cue, two words in capitals of three letters or more, each with a vowel, a name
or a word on no list and no dictionary word or technology, are a name; an acronym or a
team in capitals ("cc: QA TEAM", "Owner: AWS IAM") is not.
"""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector

NAMED = [
    ("Name on card: BILOL ALIYEV\nCard number: 2537 9454 2543 5041", ["BILOL ALIYEV"]),
    ("Full name (as on ID): OMOTOUN FALETI\nMobile: +44 20 7946 0000", ["OMOTOUN FALETI"]),
    ("Policyholder: NOMATHEMBA MNYANDU\nPolicy number: POL-7731", ["NOMATHEMBA MNYANDU"]),
    ("Emergency contact: Zinnura Sarvinozova, 0171 555 0199", ["Zinnura Sarvinozova"]),
    ("Spouse: Kikelomo Paimo\nChild: none", ["Kikelomo Paimo"]),
]  # fmt: skip

QUIET = [
    "cc: QA TEAM\nOwner: AWS IAM\nContact: IBM SUPPORT",
    "Name: ACME CORP\nInsured: Acme Logistics GmbH",
    "Insured: SKU 4411 BLUE\nSpouse: N/A",
    "Name on card: VISA GOLD\nCard number: ending 4411",
]  # fmt: skip


def _people(pii: PresidioDetector, text: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PERSON"]


@pytest.mark.parametrize(("text", "names"), NAMED)
def test_a_name_after_a_form_label_is_a_person(
    pii: PresidioDetector, text: str, names: list[str]
) -> None:
    """Each name is one PERSON spanning it exactly, in capitals or not."""
    assert _people(pii, text) == names


@pytest.mark.parametrize("text", QUIET)
def test_acronyms_teams_and_products_in_capitals_name_no_one(
    pii: PresidioDetector, text: str
) -> None:
    """Capitals after the same labels that are no name name no one."""
    assert _people(pii, text) == []
