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

Last, the pattern detectors scan the view without the markup of the layers a text went
through (:mod:`detectors.markup`: diff and quote prefixes, HTML escapes and tags, string
escapes, Markdown emphasis, table borders). A finding there fills a gap only: it is kept
where no finding of the text overlaps it, or where it is a secret across line breaks that
holds the pieces found on its lines (a wrapped token's first line, found alone, makes way
for the whole token).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.scanning import Detector, Finding
from detectors.decoding import DecodedRun, decoded_runs
from detectors.entities import SECRET_ENTITY_TYPES
from detectors.markup import unmarked_view
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


def _unmarked_findings(patterns: Sequence[Detector], texts: Sequence[str]) -> list[list[Finding]]:
    """Findings of ``patterns`` in the view of each text without its markup, over the
    text's own spans; none for a text without markup."""
    found: list[list[Finding]] = [[] for _ in texts]
    marked = [(index, unmarked_view(text)) for index, text in enumerate(texts)]
    views = [(index, view) for index, view in marked if view is not None]
    if not views:
        return found
    for detector in patterns:
        results = detector.scan([view.text for _, view in views])
        for (index, view), findings in zip(views, results, strict=True):
            found[index].extend(view.original(f) for f in findings)
    return found


def _fill_gaps(text: str, found: list[Finding], extra: Sequence[Finding]) -> None:
    """Add each of ``extra`` that overlaps no finding in ``found``, or that is a secret
    wrapped over lines holding every secret it overlaps, each on one of its lines (a token
    whose first line was found alone): those make way for it."""
    for finding in extra:
        overlapping = [f for f in found if f.start < finding.end and finding.start < f.end]
        if overlapping and not _rejoins(text, finding, overlapping):
            continue
        found[:] = [f for f in found if f not in overlapping]
        found.append(finding)


def _rejoins(text: str, finding: Finding, parts: Sequence[Finding]) -> bool:
    """Whether ``finding`` is a secret across line breaks and each of ``parts`` a secret
    within it that crosses none: pieces of the value a line wrap cut."""
    return (
        finding.entity_type in SECRET_ENTITY_TYPES
        and "\n" in text[finding.start : finding.end]
        and all(
            f.entity_type in SECRET_ENTITY_TYPES
            and finding.start <= f.start
            and f.end <= finding.end
            and "\n" not in text[f.start : f.end]
            for f in parts
        )
    )


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
    if patterns and depth == 0:
        unmarked = _unmarked_findings(patterns, scanned)
        for index, findings in enumerate(unmarked):
            restored = [_in_original(views[index], f) for f in findings]
            _fill_gaps(texts[index], found[index], restored)
    return found
