"""Virtual keys: issued to callers, stored hashed in a YAML keys file that hot-reloads.

A key looks like ``llmp_<id>_<secret>``. The id is public (it is logged as ``key_id``); the
file keeps only the SHA-256 of the whole key. Keys are 190 random bits, so a fast hash is
enough: there is nothing to brute-force. Lookup goes by id, then the digests are compared in
constant time.

Entries are never deleted by the tools: a key is ``active``, ``disabled`` (reversible) or
``revoked`` (permanent, with the time), so the file keeps the audit trail of every key it
ever held. Files written before statuses existed (``disabled: true|false``) still load.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.filewatch import FileWatch
from core.identity import Identity
from proxy.config.settings import RateLimit

KEY_PREFIX = "llmp_"
ID_BYTES = 6
SECRET_BYTES = 24

#: What the keys file records about a key.
KeyStatus = Literal["active", "disabled", "revoked"]
#: What a key is at a given moment: its status, or ``expired`` once a rotation's grace ended.
KeyState = Literal["active", "disabled", "revoked", "expired"]


def utc_now() -> datetime:
    return datetime.now(UTC)


class KeyEntry(BaseModel):
    """One virtual key as stored in the keys file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[0-9a-f]{12}$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    user: str = Field(min_length=1)
    team: str = Field(min_length=1)
    app: str = ""
    #: Models this key may use; empty means all approved models.
    models: tuple[str, ...] = ()
    limits: RateLimit | None = None
    status: KeyStatus = "active"
    created: str = ""
    #: When the key was disabled; cleared when it is enabled again.
    disabled_at: AwareDatetime | None = None
    #: When the key was revoked. Revocation is permanent.
    revoked_at: AwareDatetime | None = None
    #: The key is refused from this time on (the end of a rotation's grace period).
    expires_at: AwareDatetime | None = None
    #: Rotation trail: the key this one replaced, and the key that replaced this one.
    rotated_from: str | None = None
    rotated_to: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _legacy_disabled_flag(cls, data: Any) -> Any:
        """Before statuses, a key was switched off with ``disabled: true``: still honoured
        (it can only make a key less usable), and written back as ``status``."""
        if isinstance(data, dict) and "disabled" in data:
            data = dict(data)
            disabled = data.pop("disabled")
            if not isinstance(disabled, bool):
                raise ValueError("'disabled' must be true or false")
            if disabled and data.get("status", "active") == "active":
                data["status"] = "disabled"
        return data

    def state(self, now: datetime) -> KeyState:
        if self.status == "active" and self.expires_at is not None and now >= self.expires_at:
            return "expired"
        return self.status

    def identity(self) -> Identity:
        return Identity(
            user=self.user,
            team=self.team,
            app=self.app,
            key_id=self.id,
            allowed_models=frozenset(self.models) if self.models else None,
        )


class KeysFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    keys: tuple[KeyEntry, ...] = ()


class KeysFileError(Exception):
    """The keys file cannot be read or is invalid; ``str()`` is one line per problem."""


class KeyChangeError(Exception):
    """A change to one key cannot be made (unknown id, revoked key); ``str()`` says why."""


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_key_id(key: str) -> str | None:
    """The id part of a well-formed virtual key, else ``None``."""
    if not key.startswith(KEY_PREFIX):
        return None
    key_id, sep, secret = key[len(KEY_PREFIX) :].partition("_")
    if not sep or len(key_id) != 2 * ID_BYTES or not secret:
        return None
    return key_id


