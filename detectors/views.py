"""Running detectors over the views of a text that hide nothing: normalised and decoded.

Every detector scans each text's normalised view (:mod:`detectors.normalize`; the text
itself when normalising changes nothing), and its findings are mapped back to the original.
Normalising can also join what was separate - removing a zero-width space before a key
glues it to the word in front - so when the view differs, the pattern detectors also scan
the original text, and NER does too when invisible characters were removed. Those extra
findings are kept where they add something.

Then the runs of base64 and hex in the view that decode to text (:mod:`detectors.decoding`)
are scanned with the pattern detectors, recursively up to :data:`MAX_DECODE_DEPTH`; a
finding in decoded text is reported over the whole encoded run.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.scanning import Detector, Finding
from detectors.decoding import DecodedRun, decoded_runs
from detectors.normalize import NormalizedView, normalized_view

#: Detectors that run a model (spaCy NER through Presidio, ``detectors.pii.NAME``): they
#: scan the normalised view only, and the original too if invisibles were removed. Every
#: other detector is made of patterns, cheap enough for every view and for decoded text
#: (the same split as ``detectors.scanplan.MODEL_DETECTORS``).
MODEL_DETECTORS = frozenset({"presidio"})
#: base64 inside base64 is decoded; a third layer is not.
MAX_DECODE_DEPTH = 2


def _covered(finding: Finding, findings: Sequence[Finding]) -> bool:
    return any(
        f.entity_type == finding.entity_type and f.start <= finding.start and finding.end <= f.end
        for f in findings
    )


def _add_new(found: list[Finding], extra: Sequence[Finding]) -> None:
    """Append each of ``extra`` that no finding of its type in ``found`` covers."""
    for finding in extra:
        if not _covered(finding, found):
            found.append(finding)


def _in_original(view: NormalizedView | None, finding: Finding) -> Finding:
    return finding if view is None else view.original(finding)


def _decoded_findings(
    patterns: Sequence[Detector], views: Sequence[str], depth: int
) -> list[list[Finding]]:
    """Findings in the decoded runs of each view, over the run's span in that view."""
    runs: list[tuple[int, DecodedRun]] = [
        (index, run) for index, view in enumerate(views) for run in decoded_runs(view)
    ]
    found: list[list[Finding]] = [[] for _ in views]
    if not runs:
        return found
    nested = scan_views(patterns, [run.text for _, run in runs], depth=depth + 1)
    for (index, run), findings in zip(runs, nested, strict=True):
        spans = [Finding(f.entity_type, run.start, run.end, f.score, f.detector) for f in findings]
        _add_new(found[index], spans)
    return found


def scan_views(
    detectors: Sequence[Detector], texts: Sequence[str], *, depth: int = 0
) -> list[list[Finding]]:
    """Findings per text (unsorted) from every detector over the views of each text."""
    views = [normalized_view(text) for text in texts]
    scanned = [text if view is None else view.text for text, view in zip(texts, views, strict=True)]
    found: list[list[Finding]] = [[] for _ in texts]
    extra: list[list[Finding]] = [[] for _ in texts]
    for detector in detectors:
        for index, findings in enumerate(detector.scan(scanned)):
            found[index].extend(_in_original(views[index], f) for f in findings)
        pattern = detector.name not in MODEL_DETECTORS
        again = [
            index
            for index, view in enumerate(views)
            if view is not None and (pattern or view.dropped_invisible)
        ]
        if again:
            originals = detector.scan([texts[index] for index in again])
            for index, findings in zip(again, originals, strict=True):
                extra[index].extend(findings)
    patterns = [d for d in detectors if d.name not in MODEL_DETECTORS]
    if patterns and depth < MAX_DECODE_DEPTH:
        decoded = _decoded_findings(patterns, scanned, depth)
        for index, findings in enumerate(decoded):
            extra[index].extend(_in_original(views[index], f) for f in findings)
    for bucket, more in zip(found, extra, strict=True):
        _add_new(bucket, more)
    return found
