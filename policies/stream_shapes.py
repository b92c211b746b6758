"""Where streamed answers carry their text, per API, and how to write rewritten text back.

Each API streams text as small deltas on *channels* (a chat choice's content, one tool
call's arguments, an Anthropic content block, a Responses output part). A
:class:`StreamShape` reads the deltas of one parsed event, says which channels an event
ends (so text held back for them must go out first), builds a minimal event that carries
extra text on a channel, and rewrites the full-text snapshots some APIs repeat at the end
(the Responses API's ``*.done`` and ``response.completed`` events).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from core.apis import Api
from policies.extract import Location

Channel = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Delta:
    """A piece of text on ``channel`` at ``path`` inside an event's JSON payload."""

    channel: Channel
    path: Location
    text: str
    #: The text is JSON (tool-call arguments): restored values must be JSON-escaped.
    json: bool = False


@dataclass(frozen=True, slots=True)
class Template:
    """An event payload that carries text only on one channel, at ``path``."""

    payload: dict[str, Any]
    path: Location
    event: str | None


class StreamShape(Protocol):
    """How one API's stream events carry text."""

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        """The non-empty text deltas in ``payload``."""
        ...

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        """Channel prefixes this event ends (``()`` ends every channel)."""
        ...

    def template(self, payload: dict[str, Any], delta: Delta, event: str | None) -> Template:
        """A payload like ``payload`` carrying only ``delta``'s channel."""
        ...

    def snapshots(self, payload: dict[str, Any], texts: Mapping[Channel, str]) -> bool:
        """Replace full-text copies in ``payload`` (in place) by ``texts``; True if changed."""
        ...


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _key(value: Any, default: int = 0) -> Any:
    """An index from an event, as a channel key: as sent, unless it is a JSON list or
    object, which cannot be a key (a tool call with ``"index": []`` ended the stream in
    an internal error: issue 9 fuzz run)."""
    return default if isinstance(value, list | dict) else value


def _choices(payload: dict[str, Any]) -> list[tuple[int, int, dict[str, Any]]]:
    """(position, choice index, choice) for each choice object."""
    choices = payload.get("choices")
    found: list[tuple[int, int, dict[str, Any]]] = []
    if isinstance(choices, list):
        for position, choice in enumerate(choices):
            if isinstance(choice, dict):
                index = choice.get("index")
                found.append((position, index if isinstance(index, int) else position, choice))
    return found


def _finished(payload: dict[str, Any]) -> list[Channel]:
    return [(index,) for _, index, choice in _choices(payload) if choice.get("finish_reason")]


class ChatShape:
    """``chat.completion.chunk``: ``choices[].delta.content``, ``.refusal``, tool arguments."""

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        found: list[Delta] = []
        for position, index, choice in _choices(payload):
            delta = choice.get("delta")
            if not isinstance(delta, dict):
                continue
            base: Location = ("choices", position, "delta")
            for field in ("content", "refusal"):
                if text := _str(delta.get(field)):
                    found.append(Delta((index, field), (*base, field), text))
            calls = delta.get("tool_calls")
            for k, call in enumerate(calls if isinstance(calls, list) else ()):
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict) and (text := _str(function.get("arguments"))):
                    number = _key(call.get("index", k), k)
                    path = (*base, "tool_calls", k, "function", "arguments")
                    found.append(Delta((index, "tool", number), path, text, json=True))
        return found

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        return _finished(payload)

    def template(self, payload: dict[str, Any], delta: Delta, event: str | None) -> Template:
        position = delta.path[1]
        assert isinstance(position, int)
        choice = dict(payload["choices"][position])
        choice["finish_reason"] = None
        choice.pop("logprobs", None)
        if delta.channel[1] == "tool":
            call = {"index": delta.channel[2], "function": {"arguments": ""}}
            choice["delta"] = {"tool_calls": [call]}
            path: Location = ("choices", 0, "delta", "tool_calls", 0, "function", "arguments")
        else:
            field = delta.path[-1]
            choice["delta"] = {field: ""}
            path = ("choices", 0, "delta", field)
        body = {k: v for k, v in payload.items() if k not in ("choices", "usage")}
        return Template({**body, "choices": [choice]}, path, event)

    def snapshots(self, payload: dict[str, Any], texts: Mapping[Channel, str]) -> bool:
        return False


