"""The hold-back state of one text channel of a streamed answer, and where to cut it.

A channel (a choice's content, a tool call's arguments, a content block) keeps the text
not yet released, the end of what was released (scanned again with what follows, so that
findings straddling the cut are still recognised) and what its read's scan found. The
functions below decide how much of the pending text can go now: before the suffix that
could still become a finding (shaped hold-back), or ``holdback_chars`` from the end (a
fixed window), never splitting a finding or a masked token, never holding more than
``max_hold_chars``. :class:`policies.stream.PolicyStream` drives them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from core.scanning import Finding
from detectors.name_tables import open_header
from detectors.password_tables import header_free, open_table
from policies.actions import Mask
from policies.holdback import (
    CONTEXT_CHARS,
    PRIVATE_KEY_CONTEXT_CHARS,
    TABLE_CONTEXT_CHARS,
    open_private_key,
)
from policies.holdback_forced import open_data_block
from policies.model import StreamSettings
from policies.pseudonyms import StreamRestorer
from policies.stream_shapes import Delta

Span = tuple[Finding, int, int]
"""A finding with its start and end in the channel's upstream (or pending) text."""


class LastScan(NamedTuple):
    """A channel's last scan: its window, where the window starts and ends in the channel's
    upstream text, and what detection found in it (window coordinates); ``settled``: where
    (upstream) the text began that its hold-back shapes but a data map's entries held (the
    findings that end before it, and do not cross it, stand but for a ``kind:`` line)."""

    window: str
    start: int
    end: int
    found: list[Finding]
    settled: int = 0


class ChannelState:
    """What is known about one channel of text in the stream."""

    def __init__(self, restorer: StreamRestorer) -> None:
        #: The latest event with text on this channel (its payload, delta and event name):
        #: the model of a synthetic event, whose template is built only then (rarely).
        self.source: tuple[dict[str, Any], Delta, str | None] | None = None
        self.restorer = restorer
        self.pending = ""  # upstream text not yet released
        #: The last released upstream characters, for scanning across the cut (under a
        #: fixed window, after the header of the table they are rows of: _under_header).
        self.context = ""
        #: Whether ``context`` starts at a line's start (a table's first line in it is whole).
        self.context_at_line = True
        #: ``context[:headerless]`` (whole lines) holds no password table header
        #: (:func:`detectors.password_tables.header_free`): only what follows is searched.
        self.headerless = 0
        #: Offset of ``pending`` in the channel's upstream text: the characters released
        #: (or dropped) so far. Findings of a read's scan are kept in these coordinates.
        self.base = 0
        self.next_scan = 0  # pending length at which to try the next release (window)
        #: This read's scan: whether it covered the channel, what it found (upstream
        #: offsets), and where the text that could still become a finding starts.
        self.scanned = False
        self.spans: list[Span] = []
        self.held_at = 0
        #: The last scan, while its findings stand for the text up to its end (its end is
        #: the end of the text that has arrived: the answer ended without more).
        self.last_scan: LastScan | None = None
        #: The findings of the last scan whose spans were last made, with the number of
        #: values printed again they were made with: a read that keeps that scan's findings
        #: makes them again only when the channel has masked more values since.
        self.spans_of: tuple[LastScan, int, list[Span]] | None = None
        self.emitted: list[str] = []
        self.history: list[Finding] = []  # findings already decided (for min_count)
        #: The hold limit forced out the masked start of a token still being written: the
        #: rest of that token is dropped, not released (its end alone may not be a match).
        self.in_masked_token = False
        #: The hold limit forced out the masked start of a private key block: the rest of
        #: the block, up to its END line, is dropped (:mod:`policies.holdback_forced`).
        self.in_private_key = False

    @property
    def text(self) -> str:
        return "".join(self.emitted)


# What closes a value right after it: a quote (also escaped: \" or &quot;), a bracket, a
# tag, a separator, or sentence punctuation before a blank ("AB 12 34 56 C. Next"): the
# scan saw the token end at that blank, as the whole answer's scan does.
_VALUE_CLOSER = re.compile(
    r"""["'`)\]}>;,<]|\\["']|&(?:quot|apos|#3[49]|#x2[27]);|[.!?:]+(?=\s)""", re.I
)


