"""What the PII detector names in a text: its people, places and groups, as the tests of
noise in prose compare them."""

from __future__ import annotations

from detectors.pii import PresidioDetector

NAME_TYPES = ("PERSON", "LOCATION", "NRP")


def named(pii: PresidioDetector, text: str) -> list[tuple[str, str]]:
    """(type, text) of each PERSON, LOCATION or NRP finding in ``text``, in order."""
    return [
        (f.entity_type, text[f.start : f.end])
        for f in pii.find(text)
        if f.entity_type in NAME_TYPES
    ]
