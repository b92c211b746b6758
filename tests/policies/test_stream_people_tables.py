"""A table of people in a streamed answer under an output rule on PERSON (issue 14, h82):
every row's name is masked when the answer is streamed line by line, as when it is not,
although each scan window holds a few rows and not the table's header."""

from __future__ import annotations

import asyncio

import pytest

from detectors.nlp_engine import load_spacy_model
from detectors.pii import PresidioDetector
from detectors.settings import PiiSettings
from policies.inspector import PolicyInspector
from policies.scanning import DetectorScanner
from tests.policies.factories import policy
from tests.policies.test_holdback_properties import redacted, streamed

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
