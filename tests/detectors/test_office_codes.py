"""Codes and keys as office staff write them (issue 14, tuning8's misses): a door, alarm or
safe code, PIN or PUK after its label, under a heading naming codes or answering a question
about one; backup codes; licence keys; a vendor key named by what it connects; a key listed
under a heading naming keys (:mod:`detectors.office_codes`).

Positives are (text before, secret, text after): the secret is found exactly, with its
type. The negatives are the same genres with a number, reference or code that opens nothing.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

CODES = [
    ("door code changed btw, its ", "5100", " now"),
    ("Board meeting – the code for the board-room AV panel is ", "774806", "."),
    ("rang the alarm company – master code is now ", "37066737", ", old one deleted."),
    ("the zoom host key is ", "654898", " if you need to take over the meeting"),
    ("the SIM PIN of your new phone is 3170 and the PUK is ", "675224", ". Keep this letter."),
    ("Hi Joshua, for the print room use code ", "008553", " on the copier keypad."),
    ("Phone message: locksmith changed the key-safe code to ", "4930", ". Invoice to follow."),
    ("safe in the finance office: combination is ", "435769", " – only for the cash count"),
    ("- Door code, main entrance: ", "882400", "\n"),
    ("code for the stationery cupboard = ", "6090", " 🔑"),
    ("Alex wrote:\n> what's the alarm code for the side door?\n", "0802", ", but set it again"),
    ("> what's the code for the bike shed\n", "1488", "# – press hash at the end"),
    ("Door / alarm codes (facilities)\nMain entrance: 5651\nServer room: ", "5731", ""),
    ("Voicemail PINs (reset by IT)\nExt 24355 – ", "67722922", ""),
    ("The voicemail PIN for your desk phone has been reset to ", "2019", ". Dial 8000."),
]

RECOVERY = [
    ("my authenticator app died, IT gave me backup code ", "0ac5e-02fd9", " to get in"),
    ("hello, i got a text with a code ", "2963 2318", " but i didnt ask for it??"),
    ("Your backup codes (each works once):\n3450 4528\n", "f6kb-9cmt", "\nmdcm-ze7p"),
    ("the bank's backup codes are 4107 8968 and ", "cb839-21ad1", ". The card reader"),
]

KEYS = [
    ("here's the Adobe licence key you asked for – ", "KFD3-ZP7G-XYYO-513Z", ". Thanks"),
    ("Product\tSeats\tKey\nDesign suite\t5\t", "23AJ09-O1ZOR1-54KWUD-PFVWZF", "\t2018-12-01"),
    ("The API key the web agency uses for the booking form is ", "fe0e7b6ebb6cf8a1fa04", "."),
    ("password T3Hxtu%QZx, API key (for the website widget) ", "6b19b317239fe12c7022", "."),
    ("Username: frosas\nAccess code: ", "IoryaEWn4Da9", ""),
    ("Dear user, your one-time access code is ", "62iJ5x7BKyLt", ". Do not share it."),
    ("integration key for the HR system: ", "20651B1E-442D-42F3-99CE-F19C27271636", "."),
    ("API keys we got from vendors (ask Dunn first):\nMaps - ", "ZwM3zY6NNYYbk2KU", ""),
]


@pytest.mark.parametrize(("before", "secret", "after"), CODES + RECOVERY)
def test_a_code_that_opens_something_is_a_password(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The code is found with its exact span, as a password."""
    assert (E.PASSWORD, secret) in spans(secrets_detector, before + secret + after)


@pytest.mark.parametrize(("before", "secret", "after"), KEYS)
def test_a_key_named_by_what_it_opens_is_a_secret(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The key is found with its exact span, as a generic secret."""
    assert (E.GENERIC_SECRET, secret) in spans(secrets_detector, before + secret + after)


QUIET = [
    # numbers near a code word that are no code
    "Please note: the zip code is 94107 and the area code 0151.",
    "The error code 5001 means the printer is offline.",
    "Exit code 1234 from the backup job, see ticket INC0012345.",
    "the code is only valid for 10 minutes, ask for a new one",
    "the door code is 4 digits, facilities will tell you in person",
    "Door codes are managed by Facilities, room 1418 on the 2nd floor.",
    "pin the dependency to 2023 until the fix ships",
    "promo code SPRING25 from the newsletter does not work, order 48213",
    "the code for the locker number 1234 is with security",
    "Meeting ID is 845 2291 and there's no passcode",
    "Employee number 48213, badge 1002, locker 17: code sent separately.",
    # a list under a heading that names no code
    "Extension list\nReception – 4412\nAccounts – 4413",
    # a question whose answer is no code
    "> what's the ticket number?\n48213, it's the printer one",
    # shapes of keys that are something else
    "Serial numbers: laptop C02XK1ZJJG5H, monitor 5CG1234XYZ",
    "Tracking 1Z999AA10123456784, invoice INV-2291, PO-2026-00412",
    "The train runs 2023-2024, room ABCD-EFGH-IJKL-MNOP is booked.",
    "The API key expired, request id 4bf92f3577b34da6a3ce929d0e0e4736 in the log.",
    "the API key is in the password manager under Marketing / Newsletter",
    "API keys\n- newsletter: stored in the vault\n- maps: ask Dana",
    "my recovery phone is 07700 900123 and the backup is on Monday",
]


@pytest.mark.parametrize("text", QUIET)
def test_office_numbers_and_references_stay_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Numbers, references and talk about codes with no code in them have no finding."""
    assert spans(secrets_detector, text) == []


NOT_THE_KEY = [
    # a log field or JSON member named "code"
    ('{"exception":"[object] (QueryException(code: 40001)"}', "40001"),
    ("retrying, code=40001 after 2s", "40001"),
    # a port and path after a key, a UUID after a secret, an id under a Secret's name
    ("stripe listen --api-key Ran7Ktr4EJO8fzGN1R8z41 --forward-to localhost:9090/webhook",
     "9090/webhook"),
    ("The client secret 'KyRqATW6QLJOUaVQP3gcjQ' for application "
     "'5b4fce32-db8e-4881-bd97-74e9011a0b05' is invalid", "db8e-4881-bd97-74e9011a0b05"),
    ("kubectl get secret app-secrets -o yaml\n  name: app-secrets\n"
     "  uid: 805f86c0-062b-436a-b5e9-97bde8ce5ad9", "805f86c0-062b-436a-b5e9-97bde8ce5ad9"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "value"), NOT_THE_KEY)
def test_a_field_port_or_id_near_a_key_word_is_not_reported(
    secrets_detector: SecretsDetector, text: str, value: str
) -> None:
    """A log field, a port and path, or an id near a key's name is no finding."""
    assert all(value not in found for _, found in spans(secrets_detector, text))


def test_a_pin_number_on_a_line_about_electronics_is_no_code(
    secrets_detector: SecretsDetector,
) -> None:
    """A connector's pin ('GPIO ... pin 4821') is no PIN; the same words about a door are."""
    assert spans(secrets_detector, "the GPIO PIN is 13, pin 4821 of the header is ground") == []
    assert (E.PASSWORD, "4821") in spans(secrets_detector, "the side door pin is 4821 now")
