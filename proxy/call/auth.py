"""Authenticate the caller: virtual key → identity, or pass-through of the caller's own key.

Pass-through mode (zero-config, no virtual keys yet) forwards the caller's provider key and
identifies the caller by a fingerprint of it: the key itself is never stored or logged.

In ``auto`` mode pass-through lasts only until the first virtual key appears. From then on
the proxy requires virtual keys for good: the fact is kept in memory and in a marker file in
the data directory, so neither emptying or deleting the keys file nor a restart reopens
access. With no active key left every call gets 401 (logged, and
``llm_proxy_auth_lockout`` is 1). Only ``auth.mode: passthrough`` goes back.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import structlog
from multidict import CIMultiDictProxy

from core.identity import Identity
from proxy.config.keys import KEY_PREFIX, KeyEntry, KeySet, KeyStore
from proxy.errors import Unauthorized
from proxy.metrics import Metrics

log = structlog.get_logger("llm_proxy")

#: Headers that carry credentials. They are never logged, recorded or forwarded as-is
#: (pass-through re-sends them only to the provider).
CREDENTIAL_HEADERS = frozenset({"authorization", "x-api-key", "api-key"})
_CREDENTIAL_ORDER = tuple(sorted(CREDENTIAL_HEADERS))
PASSTHROUGH_TEAM = "passthrough"
#: Identities the authenticator keeps made, per pass-through key and per virtual key.
IDENTITIES_KEPT = 4096
#: In the data directory: virtual keys have been in use, ``auto`` never returns to pass-through.
KEYS_REQUIRED_MARKER = "virtual-keys-required"


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
    """Turns request headers into a :class:`Caller` or raises 401.

    ``data_dir`` is where the fact that virtual keys have been in use is recorded (the
    :data:`KEYS_REQUIRED_MARKER` file); without it the fact lasts as long as the process.
    With ``metrics`` it keeps ``virtual_keys_active`` and ``auth_lockout`` current.
    """

    def __init__(
        self,
        keys: KeyStore,
        mode: Literal["auto", "virtual_keys", "passthrough"],
        *,
        data_dir: Path | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._keys = keys
        self._mode = mode
        self._marker = data_dir / KEYS_REQUIRED_MARKER if data_dir is not None else None
        self._keys_required = self._marker is not None and self._marker.exists()
        self._locked_out = False
        self._passthrough_identities: dict[bytes, Identity] = {}
        # By id() of the key entry, the entry itself kept beside its caller so that the
        # id cannot be reused while its slot is here; a reload brings new entries. A virtual
        # key's caller forwards no credential: one object serves each of its calls.
        self._key_callers: dict[int, tuple[KeyEntry, Caller]] = {}
        if metrics is not None:
            metrics.virtual_keys_active.set_function(keys.active_count)
            metrics.auth_lockout.set_function(lambda: float(self.locked_out))
        keys.on_reload(self._key_set_changed)
        self._key_set_changed()

    @property
    def passthrough(self) -> bool:
        """True while callers' own provider keys are forwarded."""
        return self.passthrough_with(self._keys.current)

    def passthrough_with(self, keys: KeySet) -> bool:
        """True when a call holding ``keys`` in its snapshot forwards the caller's own key."""
        if self._mode == "auto":
            return not (self._keys_required or keys.has_keys)
        return self._mode == "passthrough"

    @property
    def locked_out(self) -> bool:
        """True while virtual keys are required but none is active: every call gets 401."""
        return not self.passthrough and self._keys.active_count() == 0

    def _key_set_changed(self) -> None:
        """After each keys reload: latch virtual-key mode, and log entering or leaving a
        lockout (no key material: counts and the file's path only)."""
        if self._keys.has_keys and not self._keys_required:
            self._keys_required = True
            self._record_keys_required()
        locked_out = self.locked_out
        if locked_out and not self._locked_out:
            log.error(
                "virtual_keys_none_active",
                keys_file=str(self._keys.path),
                keys_in_file=len(self._keys),
                detail="every call is refused with 401 until a key is created or enabled "
                "('llm-proxy keys create|enable'); only 'auth.mode: passthrough' in the "
                "configuration returns to forwarding callers' own provider keys",
            )
        elif self._locked_out and not locked_out:
            log.info("virtual_keys_active_again", active=self._keys.active_count())
        self._locked_out = locked_out

    def _record_keys_required(self) -> None:
        if self._marker is None or self._mode == "passthrough":
            return
        since = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            self._marker.parent.mkdir(parents=True, exist_ok=True)
            self._marker.write_text(
                f"Virtual keys in use since {since}. While this file exists, auth.mode 'auto'\n"
                "refuses calls without a virtual key even if the keys file is emptied or\n"
                "deleted. Set 'auth.mode: passthrough' to forward callers' own keys again.\n",
                encoding="utf-8",
            )
        except OSError as exc:
            # The latch still holds in memory; only a restart with no keys would lose it.
            log.error(
                "keys_marker_write_failed", marker=str(self._marker), error=exc.strerror or ""
            )
            return
        log.info("virtual_keys_required", marker=str(self._marker))

    def authenticate(self, headers: CIMultiDictProxy[str], keys: KeySet) -> Caller:
        """The caller, authenticated against ``keys`` (those of the call's snapshot)."""
        key = presented_key(headers)
        if key is None:
            raise Unauthorized(
                "No API key provided. Send your key as 'Authorization: Bearer <key>'.",
                code="missing_api_key",
            )
        if self.passthrough_with(keys):
            if key.startswith(KEY_PREFIX):
                # One of our virtual keys, not yet (or no longer) known here: no provider
                # would accept it, and forwarding it would hand our credential to one.
                raise Unauthorized(
                    "This virtual key is not known to the proxy. If it was just created, "
                    "retry in a few seconds.",
                    code="invalid_api_key",
                )
            # A loop, not a generator expression (a frame a call) nor filter/map over the
            # headers' methods (slower still: h215 timed 1.3, 3.0 and 7 us).
            forwarded: list[tuple[str, str]] = []
            for name in _CREDENTIAL_ORDER:
                if name in headers:
                    forwarded.append((name, headers[name]))
            return Caller(self._passthrough_identity(key), tuple(forwarded))
        entry = keys.lookup(key)
        if entry is None:
            raise Unauthorized("Invalid API key.", code="invalid_api_key")
        known = self._key_callers.get(id(entry))
        if known is None or known[0] is not entry:
            if len(self._key_callers) >= IDENTITIES_KEPT:
                self._key_callers.clear()
            known = self._key_callers[id(entry)] = (entry, Caller(entry.identity()))
        return known[1]

    def _passthrough_identity(self, key: str) -> Identity:
        """The identity of a pass-through caller presenting ``key``, made once per key: the
        fingerprint is an HMAC, and the same identity object lets the policy engine find
        its cached rule selection at once. Kept by a digest of the key, never the key."""
        # By a digest: the cache must not keep callers' provider keys in memory.
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()
        identity = self._passthrough_identities.get(digest)
        if identity is None:
            key_id = fingerprint(key)
            identity = Identity(
                user=key_id, team=PASSTHROUGH_TEAM, app="", key_id=key_id, passthrough=True
            )
            if len(self._passthrough_identities) >= IDENTITIES_KEPT:
                self._passthrough_identities.clear()
            self._passthrough_identities[digest] = identity
        return identity
