"""Builders for synthetic secrets used by the detector tests (random, never real)."""

from __future__ import annotations

import base64
import json
import random
import string
import zlib

from detectors.checks import base62_encode

_ALNUM = string.ascii_letters + string.digits


def random_token(length: int, alphabet: str = _ALNUM, seed: int = 7) -> str:
    """A deterministic random string."""
    rng = random.Random(seed * 1000 + length)
    return "".join(rng.choice(alphabet) for _ in range(length))


def github_token(prefix: str = "ghp", seed: int = 7) -> str:
    """A classic GitHub token with a valid CRC32 checksum."""
    body = random_token(30, seed=seed)
    return f"{prefix}_{body}{base62_encode(zlib.crc32(body.encode()), 6)}"


def b64url(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_token(header: dict[str, object] | None = None, signature: str | None = None) -> str:
    """A compact JWT with the given header (default HS256) and a random signature."""
    head = b64url(json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps({"sub": "1234567890", "name": "Jane Roe"}).encode())
    sig = random_token(43, _ALNUM + "-_") if signature is None else signature
    return f"{head}.{body}.{sig}"
