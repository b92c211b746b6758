"""Any JSON value may stand where a ``type`` is expected: a list, an object, a number or
null in any ``type`` field of a request, an answer or a stream event is read without error
(the CI's fuzzing once drew ``{"content": [{"type": []}]}`` and the answer reader raised
``unhashable type: 'list'``, which a caller would have seen as a failed call)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from wire.apis.registry import WIRE_APIS

ODD: tuple[Any, ...] = ([], {}, 3, None, True, 1.5)

#: Realistic answers, requests and stream events of each shipped API, with ``type`` fields
#: at every level they have one.
ANSWERS: dict[str, dict[str, Any]] = {
    "messages": {
        "type": "message",
        "content": [
            {"type": "text", "text": "hello"},
            {"type": "thinking", "thinking": "hmm"},
            {"type": "tool_use", "input": {"q": "x"}},
            {"type": "tool_result", "content": [{"type": "text", "text": "r"}]},
            {"type": "document", "source": {"type": "text", "data": "d"}},
        ],
    },
    "responses": {
        "output": [
            {"type": "message", "content": [{"type": "output_text", "text": "a"}]},
            {"type": "reasoning", "summary": [{"type": "summary_text", "text": "s"}]},
            {"type": "function_call", "arguments": "{}"},
        ]
    },
    "chat.completions": {
        "choices": [{"message": {"content": [{"type": "text", "text": "t"}], "role": "assistant"}}]
    },
}
EVENTS = [
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "x"}},
    {"type": "message_delta", "usage": {"output_tokens": 1}},
    {"type": "response.output_text.delta", "item_id": "i", "delta": "x"},
    {"type": "response.output_item.done", "item": {"type": "message", "id": "i"}},
    {"choices": [{"delta": {"content": "x"}}]},
]


def _odd_types(body: Any) -> Iterator[Any]:
    """Copies of ``body`` with one of its ``type`` fields set to each odd value."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            if "type" in node:
                paths.append(path)
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*path, i))

    walk(body, ())
    for path in paths:
        for odd in ODD:
            copied = copy.deepcopy(body)
            node = copied
            for step in path:
                node = node[step]
            node["type"] = odd
            yield copied


def _apis() -> list[str]:
    return [wire.api for wire in WIRE_APIS.apis]


@pytest.mark.parametrize("api", _apis())
def test_answers_with_any_type_are_read(api: str) -> None:
    read = 0
    for template in ANSWERS.values():
        for body in _odd_types(template):
            WIRE_APIS.extract_response(api, body)
            WIRE_APIS.extract_request(api, body)
            WIRE_APIS.body_usage(api, body)
            WIRE_APIS.render_request(api, body, lambda text: text)
            WIRE_APIS.render_answer(api, body, lambda text: text)
            read += 1
    assert read > 50


@pytest.mark.parametrize("api", _apis())
def test_stream_events_with_any_type_are_read(api: str) -> None:
    wire = WIRE_APIS.for_api(api)
    assert wire is not None
    for template in EVENTS:
        for payload in _odd_types(template):
            wire.deltas_and_closes(payload)
            wire.event_usage(payload)
            wire.usage_only(payload)
            wire.snapshots(payload, {})
