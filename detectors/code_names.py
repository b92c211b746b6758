"""Names in code that stand where a token could: "the token UserSession2Manager",
"Bearer AuthTokenProvider". A name made of capitalised words ("UserSession2Manager",
"getSecretValue2Async") is told from a random key by its shape alone, without a word list:
three camelCase parts or more that hold 90 % of its letters, two digits at most, each part
pronounceable (a vowel, no run of four consonants). Random keys of 16 to 40 letters and
digits are that in about 1 of 20,000 draws (see tests/detectors/test_code_names.py).
"""

from __future__ import annotations

import re

_PART = re.compile(r"[A-Z][a-z]{2,}|^[a-z]{2,}(?=[A-Z0-9])")
_VOWEL = re.compile(r"[aeiouy]", re.IGNORECASE)
_CONSONANTS = re.compile(r"[b-df-hj-np-tv-xz]{4}", re.IGNORECASE)
_MIN_PARTS = 3
_MAX_DIGITS = 2


def is_code_name(value: str) -> bool:
    """A name in code made of words (module doc), not a random key."""
    parts = _PART.findall(value)
    letters = sum(ch.isalpha() for ch in value)
    return (
        len(parts) >= _MIN_PARTS
        and 10 * sum(len(part) for part in parts) >= 9 * letters
        and sum(ch.isdigit() for ch in value) <= _MAX_DIGITS
        and all(_VOWEL.search(part) and not _CONSONANTS.search(part) for part in parts)
    )


def not_code_name(value: str, match: re.Match[str], text: str) -> bool:
    """A :data:`~detectors.secret_rule.Check`: the value is no name in code."""
    return not is_code_name(value)
