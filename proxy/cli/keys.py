"""``llm-proxy keys list|revoke|disable|enable|rotate``: manage the virtual keys file.

The commands edit the keys file (locked, written atomically); a running proxy picks the
change up within ``auth.reload_interval`` (1 s by default) or at once on SIGHUP. Nothing
here prints a key's hash, and only ``rotate`` prints a key: the new one, once.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from proxy.config.key_changes import KeyChange
    from proxy.config.keys import KeyEntry

# The keys file's modules (pydantic, the settings) are imported by run(): the parsers built
# from this module must load fast (proxy.cli.main).

Run = Callable[[argparse.Namespace, Mapping[str, str]], int]

_KEY_ID = re.compile(r"^[0-9a-f]{12}$")
_STATES = ("active", "disabled", "revoked", "expired")
_COLUMNS = ("ID", "USER", "TEAM", "APP", "STATUS", "CREATED", "DETAIL")


class KeysCommandError(Exception):
    """A keys command failed for a reason the operator can act on; one line."""


def add_parsers(keys_commands: Any, *, run: Run) -> list[argparse.ArgumentParser]:
    """Add list, revoke, disable, enable and rotate to the ``keys`` subparsers action."""
    listing = keys_commands.add_parser(
        "list",
        help="list virtual keys and their status (never the keys or their hashes)",
        description=(
            "List every key in the keys file: id, user, team, app, status (active, disabled, "
            "revoked, expired), when it was created and when its status changed. Revoked "
            "keys stay listed: the file is the audit trail of every key issued."
        ),
    )
    listing.add_argument(
        "--status", choices=_STATES, action="append", help="only keys in this status (repeatable)"
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array")

    revoke = keys_commands.add_parser(
        "revoke",
        help="revoke a key for good",
        description=(
            "Revoke a key permanently. Its entry stays in the keys file with status 'revoked' "
            "and the time. A running proxy refuses the key within auth.reload_interval "
            "(1 s by default)."
        ),
    )
    disable = keys_commands.add_parser(
        "disable",
        help="switch a key off until it is enabled again",
        description="Refuse a key until 'llm-proxy keys enable' switches it back on.",
    )
    enable = keys_commands.add_parser(
        "enable",
        help="switch a disabled key back on",
        description="Accept a disabled key again. Revoked and expired keys cannot be enabled.",
    )
    rotate = keys_commands.add_parser(
        "rotate",
        help="issue a new key for the same identity and retire the old one",
        description=(
            "Issue a new key with the same user, team, app, models and limits, print it once, "
            "and revoke the old key at once, or with --grace let it work until the grace "
            "period ends so callers can switch over."
        ),
    )
    rotate.add_argument(
        "--grace",
        default="0s",
        metavar="DURATION",
        help="keep the old key valid this long: 30m, 2h, 1d (default: revoke it at once)",
    )
    rotate.add_argument("--json", action="store_true", help="print the new key and ids as JSON")
    for parser in (revoke, disable, enable, rotate):
        parser.add_argument(
            "key_id",
            metavar="KEY_ID",
            help="the key's id: the 12 characters after 'llmp_', as 'keys list' shows",
        )
    parsers = [listing, revoke, disable, enable, rotate]
    for parser in parsers:
        parser.set_defaults(run=run)
    return parsers


def run(keys_file: Path, args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """Run the ``keys`` action in ``args`` on ``keys_file``."""
    from proxy.config.key_changes import disable_key, enable_key, revoke_key  # noqa: PLC0415
    from proxy.config.keys import KeyChangeError, KeysFileError  # noqa: PLC0415

    try:
        if args.keys_command == "list":
            return _list(keys_file, args, out)
        key_id = _key_id(args.key_id)
        if args.keys_command == "rotate":
            return _rotate(keys_file, key_id, args, out, err)
        change = {"revoke": revoke_key, "disable": disable_key, "enable": enable_key}
        result = change[args.keys_command](keys_file, key_id)
    except (KeysFileError, KeyChangeError) as exc:
        raise KeysCommandError(str(exc).splitlines()[0]) from None
    except OSError as exc:
        raise KeysCommandError(f"{keys_file}: {exc.strerror or exc}") from None
    _report(result, args.keys_command, keys_file, err)
    return 0


def _key_id(value: str) -> str:
    from proxy.config.keys import KEY_PREFIX  # noqa: PLC0415

    # Never echo the argument: an operator may paste a whole key, or a provider key.
    if value.startswith(KEY_PREFIX):
        raise KeysCommandError(
            "KEY_ID is the key's id, not the key: the 12 characters after 'llmp_'"
        )
    if not _KEY_ID.match(value):
        raise KeysCommandError(
            "KEY_ID must be 12 hexadecimal characters, as 'llm-proxy keys list' shows"
        )
    return value


def _report(result: KeyChange, action: str, keys_file: Path, err: IO[str]) -> None:
    entry = result.entry
    who = f"user {entry.user!r}, team {entry.team!r}"
    if not result.changed:
        err.write(f"key {entry.id} ({who}) is already {entry.status}; nothing changed\n")
        return
    done = {"revoke": "revoked", "disable": "disabled", "enable": "enabled"}[action]
    err.write(
        f"key {entry.id} ({who}) {done} in {keys_file}; a running proxy applies it within "
        "its reload interval\n"
    )


def _rotate(
    keys_file: Path, key_id: str, args: argparse.Namespace, out: IO[str], err: IO[str]
) -> int:
    from proxy.config.key_changes import rotate_key  # noqa: PLC0415
    from proxy.store.timespec import parse_duration  # noqa: PLC0415

    try:
        grace = parse_duration(args.grace)
    except ValueError as exc:
        raise KeysCommandError(f"--grace: {exc}") from None
    issued, old = rotate_key(keys_file, key_id, grace=grace)
    valid_until = old.expires_at.isoformat() if old.expires_at is not None else None
    if args.json:
        out.write(
            json.dumps(
                {
                    "key": issued.key,
                    "id": issued.entry.id,
                    "replaces": old.id,
                    "old_key_valid_until": valid_until,
                    "file": str(keys_file),
                }
            )
            + "\n"
        )
        return 0
    out.write(issued.key + "\n")
    fate = f"stays valid until {valid_until}" if valid_until else "is revoked"
    err.write(
        f"key id {issued.entry.id} replaces {old.id} for user {old.user!r}, team {old.team!r} "
        f"in {keys_file}; the old key {fate}. Store the new key now: it is not shown again.\n"
    )
    return 0


def _list(keys_file: Path, args: argparse.Namespace, out: IO[str]) -> int:
    from proxy.config.keys import read_keys_file, utc_now  # noqa: PLC0415

    now = utc_now()
    entries = [
        entry
        for entry in read_keys_file(keys_file).keys
        if not args.status or entry.state(now) in args.status
    ]
    if args.json:
        out.write(json.dumps([_as_json(entry, now) for entry in entries], indent=2) + "\n")
        return 0
    if not entries:
        out.write(f"no keys in {keys_file}\n")
        return 0
    rows = [_COLUMNS, *(_as_row(entry, now) for entry in entries)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    for row in rows:
        out.write(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        out.write("\n")
    return 0


def _as_json(entry: KeyEntry, now: datetime) -> dict[str, Any]:
    # Explicit fields: the hash must never be listed, even if the entry grows new ones.
    return {
        "id": entry.id,
        "user": entry.user,
        "team": entry.team,
        "app": entry.app,
        "models": list(entry.models),
        "limits": entry.limits.model_dump(exclude_none=True) if entry.limits else None,
        "status": entry.state(now),
        "created": entry.created or None,
        "disabled_at": _iso(entry.disabled_at),
        "revoked_at": _iso(entry.revoked_at),
        "expires_at": _iso(entry.expires_at),
        "rotated_from": entry.rotated_from,
        "rotated_to": entry.rotated_to,
    }


def _as_row(entry: KeyEntry, now: datetime) -> Sequence[str]:
    details: list[str] = []
    if entry.revoked_at is not None:
        details.append(f"revoked {_iso(entry.revoked_at)}")
    if entry.disabled_at is not None:
        details.append(f"disabled {_iso(entry.disabled_at)}")
    if entry.expires_at is not None and entry.status == "active":
        verb = "expired" if entry.state(now) == "expired" else "valid until"
        details.append(f"{verb} {_iso(entry.expires_at)}")
    if entry.rotated_to:
        details.append(f"replaced by {entry.rotated_to}")
    if entry.rotated_from:
        details.append(f"replaces {entry.rotated_from}")
    return (
        entry.id,
        entry.user,
        entry.team,
        entry.app or "-",
        entry.state(now),
        entry.created or "-",
        ", ".join(details),
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None
