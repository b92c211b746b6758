"""Passwords and codes told in Hindi, Tamil, Arabic and Albanian, a dotted passphrase after
"is" and a disk's recovery key never reach a streaming caller: cut anywhere, the chunks join
to the non-streamed redaction and none carries the value (a lowercase word after a label
that needs no "is" is found once its clause closes, which the stream holds it for)."""

from __future__ import annotations

import asyncio

import pytest

from policies.inspector import PolicyInspector
from policies.scanning import DetectorScanner
from tests.policies.factories import secrets_detector
from tests.policies.pattern_detection import cached_pack
from tests.policies.test_stream_value_first import assert_never_streamed

#: (answer, the value that must not reach the caller)
ANSWERS = (
    ("दुकान के राउटर का पासवर्ड harumaliquid, ठीक है?", "harumaliquid"),
    ("சரி, ஸ்டோர் கடவுச்சொல் Vx8@qz!Lm, நாளை மாற்றுவோம்.", "Vx8@qz!Lm"),
    ("تمام، كلمة المرور للحساب هي Rm4$tq9Zp، غيّرها لاحقاً.", "Rm4$tq9Zp"),
    ("Mirë, kodi i hyrjes është 30571, e ndryshojmë nesër.", "30571"),
    ("Le code wifi de la salle est ember.tiger.folly, bonne réunion.", "ember.tiger.folly"),
    ("Done: BitLocker recovery key 0382 7810, keep it in the safe.", "0382"),
)


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector."""
    return PolicyInspector(cached_pack(), DetectorScanner([secrets_detector()]))


@pytest.mark.parametrize(("answer", "value"), ANSWERS)
def test_a_value_told_in_a_chat_language_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position, the chunks join to the redaction, which masks the value, and
    no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)
