"""Passwords and keys as office staff tell them (issue 14, tuning8's recall, h125): after a
user name or an e-mail address, after "pw", in parentheses "(currently X)", in "use X to log
in", after a Wi-Fi key with no verb, in a sheet row that lacks its last cells or is
separated by ";", in a list of logins under its heading, in the answer to "what's the wifi
pw?", referred back to ("the old one was X", "set it to X") and as a pre-shared key.

Positives are (text before, secret, text after): the secret is found exactly, with its
type. Negatives are the same shapes with a word, a name or a note in the value's place.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

PASSWORDS = [
    # a user name or an e-mail address before "password X"
    ("Please close my account. Username mkariuki, password ", "tellusvarius", ", thanks"),
    ("the team Dropbox is office@example.com, password ", "sollicitudin", ", ask Ann"),
    ("the admin login for the intranet: jdoe7, password ", "fringillaest", " and the analytics"),
    ("> please use the shared login\n> user kwanjiru\n> pass ", "mattisnullam", "\nthanks"),
    # "pw", the short word people use only to give a password
    ("Twitter: I set it up, pw ", "tempusdignissim", ", change it when you can"),
    # the value in parentheses, with what it is now
    ("- Ann to change the Canva password (currently ", "orci-varius-58", ") after launch"),
    ("the router password (now ", "Tq7&vPz2", ") is on the fridge"),
    # what one logs in with
    ("Hi Li, use ", "Spring2031!", " to log into the booking tool, user is lchen."),
    ("use ", "vestibulumante", " to sign in to the kiosk"),
    # "login for X:" then user / password
    ("new login for the CRM: sam@example.org / ", "Qb4!rT9zLm", " – ask Sam"),
    # a Wi-Fi key with no verb, dotted words after a Wi-Fi key
    ("gave the visitor Wi-Fi key ", "lamp-orbit-castle-yellow", " at reception"),
    ("the lab Wi-Fi is LabNet and the key is ", "window.paper.river.music", " from today"),
    ("- Wi-Fi (office): ", "silent_north_coffee_brick", "\n- Door code: 4471"),
    # a staff password "from" a date
    ("Wi-Fi: the staff password from Monday is ", "CarpetHorizonJumpQuiet", ", guest unchanged."),
    # the answer to a question asking for it, alone on the next line
    ("Ria: whats the guest wifi pw?\nTom: ", "paper-lemon-stone-wide", "\nRia: ta"),
    # generated words, one of them a word of code among four or more
    ("guest Wi-Fi today: network Acme-Guest, password ", "river_orbit_later_candle", " until 6 pm"),
    ("your Wi-Fi password is ", "PaperTrueSilverMoon", " until Friday"),
    # eight words between the label and "is", in French
    (
        "Bonjour, le mot de passe du wifi de la salle de formation est ",
        "plume_orage_citron",
        ", merci",
    ),
    # after an asset tag in brackets, which names the laptop
    ("the admin password on the loan laptop (7QKD2M9XA4) is ", "Tq7&vPz2ab", " for today"),
    # a short word that closes the sentence after "is"
    ("Attached the scan. The password to open the file is ", "evia.", "\nRegards"),
    # a pre-shared key
    ("for the site-to-site VPN: shared key ", "pQ8rTzW2kLm9xV", ", peer 10.0.0.1"),
    # named a sentence earlier and referred back to
    ("I changed the password on the shop account. The old one was ", "Summer2030!", ". Help"),
    ("VPN broke: the shared secret was wrong, I set it to ", "Zq4tRm8WxP2sKv7N", " again."),
]

KEYS = [
    ('The plugin wants an "API key". The one on my account page is ', "Rt5kPq9ZwX2m", " ok?"),
    (
        "The form asks for an API key. I copied this from the settings page: ",
        "kTrWqPzmXbVnYhGfDsLcAeJ",
        ". Right?",
    ),
    ("I regenerated the API secret, new one is ", "0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c", " now."),
    ("2fa setup key, add it to your authenticator app: ", "MZXW6YTBOI4DKNRQ", ""),
    (
        "mfa secret for the shared mailbox, scan or type into the authenticator: ",
        "k3jd 5fhw qp2m x7ra",
        "",
    ),
]

SHEETS = [
    # a TSV row that lost its empty last cell
    (
        "Site\tUser\tPassword\tNote\nShop\tann@example.org\tFx8!kq2Z\tmain\nBlog\tbob\t",
        "tempor-erat-19",
        "",
    ),
    # ";" as the delimiter
    ("what;user;pw\nfront desk;kmaina;", "Zn3#pw8Q", "\nscanner;kmaina;5521"),
    # dotted words in a password column
    ("SSID\tPassword\nLabNet\t", "cloud.garden.pencil", ""),
    # a list of logins under its heading
    ("Partner logins\nTravel desk – jdoe – ", "Autumn2029#", "\nCourier – account 8812 – Qw8"),
]


@pytest.mark.parametrize(("before", "secret", "after"), PASSWORDS)
def test_a_password_told_by_office_staff_is_found(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The password is found with its exact span, as a password."""
    assert (E.PASSWORD, secret) in spans(secrets_detector, before + secret + after)


