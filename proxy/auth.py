"""Authenticate the caller: virtual key → identity, or pass-through of the caller's own key.

Pass-through mode (zero-config, no virtual keys yet) forwards the caller's provider key and
identifies the caller by a fingerprint of it: the key itself is never stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal

from multidict import CIMultiDictProxy

from proxy.errors import Unauthorized
from proxy.identity import Identity
from proxy.keys import KeyStore

#: Headers that carry credentials. They are never logged, recorded or forwarded as-is
#: (pass-through re-sends them only to the provider).
CREDENTIAL_HEADERS = frozenset({"authorization", "x-api-key", "api-key"})
PASSTHROUGH_TEAM = "passthrough"


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated call: who, and the credential headers to forward in pass-through."""

    identity: Identity
    #: In pass-through mode, the caller's credential headers (lower-case names).
    forward_credentials: tuple[tuple[str, str], ...] = ()


def presented_key(headers: CIMultiDictProxy[str]) -> str | None:
    """The key the caller presented: ``Authorization: Bearer``, ``x-api-key`` or ``api-key``."""
    auth = headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    for name in ("x-api-key", "api-key"):
        value = headers.get(name, "").strip()
        if value:
            return value
    return None


def fingerprint(key: str) -> str:
    """A stable, non-reversible id for a provider key (keyed so it cannot be looked up)."""
    # A keyed hash: a bare SHA-256 prefix of a provider key could be matched against a
    # leaked key list. The key is fixed so fingerprints stay stable across restarts.
    mac = hmac.new(b"llm-proxy passthrough fingerprint", key.encode("utf-8"), hashlib.sha256)
    return "pt-" + mac.hexdigest()[:16]


class Authenticator:
    """Turns request headers into a :class:`Caller` or raises 401."""

    def __init__(
        self, keys: KeyStore, mode: Literal["auto", "virtual_keys", "passthrough"]
    ) -> None:
        self._keys = keys
        self._mode = mode

    @property
    def passthrough(self) -> bool:
        """True while callers' own provider keys are forwarded."""
        if self._mode == "auto":
            return not self._keys.has_keys
        return self._mode == "passthrough"

    def authenticate(self, headers: CIMultiDictProxy[str]) -> Caller:
        key = presented_key(headers)
        if key is None:
            raise Unauthorized(
                "No API key provided. Send your key as 'Authorization: Bearer <key>'.",
                code="missing_api_key",
            )
        if self.passthrough:
            key_id = fingerprint(key)
            forwarded = tuple(
                (name, headers[name]) for name in sorted(CREDENTIAL_HEADERS) if name in headers
            )
            identity = Identity(
                user=key_id, team=PASSTHROUGH_TEAM, app="", key_id=key_id, passthrough=True
            )
            return Caller(identity=identity, forward_credentials=forwarded)
        entry = self._keys.lookup(key)
        if entry is None:
            raise Unauthorized("Invalid API key.", code="invalid_api_key")
        return Caller(identity=entry.identity())
