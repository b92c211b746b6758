"""A password told as a word after a foreign label's "is" and closed by the next clause's
"and" or "but" ("mein pw ist harumaliquid und es ...") is held in a streamed answer until
that word has arrived or been ruled out: split anywhere, the caller gets exactly the
non-streamed redaction and the word in no chunk; prose after such an "is" still flows."""

from __future__ import annotations

import asyncio
import dataclasses
import re

import pytest

from detectors.labelled_credentials import ClosedLabelPattern, LabelPattern
from detectors.secrets import SecretsDetector
from policies.holdback import held_from
from policies.inspector import PolicyInspector
from policies.loader import shipped_pack
from policies.scanning import DetectorScanner
from policies.value_first import ValueFirstPhrases, closed_after_value, default_phrases
from tests.policies.test_stream_value_first import assert_never_streamed

#: (answer, the word that must not reach the caller)
CLOSED_BY_A_WORD = (
    (
        'kurze frage: mein pw für den vpn ist harumaliquid und es kommt immer "failed".',
        "harumaliquid",
    ),
    ("moje heslo do intranetu je adquidem a pořád to píše chybu.", "adquidem"),
    ("mun salasana intraan on porroautem mutta se ei toimi.", "porroautem"),
    ("sistemin sifresi consequatur ama sürekli hata diyor.", "consequatur"),
)

#: (answer, the value that must not reach the caller): a word right after a label that
#: needs no "is", closed by what is glued to it; a value ending its line after a label
#: and a few words
GLUED_OR_LINE_END = (
    ("selam Urmas, misafir wifi şifresi laboriosamporro, resepsiyon için.", "laboriosamporro"),
    ("selam, misafir wifi şifresi $(3($oI^PEI7!fbn, resepsiyon için.", "$(3($oI^PEI7!fbn"),
    ("pass wifi sala riunioni Summer2020#\ngrazie", "Summer2020#"),
    ("pass wifi sala riunioni sunt-minima-8", "sunt-minima-8"),
    # a word told before its label: held while the label may still follow
    ("laboreunde es la contraseña nueva del wifi, apúntala.", "laboreunde"),
    ("iustoexpedita c'est le nouveau mot de passe du wifi.", "iustoexpedita"),
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


@pytest.mark.parametrize(("answer", "value"), GLUED_OR_LINE_END)
def test_a_value_after_a_label_with_no_verb_or_ending_its_line_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position, the value is masked as in the whole answer, and no chunk
    carries it."""
    assert_never_streamed(inspector, loop, answer, value)


def test_the_detector_has_rules_whose_value_a_later_word_closes() -> None:
    """The hold-back finds such rules among the detector's own (so the tests above test
    the shape, not an empty list), by where their value lies in the pattern."""
    rules = default_phrases().closing_rules
    assert rules
    patterns = [rule.pattern for rule in rules]
    assert all(isinstance(p, ClosedLabelPattern) for p in patterns)


@pytest.mark.parametrize(
    ("released", "text", "held"),
    [
        # the word after "ist" may still be closed by "und": held from the word
        ("mein pw für den vpn ", "ist harumaliquid u", 4),
        ("mein pw für den vpn ", "ist harumaliquid und", 4),
        # "a" may still grow into "ama" (or be Czech "and"): held from the word
        ("selam, sistemin sifresi ", "consequatur a", 0),
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


def test_a_rule_closed_after_its_value_without_a_closer_is_refused() -> None:
    """A label-first rule whose value later words close must say where its value ends
    (a :class:`ClosedLabelPattern`): the hold-back could not hold it otherwise."""
    rule = default_phrases().closing_rules[0]
    assert isinstance(rule.pattern, ClosedLabelPattern)
    joined = rule.pattern.head.pattern.removesuffix(r"\Z") + r"[ \t]+(?:und|a)(?=[ \t]+\S)"
    assert closed_after_value(re.compile(joined))
    plain = LabelPattern(
        rule.pattern.anchor,
        re.compile(joined),
        0,
        0,
        rule.pattern.finder,
        rule.pattern.kinds,
        line_start=False,
    )
    with pytest.raises(ValueError, match="closer"):
        ValueFirstPhrases([dataclasses.replace(rule, pattern=plain)])
