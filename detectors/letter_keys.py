"""Keys of letters alone: random letters, not words written in humps.

Some services issue tokens without a digit ("NjrbAnjPBGcUAm", a Jira or Zapier key of 30
letters), and a random key of 12 letters has none about one time in five. The value
checks of the credential places (``api_key = "..."``, ``x-api-key: ...``) used to want a
digit, or read any capitalised run of letters as a type's name, so such keys passed.

:func:`random_letters` tells them from what else stands under a credential's name without
a digit: a type or class (``UserSessionManager``, ``KeyError``), a value that says it is
none (``ThisIsNotARealSecret``), a constant (``NOT_SET``, ``REQUIRED``), a scheme
(``Bearer``, ``Basic``), a variable (``apiKey``). It splits the value into its humps (a
capital and the lowercase letters after it, or a run of capitals) and asks two things:

* at least half of the humps are odd: one or two letters that are no short word ("Gc",
  "U"), lowercase letters without a vowel ("Njrb", "Ztf"), or capitals that are no word
  ("LFORUT"); random letters change case about every second letter, while a name in humps
  has words of four letters or more and at most an acronym;
* at most a third of the letters lie in humps of three letters or more that a dictionary
  (English, the technology names we ship) knows.

Snake-case parts in one case ("Py_ssize_t"), a letter beside itself in the other case
three times (a format string's "bBhHiI") and a company's legal form at the end
("McDonaldsGmbH") mark a name too.

It is meant for a value that its place already calls a credential: alone it would read
any scrambled text as a key.
"""

from __future__ import annotations

import functools
import re

from detectors.ner_lexicon import shipped_lexicon

#: Shortest letters-only value read as a key (shorter ones are words, codes, names).
MIN_LENGTH = 10

# Letters, in groups joined by "-" or "_" (a urlsafe token without a digit).
_LETTERS = re.compile(r"[A-Za-z]+(?:[-_][A-Za-z]+)*")
# A hump: capitals before a capitalised word ("HTTP" of "HTTPServer"), a word that may
# start with a capital, or a run of capitals.
_HUMP = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
# Humps of one or two letters a name in code is made of: "ThisIsNotARealSecret",
# "getIOStream", "toUTF".
_SHORT_WORDS = frozenset((
    "a", "i", "an", "am", "as", "at", "be", "by", "do", "go", "id", "if", "in", "io", "is",
    "it", "me", "my", "no", "of", "ok", "on", "or", "so", "to", "up", "us", "we", "db", "ui",
    "os", "ip", "js", "v", "x", "y", "z",
))  # fmt: skip
_MIN_HUMPS = 3
_PARTS = re.compile(r"[-_]")
# A letter beside itself in the other case ("bB", "Yy"): letter sets of a format string.
_CASE_PAIR = re.compile(r"(?i:([a-z]))(?!\1)(?i:\1)")
_MAX_CASE_PAIRS = 3
# A company's legal form: its name in humps ends so ("McDonaldsGmbH", "AcmeWidgetsLtd").
_COMPANY_ENDS = ("GmbH", "AG", "Inc", "Ltd", "LLC", "Corp", "SARL")
_VOWEL = re.compile(r"[AEIOUYaeiouy]")


@functools.cache
def _dictionary() -> frozenset[str]:
    """Lowercase words a hump of a name in code is (read once per process)."""
    lexicon = shipped_lexicon()
    return lexicon.english | lexicon.tech | lexicon.curated


def _odd(hump: str, words: frozenset[str]) -> bool:
    """A hump no word makes: one or two letters that are no short word, or three or more
    lowercase-ending letters without a vowel ("Njrb", "Ztf")."""
    if len(hump) <= 2:
        return hump.lower() not in _SHORT_WORDS
    return not hump.isupper() and _VOWEL.search(hump) is None and hump.lower() not in words


def random_letters(value: str, dictionary: frozenset[str] | None = None) -> bool:
    """True for letters (and ``-``/``_``) that read as a random key: both cases, humps
    mostly of one or two letters that are not short words, and few dictionary words
    ("NjrbAnjPBGcUAm", "LFORUTZtfDER", "oDiSmCiIQOQWVQKaTYHUpV"); False for names in humps
    ("UserSessionManager", "ThisIsNotARealSecret"), constants ("NOT_SET"), schemes
    ("Bearer") and anything with a digit or another sign. ``dictionary`` defaults to the
    shipped word lists."""
    if len(value) < MIN_LENGTH or _LETTERS.fullmatch(value) is None:
        return False
    if value.isupper() or value.islower():
        return False  # a constant or a word: "NOT_SET", "changeme"
    if any(len(part) >= 3 and (part.isupper() or part.islower()) for part in _PARTS.split(value)):
        return False  # a name in code: "Py_ssize_t", "CPy_INCREF", "ival_to_QEDEC"
    if len(_CASE_PAIR.findall(value)) >= _MAX_CASE_PAIRS:
        return False  # format letters: "bBhHiIlLqQ", "YyMmDdHhSs"
    if value.endswith(_COMPANY_ENDS):
        return False  # a company's name in humps: "McDonaldsGmbH"
    humps = _HUMP.findall(value)
    if len(humps) < _MIN_HUMPS:
        return False
    words = _dictionary() if dictionary is None else dictionary
    letters = sum(map(len, humps))
    worded = sum(len(h) for h in humps if len(h) >= 3 and h.lower() in words)
    odd = sum(1 for h in humps if _odd(h, words))
    capitals = sum(1 for h in humps if len(h) >= 3 and h.isupper() and h.lower() not in words)
    return 3 * worded <= letters and 2 * (odd + capitals) >= len(humps)
