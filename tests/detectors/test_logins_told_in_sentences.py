"""Passwords told in office prose (:mod:`detectors.password_prose`, h217, issue 14): a login
"for" something followed by "is" and a user / password pair, the pairs of a list after a word
for logins ("credentials ...: buyer1 / X, buyer2 / Y"), a PIN in parentheses after what it
opens or told in the next clause ("the PIN ...; mine is 92784668"), a word after "password"
when a user name stands before it in the sentence ("user bob and password X") or a Romanised
Hindi "mera" ("Mera netbanking password X hai"), and a password that starts with "$". A
one-time password is a code the service generated: a generic secret
(:mod:`detectors.office_codes`), as one-time access codes are.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

FOUND = [
    (
        "The payroll portal login for our company is ana@example.org / K8hw4V@tMG! - how do I"
        " download the report?",
        ["K8hw4V@tMG!"],
    ),
    (
        "The supplier portal credentials for the buyer team are stored in a spreadsheet:"
        " buyer1 / Autumn2025#, buyer2 / oYt5Hd4r*",
        ["Autumn2025#", "oYt5Hd4r*"],
    ),
    (
        "Credentials: ops / quod-aut-22; audit / Winter2019# and intern / ModiExcepturi847",
        ["quod-aut-22", "Winter2019#", "ModiExcepturi847"],
    ),
    ("We saw the CFO's PIN for the bank token (995927) on a sticky note.", ["995927"]),
    ("Reset the PIN (48213) today.", ["48213"]),
    ("Sure, it's user robertjonathan and password pariaturoccaecati", ["pariaturoccaecati"]),
    ("Mera netbanking password repellendusblanditiis hai, check karo", ["repellendusblanditiis"]),
    ("it's user bob and password $f6Lkt5N", ["$f6Lkt5N"]),
    (
        "The airline wants the frequent flyer PIN to merge accounts; mine is 92784668. Write it",
        ["92784668"],
    ),
    ("The bank asks for the card's PIN to unlock it; mine is 4821.", ["4821"]),
]

ONE_TIME = [
    (
        "the technician asked for my Airtable ID and the one-time password BgTGaAYCpU0y. I gave it",
        "BgTGaAYCpU0y",
    ),
    ("Your one-time password is WxwYpRK8bemlX3sX and it expires soon.", "WxwYpRK8bemlX3sX"),
]

QUIET = [
    "Credentials: read / write, admin / owner, and src / lib.",  # words, not passwords
    "Choose between input / output, and read / write for the credentials page.",
    "Reads are 3 / 4, writes 1 / 2, see the logins page.",  # no pair told by the list's word
    "The PIN (2024) rollout starts in May.",  # a year
    "The PIN (1111) shown in the manual is a sample.",  # one digit repeated
    "The login for the portal is down again: see the status page.",
    "The user and password fields are validated; password complexity is checked.",
    "The script reads password $env:DB_PASS and password ${DB_PW} first.",  # variables
    "Bcrypt stores the password $2b$12$abcdefghijk as a hash.",  # a second "$": a hash
    "The PIN pad was replaced; it's 2019 hardware.",  # a year
    "Enter the one-time password from the SMS; it is valid for 5 minutes.",
]


@pytest.mark.parametrize(("text", "values"), FOUND)
def test_passwords_told_in_sentences_are_found(
    secrets_detector: SecretsDetector, text: str, values: list[str]
) -> None:
    """Each password told is reported as a password, spanning the value alone."""
    assert spans(secrets_detector, text) == [(E.PASSWORD, value) for value in values]


@pytest.mark.parametrize("text", QUIET)
def test_look_alikes_stay_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """Pairs of words, years, notes about a login and variables are no password."""
    assert spans(secrets_detector, text) == []


@pytest.mark.parametrize(("text", "value"), ONE_TIME)
def test_a_one_time_password_is_a_generic_secret(
    secrets_detector: SecretsDetector, text: str, value: str
) -> None:
    """A generated one-time password is reported once, as a generic secret, without the
    full stop after it."""
    assert spans(secrets_detector, text) == [(E.GENERIC_SECRET, value)]
