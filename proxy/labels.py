"""Keep metric label values bounded.

Model names in an open register come from callers; a caller inventing model names must
not be able to create unbounded time series. The first ``limit`` distinct values are kept,
later ones are reported as "other".
"""

from __future__ import annotations

import re

OTHER = "other"
_SANE = re.compile(r"^[A-Za-z0-9._:/@-]{1,80}$")


class BoundedLabel:
    """Admits at most ``limit`` distinct label values; the rest become ``"other"``."""

    def __init__(self, limit: int = 200) -> None:
        self._limit = limit
        self._seen: set[str] = set()

    def __call__(self, value: str) -> str:
        if value in self._seen:
            return value
        if len(self._seen) >= self._limit or not _SANE.match(value):
            return OTHER if value else ""
        self._seen.add(value)
        return value
