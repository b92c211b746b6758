"""A tool asked about as a choice ("Does Ada still make sense for firmware", "is Sencha still
the thing") is no PERSON or LOCATION, even when its name is a first name (issue 14,
``negatives6``); a person asked about otherwise keeps the finding, exact span."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        "Does Ada still make sense for safety-critical firmware, or would Rust with Samza get "
        "certified just as easily?",
        "[11:02] is Delinea still the thing or has everyone moved to Pijul?",
        "Is Grace Hopper still worth learning, or should a new team go straight to Rust?",
    ],
)
def test_a_tool_still_chosen_is_no_one(pii: PresidioDetector, text: str) -> None:
    """What is asked of a choice of technology ("still make sense", "still the thing",
    "still worth learning") makes the span no name."""
    assert named(pii, text) == []


def test_a_person_asked_about_keeps_the_name(pii: PresidioDetector) -> None:
    """A first name asked about otherwise ("Is Ada still on leave") is a PERSON."""
    text = "Is Ada still on leave, or can she review the firmware PR?"
    assert named(pii, text) == [("PERSON", "Ada")]


@pytest.mark.parametrize(
    "text",
    [
        "Grace Hopper crashed twice last night. Logs point to an out-of-memory kill on the "
        "worker nodes.",
        "Raspberry Pi crashed twice last night. Logs point to an out-of-memory kill.",
        "Our migration checklist from Ada Lovelace to Javalin has these open items: schema "
        "conversion and auth.",
    ],
)
def test_a_tool_that_crashes_or_is_migrated_from_is_no_one(
    pii: PresidioDetector, text: str
) -> None:
    """A crash with no object, or a migration from the span to a word on no list, is said
    of software."""
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Ann Lee crashed the company car on Monday.", [("PERSON", "Ann Lee")]),
        (
            "We migrated the accounts from Ann Lee to Bob Smith last week.",
            [("PERSON", "Ann Lee"), ("PERSON", "Bob Smith")],
        ),
    ],
)
def test_people_who_crash_something_or_hand_over_keep_the_name(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """Someone who crashes a thing, or from whom accounts move to a person, is a PERSON."""
    assert named(pii, text) == names


def test_a_codename_of_an_unlisted_word_and_a_landscape_is_no_place(
    pii: PresidioDetector,
) -> None:
    """A word on no list and a landscape word ("Elkhart Lake") in a sentence about software
    is a codename, not a place."""
    text = (
        "[MuleSoft] Connection pool exhausted under load since 10.12.2\n"
        "Is this likely a regression in Elkhart Lake or in our config?"
    )
    assert named(pii, text) == []


def test_a_town_of_that_shape_where_people_are_stays_a_place(pii: PresidioDetector) -> None:
    """The same shape after a preposition of place ("Our office in Elkhart Lake") is a
    LOCATION, exact span."""
    text = "Our office in Elkhart Lake has a slow VPN since the last firmware upgrade."
    assert named(pii, text) == [("LOCATION", "Elkhart Lake")]


@pytest.mark.parametrize(
    "text",
    [
        "[11:02] is Hangfire still the thing or has everyone moved to Codeium?",
        "Is Jakarta EE still worth learning in 2013, or should a new team go straight to "
        "Grace Hopper?",
    ],
)
def test_the_alternative_to_a_tool_still_chosen_is_no_one(pii: PresidioDetector, text: str) -> None:
    """The alternative offered in a question whether a tool is still the choice is software."""
    assert named(pii, text) == []


def test_a_known_place_offered_so_stays_a_place(pii: PresidioDetector) -> None:
    """A known place after "moved to" in such a question is a LOCATION, exact span."""
    text = "Is Kafka still the thing, or has everyone moved to Lisbon for the offsite?"
    assert named(pii, text) == [("LOCATION", "Lisbon")]
