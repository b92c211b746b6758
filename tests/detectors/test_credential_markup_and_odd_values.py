"""Passwords under a Markdown bold label ("**Password**: X", "**密码**: X"), values that start
with a bracket or hold a ";" ("(*4WVje8Z8E@", "Z6n;OUyCbk$$") or end before a string's
escaped line break, and the word "password" where it names no password: an option's value
("PreferredAuthentications=password user@host") or a name in a list ("[username password
database]")."""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

PW = E.PASSWORD

FOUND = [  # (text before, the password, text after)
    ("- **Password**: `", "^%aZYVTd9D", "`\n- **Role**: admin\n"),
    ("**Password:** ", "Xk9!mQ2v", "\n"),
    ("### Root 用户\n- **用户名**: `root`\n- **密码**: `", "Autumn2024", "`\n- **用途**: 全部\n"),
    ("| 服务 | 用户名 | 密码 |\n|---|---|---|\n| 路由器 | admin | ", "Winter2020!", " |\n"),
    ("parola mea pentru intranet e ", "(*4WVje8Z8E@", ' și tot zice "date invalide"'),
    ("ww wifi = ", "(0La+5l)#", "\n"),
    ("Gebruikersnaam tadejahafner, wachtwoord ", "Z6n;OUyCbk$$", " - willen jullie kijken?"),
    ("Passwort ist ", "Xk9!mQ2v", ";Benutzer=ana"),
    # a .netrc line in a string literal: the value ends before the escape that ends the line
    ('let raw = "machine api.heroku.com login user password ', "kmS#4YjaKXoB?", '\\n";'),
]


@pytest.mark.parametrize(("before", "secret", "after"), FOUND)
def test_bold_labels_brackets_and_semicolons_are_found_exactly(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The password after a bold label, or one that starts with "(" or holds a ";", is
    one PASSWORD finding with its exact span."""
    assert spans(secrets_detector, before + secret + after) == [(PW, secret)]


QUIET = [
    "ssh -o StrictHostKeyChecking=no -o PreferredAuthentications=password ana@example.com",
    "sshpass -e ssh -o PreferredAuthentications=password deploy@build01.example.org",
    "(defn connect\n  [{:keys [hostname port username password database]\n    :or {}}])",
    "**Password:** **required**\n",
    "das Passwort ist (siehe Tresor)",
    "Passwort: (optional)",
    "Passwort: (2024-01-01)",
]


@pytest.mark.parametrize("text", QUIET)
def test_options_lists_bold_words_and_notes_in_brackets_are_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """ "password" as an option's value or a name in a list, a bold word after the label
    and a note or date in brackets give no finding."""
    assert spans(secrets_detector, text) == []


KEYS_OF_LETTERS = [  # (text before, the key, text after)
    ("Cheia secretă a clientului: ", "EINmPKnqrHwN", ". Unde o pun în configurație?"),
    ("Cheia secretă a clientului: ", "LqkcUHhfrCHvJVr", ". Unde o pun?"),
    ("klucz API dla klienta: ", "EINmPKnqrHwN", ", gdzie go wpisać?"),
]


@pytest.mark.parametrize(("before", "secret", "after"), KEYS_OF_LETTERS)
def test_a_random_key_of_letters_alone_after_a_key_label_is_found_exactly(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """Letters alone whose case flips like a random string's, after a key's label in any
    language, are one GENERIC_SECRET finding with their exact span."""
    assert spans(secrets_detector, before + secret + after) == [(E.GENERIC_SECRET, secret)]


@pytest.mark.parametrize(
    "text",
    [
        "der Schlüssel ist McDonaldsGmbH",
        "der Schlüssel ist iPhoneMacBookAir.",
        "la clave es XMLHttpRequestJSON",
        "el token es JavaScriptTypeScript",
    ],
)
def test_names_in_humps_after_a_key_label_are_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A name written in humps after a key's label is no key."""
    assert spans(secrets_detector, text) == []
