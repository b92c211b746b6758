"""``logs show`` renders each API's request and answer through the API's wire format, as
role-labelled turns; a pass-through endpoint's JSON body is read with every format's fields."""

from __future__ import annotations

import json
from typing import Any

import pytest

from proxy.cli.conversation import render_record
from tests.proxy.test_conversation import _RECORD

CASES: list[tuple[str, dict[str, Any], dict[str, Any], list[str]]] = [
    (
        "/v1/chat/completions",
        {
            "messages": [
                {"role": "system", "content": "Be brief."},
                {
                    "role": "user",
                    "content": [{"type": "text", "text": "hi"}, {"type": "image_url"}],
                },
                {
                    "role": "assistant",
                    "tool_calls": [{"function": {"name": "f", "arguments": '{"a":1}'}}],
                },
                {"role": "tool", "tool_call_id": "c1", "content": "result"},
            ]
        },
        {"choices": [{"message": {"role": "assistant", "content": "Hello"}}]},
        [
            "[system]\n  Be brief.",
            "[user]\n  hi\n  [image]",
            '  → tool call f({"a":1})',
            "[tool result c1]\n  result",
            "ANSWER",
            "[assistant]\n  Hello",
        ],
    ),
    (
        "/v1/completions",
        {"prompt": "Once upon"},
        {"choices": [{"text": " a time"}]},
        ["[prompt]\n  Once upon", "[completion]\n   a time"],
    ),
    (
        "/v1/embeddings",
        {"input": "embed me"},
        {"object": "list", "data": [{"embedding": [0.1]}, {"embedding": [0.2]}]},
        ["[input]\n  embed me", "[embeddings] 2 vector(s)"],
    ),
    (
        "/v1/responses",
        {
            "instructions": "Be nice.",
            "input": [{"role": "user", "content": [{"type": "input_text", "text": "q"}]}],
        },
        {"output": [{"type": "message", "content": [{"type": "output_text", "text": "a"}]}]},
        ["[instructions]\n  Be nice.", "[user]\n  q", "ANSWER", "[assistant]\n  a"],
    ),
    (
        "/v1/messages",
        {
            "system": "sys",
            "messages": [
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1"}]}
            ],
        },
        {"type": "message", "content": [{"type": "tool_use", "name": "f", "input": {"x": 1}}]},
        ["[system]\n  sys", "[user]\n  [tool result t1] ", '→ tool call f({"x": 1})'],
    ),
    (
        "/v1/images/generations",
        {"prompt": "a cat", "instructions": "photo"},
        {"choices": [{"text": "done"}]},
        ["[instructions]\n  photo", "[prompt]\n  a cat", "[completion]\n  done"],
    ),
]


@pytest.mark.parametrize(("endpoint", "request_body", "answer", "expected"), CASES)
def test_each_api_renders_as_turns(
    endpoint: str, request_body: dict[str, Any], answer: dict[str, Any], expected: list[str]
) -> None:
    """The turns of a logged call appear in order, as its API's format reads them."""
    record = {
        **_RECORD,
        "endpoint": endpoint,
        "prompt": json.dumps(request_body),
        "response": json.dumps(answer),
    }
    out = render_record(record)
    position = 0
    for text in expected:
        found = out.find(text, position)
        assert found >= 0, f"{text!r} not after position {position} in:\n{out}"
        position = found + len(text)


def test_a_body_no_format_reads_is_shown_raw() -> None:
    """A JSON body with none of the known fields is shown as it was stored."""
    record = {**_RECORD, "prompt": json.dumps({"custom": 1}), "response": "plain text"}
    out = render_record(record)
    assert "REQUEST\n" in out
    assert '{"custom": 1}' in out
    assert "plain text" in out
