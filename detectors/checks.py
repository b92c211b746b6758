"""Validation functions that turn a pattern match into a confident finding.

Pure functions over strings: checksums (Luhn, IBAN mod 97, GitHub token CRC32), JWT
structure, Shannon entropy. Each returns False rather than raising on malformed input.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import string
import zlib
from collections import Counter

_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def luhn_valid(candidate: str) -> bool:
    """True if the digits of ``candidate`` (separators ignored) pass the Luhn check."""
    digits = [int(ch) for ch in candidate if ch.isdigit() and ch.isascii()]
    if len(digits) < 12:
        return False
    total = 0
    for index, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if index % 2 == 1 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


# (first digits from, to, inclusive; lengths; issuer), most specific first: the IIN ranges
# the card networks publish. Maestro's 50 and 56-69 cover every length from 12 to 19.
_CARD_RANGES: tuple[tuple[int, int, frozenset[int], str], ...] = (
    (2200, 2204, frozenset(range(16, 20)), "mir"),
    (2221, 2720, frozenset({16}), "mastercard"),
    (3000, 3059, frozenset(range(14, 20)), "diners"),
    (3095, 3095, frozenset(range(14, 20)), "diners"),
    (3400, 3499, frozenset({15}), "amex"),
    # JCB's published range is 3528-3589; the rest of 35 is unassigned, and generators
    # (Faker) and test-card lists use it, so it is read as JCB too.
    (3500, 3599, frozenset(range(16, 20)), "jcb"),
    (3600, 3699, frozenset(range(14, 20)), "diners"),
    (3700, 3799, frozenset({15}), "amex"),
    (3800, 3999, frozenset(range(14, 20)), "diners"),
    (4000, 4999, frozenset({13, 16, 19}), "visa"),
    (5000, 5099, frozenset(range(12, 20)), "maestro"),
    (5100, 5599, frozenset({16}), "mastercard"),
    (5600, 6999, frozenset(range(12, 20)), "maestro/discover/unionpay"),
    (1000, 1999, frozenset({15}), "uatp"),  # 1800: JCB's 15-digit range in this block
    (2131, 2131, frozenset({15}), "jcb"),  # JCB's older 15-digit range
    (604, 604, frozenset(range(12, 20)), "maestro"),  # 0604: listed for Maestro by validators
)


def card_issuer(digits: str) -> str | None:
    """The card network whose prefix and length ``digits`` has, or None.

    Only the layout is checked (see :func:`luhn_valid` for the check digit).
    """
    if not (12 <= len(digits) <= 19 and digits.isascii() and digits.isdigit()):
        return None
    prefix = int(digits[:4])
    for low, high, lengths, issuer in _CARD_RANGES:
        if low <= prefix <= high:
            return issuer if len(digits) in lengths else None
    return None


#: Card lengths reported without a card word nearby (see :mod:`detectors.cards`).
COMMON_CARD_LENGTHS = frozenset({15, 16})
#: Characters after a number read for a card word (``detectors.cards.card_context``): a
#: stream holds a number that needs one until they have arrived
#: (``policies.holdback.open_odd_card``). Here, not in :mod:`detectors.cards`, so that the
#: hold-back reads it without importing Presidio (and spaCy) into ``proxy.app``.
CARD_WORD_AFTER_CHARS = 24
#: Separators of a table's fields: a number on a row under a header is read with the card
#: word of its column (``detectors.cards.column_header``), which its whole line decides (a
#: field more or less is another column), so a stream holds it until the line has ended.
CARD_ROW_SEPARATORS = (",", "\t", "|", ";")
#: Characters after a bare digit run read for a contact word that makes it a phone number
#: (``detectors.phones``: " (mobile)", "/office", the character after the word too), and
#: for a time word that makes it a timestamp instead ("2125551234 seconds"): a stream holds
#: such a run until they have arrived (``policies.holdback.open_bare_digits``).
PHONE_CUE_AFTER_CHARS = 9
PHONE_TIME_AFTER_CHARS = 16
#: An extension in parentheses after a phone number, which phonenumbers leaves out and
#: ``detectors.phones`` adds to the number's span ("202-555-0147 (ext. 311)"); and how far
#: after the number it reads, its longest match (" (extension.: 123456)"): a stream holds
#: the number while one may still be being written (``policies.holdback.open_extension``).
PAREN_EXTENSION = re.compile(r" ?\((?:ext|extn|extension|x)\.?:? ?\d{1,6}\)", re.I)
PHONE_EXTENSION_AFTER_CHARS = 21


def valid_card_digits(digits: str) -> bool:
    """True if ``digits`` have a card issuer's prefix and length and pass Luhn."""
    return card_issuer(digits) is not None and luhn_valid(digits)


