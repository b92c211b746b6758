"""Phone numbers by region: national formats, extensions, prefixes; not timestamps or ids."""

from __future__ import annotations

import random
import re

import phonenumbers
import pytest
from faker.providers.phone_number.en_US import Provider as UsPhoneFormats

from detectors.phones import (
    RegionPhoneRecognizer,
    _candidates,
    _idd_matches,
    _Matchers,
    _region_matches,
    labelled_not_phone,
    phone_plausible,
)
from detectors.pii import PresidioDetector
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
    # an extension in every common spelling belongs to the number (as Faker writes it, and
    # as the evaluation sets label it): pseudonymising "x311" with the number says nothing
    ("Call ", "202-555-0147 x311", " now."),
    ("Call ", "202-555-0147 x 311", " now."),
    ("Call ", "202-555-0147 X311", " now."),
    ("Call ", "202-555-0147ext311", " now."),
    ("Call ", "202-555-0147 ext 311", " now."),
    ("Call ", "202-555-0147 Ext. 311", " now."),
    ("Call ", "202-555-0147 ext.311", " now."),
    ("Call ", "202-555-0147 EXT: 311", " now."),
    ("Call ", "202-555-0147 extn 311", " now."),
    ("Call ", "202-555-0147 extension 311", " now."),
    ("Call ", "202-555-0147 #311", " now."),
    ("Call ", "202-555-0147#311", " now."),
    ("Call ", "+44 20 7946 0958 ext 123", " now."),
    ("Call ", "0049-30-1234567 x12", " now."),
    ("Call ", "202-555-0147 (ext. 311)", " now."),  # phonenumbers leaves these out
    ("Call ", "+49 30 1234567 (x12)", "."),
    ("Call ", "0049 30 1234567 (Extension: 12)", "."),
    ("Call ", "202-555-0147", " (extension pending)."),
    # an extension's label before another number does not hide that number
    ("Ext 4412 or mobile ", "0151 2345 6789", "."),
    ("Reception ext. 12, switchboard ", "020 7946 0958", "."),
    # North American numbers dialled with their "1" (country code and trunk prefix at once)
    ("Call ", "1-202-555-0147", " now."),
    ("Call ", "1 (202) 555-0147", " now."),
    ("Call ", "1(202)555-0147", " now."),
    ("Call ", "1.202.555.0147", " now."),
    ("Call ", "1-800-555-0199", " toll-free."),
    # ... but a list item's "1" is not part of the number
    ("1. ", "202-555-0147", " (office)"),
    ("1) ", "(202) 555-0147", " (office)"),
    # French and Dutch numbers written with dots, trunk prefix first
    ("Tel.: ", "01.47.68.71.78", "\n"),
    ("Bel ", "06.12345678", "."),
    # a number in parentheses: phonenumbers keeps the "(" and drops the ")"
    ("Tel. (", "2025550147", ")"),
    ("(", "+1-202-555-0147x381", ")"),
    ("(", "001-202-555-0147", ")"),
    ("Tel. [", "2025550147", "]"),
    # "0+49": the "0" is a slip before the "+", not a prefix, even where a "00" number follows
    ("Call 0", "+49 30 1234567", " (or 0049 is fine too)."),
    ("Call ", "00 49 30 1234567", " now."),
    # a bare digit run with a word, field, label or column that names a phone
    ("They're not answering at ", "2025550147", ""),
    ("bittet um Rückruf unter ", "0645762563", "."),  # a trunk "0": no cue needed
    ("Contract 81, ", "0645762563", ""),
    ("Anna Cruz (", "2025550147", ")"),
    ("Anna Cruz, anna@example.com, ", "2025550147", ""),
    ("Phone:\n", "2025550147", "\n"),
    ("T: ", "2025550147", ""),
    ("WhatsApp me: ", "2025550147", ""),
    ("his number is ", "2025550147", "."),
    ("My direct line is ", "4817786658", "."),
    ("", "2025550147", " (mobile)"),
    ('{"id": 7, "phone": "', "2025550147", '"}'),
    ("name,email,phone\nAnna,a@example.com,", "2025550147", "\n"),
    ("| Name | Mobile |\n|---|---|\n| Anna | ", "2025550147", " |"),
]


@pytest.mark.parametrize(("before", "number", "after"), POSITIVES)
def test_phone_found_with_exact_span(
    phones: RegionPhoneRecognizer, before: str, number: str, after: str
) -> None:
    """National, extended and internationally prefixed numbers are found whole."""
    assert _spans(phones, before + number + after) == [number]


def _faker_shape(fmt: str) -> str:
    """Faker's en_US phone ``fmt`` filled with a valid number, 202-555-0147, and the
    extension digits 38157 (Faker draws random area codes; no one has an invalid one)."""
    digits = iter("2025550147" + "38157")
    return "".join(next(digits) if ch in "#$" else ch for ch in fmt)


