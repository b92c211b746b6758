"""The detection contract: what a finding is, and what detectors and scanners promise.

Every detector (:mod:`detectors`) returns :class:`Finding` objects; the policy engine
(:mod:`policies`) reads them, and asks a :class:`Scanner` for them (the proxy's detection
service, or plain detectors run in a thread for the command line and tests).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
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


class Scanner(Protocol):
    """Finds entities in texts, in time: the one thing the policy needs from detection.

    Returns one list of findings per text, in order. ``budget`` is the time allowed in
    seconds (``None``: the scanner's own default). ``caller`` identifies who the scan is
    for (a key id), so a scanner shared by many callers can serve them fairly.
    ``ner_chars`` bounds model-based detection (NER): it covers at most that many
    characters at the start of each text, pattern detectors the whole text (``None``: the
    scanner's own default). ``entities`` names the entity types the caller's rules match
    (``None``: any): a scanner may skip work that finds only other types (the detection
    service runs only the PII recognizers they need, and NER only for an NER type), and
    may still report them; the findings of those types are the same either way. Raises
    ``detectors.errors.DetectionTimeout`` when the budget runs out and
    ``detectors.errors.DetectionUnavailable`` when detection failed; the policy then
    decides fail-open or fail-closed. Must not block the event loop.
    """

    async def scan(
        self,
        texts: Sequence[str],
        *,
        budget: float | None,
        caller: str | None = None,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> list[list[Finding]]: ...
