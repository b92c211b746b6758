"""Scans small enough to run right on the event loop, with this process's own detectors.

When a call needing no NER has small new texts (a stream's output window), scanning them
here takes about as long as the round trip to a worker alone (bench/inline_scan.py), and
the results are the same. Only the shipped detectors run inline: see :func:`vetted`.
"""

from __future__ import annotations

from core.scanning import Detector, Finding
from detectors.scanplan import ScanPlan, execute

#: A scan needing no NER whose new texts hold at most this many characters runs inline:
#: ~1 ms of CPU for prose, ~4 ms at worst (texts full of findings; bench/inline_scan.py).
INLINE_CHARS = 512

#: Detectors whose patterns ship with the proxy: vetted for their cost on small texts.
_SHIPPED = frozenset({"presidio", "secrets"})


def vetted(detectors: list[Detector]) -> list[Detector] | None:
    """``detectors`` if they may run inline; None when one runs configured patterns.

    SECURITY: an inline scan has no time budget (a worker past its budget is killed; the
    event loop cannot be), and a configured pattern may backtrack for ever on a crafted
    text: scans with custom rules stay in the pool.
    """
    return detectors if all(d.name in _SHIPPED for d in detectors) else None


class InlineScanner:
    """Runs a scan plan in the calling thread when it is small and needs no NER."""

    def __init__(self, detectors: list[Detector], *, max_chars: int, model: bool) -> None:
        """``detectors`` come from :func:`vetted`; ``model``: a detector runs the NER model."""
        self._detectors = detectors
        self._max_chars = max_chars
        self._model = model
        self.scans = 0
        """Plans run inline so far."""

    def run(self, plan: ScanPlan) -> list[list[list[Finding]]] | None:
        """The plan's outputs computed here, when it is small and needs no NER; else None.

        Blocks the event loop for the scan: bounded by ``max_chars`` (see INLINE_CHARS).
        A detector's exception propagates unchanged.
        """
        if self._model and any(r.ner for r in plan.requests):
            return None
        if sum(len(text) for text in plan.texts) > self._max_chars:
            return None
        outputs = [execute(self._detectors, request) for request in plan.requests]
        self.scans += 1
        return outputs
