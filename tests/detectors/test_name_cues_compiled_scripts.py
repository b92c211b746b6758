"""The cues of ``detectors.name_cues`` read each ideograph and kana of a text as one of two
stand-ins (a letter, a mark) and compile a class of those two in place of the ideographs'
class (h173): a class of letters beyond U+00FF costs Python's re a map of 65,536
characters, and the ideographs' class in every cue cost ~0.45 s of CPU at import. What the
cues find must not change: the patterns composed as before (the ideographs' class, each cue
run alone over the whole text) and the cue pass give the same matches, and the lists of
names the same items, on texts mixing Latin, Cyrillic, Hebrew, Arabic, Chinese, Korean and
Japanese words (letters and marks) with cues and with letters just outside the classes'
ranges."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

# Private on purpose: what they must keep is the equality with the composed patterns.
from detectors.name_cues import (
    _CUES,
    _FOREIGN_PREPOSITION,
    _FOREIGN_WORDS,
    _IDEOGRAPH,
    _MORE,
    _NAME_WORD,
    _cue_matches,
    _lists,
)
from detectors.warm_up import SAMPLES
from tests.fuzzing import examples

# The patterns as the module compiled them before h173, from the same pieces.
_COMPOSED = tuple(re.compile(cue) for cue in _CUES)
_COMPOSED_ITEM = re.compile(rf"{_NAME_WORD}{_MORE}{{0,3}}")
# The cue of a preposition of another language runs only on texts holding one of its words
# between blanks: a gate by design (tests/detectors/test_name_cue_gates.py).
_FOREIGN = _CUES.index(_FOREIGN_PREPOSITION)

_CUE_WORDS = (
    "Dear", "Hi", "hello", "Thanks,", "Best regards,", "From:", "Author:", "Name:",
    "Reviewed-by:", "Mr", "Dr.", "Frau", "пан", "Г-жа", "my colleague", "ping", "cc",
    "by", "with", "from", "to", "mit", "wrote:", "said", "@", "<", ">", "шалом", "שלום",
    "مرحبا", "こんにちは", "[10:42]", "2024-03-14", "me and", "1.", "-",
)  # fmt: skip
_NAMES = (
    "Anna", "Lee", "Müller-Lüdenscheidt", "O'Brien", "Пантера", "Куртажова", "Ōno",
    "ג'ורי", "דנה", "כהן", "محمد", "علي", "森", "晃", "藤原", "くみ子", "石井", "里佳",
    "結衣", "東京都渋谷区道玄坂", "カタカナ・テスト", "ゝ゛", "゠ユ", "ヽ", "de", "van", "bin",
    "Kafka", "the", "민수", "김민수", "안녕하세요",
)  # fmt: skip
# Letters just outside the ranges of the classes (U+05CF, U+05EB, U+061F, U+064B, U+066D,
# U+06D4, U+303F, U+3100, U+33FF, U+4DC0, U+A000, U+ABFF, U+D7A4) and others of no class
# (Greek, a curly quote, a dash).
_NEAR = (
    "\u05cf", "\u05eb", "\u061f", "\u064b", "\u066d", "\u06d4", "\u303f", "\u3100",
    "\u33ff", "\u4dc0", "\ua000", "\uabff", "\ud7a4", "Σοφία", "’", "–", "é",
)  # fmt: skip
_GAPS = ("", " ", " ", "  ", "\t", ", ", ",\n", "\n", "\n\n", ": ", "; ", " and ")


def _pieces(words: tuple[str, ...]) -> st.SearchStrategy[str]:
    piece = st.sampled_from(words)
    return st.lists(st.tuples(piece, st.sampled_from(_GAPS)), min_size=1, max_size=24).map(
        lambda parts: "".join(word + gap for word, gap in parts)
    )


_EVERY_SCRIPT = _pieces((*_CUE_WORDS, *_NAMES, *_NEAR))
# Without a letter of Hebrew, Arabic, Chinese or Japanese.
_CASED_SCRIPTS = _pieces(
    tuple(w for w in (*_CUE_WORDS, *_NAMES, *_NEAR) if w.isascii() or w[0] < "\u05d0" or w in _NEAR)
)


def _composed(text: str) -> list[tuple[int, int, int, int]]:
    return [
        (index, m.start(), m.end(), m.start("name"))
        for index, pattern in enumerate(_COMPOSED)
        if index != _FOREIGN or any(f" {word} " in text for word in _FOREIGN_WORDS)
        for m in pattern.finditer(text)
    ]


def _cued(text: str) -> list[tuple[int, int, int, int]]:
    return [
        (index, m.start(), m.end(), m.start("name")) for index, m in _cue_matches(text, len(_CUES))
    ]


def _items(text: str) -> list[tuple[int, int]]:
    return [(item.start(), item.end()) for run in _lists(text) for item in run]


def _composed_items(text: str) -> list[tuple[int, int]]:
    return [(item.start(), item.end()) for item in _COMPOSED_ITEM.finditer(text)]


# A kana mark (U+309B, U+30A0, U+30FB) is no letter to \w where the ideographs' class is
# not what reads it: right after a name of a cased script, after a mention, in a list.
EDGES = [
    "Dear Anna゠ユ, thanks",
    "Hi Anna・Lee and 森゛",
    "@Anna゛ see above; @森晃 too",
    "From: 藤原・くみ子 <k@example.org>\nAnna゠, Bo・, Cy ゝ and Dee",
    "Reviewed-by: 石井゠里佳\nthanks, 結衣・",
]


@pytest.mark.parametrize("text", EDGES)
def test_cues_find_around_kana_marks_what_the_composed_patterns_find(text: str) -> None:
    """Next to a kana mark the cues find what the composed patterns find."""
    assert sorted(_cued(text)) == sorted(_composed(text))
    assert _items(text) == _composed_items(text)


@settings(max_examples=examples(150), deadline=None)
@given(_EVERY_SCRIPT)
def test_cues_find_what_the_composed_patterns_find(text: str) -> None:
    """Every cue finds the matches its pattern of every script finds in the whole text."""
    assert sorted(_cued(text)) == sorted(_composed(text))
    assert _items(text) == _composed_items(text)


@settings(max_examples=examples(150), deadline=None)
@given(_CASED_SCRIPTS)
def test_cues_find_in_cased_scripts_what_the_composed_patterns_find(text: str) -> None:
    """In a text without a letter of a script without capitals the cues find the same."""
    assert sorted(_cued(text)) == sorted(_composed(text))
    assert _items(text) == _composed_items(text)


def test_names_of_scripts_without_capitals_still_match() -> None:
    """The cue pass still finds a Hebrew, an Arabic and a Japanese name after a cue."""
    text = "Hi ג'ורי,\nReviewed-by: محمد <m@example.org>\nName:\t石井 里佳\n"
    names = {text[m.start("name") : m.end("name")] for _index, m in _cue_matches(text, len(_CUES))}
    assert {"ג'ורי", "محمد", "石井 里佳"} <= names


def test_the_warm_up_reads_an_ideograph() -> None:
    """A sample text of the detectors' warm-up holds an ideograph, so a worker builds the
    stand-ins' table before its first caller, not during a scan."""
    assert any(_IDEOGRAPH.search(text) for text in SAMPLES)


def test_the_cues_hold_no_ideograph_of_their_own() -> None:
    """No cue word is written in ideographs or kana (a greeting of data/name_greetings.txt,
    a title): the cues read every ideograph of a text as a stand-in, so such a word would
    never match."""
    assert not any(_IDEOGRAPH.search(cue) for cue in _CUES)
