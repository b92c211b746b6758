"""More shapes of a password told in a sentence in another language (issue 14, tuning6's
misses): a made-up word after "is" that the next clause's "and" or "but" closes; a word
right after a Turkish or Hungarian label that needs no "is" ("misafir wifi şifresi X,");
symbols opening with "$(" that no ")" closes; a value ending its line after a label and up
to three words ("pass wifi sala riunioni X"); a made-up word before its label ("laboreunde
es la contraseña nueva").

Positives are (text before, password, text after): the password is found exactly. The
negatives are the same sentences with a word of the language, or a state, in its place.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.credential_labels import load_labels
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

AFTER_A_LABEL_WITH_NO_VERB = [
    ("selam Urmas, misafir wifi şifresi ", "laboriosamporro", ", resepsiyon için"),
    ("szia Ana, a vendég wifi jelszava ", "nemonatus", ", csinálnál egy táblát?"),
    ("sistemin sifresi ", "consequatur", " ama sürekli hata diyor"),
    ("selam Valentin, misafir wifi şifresi ", "$(3($oI^PEI7!fbn", ", resepsiyon için"),
]

ENDING_ITS_LINE = [
    ("pass wifi sala riunioni ", "Summer2022", ""),
    ("pass wifi sala riunioni ", "sunt-minima-8", "\ngrazie"),
    ("Passwort Drucker erster Stock ", "Autumn2024!", ""),
]

WORD_BEFORE_ITS_LABEL = [
    ("", "laboreunde", " es la contraseña nueva del wifi, apúntala."),
    ("", "iustoexpedita", " c'est le nouveau mot de passe du wifi."),
    ("Notiz:\n", "harumaliquid", " ist das neue Passwort für den Drucker"),
]

POSITIVES = (
    CLOSED_BY_THE_NEXT_CLAUSE + AFTER_A_LABEL_WITH_NO_VERB + ENDING_ITS_LINE + WORD_BEFORE_ITS_LABEL
)


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
    "la password è provvisoria e scade domani",
    "a senha é pessoal e intransferível, não compartilhe",
    "hasło jest tymczasowe i wygaśnie jutro",
    # "and" ends the text: nothing closed the word yet
    "mein pw ist harumaliquid und",
    # a word right after a label that needs an "is", or a question after one that needs none
    "Passwort vergessen, was nun?",
    "Şifre ekibin parola kasasında duruyor, lütfen e-postayla gönderme.",
    "misafir wifi şifresi nedir?",
    "a vendég wifi jelszava nincs meg, segítesz?",
    # a command, not a password: "$(...)" closed
    "misafir wifi şifresi $(cat /etc/wifi), resepsiyon için",
    # a line that ends in a word, a number or a path after a label
    "pass wifi sala riunioni domani",
    "Passwort zurücksetzen für Konto 2024",
    "Passwort Ablage unter /etc/secret",
    "Passwort Richtlinie Version v2.1.3",
    "mot de passe oublié ticket INC0012345",
    "lösenord till kontot admin@example.com",
    # a word that points at the password, or asks for it, before its label
    "questa è la password del wifi?",
    "warum ist das passwort falsch?",
    "voilà c'est le mot de passe du wifi",
    "aquella es la contraseña vieja",
    # capitalised, or an English word, at the start of the line
    "Laboreunde es la contraseña nueva del wifi",
    "hello is the password they print on every router",
]


@pytest.mark.parametrize("text", QUIET)
def test_talk_about_a_password_stays_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """Sentences about a password, with no password in them, have no finding."""
    assert spans(secrets_detector, text) == []


def test_every_label_that_needs_no_verb_is_a_password_label() -> None:
    """The shipped [verbless] labels are [password] labels too (the rules look for those),
    and the pointing words parse into their own section."""
    labels = load_labels()
    assert labels.verbless
    assert set(labels.verbless) <= set(labels.password)
    assert {"questa", "warum"} <= set(labels.pointer)
