"""E-mail addresses as a request carries them: URL-encoded in a form body or query string
(``ann%40corp.io``) an address is found over its encoded form; an "@" with no domain after
it, as in a map link's ``/place/@48.85,2.29``, is none (issue 14, found on tuning9)."""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.pii import PresidioDetector


def _emails(pii: PresidioDetector, text: str) -> list[str]:
    (findings,) = pii.scan([text])
    return [text[f.start : f.end] for f in findings if f.entity_type == E.EMAIL_ADDRESS]


ENCODED = [  # (text before, the address, text after)
    ("username=", "john82%40example.com", "&password=x&remember=1"),
    ("GET /reset?email=", "sliusarparmen%40example.net", "&token=abc HTTP/1.1"),
    ("subscribe?list=news&email=", "a.tanaka+news%40mail.example.co.jp", "&lang=en"),
    ("mailto:", "ann%40corp.io", "?subject=Hello"),
]


@pytest.mark.parametrize(("before", "address", "after"), ENCODED)
def test_url_encoded_address_is_found_exactly(
    pii: PresidioDetector, before: str, address: str, after: str
) -> None:
    """An address whose "@" a form or query string encoded as %40 is one e-mail finding over
    exactly the encoded address, not the parameter's name."""
    assert _emails(pii, before + address + after) == [address]


QUIET = [
    "https://www.google.com/maps/place/@0.0456,-19.230550006030455,15z/data=!3m1!4b1",
    "https://www.google.com/maps/@48.8584,2.2945,17z",
    "q=foo%40bar&x=1",
    "user%40localhost and build%40v2",
    "release notes: pkg%40{version}",
]


@pytest.mark.parametrize("text", QUIET)
def test_at_signs_without_a_domain_are_no_address(pii: PresidioDetector, text: str) -> None:
    """A map link's "@" before coordinates, and an encoded "@" before no public domain,
    give no e-mail finding."""
    assert _emails(pii, text) == []
