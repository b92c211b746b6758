"""A password column streamed row by row is masked in every row, however far below its
header: the header stays in the scan context while the table goes on (bounded), and the
chunks join to the non-streamed redaction for any split."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.holdback import CONTEXT_CHARS, TABLE_CONTEXT_CHARS
from policies.inspector import PolicyInspector
from policies.model import StreamSettings
from policies.scanning import DetectorScanner
from policies.stream_channel import scan_context
from tests.fuzzing import examples
from tests.policies.factories import policy, real_scanner, secrets_detector
from tests.policies.pattern_detection import cached_pack
from tests.policies.test_holdback_properties import redacted, split, streamed

FUZZ = settings(
    max_examples=examples(60),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: The passwords of the tables' rows; the last one sits well beyond CONTEXT_CHARS.
PASSWORDS = (*(f"Xk9#mQ{i:02d}!vL" for i in range(8)), "Zq8$wE4@tY")


def markdown(passwords: tuple[str, ...]) -> str:
    rows = "".join(f"| user{i:02d} | {pw} | active |\n" for i, pw in enumerate(passwords))
    return f"Here they are:\n\n| user | password | status |\n|---|---|---|\n{rows}\nDone."


def psql(passwords: tuple[str, ...]) -> str:
    rows = "".join(f" user{i:02d}  | {pw} | t\n" for i, pw in enumerate(passwords))
    return f" usename | passwd     | super\n---------+------------+------\n{rows}(9 rows)\n"


def csv(passwords: tuple[str, ...]) -> str:
    rows = "".join(f"user{i:02d},{pw},2024-0{i % 9 + 1}-01\n" for i, pw in enumerate(passwords))
    return f"username,password,created\n{rows}"


TABLES = {"markdown": markdown(PASSWORDS), "psql": psql(PASSWORDS), "csv": csv(PASSWORDS)}


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector."""
    return PolicyInspector(cached_pack(), DetectorScanner([secrets_detector()]))


@pytest.mark.parametrize("kind", sorted(TABLES))
def test_the_samples_are_masked_whole_and_reach_beyond_the_usual_context(
    inspector: PolicyInspector, loop: asyncio.Runner, kind: str
) -> None:
    """The non-streamed path masks every cell, and the last cell is further below its header
    than the usual scan context (so the streamed tests below are not vacuous)."""
    table = TABLES[kind]
    assert table.index(PASSWORDS[-1]) - table.index("pass") > CONTEXT_CHARS
    whole = loop.run(redacted(inspector, table))
    assert not any(pw in whole for pw in PASSWORDS)


@pytest.mark.parametrize("kind", sorted(TABLES))
def test_a_table_cut_at_every_position_never_carries_a_password(
    inspector: PolicyInspector, loop: asyncio.Runner, kind: str
) -> None:
    """Cut in two at every position and streamed a line per chunk, the chunks join to the
    non-streamed redaction and none carries a password."""
    table = TABLES[kind]
    whole = loop.run(redacted(inspector, table))
    cuts = [[table[:cut], table[cut:]] for cut in range(1, len(table))]
    for pieces in [*cuts, table.splitlines(keepends=True)]:
        chunks = loop.run(streamed(inspector, pieces))
        assert "".join(chunks) == whole, pieces
        assert not any(pw in chunk for chunk in chunks for pw in PASSWORDS), pieces


@given(kind=st.sampled_from(sorted(TABLES)), cuts=st.lists(st.integers(0, 2000), max_size=40))
@FUZZ
def test_a_table_split_anyhow_equals_its_redaction(
    inspector: PolicyInspector, loop: asyncio.Runner, kind: str, cuts: list[int]
) -> None:
    """For any split into chunks, the chunks join to the non-streamed redaction and none
    carries a password."""
    table = TABLES[kind]
    chunks = loop.run(streamed(inspector, split(table, cuts)))
    assert "".join(chunks) == loop.run(redacted(inspector, table))
    assert not any(pw in chunk for chunk in chunks for pw in PASSWORDS)


def test_the_header_is_kept_while_the_table_goes_on_and_dropped_after_it() -> None:
    """The scan context starts at the header while the released text ends inside the table
    (a row half written included), and falls back to the usual context after it."""
    shaped = StreamSettings()
    table = markdown(PASSWORDS)
    header = table.index("| user |")
    inside = table[: table.index(PASSWORDS[-1])]
    assert scan_context(inside, shaped, shaped=True) == inside[header:]
    after = table + " And now some prose that goes on for a while." * 8
    assert len(scan_context(after, shaped, shaped=True)) <= CONTEXT_CHARS


def test_the_kept_header_is_bounded() -> None:
    """A table longer than TABLE_CONTEXT_CHARS no longer keeps its header: the context
    stays bounded, whatever the table's length."""
    table = csv(tuple(f"Pw{i:04d}!xyz" for i in range(400)))
    context = scan_context(table, StreamSettings(), shaped=True)
    assert len(context) <= TABLE_CONTEXT_CHARS


WINDOWED = """
name: windowed
rule_sets:
  - name: main
    rules:
      - id: redact-secrets-and-names
        direction: output
        action: redact
        match: {entities: [SECRETS, PERSON]}
"""


def test_a_windowed_stream_keeps_the_header_too(loop: asyncio.Runner) -> None:
    """Under output rules that need NER (a fixed hold-back window), a password cell far
    below its header is masked as well, the table streamed a line per chunk."""
    rule = policy(WINDOWED)
    windowed = PolicyInspector(rule, real_scanner(rule))
    table = TABLES["markdown"]
    whole = loop.run(redacted(windowed, table))
    assert not any(pw in whole for pw in PASSWORDS)
    for pieces in (table.splitlines(keepends=True), split(table, range(0, 600, 7))):
        chunks = loop.run(streamed(windowed, pieces))
        assert "".join(chunks) == whole
        assert not any(pw in chunk for chunk in chunks for pw in PASSWORDS)
