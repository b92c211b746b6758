"""PERSON and LOCATION on technical prose (issue 14, hard negatives of ``negatives3``): software
named by what is said of it next, a release number after it, a verb only software takes;
people in the same shapes keep their findings, with exact spans."""

from __future__ import annotations

import pytest

from detectors.ner_lexicon import shipped_lexicon
from detectors.ner_look_alikes import look_alike
from detectors.pii import PresidioDetector


def _named(pii: PresidioDetector, text: str) -> list[tuple[str, str]]:
    kinds = ("PERSON", "LOCATION", "NRP")
    found = pii.find(text)
    return [(f.entity_type, text[f.start : f.end]) for f in found if f.entity_type in kinds]


@pytest.mark.parametrize(
    "text",
    [
        'Squash these: "fix lint", "Bump Jackson to 2.17.0", "Revert Guava upgrade".',
        "Is Hudson still maintained, or should everything run on Jenkins by now?",
        "Jackson is deprecated in our stack, use Gson.",
        "Changelog entry needed: bumped Phoenix to 1.4.2, dropped Python 3.8.",
        "Give me a checklist for upgrading Phoenix from 1.2.3 to 1.4.0.",
    ],
)
def test_software_in_technical_prose_is_no_name(pii: PresidioDetector, text: str) -> None:
    """A name-like product before a release number or a state only software has is no finding."""
    assert _named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Please ask Jackson to send the report to Maria Garcia.", ["Jackson", "Maria Garcia"]),
        ("Hudson maintained the build server until March.", ["Hudson"]),
        ("Maria Garcia from 9.30 to 11, then the review.", ["Maria Garcia"]),
        ("Is Hudson still in the office?", ["Hudson"]),
    ],
)
def test_people_in_the_same_shapes_are_found(
    pii: PresidioDetector, text: str, names: list[str]
) -> None:
    """People before a clock time, as a subject of "maintained", or asked about stay PERSONs."""
    assert _named(pii, text) == [("PERSON", name) for name in names]


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Bump Jackson to 2.17.0 today", "Jackson", True),
        ("Jackson 2.17.0 fixes it", "Jackson", True),
        ("Jackson from v2 to v3", "Jackson", True),
        ("Jackson is no longer maintained", "Jackson", True),
        ("Was Hudson officially deprecated?", "Hudson", True),
        ("bumped Hudson", "Hudson", True),
        ("Jackson to 2.17 tomorrow", "Jackson", False),  # "x.y" reads as a time as often
        ("Ann Lee 4.5 hours", "Lee", False),
        ("Hudson maintained it", "Hudson", False),
        ("Is Hudson in?", "Hudson", False),
        ("bumped Hudson's ticket", "Hudson", False),
    ],
)
def test_look_alike_software(text: str, word: str, expected: bool) -> None:
    """The look-alike rules for software read the words right before and after the span."""
    start = text.index(word)
    assert look_alike(text, start, start + len(word), shipped_lexicon()) is expected
