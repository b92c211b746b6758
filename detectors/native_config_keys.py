"""Config keys named in the file's own language: ``EXPORT_SCHLUESSEL=``, ``CHAVE_BACKUP=``,
``PLATNOSCI_KLUCZ=``, ``BETAAL_API_SLEUTEL=``, ``WEBHOOK_GEHEIM=`` (a key or a secret), and
``MOT_DE_PASSE_BDD=``, ``SENHA_ADMIN=`` (a password, a word after it naming what for).

English key names have their rules (:mod:`detectors.assigned_secrets`); staff who write the
comments of a ``.env`` in German or Portuguese name its keys in it too, and put the word
for "key" or "password" anywhere in the name. A key's value is a generic secret when it is
random-looking (the ``generic`` check of :mod:`detectors.secret_rules`); a password's value
when it has a password's shape (a digit or a symbol, or words joined as people join them)
and is no placeholder ("ÄNDERN", "${DB_SENHA}", "<haslo>").
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.password_prose import is_capitalised_chain, is_word_chain
from detectors.secret_rule import CONTEXTUAL, AnchoredPattern, Check, SecretRule
from detectors.secret_values import is_placeholder

#: "key" and "secret" in the languages of the label list (``credential_labels.txt``).
_KEY_WORDS = (
    "schlüssel", "schluessel", "geheimnis", "chave", "segredo", "clave", "secreto", "chiave",
    "segreto", "sleutel", "geheim", "klucz", "sekret", "nyckel", "hemlighet", "nøgle",
    "nøkkel", "avain",
)  # fmt: skip
#: "password" in those languages (English ``PASSWORD_X`` is assigned_secrets' own).
_PASSWORD_WORDS = (
    "passwort", "kennwort", "mot_de_passe", "motdepasse", "mdp", "contrasena", "contraseña",
    "senha", "wachtwoord", "haslo", "hasło", "losenord", "lösenord", "passord", "kodeord",
    "salasana", "heslo", "parola",
)  # fmt: skip
_PART = r"[A-Za-z0-9]{1,24}"
_KEY_REACH = 128  # the name's parts before its word: at most 4 * 25 characters


def _assignment(words: tuple[str, ...], value: str) -> AnchoredPattern:
    """``NAME=value`` or ``name: value`` (quoted or not) where one part of the name, split
    at ``_``, ``.`` or ``-``, is one of ``words``; tried only where one of them stands."""
    word = "|".join(re.escape(w).replace("_", "[_-]?") for w in words)
    return AnchoredPattern.build(
        word.lower(),
        r"(?<![\w.-])(?P<key>(?:" + _PART + r"[_.-]){0,4}(?i:" + word + r")(?:[_.-]" + _PART
        + r"){0,2})[\"']?[ \t]*[:=][ \t]*(?:\"(?P<dq>[^\"\n]{4,256})\"|'(?P<sq>[^'\n]{4,256})'"
        r"|(?P<bare>" + value + r")(?![^\s,;\"'}\]]))",
        0,
        _KEY_REACH,
    )  # fmt: skip


_KEY = _assignment(_KEY_WORDS, r"[A-Za-z0-9+/_~.-]{12,510}=*")
_PASSWORD = _assignment(_PASSWORD_WORDS, r"[^\s\"'`,;]{4,256}")
_NUMBER = re.compile(r"[\d.,:+-]+")
_SYMBOL = re.compile(r"[^\w\s.-]")


def _password(value: str, match: re.Match[str], text: str) -> bool:
    """A password's shape (module doc), no placeholder, no number, no variable."""
    if len(value) < 6 or is_placeholder(value) or _NUMBER.fullmatch(value) or "$" in value[:2]:
        return False
    if any(ch.isdigit() for ch in value) or _SYMBOL.search(value):
        return True
    return is_capitalised_chain(value) or is_word_chain(value, quoted=True)


# A name's last part that says its value is no secret: an id, a public half, a file.
_NOT_SECRET = re.compile(r"(?i)[_.-](?:id|ids|pub|public|name|file|path|url|uri|len|length)$")


def _named_secret(check: Check) -> Check:
    """``check``, and the name's last part names no id, public half or file
    ("CHAVE_ID=...", "SCHLUESSEL_FILE=/run/secrets/x")."""

    def named(value: str, match: re.Match[str], text: str) -> bool:
        return _NOT_SECRET.search(match["key"]) is None and check(value, match, text)

    return named


def native_config_key_rules(generic: Check) -> tuple[SecretRule, ...]:
    """The rules of this module; ``generic`` checks a random-looking token."""
    password: Check = _named_secret(_password)
    return (
        SecretRule(E.GENERIC_SECRET, _KEY, 0.75, CONTEXTUAL, _KEY_WORDS, _named_secret(generic)),
        SecretRule(
            E.PASSWORD,
            _PASSWORD,
            0.75,
            CONTEXTUAL,
            (*(w.replace("_", "") for w in _PASSWORD_WORDS), "mot_de", "mot-de"),
            password,
        ),
    )
