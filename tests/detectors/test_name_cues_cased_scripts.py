"""Names in Greek and Cyrillic letters after a cue that says a name follows (name_cues).

spaCy's small English model finds no person in "Author: Πασχαλιά Δρακουλή <...>" or "From:
Христина Башполченко <...>": the cues of e-mail and commit headers, labels and mailboxes
only read capitalised Latin words. Greek and Cyrillic write names capitalised as Latin
scripts do, so the same cues read them; lowercase words and prose without a cue stay quiet.
"""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector

# (text, the name in it): exact spans.
NAMED = [
    (
        "commit 6f5c93d70c9d2543c464c0913dbaaf9632b6f89c\n"
        "Author: Πασχαλιά Δρακουλή <hargyris@example.org>\nDate:   Mon Jun 3 10:00:00 2024\n",
        "Πασχαλιά Δρακουλή",
    ),
    (
        "-----Original Message-----\nFrom: Христина Башполченко <oliinykpavlo@example.net>\n"
        "Sent: Monday\n",
        "Христина Башполченко",
    ),
    ("Name: Ганна Чубай\nE-mail: hanna@example.org\n", "Ганна Чубай"),
]

QUIET = [
    "-----Original Message-----\nFrom: отдел продаж <sales@example.net>\nSent: Monday\n",
    "Отчёт готов. Проверьте, пожалуйста, Сервер и Базу до пятницы.",
    "Η αναφορά είναι έτοιμη. Ελέγξτε τον Διακομιστή μέχρι την Παρασκευή.",
]


def _people(pii: PresidioDetector, text: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PERSON"]


@pytest.mark.parametrize(("text", "name"), NAMED)
def test_a_greek_or_cyrillic_name_after_a_cue_is_a_person(
    pii: PresidioDetector, text: str, name: str
) -> None:
    """A capitalised Greek or Cyrillic name after a header, label or before a mailbox is
    one PERSON spanning exactly the name."""
    assert _people(pii, text) == [name]


@pytest.mark.parametrize("text", QUIET)
def test_lowercase_words_and_uncued_prose_stay_quiet(pii: PresidioDetector, text: str) -> None:
    """A lowercase sender ("отдел продаж") and capitalised nouns in prose are no person."""
    assert _people(pii, text) == []
