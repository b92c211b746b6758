"""A card number of an odd length (12-14, 17-19 digits) whose card word comes after it is
held until the card detector's after-window has arrived: the whole answer masks "...
4711285810816, Karte gesperrt", and the stream released the digits as soon as they ended,
before the word that makes them a card (found by h169 in detectors.cards.card_context,
which reads a few words after the number too).

The stream tests run the real default pack with the real card recognizer; the shape's
offsets are unit-tested exactly, and plain prose and ordinary numbers are not held."""

from __future__ import annotations

import asyncio

import pytest

from detectors.checks import CARD_WORD_AFTER_CHARS
from policies.holdback import open_odd_card
from policies.inspector import PolicyInspector
from tests.policies.pattern_detection import default_pack_inspector
from tests.policies.test_holdback_properties import redacted, split, streamed

VISA_13 = "4711285810816"
MAESTRO_12 = "503840664281"
ANSWERS = {
    "karte": (f"Ihre neue Nummer ist {VISA_13}, Karte gesperrt seit gestern.", VISA_13),
    "visa": (f"The number on file is {MAESTRO_12} (Visa card) as of today.", MAESTRO_12),
    "at the end": (f"Use {MAESTRO_12} card", MAESTRO_12),
}


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The default pack with the real secrets detector and Presidio's pattern recognizers."""
    return default_pack_inspector()


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_an_odd_length_card_named_after_it_streams_as_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner, name: str
) -> None:
    """Cut in two at every place and a character a piece: the stream equals the whole
    answer, which masks the card, and no piece carries its digits."""
    text, card = ANSWERS[name]
    whole = loop.run(redacted(inspector, text))
    assert card not in whole
    for pieces in [*(split(text, [cut]) for cut in range(1, len(text))), list(text)]:
        sent = loop.run(streamed(inspector, pieces))
        assert "".join(sent) == whole, pieces
        assert not any(card[:6] in piece for piece in sent), pieces


@pytest.mark.parametrize(
    ("text", "released", "start"),
    [
        (f"Nummer {VISA_13}", "", 7),  # the digits just ended
        (f"Nummer {VISA_13}, Kar", "", 7),  # the card word is arriving
        (f"{MAESTRO_12} (Vi", "is ", 0),
        (", gesperrt", f"Nummer {VISA_13}", 0),  # the digits released: what follows held
        (f"ref {VISA_13[:5]} {VISA_13[5:]} ", "", 4),  # in groups
    ],
)
def test_an_odd_length_card_is_held_from_its_digits_within_the_after_window(
    text: str, released: str, start: int
) -> None:
    """The hold-back starts exactly at the card's first digit (or at the pending text's
    start when the digits were released) while its after-window is arriving."""
    assert open_odd_card(text, released) == start


@pytest.mark.parametrize(
    ("text", "released"),
    [
        (f"Nummer {VISA_13}, " + "x" * CARD_WORD_AFTER_CHARS, ""),  # the window has arrived
        ("The release 2024 shipped on time and ", "Hello. "),  # prose, short numbers
        ("order 4711285810817 shipped", ""),  # fails Luhn
        ("id 4111111111111111", ""),  # 16 digits: a card without any word, no wait needed
        ("ref 1234567890128", ""),  # no issuer has this prefix
    ],
)
def test_other_text_is_not_held_as_an_odd_length_card(text: str, released: str) -> None:
    """An arrived window, prose, a bad check digit, a common length and no issuer prefix are
    not held."""
    assert open_odd_card(text, released) is None
