"""The shipped detectors come warmed up: what they build on first use is built before a
caller's first scan (detectors.warm_up, detectors.registry.warm_up)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from spacy.language import Language

from detectors.pii import PresidioDetector
from detectors.registry import warm_up
from detectors.settings import PiiSettings

#: Run in a fresh interpreter, as a detection worker starts: build the default detectors,
#: then print how many Presidio patterns are compiled and how many are not. Presidio's
#: recognizers share their pattern objects per class, so only a fresh process shows what
#: its first scan would have compiled. (The IBAN recognizer compiles through the regex
#: module's own cache, not on its patterns.)
COUNT_COMPILED = """
from presidio_analyzer import PatternRecognizer
from presidio_analyzer.predefined_recognizers import IbanRecognizer
from detectors.pii import PresidioDetector
from detectors.registry import default_detectors
from detectors.settings import DetectorSettings
pii = next(d for d in default_detectors(DetectorSettings()) if isinstance(d, PresidioDetector))
patterns = [
    p for r in pii.recognizers
    if isinstance(r, PatternRecognizer) and not isinstance(r, IbanRecognizer)
    for p in r.patterns
]
compiled = sum(p.compiled_regex is not None for p in patterns)
print(compiled, len(patterns) - compiled)
"""


@pytest.mark.slow
def test_a_fresh_process_gets_default_detectors_with_every_pattern_compiled() -> None:
    """The detectors a worker process (or the proxy itself) builds have compiled their
    patterns before they serve anyone: a caller's first scan does not pay for it."""
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", COUNT_COMPILED], capture_output=True, text=True, check=True
    )
    compiled, not_compiled = map(int, done.stdout.split())
    assert compiled > 0
    assert not_compiled == 0


def test_warming_up_leaves_what_a_detector_finds_unchanged(
    nlp: Language, pii: PresidioDetector
) -> None:
    """A warmed-up detector finds exactly what one that was not finds."""
    text = "Mail Maria Schmidt at maria.schmidt@example.com or call +44 20 7946 0958."
    fresh = PresidioDetector(PiiSettings(), nlp=nlp)
    warm_up([fresh])
    assert fresh.scan([text]) == pii.scan([text])