class CompletionsShape:
    """``text_completion`` chunks: ``choices[].text``."""

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        return [
            Delta((index,), ("choices", position, "text"), text)
            for position, index, choice in _choices(payload)
            if (text := _str(choice.get("text")))
        ]

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        return _finished(payload)

    def template(self, payload: dict[str, Any], delta: Delta, event: str | None) -> Template:
        position = delta.path[1]
        assert isinstance(position, int)
        choice = {**payload["choices"][position], "text": "", "finish_reason": None}
        body = {k: v for k, v in payload.items() if k not in ("choices", "usage")}
        return Template({**body, "choices": [choice]}, ("choices", 0, "text"), event)

    def snapshots(self, payload: dict[str, Any], texts: Mapping[Channel, str]) -> bool:
        return False


class ResponsesShape:
    """Responses API events: ``response.output_text.delta`` and the full-text snapshots."""

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        kind = payload.get("type")
        text = _str(payload.get("delta"))
        if not text:
            return []
        if kind == "response.output_text.delta":
            channel = (_str(payload.get("item_id")), _key(payload.get("content_index", 0)))
            return [Delta(channel, ("delta",), text)]
        if kind == "response.function_call_arguments.delta":
            return [Delta((_str(payload.get("item_id")), "arguments"), ("delta",), text, json=True)]
        return []

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        kind = payload.get("type")
        item = _str(payload.get("item_id"))
        if kind in ("response.output_text.done", "response.content_part.done"):
            return [(item, _key(payload.get("content_index", 0)))]
        if kind == "response.function_call_arguments.done":
            return [(item, "arguments")]
        if kind == "response.output_item.done":
            done = payload.get("item")
            return [(_str(done.get("id")),)] if isinstance(done, dict) else [()]
        if kind in ("response.completed", "response.incomplete", "response.failed"):
            return [()]
        return []

    def template(self, payload: dict[str, Any], delta: Delta, event: str | None) -> Template:
        return Template({**payload, "delta": ""}, ("delta",), event)

    def snapshots(self, payload: dict[str, Any], texts: Mapping[Channel, str]) -> bool:
        kind = payload.get("type")
        item = _str(payload.get("item_id"))
        part = _key(payload.get("content_index", 0))
        if kind == "response.output_text.done":
            return _replace(payload, "text", texts.get((item, part)))
        if kind == "response.function_call_arguments.done":
            return _replace(payload, "arguments", texts.get((item, "arguments")))
        if kind == "response.content_part.done":
            return _replace(payload.get("part"), "text", texts.get((item, part)))
        if kind == "response.output_item.done":
            return _replace_item(payload.get("item"), texts)
        response = payload.get("response")
        if isinstance(response, dict) and isinstance(response.get("output"), list):
            changed = False
            for output in response["output"]:
                changed = _replace_item(output, texts) or changed
            return changed
        return False


def _replace(node: Any, key: str, text: str | None) -> bool:
    if text is None or not isinstance(node, dict) or node.get(key) == text:
        return False
    node[key] = text
    return True


def _replace_item(item: Any, texts: Mapping[Channel, str]) -> bool:
    if isinstance(item, dict) and item.get("type") == "function_call":
        return _replace(item, "arguments", texts.get((_str(item.get("id")), "arguments")))
    if not isinstance(item, dict) or not isinstance(item.get("content"), list):
        return False
    item_id = _str(item.get("id"))
    changed = False
    for index, part in enumerate(item["content"]):
        if isinstance(part, dict) and part.get("type") == "output_text":
            changed = _replace(part, "text", texts.get((item_id, index))) or changed
    return changed


class MessagesShape:
    """Anthropic ``content_block_delta`` events: text and tool-input JSON deltas."""

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        if payload.get("type") != "content_block_delta":
            return []
        delta = payload.get("delta")
        if not isinstance(delta, dict):
            return []
        index = _key(payload.get("index", 0))
        for field in ("text", "partial_json"):
            if text := _str(delta.get(field)):
                return [Delta((index,), ("delta", field), text, json=field == "partial_json")]
        return []

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        kind = payload.get("type")
        if kind == "content_block_stop":
            return [(_key(payload.get("index", 0)),)]
        if kind in ("message_delta", "message_stop"):
            return [()]
        return []

    def template(self, payload: dict[str, Any], delta: Delta, event: str | None) -> Template:
        body = copy.deepcopy(payload)
        body["delta"][delta.path[-1]] = ""
        return Template(body, delta.path, event)

    def snapshots(self, payload: dict[str, Any], texts: Mapping[Channel, str]) -> bool:
        return False


def shape_for(api: Api) -> StreamShape | None:
    """The stream shape of ``api``; ``None`` for APIs whose streams carry no text."""
    shapes: dict[Api, StreamShape] = {
        Api.CHAT: ChatShape(),
        Api.COMPLETIONS: CompletionsShape(),
        Api.RESPONSES: ResponsesShape(),
        Api.MESSAGES: MessagesShape(),
    }
    return shapes.get(api)
