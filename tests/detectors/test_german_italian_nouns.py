"""German and Italian prose with few function words of our lists (issue 14, ``tuning6`` and
``negatives6``): its capitalised nouns and the tools it names are no PERSON ("Karten",
"Besprechung", "da Nushell"); a person named in the same sentences keeps the finding, exact
span."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        "Die PIN-Briefe für die neuen Karten gehen am 2017-06-04 raus, Besprechung in Raum "
        "4.17 um 09:57:07.",
        "Abbiamo migrato da Nushell a O3DE e ora i tempi di risposta sono raddoppiati. Da "
        "dove comincio a indagare?",
        "Nuova policy: password di almeno 12 caratteri, scadenza ogni 90 giorni. Riscrivila "
        "in modo meno burocratico.",
    ],
)
def test_nouns_and_tools_in_german_and_italian_are_no_names(
    pii: PresidioDetector, text: str
) -> None:
    """Capitalised nouns, verbs and tools of German and Italian prose are no PERSON or
    LOCATION."""
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Abbiamo parlato con Giulia Rossi e ora i tempi di risposta sono migliori.",
            [("PERSON", "Giulia Rossi")],
        ),
        (
            "Die PIN-Briefe für die neuen Karten bringt Frau Vogel am 2017-06-04 vorbei.",
            [("PERSON", "Vogel")],
        ),
    ],
)
def test_people_in_the_same_prose_are_kept(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """A person named with a first name or a title in such prose is a PERSON."""
    assert named(pii, text) == names
