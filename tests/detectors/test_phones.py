"""Phone numbers by region: national formats, extensions, prefixes; not timestamps or ids."""

from __future__ import annotations

import random
import re

import phonenumbers
import pytest

from detectors.phones import (
    RegionPhoneRecognizer,
    _candidates,
    labelled_not_phone,
    phone_plausible,
)
from detectors.settings import PiiSettings

REGIONS = PiiSettings().phone_regions
VALID = phonenumbers.Leniency.VALID


@pytest.fixture(scope="module")
def phones() -> RegionPhoneRecognizer:
    """The phone recognizer over the default regions."""
    return RegionPhoneRecognizer(supported_regions=list(REGIONS))


def _spans(recognizer: RegionPhoneRecognizer, text: str) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, ["PHONE_NUMBER"])]


# (text before, number, text after): the number is reported once, with its exact span.
POSITIVES = [
    ("Ruf mich an: ", "0151 2345 6789", ", danke."),  # DE mobile, grouped 4-4-4
    ("Ruf mich an: ", "0151 23456789", "."),
    ("Call ", "07700 900123", " today."),  # GB mobile
    ("Appelle-moi au ", "06 12 34 56 78", " demain."),  # FR mobile
    ("Bel me op ", "06-12345678", "."),  # NL mobile
    ("Llámame al ", "612 345 678", "."),  # ES mobile
    ("Chiamami al ", "338 123 4567", "."),  # IT mobile
    ("Call ", "98765 43210", " in Pune."),  # IN mobile
    ("Call ", "202.555.0147x311", " now."),  # US, extension
    ("Call ", "+1-415-555-0199x12", " now."),
    ("Call ", "(415) 555-0199 ext. 4", " now."),
    ("Call ", "001-415-555-0199", " from Europe."),  # "00" international prefix
    ("Call ", "0049 151 23456789", " now."),
    ("Call ", "+351 912 345 678", " in Lisbon."),  # E.164, region not configured
    ("Call me at ", "2125551234", " please."),  # 10 digits next to "at" stay a phone
]


@pytest.mark.parametrize(("before", "number", "after"), POSITIVES)
def test_phone_found_with_exact_span(
    phones: RegionPhoneRecognizer, before: str, number: str, after: str
) -> None:
    """National, extended and internationally prefixed numbers are found whole."""
    assert _spans(phones, before + number + after) == [number]


NEGATIVES = [
    "The job was created at 1717245296 and finished 40 seconds later.",
    "last_seen 1717245296123 ms",
    '{"ts": 1717245296, "level": "info"}',
    '{"created_at": 1717245296123, "id": 7}',
    "createdAt=1717245296 in the query string",
    "Unix time 1717245296 is in June 2024.",
    "Order number: 0151 2345 6789 shipped.",
    "Ticket #0151 234567 is open.",
    "order 4529 8812 3301 is late",
    '{"user_id": 4155550199}',
    "Upgrade to 3.11.4 and 2024.1.15, build 20240115.",
    "4428-6468-3170 and 9075-5931-6225 are order numbers.",
    "lat=-78.05727410282783, lon=41.33232610265989",  # a decimal's digits
    "SELECT * FROM events WHERE created_at > 1574643638 LIMIT 19;",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_phone(phones: RegionPhoneRecognizer, text: str) -> None:
    """Timestamps, labelled ids, versions and order numbers are not reported."""
    assert _spans(phones, text) == []


def test_timestamp_outside_the_epoch_range_is_still_a_phone(phones: RegionPhoneRecognizer) -> None:
    """A 10-digit phone number that cannot be unix time stays a phone even next to "time"."""
    text = "Call any time: 0612345678"
    assert _spans(phones, text) == ["0612345678"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("created 1717245296", True),
        ('"timestamp": "1717245296123"', True),
        ("call 1717245296", False),  # no time word: could be a number
        ("created 171724529", False),  # 9 digits: not unix time
        ("ref: 2125551234", True),
        ('"orderId": 2125551234', True),
    ],
)
def test_labelled_not_phone(text: str, expected: bool) -> None:
    """The number at the end of ``text`` is labelled as a timestamp or id, or not."""
    number = list(re.finditer(r"\d+", text))[-1]
    assert labelled_not_phone(text, number.start(), number.end()) is expected


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("0151 2345 6789", "DE", True),  # trunk prefix written: any grouping
        ("4529 8812 3301", "DE", False),  # no trunk prefix, not DE grouping
        ("202.555.0147x311", "US", True),
        ("4428-6468-3170", "GB", False),  # "+44" without the plus
        ("192.168.10.1", "US", False),
    ],
)
def test_phone_plausible(raw: str, region: str, expected: bool) -> None:
    """phonenumbers' matches are kept only when they read as phone numbers."""
    assert phone_plausible(raw, region) is expected


def _whole_text_candidates(text: str) -> list[tuple[int, int, str]]:
    """What ``_candidates`` found before it read windows: every matcher on the whole text."""
    found = []
    for region in REGIONS:
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=VALID):
            if phone_plausible(match.raw_string, region):
                found.append((match.start, match.end, region))
    if "00" in text:
        rewritten = re.sub(r"(?<![\w.+])00(?=[1-9])", " +", text)
        for match in phonenumbers.PhoneNumberMatcher(rewritten, "ZZ", leniency=VALID):
            if rewritten[match.start] == "+" and text[match.start - 1 : match.start] == "0":
                found.append((match.start - 1, match.end, "ZZ"))
    return found


_PIECES = [
    *"0123456789" * 4,
    *" -.()+/\nxabZ%$:#,\t",
    "00",
    "001-",
    "+49 ",
    "+1-",
    "ext. ",
    "int ",
    "on ",
    "tel ",
    "Call ",
]


@pytest.mark.parametrize("seed", range(4))
def test_windows_find_what_the_whole_text_finds(seed: int) -> None:
    """The matchers read only stretches with seven digits close together (and around
    "00" prefixes), yet report exactly the numbers, spans and regions of matchers run over
    the whole text: on random mixes of digits, separators, extensions, prefixes, letters
    that cut stretches and line breaks."""
    rng = random.Random(seed)
    texts = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(5, 80))) for _ in range(600)]
    texts += [
        "tel5551234567 b(202) 555-0147x311\n+1 415 555 0199",  # a letter right before
        "ab 0151 2345 6789b 0049 151 23456789 ok 0+49 30 1234567",  # adjacent stretches
        "call 202.555.0147 or 202 555 0148, not 2024-05-01 12:30:00",
    ]
    found = 0
    for text in texts:
        expected = _whole_text_candidates(text)
        assert list(_candidates(text, REGIONS)) == expected, text
        found += bool(expected)
    assert found > 30  # the mixes do hold numbers
