"""Spaced passphrases in streamed answers (issue 14, h147): words with blanks between are a
password only once their line has ended (the answer to "whats the wifi pw?", a Wi-Fi line
in a list of accounts, :func:`detectors.password_prose.is_spoken_passphrase`), so the
stream holds that line until it ends (:func:`policies.holdback.open_answer_line`). Split
anywhere, the caller gets exactly the non-streamed redaction and no word of the passphrase
leaves early; a reply in words on the same kind of line streams as the whole answer."""

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
    ("Ria: whats the wifi pw?\nTom: amber river stone\nRia: ta", "amber river stone"),
    ("Ria: whats the wifi pw?\nTom: amber river stone", "amber river stone"),
    ("- Initial password: Corp414x!\n- Wi-Fi (staff): trade want arrive put\n- Desk 4",
     "trade want arrive put"),
]  # fmt: skip


@pytest.mark.parametrize(("answer", "value"), ANSWERS)
def test_a_spoken_passphrase_split_anywhere_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position, the chunks join to the non-streamed redaction, which masks
    the passphrase, and no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)


REPLIES = [
    "Ria: whats the wifi pw?\nTom: on the fridge door\nRia: ta",
    "- Initial password: Corp414x!\n- Wi-Fi (staff): see the sticker\n- Desk 4",
]


@pytest.mark.parametrize("answer", REPLIES)
def test_a_reply_in_words_streams_as_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str
) -> None:
    """A held line of words that is no passphrase is released as the whole answer has it."""
    whole = loop.run(redacted(inspector, answer))
    assert "on the fridge door" in whole or "see the sticker" in whole
    for pieces in every_split(answer):
        assert "".join(loop.run(streamed(inspector, pieces))) == whole, pieces
