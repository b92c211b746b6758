"""The words people use for a credential in their own language, as data.

``data/credential_labels.txt`` lists, per kind and per language, the words that name a
password ("Kennwort", "mot de passe", "hasło", "şifresi"), a key or token ("Schlüssel",
"clé", "klucz"), a PIN or door code, a user name, credentials as a pair, "and", and the
"is" that may stand between a label and its value ("ist", "lautet", "c'est", "to", "on").
:mod:`detectors.labelled_credentials` builds its rules from them, so a language is added by
adding a line to the file, not a regex to the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

_FILE = "credential_labels.txt"


@dataclass(frozen=True, slots=True)
class CredentialLabels:
    """The label words of every language, by kind (all languages pooled, deduplicated)."""

    password: tuple[str, ...]
    key: tuple[str, ...]
    token: tuple[str, ...]
    pin: tuple[str, ...]
    user: tuple[str, ...]
    credentials: tuple[str, ...]
    conjunction: tuple[str, ...]
    copula: tuple[str, ...]
    state: tuple[str, ...]


def parse_labels(text: str) -> CredentialLabels:
    """The labels of a file in the format of ``credential_labels.txt``: ``[kind]`` starts a
    section, each other line is a language code and its words, ``#`` starts a comment and
    ``_`` stands for a blank inside a word."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        if current is None:
            raise ValueError(f"{_FILE} line {number}: words before any [section]")
        _, *words = line.split()
        current.extend(word.replace("_", " ") for word in words)
    fields = CredentialLabels.__dataclass_fields__
    unknown = sorted(set(sections) - set(fields))
    if unknown:
        raise ValueError(f"{_FILE}: unknown section(s) {unknown}")
    return CredentialLabels(
        **{name: tuple(dict.fromkeys(sections.get(name, ()))) for name in fields}
    )


def load_labels() -> CredentialLabels:
    """The shipped labels (``detectors/data/credential_labels.txt``)."""
    path = resources.files("detectors").joinpath("data", _FILE)
    return parse_labels(path.read_text(encoding="utf-8"))


def alternation(words: tuple[str, ...]) -> str:
    """A regex that matches any of ``words``, longest first (an alternation takes the first
    that fits): a word with a capital letter in its own case only, the others in any case,
    a blank inside a word as any run of blanks."""
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        body = r"[ \t]+".join(re.escape(piece) for piece in word.split(" "))
        parts.append(body if word != word.lower() else f"(?i:{body})")
    return "(?:" + "|".join(parts) + ")"


def lowered_alternation(words: tuple[str, ...]) -> str:
    """:func:`alternation` for text already lowercased (an anchor): every word in lowercase,
    whole (an anchor that ends inside a word, "la pass" of "la password", would hide the
    label that starts in it)."""
    return r"(?<!\w)" + alternation(tuple(word.lower() for word in words)) + r"(?!\w)"


def triggers(words: tuple[str, ...]) -> tuple[str, ...]:
    """The lowercase substrings a text must hold for a rule on ``words`` to run: the words
    themselves, lowercased, deduplicated."""
    return tuple(dict.fromkeys(word.lower() for word in words))
