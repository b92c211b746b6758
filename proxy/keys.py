"""Virtual keys: issued to callers, stored hashed in a YAML keys file that hot-reloads.

A key looks like ``llmp_<id>_<secret>``. The id is public (it is logged as ``key_id``); the
file keeps only the SHA-256 of the whole key. Keys are 190 random bits, so a fast hash is
enough: there is nothing to brute-force. Lookup goes by id, then the digests are compared in
constant time.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from proxy.config import RateLimit
from proxy.identity import Identity

KEY_PREFIX = "llmp_"
_ID_BYTES = 6
_SECRET_BYTES = 24


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
    disabled: bool = False
    created: str = ""

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


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_key_id(key: str) -> str | None:
    """The id part of a well-formed virtual key, else ``None``."""
    if not key.startswith(KEY_PREFIX):
        return None
    key_id, sep, secret = key[len(KEY_PREFIX) :].partition("_")
    if not sep or len(key_id) != 2 * _ID_BYTES or not secret:
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


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A newly created key. ``key`` is shown once to the operator and never stored."""

    key: str
    entry: KeyEntry


def create_key(
    path: Path,
    *,
    user: str,
    team: str,
    app: str = "",
    models: tuple[str, ...] = (),
    limits: RateLimit | None = None,
) -> IssuedKey:
    """Issue a key and add its hash to the keys file (atomically, mode 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Two `keys create` runs at once must not lose a key: lock the directory (the file
    # itself is replaced by rename, so a lock on it would not hold).
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(directory, fcntl.LOCK_EX)
        return _append_key(path, user=user, team=team, app=app, models=models, limits=limits)
    finally:
        os.close(directory)  # closing releases the lock


def _append_key(
    path: Path,
    *,
    user: str,
    team: str,
    app: str,
    models: tuple[str, ...],
    limits: RateLimit | None,
) -> IssuedKey:
    current = read_keys_file(path)
    key_id = secrets.token_hex(_ID_BYTES)
    key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(_SECRET_BYTES)}"
    entry = KeyEntry(
        id=key_id,
        sha256=digest(key),
        user=user,
        team=team,
        app=app,
        models=models,
        limits=limits,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    updated = KeysFile(keys=(*current.keys, entry))
    _write_atomically(path, yaml.safe_dump(updated.model_dump(mode="json", exclude_none=True)))
    return IssuedKey(key=key, entry=entry)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class KeyStore:
    """The keys file in memory, reloaded when the file changes.

    A reload that fails keeps the previous keys and reports the error to the caller of
    :meth:`reload`; it never leaves the proxy with no keys because of a typo.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._by_id: dict[str, KeyEntry] = {}
        self._stamp: tuple[int, int, int] | None = None

    @property
    def has_keys(self) -> bool:
        return bool(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            # Missing or unreachable: ``reload`` then reports why (or reads an empty file).
            # Raising here would escape the watcher, which only expects KeysFileError.
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def changed(self) -> bool:
        return self._file_stamp() != self._stamp

    def reload(self) -> None:
        """Read the file now. Raises :class:`KeysFileError` and keeps the old keys on error."""
        stamp = self._file_stamp()
        try:
            keys_file = read_keys_file(self.path)
        except KeysFileError:
            self._stamp = stamp  # report a bad file once, not at every check
            raise
        self._by_id = {entry.id: entry for entry in keys_file.keys}
        self._stamp = stamp

    def entry(self, key_id: str) -> KeyEntry | None:
        return self._by_id.get(key_id)

    def lookup(self, key: str) -> KeyEntry | None:
        """The active entry for ``key``, or ``None``. Constant-time digest comparison."""
        key_id = parse_key_id(key)
        entry = self._by_id.get(key_id) if key_id else None
        if entry is None or entry.disabled:
            return None
        if not hmac.compare_digest(entry.sha256, digest(key)):
            return None
        return entry
