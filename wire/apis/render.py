"""A logged request body and answer as role-labelled turns, for reading by a person.

Each API's module names the top-level fields its requests and answers hold
(:data:`REQUEST_FIELDS`, :data:`ANSWER_PARTS`); a body no module serves (a pass-through
endpoint) is rendered with all of them. ``mask`` is applied to each whole text before it is
split into lines, so a multi-line secret can be masked whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from wire.apis.texts import items
from wire.apis.usage import as_dict

Mask = Callable[[str], str]


def unchanged(text: str) -> str:
    return text


def turn(role: str, text: str, mask: Mask) -> list[str]:
    """A turn: ``[role]`` then the text's lines, indented."""
    return [f"[{role}]", *(f"  {line}" for line in (mask(text).splitlines() or [""]))]


def content_text(content: Any) -> str:
    """Text of a content value: a string, or a list of parts/blocks of any API shape."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(_part_text(part) for part in content)
    return "" if content is None else json.dumps(content, ensure_ascii=False)


def _part_text(part: Any) -> str:
    if isinstance(part, str):
        return part
    if not isinstance(part, dict):
        return json.dumps(part)
    kind = part.get("type", "")
    if "text" in part and isinstance(part["text"], str):
        return str(part["text"])
    if kind in ("image_url", "image", "input_image"):
        return "[image]"
    if kind in ("input_audio", "audio"):
        return "[audio]"
    if kind == "tool_use":
        return f"→ tool call {part.get('name')}({json.dumps(part.get('input'))})"
    if kind == "tool_result":
        return f"[tool result {part.get('tool_use_id', '')}] {content_text(part.get('content'))}"
    return json.dumps(part, ensure_ascii=False)


def message(item: dict[str, Any], mask: Mask) -> list[str]:
    """One message (or Responses input item) with its tool calls."""
    role = str(item.get("role") or item.get("type") or "?")
    lines = turn(role, content_text(item.get("content")), mask)
    for _, call in items(item.get("tool_calls")):  # any JSON: the caller's, stored as sent
        function = as_dict(call.get("function"))
        arguments = mask(str(function.get("arguments", "")))
        lines.append(f"  → tool call {function.get('name')}({arguments})")
    if role == "tool":
        lines[0] = f"[tool result {item.get('tool_call_id', '')}]"
    return lines


def _system(body: dict[str, Any], mask: Mask) -> list[str]:
    value = body.get("system")
    return turn("system", content_text(value), mask) if value else []


def _instructions(body: dict[str, Any], mask: Mask) -> list[str]:
    value = body.get("instructions")
    return turn("instructions", value, mask) if isinstance(value, str) else []


def _messages(body: dict[str, Any], mask: Mask) -> list[str]:
    value = body.get("messages")
    listed = value if isinstance(value, list) else ()
    return [line for item in listed if isinstance(item, dict) for line in message(item, mask)]


def _input(body: dict[str, Any], mask: Mask) -> list[str]:
    if "input" not in body:
        return []
    value = body["input"]
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return [line for item in value for line in message(item, mask)]
    return turn("input", content_text(value), mask)


def _prompt(body: dict[str, Any], mask: Mask) -> list[str]:
    return turn("prompt", content_text(body["prompt"]), mask) if "prompt" in body else []


Renderer = Callable[[dict[str, Any], Mask], list[str]]

#: How each top-level request field is rendered, in the order they are shown.
REQUEST_FIELDS: dict[str, Renderer] = {
    "system": _system,
    "instructions": _instructions,
    "messages": _messages,
    "input": _input,
    "prompt": _prompt,
}


def _rendered(
    table: dict[str, Renderer], names: Iterable[str], body: dict[str, Any], mask: Mask
) -> list[str]:
    """The turns of ``body`` that the ``names`` of ``table`` render, in the table's order."""
    wanted = set(names)
    return [line for name, render in table.items() if name in wanted for line in render(body, mask)]


def request_fields(body: dict[str, Any], fields: Iterable[str], mask: Mask) -> list[str]:
    """The turns of a request body's ``fields`` (names of :data:`REQUEST_FIELDS`)."""
    return _rendered(REQUEST_FIELDS, fields, body, mask)


def _choices(body: dict[str, Any], mask: Mask) -> list[str]:
    lines: list[str] = []
    listed = body.get("choices")
    for choice in listed if isinstance(listed, list) else ():
        if not isinstance(choice, dict):
            continue
        if isinstance(choice.get("message"), dict):
            lines += message(choice["message"], mask)
        elif isinstance(choice.get("text"), str):
            lines += turn("completion", choice["text"], mask)
    return lines


def _anthropic_message(body: dict[str, Any], mask: Mask) -> list[str]:
    if body.get("type") != "message":
        return []
    return turn("assistant", content_text(body.get("content")), mask)


def _output_items(body: dict[str, Any], mask: Mask) -> list[str]:
    listed = body.get("output")
    return [
        line
        for item in (listed if isinstance(listed, list) else ())
        if isinstance(item, dict) and item.get("type") == "message"
        for line in turn("assistant", content_text(item.get("content")), mask)
    ]


def _vectors(body: dict[str, Any], mask: Mask) -> list[str]:
    data = body.get("data")
    if body.get("object") != "list" or not isinstance(data, list):
        return []
    return [f"[embeddings] {len(data)} vector(s)"]


#: How each kind of answer body is rendered, in the order they are shown.
ANSWER_PARTS: dict[str, Renderer] = {
    "choices": _choices,
    "message": _anthropic_message,
    "output": _output_items,
    "embeddings": _vectors,
}


def answer_parts(body: dict[str, Any], parts: Iterable[str], mask: Mask) -> list[str]:
    """The turns of an answer body read as ``parts`` (names of :data:`ANSWER_PARTS`)."""
    return _rendered(ANSWER_PARTS, parts, body, mask)
