"""More shapes of a password told in a sentence in another language (issue 14, tuning6's
misses): a made-up word after "is" that the next clause's "and" or "but" closes.

Positives are (text before, password, text after): the password is found exactly. The
negatives are the same sentences with a word of the language, or a state, in its place.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

CLOSED_BY_THE_NEXT_CLAUSE = [
    ("kurze frage: mein pw für den vpn ist ", "harumaliquid", " und es kommt ein Fehler"),
    ("moje heslo do intranetu je ", "consecteturexpedita", " a pořád to píše chybu"),
    ("moje haslo do systemu to ", "estut", " i ciągle pisze błąd"),
    ("ο κωδικός πρόσβασης μου στο intranet είναι ", "nesciuntet", " αλλά λέει λάθος"),
    ("la mia pwd del gestionale è ", "quiasit", " ma mi dice accesso negato"),
    ("mitt lösen till intranätet är ", "quidemdoloribus", " men det står fel"),
    ("mijn ww voor het intranet is ", "eligenditempore", " maar hij zegt steeds fout"),
]

POSITIVES = CLOSED_BY_THE_NEXT_CLAUSE


@pytest.mark.parametrize(("before", "secret", "after"), POSITIVES)
def test_password_told_in_another_shape_is_found_exactly(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The password is found with its exact span, as a password."""
    assert spans(secrets_detector, before + secret + after) == [(E.PASSWORD, secret)]


QUIET = [
    # a state or a word of the language after "is", then "and"/"but"
    "Mein Passwort ist abgelaufen und das Portal sagt nur Fehler.",
    "mein pw für den vpn ist falsch und es kommt ein Fehler",
    "moje heslo do intranetu je špatné a pořád to píše chybu",
    "the password of the mailbox is correct but it fails",
    "la mia password è scaduta ma il portale non lo dice",
    "mijn wachtwoord is verlopen maar de portal zegt niets",
    # "and" ends the text: nothing closed the word yet
    "mein pw ist harumaliquid und",
]


@pytest.mark.parametrize("text", QUIET)
def test_talk_about_a_password_stays_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """Sentences about a password, with no password in them, have no finding."""
    assert spans(secrets_detector, text) == []
