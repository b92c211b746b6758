"""Keep metric label values bounded.

Model names in an open register come from callers; a caller inventing model names must
not be able to create unbounded time series. The first ``limit`` distinct values are kept,
later ones are reported as "other"; so is a value that does not read as a model name (a
credential sent as ``model`` must never become a label value: h137).
"""

from __future__ import annotations

from proxy.model_names import reads_as_model_name

OTHER = "other"
#: Longer names are counted as "other": a label value is shown on every dashboard.
_LONGEST = 80


class BoundedLabel:
    """Admits at most ``limit`` distinct label values; the rest become ``"other"``."""

    def __init__(self, limit: int = 200) -> None:
        self._limit = limit
        self._seen: set[str] = set()

    def __call__(self, value: str) -> str:
        if value in self._seen:
            return value
        if (
            len(self._seen) >= self._limit
            or len(value) > _LONGEST
            or not reads_as_model_name(value)
        ):
            return OTHER if value else ""
        self._seen.add(value)
        return value
