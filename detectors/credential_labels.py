"""The words people use for a credential in their own language, as data.

``data/credential_labels.txt`` lists, per kind and per language, the words that name a
password ("Kennwort", "mot de passe", "hasło", "şifresi"), a key or token ("Schlüssel",
"clé", "klucz"), a PIN or door code, a user name, credentials as a pair, "and", and the
"is" that may stand between a label and its value ("ist", "lautet", "c'est", "to", "on"),
the states a password is in ("abgelaufen"), the words that open the next clause ("aber",
"mais"), the labels a value may follow with no "is" at all ("wifi şifresi X", "a vendég
wifi jelszava X": "my password X", in languages that need no verb there) and the words that
point where a value would stand ("questa è la password", "warum ist das Passwort").
:mod:`detectors.labelled_credentials` builds its rules from them, so a language is added by
adding a line to the file, not a regex to the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from importlib import resources

import ahocorasick

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
    clause: tuple[str, ...]
    verbless: tuple[str, ...] = ()
    pointer: tuple[str, ...] = ()
    compound: tuple[str, ...] = ()  # labels that may end a compound noun: "Startpasswort"


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
    names = [field.name for field in fields(CredentialLabels)]
    unknown = sorted(set(sections) - set(names))
    if unknown:
        raise ValueError(f"{_FILE}: unknown section(s) {unknown}")
    return CredentialLabels(
        **{name: tuple(dict.fromkeys(sections.get(name, ()))) for name in names}
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
    """A regex for text already lowercased (an anchor) that matches any of ``words`` whole
    (an anchor that ends inside a word, "la pass" of "la password", would hide the label
    that starts in it). Written as a trie ("pa(?:rol(?:a|ă)|ss(?:ord|wort))"): the regex
    engine then tries each character once at a position, not every word; the anchor is
    looked for in every text that holds a label."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in {word.lower() for word in words}:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie) + r"(?!\w)"


def _trie_regex(node: dict) -> str:  # type: ignore[type-arg]
    """The regex of a trie node: its branches in one group, the end of a word as an empty
    branch tried last (a longer word first), a blank as any run of blanks."""
    branches = [
        (r"[ \t]+" if ch == " " else re.escape(ch)) + _trie_regex(child)
        for ch, child in sorted(node.items())
        if ch
    ]
    if "" in node:
        branches.append("")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def triggers(words: tuple[str, ...]) -> tuple[str, ...]:
    """The lowercase substrings a text must hold for a rule on ``words`` to run: the words
    themselves, lowercased, deduplicated."""
    return tuple(dict.fromkeys(word.lower() for word in words))


#: The kinds of label that name a credential or its user, in :class:`CredentialLabels`.
LABEL_KINDS = ("password", "key", "token", "pin", "user", "credentials")


class LabelFinder:
    """Where labels of ``LABEL_KINDS`` stand in a lowercased text, whole words only.

    One Aho-Corasick pass (pyahocorasick) over the text finds them all: a regex of the ~250
    words cost ~0.12 ms per 4 KB of Python source, where "pin" of "mapping" lets the rules
    run; the automaton a tenth of that. A label with a blank is found with one blank.
    """

    def __init__(self, labels: CredentialLabels) -> None:
        self._compound = frozenset(word.lower() for word in labels.compound)
        kinds: dict[str, set[str]] = {}
        for kind in LABEL_KINDS:
            for word in getattr(labels, kind):
                kinds.setdefault(word.lower(), set()).add(kind)
        self._kinds = {word: frozenset(found) for word, found in kinds.items()}
        self._automaton = ahocorasick.Automaton()
        for word in self._kinds:
            self._automaton.add_word(word, word)
        self._automaton.make_automaton()

    def kinds(self, lowered_label: str) -> frozenset[str]:
        """The kinds a label found by :meth:`find` belongs to."""
        return self._kinds.get(lowered_label, frozenset())

    def find(self, lowered: str) -> list[tuple[int, int]]:
        """The labels in ``lowered``, left to right, not overlapping (the longest of those
        that start at one place), with no letter, digit or "_" right before or after; a
        letter before a compound's head is the compound's ("Initialpasswort": the label is
        its "passwort")."""
        hits = []
        size = len(lowered)
        for last, word in self._automaton.iter(lowered):
            end = last + 1
            start = end - len(word)
            if end < size and (lowered[end].isalnum() or lowered[end] == "_"):
                continue
            before = lowered[start - 1] if start else " "
            compound = before.isalpha() and word in self._compound
            if (before.isalnum() or before == "_") and not compound:
                continue
            hits.append((start, end))
        hits.sort(key=lambda hit: (hit[0], -hit[1]))
        kept: list[tuple[int, int]] = []
        for start, end in hits:
            if not kept or start >= kept[-1][1]:
                kept.append((start, end))
        return kept
