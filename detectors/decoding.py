"""Long base64 and hex runs in a text, and the text they decode to.

``echo "$creds" | base64`` hides a credential from every pattern detector while any model
reads it back without effort. :func:`decoded_runs` finds runs of at least
:data:`MIN_BASE64_CHARS` base64 / base64url characters (:data:`MIN_HEX_CHARS` for hex),
including base64 wrapped over several lines of equal width, and yields those that decode to
mostly printable UTF-8 text: a secret in that text is reported over the whole run.

Binary payloads (images, compressed data, hashes, DER keys - see :mod:`detectors.keys`)
decode to unprintable bytes and are skipped. The work is bounded per text: at most
:data:`MAX_RUNS` runs are examined and :data:`MAX_DECODED_CHARS` characters decoded in all;
what lies beyond is not decoded.
"""

from __future__ import annotations

import base64
import binascii
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

MIN_BASE64_CHARS = 32
MIN_HEX_CHARS = 40
#: Wrapped base64 (PEM, MIME, ``base64`` output) continues only after lines this long.
MIN_WRAP_WIDTH = 40
MAX_RUNS = 256
MAX_DECODED_CHARS = 256 * 1024
#: Share of printable characters (whitespace included) for decoded bytes to count as text.
MIN_PRINTABLE = 0.9
_SAMPLE_CHARS = 512  # printability is judged on the start of the decoded text

_RUN = re.compile(rf"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{{{MIN_BASE64_CHARS},}}={{0,2}}")
# A further line of wrapped base64: a real or JSON-escaped line break, optional indentation.
_NEXT_LINE = re.compile(r"(?:\r?\n|\\(?:r\\)?n)[ \t]*([A-Za-z0-9+/]+={0,2})(?![A-Za-z0-9+/_-])")
_HEX = frozenset(string.hexdigits)
_URLSAFE = str.maketrans("-_", "+/")
_WHITESPACE_AS_SPACE = str.maketrans("\t\n\r", "   ")


@dataclass(frozen=True, slots=True)
class EncodedRun:
    """``text[start:end]`` is an encoded run; ``payload`` its characters without line breaks."""

    start: int
    end: int
    payload: str


@dataclass(frozen=True, slots=True)
class DecodedRun:
    """A run that decodes to text."""

    start: int
    end: int
    text: str


def _continues(line: str, width: int, before: int) -> bool:
    """Whether ``line`` continues a block wrapped at ``width`` after ``before`` characters.

    A full-width line does. A shorter one ends the block, and is taken only if it makes the
    block whole (padded base64 is a multiple of 4 long) and does not read as a word: a
    sign-off such as "Thanks" after a 64-character key body is not part of it.
    """
    if len(line) == width:
        return True
    if len(line) > width or (before + len(line)) % 4:
        return False
    return len(line) >= 16 or not _reads_as_word(line)


def _reads_as_word(line: str) -> bool:
    """ "Thanks", "thanks", "THANKS" - not "IrpaMFaqkKrg", which base64 tails often are."""
    return line.isalpha() and (line.islower() or line.isupper() or line.istitle())


def encoded_runs(text: str) -> Iterator[EncodedRun]:
    """Runs of base64/base64url/hex characters long enough to hide a secret, in order."""
    consumed = 0  # the end of the last run: its further lines are not runs of their own
    for match in _RUN.finditer(text):
        start, first = match.start(), match.group()
        if start < consumed:
            continue
        if start and text[start - 1] == "\\" and first[0] in "nrt":
            start, first = start + 1, first[1:]  # the letter of a JSON escape such as \n
            if len(first) < MIN_BASE64_CHARS:
                continue
        lines = [first]
        end = match.end()
        width = len(first)
        # Continue a wrapped block: every line but the last has the first line's width.
        while width >= MIN_WRAP_WIDTH and "=" not in lines[-1] and len(lines[-1]) == width:
            line = _NEXT_LINE.match(text, end)
            if line is None or not _continues(line.group(1), width, len(first) * len(lines)):
                break
            lines.append(line.group(1))
            end = line.end()
        consumed = end
        yield EncodedRun(start, end, "".join(lines))


def _base64_bytes(payload: str) -> bytes | None:
    body = payload.rstrip("=")
    urlsafe = "-" in body or "_" in body
    if urlsafe and ("+" in body or "/" in body):
        return None  # two alphabets mixed: not base64
    if urlsafe:
        body = body.translate(_URLSAFE)
    body = body[: len(body) - len(body) % 4] if len(body) % 4 == 1 else body
    try:
        return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _hex_bytes(payload: str) -> bytes | None:
    if len(payload) < MIN_HEX_CHARS or len(payload) % 2 or not _HEX.issuperset(payload):
        return None
    return bytes.fromhex(payload)


def as_text(data: bytes) -> str | None:
    """``data`` as UTF-8 text if it is mostly printable, else None (binary)."""
    decoded = data.decode("utf-8", errors="replace")
    sample = decoded[:_SAMPLE_CHARS].translate(_WHITESPACE_AS_SPACE)
    if not sample:
        return None
    printable = sum(map(str.isprintable, sample)) - sample.count("\ufffd")
    return decoded if printable >= MIN_PRINTABLE * len(sample) else None


def decode_payload(payload: str, limit: int = MAX_DECODED_CHARS) -> str | None:
    """The text that ``payload`` (hex, else base64) decodes to, or None.

    At most ``limit`` characters of the payload are decoded.
    """
    payload = payload[:limit]
    for decode in (_hex_bytes, _base64_bytes):
        data = decode(payload)
        if data:
            text = as_text(data)
            if text is not None:
                return text
    return None


def decoded_runs(text: str) -> Iterator[DecodedRun]:
    """The encoded runs of ``text`` that decode to text, within the module's bounds."""
    budget = MAX_DECODED_CHARS
    for examined, run in enumerate(encoded_runs(text)):
        if examined >= MAX_RUNS or budget <= 0:
            return
        decoded = decode_payload(run.payload, budget)
        budget -= min(len(run.payload), budget)
        if decoded is not None:
            yield DecodedRun(run.start, run.end, decoded)
