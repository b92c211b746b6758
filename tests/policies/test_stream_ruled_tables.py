"""A password table whose header is ruled off by a line of another drawing (a MySQL client's
``+----+----+`` box, Markdown's ``|:---:|`` or ``|===|``, box-drawing ``├───┼───┤``) streams
as the whole answer reads it: every row's password is masked, however far below its header
and however the answer is cut (the stream's hold-back must know such a table is still open)."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detectors.password_tables import open_table
from policies.holdback import CONTEXT_CHARS
from policies.inspector import PolicyInspector
from policies.scanning import DetectorScanner
from tests.fuzzing import examples
from tests.policies.factories import secrets_detector
from tests.policies.pattern_detection import cached_pack
from tests.policies.test_holdback_properties import redacted, split, streamed

FUZZ = settings(
    max_examples=examples(20),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

PASSWORDS = ("Xk9#mQ01!vLa7", "Zq8$wE4@tYp2", "Rn5%hJ7&cWs3")
SYSTEMS = ("NAS", "firewall", "backup")
WIDTHS = (24, 30, 40)


def _row(cells: tuple[str, ...], side: str, inner: str) -> str:
    """One row, each cell padded to its column's width (as a client prints it)."""
    padded = [f" {cell:<{width - 2}} " for cell, width in zip(cells, WIDTHS, strict=True)]
    return side + inner.join(padded) + side + "\n"


def _rule(left: str, fill: str, junction: str, right: str) -> str:
    return left + junction.join(fill * width for width in WIDTHS) + right + "\n"


Rule = tuple[str, str, str, str]  # left end, fill, junction, right end


def drawn(
    rows: int,
    *,
    side: str,
    rule: Rule,
    top: Rule | None,
    bottom: Rule | None,
    between: Rule | None = None,
) -> str:
    """A table of ``rows`` accounts: a border ``top``, the header, the rule line, the rows
    (a border ``between`` each two, as a grid table draws them) and a border ``bottom``,
    between two lines of prose."""
    body = (_rule(*between) if between else "").join(
        _row((system, "admin", password), side, side)
        for system, password in zip(SYSTEMS[:rows], PASSWORDS[:rows], strict=True)
    )
    header = _row(("system", "login", "password"), side, side)
    above = _rule(*top) if top else ""
    below = _rule(*bottom) if bottom else ""
    return f"The accounts:\n{above}{header}{_rule(*rule)}{body}{below}That is all.\n"


def tables(rows: int) -> dict[str, str]:
    """The drawings of one table of ``rows`` accounts."""
    box, equals = ("+", "-", "+", "+"), ("+", "=", "+", "+")
    return {
        "mysql": drawn(rows, side="|", rule=box, top=box, bottom=box),
        "grid_equals": drawn(rows, side="|", rule=equals, top=box, bottom=box),
        "grid_rows_apart": drawn(rows, side="|", rule=equals, top=box, bottom=box, between=box),
        "markdown_colons": drawn(
            rows, side="|", rule=("|:", "-", ":|:", ":|"), top=None, bottom=None
        ),
        "markdown_equals": drawn(rows, side="|", rule=("|", "=", "|", "|"), top=None, bottom=None),
        "box": drawn(
            rows,
            side="│",
            rule=("├", "─", "┼", "┤"),
            top=("┌", "─", "┬", "┐"),
            bottom=("└", "─", "┴", "┘"),
        ),
        "box_rows_apart": drawn(
            rows,
            side="│",
            rule=("├", "─", "┼", "┤"),
            top=("┌", "─", "┬", "┐"),
            bottom=("└", "─", "┴", "┘"),
            between=("├", "─", "┼", "┤"),
        ),
    }


CASES = [(kind, rows) for rows in (2, 3) for kind in sorted(tables(rows))]
#: One drawing of each ASCII family (a ``+---+`` box, Markdown) is cut in two at every
#: position; the others at :func:`cuts_that_matter`. A box-drawn table is read as the ASCII
#: table it draws, character for character, so its cuts land where the ``+---+`` box's do;
#: streaming it costs ~6 times as much a cut (every cut of one was 70 s of the module's 360 s).
EVERY_CUT = {("mysql", 2), ("markdown_colons", 2)}
#: Every how many characters a table is cut away from its passwords and line breaks. A
#: line is 99 characters, so each line is cut at other columns than the line above it.
STRIDE = 10
#: How many characters either side of a line break or a password every position is cut.
MARGIN = 2


