"""A table of people in a streamed answer under an output rule on PERSON (issue 14, h82,
h87): every row's name is masked when the answer is streamed, in reads of any size, as
when it is not, although each scan window holds a few rows and not the table's header;
a table of tools streams as it did, without being held longer."""

from __future__ import annotations

import asyncio

import pytest

from detectors.nlp_engine import load_spacy_model
from detectors.pii import PresidioDetector
from detectors.settings import PiiSettings
from policies.inspector import PolicyInspector
from policies.model import StreamSettings
from policies.pseudonyms import Pseudonyms, StreamRestorer
from policies.scanning import DetectorScanner
from policies.stream_channel import ChannelState, keep_context
from proxy.call.sse import SSEEvent
from tests.policies.factories import call_info, policy
from tests.policies.test_holdback_properties import PROMPT, redacted, streamed
from tests.policies.test_stream import chat_stream, chat_text

REDACT_NAMES = """
version: 1
name: redact-names-in-answers
rule_sets:
  - name: answers
    rules:
      - id: redact-names
        direction: output
        action: redact
        match:
          entities: [PERSON]
"""
FIRST = ("Oluwaseun", "Chidi", "Tendai", "Bongani", "Yerlan", "Ann", "Priya", "Jonas")
LAST = ("Adeyemi", "Okafor", "Moyo", "Dlamini", "Abenov", "Lee", "Stone", "Berger")
PEOPLE = [(FIRST[(3 * i) % 8], LAST[i % 8]) for i in range(24)]
TABLES = {
    "markdown": (
        "| Ticket | Assignee | Status |\n|---|---|---|\n"
        + "".join(
            f"| OPS-{i} | {first} {last} | open |\n" for i, (first, last) in enumerate(PEOPLE)
        ),
        [f"{first} {last}" for first, last in PEOPLE],
    ),
    "csv, last name first": (
        "ticket,assignee,status\n"
        + "".join(f'OPS-{i},"{last}, {first}",open\n' for i, (first, last) in enumerate(PEOPLE)),
        [f"{last}, {first}" for first, last in PEOPLE],
    ),
}


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """A policy that redacts PERSON in answers, with the real PII detector."""
    settings = PiiSettings()
    pii = PresidioDetector(settings, nlp=load_spacy_model(settings.spacy_model))
    return PolicyInspector(policy(REDACT_NAMES), DetectorScanner([pii]))


@pytest.mark.parametrize("kind", sorted(TABLES))
def test_every_row_s_name_is_masked_in_a_streamed_table(
    inspector: PolicyInspector, loop: asyncio.Runner, kind: str
) -> None:
    """Streamed a line per chunk, and whole, no row's name is sent in clear."""
    table, names = TABLES[kind]
    whole = loop.run(redacted(inspector, table))
    sent = "".join(loop.run(streamed(inspector, table.splitlines(keepends=True))))
    assert [n for n in names if n in whole] == []
    assert [n for n in names if n in sent] == []


# Surnames alone: a column of people only by its header, which the model does not know.
SURNAMES = ("Adeyemi", "Okafor", "Moyo", "Dlamini", "Abenov", "Natarajan", "Kowalski", "Haddad")
REVIEWS = {
    "markdown": "| Change | Reviewer | Status |\n|---|---|---|\n"
    + "".join(f"| PR-{i} | {SURNAMES[i % 8]} | merged |\n" for i in range(24)),
    "csv": "change,reviewer,status\n"
    + "".join(f"PR-{i},{SURNAMES[i % 8]},merged\n" for i in range(24)),
}
TOOLS = "| Product | Version |\n|---|---|\n" + "".join(
    f"| {tool} | {i}.{i % 3}.0 |\n"
    for i, tool in enumerate(
        ("Jenkins", "Travis", "Ansible", "Chef", "Puppet", "Grafana", "Kibana", "Jira") * 3
    )
)
READ_SIZES = (1, 7, 32, 64, 180, 4096)


def reads(text: str, size: int) -> list[str]:
    """``text`` in reads of ``size`` characters."""
    return [text[at : at + size] for at in range(0, len(text), size)]


def rows_in_clear(table: str, sent: str) -> list[str]:
    """The rows of ``table`` whose surname ``sent`` holds in clear."""
    return [row for row in sent.splitlines() if any(name in row for name in SURNAMES)]


@pytest.mark.parametrize("size", READ_SIZES)
@pytest.mark.parametrize("kind", sorted(REVIEWS))
def test_a_column_of_surnames_under_its_header_is_masked_at_every_read_size(
    inspector: PolicyInspector, loop: asyncio.Runner, kind: str, size: int
) -> None:
    """A "Reviewer" column of surnames streamed in reads of any size sends no surname in
    clear, and the caller gets exactly the non-streamed redaction (the window's rows are
    read under the table's header)."""
    table = REVIEWS[kind]
    whole = loop.run(redacted(inspector, table))
    sent = "".join(loop.run(streamed(inspector, reads(table, size))))
    assert rows_in_clear(table, whole) == []  # the header makes the column one of people
    assert rows_in_clear(table, sent) == []
    assert sent == whole


async def held_after_each_read(inspector: PolicyInspector, pieces: list[str]) -> list[int]:
    """How many characters the proxy holds back after each read of ``pieces``."""
    inspection = await inspector.inspect_request(call_info(stream=True), PROMPT)
    stream = inspection.output.stream()
    received = sent = 0
    held: list[int] = []
    for event in chat_stream(pieces):
        out: list[SSEEvent] = list(await stream.feed(event))
        received += len(chat_text([event]))
        sent += len(chat_text(out))
        held.append(received - sent)
    return held


@pytest.mark.parametrize("size", READ_SIZES)
def test_a_table_of_tools_streams_without_being_held_longer(
    inspector: PolicyInspector, loop: asyncio.Runner, size: int
) -> None:
    """A table of products is sent as it is, never more than the fixed window and a scan
    step and a cell behind what arrived: its header in the scan context holds nothing."""
    window = StreamSettings().holdback_chars
    sent = "".join(loop.run(streamed(inspector, reads(TOOLS, size))))
    held = loop.run(held_after_each_read(inspector, reads(TOOLS, size)))
    assert sent == TOOLS
    assert max(held) <= max(size, window + window // 2 + len("| Jenkins |"))


def test_prose_cut_inside_a_line_keeps_only_the_window() -> None:
    """Under a window, prose whose context starts inside a line ("…e service, which…": a
    'service' cell) keeps no more than the window: a cut line is no table's header."""
    settings = StreamSettings()
    channel = ChannelState(StreamRestorer(Pseudonyms()))
    prose = "".join(
        f"Step {i}: the service, which we deployed on day {i}, handles auth, billing and "
        "search; check the logs.\n"
        for i in range(12)
    )
    longest = 0
    for piece in reads(prose, 32):
        keep_context(channel, piece, settings, shaped=False)
        longest = max(longest, len(channel.context))
    assert longest == settings.holdback_chars
