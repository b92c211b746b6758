"""Checksum, structure and entropy checks used by the detectors."""

from __future__ import annotations

import pytest
from secret_samples import github_token, jwt_token

from detectors.checks import (
    b64url_decode,
    base62_encode,
    char_classes,
    github_token_checksum_valid,
    iban_valid,
    jwt_header_alg,
    jwt_valid,
    luhn_valid,
    shannon_entropy,
)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4111 1111 1111 1111", True),
        ("4111-1111-1111-1112", False),
        ("378282246310005", True),
        ("5555555555554444", True),
        ("1234", False),  # too short to be a card
    ],
)
def test_luhn(number: str, valid: bool) -> None:
    """The Luhn check accepts valid card numbers and ignores separators."""
    assert luhn_valid(number) is valid


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("DE89 3704 0044 0532 0130 00", True),
        ("GB82WEST12345698765432", True),
        ("GB82WEST12345698765433", False),
        ("DE89370400440532013000XX", False),
        ("not an iban", False),
    ],
)
def test_iban(iban: str, valid: bool) -> None:
    """IBANs are checked with mod 97 after moving the country code to the end."""
    assert iban_valid(iban) is valid


def test_base62_pads_to_width() -> None:
    """Base62 uses 0-9A-Za-z and pads with zeros."""
    assert base62_encode(0, 6) == "000000"
    assert base62_encode(61, 2) == "0z"
    assert base62_encode(62, 2) == "10"


def test_github_checksum_accepts_generated_token_and_rejects_typo() -> None:
    """A token with a correct CRC32 passes; changing one character fails it."""
    token = github_token()
    assert github_token_checksum_valid(token)
    typo = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    assert not github_token_checksum_valid(typo)
    assert not github_token_checksum_valid("ghp_short")


def test_jwt_checks() -> None:
    """JWTs need a JSON header with alg, a decodable payload and a fitting signature."""
    assert jwt_valid(jwt_token())
    assert jwt_header_alg(jwt_token().split(".")[0]) == "HS256"
    assert jwt_valid(jwt_token({"alg": "none"}, signature=""))
    assert not jwt_valid(jwt_token({"alg": "none"}))  # "none" with a signature
    assert not jwt_valid(jwt_token(signature="short"))
    assert not jwt_valid(jwt_token({"typ": "JWT"}))
    assert not jwt_valid("a.b")


def test_b64url_decode_rejects_impossible_lengths() -> None:
    """A base64url segment of length 4n+1 cannot be decoded."""
    assert b64url_decode("abcde") is None
    assert b64url_decode("aGk") == b"hi"


def test_entropy_and_classes() -> None:
    """Entropy is bits per character; classes count lower, upper, digits, other."""
    assert shannon_entropy("") == 0.0
    assert shannon_entropy("aaaa") == 0.0
    assert shannon_entropy("abcd") == pytest.approx(2.0)
    assert char_classes("aB3-") == 4
    assert char_classes("abc") == 1