def cuts_a_masked_token(pending: str, cut: int, masks: Sequence[Mask]) -> bool:
    """True if ``cut`` falls inside a token whose text up to the cut is masked.

    A mask that ends at the cut before what closes a value (``value="..." />`` cut before
    the closing quote) ends the value there: the scan saw that character and the whole
    answer keeps it, so nothing after the cut belongs to the masked token."""
    inside = not pending[cut - 1].isspace() and not pending[cut].isspace()
    if not inside:
        return False
    closed = _VALUE_CLOSER.match(pending, cut) is not None
    return any(m.start < cut < m.end or (m.end == cut and not closed) for m in masks)


def rest_of_token_dropped(piece: str) -> tuple[str, bool]:
    """``piece`` without the rest of a masked token; whether the token goes on after it."""
    end = next((i for i, char in enumerate(piece) if char.isspace()), len(piece))
    return piece[end:], end == len(piece)


def keep_context(
    channel: ChannelState,
    released: str,
    settings: StreamSettings,
    *,
    shaped: bool,
    long_lines: Callable[[str], int | None] | None = None,
) -> None:
    """Add ``released`` to the channel's context and keep the end of it to scan again
    (:func:`scan_context`), searching for a table header only in the lines it adds."""
    whole = channel.context + released
    free = header_free(whole, channel.headerless)
    channel.context = scan_context(
        whole,
        settings,
        shaped=shaped,
        long_lines=long_lines,
        headerless=free,
        at_line=channel.context_at_line,
    )
    if whole.endswith(channel.context):
        dropped = len(whole) - len(channel.context)
        # Lines dropped from the front: what was known free of them no longer counts.
        channel.headerless = max(0, free - dropped)
        at_line = whole[dropped - 1] == "\n" if dropped else channel.context_at_line
        channel.context_at_line = at_line
    else:  # a table's header before its last rows (_under_header): searched again
        channel.headerless = 0
        channel.context_at_line = True


def may_hold_table(channel: ChannelState, pending: str) -> bool:
    """Whether the context and ``pending`` may hold a password table header in the lines
    they end (the context's known-free lines are not searched again)."""
    text = channel.context + pending
    return header_free(text, channel.headerless) < text.rfind("\n") + 1


def scan_context(
    released: str,
    settings: StreamSettings,
    *,
    shaped: bool,
    long_lines: Callable[[str], int | None] | None = None,
    headerless: int = 0,
    at_line: bool = True,
) -> str:
    """The end of the released text to scan again with the next pending text.
    ``long_lines`` (:class:`policies.line_context.LongLines`) says where a command line a
    password may still end began; ``released[:headerless]`` is known to hold no password
    table header (:func:`detectors.password_tables.header_free`); ``at_line``: whether
    ``released`` starts at a line's start (else its first line is no table's header)."""
    if not shaped:
        # SECURITY: a password table's header stays too (see below).
        start = max(0, len(released) - settings.holdback_chars)
        table = _open_table(released, headerless)
        if table is not None and table < start:
            return released[table:]
        return _under_header(released, start, at_line=at_line)
    if len(released) <= CONTEXT_CHARS:
        return released
    # SECURITY: a private key longer than max_hold_chars is released in parts. Its
    # BEGIN line stays in the context until the END line, so that the detector still
    # sees the block and masks every later part of its body.
    key = open_private_key(released[-PRIVATE_KEY_CONTEXT_CHARS:])
    if key is not None:
        return released[-PRIVATE_KEY_CONTEXT_CHARS:][key:]
    # SECURITY: so does a manifest's ``data:`` line while its block goes on: its entries
    # are a Secret's values only under it (a data map may be longer than max_hold_chars).
    block = open_data_block(released[-PRIVATE_KEY_CONTEXT_CHARS:])
    if block is not None:
        return released[-PRIVATE_KEY_CONTEXT_CHARS:][block:]
    # Start after a blank, not inside a token: a match must not be found in the middle
    # of one just because the window starts there.
    tail = released[-CONTEXT_CHARS:]
    blank = next((i for i, char in enumerate(tail) if char.isspace()), -1)
    start = len(released) - len(tail) + blank + 1
    # SECURITY: "mysql <many options> -pX": the command stays in the context, however far
    # before the password, while its line goes on.
    line = long_lines(released) if long_lines is not None else None
    if line is not None and line < start:
        start = line
    # SECURITY: a password column's cells are passwords only under their header: the
    # header stays in the context while the table goes on (rows of at most
    # TABLE_CONTEXT_CHARS, from the header on). The released text may end inside a row,
    # which does not make a row yet: the table is judged up to its last line break.
    table = _open_table(released, headerless)
    return released[table if table is not None and table < start else start :]


