"""The few detection errors callers branch on.

The proxy decides fail-open or fail-closed per rule set when it catches a ``DetectionError``;
the detectors never make that decision themselves.
"""

from __future__ import annotations


class DetectorConfigError(ValueError):
    """Detector configuration that cannot work (unknown entity, missing spaCy model, ...).

    Raised at start-up, never on the request path. The message names the setting.
    """


class DetectionError(Exception):
    """Detection could not produce findings for a request: the caller must decide."""


class DetectionUnavailable(DetectionError):
    """The detectors failed (worker crashed, detector raised); the pool is being restored."""


class DetectionTimeout(DetectionError):
    """Detection did not finish within the request's time budget."""