def cuts_that_matter(table: str) -> list[int]:
    """Where ``table`` is cut in two: at every position within :data:`MARGIN` of a
    password and of a line break (a rule line's ends, a row's), and every :data:`STRIDE`
    characters elsewhere.

    Streaming a cut costs a scan of the whole answer, so every cut of all 14 tables was 17 %
    of the suite's time. The hold-back mistakes this module was written against (h157: a
    ruled header no open table, a grid's border between rows ending it) released a later
    password at every cut in the rows below the header's context, whole lines at a time;
    a cut inside a password is where a value is released in part."""
    near_breaks = [
        cut
        for at, char in enumerate(table)
        if char == "\n"
        for cut in range(at + 1 - MARGIN, at + 2 + MARGIN)
    ]
    near_passwords = [
        cut
        for password in PASSWORDS
        if password in table
        for start in [table.index(password)]
        for cut in range(start - MARGIN, start + len(password) + MARGIN + 1)
    ]
    dense = {*near_breaks, *near_passwords} & set(range(1, len(table)))
    return sorted({*range(1, len(table), STRIDE), *dense})


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector."""
    return PolicyInspector(cached_pack(), DetectorScanner([secrets_detector()]))


@pytest.mark.parametrize(("kind", "rows"), CASES)
def test_the_whole_answer_masks_every_row_and_the_last_lies_beyond_the_context(
    inspector: PolicyInspector, loop: asyncio.Runner, kind: str, rows: int
) -> None:
    """The non-streamed answer masks every password and nothing of the drawing, and the last
    password is further below the header than the usual scan context (so the streamed
    tests are not vacuous)."""
    table = tables(rows)[kind]
    whole = loop.run(redacted(inspector, table))
    assert whole.count("<PASSWORD>") == rows
    assert not any(pw in whole for pw in PASSWORDS)
    assert table.index(PASSWORDS[rows - 1]) - table.index("password") > CONTEXT_CHARS


@pytest.mark.parametrize(("kind", "rows"), CASES)
def test_cuts_in_two_and_line_by_line_equal_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner, kind: str, rows: int
) -> None:
    """Cut in two (at every position for one drawing of each ASCII family, at the cuts
    that matter for the others), a line a chunk or a word a chunk, the stream joins to the
    whole answer's redaction and no chunk carries a password."""
    table = tables(rows)[kind]
    whole = loop.run(redacted(inspector, table))
    words = [word + " " for word in table.split(" ")]
    words[-1] = words[-1][:-1]
    every = (kind, rows) in EVERY_CUT
    positions = range(1, len(table)) if every else cuts_that_matter(table)
    cuts = [[table[:cut], table[cut:]] for cut in positions]
    for pieces in [*cuts, table.splitlines(keepends=True), words]:
        chunks = loop.run(streamed(inspector, pieces))
        assert not any(pw in chunk for chunk in chunks for pw in PASSWORDS), pieces
        assert "".join(chunks) == whole, pieces


@given(case=st.sampled_from(CASES), cuts=st.lists(st.integers(0, 2000), max_size=40))
@FUZZ
def test_a_ruled_table_split_anyhow_equals_its_redaction(
    inspector: PolicyInspector, loop: asyncio.Runner, case: tuple[str, int], cuts: list[int]
) -> None:
    """For any split into chunks, the chunks join to the whole answer's redaction."""
    table = tables(case[1])[case[0]]
    chunks = loop.run(streamed(inspector, split(table, cuts)))
    assert "".join(chunks) == loop.run(redacted(inspector, table))


@pytest.mark.parametrize("kind", sorted(tables(2)))
def test_open_table_points_at_the_header_until_the_table_ends(kind: str) -> None:
    """open_table gives exactly where the header line starts while the text ends inside
    the table (after its rule line, after a row), and None once prose follows it."""
    table = tables(2)[kind]
    header = max(table.find("| system"), table.find("│ system"))
    first_row = table.index("\n", table.index(PASSWORDS[0])) + 1
    assert open_table(table[:first_row]) == header
    assert open_table(table) is None


def test_a_rule_of_equals_signs_is_no_password() -> None:
    """A Markdown table ruled with "=" reads the rule as the rule, not as a row whose
    password cell is "==========" (the cell under "password" was masked before)."""
    detector = secrets_detector()
    table = (
        "| user | password | status |\n|======|==========|========|\n| al | Xk9#mQ01!vL | on |\n"
    )
    spans = [(f.start, f.end) for f in detector.find(table)]
    value = table.index("Xk9#mQ01!vL")
    assert spans == [(value, value + len("Xk9#mQ01!vL"))]
