"""How the NER filter reads the words of a span: word starts, capitals, word classes.

The filter (:mod:`detectors.ner_filter`), its helpers and the NER gate
(:mod:`detectors.ner_gate`) read a text's words the same way, so that what the gate lets
past the model is what the filter would judge: :func:`word_at` is the word starting at a
position, :func:`span_words` the words of a span, lowercase as the word lists hold them.
"""

from __future__ import annotations

import re

from detectors.ner_lexicon import normalise

__all__ = [
    "WORD",
    "capitalised",
    "georgian",
    "lower_cased",
    "span_words",
    "word_at",
    "word_set",
]


def word_set(text: str) -> frozenset[str]:
    """The blank-separated words of ``text``, as a set (for word lists written inline)."""
    return frozenset(text.split())


#: A word as the filter reads it: a letter, then letters, digits and joiners ("O'Neil").
WORD = re.compile(r"[^\W\d_][\w.'’&-]*")


def capitalised(text: str) -> bool:
    """An upper-case letter, or a letter of a script without case (CJK, Arabic, Georgian...)."""
    return any(ch.isupper() or (ch.isalpha() and (not ch.islower() or georgian(ch))) for ch in text)


def georgian(letter: str) -> bool:
    """Whether ``letter`` is Georgian (Mkhedruli): Unicode counts its letters lowercase since
    it added the capitals of Mtavruli, but Georgian writes its names and sentences without
    capitals, as Hebrew or Thai do ("ნინო")."""
    return "\u10d0" <= letter <= "\u10ff"


def lower_cased(word: str) -> bool:
    """Whether ``word`` is written in lowercase letters of a script that has capitals ("gcc",
    "de"), not in a script without them (Georgian "ნინო", which Unicode counts lowercase)."""
    return word.islower() and not georgian(word[0])


# Characters a word of ``WORD`` runs on through: a word starting after one is no word start.
_WORD_JOINERS = frozenset(".'’&-_")


def word_at(text: str, start: int) -> str | None:
    """The word the filter reads starting at ``text[start]`` (lowercase, see
    :func:`~detectors.ner_lexicon.normalise`), or None if no word starts there: a span's
    capitalised words are the words at the starts of its capitalised tokens."""
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in _WORD_JOINERS):
        return None
    match = WORD.match(text, start)
    return normalise(match.group()).rstrip(".") if match else None


def span_words(text: str, start: int, end: int) -> list[str]:
    """The words of ``text[start:end]``, lowercase and without a closing dot."""
    return [normalise(w).rstrip(".") for w in WORD.findall(text[start:end])]
