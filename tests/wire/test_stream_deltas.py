"""Chat stream chunks of any shape give the text deltas and finished channels that a plain
reading of OpenAI's chunk format gives (the one-pass readers must not drift from it)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzzing import examples
from wire.apis.deltas import Delta, channel_key, finished_choices
from wire.apis.openai_chat import OpenAIChat

FUZZ = settings(max_examples=examples(500), deadline=None, database=None)

LEAVES = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "a", " b"])
ANY = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=2), inner),
    max_leaves=4,
)
TEXT = st.sampled_from(["", "hi", " there"]) | LEAVES
CALL = st.fixed_dictionaries(
    {},
    optional={
        "index": ANY,
        "function": st.fixed_dictionaries({}, optional={"arguments": TEXT}) | ANY,
    },
)
DELTA = st.fixed_dictionaries(
    {},
    optional={
        "content": TEXT,
        "refusal": TEXT,
        "role": st.just("assistant"),
        "tool_calls": st.lists(CALL | ANY, max_size=3) | ANY,
    },
)
CHOICE = st.fixed_dictionaries(
    {},
    optional={
        "index": st.integers(0, 3) | ANY,
        "delta": DELTA | ANY,
        "finish_reason": st.sampled_from([None, "stop", ""]) | ANY,
    },
)
CHUNKS = st.fixed_dictionaries(
    {"object": st.just("chat.completion.chunk")},
    optional={"choices": st.lists(CHOICE | ANY, max_size=3) | ANY},
)


def _choices(payload: dict[str, Any]) -> list[tuple[int, int, dict[str, Any]]]:
    listed = payload.get("choices")
    if not isinstance(listed, list):
        return []
    return [
        (position, choice["index"] if isinstance(choice.get("index"), int) else position, choice)
        for position, choice in enumerate(listed)
        if isinstance(choice, dict)
    ]


def reference_deltas(payload: dict[str, Any]) -> list[Delta]:
    """Each choice's content, refusal and tool-call arguments, non-empty strings only."""
    found = []
    for position, index, choice in _choices(payload):
        delta = choice.get("delta")
        if not isinstance(delta, dict):
            continue
        base = ("choices", position, "delta")
        for field in ("content", "refusal"):
            text = delta.get(field)
            if isinstance(text, str) and text:
                found.append(Delta((index, field), (*base, field), text))
        calls = delta.get("tool_calls")
        for k, call in enumerate(calls if isinstance(calls, list) else ()):
            function = call.get("function") if isinstance(call, dict) else None
            arguments = function.get("arguments") if isinstance(function, dict) else None
            if isinstance(arguments, str) and arguments:
                path = (*base, "tool_calls", k, "function", "arguments")
                key = channel_key(call.get("index", k), k)
                found.append(Delta((index, "tool", key), path, arguments, json=True))
    return found


@FUZZ
@given(CHUNKS)
def test_chat_chunks_read_as_the_chunk_format_says(payload: dict[str, Any]) -> None:
    """Deltas (channel, path, text, JSON flag) and finished channels of any chunk, well
    formed or not, are those of reading the format field by field."""
    assert OpenAIChat().deltas(payload) == reference_deltas(payload)
    finished = [(index,) for _, index, choice in _choices(payload) if choice.get("finish_reason")]
    assert finished_choices(payload) == finished


def test_a_delta_names_its_fields() -> None:
    """A delta read from a chunk carries its channel, path, text and JSON flag by name."""
    chunk = {"choices": [{"index": 1, "delta": {"content": "hi"}}]}
    (delta,) = OpenAIChat().deltas(chunk)
    assert (delta.channel, delta.path, delta.text, delta.json) == (
        (1, "content"),
        ("choices", 0, "delta", "content"),
        "hi",
        False,
    )


