"""An IBAN in lower case, with dots or wrapped over two lines, streamed cut anywhere, never
reaches the caller (h206): its first groups show no IBAN until its last has arrived, so a
stream holds the run (:func:`detectors.iban_forms.open_iban`) and masks it whole as the whole
answer does; what is no IBAN streams as the whole answer."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.inspector import PolicyInspector
from tests.fuzzing import examples
from tests.policies.pattern_detection import default_pack_inspector
from tests.policies.test_holdback_properties import redacted, split, streamed
from tests.policies.test_stream_value_first import assert_never_streamed, every_split

#: Answers and the IBAN in each, in the forms the stream must hold.
ANSWERS = [
    ("Sure, the refund goes to nl04 kemu 0181 5908 30 by Friday.", "nl04 kemu 0181 5908 30"),
    (
        "Transfer to\nGB17 KEMU 0181 5908\n3016 61\nand keep the receipt.",
        "GB17 KEMU 0181 5908\n3016 61",
    ),
    ("Konto DE50.5260.1815.9083.0166.13 (Postbank)", "DE50.5260.1815.9083.0166.13"),
    ("iban: es43-5260-1815-1690\n8301-6613, thanks", "es43-5260-1815-1690\n8301-6613"),
]
FUZZ = settings(
    max_examples=examples(10),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default pack, which masks IBANs in answers, with pattern detection."""
    return default_pack_inspector()


@pytest.mark.parametrize(("answer", "value"), ANSWERS)
def test_an_iban_split_anywhere_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position (and a character, a word per chunk), the chunks join to the
    whole answer's redaction, which masks the IBAN, and no chunk carries any of its groups
    before the last (the first two groups are checked: alone they are no IBAN)."""
    head = " ".join(value.replace(".", " ").replace("-", " ").split()[:2])
    assert_never_streamed(inspector, loop, answer, value, head)


@FUZZ
@given(
    answer=st.sampled_from([a for a, _ in ANSWERS]),
    cuts=st.lists(st.integers(0, 80), min_size=1, max_size=6),
)
def test_an_iban_cut_in_many_pieces_streams_as_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, cuts: list[int]
) -> None:
    """Cut in several places at once, the stream is the whole answer's redaction."""
    whole = loop.run(redacted(inspector, answer))
    assert "".join(loop.run(streamed(inspector, split(answer, cuts)))) == whole


@pytest.mark.parametrize(
    "answer",
    [
        "IBAN: DE50 5260 1815 9083 0166 13\n12 invoices attached\n",
        "commit ab12 cdef 3456 7890 abcd ef01 was reverted\nnext line",
        "Version se01.2345 of the firmware\nships 12 fixes.",
    ],
)
def test_what_is_no_iban_streams_as_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str
) -> None:
    """A number after an IBAN's line, hex groups, a dotted version: cut anywhere, the
    stream is the whole answer's redaction (the IBAN masked, nothing else)."""
    whole = loop.run(redacted(inspector, answer))
    assert "12 invoices" in whole or "12 invoices" not in answer
    for pieces in every_split(answer):
        assert "".join(loop.run(streamed(inspector, pieces))) == whole, pieces
