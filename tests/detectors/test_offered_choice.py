"""Two words on no list offered as a choice at a question's start ("Codeium or Chainer? We
need ...") are products, not people or places (issue 14, ``negatives6``); a known first name
offered so keeps its finding, exact span."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        "Codeium or Chainer? We need something that runs offline on a factory floor.",
        "Jitsi or Behat? We need something that runs offline on a factory floor.",
        "Doobie or Tahoe? We need something that runs offline on a factory floor.",
    ],
)
def test_a_choice_of_two_unlisted_words_is_no_one(pii: PresidioDetector, text: str) -> None:
    """Neither item of "A or B?" is a PERSON or LOCATION when the other is on no list."""
    assert named(pii, text) == []


def test_a_known_first_name_offered_as_a_choice_is_kept(pii: PresidioDetector) -> None:
    """A known first name in "A or B?" is a PERSON, exact span."""
    text = "Ann or Oyelaran? Who is on call tonight?"
    assert ("PERSON", "Ann") in named(pii, text)


def test_a_place_shaped_word_owning_webhooks_is_software(pii: PresidioDetector) -> None:
    """A word shaped as a town but on no list of places, with what software owns
    ("Lakefield's webhooks"), is no LOCATION."""
    text = (
        "We rely on ESP32's plugin system and Lakefield's webhooks. If either vendor "
        "deprecates them, what's our fallback?"
    )
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "We moved our office to Lakefield's old town hall last year.",
            [("LOCATION", "Lakefield")],
        ),
        ("We rely on Berlin's API for the open data portal.", [("LOCATION", "Berlin")]),
    ],
)
def test_towns_owning_other_things_or_known_stay_places(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """A town with a town's things, or a known place with an API, is a LOCATION."""
    assert named(pii, text) == names
