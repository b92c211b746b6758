"""Credentials told in a sentence in the languages of ``data/credential_labels.txt``.

Positives are (text before, secret, text after, type): the secret is found exactly, under
its type. Negatives are sentences about passwords and keys in the same languages, numbers
that are no PIN and code or placeholders after a label: they stay quiet, since the default
policy blocks a call with a password in it.
"""

from __future__ import annotations

import random
import re
import string

import pytest

from detectors import entities as E
from detectors.credential_labels import alternation, parse_labels
from detectors.credential_phrases import load_english_words, load_tech_words
from detectors.secrets import SecretsDetector
from detectors.token_contexts import is_identifier
from tests.detectors.spans import spans

PW, GS = E.PASSWORD, E.GENERIC_SECRET

LABEL_THEN_VALUE = [  # a label, words of the sentence, "is" or a colon, the value
    ("hasło do wifi dla gości to ", "Autumn2024!", ", zrobisz mi kartkę?", PW),
    ("misafir wifi şifresi ", "lorem-ipsum-42", ", resepsiyon için", PW),
    ("moje heslo do intranetu je ", "Xk9!mQ2v", " a pořád to píše chybu", PW),
    ("ο κωδικός για το wifi επισκεπτών είναι ", "Sommer2024#", ", μου φτιάχνεις;", PW),
    ("külaliste wifi parool on ", "Tr0ub4dor&3", ", kas teeksid sildi?", PW),
    ("mun salasana intraan on ", "gr4nite-Owl", " mutta se ei toimi", PW),
    ("lösenordet till gäst-wifi är ", "Vinter2023!", ", kan du göra en skylt?", PW),
    ("parola de la wifi-ul pentru oaspeți este ", "G7#kd92La", ", îmi faci un afiș?", PW),
    ("a vendég wifi jelszava ", "Nyar2022!", ", csinálnál egy táblát?", PW),
    ("mein pw für den vpn ist ", "Xk9!mQ2v", " und es kommt ein Fehler", PW),
    ("le mdp du wifi invité c'est ", "Printemps2025", ", tu me fais une affiche ?", PW),
    ("la password del wifi ospiti è ", "C6NBrzZq1", ", mi fai un cartello?", PW),
    ("Das neue Kennwort für den Admin-Account lautet „", "correct horse battery", "“.", PW),
    ("Mon mot de passe pour le VPN est « ", "Xk9!mQ2v", " » et ça ne marche plus", PW),
    ("Passwort vom Notfall-Account: ", "QIKrduPuUUvRJ", "\n- Ticket offen", PW),
    ("le mot de passe root a été changé en ", "AT1O6fKBaJfeu", "\n", PW),
    ("For the colleague: the password of shared mailbox is ", "ThousandMoreMention", "", PW),
]

PINS = [
    ("PIN do karty firmowej to ", "4821", ", mogę go trzymać w telefonie?", PW),
    ("Şirket kartının PIN kodu ", "6843", ", telefonda saklamam sorun olur mu?", PW),
    ("Onboarding-Notiz: Türcode Serverraum ", "5161", ", WLAN steht am Empfang.", PW),
    ("l'utilisateur a communiqué son code secret ", "2049", " par téléphone.", PW),
    ("my pin code of the company card is ", "6331", ", is it problem?", PW),
    ("Codul PIN al cardului de firmă este ", "2019", ", pot să-l țin în telefon?", PW),
    ("", "4821", " to nowy PIN do drukarki.", PW),
    # a year told first: the value-first form has its "is" by construction (the year check
    # read a group only the label-first form has, and the scan raised IndexError)
    ("", "2024", " is the new PIN for the side door.", PW),
    ("", "2019", " ist die neue PIN der Haustür.", PW),
]

LAYOUTS = [  # the value before its label, user and password pairs, a told word
    ("", "Autumn2024!", " – das ist das neue WLAN-Passwort.", PW),
    ("", "$62C&_x@B", " ist das neue Passwort für den Drucker.", PW),
    ("Login und Passwort sind jdemir und ", "Autumn2024#", ", bitte eintragen.", PW),
    ("Login und Passwort sind maria-eduarda32 und ", "reiciendisearum", ", bitte.", PW),
    ("inlog: jdemir / ", "Sommer2024", " – werkt dat bij jou op de VPN?", PW),
    ("Dit zijn mijn inloggegevens: ana@example.com en ", "Tr0ub4dor&3", " graag", PW),
    ("Datele mele: utilizator yahsi65, parolă ", "temporaoptio", ", portalul spune", PW),
    ("Här är min inloggning: manuel och lösenordet ", "sintvoluptas", " funkar inte", PW),
    ("Mein Benutzername ist louis71, das Kennwort ", "oditfugiat", "\nBitte", PW),
    ("== Gastzugang WLAN ==\nSchlüssel: ", "Autumn2024!", "\nGültig bis: morgen", PW),
    ("mdp wifi salle B : ", "cumprovident", "\n", PW),
    # a key's label with a person's password: words made into one, however long
    ("Mi clave del correo es ", "CommodiIncidunt157", " y no me deja entrar", PW),
    ("== WLAN ==\nSchlüssel: ", "reprehenderit-praesentium-35", "\nGültig bis: morgen", PW),
]

KEYS = [
    ("der API-Schlüssel für das Reporting lautet ", "9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c", ".", GS),
    ("Le secret client OAuth est ", "kD8fj2KLs93jdLQp0aZ", ", où le mettre ?", GS),
    ("A titkos kulcs ", "LzfVhaV8xG3hmZ9xzFhDAtJigP8JM2yerukKG9dt1", ", hova kell?", GS),
    ("Il segreto del client è ", "d80b51a4-7164-472d-a7cd-65e6b5eafbb3", ", dove lo metto?", GS),
    ("itt az API kulcs a teszt környezethez: ", "_Ds5btFpF0ksnNrFk_7FtZ48ffa2nU", "\n", GS),
    ("das Token für die Schnittstelle zu Müller GmbH (", "a8Kd92LmQp3xZ7rT5vW1yB4n", ") ", GS),
    ("Hemlig nyckel för webhooken: ", "Xk29fLq8ZmP3", "\n", GS),
]

