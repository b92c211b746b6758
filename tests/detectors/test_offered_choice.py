"""Two words on no list offered as a choice at a question's start ("Codeium or Chainer? We
need ...") are products, not people or places (issue 14, ``negatives6``); a known first name
offered so keeps its finding, exact span."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        "Codeium or Chainer? We need something that runs offline on a factory floor.",
        "Jitsi or Behat? We need something that runs offline on a factory floor.",
        "Doobie or Tahoe? We need something that runs offline on a factory floor.",
    ],
)
def test_a_choice_of_two_unlisted_words_is_no_one(pii: PresidioDetector, text: str) -> None:
    """Neither item of "A or B?" is a PERSON or LOCATION when the other is on no list."""
    assert named(pii, text) == []


def test_a_known_first_name_offered_as_a_choice_is_kept(pii: PresidioDetector) -> None:
    """A known first name in "A or B?" is a PERSON, exact span."""
    text = "Ann or Oyelaran? Who is on call tonight?"
    assert ("PERSON", "Ann") in named(pii, text)
