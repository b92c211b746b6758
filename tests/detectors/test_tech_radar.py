"""The items of a technology radar's rings ("Adopt: Ada Lovelace, KeyDB\\nTrial: Nushell,
Gitpod") are technologies, even two to a line and named after people (issue 14,
``negatives6``); lines that only start like a ring keep their people, exact spans."""

from __future__ import annotations

from detectors.pii import PresidioDetector
from tests.detectors.named import named


def test_items_of_a_radar_are_no_one(pii: PresidioDetector) -> None:
    """Every item of a radar's rings is no PERSON or LOCATION."""
    text = (
        "Our internal tech radar:\nAdopt: Ada Lovelace, KeyDB\nTrial: Nushell, Gitpod\n"
        "Assess: Clearwater Forest\nHold: Authelia\n\nWrite one sentence of rationale for each "
        "ring."
    )
    assert named(pii, text) == []


def test_sentences_after_ring_words_keep_their_people(pii: PresidioDetector) -> None:
    """A line that opens with "Hold:" or "Trial:" but holds a sentence is no ring."""
    text = "Hold: Ann Lee will call you back.\nTrial: ends on Friday, said Maria Garcia."
    assert named(pii, text) == [("PERSON", "Ann Lee"), ("PERSON", "Maria Garcia")]
