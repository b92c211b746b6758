"""Time arguments of the log commands: ``--since 2h``, ``--since 7d``, ISO 8601 timestamps."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_RELATIVE = re.compile(r"^\s*(\d+)\s*(s|m|h|d|w)\s*$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """``30s``, ``15m``, ``2h``, ``7d``, ``1w`` as a timedelta; ValueError otherwise."""
    match = _RELATIVE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration like 30m, 2h, 7d or 1w")
    amount, unit = int(match.group(1)), match.group(2).lower()
    return timedelta(**{_UNITS[unit]: amount})


def parse_time(text: str, *, now: datetime | None = None) -> datetime:
    """A point in time, timezone-aware UTC, from a duration back from ``now`` (``2h``),
    ``now``, or an ISO 8601 date or timestamp (naive ones are taken as UTC)."""
    reference = now or datetime.now(UTC)
    value = text.strip()
    if value.lower() == "now":
        return reference
    if _RELATIVE.match(value):
        return reference - parse_duration(value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{text!r} is neither a duration (30m, 2h, 7d) nor an ISO 8601 time "
            "(2024-05-01 or 2024-05-01T12:00:00Z)"
        ) from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
