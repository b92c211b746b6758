"""Secrets split over the texts of one call: a token half in one message, half in the next.

Each text of a call is scanned on its own (and cached on its own), so
``["my token is ghp_16C7e42F292c69", "25e2D9a7EE0b8b2e6bA5d1"]`` or a PEM header in one
message with its body in the next slips through. :func:`scan_boundaries` scans, around
the end of each text, a window of the :data:`WINDOW_CHARS` characters before it and the
:data:`WINDOW_CHARS` after it (from as many texts as that takes), joined directly and with
line breaks, with the pattern detectors only (secrets and custom recognizers; never NER).
It keeps

* findings that cross a join: each becomes one finding in each text it touches, over the
  piece in that text, so masking the call's findings masks every piece - unless one text
  alone already holds a piece as a whole finding of that type, when the join merely
  extended it (an e-mail address followed by a word);
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

from core.scanning import Detector, Finding, Scanner
from detectors.cache import CacheKey, ScanCache, key_prefix
from detectors.custom import CustomDetector
from detectors.errors import DetectionError, DetectionUnavailable
from detectors.registry import scan_all
from detectors.secrets import shared_secrets_detector
from detectors.settings import CustomSettings, DetectorSettings, SecretsSettings

WINDOW_CHARS = 256
SEPARATORS = ("", "\n")
#: A window's cached findings.
Found = tuple[Finding, ...]


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
        # The hash state after the fingerprint: each key copies it (cache_key's digest).
        self._prefix = key_prefix(fingerprint)
        self._cache = ScanCache(cache_size)

    def cached(self, windows: Sequence[str]) -> tuple[list[CacheKey], list[Found | None]]:
        """The cache key of each window and its cached findings (None: not scanned yet)."""
        keys = []
        for window in windows:
            digest = self._prefix.copy()
            digest.update(window.encode("utf-8", "surrogatepass"))
            keys.append(digest.digest())
        return keys, self._cache.get_many(keys)

    def fill(
        self, windows: Sequence[str], keys: Sequence[CacheKey], cached: list[Found | None]
    ) -> list[list[Finding]]:
        """Findings per window: ``cached`` with the windows not cached yet scanned (and
        cached). Runs the detectors: call it off the event loop when any is missing."""
        missing = [index for index, found in enumerate(cached) if found is None]
        fresh = scan_all(self.detectors, [windows[index] for index in missing]) if missing else []
        for index, findings in zip(missing, fresh, strict=True):
            cached[index] = result = tuple(findings)
            self._cache.put(keys[index], result)
        return [list(found or ()) for found in cached]

    def scan(self, windows: Sequence[str]) -> list[list[Finding]]:
        """Findings per window (see :func:`detectors.registry.scan_all`)."""
        keys, cached = self.cached(windows)
        return self.fill(windows, keys, cached)


@functools.lru_cache(maxsize=8)
def _window_scanner(
    secrets: SecretsSettings | None, custom: CustomSettings | None
) -> WindowScanner:
    """One scanner (and cache) per detector configuration, kept across calls."""
    detectors: list[Detector] = []
    if secrets is not None:
        detectors.append(shared_secrets_detector(secrets))
    if custom is not None and not (found := CustomDetector(custom)).empty:
        detectors.append(found)
    fingerprint = hashlib.sha256(
        f"{secrets and secrets.model_dump_json()}|{custom and custom.model_dump_json()}".encode()
    ).hexdigest()
    return WindowScanner(detectors, fingerprint=fingerprint)


def window_scanner(scanner: Scanner) -> WindowScanner:
    """The pattern detectors configured in ``scanner`` (a scanner that tells which detector
    settings it runs, as the detection service does), or the default secrets detector."""
    # Read, not asked with isinstance of a runtime-checkable Protocol: on CPython 3.11 that
    # isinstance walks the Protocol's members in Python (~500 bytecodes, 15-35 us here) on
    # every call whose request has two or more texts, which since the model name became a
    # text is every chat call (issue 11).
    settings = getattr(scanner, "settings", None)
    if not isinstance(settings, DetectorSettings):
        return _window_scanner(SecretsSettings(), None)
    return _window_scanner(
        settings.secrets if "secrets" in settings.enabled else None,
        settings.custom if "custom" in settings.enabled else None,
    )


@dataclass(frozen=True, slots=True)
class _Segment:
    """``window[start:end]`` is text ``index`` from its character ``offset`` on."""

    index: int
    offset: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Window:
    """The texts around one boundary, joined; ``cut_*``: an edge falls inside the call."""

    text: str
    segments: tuple[_Segment, ...]
    cut_before: bool
    cut_after: bool

    def pieces(self, finding: Finding) -> list[tuple[int, Finding]]:
        """``finding`` as (text index, finding in that text), one per text it touches."""
        placed: list[tuple[int, Finding]] = []
        for segment in self.segments:
            start, end = max(finding.start, segment.start), min(finding.end, segment.end)
            if start < end:
                moved = Finding(
                    finding.entity_type,
                    segment.offset + start - segment.start,
                    segment.offset + end - segment.start,
                    finding.score,
                    finding.detector,
                )
                placed.append((segment.index, moved))
        return placed

    def at_cut(self, finding: Finding) -> bool:
        """True if ``finding`` touches an edge where the window cut the call's text."""
        return (self.cut_before and finding.start == 0) or (
            self.cut_after and finding.end == len(self.text)
        )


