"""A count of a limit ("api-usage=70674/15000") is no phone number; a number written with
its area code before a slash ("0151/23456789") still is (h182, :mod:`detectors.phones`)."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector


def _phones(pii: PresidioDetector, text: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PHONE_NUMBER"]


@pytest.mark.parametrize(
    "text",
    [
        "   Sforce-Limit-Info: api-usage=70674/15000\n   X-Request-Id: 4f2a",
        "quota used 73815/15000 today",
        "rate limit 1234567/86400000 reached",
    ],
)
def test_a_count_of_a_limit_is_no_phone(pii: PresidioDetector, text: str) -> None:
    """Two digit runs around a slash, the first without a trunk 0, name no phone."""
    assert _phones(pii, text) == []


def test_an_area_code_before_a_slash_is_still_a_phone(pii: PresidioDetector) -> None:
    """A number with its trunk 0, area code and number around a slash, is one phone."""
    assert _phones(pii, "Tel. 0151/23456789") == ["0151/23456789"]
