"""A normalised view of a text for the detectors, with its offsets mapped back.

Pattern detectors match code points, while people and models read glyphs: a card number in
fullwidth digits (U+FF11 ...) is a card number to the model, and so is an e-mail address with a
zero-width space inside. Detectors therefore also run on a view of the text where

* invisible format characters are removed: Unicode category ``Cf`` (zero-width space and
  joiners, bidi controls, BOM, soft hyphen, tag characters) and variation selectors;
* the rest is folded with NFKC (fullwidth forms, ligatures, no-break spaces, circled and
  superscript digits become their plain forms).

NFKC is applied per cluster (a character and the combining marks after it), so each
character of the view comes from one known span of the original. A finding in the view is
reported over the original span it covers, invisible characters inside it included, so a
mask hides the whole value as the caller wrote it.

Cost: pure ASCII text (almost all prompts) is returned as is after one ``str.isascii``;
other text already in NFKC without invisible characters after one ``is_normalized`` and
one regex search.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.scanning import Finding

# Variation selectors (category Mn) change a glyph's presentation, never its meaning.
_SELECTORS = "\ufe00-\ufe0f\U000e0100-\U000e01ef"
# Every character of category Cf in Unicode 14 (tests check the table against unicodedata).
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
_INVISIBLE = re.compile(f"[{_FORMAT}{_SELECTORS}]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Letters and punctuation of common scripts that NFKC leaves alone: copied without a
# per-character look (a speed-up only; tests check every one of them is stable).
_STABLE = re.compile(
    "["
    "\u00a1-\u00a7\u00a9\u00ab-\u00ac\u00ae\u00b0-\u00b1\u00b6-\u00b7\u00bb\u00bf-\u0131"
    "\u0134-\u013e\u0141-\u0148\u014a-\u017e\u0180-\u01c3\u01cd-\u01f0\u01f4-\u024f"
    "\u0370-\u0373\u0375-\u0377\u037b-\u037d\u037f\u0386\u0388-\u038a\u038c\u038e-\u03a1"
    "\u03a3-\u03cf\u03d7-\u03ef\u03f3\u03f6-\u03f8\u03fa-\u03ff\u0400-\u0482\u048a-\u052f"
    "\u05be\u05c0\u05c3\u05c6\u05d0-\u05ea\u05ef-\u05f4\u0606-\u060f\u061b\u061d-\u064a"
    "\u0660-\u066f\u0671-\u0674\u0679-\u06d5\u06de\u06e5-\u06e6\u06e9\u06ee-\u06ff"
    "\u0904-\u0939\u093d\u0950\u0960-\u0961\u0964-\u097f\u0e01-\u0e30\u0e32\u0e3f-\u0e46"
    "\u0e4f-\u0e5b\u2010\u2012-\u2016\u2018-\u2023\u2027-\u2029\u2030-\u2032\u2035"
    "\u2038-\u203b\u203d\u203f-\u2046\u204a-\u2056\u2058-\u205e\u20a0-\u20a7\u20a9-\u20c0"
    "\u3001-\u3029\u3030-\u3035\u3037\u303b-\u303f\u3041-\u3096\u309d-\u309e\u30a0-\u30fe"
    "\u4e00-\u9fff\uac00-\ud7a3"
    "]+"
)


def is_invisible(char: str) -> bool:
    """True for a format character or variation selector (removed from the view)."""
    return unicodedata.category(char) == "Cf" or _INVISIBLE.match(char) is not None


@dataclass(frozen=True, slots=True)
class NormalizedView:
    """``text`` is the view; its character ``i`` comes from ``original[starts[i]:ends[i]]``."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    #: True if invisible characters were removed (they may have separated two tokens).
    dropped_invisible: bool

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering the view's ``[start, end)`` (``end > start``)."""
        return self.starts[start], self.ends[end - 1]

    def original(self, finding: Finding) -> Finding:
        """``finding`` (found in the view) with its span in the original text."""
        start, end = self.span(finding.start, finding.end)
        return Finding(finding.entity_type, start, end, finding.score, finding.detector)


class _Builder:
    """Accumulates the view and, per character of it, the original span it comes from."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.dropped = False

    def copy(self, text: str, start: int, end: int) -> None:
        """Take ``text[start:end]`` unchanged."""
        self.pieces.append(text[start:end])
        self.starts.extend(range(start, end))
        self.ends.extend(range(start + 1, end + 1))

    def fold(self, text: str, start: int, end: int) -> None:
        """Take ``text[start:end]`` cluster by cluster, folded and without invisibles."""
        position = start
        while position < end:
            stable = _STABLE.match(text, position, end)
            if stable is not None:
                stop = stable.end()
                if stop < end and unicodedata.combining(text[stop]):
                    stop -= 1  # the last letter takes the marks after it: a cluster
                if stop > position:
                    self.copy(text, position, stop)
                    position = stop
                    continue
            stop = position + 1
            if is_invisible(text[position]):
                self.dropped = True
                position = stop
                continue
            while stop < end and unicodedata.combining(text[stop]):
                stop += 1
            folded = unicodedata.normalize("NFKC", text[position:stop])
            self.pieces.append(folded)
            self.starts.extend([position] * len(folded))
            self.ends.extend([stop] * len(folded))
            position = stop


def normalized_view(text: str) -> NormalizedView | None:
    """The normalised view of ``text``, or None if it would equal ``text``."""
    if text.isascii():
        return None
    if unicodedata.is_normalized("NFKC", text) and _INVISIBLE.search(text) is None:
        return None
    view = _Builder()
    position = 0
    for run in _NON_ASCII.finditer(text):
        run_start, run_end = run.span()
        if run_start > position and unicodedata.combining(text[run_start]):
            run_start -= 1  # a combining mark composes with the ASCII letter before it
        view.copy(text, position, run_start)
        view.fold(text, run_start, run_end)
        position = run_end
    view.copy(text, position, len(text))
    folded = "".join(view.pieces)
    if folded == text:
        return None
    return NormalizedView(folded, tuple(view.starts), tuple(view.ends), view.dropped)