def _window(texts: Sequence[str], boundary: int, size: int, separator: str) -> _Window:
    """Up to ``size`` characters before and after the end of text ``boundary``.

    A side takes from as many texts as it needs (a token may be split in three), each
    pair joined by ``separator``.
    """
    before: list[tuple[int, int, str]] = []  # (index, offset, part), nearest first
    room = size
    index = boundary
    while index >= 0 and room > 0:
        part = texts[index][-room:]
        before.append((index, len(texts[index]) - len(part), part))
        room -= len(part)
        index -= 1
    cut_before = index >= 0 or before[-1][1] > 0
    after: list[tuple[int, int, str]] = []
    room = size
    index = boundary + 1
    while index < len(texts) and room > 0:
        part = texts[index][:room]
        after.append((index, 0, part))
        room -= len(part)
        index += 1
    cut_after = index < len(texts) or len(after[-1][2]) < len(texts[after[-1][0]])
    segments: list[_Segment] = []
    pieces: list[str] = []
    position = 0
    for number, (text_index, offset, part) in enumerate([*reversed(before), *after]):
        if number:
            pieces.append(separator)
            position += len(separator)
        segments.append(_Segment(text_index, offset, position, position + len(part)))
        pieces.append(part)
        position += len(part)
    return _Window("".join(pieces), tuple(segments), cut_before, cut_after)


def _window_texts(texts: Sequence[str], size: int) -> list[str]:
    """The text of every window of :func:`scan_boundaries`, in its order: for each boundary,
    joined by each of :data:`SEPARATORS`. Exactly ``_window(...).text``, without the
    segments, which only a window with findings needs (a chat's old windows are cached and
    nearly all hold none)."""
    windows: list[str] = []
    last = len(texts) - 1
    for boundary in range(last):
        parts: list[str] = []
        room, index = size, boundary
        while index >= 0 and room > 0:
            part = texts[index][-room:]
            parts.append(part)
            room -= len(part)
            index -= 1
        parts.reverse()
        room, index = size, boundary + 1
        while index <= last and room > 0:
            part = texts[index][:room]
            parts.append(part)
            room -= len(part)
            index += 1
        windows.extend(separator.join(parts) for separator in SEPARATORS)
    return windows


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
    if len(texts) < 2 or not scanner.detectors or window <= 0:
        return [[] for _ in texts]
    return _placed(texts, found, scanner.scan(_window_texts(texts, window)), window)


def _placed(
    texts: Sequence[str],
    found: Sequence[Sequence[Finding]],
    window_findings: Sequence[Sequence[Finding] | None],
    window: int,
) -> list[list[Finding]]:
    """Per text, the findings of the windows (in :func:`_window_texts`' order) to add."""
    added: list[list[Finding]] = [[] for _ in texts]
    for position, findings in enumerate(window_findings):
        if not findings:
            continue
        boundary, separator = divmod(position, len(SEPARATORS))
        current = _window(texts, boundary, window, SEPARATORS[separator])
        for finding in findings:
            placed = current.pieces(finding)
            # A piece of a split secret counts unless already covered whole; a finding from
            # context on the other side only if the text alone showed nothing there and no
            # cut of the window made it.
            crossing = len({index for index, _ in placed}) > 1
            if not crossing and current.at_cut(finding):
                continue
            if crossing and any(_known(p, found[i], whole=True) for i, p in placed):
                # One text already holds this entity whole: the join only glued the next
                # word onto it ("alice@example.com" + "please" reads as one long address).
                continue
            for index, piece in placed:
                if not _known(piece, [*found[index], *added[index]], whole=crossing):
                    added[index].append(piece)
    return added


#: Calls with at most this many texts look their windows up on the event loop (about 2 us
#: a window) and go to a thread only for windows not scanned yet; larger ones go whole.
INLINE_TEXTS = 256


async def with_boundary_findings(
    scanner: Scanner, texts: Sequence[str], found: list[list[Finding]]
) -> list[list[Finding]]:
    """``found`` (per text) plus :func:`scan_boundaries`, the detectors run off the event loop.

    A chat resends its history: the windows between its old messages are cached, and a call
    whose windows all are (a retry, a call adding no text at a boundary) needs no thread.
    Raises :class:`~detectors.errors.DetectionUnavailable` if a detector fails.
    """
    if len(texts) < 2:
        return found
    windows = window_scanner(scanner)
    try:
        if len(texts) > INLINE_TEXTS or not windows.detectors:
            added = await asyncio.to_thread(scan_boundaries, windows, texts, found)
        else:
            window_texts = _window_texts(texts, WINDOW_CHARS)
            keys, cached = windows.cached(window_texts)
            results: Sequence[Sequence[Finding] | None] = cached
            if None in cached:
                results = await asyncio.to_thread(windows.fill, window_texts, keys, cached)
            added = _placed(texts, found, results, WINDOW_CHARS)
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
