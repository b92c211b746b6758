"""Windows without a digit are scanned without the types that need one: every pattern of
those types' recognizers needs an ASCII digit, and streams still mask them."""

from __future__ import annotations

from re import _parser  # type: ignore[attr-defined]  # no stubs for the private module
from typing import Any

import pytest
from presidio_analyzer import PatternRecognizer

from detectors.recognizers import PATTERN_RECOGNIZERS
from detectors.service import ScanService
from detectors.settings import DetectorSettings, PiiSettings
from policies.digit_free import DIGIT_ENTITY_TYPES, digit_free
from policies.inspector import PolicyInspector
from tests.policies.pattern_detection import PATTERN_ENTITIES, cached_pack
from tests.policies.test_holdback_properties import streamed

CARD = "4111 1111 1111 1111"
_REPEATS = (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT)


def _digit_class(members: Any) -> bool:
    """True if a parsed character class matches ASCII digits only (in ASCII text)."""
    digits = set("0123456789")
    for op, arg in members:
        if op is _parser.LITERAL and chr(arg) in digits:
            continue
        if op is _parser.RANGE and {chr(c) for c in range(arg[0], arg[1] + 1)} <= digits:
            continue
        if op is _parser.CATEGORY and arg is _parser.CATEGORY_DIGIT:
            continue
        return False
    return True


def needs_digit(items: Any) -> bool:
    """True if every match of the parsed sequence ``items`` holds an ASCII digit (read from
    its structure; lookarounds and back references count as holding none)."""
    for op, av in items:
        if op is _parser.LITERAL and chr(av).isdigit():
            return True
        if op is _parser.IN and _digit_class(av):
            return True
        if op is _parser.SUBPATTERN and needs_digit(av[3]):
            return True
        if op is _parser.ATOMIC_GROUP and needs_digit(av):
            return True
        if op is _parser.BRANCH and all(needs_digit(branch) for branch in av[1]):
            return True
        if op in _REPEATS and av[0] >= 1 and needs_digit(av[2]):
            return True
    return False


@pytest.mark.parametrize("entity_type", sorted(DIGIT_ENTITY_TYPES))
def test_every_pattern_of_a_digit_type_needs_a_digit(entity_type: str) -> None:
    """Each pattern the type's recognizer matches with needs an ASCII digit, so an ASCII
    window without one can hold no finding of it."""
    recognizer = PATTERN_RECOGNIZERS[entity_type](PiiSettings())
    assert isinstance(recognizer, PatternRecognizer)
    # Presidio's PatternRecognizer leaves ``patterns`` unannotated (mypy cannot tell its type).
    patterns = recognizer.patterns  # type: ignore[has-type]
    assert patterns
    for pattern in patterns:
        parsed = _parser.parse(pattern.regex, 0)
        assert needs_digit(parsed), (entity_type, pattern.name)


@pytest.mark.parametrize(
    ("regex", "needs"),
    [
        (r"\b\d{4}[ -]\d{4}\b", True),
        (r"(?:[A-Z]{2}|9)\d?", False),
        (r"[A-Z]{6}(?:[0-9LMNP-V]{2})", False),
        (r"(?=\d)[A-Z]+", False),
    ],
)
def test_the_structural_reading_tells_letters_from_digits(regex: str, needs: bool) -> None:
    """A pattern whose digits are optional, lettered or only looked at needs none."""
    assert needs_digit(_parser.parse(regex, 0)) is needs


def test_only_ascii_text_without_digits_is_digit_free() -> None:
    """Prose is digit-free; a digit, a fullwidth digit or a superscript one is not."""
    assert digit_free(["Plain prose, with punctuation!", ""])
    assert not digit_free(["prose", "card 4111"])
    assert not digit_free(["\uff14\uff11\uff11\uff11"])
    assert not digit_free(["x\u00b2"])


async def test_cards_word_by_word_are_masked_by_the_scan_service() -> None:
    """Through the detection service (which scans only for the types asked), word by word:
    a card after prose without digits, and a card in fullwidth digits (no ASCII digit
    anywhere), are both masked."""
    settings = DetectorSettings.model_validate(
        {
            "enabled": ["secrets", "presidio"],
            "pii": {"entities": list(PATTERN_ENTITIES)},
            "service": {"workers": 0, "budget_seconds": 30},
        }
    )
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else " " for c in CARD)
    async with ScanService(settings) as service:
        inspector = PolicyInspector(cached_pack(), service)
        text = f"Sure, the card on file is {CARD} as you asked. Anything else? "
        out = "".join(await streamed(inspector, [f" {word}" for word in text.split()]))
        assert "4111" not in out
        assert "<CREDIT_CARD>" in out
        pieces = [" Charge", " card", *(f" {group}" for group in fullwidth.split()), " today."]
        out = "".join(await streamed(inspector, pieces))
        assert "\uff14\uff11\uff11\uff11" not in out
        assert "<CREDIT_CARD>" in out
