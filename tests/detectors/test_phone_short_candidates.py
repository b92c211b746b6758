"""Phone matchers do not parse a candidate too short to be a valid number, and find the same."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phonenumbers.phonemetadata import PhoneMetadata

from detectors.phones import (
    _SHORTEST_ANYWHERE,
    RegionPhoneRecognizer,
    _fewest_digits,
)
from detectors.settings import PiiSettings

REGIONS = PiiSettings().phone_regions
_TYPES = (
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.VOIP,
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
    phonenumbers.PhoneNumberType.PAGER,
    phonenumbers.PhoneNumberType.UAN,
    phonenumbers.PhoneNumberType.VOICEMAIL,
)
#: Pieces of short candidates: digits, the matcher's punctuation, plus signs, "x" marks.
_PIECES = [*"0123456789" * 3, *" -./()", "+", "\uff0b", "x", "00", "011", " ext "]


def _examples() -> list[phonenumbers.PhoneNumber]:
    numbers = [
        phonenumbers.example_number_for_type(region, kind)
        for region in phonenumbers.SUPPORTED_REGIONS
        for kind in _TYPES
    ]
    numbers += [
        phonenumbers.example_number_for_non_geo_entity(code)
        for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS
    ]
    return [n for n in numbers if n is not None and phonenumbers.is_valid_number(n)]


def _possible_lengths(region: str) -> tuple[int, ...]:
    """The national number lengths phonenumbers' metadata allows in ``region``."""
    metadata = PhoneMetadata.metadata_for_region(region)
    assert metadata is not None, region
    assert metadata.general_desc is not None, region
    return tuple(metadata.general_desc.possible_length)


def test_no_valid_example_number_is_shorter_than_the_bounds() -> None:
    """Every valid example number phonenumbers ships has at least the shortest length the
    matchers require, of its own region and of any."""
    examples = _examples()
    assert len(examples) > 500
    for number in examples:
        national = phonenumbers.national_significant_number(number)
        assert len(national) >= _SHORTEST_ANYWHERE, number
        region = phonenumbers.region_code_for_number(number)
        if region in REGIONS:
            assert len(national) >= _fewest_digits(region), number
    assert (
        min(n for region in phonenumbers.SUPPORTED_REGIONS for n in _possible_lengths(region))
        == _SHORTEST_ANYWHERE
    )


@pytest.mark.parametrize("region", REGIONS)
def test_a_candidate_below_the_bound_is_never_a_valid_match(region: str) -> None:
    """phonenumbers' own matcher (VALID leniency) accepts no random short candidate with
    fewer letters and digits than the bound the matchers skip by: "+" numbers, "00" and
    "011" prefixes, extensions and brackets alike."""
    rng = random.Random(region)
    tried = 0
    while tried < 1500:
        candidate = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 6)))
        plus = "+" in candidate or "\uff0b" in candidate
        bound = _SHORTEST_ANYWHERE if plus else _fewest_digits(region)
        if sum(ch.isalnum() for ch in candidate) >= bound:
            continue
        tried += 1
        matcher = phonenumbers.PhoneNumberMatcher(candidate, region)
        assert matcher._parse_and_verify(candidate, 0) is None, candidate


def test_short_inner_pieces_are_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pieces a matcher tries inside "0 41/7 12.3" ("0", "41/7", "3") are not parsed
    in regions whose numbers are longer, and the numbers found stay the same."""
    recognizer = RegionPhoneRecognizer(supported_regions=["US", "GB"])
    parsed: list[str] = []
    parse_and_verify = phonenumbers.PhoneNumberMatcher._parse_and_verify

    def counted(
        self: phonenumbers.PhoneNumberMatcher, candidate: str, offset: int
    ) -> phonenumbers.PhoneNumberMatch | None:
        parsed.append(candidate)
        return parse_and_verify(self, candidate, offset)

    monkeypatch.setattr(phonenumbers.PhoneNumberMatcher, "_parse_and_verify", counted)
    text = "Call me on 2125551234 (ext 12) or 0 41/7 12.3 tonight."
    found = [text[r.start : r.end] for r in recognizer.analyze(text, ["PHONE_NUMBER"])]
    assert found == ["2125551234 (ext 12)"]
    assert parsed
    assert all(sum(ch.isdigit() for ch in c) >= 6 for c in parsed), parsed
