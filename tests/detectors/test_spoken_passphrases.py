"""A passphrase of spaced words alone at a line's end where only a password can stand
(:func:`detectors.password_prose.is_spoken_passphrase`): the answer to "whats the wifi pw
again?" ("Maina: station level glass") and a Wi-Fi line in a list of accounts ("- Wi-Fi
(staff): trade want arrive put" below "Initial password: ..."). Joined words were found
there before; spaced ones were not. A reply or a note in words (function words, chat words,
"-ing"/"-ed" words) stays quiet, and so does a Wi-Fi line where no other line tells a
credential.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

ACCOUNTS = "- Windows login: karkur69\n- Initial password: CorporisNulla414\n"

TOLD = [
    ("Wilfred: whats the wifi pw again?\nMaina: ", "station level glass", "\nFaith: thx"),
    ("what's the password for the printer?\n", "amber river stone cloud", ""),
    (ACCOUNTS + "- Wi-Fi (staff): ", "trade want arrive put", "\n- Door code: see Ana"),
]

QUIET = [
    "Wilfred: whats the wifi pw again?\nMaina: checking now brb",
    "Wilfred: whats the wifi pw again?\nMaina: ok will check",
    "Wilfred: whats the wifi pw again?\nMaina: on the fridge door",
    "Ana: what's the password policy?\nBob: upper lower digits symbols",
    "- Wi-Fi: fixed last week\n- Printer: toner low",  # office news, no credential
    "- Wi-Fi: trade want arrive put",  # no other line tells a credential
    ACCOUNTS + "- Wi-Fi (staff): see the sticker",
    ACCOUNTS + "- Wi-Fi (guest): guest net only",
]


@pytest.mark.parametrize(("before", "value", "after"), TOLD)
def test_spoken_passphrase_is_a_password(
    secrets_detector: SecretsDetector, before: str, value: str, after: str
) -> None:
    """The spaced words are reported as one password, exactly."""
    assert (E.PASSWORD, value) in spans(secrets_detector, before + value + after)


@pytest.mark.parametrize("text", QUIET)
def test_reply_or_note_in_words_is_no_password(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Spaced words that read as a reply or a note are not reported."""
    assert [s for s in spans(secrets_detector, text) if " " in s[1]] == []