def read_keys_file(path: Path) -> KeysFile:
    """Parse the keys file; a missing file is an empty one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return KeysFile()
    except OSError as exc:
        raise KeysFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        # Must be a KeysFileError: the hot-reload watcher catches only that, and any other
        # exception would end the watcher for good.
        raise KeysFileError(
            f"{path}: not UTF-8 text (invalid byte at offset {exc.start})"
        ) from None
    try:
        raw: Any = yaml.safe_load(text) or {}
        keys_file = KeysFile.model_validate(raw)
    except yaml.YAMLError as exc:
        # str(exc) spans several lines (it quotes the source); keep one line per problem.
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise KeysFileError(f"{path}: {where}invalid YAML: {problem}") from None
    except ValidationError as exc:
        lines = [
            f"{path}: {'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}"
            for e in exc.errors()
        ]
        raise KeysFileError("\n".join(lines)) from None
    ids = [k.id for k in keys_file.keys]
    if len(ids) != len(set(ids)):
        raise KeysFileError(f"{path}: duplicate key ids")
    return keys_file


# --- the running proxy's view ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeySet:
    """The keys of one version of the keys file, immutable: a reload builds a new one, and a
    call authenticates against the set in its configuration snapshot."""

    by_id: Mapping[str, KeyEntry] = field(default_factory=lambda: MappingProxyType({}))
    clock: Callable[[], datetime] = utc_now

    @classmethod
    def of(cls, keys_file: KeysFile, clock: Callable[[], datetime] = utc_now) -> KeySet:
        return cls(MappingProxyType({entry.id: entry for entry in keys_file.keys}), clock)

    @property
    def has_keys(self) -> bool:
        """True when the file lists any key, in whatever status: revoked and disabled
        entries count, so a file that held keys never reads as "no keys configured"."""
        return bool(self.by_id)

    def __len__(self) -> int:
        return len(self.by_id)

    def active_count(self) -> int:
        """Keys that authenticate now (not disabled, revoked or expired)."""
        now = self.clock()
        return sum(1 for entry in self.by_id.values() if entry.state(now) == "active")

    def next_expiry(self) -> datetime | None:
        """The next time an active key's grace period ends: the key set changes then."""
        now = self.clock()
        return min(
            (
                entry.expires_at
                for entry in self.by_id.values()
                if entry.state(now) == "active" and entry.expires_at is not None
            ),
            default=None,
        )

    def entry(self, key_id: str) -> KeyEntry | None:
        return self.by_id.get(key_id)

    def entries(self) -> tuple[KeyEntry, ...]:
        return tuple(self.by_id.values())

    def lookup(self, key: str) -> KeyEntry | None:
        """The active entry for ``key``, or ``None``. Constant-time digest comparison."""
        key_id = parse_key_id(key)
        entry = self.by_id.get(key_id) if key_id else None
        if entry is None or entry.status != "active":
            return None
        if not hmac.compare_digest(entry.sha256, digest(key)):
            return None
        if entry.expires_at is not None and self.clock() >= entry.expires_at:
            return None
        return entry


class KeyStore:
    """The keys file, read into a :class:`KeySet` (``current``) whenever it changes.

    A reload that fails keeps the previous keys and reports the error to the caller of
    :meth:`reload`; it never leaves the proxy with no keys because of a typo. Listeners
    added with :meth:`on_reload` run after every successful reload (the proxy's puts the
    new set in its configuration snapshot).
    """

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.path = path
        self._clock = clock
        self.current = KeySet(clock=clock)
        self._file = FileWatch(path)
        #: The next time an active key's grace period ends: the key set changes then.
        self._next_expiry: datetime | None = None
        self._listeners: list[Callable[[], object]] = []
        # Off-loop reloads apply in the order they read the file.
        self._reloading = asyncio.Lock()

    # Views of the current set, for code outside a call (admin API, metrics, CLI, tests).
    @property
    def has_keys(self) -> bool:
        return self.current.has_keys

    def __len__(self) -> int:
        return len(self.current)

    def active_count(self) -> int:
        # Reads one set: /metrics calls this from a thread while a reload may swap it.
        return self.current.active_count()

    def entry(self, key_id: str) -> KeyEntry | None:
        return self.current.entry(key_id)

    def entries(self) -> tuple[KeyEntry, ...]:
        return self.current.entries()

    def lookup(self, key: str) -> KeyEntry | None:
        return self.current.lookup(key)

    def on_reload(self, listener: Callable[[], object]) -> None:
        self._listeners.append(listener)

    def changed(self) -> bool:
        """True when the file changed, or a grace period ended, since the last reload."""
        expiry = self._next_expiry
        if expiry is not None and self._clock() >= expiry:
            return True
        return self._file.changed()

    def read(self) -> KeySet:
        """Parse the file into a new set (blocking I/O and YAML parsing: run it off the
        event loop in a running proxy). Raises :class:`KeysFileError`."""
        self._file.mark()  # a bad file is reported once, not at every check
        return KeySet.of(read_keys_file(self.path), self._clock)

    def use(self, keys: KeySet) -> None:
        """Make ``keys`` the current set and tell the listeners."""
        self.current = keys
        self._next_expiry = keys.next_expiry()
        for listener in self._listeners:
            listener()

    def reload(self) -> None:
        """Read the file now. Raises :class:`KeysFileError` and keeps the old keys on error."""
        self.use(self.read())

    async def reload_off_loop(self) -> None:
        """:meth:`reload`, with the file read and parsed in a thread: a keys file of many
        thousands of keys takes long to parse, and calls must not wait for it."""
        async with self._reloading:
            self.use(await asyncio.to_thread(self.read))
