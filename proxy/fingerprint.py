"""Keyed fingerprints: how a sensitive value rests in the event log.

A span that a policy rule blocks, redacts or pseudonymises is stored as its type and a
keyed fingerprint, ``<AWS_SECRET_ACCESS_KEY:3f9a1c2b04de>``: the first hex digits of
HMAC-SHA256 of the value under a key kept in the data directory (``fingerprint.key``,
created 0600 on first start, like the admin token). The log then proves *what kind* of
value was sent and lets ``llm-proxy logs find-secret`` answer "was this value sent, and
when" without the log holding the value. Without the key, a fingerprint cannot be tested
against guesses (a plain hash of a card number could be, by trying every number).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from proxy.datadir import ensure_private_dir

KEY_FILE = "fingerprint.key"
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
    def ephemeral(cls) -> Fingerprints:
        """Fingerprints under a random key that lives as long as this object (tests, tools
        that never store anything)."""
        return cls(secrets.token_bytes(32))

    @classmethod
    def existing(cls, data_dir: Path) -> Fingerprints:
        """The data directory's fingerprints; ``FileNotFoundError`` when it has no key yet
        (nothing was ever masked there). For readers, which must not create the key."""
        return cls(bytes.fromhex((data_dir / KEY_FILE).read_text(encoding="ascii").strip()))

    @classmethod
    def load(cls, data_dir: Path) -> Fingerprints:
        """The data directory's fingerprints, creating its key (0600) when missing."""
        return cls(ensure_key(data_dir / KEY_FILE))

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


def ensure_key(path: Path) -> bytes:
    """Read the key file, creating it (0600, 32 random bytes as hex) when missing; its
    directory (the data directory) is made private either way."""
    ensure_private_dir(path.parent)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        text = ""
    if text:
        return bytes.fromhex(text)
    key = secrets.token_bytes(32)
    # O_EXCL: two processes starting at once must agree on one key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key
