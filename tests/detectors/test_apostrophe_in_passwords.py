"""An apostrophe between two letters is part of a password told in prose
(:data:`detectors.password_prose.VALUE`): "the wifi password is D'Artagnan#77". Cut at the
apostrophe, the value's tail ("Artagnan#77") rested in clear. An apostrophe alone does not
make a word of prose a password ("the password is everyone's responsibility").
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

TOLD = [
    ("the wifi password is D'Artagnan#77", "D'Artagnan#77"),
    ("The service account password is Кам'янець165 until we move to SSO.", "Кам'янець165"),
    ("my password is O'Brien2024 for now", "O'Brien2024"),
    ("the temporary password L'Oréal&co expires tonight", "L'Oréal&co"),
    ("use Rock'n'Roll99 as the password", "Rock'n'Roll99"),
]

QUIET = [
    "the password is everyone's responsibility",
    "the password is everyone’s responsibility",
    "the password policy is the team's decision",
    "the new password is O'Brien's to choose",
]


@pytest.mark.parametrize(("text", "value"), TOLD)
def test_apostrophe_inside_a_told_password_is_part_of_it(
    secrets_detector: SecretsDetector, text: str, value: str
) -> None:
    """The whole password is reported, its letters after the apostrophe included."""
    assert spans(secrets_detector, text) == [(E.PASSWORD, value)]


@pytest.mark.parametrize("text", QUIET)
def test_a_word_with_an_apostrophe_is_no_password(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A possessive or a contraction after "password is" stays quiet."""
    assert spans(secrets_detector, text) == []