POSITIVES = LABEL_THEN_VALUE + PINS + LAYOUTS + KEYS


@pytest.mark.parametrize(("before", "secret", "after", "kind"), POSITIVES)
def test_credential_told_in_a_sentence_is_found_exactly(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, kind: str
) -> None:
    """A credential told after (or before) its label in any listed language is found with
    its exact span and type."""
    assert spans(secrets_detector, before + secret + after) == [(kind, secret)]


QUIET = [
    # talk about passwords, no password
    "Das Passwort liegt im Tresor (KeePass, Ordner Infrastruktur), bitte nicht mailen.",
    "Ich hab das Passwort geändert, es ist wie vorher, nur mit einer 2 am Ende.",
    "Mein Passwort hat 14 Zeichen und eine Zahl am Ende, reicht das?",
    "Das Passwort muss zwischen 8 und 64 Zeichen haben.",
    "Mein Passwort ist abgelaufen und das Portal sagt nur Fehler 4012.",
    "Passwort: ******** (habe ich absichtlich ausgeblendet)",
    "Mot de passe : •••••••• — je l'ai masqué exprès.",
    "Le mot de passe a expiré, j'ai cliqué sur « mot de passe oublié » mais rien.",
    "La contraseña está en el gestor de contraseñas del equipo, no la mandes.",
    "Nuova policy: password di almeno 12 caratteri, scadenza ogni 90 giorni.",
    "Adgangskoden ligger i boksen (1Password), send den ikke på mail.",
    "Hasło zmienione, nowe podam telefonicznie.",
    "Şifremi değiştirdim, eskisiyle aynı ama sonunda 2 var.",
    "Här är min inloggning och lösenordet: lösenordet finns i valvet.",
    # numbers that are no PIN
    "Die PIN-Briefe für die neuen Karten gehen am 2018-05-23 raus, Raum 4.17 um 19:19.",
    "Die PIN wurde 2023 geändert, Ticket #532534993.",
    "Ordine ORD-1234567 del 2024-05-01: 3 pezzi a 24,90 €, consegna in sala 1207.",
    # placeholders and code after a label
    "Passwort: ${{ secrets.API_TOKEN }} – so steht es im Template.",
    "mot de passe : os.environ['API_KEY'] dans le fichier exemple",
    "mot de passe : $env:API_KEY dans le fichier exemple, c'est normal ?",
    "Args:\n    password (bytes|None): the key's password",
    "credentials: ~/.aws/credentials is where the CLI reads them",
    "see https://token:8080/users/@me for the profile",
    "rotate secret aws/prod/db-creds-2024 in Secrets Manager",
    "the token getUserById2 is a function, not a credential",
    'token: "correct horse battery staple"',
]


@pytest.mark.parametrize("text", QUIET)
def test_talk_about_credentials_in_any_language_is_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Sentences about passwords, numbers that are no PIN and placeholders after a label
    have no finding."""
    assert spans(secrets_detector, text) == []


def test_labels_parse_by_section_with_blanks_and_case() -> None:
    """The label file's sections become the fields, "_" a blank, comments are dropped."""
    labels = parse_labels(
        "[password]\n# comment\nfr mot_de_passe mdp  # trailing\n[pin]\nde PIN pincode\n"
    )
    assert labels.password == ("mot de passe", "mdp")
    assert labels.pin == ("PIN", "pincode")
    assert labels.key == ()


def test_an_unknown_section_is_an_error() -> None:
    """A misspelt section name fails loudly instead of dropping its words."""
    with pytest.raises(ValueError, match="unknown section"):
        parse_labels("[pasword]\nde passwort\n")


def test_a_label_with_a_capital_matches_in_its_case_only() -> None:
    """ "PIN" is not "pin the version"; "mot de passe" matches any case and any blanks."""
    pattern = re.compile(alternation(("PIN", "mot de passe")))
    assert pattern.fullmatch("PIN")
    assert not pattern.fullmatch("pin")
    assert pattern.fullmatch("Mot  de\tPasse")


def test_a_short_key_after_a_user_name_is_the_logins_password(
    secrets_detector: SecretsDetector,
) -> None:
    """After "usuario: U", a key's label holds the login's password, whatever its shape."""
    text = "usuario: svc_app clave: MqWQhpRJf17vx"
    assert spans(secrets_detector, text) == [(PW, "MqWQhpRJf17vx")]


IDENTIFIERS_AFTER_THE_KEY = [
    "Why does the key KeyError2Handler show up in the trace?",
    "the key Http2Connection4Pool is in the cache",
]


@pytest.mark.parametrize("text", IDENTIFIERS_AFTER_THE_KEY)
def test_an_identifier_made_of_words_after_the_key_is_no_secret(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A name in code after "the key" (camelCase words and a digit) is no secret."""
    assert spans(secrets_detector, text) == []


def test_identifier_shape_keeps_random_keys() -> None:
    """Random keys of letters and digits are almost never taken for an identifier."""
    words = load_english_words() | load_tech_words()
    rng = random.Random(14)
    alphabet = string.ascii_letters + string.digits
    keys = ["".join(rng.choice(alphabet) for _ in range(rng.randint(16, 40))) for _ in range(5000)]
    assert sum(is_identifier(key, words) for key in keys) <= 5
    assert is_identifier("getSecretValue2Async", words)
