"""Time arguments: relative durations and ISO 8601 timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from proxy.store import parse_duration, parse_time

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", NOW - timedelta(seconds=30)),
        ("15m", NOW - timedelta(minutes=15)),
        ("2h", NOW - timedelta(hours=2)),
        ("7d", NOW - timedelta(days=7)),
        ("1w", NOW - timedelta(weeks=1)),
        (" 24H ", NOW - timedelta(hours=24)),
        ("now", NOW),
        ("2026-04-30", datetime(2026, 4, 30, tzinfo=UTC)),
        ("2026-04-30T08:15:00Z", datetime(2026, 4, 30, 8, 15, tzinfo=UTC)),
        ("2026-04-30T10:15:00+02:00", datetime(2026, 4, 30, 8, 15, tzinfo=UTC)),
        ("2026-04-30 08:15:00", datetime(2026, 4, 30, 8, 15, tzinfo=UTC)),
    ],
)
def test_parse_time(text: str, expected: datetime) -> None:
    """Durations count back from now; ISO times are converted to (or taken as) UTC."""
    parsed = parse_time(text, now=NOW)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


def test_parse_time_keeps_the_instant_of_other_zones() -> None:
    """An offset timestamp names the same instant after conversion."""
    tz = timezone(timedelta(hours=-5))
    assert parse_time("2026-04-30T03:15:00-05:00") == datetime(2026, 4, 30, 3, 15, tzinfo=tz)


@pytest.mark.parametrize("text", ["", "2 hours", "-2h", "yesterday", "2026-13-01", "5y"])
def test_parse_time_rejects_other_text(text: str) -> None:
    """Anything else is a ValueError that says what forms are accepted."""
    with pytest.raises(ValueError, match="duration"):
        parse_time(text, now=NOW)


def test_parse_duration() -> None:
    """A bare duration parses to a timedelta."""
    assert parse_duration("90m") == timedelta(minutes=90)
