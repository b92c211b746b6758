"""Office passwords in streamed answers (issue 14, h125): a value that is a password only
because its line ends after it (the answer to "whats the wifi pw?", "- Wi-Fi (staff): X"),
one referred back to ("the old one was X"), a row of a ";" sheet and a list of logins under
its heading. Split anywhere, the caller gets exactly the non-streamed redaction and the
password in no chunk; where words follow the value on its line, the stream releases what
the whole answer does."""

from __future__ import annotations

import asyncio

import pytest

from detectors.secrets import SecretsDetector
from policies.inspector import PolicyInspector
from policies.loader import shipped_pack
from policies.scanning import DetectorScanner
from tests.policies.test_holdback_properties import redacted, streamed
from tests.policies.test_stream_value_first import assert_never_streamed, every_split


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector."""
    return PolicyInspector(shipped_pack("default"), DetectorScanner([SecretsDetector()]))


ANSWERS = [
    ("Ria: whats the wifi pw?\nTom: paper-lemon-stone-wide\nRia: ta", "paper-lemon-stone-wide"),
    ("Your first day:\n- Wi-Fi (office): silent_north_coffee_brick\n- Door code: 4471",
     "silent_north_coffee_brick"),
    ("I changed the password on the shop account. The old one was Summer2030!, sorry.",
     "Summer2030!"),
    ("what;user;pw\nfront desk;kmaina;Zn3#pw8Q\nscanner;kmaina;5521", "Zn3#pw8Q"),
    ("Partner logins\nTravel desk - jdoe - Autumn2029#\nCourier - acct - Qw8#z", "Autumn2029#"),
]  # fmt: skip


@pytest.mark.parametrize(("answer", "value"), ANSWERS)
def test_an_office_password_split_anywhere_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position, the chunks join to the non-streamed redaction, which masks
    the password, and no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)


NOT_ALONE = [
    "Ria: whats the guest wifi pw?\nTom: paper-lemon-stone-wide is what the sign says\nRia: ta",
    "Your first day:\n- Wi-Fi (office): silent_north_coffee_brick network, no key\n- Desk 4",
]


@pytest.mark.parametrize("answer", NOT_ALONE)
def test_a_value_not_alone_on_its_line_streams_as_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str
) -> None:
    """Words after the value on its line make it no answer: cut anywhere, the stream
    releases exactly what the whole answer does."""
    whole = loop.run(redacted(inspector, answer))
    for pieces in every_split(answer):
        assert "".join(loop.run(streamed(inspector, pieces))) == whole, pieces