#: Chunks next to the common one (one choice, a delta of only content) that the fast
#: reading of that shape must hand to the general one, or read as it does.
NEAR_COMMON = {
    "content only": {"choices": [{"index": 0, "delta": {"content": "hi"}}]},
    "another index": {"choices": [{"index": 2, "delta": {"content": "hi"}}]},
    "no index": {"choices": [{"delta": {"content": "hi"}}]},
    "null index": {"choices": [{"index": None, "delta": {"content": "hi"}}]},
    "true index": {"choices": [{"index": True, "delta": {"content": "hi"}}]},
    "list index": {"choices": [{"index": [1], "delta": {"content": "hi"}}]},
    "role only": {"choices": [{"index": 0, "delta": {"role": "assistant"}}]},
    "role and content": {
        "choices": [{"index": 0, "delta": {"role": "assistant", "content": "hi"}}]
    },
    "empty content": {"choices": [{"index": 0, "delta": {"content": ""}}]},
    "null content": {"choices": [{"index": 0, "delta": {"content": None}}]},
    "number content": {"choices": [{"index": 0, "delta": {"content": 3}}]},
    "refusal": {"choices": [{"index": 0, "delta": {"refusal": "no"}}]},
    "content and refusal": {"choices": [{"index": 0, "delta": {"content": "a", "refusal": "b"}}]},
    "null content, refusal": {
        "choices": [{"index": 0, "delta": {"content": None, "refusal": "b"}}]
    },
    "tool call": {
        "choices": [
            {"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "{"}}]}}
        ]
    },
    "content and tool call": {
        "choices": [
            {
                "index": 0,
                "delta": {"content": "a", "tool_calls": [{"function": {"arguments": "{"}}]},
            }
        ]
    },
    "finished": {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
    "finished with content": {
        "choices": [{"index": 0, "delta": {"content": "."}, "finish_reason": "length"}]
    },
    "two choices": {
        "choices": [
            {"index": 0, "delta": {"content": "a"}},
            {"index": 1, "delta": {"content": "b"}},
        ]
    },
    "second of two choices": {"choices": [{"index": 0, "delta": {}}, {"delta": {"content": "b"}}]},
    "no choices": {"choices": []},
    "delta not an object": {"choices": [{"index": 0, "delta": "hi"}]},
    "choice not an object": {"choices": ["hi"]},
    "usage only": {"choices": [], "usage": {"prompt_tokens": 1}},
}


@pytest.mark.parametrize("payload", NEAR_COMMON.values(), ids=NEAR_COMMON.keys())
def test_shapes_near_the_common_chunk_read_as_the_format_says(payload: dict[str, Any]) -> None:
    """Each shape beside the common one-choice content chunk reads as the field-by-field
    reading says, and every delta is a Delta (channel, path, text and JSON flag by name)."""
    found = OpenAIChat().deltas(payload)
    assert found == reference_deltas(payload)
    assert all(type(delta) is Delta for delta in found)


ONE_CHOICE = st.fixed_dictionaries(
    {"choices": st.lists(CHOICE, min_size=1, max_size=1)},
    optional={"usage": st.none()},
)


@FUZZ
@given(ONE_CHOICE)
def test_one_choice_chunks_read_as_the_chunk_format_says(payload: dict[str, Any]) -> None:
    """Chunks of one choice with a delta of any fields (the common shape and all beside
    it) give the deltas of reading the format field by field, each a Delta."""
    found = OpenAIChat().deltas(payload)
    assert found == reference_deltas(payload)
    assert all(type(delta) is Delta for delta in found)


def reference_closes(payload: dict[str, Any]) -> list[tuple[int]]:
    """The channel of each choice with a finish reason."""
    return [(index,) for _, index, choice in _choices(payload) if choice.get("finish_reason")]


@FUZZ
@given(CHUNKS | ONE_CHOICE)
def test_deltas_and_closes_read_together_as_apart(payload: dict[str, Any]) -> None:
    """Deltas and finished channels read in one pass (as output inspection asks them) are
    what reading the format field by field gives, each delta a Delta."""
    found, closes = OpenAIChat().deltas_and_closes(payload)
    assert (found, closes) == (reference_deltas(payload), reference_closes(payload))
    assert all(type(delta) is Delta for delta in found)


@pytest.mark.parametrize("payload", NEAR_COMMON.values(), ids=NEAR_COMMON.keys())
def test_shapes_near_the_common_chunk_read_together_as_apart(payload: dict[str, Any]) -> None:
    """Beside the common chunk (a finish reason with content, two choices, no index...),
    the one-pass reading gives the deltas and finished channels of the format's reading."""
    assert OpenAIChat().deltas_and_closes(payload) == (
        reference_deltas(payload),
        reference_closes(payload),
    )
