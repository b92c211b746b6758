"""Chat stream chunks of any shape give the text deltas and finished channels that a plain
reading of OpenAI's chunk format gives (the one-pass readers must not drift from it)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from wire.apis.deltas import Delta, channel_key, finished_choices
from wire.apis.openai_chat import OpenAIChat

FUZZ = settings(max_examples=500, deadline=None, database=None)

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
