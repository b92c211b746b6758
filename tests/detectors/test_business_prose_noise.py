"""PERSON and LOCATION on business prose (issue 14, hard negatives of ``negatives4``): teams,
plan tiers, features, holidays and benefits written in title case are no one; people in the
same shapes keep their findings, with exact spans."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        # a hyphenated compound of dictionary words ends the phrase
        "Since Tuesday, Single Sign-On fails with an Invalid Audience error.",
        "Is that part of the Insights Add-On? Finance wants to know.",
        # a tier, benefit or support line: a first name that is also a word, a plain noun last
        "The app still shows Silver Tier after the upgrade.",
        "Benefits: Private Medical Insurance, Summer Fridays, Employee Stock Purchase Plan.",
        "Escalate to First Line Support, then Second Line Support.",
        # a determiner before the phrase ("the Air Conditioning", "the Help Centre")
        "Facilities will service the Air Conditioning on Monday.",
        "If you need anything else, the Help Centre is open Monday to Friday.",
        # a team, a role, a level or an event after one word
        "Dear Sales Team,\nWe would like a quote for 250 seats.",
        "Bereavement Leave needs Line Manager approval.",
        "Draft an explanation: Black Friday campaigns, Cyber Monday retargeting, and fees.",
        # a holiday named after someone
        "Draft the newsletter intro for Valentine's Day.",
        # one word inside a title-case phrase or a list of common nouns
        "Benefits: Private Medical Insurance, Employee Stock Purchase Plan.",
        "The Marketing Director dislikes Platinum and Diamond.",
        # a product: a common noun ends it and no first name is in it
        "Northstar Insights is now available on the Enterprise Plus plan.",
        # a dictionary word and an edition
        'Turn this into a banner: "Save big on Summit Plus and Summit Max. Ends Sunday."',
        # a browser after a verb of failing
        "Export To Excel greys out on Safari.",
    ],
)
def test_business_things_are_no_names(pii: PresidioDetector, text: str) -> None:
    """Plan tiers, teams, features, holidays and benefits in title case are no PERSON or place."""
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Dear Maria,\nWe would like a quote for 250 seats.", [("PERSON", "Maria")]),
        ("The app still shows Grace Hill as the account owner.", [("PERSON", "Grace Hill")]),
        ("Escalate to Maria Garcia, then to Support.", [("PERSON", "Maria Garcia")]),
        ("Bereavement Leave needs approval from Anna Lee.", [("PERSON", "Anna Lee")]),
        ("The Marketing Director thanked Maria and Tom.", [("PERSON", "Maria"), ("PERSON", "Tom")]),
        ("Export To Excel greys out for Maria Garcia.", [("PERSON", "Maria Garcia")]),
        ("Draft the newsletter intro for Valentine Jones.", [("PERSON", "Valentine Jones")]),
        (
            "Save big: ask Grace Max or Maria Garcia.",
            [("PERSON", "Grace Max"), ("PERSON", "Maria Garcia")],
        ),
        (
            "Address:\n14566 Lopez Crossroad, Gilmoremouth, AK 69182.",
            [("LOCATION", "Lopez Crossroad"), ("LOCATION", "Gilmoremouth")],
        ),
        (
            "Our offices are located at 154 Charles Trail, Kathyside, ND 35851",
            [("LOCATION", "Charles Trail"), ("LOCATION", "Kathyside")],
        ),
    ],
)
def test_people_in_the_same_shapes_are_found(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """People greeted, listed, or named where a team, tier or product stands stay PERSONs;
    a street and town after it, in a comma-separated address, stay LOCATIONs."""
    assert named(pii, text) == names
