"""Passwords told in sentences (tests/detectors/test_logins_told_in_sentences.py: a login's
pair after "is", the later pairs of a list, a PIN in parentheses, a word after "user X and
password") streamed cut anywhere reach the caller as the whole answer does: masked, in no
piece. The PIN's rule reads the closing parenthesis after its digits; a one-time password
is a generic secret, streamed the same."""

from __future__ import annotations

import asyncio

import pytest

from policies.inspector import PolicyInspector
from tests.detectors.test_logins_told_in_sentences import FOUND, ONE_TIME
from tests.policies.pattern_detection import default_pack_inspector
from tests.policies.test_holdback_properties import redacted, split, streamed


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    return default_pack_inspector()


@pytest.mark.parametrize(
    ("text", "values"), [*FOUND, *((text, [value]) for text, value in ONE_TIME)]
)
def test_a_password_told_in_a_sentence_streams_as_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner, text: str, values: list[str]
) -> None:
    """Cut in two at every position from a value's start to eight characters past its end,
    and a character a piece: the stream equals the whole answer, which masks every value."""
    answer = text + "\n"
    whole = loop.run(redacted(inspector, answer))
    assert not any(value in whole for value in values), whole
    near = {
        cut
        for value in values
        for cut in range(answer.index(value), answer.index(value) + len(value) + 8)
    }
    cuts = [*([cut] for cut in sorted(near)), range(len(answer))]
    differing = [
        cut for cut in cuts if "".join(loop.run(streamed(inspector, split(answer, cut)))) != whole
    ]
    assert differing == []