@pytest.mark.parametrize(("before", "secret", "after"), KEYS)
def test_a_key_referred_back_to_or_set_up_is_a_secret(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The key is found with its exact span, as a generic secret."""
    assert (E.GENERIC_SECRET, secret) in spans(secrets_detector, before + secret + after)


@pytest.mark.parametrize(("before", "secret", "after"), SHEETS)
def test_a_password_in_a_pasted_sheet_or_list_is_found(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The cell or the list's last word is found exactly, as a password."""
    assert (E.PASSWORD, secret) in spans(secrets_detector, before + secret + after)


QUIET = [
    # an e-mail address is the user name, not the password
    "login is kim@example.org pw ",
    "the new login for the portal is kim@example.org with password ",
    # a word that is no password after "pw" or after a user name
    "Username mkariuki, password reset requested yesterday",
    # what one logs in with by name
    "use Firefox to sign in, or use Keycloak to log in; using Authenticator to sign on",
    "use SSO to log in, then use LastPass to log into the rest",
    # Wi-Fi words that name no key
    "We need Wi-Fi key management for guests; the wifi key rotation happens monthly.",
    "- Wi-Fi (guest): acme-guest-net\n- Wi-Fi (staff): see the sticker",
    # a note in a password column
    "SSID\tPassword\tWhere\nAcme-Staff\task reception\tall floors\n"
    "Acme-Guest\tprinted on the visitor badge\tlobby",
    # a list under a heading that names no logins, a list whose middle is no user name
    "Release notes\nBuild – v2.3 – Build4711",
    "Shipments this week:\n1Z999AA10123456784 – 2 boxes – delivered",
    # questions that do not ask for the password
    "Ana: did you reset the password?\nBob: yes-done-already",
    "Ana: what's the password policy?\nBob: upper-lower-digits",
    # "one", "this", "it" that refer to something else
    "I reset my password yesterday. The one on the invoice is INV-2024-0042.",
    "Our API key rotation is monthly. This is important: document everything.",
    "The API key expired. The one in the ticket is order 5521908, not a key.",
    # a short word after "is" that does not close the sentence, or an English one
    "the password is soon to be rotated; the old password was fine. The PIN is gone.",
    "le mot de passe du wifi de la salle de formation est expiré depuis hier",
    # an asset tag or a serial in brackets after the words of a label
    "the admin password on the loan laptop (7QKD2M9XA4) is in the vault",
    "Passwort für den Drucker im 2. Stock (C0K4XZ7J2M5H) bitte bei IT erfragen",
    # names in code made of words, most of them words of code
    "set the password read_from_env_var in the chart, or password ReadFromEnvVar",
    "the Wi-Fi password is SeeVaultEntry, the admin password is InsertTokenHere",
    # a pre-shared key that is talked about
    "the shared key rotation is quarterly; psk management is in the runbook",
]


@pytest.mark.parametrize("text", QUIET)
def test_office_talk_about_passwords_stays_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Talk about passwords and keys with no value in the value's place has no finding."""
    assert [s for s in spans(secrets_detector, text) if s[0] != E.EMAIL_ADDRESS] == []
