"""What a detector reports in a text, as (type, covered text) pairs: the shape the exact-span
tests of the secrets detectors compare."""

from __future__ import annotations

from detectors.secrets import SecretsDetector


def spans(detector: SecretsDetector, text: str) -> list[tuple[str, str]]:
    """(type, text) of each of ``detector``'s findings in ``text``, in order."""
    return [(f.entity_type, text[f.start : f.end]) for f in detector.find(text)]
