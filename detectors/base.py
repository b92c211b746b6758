"""The detector contract shared by every detector and by the policy engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Finding:
    """One detected entity in one text. Offsets are Python string indices, end exclusive."""

    entity_type: str
    start: int
    end: int
    score: float
    detector: str


class Detector(Protocol):
    """Finds sensitive entities in texts.

    ``scan`` receives a batch of texts and returns, for each text in order, the findings in
    it. It is synchronous and may be CPU-heavy: callers run it off the event loop. It must be
    deterministic for a given text and configuration (results are cached by content hash).
    """

    @property
    def name(self) -> str: ...

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]: ...
