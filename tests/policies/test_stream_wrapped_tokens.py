"""A token a mail client wrapped over lines (issue 14, h133): the whole answer reads it
joined (``detectors.markup``) and masks it as one value, so a stream cut anywhere must give
exactly that redaction and release no piece of it; a line that only looks like a wrapped
token's start is released once its next line rules the continuation out."""

from __future__ import annotations

import asyncio

import pytest

from detectors.markup import open_wrap
from policies.inspector import PolicyInspector
from tests.policies.pattern_detection import default_pack_inspector
from tests.policies.test_holdback_properties import redacted, streamed
from tests.policies.test_stream_value_first import assert_never_streamed, every_split

#: A 182-character token cut at 76 columns, as a mail client writes it.
TOKEN = (
    "q7Rk2LmZx9VbN4TcW8pHs3JfYd6GaE1uQoKi5nXr0MvBzCtUyPwSlDjFgAh2e7R9k3mZx8VbN4Tc"
    "W1pHs6JfYd2GaE5uQoKi9nXr3MvBzCtUyPwSlDjFgAhq7Rk2LmZx9VbN4TcW8pHs3JfYd6GaE1uQo"
    "Ki5nXr0MvBzCtUyPwSlD"
)
WRAPPED = "\n".join(TOKEN[i : i + 76] for i in range(0, len(TOKEN), 76))


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    return default_pack_inspector()


ANSWERS = [
    f"SESSION_SECRET={WRAPPED}\nthanks",
    f"The signing secret is:\n{WRAPPED}\nKeep it out of the repo.",
    f"Authorization: Bearer {WRAPPED}",
]


@pytest.mark.parametrize("answer", ANSWERS)
def test_a_wrapped_token_streamed_is_masked_whole(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str
) -> None:
    """Cut at every position, the chunks join to the whole answer's redaction, which masks
    the token as one value, and no chunk carries any of its lines."""
    whole = loop.run(redacted(inspector, answer))
    assert whole.count("<GENERIC_SECRET>") == 1
    assert_never_streamed(inspector, loop, answer, *WRAPPED.splitlines())


def test_a_line_ending_in_a_long_name_streams_as_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """A sentence ending in a long identifier is held only until the next line shows
    words: cut anywhere, the caller gets the whole answer's text, unmasked."""
    answer = "Set it in deploy_settings_for_staging_cluster\nThen restart the service."
    assert loop.run(redacted(inspector, answer)) == answer
    for pieces in every_split(answer):
        assert "".join(loop.run(streamed(inspector, pieces))) == answer


SHAPES = [
    ("SESSION_SECRET=" + TOKEN[:76] + "\n", len("SESSION_SECRET=")),
    ("SESSION_SECRET=" + TOKEN[:76] + "\n" + TOKEN[76:100], len("SESSION_SECRET=")),
    ("Here:\n" + TOKEN[:76] + "\n" + TOKEN[76:152] + "\nKi5", len("Here:\n")),
    ("> > api_secret: " + TOKEN[:76] + "\n> > " + TOKEN[76:90], len("> > api_secret: ")),
]


@pytest.mark.parametrize(("text", "start"), SHAPES)
def test_a_token_that_may_go_on_is_held_from_its_start(text: str, start: int) -> None:
    """Where a wrapped token may still continue, the hold starts at its first character."""
    assert open_wrap(text) == start


QUIET = [
    "SESSION_SECRET=" + TOKEN[:76] + "\nThanks, ",  # the next line holds words
    "Door code 4471\n" + TOKEN[:30],  # the line above is neither a full line nor ends a run
    "Here:\n" + TOKEN[:76] + "\n\n",  # a blank line ends the token
    "no line break yet " + TOKEN[:60],
]


@pytest.mark.parametrize("text", QUIET)
def test_a_token_that_cannot_go_on_is_not_held(text: str) -> None:
    """A line that rules out a continuation, or a text with no wrap at all, holds nothing."""
    assert open_wrap(text) is None