@pytest.mark.parametrize("fmt", list(dict.fromkeys(UsPhoneFormats.formats)))
def test_every_faker_en_us_shape_found_whole(phones: RegionPhoneRecognizer, fmt: str) -> None:
    """Every shape Faker's en_US provider writes is found with its exact span, extension,
    "+1-" and "001-" prefixes included, in prose and in parentheses."""
    number = _faker_shape(fmt)
    assert _spans(phones, f"Reach me at {number}, thanks.") == [number]
    assert _spans(phones, f"Anna ({number})") == [number]


@pytest.mark.parametrize("fmt", ["$##$######", "($##)$##-####", "+1-$##-$##-####x###"])
def test_contact_label_joined_after_a_number_is_no_glue(pii: PresidioDetector, fmt: str) -> None:
    """Through the PII detector, "2025550147-Office" and "...x381-Fax" (presidio-evaluator's
    business cards) are phone numbers, not the head of a larger identifier."""
    number = _faker_shape(fmt)
    text = f"Anna Cruz\n{number}-Office\\,{number}-Fax"
    found = [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PHONE_NUMBER"]
    assert found == [number, number]


@pytest.mark.parametrize(
    "text",
    ["build-2025550147-Office", "id 2025550147-rc1", "2025550147_office2", "#2025550147-Fax"],
)
def test_glue_still_holds_around_a_contact_label(pii: PresidioDetector, text: str) -> None:
    """A number joined to an identifier on its other side, or to a word that is no contact
    label, stays glued and unreported."""
    assert [f for f in pii.find(text) if f.entity_type == "PHONE_NUMBER"] == []


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
    "p = 0.545986491300349, loss 0.0433577225127294, lr 0.00123456789",  # decimals whole
    "weights 0.5459864913 and 0.54598649 (0.x: no area code after the trunk prefix)",
    "SELECT * FROM events WHERE created_at > 1574643638 LIMIT 19;",
    "1642476135547 WARN  [pool-2-thread-9] Retrying request\n1717245296 ERROR Giving up",
    "Our model outputs these scores: [0.757220489132019, 41.97695635047512].",  # a bracket
    "(0.545986491300349) and [0.0433577225127294]",
    # the extension's "x" and "#" in dimensions, versions, hex, addresses and ports
    "Render at 1920x1080, then 3840x2160 and 2560x1440x32.",
    "a tensor of shape 128x256x512x1024 (2048x2048x3 floats)",
    "Pin v2.0.1x and 2.10.12x, not 1.2.3.4x5.",
    "segfault at 0x7ffd5a3c1e20, base 0x0000000000400000, rip 0x00007f8e4c002340",
    "listen on 10.0.0.1#8080 and 192.168.100.200x2",
    "see build 20240115x2 and sha 4f3a2b1c9d8e7f60",
    # dotted dates, times and numbered versions are not French numbers
    "Valid from 01.02.2024 12.30 to 15.05.2024.",
    "Release 10.20.30.40.50 and 1.10.3.14.12 of the tool.",
    "2024-05-01T12:30:45.1234567Z 00:1a:2b:3c:4d:5e ISBN 978-3-16-148410-0",
    # a bare 11-digit run starting with 1 is no dialled North American number
    "The row count was 12025550147 yesterday.",
    # bare digit runs in technical text: sizes, counts, ids, checksums, short SHAs
    "MAX_BODY_BYTES=8589934592\nBUILD_NUMBER=92965724920\nAWS_ACCOUNT_ID=420254190617",
    "gc pause 809.217ms heap 6076717809 -> 2613983093",
    "UPDATE users SET quota = 6289471043 WHERE id IN (45091864, 111619394, 2297826757);",
    "$ wc -c dump.sql\n7305684990 dump.sql\n$ kill -9 3106349 176121",
    "$ git log --oneline -3\n0315522 Fix the retry loop\n4f3a2b1 Bump deps",
    "customer number 89494618, contract 9735027336, tax id 47895883619",
    "id,sku,qty\n6186010818,910894760830,96\n1836813340,5612979246354,492",
    # the whole part of a decimal, a cut dotted run, a date, an unbalanced bracket
    "[1624520370.092201] worker[8966]: exit 0 and 1645238366.553860 tid=1186005",
    "kernel: [2758.301993] oom-kill: pid=5462",
    "2027-03-12 01:26:02 168.132.104.102:58196 GET /",
    "03-12-2023 25.57.91.196:40710 GET /",
    "Date:   04-07-2024 +0100 and [03-03-2025] worker[50330]",
    "  at async Promise.all (index 87)  35030791 bytes",
    # a trunk "0" first, but labelled as an account, customer or contract number
    "Kto 0123456789 BLZ 37040044, Konto 0532013000, Kundennr. 0612345678",
    "account no. 0612345678, customer 0612345678, contract: 0151 2345 6789",
    # digits after an extension's label: the extension, then another field of its row
    "Voicemail PINs (reset by IT)\nExt 69 – 48451642\nExt 94 – 18804577\nExt 68877 – 3856",
    "Durchwahl 94 - 18804577, Nebenstelle 12 – 5551234",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_phone(phones: RegionPhoneRecognizer, text: str) -> None:
    """Timestamps, labelled ids, versions and order numbers are not reported."""
    assert _spans(phones, text) == []


@pytest.mark.parametrize(
    "text",
    [
        '{"account": 57446789850, "total": 5851216655, "phone": "2025550147"}',
        "name,account,phone\nAnna,6186010818,2025550147\nBob,1836813340,+1 202-555-0147",
        "Order 4529 8812, total 5851216655; Tel. 2025550147 or +1 202-555-0147",
    ],
)
def test_only_the_phones_among_other_numbers(phones: RegionPhoneRecognizer, text: str) -> None:
    """Of the digit runs on a line, only those a phone field, column or word names are
    reported, though that name follows the other numbers on the same line."""
    found = _spans(phones, text)
    assert found == [n for n in ("2025550147", "+1 202-555-0147") if n in text]


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
        ("phone created 171724529", False),  # 9 digits: not unix time
        ("ref: 2125551234", True),
        ('"orderId": 2125551234', True),
        ("Ext 94 – 18804577", True),  # starts with the extension
        ("Ext. 12, mobile 2125551234", False),  # another number after the extension
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
        ("1-202-555-0147", "US", True),  # "1" dialled: country code and trunk prefix
        ("1 (202) 555-0147", "CA", True),
        ("12025550147", "US", False),  # no separator after the "1": an id as likely
        ("1 - 202-555-0147", "US", False),  # a list's "1" (the number alone is found)
        ("44 20 7946 0958", "GB", False),  # "+44" without the plus
        ("01.47.68.71.78", "FR", True),  # in pairs after the trunk prefix
        ("06.12345678", "NL", True),
        ("01.02.2024", "DE", False),  # a date
        ("10.20.30.40.50", "FR", False),  # no trunk prefix
    ],
)
def test_phone_plausible(raw: str, region: str, expected: bool) -> None:
    """phonenumbers' matches are kept only when they read as phone numbers."""
    assert phone_plausible(raw, region) is expected


