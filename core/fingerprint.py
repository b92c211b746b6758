"""Keyed fingerprints: how a sensitive value rests in the event log.

A span that a policy rule blocks, redacts or pseudonymises is stored as its type and a
keyed fingerprint, ``<AWS_SECRET_ACCESS_KEY:3f9a1c2b04de>``: the first hex digits of
HMAC-SHA256 of the value under a key kept in the data directory (``proxy.fingerprint``
loads it). The log then proves *what kind* of value was sent and lets ``llm-proxy logs
find-secret`` answer "was this value sent, and when" without the log holding the value.
Without the key, a fingerprint cannot be tested against guesses (a plain hash of a card
number could be, by trying every number).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Self

#: Hex digits kept of the HMAC: 48 bits, so unrelated values practically never collide.
FINGERPRINT_HEX = 12


class Fingerprints:
    """Computes fingerprints under one key. Holds the key: its ``repr`` never shows it."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("a fingerprint key needs at least 16 bytes")
        self._key = key

    def __repr__(self) -> str:
        return "<Fingerprints>"

    @classmethod
    def ephemeral(cls) -> Self:
        """Fingerprints under a random key that lives as long as this object (tests, tools
        that never store anything)."""
        return cls(secrets.token_bytes(32))

    def of(self, value: str) -> str:
        """The fingerprint of ``value``: truncated hex HMAC-SHA256."""
        digest = hmac.new(self._key, value.encode("utf-8", "surrogatepass"), hashlib.sha256)
        return digest.hexdigest()[:FINGERPRINT_HEX]

    def mask(self, entity_type: str, value: str) -> str:
        """What ``value`` is stored as: ``<ENTITY_TYPE:fingerprint>``."""
        return f"<{entity_type}:{self.of(value)}>"

    def marker(self, value: str) -> str:
        """The part of every mask of ``value`` that does not depend on its type: the
        substring to search the stored texts for."""
        return f":{self.of(value)}>"

    def markers(self, pasted: str) -> list[str]:
        """The markers to search for a value as a person pastes it: as given, without a
        trailing newline, and without surrounding blanks (a key file ends with a newline
        its detected span does not hold). Empty when ``pasted`` is blank."""
        forms = dict.fromkeys((pasted, pasted.rstrip("\r\n"), pasted.strip()))
        return [self.marker(form) for form in forms if form.strip()]
