"""Digit runs under a one-time-credential label are codes, not phone numbers."""

from __future__ import annotations

import pytest

from detectors.phones import RegionPhoneRecognizer
from detectors.settings import PiiSettings


@pytest.fixture(scope="module")
def phones() -> RegionPhoneRecognizer:
    """The phone recognizer over the default regions."""
    return RegionPhoneRecognizer(supported_regions=list(PiiSettings().phone_regions))


def _spans(recognizer: RegionPhoneRecognizer, text: str) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, ["PHONE_NUMBER"])]


@pytest.mark.parametrize(
    "text",
    [
        "backup codes: 0347 772039 316379",
        "Recovery codes: 0347 772039 316379",
        "2FA backup codes 1234-5678, 0347 772039 316379",
        "password: 0151 2345 6789",
    ],
)
def test_codes_after_a_credential_label_are_no_phone(
    phones: RegionPhoneRecognizer, text: str
) -> None:
    """A digit run after a backup/recovery-code or password label is not a phone number."""
    assert _spans(phones, text) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Mobil: 0151 2345 6789", "0151 2345 6789"),
        ("Password reset? Call 0151 2345 6789 now.", "0151 2345 6789"),
        ("Send the password to 0151 2345 6789 please.", "0151 2345 6789"),
        ("backup codes are in the safe.\nPhone: 0151 2345 6789", "0151 2345 6789"),
        ("pin: 1234, mobile: 0151 2345 6789", "0151 2345 6789"),
    ],
)
def test_phone_near_a_credential_word_is_still_found(
    phones: RegionPhoneRecognizer, text: str, number: str
) -> None:
    """A phone number that a credential word does not label is still found, exact span."""
    assert _spans(phones, text) == [number]
