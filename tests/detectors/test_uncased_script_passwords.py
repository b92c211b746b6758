"""A password in a script without letter case (Japanese, Chinese, Korean, Thai) told in an
English sentence (:func:`detectors.password_prose.is_uncased_word`): "the administrator
password for the file server is ソースオークション". Such a word is no word of the sentence
around it, as a lowercase English word would be; the script's own word for "password" is a
label ("Password パスワード"), and right after the key such a word needs a word that makes
the password a specific one, as a lowercase word does. A text read whole reports its other
printings too (:func:`detectors.every_printing.with_every_printing`): six kana or kanji are
no word printed elsewhere by chance.
"""

from __future__ import annotations

import pytest

from core.scanning import Finding
from detectors import entities as E
from detectors.every_printing import with_every_printing
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

TOLD = [
    ("the administrator password for the file server is ソースオークション", "ソースオークション"),
    ("Login for the supplier portal: osamu12@example.net / 保持する保証金", "保持する保証金"),
    ("the temporary password 持っていました隠す expires on Friday", "持っていました隠す"),
    ("my wifi password is 하늘바다구름별", "하늘바다구름별"),
]

QUIET = [
    "Reset password パスワードを忘れた場合",  # the key word of the script: a label
    "the password is パスワード",
    "password 変更してください",  # right after the key, nothing makes it a specific one
    "the password is 変更",  # too short to tell from a word
]


@pytest.mark.parametrize(("text", "value"), TOLD)
def test_uncased_word_told_as_a_password(
    secrets_detector: SecretsDetector, text: str, value: str
) -> None:
    """The word after "password is" (or "login ... /") is reported, exactly."""
    assert [s for s in spans(secrets_detector, text) if s[0] == E.PASSWORD] == [(E.PASSWORD, value)]


@pytest.mark.parametrize("text", QUIET)
def test_label_or_unspecific_uncased_word_stays_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """The script's word for "password", and a word right after the bare key, are none."""
    assert spans(secrets_detector, text) == []


def test_uncased_password_printed_earlier_is_reported_there() -> None:
    """Read whole, a text's earlier printing of an uncased password is reported as well."""
    text = "(持っていました隠す) was the old one; the old password is 持っていました隠す"
    at = text.rindex("持っていました隠す")
    named = Finding(E.PASSWORD, at, at + 9, 0.7, "secrets")
    found = with_every_printing([text], [[named]])
    assert [text[f.start : f.end] for f in found[0]] == ["持っていました隠す"] * 2
    assert found[0][0].start == 1
