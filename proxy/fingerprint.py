"""The data directory's fingerprint key, and :class:`Fingerprints` under it.

The fingerprints themselves (HMAC-SHA256 of a value, truncated) are :mod:`core.fingerprint`;
this module adds where their key rests: ``fingerprint.key`` in the data directory, created
0600 on first start, like the admin token.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from core import fingerprint as _core
from proxy.datadir import ensure_private_dir

KEY_FILE = "fingerprint.key"


class Fingerprints(_core.Fingerprints):
    """:class:`core.fingerprint.Fingerprints`, also loadable from a data directory."""

    @classmethod
    def existing(cls, data_dir: Path) -> Fingerprints:
        """The data directory's fingerprints; ``FileNotFoundError`` when it has no key yet
        (nothing was ever masked there). For readers, which must not create the key."""
        return cls(bytes.fromhex((data_dir / KEY_FILE).read_text(encoding="ascii").strip()))

    @classmethod
    def load(cls, data_dir: Path) -> Fingerprints:
        """The data directory's fingerprints, creating its key (0600) when missing."""
        return cls(ensure_key(data_dir / KEY_FILE))


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