def _under_header(released: str, start: int, *, at_line: bool) -> str:
    """``released[start:]``, after the header of the table it is in, if any.

    SECURITY: under a fixed window (output rules on NER types) a table's column of people
    is known by its header ("| Reviewer |" over surnames alone), which a window of its
    last rows no longer holds: the header row and its rule line stay in front of the
    context while the table goes on (:func:`detectors.name_tables.open_header`), and
    the context starts at a row's start, so that its rows are read as rows of that table
    (a row cut in two is none). Rows longer than :data:`TABLE_CONTEXT_CHARS` and headers
    longer than that are left out: the context is then the window alone.
    """
    # A line cut at its start may read as a header ("…e service, which…": "service").
    first = 0 if at_line else released.find("\n", 0, start) + 1
    head = open_header(released[first:]) if first or at_line else None
    if head is not None:
        head = (first + head[0], first + head[1])
    if head is None or head[0] >= start or head[1] - head[0] > TABLE_CONTEXT_CHARS:
        return released[start:]
    line = released.rfind("\n", 0, start) + 1
    if line <= head[1]:
        return released[head[0] :]
    if start - line > TABLE_CONTEXT_CHARS:
        return released[start:]
    # Findings in the header map to released text before the window (never pending text).
    return released[head[0] : head[1]] + released[line:]


def _open_table(released: str, headerless: int) -> int | None:
    """Where, in ``released``, the header of a password table still going on starts (at
    most :data:`TABLE_CONTEXT_CHARS` back), else ``None``; ``released[:headerless]``
    holds no header."""
    floor = max(0, len(released) - TABLE_CONTEXT_CHARS)
    rows = released.rfind("\n", floor) + 1
    if rows <= floor or rows <= headerless:
        return None
    table = open_table(released[floor:rows])
    return None if table is None else floor + table


def shaped_cut(pending: str, held: int, spans: list[Span], settings: StreamSettings) -> int:
    """Where to cut: before the suffix that could still become a finding, moved back so
    that no finding is split, unless that would hold more than ``max_hold_chars``."""
    return clear_of_findings(
        pending, max(held, len(pending) - settings.max_hold_chars), spans, settings
    )


def window_cut(pending: str, spans: list[Span], settings: StreamSettings) -> int:
    """Where to cut: ``holdback_chars`` from the end, moved back so that no word or
    finding is split, unless that would hold more than ``max_hold_chars``."""
    size, limit = len(pending), settings.max_hold_chars
    cut = size - settings.holdback_chars
    if cut <= 0:
        return 0
    word = cut
    while word > 0 and size - word <= limit and not pending[word - 1].isspace():
        word -= 1
    if size - word <= limit and not pending[cut].isspace():
        cut = word
    return clear_of_findings(pending, cut, spans, settings)


def clear_of_findings(pending: str, cut: int, spans: list[Span], settings: StreamSettings) -> int:
    """``cut`` moved back to the start of any finding it splits, as far as
    ``max_hold_chars`` allows."""
    size, limit = len(pending), settings.max_hold_chars
    moved = True
    while moved:
        moved = False
        for _, start, end in spans:
            # A finding may begin in the context (start < 0): it holds back from 0.
            # Only a move back is progress (moving to 0 again looped for ever).
            back = max(start, 0)
            if start < cut < end and back < cut and size - back <= limit:
                cut, moved = back, True
    return cut
