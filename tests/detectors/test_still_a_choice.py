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
