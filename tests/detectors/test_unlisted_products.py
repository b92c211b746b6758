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
        # a list's first and last items stand in the clause around it
        "Compare Quillon, Farnvik and Korvath for a team of eight engineers: pricing, "
        "self-hosting, SSO.",
        "Looking for a game programmer comfortable with Unity; shader work in Korvath is a plus.",
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
        (
            "Zygmunt presented the Q3 numbers; Christopher raised concerns about churn.",
            [("PERSON", "Zygmunt"), ("PERSON", "Christopher")],
        ),
        (
            "Message vocal : « Salut c'est Valeri, le mot de passe du routeur c'est "
            "delenitisaepe, voilà, rappelle-moi. »",
            [("PERSON", "Valeri")],
        ),
        (
            "Please invite Anna Schmidt, Maria Lopez and Kowalczyk to the review.",
            [("PERSON", "Anna Schmidt"), ("PERSON", "Maria Lopez"), ("PERSON", "Kowalczyk")],
        ),
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
        ("Please", False),  # a word on the curated list, no technology
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


@pytest.mark.parametrize(
    "text",
    [
        # one word on no list in a sentence about software, or next to one
        "Crash when Brevada returns an empty page after the deploy.",
        "Give me a checklist for hardening the install. We already put Korvath in front of it.",
        # what is said of software only
        "You bring: 3+ years with Zelkin or similar, curiosity, good written English.",
        "Plugin removed; minimum supported Zelkin is now 9.12.21. Explain the breaking changes.",
        "Dropped support for Korvath older than 17.30.5 in this release.",
        "We maintain the service in Ruby and the CLI in Crystal.",
        # a dictionary word and a landscape's word in a sentence about software: a codename
        "We benchmarked the build on Coffee Lake against Tiger Lake. Which CPU wins for "
        "compile times?",
        "Benchmarks show p95 latency down 30% on Whiskey Lake hosts after the kernel upgrade.",
        "Is this likely a regression in Rocket Lake or in our config? The deploy log is attached.",
        # a migration's "from" and "to" name software, not places
        "Migration guide: moving from Korvath to Zelkin. Export your configuration first.",
        # a name shape before a noun of a product
        "Our Banana Pi fleet runs Alpine with a custom kernel.",
        # an article opening a sentence of German, not a name's particle
        "Kannst du mir erklären, warum Quillon 9.1.2 bei uns langsamer ist als Tessark? Der "
        "Server hat genug Speicher.",
    ],
)
def test_unlisted_words_about_software_are_no_one(pii: PresidioDetector, text: str) -> None:
    """Words on no list, and codenames shaped as places, in prose about software are no
    PERSON or LOCATION."""
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Ask Oluwaseun to bump Kafka to 3.7.1 before the release.", [("PERSON", "Oluwaseun")]),
        ("The deploy failed again; Ngozi is looking at the logs now.", [("PERSON", "Ngozi")]),
        ("Hi Tessark, the backend crashed again after the upgrade.", [("PERSON", "Tessark")]),
        ("We moved the Kafka cluster to Silver Lake last year.", [("LOCATION", "Silver Lake")]),
        (
            "The server was shipped to 12 Silver Lake Road, and the deploy went fine.",
            [("LOCATION", "Silver Lake Road")],
        ),
        (
            "We are moving the team from Ballarat to Zelkin next spring.",
            [("LOCATION", "Zelkin")],
        ),
        (
            "Please send the kernel patch to Jones Rapids before the release.",
            [("LOCATION", "Jones Rapids")],
        ),
        (
            "Frau Müller hat die Rechnung geschickt. Der Betrag stimmt.",
            [("PERSON", "Müller")],
        ),
    ],
)
def test_people_and_places_in_prose_about_software_are_kept(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """Known names, names after a greeting, places after a preposition of place and
    addresses keep their findings in prose about software."""
    assert named(pii, text) == names
