"""Credentials that European staff write in their own language (tuning11, h160): compound
labels ("Initialpasswort"), "is" after a login's password label, a built-in account and its
password after a slash, a password asked for in a chat and given on the next line, config
keys named in the file's language ("MOT_DE_PASSE_BDD", "CHAVE_BACKUP"); and the notes that
stand where a value would ("ÄNDERN", "definida no cofre", "vous sera remis") or prose after
a flag, which stay quiet.

Positives are (text before, secret, text after): the secret is found exactly, as a password.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

COMPOUND_LABELS = [  # a label that ends a compound noun
    ("Benutzername: jdoe\nInitialpasswort: ", "HandJetzt160", "\n\nBitte ändern Sie es."),
    ("E-Mail: a@b.de\nStartpasswort: ", "eius-temporibus-73", "\nPIN: folgt"),
    ("[x] AD-Konto fsuessebier, Erstkennwort ", "Xk9!mQ2v", "\n[ ] Laptop"),
    ("E-mail: x@y.nl\nBeginwachtwoord: ", "NatusEt193", "\nPincode badge: volgt"),
    ("E-post: x@y.se\nStartlösenord: ", "Spring2015#", "\n"),
]

LOGIN_THEN_IS = [  # "Benutzername ist U, das Passwort lautet X": the "is" is no value
    ("Mein Benutzername ist hans, das Passwort lautet ", "Winter2015", " (seit Montag)."),
    ("o usuário é ana e a senha é ", "QuamLaborum436", ", pode verificar?"),
]

ACCOUNT_PAIRS = [  # a built-in account, " / ", its password, whatever the words before
    ("- Notfall-Login für die Firewall: admin / ", "LaudantiumAspernatur969", "\n- Rest ok"),
    ("Ragazzi, il login su Grafana non va: admin / ", "+O6tLfR#", ". Qualcuno l'ha cambiata?"),
    ("- Accès console du pare-feu : root / ", "Spring2026#", "\n"),
    ("- Accesso al router della sede: admin / ", "Haus-die-70", "\n"),
]

ASKED_THEN_GIVEN = [  # the question names a password, the next line gives it
    ("Jane: wie war nochmal das PW für den Drucker-Admin?\nJohn: ", "Winter2020",
     " – nicht weitersagen"),
    ("[09:14] Ana: kannst du mir das Passwort vom Staging schicken?\n[09:15] Bob: klar, ",
     "Winter2023!", "\n[09:15] Ana: danke!"),
    ("Robby: vad är lösenordet till gäst-wifi?\nOda: ", "again.both.discussion.affect", ""),
    ("Ona: ¿cuál era la contraseña del servidor de pruebas?\nPaco: ", "B8XSUh93*S2",
     ", usuario root"),
    ("qual è la password del NAS?\n", "laborum-fugiat-13", " (utente admin)"),
]  # fmt: skip

CONFIG_KEYS = [  # a config key in the file's language
    ("[posta]\nutente = a@b.it\nparola_d_ordine = ", "JoséPlazo389", "\n"),
    ("PAROLA=", "Tr0ub4dor&3", "\n"),
    ("# mot de passe de la base\nMOT_DE_PASSE_BDD=", "CulpaQuas185", "\n"),
    ('{"senha_admin": "', "modi-iste-29", '"}'),
]

SAID_TO_BECOME = [  # "becomes", "changed to" before the value
    ("- Le mot de passe du compte Twitter de l'entreprise devient ", "AQFb53hg)$", "\n"),
    ("- A senha do painel do provedor foi trocada para ", "Autumn2017!", "\n"),
]

NATIVE_KEYS = [  # a key or secret named in the file's language: a generic secret
    ("# Schlüssel für die Exporte\nEXPORT_SCHLUESSEL=", "70a2KnTCUyfoFl1vzKkUPg==", "\n"),
    ("CHAVE_BACKUP=", "CYz_JiNpHV4fD26oVL3WKYElnckjHG8SCJ7CCTV735Q=", "\n"),
    ("PLATNOSCI_KLUCZ=", "bD81OpRIJ1M9npra1esmGaiB", "\n"),
    ("WEBHOOK_GEHEIM=", "cfd6044c224f23acb63865b8b4f24d62", "\n"),
    ("FAKTURA_NYCKEL: '", "d512747467d15369a6532260851713fe05205230", "'\n"),
]  # fmt: skip

QUIET = [
    # notes where a value would be: change it, fill it in, set elsewhere
    "[datenbank]\n# Passwort bitte ÄNDERN\nserver = localhost\npasswort = ÄNDERN",
    'correo:\n  usuario: avisos\n  clave: "CAMBIAR"',
    "# wachtwoord: WIJZIGEN voor productie\nDB_WACHTWOORD=wijzigen",
    "# senha do banco: definida no cofre\nDB_SENHA=",
    "# lösenord: hämtas från valvet vid start\nDB_LOSENORD=${DB_LOSENORD}",
    "# hasło: uzupełnić przed wdrożeniem\nBAZA_HASLO=<haslo>",
    "Bienvenue ! Votre mot de passe vous sera remis en main propre le premier jour.",
    # prose after a flag
    "WARNUNG! Die Verwendung von --password über die CLI ist unsicher.",
    # an account and a word, a path or a mask after the slash
    "the admin / user distinction matters; root / Benutzer-Verwaltung; admin / config/users",
    "Zugang: admin / ******** (steht im Tresor)",
    # a question about passwords answered in words or a number
    "a: hat jemand das Passwort für den Staging-Server?\nb: steht im Passwort-Manager",
    "A: what is the password policy?\nB: 12 characters",
    "Welche Version läuft auf prod?\nAna: 4.12.0",
    "Ana: hast du das Passwort zurückgesetzt?\nBob: ja-schon-erledigt",
    # a login's "is" before a value still arriving (a streamed answer cut there)
    "Mein Benutzername ist marleen73, das Passwort lautet W",
    # a compound that does not end in a label
    "Die Passwortrichtlinie verlangt 12 Zeichen: Passwortlänge 12",
    # a native key's name with an id, a placeholder or a variable as its value
    "CHAVE_ID=6f1c2a9e-4b7d-4e0f-9a51-2c8d3e7f1b60\nSLEUTEL_ID=12345678",
    "BETAAL_API_SLEUTEL=<sleutel>\nMOT_DE_PASSE_BDD=<à renseigner>\nSENHA_ADMIN=${SENHA}",
    "EXPORT_SCHLUESSEL=ÄNDERN\nKLUCZ_VERSION=2024.1.0",
]


@pytest.mark.parametrize(
    ("before", "secret", "after"),
    [
        *COMPOUND_LABELS, *LOGIN_THEN_IS, *ACCOUNT_PAIRS, *ASKED_THEN_GIVEN, *CONFIG_KEYS,
        *SAID_TO_BECOME,
    ],
)  # fmt: skip
def test_a_password_told_in_a_european_language_is_found_exactly(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The password, and nothing else, is reported."""
    assert spans(secrets_detector, before + secret + after) == [(E.PASSWORD, secret)]


@pytest.mark.parametrize("text", QUIET)
def test_notes_and_prose_where_a_value_could_stand_are_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A placeholder note, a flag named in prose, a word after an account, an answer in
    words: no finding."""
    assert spans(secrets_detector, text) == []


@pytest.mark.parametrize(("before", "secret", "after"), NATIVE_KEYS)
def test_a_key_named_in_the_files_language_is_a_generic_secret(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The key's value, and nothing else, is reported as a generic secret."""
    assert spans(secrets_detector, before + secret + after) == [(E.GENERIC_SECRET, secret)]
