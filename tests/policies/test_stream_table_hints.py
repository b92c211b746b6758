"""A stream searches for password table headers only in the lines each release adds
(:func:`detectors.password_tables.header_free`): the contexts it keeps and the rows it
holds are those of a search over the whole kept context, and a table whose header comes
after more prose than the usual context is still masked."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detectors.password_tables import header_free, open_table
from policies.holdback import CONTEXT_CHARS, open_row
from policies.inspector import PolicyInspector
from policies.model import StreamSettings
from policies.pseudonyms import Pseudonyms, StreamRestorer
from policies.scanning import DetectorScanner
from policies.stream_channel import ChannelState, keep_context, may_hold_table, scan_context
from tests.fuzzing import examples
from tests.policies.factories import policy, real_scanner, secrets_detector
from tests.policies.pattern_detection import cached_pack
from tests.policies.test_holdback_properties import redacted, split, streamed
from tests.policies.test_stream_tables import WINDOWED

FUZZ = settings(
    max_examples=examples(150),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

PASSWORDS = tuple(f"Xk9#mQ{i:02d}!vL" for i in range(10))
PROSE = "The accounts were created this morning and each one was checked twice.\n" * 4
# A line with a header's key word that heads no table: the search stops there.
HINTED = "If you would rather not, just pass, and we will carry on.\n"
ROWS = "".join(f"| user{i:02d} | {pw} | active |\n" for i, pw in enumerate(PASSWORDS))
LATE = f"{PROSE}{HINTED}{PROSE}| user | password | status |\n|---|---|---|\n{ROWS}\nDone."

# Pieces of text with table headers, rows, hints that head nothing and plain prose, some
# longer than the usual context (so that the kept context is cut while a table goes on).
FRAGMENTS = st.sampled_from(
    [
        "| user | password | status |\n",
        "|---|---|---|\n",
        "| bob | Zq8$wE4@tY | on |\n",
        "| eve | Hq2!xR7@pL | off |\n" * 6,
        "| password | Hx7!kP2q |\n",
        "username,passwd,created\n",
        "amy,Pw0001!xyz,2024-01-01\n",
        " usename | PİN | x\n-----+-----+---\n",
        "just pass, thanks\n",
        "the word pw",
        " words and more words",
        "\n",
        "\r\n",
        "x" * 120,
        PROSE,
    ]
)


@st.composite
def texts(draw: st.DrawFn) -> str:
    """A text of table and prose fragments."""
    return "".join(draw(st.lists(FRAGMENTS, max_size=20)))


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector."""
    return PolicyInspector(cached_pack(), DetectorScanner([secrets_detector()]))


@pytest.mark.parametrize(
    ("text", "start", "free"),
    [
        ("plain prose\nand more\n", 0, 21),
        ("plain prose\nand more", 0, 12),  # an unfinished line is not known free
        ("prose\n| user | password |\n|---|---|\n", 0, 6),
        ("prose\n| user | password |\n|---|---|\n", 6, 6),
        ("| a | Password |\nrow\nmore\n", 17, 26),  # the header's line was searched before
        ("prose\nPİN, code\n", 0, 6),  # "İ" lowercases to two characters
        ("no line break at all", 0, 0),
    ],
)
def test_header_free_stops_at_the_first_line_with_a_header_hint(
    text: str, start: int, free: int
) -> None:
    """header_free gives the start of the first line from ``start`` on with a header's key
    word, else the end of the last whole line."""
    assert header_free(text, start) == free


@given(text=texts(), at=st.integers(0, 3000))
@FUZZ
def test_no_table_opens_in_the_lines_said_to_be_free(text: str, at: int) -> None:
    """No part of the text ending at a line break within the free lines opens a table,
    and searching on from a prefix's answer gives the answer for the whole text."""
    free = header_free(text)
    for end in (i + 1 for i, char in enumerate(text[:free]) if char == "\n"):
        assert open_table(text[at % end : end]) is None
    prefix = text[: at % (len(text) + 1)]
    assert header_free(text, header_free(prefix)) == free


@given(text=texts(), cuts=st.lists(st.integers(0, 3000), max_size=30), shaped=st.booleans())
@FUZZ
def test_the_kept_context_is_that_of_a_search_over_all_of_it(
    text: str, cuts: list[int], shaped: bool
) -> None:
    """Released in any pieces, the channel keeps the context a search of the whole kept
    text would keep, and holds a row wherever the whole search would."""
    stream_settings = StreamSettings()
    channel = ChannelState(StreamRestorer(Pseudonyms()))
    for piece in split(text, cuts):
        if not may_hold_table(channel, piece):
            assert open_row(piece, channel.context) is None
        expected = scan_context(
            channel.context + piece, stream_settings, shaped=shaped, at_line=channel.context_at_line
        )
        keep_context(channel, piece, stream_settings, shaped=shaped)
        assert channel.context == expected


def test_the_samples_reach_beyond_the_usual_context() -> None:
    """The late table's header comes after more prose than the usual context, and its last
    cell further below it than that (so the tests below are not vacuous)."""
    header = LATE.index("| user | password")
    assert header > CONTEXT_CHARS
    assert LATE.index(PASSWORDS[-1]) - header > CONTEXT_CHARS


#: Every how many characters the plain prose of LATE is cut (see :func:`late_cuts`).
PROSE_STRIDE = 7


def late_cuts() -> list[int]:
    """Where LATE is cut in two: at every position in the hint line and from the table's
    header to the end, and every :data:`PROSE_STRIDE` characters in the plain prose.

    Streaming a cut costs a scan of the whole answer, so every cut of its 1,015 characters
    was the module's main cost. A cut in plain prose leaves the hint and the table whole in
    one chunk; the mutants of the kept context tried (h138: the header searched nowhere,
    the known-free lines not shifted as the context drops lines) failed only at cuts from
    the header on and in the line and word splits."""
    hint, header = LATE.index(HINTED), LATE.index("| user | password")
    dense = [*range(hint, hint + len(HINTED) + 1), *range(header, len(LATE))]
    return sorted({*range(1, len(LATE), PROSE_STRIDE), *dense} - {0})


def test_a_table_after_long_prose_is_masked_however_it_is_cut(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """A table whose header comes after 256+ characters of prose (and a line with a hint
    that heads nothing), cut in two anywhere in the hint line and the table (and often in
    the prose) or streamed a line or a word per chunk, joins to the non-streamed redaction
    with no password in any chunk."""
    whole = loop.run(redacted(inspector, LATE))
    assert not any(pw in whole for pw in PASSWORDS)
    cuts = [[LATE[:cut], LATE[cut:]] for cut in late_cuts()]
    words = split(LATE, [i for i, char in enumerate(LATE) if char == " "])
    for pieces in [*cuts, LATE.splitlines(keepends=True), words]:
        chunks = loop.run(streamed(inspector, pieces))
        assert "".join(chunks) == whole, pieces
        assert not any(pw in chunk for chunk in chunks for pw in PASSWORDS), pieces


def test_a_windowed_stream_masks_a_table_after_long_prose(loop: asyncio.Runner) -> None:
    """Under output rules that need NER (a fixed window), the late table is masked too."""
    rule = policy(WINDOWED)
    windowed = PolicyInspector(rule, real_scanner(rule))
    whole = loop.run(redacted(windowed, LATE))
    assert not any(pw in whole for pw in PASSWORDS)
    for pieces in (LATE.splitlines(keepends=True), split(LATE, range(0, len(LATE), 9))):
        chunks = loop.run(streamed(windowed, pieces))
        assert "".join(chunks) == whole
        assert not any(pw in chunk for chunk in chunks for pw in PASSWORDS)
