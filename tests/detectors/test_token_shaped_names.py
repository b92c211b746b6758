"""A value written as a token is never a person or a place (pii_filters.token_shaped).

spaCy's small model reads the shape of a capitalised value after a YAML key and reported
``api_token: glpat-XXXXXXXX-XXXXXXXX`` as a PERSON, and a name cue ("owner:") took a
keyboard-mashed value for a name. A chunk with a letter four times in a row (a placeholder's
filler) or five ASCII letters without a vowel (no syllable) is no name; names under the same
keys are still found, spanning exactly the name.
"""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector
from detectors.pii_filters import ner_plausible, token_shaped

_NAME_TYPES = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION"})

TOKEN_LINES = [
    "api_token: glpat-XXXXXXXX-XXXXXXXX\n",
    "service:\n  name: glpat-XXXXXXXXXXXXXXXXXXXX\n  region: eu\n",
    "gitlab:\n  api_token: glpat-XXXXXXXX-XXXXXXXX\n  owner: Jan de Vries\n",
    "service:\n  owner: Bcdfgh Jklmn\n  region: eu\n",
    "service:\n  owner: Zxcvbnm-Qwrtp\n  region: eu\n",
    "service:\n  name: Zxcvbnm-Qwrtp\n  region: eu\n",
    "client: Ab3xK9Lm\n",
]

# (text, the name in it): names under the same keys keep their exact spans.
NAME_LINES = [
    ("Contact: Anna Kowalska", "Anna Kowalska"),
    ("owner: Jan de Vries", "Jan de Vries"),
    ("service:\n  owner: Anne-Marie Dupont\n  region: eu\n", "Anne-Marie Dupont"),
    ("service:\n  name: Smith-Jones\n  region: eu\n", "Smith-Jones"),
    ("gitlab:\n  api_token: glpat-XXXXXXXX-XXXXXXXX\n  owner: Jan de Vries\n", "Jan de Vries"),
]


def _named(pii: PresidioDetector, text: str) -> list[tuple[str, str]]:
    return [(f.entity_type, text[f.start : f.end]) for f in pii.find(text)]


@pytest.mark.parametrize("text", TOKEN_LINES)
def test_a_value_written_as_a_token_is_no_name(pii: PresidioDetector, text: str) -> None:
    """No person, place or organisation is reported on a token-shaped value."""
    named = [
        value
        for entity, value in _named(pii, text)
        if entity in _NAME_TYPES and value != "Jan de Vries"
    ]
    assert named == []


@pytest.mark.parametrize(("text", "name"), NAME_LINES)
def test_names_under_the_same_keys_keep_their_span(
    pii: PresidioDetector, text: str, name: str
) -> None:
    """A real name after a config key or label is still one PERSON, spanning the name."""
    assert ("PERSON", name) in _named(pii, text)


@pytest.mark.parametrize(
    ("chunk", "expected"),
    [
        ("XXXXXXXX", True),
        ("AAxxxx", True),
        ("Zxcvbnm", True),
        ("Bcdfgh", True),
        # names: vowels, y and w as vowels (Welsh), diacritics, acronyms, short words
        ("Kowalska", False),
        ("Smyth", False),
        ("Bwlch", False),
        ("Llwyd", False),
        ("Brnčić", False),
        ("NSPCC", False),
        ("Chrt", False),
        ("Kaaawa", False),
        ("Ορέστης", False),
    ],
)
def test_token_shaped_chunks(chunk: str, expected: bool) -> None:
    """A letter four times or five ASCII letters without a vowel is a token's shape."""
    assert token_shaped(chunk) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("glpat-XXXXXXXX-XXXXXXXX", False),
        ("HRKU-AAxxxx", False),
        ("Bcdfgh Jklmn", False),
        ("Anna Kowalska", True),
        ("Jan de Vries", True),
        ("Anne-Marie Dupont", True),
        ("O'Brien", True),
    ],
)
def test_an_ner_span_with_a_token_chunk_is_implausible(value: str, expected: bool) -> None:
    """A span with one token-shaped chunk cannot be a name or a place."""
    assert ner_plausible(value) is expected
