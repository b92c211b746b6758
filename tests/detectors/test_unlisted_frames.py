"""Product names on no list, told from the frame they stand in: a list headed by software, a
phrase about software before a codename, a name the model cut before its version, a word and
a name in a sentence about software, the target of a migration from software (issue 14,
negatives6, h110). People and places in the same frames keep their findings, with their
exact spans."""

from __future__ import annotations

import re

import pytest

from detectors.ner_language import sentence_window
from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        # a list whose head before its colon names software
        "Our stack: Atlantis, Starburst, Emerald Rapids and Contiki on bare metal.",
        "Tools we evaluated last quarter: Quillon, Reqwest, Grace Hopper, Brevada, Snow Ridge. "
        "Rank them.",
        "Renovate opened 9 PRs this week: Label Studio, Big Sur, Atlantis, Apollo Lake and Kopia.",
        # a codename after a phrase about software, shared by the item listed before it
        "Nice to have: experience with Quillon or Sun Valley. Remote within the EU.",
        "Nice to have: experience with Granite Rapids or Atlantis. Remote within the EU.",
        "This release brings a major bump of Zorin and a patch for Kopia.",
        # a codename after a verb that takes software
        "3. Point a canary at the new endpoint.\n4. Decommission Granite Rapids once traffic is "
        "fully moved.",
        # a codename the model cut short: its last word, or its first before a version
        "We gebruiken Canva voor de build en knitr voor de tests. Sinds de laatste update faalt "
        "Granite Ridge af en toe. Wat kan de oorzaak zijn?",
        "What's new in Jasper Lake 3.26.0: native ARM builds and a rewritten query planner.",
        # a dictionary word and a name, in a sentence about software
        "Binary Ninja recommends running Babashka behind a reverse proxy. Explain why and give "
        "a minimal example.",
        "Why would Raspberry Pi report a healthy cluster while Grafana shows half the nodes as "
        "unreachable?",
        # the target of a migration from software
        "Our migration checklist from Mimikatz to El Capitan has these open items: schema "
        "conversion and auth.",
        # a place's shape benchmarked, or run on machines; a regression with a name
        "We benchmarked Graviton on the new box against the old one. Which wins on throughput?",
        'Talk abstract: "Taming Quillon at scale". In this session we share how we run '
        "Lakefield across four hundred nodes.",
        "Release notes: performance improvements for Tessark users; fixes a regression with "
        "El Capitan.",
        # the sentence after a blank line, which is no sentence of its own
        "ADR 12 — Replace Mimikatz with Doobie\n\nBuild times on Tuist have grown to forty "
        "minutes.",
        # the sentence before a line of a record, ended by a stop and a line break
        "Status: Accepted\nContext: Octopus Deploy no longer meets our throughput needs and its "
        "licence changed.\nDecision: We will adopt Gitpod and keep Alamofire only for the "
        "reporting path.",
    ],
)
def test_products_in_software_frames_are_no_one(pii: PresidioDetector, text: str) -> None:
    """A product name in a frame only software stands in is no PERSON or LOCATION."""
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Stack owners: Anna Schmidt, Maria Lopez and Tom Becker.",
            [("PERSON", "Anna Schmidt"), ("PERSON", "Maria Lopez"), ("PERSON", "Tom Becker")],
        ),
        (
            "Attendees: Grace Hopper, Ada Lovelace and Anna Schmidt.",
            [("PERSON", "Grace Hopper"), ("PERSON", "Ada Lovelace"), ("PERSON", "Anna Schmidt")],
        ),
        (
            "Our offices: Lake Annetteborough, Port Jessica and Kathyside.",
            [("LOCATION", "Lake Annetteborough"), ("LOCATION", "Port Jessica")],
        ),
        (
            "Ship it to 12 Granite Rapids, Springfield.",
            [("LOCATION", "Granite Rapids"), ("LOCATION", "Springfield")],
        ),
        ("Jasper Lake called about the invoice from 3 March.", [("LOCATION", "Jasper Lake")]),
        (
            "Ada Lovelace recommends running Babashka behind a reverse proxy. Explain why and "
            "give a minimal example.",
            [("PERSON", "Ada Lovelace")],
        ),
        ("Ask Maria about the failing deploy on the cluster.", [("PERSON", "Maria")]),
        (
            "user: my wife Ellie and I want to move from Hobbsport to Suriname. what do we need "
            "to check about taxes?",
            [("PERSON", "Ellie"), ("LOCATION", "Hobbsport"), ("LOCATION", "Suriname")],
        ),
        (
            "Our migration plan moves the accounts from Quillon to Maria Lopez next week.",
            [("PERSON", "Maria Lopez")],
        ),
        (
            "Maria Lopez runs the office in Lakefield and visits Bonnieton every month.",
            [("PERSON", "Maria Lopez"), ("LOCATION", "Lakefield"), ("LOCATION", "Bonnieton")],
        ),
        ("Ann Lee runs across the park every morning before work.", [("PERSON", "Ann Lee")]),
        (
            "Notes — Met Maria Lopez at the fair\n\nShe asked about the build times.",
            [("PERSON", "Maria Lopez")],
        ),
        ("Our study of compatibility with Maria's schedule is done.", [("PERSON", "Maria")]),
    ],
)
def test_people_and_places_in_the_same_frames_are_kept(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """People and places under a head of people, in an address, named in full or moved to
    keep their findings, with their exact spans."""
    assert named(pii, text) == names


_ENDS = re.compile(r"[.!?](?=\s)(?:[ \t]*\n)?|\n")


@pytest.mark.parametrize(
    ("text", "around", "skip_blank", "pieces"),
    [
        # the span's sentence alone
        ("One. Two [X] three. Four.", 0, False, (" Two ", " three")),
        # and one either side; a stop ending a line ends one sentence
        ("One.\nTwo [X] three.\nFour. Five.", 1, True, ("One.\nTwo ", " three.\nFour")),
        # a blank line is no sentence when asked: the next one is read
        (
            "Replace [X] with Y\n\nBuild times are long. More.",
            1,
            True,
            (
                "Replace ",
                " with Y\n\nBuild times are long",
            ),
        ),
        ("Replace [X] with Y\n\nBuild times are long. More.", 1, False, ("Replace ", " with Y\n")),
    ],
)
def test_sentence_window(text: str, around: int, skip_blank: bool, pieces: tuple[str, str]) -> None:
    """The sentence around a span is read to its ends, with ``around`` sentences either side;
    blanks alone make no sentence when ``skip_blank``."""
    start = text.index("[X]")
    window = sentence_window(
        text, start, start + 3, ends=_ENDS, reach=200, around=around, skip_blank=skip_blank
    )
    assert window == pieces
