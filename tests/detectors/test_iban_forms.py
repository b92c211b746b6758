"""IBANs in the forms Presidio's recognizer misses (issue 14, h206): lower case with blanks
or dashes between the groups, dots between them, and wrapped over two lines as e-mails and
PDF copies break them; what follows such an IBAN, and look-alikes, are none of it."""

from __future__ import annotations

import pytest

from detectors.iban_forms import open_iban
from detectors.pii import PresidioDetector


def _ibans(pii: PresidioDetector, text: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "IBAN_CODE"]


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        ("pls send the refund to nl04 kemu 0181 5908 30 thx", "nl04 kemu 0181 5908 30"),
        ("my iban — de50-5260-1815-9083-0166-13 (postbank)", "de50-5260-1815-9083-0166-13"),
        ("Konto: DE50.5260.1815.9083.0166.13, BIC folgt.", "DE50.5260.1815.9083.0166.13"),
        ("überweisung an fr92.5260.1815.9083.0166.1318.609", "fr92.5260.1815.9083.0166.1318.609"),
        # wrapped by a mail client or a PDF copy, at a group's end or inside one
        ("Beneficiary account GB17 KEMU 0181\n5908 3016 61 as agreed",
         "GB17 KEMU 0181\n5908 3016 61"),
        ("> IBAN PL40 5260 1815 9083 0166 1318\n> 6091", None),
        ("account\nPT34 5260 1815 9083 0166 \n 1318 6\nthanks",
         "PT34 5260 1815 9083 0166 \n 1318 6"),
        ("it22k26018159083\n01661318609 is the one", "it22k26018159083\n01661318609"),
        ("conta es43 5260 1815\r\n1690 8301 6613.", "es43 5260 1815\r\n1690 8301 6613"),
    ],
)  # fmt: skip
def test_an_iban_in_another_form_is_found_whole(
    pii: PresidioDetector, text: str, iban: str | None
) -> None:
    """The whole IBAN is one finding, its separators and line break inside it; a quoted
    mail's "> " before the second line is no separator (the run ends at the line)."""
    assert _ibans(pii, text) == ([iban] if iban else [])


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        # an IBAN ending its line, a number on the next: the number is no part of it
        ("IBAN: DE50 5260 1815 9083 0166 13\n12 invoices attached", "DE50 5260 1815 9083 0166 13"),
        ("iban fi37 5260 1815 9083 01\n2024 statement", "fi37 5260 1815 9083 01"),
        ("Konto NO08 5260 1815 907.\nDanke", "NO08 5260 1815 907"),
    ],
)  # fmt: skip
def test_what_follows_an_iban_is_no_part_of_it(pii: PresidioDetector, text: str, iban: str) -> None:
    """The longest run of whole groups that passes the country's format is the IBAN."""
    assert _ibans(pii, text) == [iban]


@pytest.mark.parametrize(
    "text",
    [
        "commit ab12 cdef 3456 7890 abcd ef01 was reverted",  # hex groups fail the check
        "ref gb17 kemu 0181 5908 3016 62 (one digit off)",
        "Nl04 kemu 0181 5908 30 written Mixed case",  # letters of two cases: a token
        "line one ends FI37 5260 1815\n9083 02 and the join fails mod 97",
        "sort code 20-00-00, account 5590 8301, ref de12.3456.7890",
        "IMEI 35-209900-176148-1 and ICCID 8944 5000 0000 0000 001",
        "build v1.2.3 of se01.2345 failed",
        # mod 97 holds over the id and the words after it, and Turkey's format matches its
        # start: the format must span the whole run (31 characters; Turkey's IBANs have 26)
        "trace id tr4325146802263633x in the gateway log",
    ],
)
def test_look_alikes_are_no_iban(pii: PresidioDetector, text: str) -> None:
    """Runs that fail the country's format or the check digits are no IBAN."""
    assert _ibans(pii, text) == []


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("iban: de50 5260 ", 6),
        ("iban: de50 5260", 6),
        ("IBAN GB17 KEMU 0181\n", 5),
        ("IBAN GB17 KEMU 0181\n  59", 5),
        ("Konto DE50.", 6),
        ("de50", 0),
    ],
)
def test_an_iban_being_written_is_held_from_its_start(text: str, start: int) -> None:
    """While its groups may still grow into an IBAN, a stream holds the run whole."""
    assert open_iban(text) == start


@pytest.mark.parametrize(
    "text",
    [
        "IBAN GB17 KEMU 0181\n5908 3016 61\nThanks",  # its second line ended
        "IBAN: DE50 5260 1815 9083 0166 13 and later some longer words go",  # past 34
        "sha256 is ",
        "see page 12 ",
        "plain prose, nothing held",
    ],
)
def test_a_run_that_can_no_longer_grow_is_not_held(text: str) -> None:
    """A second line break, 34 letters and digits, or no country and check digits at its
    start: nothing is held for an IBAN."""
    assert open_iban(text) is None
