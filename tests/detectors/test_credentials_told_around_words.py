"""Credentials told with more around them than a label, "is" and the value (tuning11, h171):
the account's name among the words before "is" ("das Kennwort vom Service-Konto svc_backup
ist X"), two words between "is" and the value ("lautet ab morgen X"), a password a person
made (a season and its year, words before a number) in brackets after its label ("das
Admin-Kennwort (Autumn2024!)"), and a licence key after the licence's word in another
language ("la chiave di licenza del software è X"), a generic secret as in English, its
span without the sentence's full stop (:mod:`detectors.labelled_credentials`,
:mod:`detectors.office_codes`).

Positives are (text before, secret, text after): the secret is found exactly, with its type.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

ACCOUNT_BEFORE_IS = [  # the account's name, words joined by underscores, before "is"
    ("Übergabenotiz für Mélissa:\nDas Kennwort vom Service-Konto svc_backup ist ", "Spring2020",
     "\nDas Token für den Webhook folgt."),
    ("Übergabe: das Passwort von sa_sql_prod ist ", "97^Zps@W!", ", bitte rotieren."),
    ("la contraseña de svc_nominas es ", "Wissen-Blume-1", " y caduca en marzo"),
]  # fmt: skip

WORDS_AFTER_IS = [  # "is", then two words, then the value
    ("das WLAN-Passwort für die Messe lautet ab morgen ", "Autumn2020", "\nBitte nicht!"),
    ("das WLAN-Passwort lautet ab morgen ", "1+&qnHwEGUP8Wszb", ", bitte nicht weitergeben"),
]  # fmt: skip

MADE_BY_A_PERSON_IN_BRACKETS = [  # a person's password in brackets after its label
    ("Problem: Kunde hat uns sein Admin-Kennwort (", "Autumn2024!", ") per Mail geschickt"),
    ("la password dell'account di servizio per le stampanti (", "BleibenNeben369",
     ") è scaduta ieri sera."),
    ("la password dell'account di servizio per le stampanti (", "Spring2020#", ") è scaduta"),
    ("la password dell'account di servizio per le stampanti (", "eum-error-98", ") è scaduta"),
]  # fmt: skip

LICENCE_KEYS_ABROAD = [  # the licence's word in another language, a vendor's key
    ("Beste Jane, de licentiesleutel voor de boekhoudsoftware is ", "IEFI-W0B4-PZJX-HG6Q",
     ". De herstelcode volgt."),
    ("Gentile Luz,\n\nla chiave di licenza del software è ", "10AN-1TCW-7NX5-PO5P",
     ". Il codice di recupero"),
    ("Der Lizenzschlüssel lautet ", "423J-77PO-KRBC-5JHZ", ", bitte aktivieren."),
    ("la clave de licencia es ", "QND1-8HQ3-5EA8-T6UH-VNFB", ". Gracias"),
    ("klucz licencyjny: ", "K7QX-22MB-9PLA-4ZZT", ". Pozdrawiam"),
    ("the license key is ", "QND1-8HQ3-5EA8-T6UH-VNFB", ". Thanks!"),
]  # fmt: skip

QUIET = [
    "Das Passwort von svc_backup ist abgelaufen.",
    "Das Kennwort vom Konto svc_backup ist seit gestern gesperrt.",
    "das Passwort ist ab sofort im Tresor.",
    "das Passwort ist geprüft durch KontoSicherheitsSeite vor dem Speichern.",
    "Das Passwort ist in der Datei hinterlegt, ab morgen neu.",
    "Das Passwort für Office (Office2019) ist abgelaufen.",
    "La password del portale (Windows10) non funziona.",
    "Passwort-Richtlinie (ISO27001) beachten.",
    "Das Passwort (siehe Anhang) ist neu.",
    "Bestellnummer 10AN-1TCW-7NX5-PO5P für die Lieferung.",
    "Licenciado Pérez, su número de pedido es 10AN-1TCW-7NX5-PO5P.",
]


@pytest.mark.parametrize(
    ("before", "secret", "after"),
    ACCOUNT_BEFORE_IS + WORDS_AFTER_IS + MADE_BY_A_PERSON_IN_BRACKETS,
)
def test_a_password_told_around_words_is_found_exactly(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The password is found with its exact span, as a password."""
    assert spans(secrets_detector, before + secret + after) == [(E.PASSWORD, secret)]


@pytest.mark.parametrize(("before", "secret", "after"), LICENCE_KEYS_ABROAD)
def test_a_licence_key_is_a_generic_secret_without_the_full_stop(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """A licence key after the licence's word, in any of these languages, is one generic
    secret: the key alone, not the sentence's full stop after it."""
    assert spans(secrets_detector, before + secret + after) == [(E.GENERIC_SECRET, secret)]


@pytest.mark.parametrize("text", QUIET)
def test_states_products_and_order_numbers_stay_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A state, a product's name or an order number where a value could stand is no
    credential."""
    assert spans(secrets_detector, text) == []