def needs_card_word(digits: str) -> bool:
    """Whether a card of ``digits`` is reported only with a card word nearby (the lengths
    other than 15 and 16)."""
    return len(digits) not in COMMON_CARD_LENGTHS


def iban_valid(candidate: str) -> bool:
    """True if ``candidate`` (spaces ignored) is an IBAN whose mod-97 check holds."""
    compact = "".join(candidate.split()).upper()
    if not (15 <= len(compact) <= 34) or not compact.isascii() or not compact.isalnum():
        return False
    if not (compact[:2].isalpha() and compact[2:4].isdigit()):
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


def base62_encode(number: int, width: int) -> str:
    """``number`` in base 62 (0-9, A-Z, a-z), left-padded with zeros to ``width``."""
    digits: list[str] = []
    while number:
        number, rest = divmod(number, 62)
        digits.append(_BASE62[rest])
    return "".join(reversed(digits)).rjust(width, "0")


def github_token_checksum_valid(token: str) -> bool:
    """True if a classic GitHub token (``ghp_`` + 30 random + 6 checksum) is well formed.

    GitHub's token format (2021) ends with the CRC32 of the 30 random characters, base62
    encoded and zero-padded to six characters: a typo or an invented token fails it.
    """
    prefix, _, body = token.partition("_")
    if len(prefix) != 3 or len(body) != 36 or not body.isascii() or not body.isalnum():
        return False
    random_part, checksum = body[:30], body[30:]
    return base62_encode(zlib.crc32(random_part.encode("ascii")), 6) == checksum


def b64url_decode(segment: str) -> bytes | None:
    """Decode unpadded base64url, or None if ``segment`` is not valid base64url."""
    if len(segment) % 4 == 1:
        return None
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        return None


def jwt_header_alg(header: str) -> str | None:
    """The ``alg`` of a JWT header segment, or None if it is not a JSON object with one."""
    raw = b64url_decode(header)
    if raw is None:
        return None
    try:
        decoded = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(decoded, dict):
        return None
    alg = decoded.get("alg")
    return alg if isinstance(alg, str) and alg else None


def jwt_valid(token: str) -> bool:
    """True if ``token`` is a compact JWS: JSON header with ``alg``, decodable payload,
    and a signature unless ``alg`` is ``none``."""
    parts = token.split(".")
    if len(parts) != 3:
        return False
    header, payload, signature = parts
    alg = jwt_header_alg(header)
    if alg is None or b64url_decode(payload) is None:
        return False
    if alg.lower() == "none":
        return signature == ""
    return len(signature) >= 16 and b64url_decode(signature) is not None


def shannon_entropy(value: str) -> float:
    """Shannon entropy of ``value`` in bits per character (0.0 for the empty string)."""
    if not value:
        return 0.0
    length = len(value)
    return -sum(n / length * math.log2(n / length) for n in Counter(value).values())


def char_classes(value: str) -> int:
    """How many of lowercase, uppercase, digits and other characters ``value`` uses."""
    return sum(
        (
            any(ch.islower() for ch in value),
            any(ch.isupper() for ch in value),
            any(ch.isdigit() for ch in value),
            any(not ch.isalnum() for ch in value),
        )
    )
