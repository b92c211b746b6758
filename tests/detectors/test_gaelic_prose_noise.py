"""PERSON and LOCATION on Scottish Gaelic prose (issue 14, h220): its function words, from
spaCy's stop word list (``detectors/data/function_words.txt``), make a sentence of another
language, so the English model's guesses on its capitalised words ("Chan", "Tha") are no
one; an English sentence with a Gaelic-looking word or a known name stays English."""

from __future__ import annotations

import pytest

from detectors.ner_language import foreign_sentence
from detectors.pii import PresidioDetector
from tests.detectors.named import named

GAELIC = [
    "Tha sinn ag obair còmhla ribh. Chan urrainn dhuinn fhathast an aithisg a chur thugaibh "
    "oir tha i ro fhada.",
    "Chaidh faidhle an tasgadain a chruthachadh. Chan urrainn dhuinn an sruth a dhùnadh "
    "oir tha e dùinte mu thràth.",
]


@pytest.mark.parametrize("text", GAELIC)
def test_gaelic_words_are_no_names(pii: PresidioDetector, text: str) -> None:
    """Capitalised words of Scottish Gaelic prose are no PERSON or LOCATION."""
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "span", "foreign"),
    [
        ("Chan urrainn dhuinn an aithisg a chur thugaibh oir tha i ro fhada.", "Chan", True),
        ("Tha mi ag obair còmhla ribh an-diugh agus tha sinn sgìth.", "Tha", True),
        # English prose with a known name is English however the name is spelt
        ("Please ask Chan Wei about the invoice before Friday.", "Chan Wei", False),
    ],
)
def test_gaelic_sentence(text: str, span: str, foreign: bool) -> None:
    """A sentence is Scottish Gaelic by its function words, not by the span's own."""
    start = text.index(span)
    assert foreign_sentence(text, start, start + len(span)) is foreign
