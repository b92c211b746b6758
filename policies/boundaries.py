"""Secrets split over two texts of one call: a token half in one message, half in the next.

Each text of a call is scanned on its own (and cached on its own), so
``["my token is ghp_16C7e42F292c69", "25e2D9a7EE0b8b2e6bA5d1"]`` or a PEM header in one
message with its body in the next slips through. :func:`scan_boundaries` scans, for each
pair of consecutive texts, a window of the last :data:`WINDOW_CHARS` characters of the
first and the first :data:`WINDOW_CHARS` of the second, joined directly and with a line
break, with the pattern detectors only (secrets and custom recognizers; never NER). It
keeps

* findings that cross the join: each becomes one finding in each text, over the piece in
  that text, so masking the call's findings masks both pieces;
* findings on one side that the text alone did not give, because their context is on the
  other side (``password:`` at the end of one message, the value at the start of the next).
  Near a window edge that cut a text, a finding may be an artefact of the cut and is not
  kept.

The windows bound the cost (microseconds to a few milliseconds per call, off the event
loop); a secret longer than a window on either side is reported over the windows only.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from detectors.base import Detector, Finding
from detectors.cache import ScanCache, cache_key
from detectors.custom import CustomDetector
from detectors.errors import DetectionError, DetectionUnavailable
from detectors.registry import scan_all
from detectors.secrets import SecretsDetector
from detectors.settings import CustomSettings, DetectorSettings, SecretsSettings
from policies.scanning import Scanner

WINDOW_CHARS = 256
SEPARATORS = ("", "\n")


@runtime_checkable
class ConfiguredScanner(Protocol):
    """A scanner that tells which detector settings it runs (the detection service)."""

    @property
    def settings(self) -> DetectorSettings: ...


class WindowScanner:
    """The pattern detectors that scan windows, with a cache of their results.

    A chat resends its history every turn, so the windows between old messages recur: their
    findings are cached by a digest of the window (never the text itself), and a call pays
    for the windows around its new messages only.
    """

    def __init__(
        self, detectors: Sequence[Detector], *, fingerprint: str = "", cache_size: int = 4096
    ) -> None:
        self.detectors = tuple(detectors)
        self._fingerprint = fingerprint
        self._cache = ScanCache(cache_size)

    def scan(self, windows: Sequence[str]) -> list[list[Finding]]:
        """Findings per window (see :func:`detectors.registry.scan_all`)."""
        keys = [cache_key(self._fingerprint, window) for window in windows]
        cached = [self._cache.get(key) for key in keys]
        missing = [index for index, found in enumerate(cached) if found is None]
        fresh = scan_all(self.detectors, [windows[index] for index in missing]) if missing else []
        for index, findings in zip(missing, fresh, strict=True):
            cached[index] = result = tuple(findings)
            self._cache.put(keys[index], result)
        return [list(found or ()) for found in cached]


@functools.lru_cache(maxsize=8)
def _window_scanner(
    secrets: SecretsSettings | None, custom: CustomSettings | None
) -> WindowScanner:
    """One scanner (and cache) per detector configuration, kept across calls."""
    detectors: list[Detector] = []
    if secrets is not None:
        detectors.append(SecretsDetector(secrets))
    if custom is not None and not (found := CustomDetector(custom)).empty:
        detectors.append(found)
    fingerprint = hashlib.sha256(
        f"{secrets and secrets.model_dump_json()}|{custom and custom.model_dump_json()}".encode()
    ).hexdigest()
    return WindowScanner(detectors, fingerprint=fingerprint)


def window_scanner(scanner: Scanner) -> WindowScanner:
    """The pattern detectors configured in ``scanner``, or the default secrets detector."""
    settings = scanner.settings if isinstance(scanner, ConfiguredScanner) else None
    if not isinstance(settings, DetectorSettings):
        return _window_scanner(SecretsSettings(), None)
    return _window_scanner(
        settings.secrets if "secrets" in settings.enabled else None,
        settings.custom if "custom" in settings.enabled else None,
    )


@dataclass(frozen=True, slots=True)
class _Window:
    """``text`` joins the tail of text ``index`` and the head of the next one."""

    index: int
    text: str
    #: Where the tail starts in text ``index``.
    offset: int
    #: ``text[:boundary]`` is the tail, ``text[after:]`` the head.
    boundary: int
    after: int
    tail_cut: bool
    head_cut: bool


def _windows(texts: Sequence[str], size: int) -> list[_Window]:
    windows: list[_Window] = []
    for index in range(len(texts) - 1):
        first, second = texts[index], texts[index + 1]
        tail, head = first[-size:] if size else "", second[:size]
        for separator in SEPARATORS:
            boundary = len(tail)
            windows.append(
                _Window(
                    index,
                    tail + separator + head,
                    len(first) - boundary,
                    boundary,
                    boundary + len(separator),
                    len(first) > size,
                    len(second) > size,
                )
            )
    return windows


def _moved(finding: Finding, start: int, end: int) -> Finding:
    return Finding(finding.entity_type, start, end, finding.score, finding.detector)


def _place(window: _Window, finding: Finding) -> list[tuple[int, Finding]]:
    """Where ``finding`` (in the window) lies in the texts: (text index, finding) pairs."""
    first, second = window.index, window.index + 1
    length = window.offset + window.boundary  # of the first text
    if finding.start < window.boundary and finding.end > window.after:
        return [
            (first, _moved(finding, window.offset + finding.start, length)),
            (second, _moved(finding, 0, finding.end - window.after)),
        ]
    at_cut = (window.tail_cut and finding.start == 0) or (
        window.head_cut and finding.end == len(window.text)
    )
    if at_cut:
        return []
    if finding.end <= window.boundary:
        start = window.offset + finding.start
        return [(first, _moved(finding, start, window.offset + finding.end))]
    if finding.start >= window.after:
        return [(second, _moved(finding, finding.start - window.after, finding.end - window.after))]
    return []  # covers the separator only


def _known(finding: Finding, findings: Sequence[Finding], *, whole: bool) -> bool:
    """True if a finding of the same type covers ``finding`` (``whole``) or overlaps it."""
    return any(
        f.entity_type == finding.entity_type
        and (
            f.start <= finding.start and finding.end <= f.end
            if whole
            else f.start < finding.end and finding.start < f.end
        )
        for f in findings
    )


def scan_boundaries(
    scanner: WindowScanner,
    texts: Sequence[str],
    found: Sequence[Sequence[Finding]],
    *,
    window: int = WINDOW_CHARS,
) -> list[list[Finding]]:
    """The findings to add to ``found`` (the findings of each text alone), per text."""
    added: list[list[Finding]] = [[] for _ in texts]
    windows = _windows(texts, window)
    if not windows or not scanner.detectors:
        return added
    results = scanner.scan([w.text for w in windows])
    for current, findings in zip(windows, results, strict=True):
        for finding in findings:
            placed = _place(current, finding)
            # A piece of a split secret counts unless already masked whole; a finding from
            # context on the other side only if the text alone showed nothing there.
            whole = len(placed) == 2
            for index, piece in placed:
                if not _known(piece, [*found[index], *added[index]], whole=whole):
                    added[index].append(piece)
    return added


async def with_boundary_findings(
    scanner: Scanner, texts: Sequence[str], found: list[list[Finding]]
) -> list[list[Finding]]:
    """``found`` (per text) plus :func:`scan_boundaries`, computed off the event loop.

    Raises :class:`~detectors.errors.DetectionUnavailable` if a detector fails.
    """
    if len(texts) < 2:
        return found
    windows = window_scanner(scanner)
    try:
        added = await asyncio.to_thread(scan_boundaries, windows, texts, found)
    except DetectionError:
        raise
    except Exception as exc:
        raise DetectionUnavailable(f"{type(exc).__name__} in boundary detection") from exc
    return [
        sorted([*mine, *more], key=lambda f: (f.start, f.end, f.entity_type, f.detector))
        if more
        else mine
        for mine, more in zip(found, added, strict=True)
    ]
