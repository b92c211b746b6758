"""Passphrases of several words: quoted before their key ("use "correct horse 9" as the new
password"), quoted in config under a key that names a password, and in parentheses after
the key ("password (X)"); labels and docstrings about passwords stay quiet.

Positives are (text before, secret, text after): the finding must span exactly the secret.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.password_prose import is_passphrase
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

POSITIVES = [
    ('use "', "correct horse 9", '" as the new password'),
    ("try '", "blue ocean tiger 42", "' as your new admin password"),
    ('"', "correct horse battery staple", '" was the old wifi password'),
    ('password: "', "correct horse battery staple", '"\n'),
    ('db_password: "', "correct horse battery staple", '"\n'),
    ('{"password": "', "correct horse 9", '"}'),
    ("DB_PASSWORD='", "blue ocean tiger", "'\n"),
    ('env:\n  - name: DB_PASSWORD\n    value: "', "correct horse battery staple", '"\n'),
    ("the password (", "Xk9mQ2vL", ") expires today"),
    ("password (", "hunter2x", ")"),
    ('password ("', "correct horse battery", '")'),
]

NEGATIVES = [
    'password: "Enter your password"',
    'password: "Passwords do not match"',
    'password: "At least 8 characters."',
    'password: "Forgot password?"',
    'password: "Confirm new password"',
    'password: "Mot de passe"',
    'password: "Contraseña incorrecta"',
    'password: "{{ vault_pw }}"',
    'password: "Sign in with Google"',
    'token: "correct horse battery staple"',  # not a key that names a password
    'label: "correct horse battery staple"',
    "password (str): the user's password",
    "password (Optional[str]) -- the password",
    "Args:\n    password (bytes|None): the key's password",
    "password (optional)",
    "password (required)",
    "password (self.pw)",
    "the password (see below) is rotated",
    'password ("enter again") prompt',
    "password (SHA256)",
    'use "the usual one" as the password',
]


@pytest.mark.parametrize(("before", "secret", "after"), POSITIVES)
def test_a_passphrase_is_found_with_its_exact_span(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The passphrase is a PASSWORD finding spanning exactly the value."""
    text = before + secret + after
    found = spans(secrets_detector, text)
    assert (E.PASSWORD, secret) in found, found


@pytest.mark.parametrize("text", NEGATIVES)
def test_labels_and_docstrings_about_passwords_stay_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A label, a translation, a template, a type or a word in parentheses is no password."""
    assert secrets_detector.find(text) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("correct horse battery staple", True),
        ("correct horse 9", True),
        ("Correct Horse Battery", True),
        ("Enter your password", False),
        ("Too short", False),
        ("one", False),  # a single word: the single-token checks judge it
        ("ends with a stop.", False),
        ("%s %s", False),
        ("a b", False),
    ],
)
def test_what_reads_as_a_passphrase(value: str, expected: bool) -> None:
    """Two to eight words, no label words, no key word, no closing punctuation, no markup."""
    assert is_passphrase(value) is expected
