"""The admin API's query parameters of time, read so that an error never repeats the value.

The parsers below the admin API (:mod:`proxy.store.timespec`, :mod:`proxy.report.data`)
quote what they could not read, which suits a command line reading its own arguments. An
admin API error goes back over HTTP and into whatever logs the caller keeps: an admin's typo
pasted with a credential (``since=<token>``) would come back in it. Here a bad value is
named by its parameter and the form it should take, never by its text.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from proxy.errors import BadRequest
from proxy.report.data import MAX_PERIOD, Period, parse_period
from proxy.store.timespec import parse_duration, parse_time

#: The forms a point in time may take.
TIME_FORMS = "a duration back from now (30m, 2h, 7d), now, or an ISO 8601 time (2026-07-01)"
#: The forms a report or spend period's bounds may take.
DATE_FORMS = "a date (2026-07-01) or an ISO 8601 time"


def time_param(name: str, raw: str) -> datetime:
    """The point in time ``raw`` gives; BadRequest naming ``name`` otherwise."""
    try:
        return parse_time(raw)
    except ValueError:
        raise BadRequest(f"{name} must be {TIME_FORMS}.", param=name) from None


def duration_param(name: str, raw: str) -> timedelta:
    """The duration ``raw`` gives; BadRequest naming ``name`` otherwise."""
    try:
        return parse_duration(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a duration like 30m, 2h, 7d or 1w.", param=name) from None


def period_param(first: str, last: str) -> Period:
    """The period from ``first`` to ``last`` (``from`` and ``to``); BadRequest naming the
    bad bound, the two's order or the period's length otherwise."""
    try:
        return parse_period(first, last)
    except ValueError as exc:
        problem = str(exc)  # read for which bound failed; never answered (it quotes both)
    for name in ("from", "to"):
        if problem.startswith(f"--{name} ") and "is not a date" in problem:
            raise BadRequest(f"{name} must be {DATE_FORMS}.", param=name)
    if "is after" in problem:
        raise BadRequest("from must come before to.", param="from")
    raise BadRequest(f"The period is longer than {MAX_PERIOD.days} days; split it.", param="from")
