"""Passwords and PINs read out on a call, one character a word
(:mod:`detectors.spoken_credentials`): after a credential's cue on the same line, or at the
start of a turn under a line that names one. tuning16 found none of 36 such values. Phone,
order and card numbers, zip codes and names read out the same way, and runs with no cue,
stay quiet.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

TOLD = [
    ("speaker 1: so the code for the side door is ", "four seven oh one", " and then you push"),
    ("hi it's me the pin for the company card is ", "oh eight five two", " ok dont share it"),
    ("Transcription: hey its me the alarm code changed to ", "nine two eight one", " ok bye"),
    ("ok uh so the new voicemail pin is ", "one three six eight nine five", " and that's it"),
    (
        "caller: the router admin is admin and the password is on a sticker its ",
        "capital s u m m e r 2 0 2 4 hash",
        "\nagent: thanks",
    ),
    (
        "the password is ",
        "m o d e r n j u s t",
        " all lower case except the first one i think",
    ),
    ("my passcode is ", "big d double p at sign 7 lower case q", "."),
    # the cue in a line above the turn
    (
        "[00:03:12] caller: the wifi password is on the router\n"
        "[00:03:19] agent: can you spell it for me\n[00:03:21] caller: yes ",
        "capital k 7 m hash q",
        "\n[00:03:30] agent: great",
    ),
    (
        "speaker 1: the code for the side door is on the board\nspeaker 2: got it ",
        "five six eight eight",
        " then push",
    ),
]

QUIET = [
    "caller: my number is four one five five five one two one two",
    "agent: and the zip code\ncaller: one oh two three four",
    "the zip code is one oh two three four",
    "the order number is four seven oh one eight",
    "agent: can you read me the card number\ncustomer: four one one one one one",
    "my name is jo, spelled j o h a n n a",
    "the error code is e four oh four now",
    "four seven oh one",  # no cue
    "the password is at least eight characters long",
    "the pin is a four digit number",
    "agent: the pin reset link is in your email\ncaller: ok thanks bye",
]


@pytest.mark.parametrize(("before", "value", "after"), TOLD)
def test_a_credential_read_out_is_a_password(
    secrets_detector: SecretsDetector, before: str, value: str, after: str
) -> None:
    """The spelled run is reported as one password, exactly: no cue word, no word after."""
    found = spans(secrets_detector, before + value + after)
    assert (E.PASSWORD, value) in found
    assert [s for s in found if value in s[1] and s[1] != value] == []


@pytest.mark.parametrize("text", QUIET)
def test_a_number_or_name_read_out_is_no_password(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Spelled runs after no credential's cue are not reported."""
    assert [s for s in spans(secrets_detector, text) if " " in s[1]] == []
