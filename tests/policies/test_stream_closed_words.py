"""A password told as a word after a foreign label's "is" and closed by the next clause's
"and" or "but" ("mein pw ist harumaliquid und es ...") is held in a streamed answer until
that word has arrived or been ruled out: split anywhere, the caller gets exactly the
non-streamed redaction and the word in no chunk; prose after such an "is" still flows."""

from __future__ import annotations

import asyncio

import pytest

from detectors.labelled_credentials import LabelPattern
from detectors.secrets import SecretsDetector
from policies.holdback import held_from
from policies.inspector import PolicyInspector
from policies.loader import shipped_pack
from policies.scanning import DetectorScanner
from policies.value_first import closed_after_value, default_phrases
from tests.policies.test_stream_value_first import assert_never_streamed

#: (answer, the word that must not reach the caller)
CLOSED_BY_A_WORD = (
    (
        'kurze frage: mein pw für den vpn ist harumaliquid und es kommt immer "failed".',
        "harumaliquid",
    ),
    ("moje heslo do intranetu je adquidem a pořád to píše chybu.", "adquidem"),
    ("mun salasana intraan on porroautem mutta se ei toimi.", "porroautem"),
)


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector."""
    return PolicyInspector(shipped_pack("default"), DetectorScanner([SecretsDetector()]))


@pytest.mark.parametrize(("answer", "value"), CLOSED_BY_A_WORD)
def test_a_word_closed_by_the_next_clause_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position (a character, a word per chunk), the chunks join to the
    non-streamed redaction, which masks the word, and no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)


def test_the_detector_has_rules_whose_value_a_later_word_closes() -> None:
    """The hold-back finds such rules among the detector's own (so the tests above test
    the shape, not an empty list), by where their value lies in the pattern."""
    rules = default_phrases().closing_rules
    assert rules
    patterns = [rule.pattern for rule in rules]
    assert all(isinstance(p, LabelPattern) and closed_after_value(p.pattern) for p in patterns)


@pytest.mark.parametrize(
    ("released", "text", "held"),
    [
        # the word after "ist" may still be closed by "und": held from the word
        ("mein pw für den vpn ", "ist harumaliquid u", 4),
        ("mein pw für den vpn ", "ist harumaliquid und", 4),
        # the next word is no "and" or "but": only the unfinished word is held
        ("mein pw für den vpn ", "ist harumaliquid heute", 17),
        # an English word after "is" is no password: prose flows
        ("the password field ", "is optional and", 12),
        # no label on the line: prose flows with its last word held
        ("Das Wetter ", "ist wunderbar und", 14),
    ],
)
def test_where_a_closed_word_is_held_from(released: str, text: str, held: int) -> None:
    """The word is held while the word after it may still close it, not longer."""
    assert held_from(text, phrases=default_phrases(), released=released) == held
