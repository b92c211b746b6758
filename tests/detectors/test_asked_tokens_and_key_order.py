"""A token asked for in a chat and given on the next line after "it's" (h208, tuning14): "does
someone have the Grafana service token?" / "Tomasz: it's X, rotate it after"; the answer's
"is" before a password too ("es ist X"); and a config key that names the token before what it
is for, as Portuguese, Spanish, French and Italian word it ("token_api", "token-acesso")
(:mod:`detectors.asked_passwords`, :mod:`detectors.assigned_secrets`); and the approval
code of a card payment, which is no code that opens something (:mod:`detectors.office_codes`,
tuning13's chargebacks); a login and " / " its password on the line answering a question
about a login (:mod:`detectors.account_pairs`).

Positives are (text before, secret, text after): the secret is found exactly, with its type.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

ASKED_TOKENS = [  # a question naming a token, the answer's "is", a random token
    ("Priya: does someone still have the Grafana service token?\nTomasz: it's ",
     "Hq7vR2kLm9xPz4Tb8nWc", ", rotate it after the demo please"),
    ("[10:02] Noor: who has the webhook token for staging?\n[10:03] Kai: sure, it is ",
     "d81f0a9c3e7b42d6a5f1c0e9b8d7a6c5", "\n[10:03] Noor: thx"),
    ("Lea: wo ist der Token für den Export-Job?\nJonas: es ist ", "pQ4wXz8KmN2vB6tR0yLs",
     " - bitte danach löschen"),
]  # fmt: skip

ASKED_PASSWORDS = [  # the answer's "is" before a password
    ("Ruth: what was the password of the lab router again?\nAmos: it's ", "Fenway#1912", ""),
    ("Lena: wie war das Passwort vom Testserver?\nPaul: es ist ", "Blaubeere_77", ", gruß"),
]  # fmt: skip

NOUN_FIRST_KEYS = [  # the token's noun before what it is for
    ('{\n  "endereco": "10.1.2.3",\n  "token_api": "', "4c1d9e8a7b6f5e4d3c2b1a09f8e7d6c5b4a39281",
     '"\n}'),
    ("ajustes:\n  token-acesso: ", "Zq8vN3xKp2LmR7tY5wB1cD4e", "\n"),
    ("TOKEN_ACCESO=", "mB7xQ2pL9vK4zR8tN1wC6yD3", "\n"),
]  # fmt: skip

QUIET = [
    "Priya: does someone still have the Grafana service token?\nTomasz: it's in the vault",
    "Priya: who rotates the deploy token?\nTomasz: it's grafana-service-token, ask ops",
    "Priya: where's the API token documented?\nTomasz: it's docs/tokens.md, section 2",
    "Priya: is the API token still valid?\nTomasz: it's expired, make a new one",
    "Priya: what's the password for the printer?\nTomasz: it's unchanged, ask Jan",
    '{"token_api": "${TOKEN_API}"}',
    "token_api: <token>\n",
    "token_api = os.environ['TOKEN_API']\n",
]

LOGINS_ANSWERED = [  # a question naming a login, its answer: a few words, "login / password"
    ("Virgil: did anyone update the vendor portal login?\nme: yes I did, it's howardm / ",
     "Herbst2019!", " now"),
    ("Ines: who has the creds for the test tenant?\nMarco: sure — qa.bot@example.com / ",
     "Tq8#vLm2pZ", ""),
]  # fmt: skip
LOGINS_NOT_ANSWERED = [  # no login / password pair: names, ranges, paths, fractions
    "Ines: which login method do we use?\nMarco: SAML / OAuth2.0 depending on tenant",
    "Ines: which account plan are we on?\nMarco: Business / 2024-Q3 pricing",
    "Ines: where do I change the account settings?\nMarco: Settings / Security-2FA tab",
    "Ines: which accounts still use the old VPN?\nMarco: sales / marketing mostly",
    "Ines: what's the login page path?\nMarco: /admin / then settings",
    "Ines: did the account migration finish?\nMarco: 120 / 130 done",
    "Ines: can someone share the staging login?\nMarco: it's in 1Password under qa / staging",
]

CARD_APPROVALS = [  # an issuer's approval of a card payment is no PIN or door code
    "Chargeback packet\n- Merchant ref: 88-1204\n- Auth code: 7731\n- Reason: 10.4 fraud",
    "POS receipt · VISA ****0419 · approval code 052218 · thank you",
    "Der Beleg zeigt Authorization code: 39018 und Terminal 12.",
]
CODES_STILL_FOUND = [  # a code that opens something, beside them
    ("Chargeback packet\n- Auth code: 7731\n- Safe code: ", "5820", "\n"),
]


@pytest.mark.parametrize(("before", "secret", "after"), ASKED_TOKENS + NOUN_FIRST_KEYS)
def test_a_token_asked_for_or_keyed_noun_first_is_a_generic_secret(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The token is found exactly, as one generic secret."""
    assert spans(secrets_detector, before + secret + after) == [(E.GENERIC_SECRET, secret)]


@pytest.mark.parametrize(("before", "secret", "after"), ASKED_PASSWORDS)
def test_a_password_after_the_answers_is_is_found(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """ "it's X" or "es ist X" answering a question for a password is that password."""
    assert spans(secrets_detector, before + secret + after) == [(E.PASSWORD, secret)]


@pytest.mark.parametrize("text", QUIET)
def test_answers_in_words_and_placeholders_stay_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A place, a name in words, a path, a state or a placeholder is no credential."""
    assert spans(secrets_detector, text) == []


@pytest.mark.parametrize("text", CARD_APPROVALS)
def test_a_card_payments_approval_code_is_no_password(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """The digits after "auth code" or "approval code" are the issuer's, not a secret."""
    assert spans(secrets_detector, text) == []


@pytest.mark.parametrize(("before", "secret", "after"), CODES_STILL_FOUND)
def test_a_safe_code_beside_an_approval_code_is_found(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """A code that opens something stays a password next to an approval code."""
    assert spans(secrets_detector, before + secret + after) == [(E.PASSWORD, secret)]


@pytest.mark.parametrize(("before", "secret", "after"), LOGINS_ANSWERED)
def test_a_login_and_password_answering_a_question_is_found(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The password of a "login / password" pair answering a question about a login is
    found exactly, as a password."""
    assert spans(secrets_detector, before + secret + after) == [(E.PASSWORD, secret)]


@pytest.mark.parametrize("text", LOGINS_NOT_ANSWERED)
def test_slashes_in_answers_about_logins_are_no_pairs(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A choice, a range, a path or a fraction after such a question is no credential."""
    assert spans(secrets_detector, text) == []