def _whole_text_candidates(text: str) -> list[tuple[int, int, str]]:
    """What ``_candidates`` would report without windows nor candidates passed over:
    phonenumbers' own matchers on the whole text, minus what labelled_not_phone rejects."""
    plain = _Matchers(text, skipping=False)
    found = [
        (start, end, region)
        for region in REGIONS
        for start, end in _region_matches(plain, 0, len(text), region)
    ]
    found += [(start, end, "ZZ") for start, end in _idd_matches(text, 0, len(text))]
    return [(s, e, r) for s, e, r in found if not labelled_not_phone(text, s, e)]


def _reported_candidates(text: str) -> list[tuple[int, int, str]]:
    """``_candidates`` minus what labelled_not_phone rejects (as the recognizer reads it)."""
    found = _candidates(text, REGIONS)
    return [(s, e, r) for s, e, r in found if not labelled_not_phone(text, s, e)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0049 151 23456789", ["0049 151 23456789"]),
        ("Ruf 0049-30-1234567 x12 an", ["0049-30-1234567 x12"]),
        ("001-202-555-0147", ["001-202-555-0147"]),
        ("0+49 30 1234567 or 0049 30 7654321", ["0049 30 7654321"]),  # only a rewritten "00"
        ("0049 12", []),  # too short to be a number
        ("id 0049151234567x", []),  # glued to a letter
        ("v2.0049151234567", []),  # after a dot: a version's or decimal's digits
    ],
)
def test_idd_00_prefix(text: str, expected: list[str]) -> None:
    """The "00" path reads numbers that start at a written "00", and judges them as the
    numbers written with "+" are judged."""
    assert [text[s:e] for s, e in _idd_matches(text, 0, len(text))] == expected
    for start, end in _idd_matches(text, 0, len(text)):
        assert phone_plausible("+" + text[start + 2 : end], "ZZ")


_PIECES = [
    *"0123456789" * 4,
    *" -.()+/\nxabZ%$:#,\t",
    "00",
    "001-",
    "1-",
    "1. ",
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
        "1. 202-555-0147\n2) (202) 555-0148 ext 4\n(2025550149) 1-202-555-0150",
    ]
    found = 0
    for text in texts:
        expected = _whole_text_candidates(text)
        assert _reported_candidates(text) == expected, text
        found += bool(expected)
    assert found > 15  # the mixes do hold numbers (reported ones)


