"""Product names on no list of ours are no PERSON or LOCATION where the text uses them as
software: in a list beside software, after a phrase about software, before a noun only
software takes; people and places of the same shape keep their findings (issue 14,
negatives6). The product names here are invented, so no list can hold them."""

from __future__ import annotations

import pytest

from detectors.ner_lexicon import shipped_lexicon
from detectors.ner_lists import evident_software, listed_with_software
from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        # lists: an item spelt as software makes the others software; so does a list of
        # three or more words that are no name or place of ours
        "Tools we shortlisted: Quillon, Brevada, Tessark and OpenVetra. Rank them by ease of "
        "setup.",
        "Our stack: Farnvik, Moldrath, Zelkin and Ostravel. Nice to have: experience with Pyrrhon.",
        "Tech stack: Glimmora · Vestrian · Korvath · jaxtrion",
        "We shortlisted three vendors: Brevada (cheapest), Tessark (best docs) and QuillonDB "
        "(already used by security).",
        # phrases about software, and what software has
        "Release notes: performance improvements for Tessark users; fixes a regression with "
        "Korvath.",
        "Dropped support for Moldrath older than 4.2.1. First-class support for Zelkin is new.",
        "Moldrath's scheduler does not respect our CPU limits, and Zelkin's webhooks time out.",
        # a name used as a product's, before a noun only software takes
        "Performance improvements for Grace Hopper users; docs: add a Grace Hopper quickstart.",
    ],
)
def test_unlisted_products_are_no_one(pii: PresidioDetector, text: str) -> None:
    """Names on no list, used as software, are no PERSON or LOCATION."""
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Invite Anna, Bob and Carl to the Kafka review.",
            [("PERSON", "Anna"), ("PERSON", "Bob"), ("PERSON", "Carl")],
        ),
        (
            "Grace Hopper wrote the first compiler, and Ada Lovelace the first program.",
            [("PERSON", "Grace Hopper"), ("PERSON", "Ada Lovelace")],
        ),
        (
            "Anna Schmidt, Farnvik and Vestrian are on the agenda.",
            [("PERSON", "Anna Schmidt")],
        ),
        (
            "Our offices: Lake Annetteborough, Port Jessica and Kathyside.",
            [("LOCATION", "Lake Annetteborough"), ("LOCATION", "Port Jessica")],
        ),
        ("We have many Tokyo users and a Berlin backend.", [("LOCATION", "Tokyo")]),
        ("Maria Lopez's laptop is up for renewal.", [("PERSON", "Maria Lopez's")]),
    ],
)
def test_people_and_places_are_kept(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """People and places listed, or before a noun a town has too, keep their findings."""
    assert named(pii, text) == names


@pytest.mark.parametrize(
    ("item", "evident"),
    [
        ("MassTransit", True),
        ("Radare2", True),
        ("Three.js", True),
        ("knitr", True),
        ("Kafka", True),
        ("McDonald", False),
        ("Anna", False),
        ("Brevada", False),
    ],
)
def test_evident_software(item: str, evident: bool) -> None:
    """Capitals inside, a digit in a word, a dotted name, a lowercase word on no list or a
    technology name of ours make an item software; a name's capitals do not."""
    assert evident_software(item, shipped_lexicon()) is evident


def test_a_list_needs_the_span_as_an_item() -> None:
    """A span inside a longer phrase of a list is no item of it."""
    text = "We will adopt Zelkin and keep Ostravel only for reports, plus ToolJet."
    start = text.index("Ostravel")
    assert not listed_with_software(text, start, start + len("Ostravel"), shipped_lexicon())
    text = "Quillon, Ostravel and ToolJet."
    start = text.index("Ostravel")
    assert listed_with_software(text, start, start + len("Ostravel"), shipped_lexicon())
