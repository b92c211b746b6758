"""The normalised view: NFKC, invisible characters removed, every offset mapped back."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from core.scanning import Finding
from detectors.normalize import _INVISIBLE, _STABLE, is_invisible, normalized_view

ZWSP, ZWJ, RLO, PDF, BOM, SHY = "\u200b", "\u200d", "\u202e", "\u202c", "\ufeff", "\u00ad"


@pytest.mark.parametrize(
    "text",
    [
        "plain ASCII, even with digits 4111 1111 1111 1111",
        "Grüße aus Köln, déjà vu, naïve café",
        "Привет, мир",
        "我们的客户在北京",
        "",
    ],
)
def test_text_that_normalises_to_itself_has_no_view(text: str) -> None:
    """ASCII and NFKC-stable text without invisibles is scanned as is (no view)."""
    assert normalized_view(text) is None


@pytest.mark.parametrize(
    ("text", "view", "dropped"),
    [
        ("card ４１１１ １１１１", "card 4111 1111", False),
        (f"ali{ZWSP}ce@example.com", "alice@example.com", True),
        (f"gh{ZWJ}p_{BOM}abc", "ghp_abc", True),
        (f"{RLO}AKIA{PDF}", "AKIA", True),
        (f"pass{SHY}word", "password", True),
        ("no\u00a0break", "no break", False),
        ("ﬁle", "file", False),
        ("e\u0301t\u00e9", "\u00e9t\u00e9", False),  # decomposed accent composes
        ("①②③", "123", False),
        ("ＡＫＩＡ", "AKIA", False),
        ("x\ufe0fy", "xy", True),  # variation selector
        ("tag\U000e0041\U000e0042s", "tags", True),  # tag characters (ASCII smuggling)
    ],
)
def test_view_folds_compatibility_forms_and_drops_invisibles(
    text: str, view: str, dropped: bool
) -> None:
    """The view is NFKC without format characters; ``dropped_invisible`` says if any went."""
    normalized = normalized_view(text)
    assert normalized is not None
    assert (normalized.text, normalized.dropped_invisible) == (view, dropped)


@pytest.mark.parametrize(
    ("text", "view_span", "original_span"),
    [
        # a value after fullwidth digits: offsets do not shift
        ("pay ４１１１ now", (4, 8), (4, 8)),
        # a value with a zero-width space inside covers the invisible character
        (f"mail ali{ZWSP}ce@example.com!", (5, 22), (5, 23)),
        # after a removed character, offsets move by one
        (f"{ZWSP}AKIA1234", (0, 8), (1, 9)),
        # a ligature expands to two characters of the view, both from one original
        ("the ﬁle", (4, 5), (4, 5)),
        ("the ﬁle", (5, 8), (4, 7)),
        # a composed character covers the letter and its combining mark
        ("cafe\u0301 ok", (0, 4), (0, 5)),
    ],
)
def test_spans_in_the_view_map_to_the_original(
    text: str, view_span: tuple[int, int], original_span: tuple[int, int]
) -> None:
    """A view span maps to the original characters it came from, invisibles included."""
    normalized = normalized_view(text)
    assert normalized is not None
    assert normalized.span(*view_span) == original_span
    finding = normalized.original(Finding("X", *view_span, 0.5, "d"))
    assert finding == Finding("X", *original_span, 0.5, "d")


def test_every_view_character_maps_inside_the_original() -> None:
    """Each character of a mixed view maps to a non-empty, in-order span of the original."""
    text = f"ａ{ZWSP}b\u0301ﬁ ① x{RLO}y\u00a0z"
    view = normalized_view(text)
    assert view is not None
    spans = [view.span(i, i + 1) for i in range(len(view.text))]
    assert all(0 <= start < end <= len(text) for start, end in spans)
    assert spans == sorted(spans)


def test_invisible_table_covers_every_format_character() -> None:
    """The fast pre-check knows every Cf character of this Python's Unicode database."""
    missing = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) == "Cf" and not _INVISIBLE.match(chr(code))
    ]
    assert missing == []
    assert all(is_invisible(ch) for ch in (ZWSP, ZWJ, RLO, PDF, BOM, SHY, "\ufe0f"))
    assert not any(is_invisible(ch) for ch in "a ４é\u0301")


def test_stable_class_only_holds_characters_nfkc_keeps() -> None:
    """Characters copied without a look are visible, not combining and NFKC-stable."""
    wrong = [
        hex(code)
        for code in range(0x10000)
        if _STABLE.fullmatch(chr(code))
        and (
            unicodedata.normalize("NFKC", chr(code)) != chr(code)
            or unicodedata.combining(chr(code))
            or is_invisible(chr(code))
        )
    ]
    assert wrong == []
