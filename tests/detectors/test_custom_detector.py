"""Custom regex and keyword recognizers built from settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from detectors.custom import CustomDetector
from detectors.settings import CustomSettings, KeywordRecognizerSettings, RegexRecognizerSettings


def _spans(detector: CustomDetector, text: str) -> list[tuple[str, str, float]]:
    return [(f.entity_type, text[f.start : f.end], f.score) for f in detector.scan([text])[0]]


def test_regex_reports_its_entity_type() -> None:
    """A regex finding carries the recognizer's own entity type and score."""
    detector = CustomDetector(
        CustomSettings(
            regexes=(RegexRecognizerSettings(entity_type="EMPLOYEE_ID", pattern=r"\bEMP-\d{6}\b"),)
        )
    )
    assert _spans(detector, "ask EMP-123456 or EMP-12") == [("EMPLOYEE_ID", "EMP-123456", 0.6)]


def test_named_value_group_sets_the_span() -> None:
    """With a ``value`` group only that part of the match is reported."""
    rule = RegexRecognizerSettings(entity_type="CASE", pattern=r"case #(?P<value>\d{5})")
    detector = CustomDetector(CustomSettings(regexes=(rule,)))
    assert _spans(detector, "see case #12345.") == [("CASE", "12345", 0.6)]


def test_context_words_raise_the_score() -> None:
    """A context word within the window lifts the score to ``context_score``."""
    rule = RegexRecognizerSettings(
        entity_type="ACCOUNT", pattern=r"\b\d{8}\b", score=0.3, context=("account",)
    )
    detector = CustomDetector(CustomSettings(regexes=(rule,)))
    assert _spans(detector, "Account: 12345678") == [("ACCOUNT", "12345678", 0.9)]
    assert _spans(detector, "Invoice 12345678") == [("ACCOUNT", "12345678", 0.3)]


def test_required_context_drops_matches_without_it() -> None:
    """With ``require_context`` a match far from every context word is not reported."""
    rule = RegexRecognizerSettings(
        entity_type="ACCOUNT",
        pattern=r"\b\d{8}\b",
        context=("account", "acct no"),
        require_context=True,
        context_window=20,
    )
    detector = CustomDetector(CustomSettings(regexes=(rule,)))
    text = "acct  no 11112222 and, much later in the text, 33334444"
    assert _spans(detector, text) == [("ACCOUNT", "11112222", 0.9)]


@pytest.mark.parametrize(
    ("validation", "text", "expected"),
    [
        ("luhn", "cards 4111111111111111 and 4111111111111112", ["4111111111111111"]),
        (
            "iban",
            "acct GB82WEST12345698765432 / GB82WEST12345698765433",
            ["GB82WEST12345698765432"],
        ),
    ],
)
def test_validation_filters_matches(validation: str, text: str, expected: list[str]) -> None:
    """``validation`` keeps only matches that pass the checksum."""
    rule = RegexRecognizerSettings.model_validate(
        {"entity_type": "NUM", "pattern": r"\b[A-Z0-9]{16,22}\b", "validation": validation}
    )
    detector = CustomDetector(CustomSettings(regexes=(rule,)))
    assert [value for _, value, _ in _spans(detector, text)] == expected


def test_keywords_match_whole_words_case_insensitively() -> None:
    """Keywords match on word boundaries, any case, with flexible inner whitespace."""
    rule = KeywordRecognizerSettings(
        entity_type="PROJECT_CODENAME", keywords=("Blue Falcon", "Orion"), score=0.95
    )
    detector = CustomDetector(CustomSettings(keywords=(rule,)))
    text = "The BLUE  falcon launch; orion-2 slipped; Orionids and blue falconry are fine."
    assert _spans(detector, text) == [
        ("PROJECT_CODENAME", "BLUE  falcon", 0.95),
        ("PROJECT_CODENAME", "orion", 0.95),
    ]


def test_case_sensitive_keywords() -> None:
    """``case_sensitive`` keywords only match the exact spelling."""
    rule = KeywordRecognizerSettings(
        entity_type="CUSTOMER", keywords=("ACME",), case_sensitive=True
    )
    detector = CustomDetector(CustomSettings(keywords=(rule,)))
    assert _spans(detector, "Acme and ACME") == [("CUSTOMER", "ACME", 0.9)]


def test_keywords_with_punctuation_are_escaped() -> None:
    """Regex metacharacters in keywords are literal."""
    rule = KeywordRecognizerSettings(entity_type="CUSTOMER", keywords=("C++ Corp.", "a.b"))
    detector = CustomDetector(CustomSettings(keywords=(rule,)))
    assert [v for _, v, _ in _spans(detector, "c++ corp. and axb")] == ["c++ corp."]


def test_empty_settings_build_an_empty_detector() -> None:
    """No recognizers: the detector is empty and finds nothing."""
    detector = CustomDetector(CustomSettings())
    assert detector.empty
    assert detector.name == "custom"
    assert detector.scan(["anything"]) == [[]]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"entity_type": "X", "pattern": "("}, "not a valid regex"),
        ({"entity_type": "X", "pattern": "a*"}, "matches the empty string"),
        ({"entity_type": "lower", "pattern": "a"}, "UPPER_SNAKE_CASE"),
        ({"entity_type": "X", "pattern": "a", "require_context": True}, "no context words"),
    ],
)
def test_bad_regex_settings_are_rejected(fields: dict[str, object], message: str) -> None:
    """Configuration errors are caught when the settings are parsed."""
    with pytest.raises(ValidationError, match=message):
        RegexRecognizerSettings.model_validate(fields)