_TECHNICAL_PIECES = [
    *"0123456789" * 6,
    *" -.:,;|()+/\n\"'=x",
    "0",
    "1",
    "ts=",
    '"ts": ',
    "id ",
    "order ",
    "phone ",
    "tel: ",
    "Call ",
    "ms ",
    " INFO",
    "anna@example.com ",
    "Anna (",
    "phone,id\n",
    "ext. ",
    "1. ",
]

#: Read by the international prefix of some regions only, after the "+".
_PREFIX_AFTER_PLUS = (
    "Call +00 49 30 1234567 now, or +0049 30 1234567",
    "tel: +011 44 20 7946 0958 (from the US)",
    "+1-415-555-0199x12, +44 20 7946 0958 or +49.30.1234567",
)


def _numbers_as_phonenumbers_reads_them(texts: list[str]) -> int:
    """Assert that each of ``texts`` (and the prefix cases) reports the numbers of
    phonenumbers' own matchers, span and region alike; how many texts hold one."""
    found = 0
    for text in [*texts, *_PREFIX_AFTER_PLUS]:
        expected = _whole_text_candidates(text)
        assert _reported_candidates(text) == expected, text
        found += bool(expected)
    return found


@pytest.mark.parametrize("seed", range(4))
def test_candidates_passed_over_change_no_finding(seed: int) -> None:
    """Candidates no region could make a reported number of (bare ids, timestamps, short
    digit groups) are not parsed, yet the numbers reported are those of phonenumbers' own
    matchers, span and region alike: on random digit-dense mixes with cues, labels, time
    fields, e-mails, names and table headers."""
    rng = random.Random(100 + seed)
    texts = [
        "".join(rng.choice(_TECHNICAL_PIECES) for _ in range(rng.randint(10, 120)))
        for _ in range(300)
    ]
    assert _numbers_as_phonenumbers_reads_them(texts) > 20  # the mixes do hold numbers


def test_a_log_line_of_ids_is_not_parsed() -> None:
    """A stretch of bare ids, counts and a timestamp gives no region's matcher anything to
    parse, while a stretch with a phone cue does."""
    text = "ts=1717245296 pid 48213377 took 22813 ms, 466623510 rows\nphone 2125551234\n"
    matchers = _Matchers(text)
    first_line = text.index("\n")
    assert not matchers.worth_matching(0, first_line + 1)
    assert matchers.worth_matching(first_line, len(text))


_INTERNATIONAL_PIECES = [
    *"0123456789" * 4,
    *" -.()/\n",
    *["+", "+", "+", "\uff0b"],
    "+1 ",
    "+44 ",
    "+49 ",
    "+33 ",
    "+0",
    "+89",
    "+00 49 ",
    "+011 44 ",
    "+1-415-555-0199",
    "+44 20 7946 0958",
    "+49.30.1234567",
    "+33 1 47 68 71 78",
    "+31.6.12345678",
    "+91 98765 43210",
    " x12",
    " ext. 4",
    "1. ",
    "tel: ",
    "Call ",
]


@pytest.mark.parametrize("seed", range(2))
def test_numbers_with_a_country_code_read_once_change_no_finding(seed: int) -> None:
    """A number written with "+" and a known country code is parsed and judged once for
    every region, yet the numbers reported are those of phonenumbers' own matchers in each
    region, span and region alike: on random mixes of "+" numbers with dots, brackets,
    extensions, unknown or zero country codes and international prefixes after the "+"."""
    rng = random.Random(200 + seed)
    texts = [
        "".join(rng.choice(_INTERNATIONAL_PIECES) for _ in range(rng.randint(3, 40)))
        for _ in range(300)
    ]
    assert _numbers_as_phonenumbers_reads_them(texts) > 50  # the mixes do hold numbers


def test_a_number_with_a_country_code_is_parsed_once_for_all_regions(
    phones: RegionPhoneRecognizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """phonenumbers parses "+44 20 7946 0958" once, not once per configured region (ten
    by default): every region reads a number by its country code alike."""
    parsed: list[str] = []
    parse_and_verify = phonenumbers.PhoneNumberMatcher._parse_and_verify

    def counted(
        self: phonenumbers.PhoneNumberMatcher, candidate: str, offset: int
    ) -> phonenumbers.PhoneNumberMatch | None:
        parsed.append(candidate)
        return parse_and_verify(self, candidate, offset)

    monkeypatch.setattr(phonenumbers.PhoneNumberMatcher, "_parse_and_verify", counted)
    assert _spans(phones, "Call me on +44 20 7946 0958 tonight.") == ["+44 20 7946 0958"]
    assert parsed == ["+44 20 7946 0958"]
