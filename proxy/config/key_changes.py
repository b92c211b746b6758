"""Changing the virtual keys file: issue, revoke, disable, enable and rotate keys.

``llm-proxy keys`` and ``llm-proxy keys create`` call these; the running proxy only reads
the file (:mod:`proxy.config.keys`) and sees a change at its next reload. Every change
holds the directory's lock and replaces the file atomically (0600), so two commands at
once never lose each other's change and a reader never sees half a file.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from proxy.config.keys import (
    ID_BYTES,
    KEY_PREFIX,
    SECRET_BYTES,
    KeyChangeError,
    KeyEntry,
    KeysFile,
    digest,
    read_keys_file,
    utc_now,
)
from proxy.config.settings import RateLimit


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A newly created key. ``key`` is shown once to the operator and never stored."""

    key: str
    entry: KeyEntry


@dataclass(frozen=True, slots=True)
class KeyChange:
    """The outcome of a status change: the entry as stored, and whether it changed."""

    entry: KeyEntry
    changed: bool


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
    with _locked(path):
        current = read_keys_file(path)
        issued = _issue(user=user, team=team, app=app, models=models, limits=limits)
        _save(path, (*current.keys, issued.entry))
        return issued


def revoke_key(path: Path, key_id: str, *, now: datetime | None = None) -> KeyChange:
    """Revoke a key for good. The entry stays, with ``status: revoked`` and the time."""
    at = _moment(now)

    def revoke(entry: KeyEntry) -> KeyEntry:
        if entry.status == "revoked":
            return entry
        return entry.model_copy(update={"status": "revoked", "revoked_at": at})

    return _change(path, key_id, revoke)


def disable_key(path: Path, key_id: str, *, now: datetime | None = None) -> KeyChange:
    """Switch a key off until :func:`enable_key`; a revoked key stays revoked."""
    at = _moment(now)

    def disable(entry: KeyEntry) -> KeyEntry:
        if entry.status == "revoked":
            raise KeyChangeError(f"key {entry.id} is revoked; revocation is permanent")
        if entry.status == "disabled":
            return entry
        return entry.model_copy(update={"status": "disabled", "disabled_at": at})

    return _change(path, key_id, disable)


def enable_key(path: Path, key_id: str, *, now: datetime | None = None) -> KeyChange:
    """Switch a disabled key back on. Revoked and expired keys cannot be enabled."""
    at = _moment(now)

    def enable(entry: KeyEntry) -> KeyEntry:
        state = entry.state(at)
        if state in ("revoked", "expired"):
            raise KeyChangeError(
                f"key {entry.id} is {state} and cannot be enabled; issue a new key"
            )
        if state == "active":
            return entry
        return entry.model_copy(update={"status": "active", "disabled_at": None})

    return _change(path, key_id, enable)


def rotate_key(
    path: Path, key_id: str, *, grace: timedelta = timedelta(0), now: datetime | None = None
) -> tuple[IssuedKey, KeyEntry]:
    """Issue a new key for the same user, team, app, models and limits as ``key_id``.

    The old key is revoked at once, or with a ``grace`` period stays valid until
    ``now + grace`` (its ``expires_at``). Returns the new key and the old entry as stored.
    """
    at = _moment(now)
    with _locked(path):
        current = read_keys_file(path)
        old = _find(current, key_id, path)
        state = old.state(at)
        if state != "active":
            raise KeyChangeError(f"key {old.id} is {state}; only an active key can be rotated")
        if old.rotated_to is not None:
            raise KeyChangeError(
                f"key {old.id} was already rotated to {old.rotated_to}; rotate that key instead"
            )
        issued = _issue(
            user=old.user,
            team=old.team,
            app=old.app,
            models=old.models,
            limits=old.limits,
            rotated_from=old.id,
        )
        ending: dict[str, Any] = (
            {"expires_at": at + grace}
            if grace > timedelta(0)
            else {"status": "revoked", "revoked_at": at}
        )
        retired = old.model_copy(update={"rotated_to": issued.entry.id, **ending})
        keys = tuple(retired if entry.id == old.id else entry for entry in current.keys)
        _save(path, (*keys, issued.entry))
        return issued, retired


def _moment(now: datetime | None) -> datetime:
    """The time a change is recorded at, to the second (the file is read by people)."""
    return (now or utc_now()).replace(microsecond=0)


def _issue(
    *,
    user: str,
    team: str,
    app: str,
    models: tuple[str, ...],
    limits: RateLimit | None,
    rotated_from: str | None = None,
) -> IssuedKey:
    """A fresh key and its entry (validated: an empty user raises ValidationError)."""
    key_id = secrets.token_hex(ID_BYTES)
    key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(SECRET_BYTES)}"
    entry = KeyEntry(
        id=key_id,
        sha256=digest(key),
        user=user,
        team=team,
        app=app,
        models=models,
        limits=limits,
        created=utc_now().isoformat(timespec="seconds"),
        rotated_from=rotated_from,
    )
    return IssuedKey(key=key, entry=entry)


def _change(path: Path, key_id: str, change: Callable[[KeyEntry], KeyEntry]) -> KeyChange:
    with _locked(path):
        current = read_keys_file(path)
        old = _find(current, key_id, path)
        new = change(old)
        if new == old:
            return KeyChange(entry=old, changed=False)
        _save(path, tuple(new if entry.id == key_id else entry for entry in current.keys))
        return KeyChange(entry=new, changed=True)


def _find(keys_file: KeysFile, key_id: str, path: Path) -> KeyEntry:
    entry = next((entry for entry in keys_file.keys if entry.id == key_id), None)
    if entry is None:
        raise KeyChangeError(f"no key with id {key_id} in {path}")
    return entry


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the keys file's lock: two commands at once must not lose each other's change.

    The directory is locked, not the file: the file is replaced by rename, so a lock on it
    would not hold.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(directory, fcntl.LOCK_EX)
        yield
    finally:
        os.close(directory)  # closing releases the lock


def _save(path: Path, keys: tuple[KeyEntry, ...]) -> None:
    document = KeysFile(keys=keys).model_dump(mode="json", exclude_none=True)
    _write_atomically(path, yaml.safe_dump(document))


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
