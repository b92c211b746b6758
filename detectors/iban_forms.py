"""The shapes of IBANs as people type them (lower case, dotted, dashed, wrapped over two
lines), without Presidio: :mod:`detectors.ibans` reads them in a text, and a stream holds one
being written (:func:`open_iban`, a hold-back shape of ``policies.holdback``, which the app
imports without loading any model library)."""

from __future__ import annotations

import re

#: The most letters and digits of an IBAN (Saint Lucia's, Russia's), and the fewest
#: (Norway's).
IBAN_MAX_CHARS = 34
IBAN_MIN_CHARS = 15
# Between two groups: one blank, dash or dot; or once, a line break with blanks around it.
_SEPARATOR = r"[ .-]"
_LINE_BREAK = r"[ \t]*\r?\n[ \t]*"
_GROUPS = rf"(?:{_SEPARATOR}[A-Za-z0-9]+){{0,16}}"
# Two letters, two check digits and the rest of the first group, then groups with their
# separators, at most one line break among them.
GROUPED_CANDIDATE = re.compile(
    rf"(?<![A-Za-z0-9.-])[A-Za-z]{{2}}[0-9]{{2}}[A-Za-z0-9]*{_GROUPS}"
    rf"(?:{_LINE_BREAK}[A-Za-z0-9]+{_GROUPS})?"
)
GROUP = re.compile(r"[A-Za-z0-9]+")
# The same being written at the end of a streamed text: after its last group, a separator
# or a line break may still come, and a group after either.
_OPEN_CANDIDATE = re.compile(
    rf"(?<![A-Za-z0-9.-])[A-Za-z]{{2}}[0-9]{{2}}[A-Za-z0-9]*{_GROUPS}"
    rf"(?:{_LINE_BREAK}(?:[A-Za-z0-9]+{_GROUPS}{_SEPARATOR}?)?|{_SEPARATOR})?\Z"
)
# How far back from a text's end a candidate being written may start: every character of
# an IBAN with a separator after each, and a line break's blanks.
_OPEN_CHARS = 2 * IBAN_MAX_CHARS + 16


def open_iban(text: str) -> int | None:
    """Where an IBAN candidate that reaches the end of ``text`` starts, while its groups may
    still grow into an IBAN (fewer than :data:`IBAN_MAX_CHARS` letters and digits so far):
    a stream holds it from there, since its first groups alone show nothing."""
    # Run on every read of every stream: one search in C over the end of the text.
    found = _OPEN_CANDIDATE.search(text, max(0, len(text) - _OPEN_CHARS))
    if found is None:
        return None
    if sum(map(len, GROUP.findall(found[0]))) >= IBAN_MAX_CHARS:
        return None  # as long as an IBAN gets: the scan reads what it is
    return found.start()
