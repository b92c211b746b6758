"""A password that is a plain lowercase word, told after a label and "is" in any language of
``data/credential_labels.txt``: found when punctuation or the line's end closes it, quiet
when the word is a state the list names ("abgelaufen", "špatné") or the sentence goes on
("es demasiado corta").
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

TOLD_WORDS = [  # (before, word, after): the word ends its clause
    ("moje heslo do intranetu je ", "adquidem", ', a pořád to píše "chyba", co s tím?'),
    ("kurze frage: mein pw für den vpn ist ", "harumaliquid", ", und es kommt ein Fehler."),
    ("ο κωδικός πρόσβασης μου στο intranet είναι ", "nesciuntet", ", αλλά λέει συνέχεια λάθος"),
    ("mun salasana intraan on ", "porroautem", ", mutta se sanoo virheellinen"),
    ("la mia pwd del gestionale è ", "quiasit", ', ma mi dice "accesso negato"'),
    ("hei Marek, passordet til gjestenettet er ", "velab", ", kan du lage en plakat?"),
    ("le mot de passe du routeur c'est ", "delenitisaepe", ", voilà, rappelle-moi."),
    ("het wachtwoord van de gast-wifi is ", "aliasdeserunt", ", kun jij een bordje maken?"),
    ("moje haslo do systemu to ", "estut", "; i ciągle pisze błąd"),
    ("mitt lösen till intranätet är ", "quidemdoloribus", ", men det står fel"),
    ("la contraseña del router es ", "occaecatialiquid", "."),
    ("külaliste wifi parool on ", "quidemratione", ", kas teeksid sildi?"),
    ("geslo za wifi za goste je ", "omnisvoluptatem", ". Mi narediš napis?"),
]


@pytest.mark.parametrize(("before", "word", "after"), TOLD_WORDS)
def test_a_word_told_after_is_is_a_password(
    secrets_detector: SecretsDetector, before: str, word: str, after: str
) -> None:
    """A lowercase word after a label and its "is", closed by punctuation, is the password,
    found exactly."""
    assert spans(secrets_detector, before + word + after) == [(E.PASSWORD, word)]


QUIET = [  # states, judgements and sentences that go on after "is"
    "Mein Passwort ist abgelaufen und das Portal sagt nur Fehler.",
    "Das Passwort ist gespeichert, keine Sorge.",
    "Das Passwort ist falsch, sagt das Portal.",
    "the password is expired, please reset it",
    "the password is okay, thanks",
    "La contraseña es demasiado corta.",
    "La contraseña es incorrecta, ¿qué hago?",
    "la contraseña es segura, ¿verdad?",
    "Het wachtwoord is veranderd.",
    "het wachtwoord is opgeslagen in de kluis",
    "Heslo je špatné, co s tím?",
    "heslo je uložené v trezoru.",
    "Le mot de passe est trop court.",
    "Le mot de passe est expiré, merci.",
    "la password è sbagliata, aiuto",
    "hasło jest błędne, co robić?",
    "lösenordet är fel, vad gör jag?",
    "adgangskoden er forkert, hvad gør jeg?",
    "passordet er feil, hva gjør jeg?",
    "salasana on väärä, mitä teen?",
    "salasana on vanhentunut mutta en tiedä miksi",
    "parool on vale, mis teha?",
    "geslo je napačno, kaj naj?",
    "Parola este greșită, ce fac?",
    "ο κωδικός είναι λάθος, τι κάνω;",
    "a senha é diferente, não sei porquê.",
    "şifre aynı, değişmedi.",
]


@pytest.mark.parametrize("text", QUIET)
def test_a_state_after_is_is_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """A state of a password, a judgement or a sentence that goes on after "is" is no
    password."""
    assert spans(secrets_detector, text) == []


WIFI_KEYS = [  # (before, word, after): a word alone after a key's label under an SSID
    ("== Gastzugang WLAN ==\nSSID: Gast-Nord\nSchlüssel: ", "quosit", "\nGültig bis: morgen"),
    ("== WLAN ==\nSchlüssel: ", "eaqueprovident", "\n"),
]


@pytest.mark.parametrize(("before", "word", "after"), WIFI_KEYS)
def test_a_word_alone_under_an_ssid_is_the_wifi_key(
    secrets_detector: SecretsDetector, before: str, word: str, after: str
) -> None:
    """A lowercase word alone on a key's line under a network's name is its password."""
    assert spans(secrets_detector, before + word + after) == [(E.PASSWORD, word)]


KEY_FIELDS = [
    "Schlüssel: vorhanden",
    "Klucz: publiczny",
    "SSID: Gast\nSchlüssel: geheim",
    "SSID: Gast\nSchlüssel: unbekannt\n",
    "SSID: Gast\nKlucz: WPA2\n",
]


@pytest.mark.parametrize("text", KEY_FIELDS)
def test_a_keys_field_that_holds_a_state_is_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A key's field with a state, a word away from any network, or a standard is quiet."""
    assert spans(secrets_detector, text) == []


A_WORD_AFTER_IS = [  # (before, password, after): one word between "is" and the value
    ("a jelszavam az intranethez ", "ANobis463", ", de mindig azt írja, hogy hibás"),
    ("a jelszavam az intranethez ", "sed-quidem-15", ", de mindig azt írja"),
    ("das Passwort ist jetzt ", "Xk9!mQ2v", ", bitte merken"),
]


@pytest.mark.parametrize(("before", "secret", "after"), A_WORD_AFTER_IS)
def test_a_password_one_word_after_is_is_found(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """A password's shape one word after a label's "is" (Hungarian puts the place there) is
    found exactly."""
    assert spans(secrets_detector, before + secret + after) == [(E.PASSWORD, secret)]


NO_VALUE_AFTER_IS = [
    "Das Passwort ist seit 2024-01-01 abgelaufen.",
    "Het wachtwoord is sinds v2.3 verplicht",
    "La contraseña es de 12 caracteres",
    "Mein Passwort ist abgelaufen, Fehler 4012.",
    'la password è sempre "molto lunga" ormai',
]


@pytest.mark.parametrize("text", NO_VALUE_AFTER_IS)
def test_a_number_or_a_quotation_a_word_after_is_is_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Dates, versions, counts and quoted words a word after "is" are no password."""
    assert spans(secrets_detector, text) == []


DOTTED = [
    ("la pass nuova è ", "sound.fall.memory.environmental", " – va bene o è troppo debole?"),
    ("mein Passwort ist ", "rich.second.pick.quickly.drive", ", merk es dir"),
]


@pytest.mark.parametrize(("before", "secret", "after"), DOTTED)
def test_words_joined_by_dots_after_is_are_a_password(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """Four words or more joined by dots after a label's "is" are the password."""
    assert spans(secrets_detector, before + secret + after) == [(E.PASSWORD, secret)]


@pytest.mark.parametrize(
    "text",
    [
        "das Passwort ist org.apache.commons.lang",
        "das Passwort ist in django.contrib.auth.hashers gespeichert",
        "la password è settings.py.local.backup",
    ],
)
def test_a_package_or_a_module_after_is_is_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A Java package or a Python module's path after a label's "is" is no password."""
    assert spans(secrets_detector, text) == []
