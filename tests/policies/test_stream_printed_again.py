"""A credential the stream masked is masked again where the answer prints it later, however
far from the first place (:mod:`policies.stream_repeats`), as the whole answer masks it.

h148's 20x soak of ``test_holdback_properties`` drew a card's digits told as a password
("hunter22x is my password 4012888888881881"), a private key block, then the digits again:
the whole answer masked the last place as ``<PASSWORD>`` (the detector's later-place
repeat), the stream as ``<CREDIT_CARD>``: its scan of the last place held only the end of
the key block, not the password clause. The same gap released a password printed again
after a few hundred characters of prose in clear."""

from __future__ import annotations

import asyncio

import pytest

from core.scanning import Finding
from detectors.printed_secrets import printed_again
from policies.inspector import PolicyInspector
from tests.policies.pattern_detection import default_pack_inspector
from tests.policies.test_holdback_properties import EC_KEY, redacted, streamed
from tests.policies.test_stream_value_first import word_by_word

CARD = "4012888888881881"
PASSWORD = "Xk9#mQ2!vLzz81"
PROSE = "Hello, the answer is ready and we shipped it.\n" * 8
#: (answer, the value that must not reach the caller), masked last as ``Hello <PASSWORD>``
FAR_REPEATS = (
    (f"hunter22x is my password {CARD} {EC_KEY} Hello {CARD}", CARD),
    (f"DB_PASSWORD={PASSWORD} {EC_KEY} Hello {PASSWORD}", PASSWORD),
    (f"DB_PASSWORD={PASSWORD}\n{PROSE}Hello {PASSWORD} done", PASSWORD),
)


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The default pack with the real secrets detector and Presidio's pattern recognizers."""
    return default_pack_inspector()


@pytest.mark.parametrize(("answer", "value"), FAR_REPEATS)
@pytest.mark.parametrize("in_words", [False, True], ids=["one_piece", "word_by_word"])
def test_a_value_printed_again_far_later_streams_as_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str, in_words: bool
) -> None:
    """Sent in one piece or word by word, the stream joins to the whole answer's redaction,
    which masks the last printing as the first finding's kind; no chunk holds the value."""
    whole = loop.run(redacted(inspector, answer))
    chunks = loop.run(streamed(inspector, word_by_word(answer) if in_words else [answer]))
    assert "Hello <PASSWORD>" in whole
    assert "".join(chunks) == whole
    assert not any(value in chunk for chunk in chunks)


def test_a_longer_token_holding_the_value_stays_as_it_is(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """A later token that merely contains the value (an id built on it) is not a printing
    of it, in either mode."""
    answer = f"DB_PASSWORD={PASSWORD}\n{PROSE}see build-{PASSWORD}x7 done"
    whole = loop.run(redacted(inspector, answer))
    chunks = loop.run(streamed(inspector, word_by_word(answer)))
    assert f"build-{PASSWORD}x7" in whole
    assert "".join(chunks) == whole


def test_printed_again_reports_the_exact_place_as_the_first_finding() -> None:
    """The place is the value alone, with the first finding's kind and detector; a finding
    of another detector inside it is dropped, one of the same detector keeps its place."""
    first = Finding("PASSWORD", 0, len(CARD), 0.8, "secrets")
    text = f"Hello {CARD} and {CARD}9 then {CARD}."
    card = Finding("CREDIT_CARD", 6, 6 + len(CARD), 1.0, "presidio")
    found = printed_again(text, {CARD: first}, [card])
    places = [(f.entity_type, f.detector, text[f.start : f.end], f.start) for f in found]
    last = text.rindex(CARD)
    assert places == [("PASSWORD", "secrets", CARD, 6), ("PASSWORD", "secrets", CARD, last)]
    taken = Finding("API_KEY", 6, 6 + len(CARD), 0.9, "secrets")
    assert printed_again(text, {CARD: first}, [taken])[0] == taken
