"""Text and attachments in request and response bodies, per API shape, with stable locations.

Every piece of text is returned with its *location*: the path of keys and indexes from the
body's root to the string (``("messages", 2, "content", 0, "text")``), so a rewritten text
(redacted, pseudonymised) can be put back exactly where it came from with :func:`rewrite`.
Images, audio and files are not text: they are returned as attachments with their kind and
the decoded size of inline (base64) data, so rules can count and size-limit them.

Shapes read: OpenAI chat messages (string content and content-part arrays, tool calls'
arguments, tool results), completion prompts (string or list), embeddings input (strings;
token arrays are skipped, they carry no text the detectors can read), Responses API input
(string or item list) and instructions, Anthropic messages and system prompt. Unknown
fields are ignored, so new provider features pass through unseen rather than failing.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from proxy.apis import Api

Location = tuple[str | int, ...]


class AttachmentKind(StrEnum):
    IMAGE = "image"
    AUDIO = "audio"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class TextPart:
    """One string in a body and where it is."""

    location: Location
    text: str
    #: Who wrote it: a message role ("user", "system", "assistant", "tool"), "tool_call"
    #: for arguments the model produced, or "prompt"/"input" for single-text APIs.
    role: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A non-text part (image, audio, file)."""

    location: Location
    kind: AttachmentKind
    #: Decoded size of inline base64 data; 0 for attachments referenced by URL or file id.
    size_bytes: int


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a body holds for inspection."""

    texts: tuple[TextPart, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    @property
    def text_chars(self) -> int:
        return sum(len(part.text) for part in self.texts)


class _Collector:
    def __init__(self) -> None:
        self.texts: list[TextPart] = []
        self.attachments: list[Attachment] = []

    def text(self, location: Location, value: Any, role: str) -> None:
        if isinstance(value, str) and value:
            self.texts.append(TextPart(location, value, role))

    def attach(self, location: Location, kind: AttachmentKind, data: Any = None) -> None:
        self.attachments.append(Attachment(location, kind, base64_size(data)))

    def leaves(self, location: Location, value: Any, role: str) -> None:
        """Every string inside a JSON value (tool inputs given as objects)."""
        for where, text in _string_leaves(location, value):
            self.text(where, text, role)

    def result(self) -> Extracted:
        return Extracted(tuple(self.texts), tuple(self.attachments))


def base64_size(data: Any) -> int:
    """Decoded size of base64 text (a ``data:`` URL's payload too); 0 for anything else."""
    if not isinstance(data, str) or not data:
        return 0
    if data.startswith("data:"):
        header, sep, payload = data.partition(",")
        if not sep or ";base64" not in header:
            return len(payload) if sep else 0
        data = payload
    elif data.startswith(("http://", "https://")):
        return 0
    stripped = data.rstrip("=")
    return len(stripped) * 3 // 4


def _string_leaves(location: Location, value: Any) -> Iterator[tuple[Location, str]]:
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_leaves((*location, key), item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_leaves((*location, index), item)


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


# --- OpenAI chat completions --------------------------------------------------------------


def _chat_parts(out: _Collector, location: Location, content: Any, role: str) -> None:
    if isinstance(content, str):
        out.text(location, content, role)
        return
    for j, part in _items(content):
        where = (*location, j)
        kind = part.get("type")
        if kind in ("text", "refusal"):
            out.text((*where, kind), part.get(kind), role)
        elif kind == "image_url":
            image = part.get("image_url")
            out.attach(
                where, AttachmentKind.IMAGE, image.get("url") if isinstance(image, dict) else image
            )
        elif kind == "input_audio":
            audio = part.get("input_audio")
            out.attach(
                where, AttachmentKind.AUDIO, audio.get("data") if isinstance(audio, dict) else None
            )
        elif kind == "file":
            file = part.get("file")
            out.attach(
                where,
                AttachmentKind.FILE,
                file.get("file_data") if isinstance(file, dict) else None,
            )


def _tool_calls(out: _Collector, location: Location, message: dict[str, Any]) -> None:
    for k, call in _items(message.get("tool_calls")):
        function = call.get("function")
        if isinstance(function, dict):
            out.text(
                (*location, "tool_calls", k, "function", "arguments"),
                function.get("arguments"),
                "tool_call",
            )
    legacy = message.get("function_call")
    if isinstance(legacy, dict):
        out.text((*location, "function_call", "arguments"), legacy.get("arguments"), "tool_call")


def _chat_request(out: _Collector, body: dict[str, Any]) -> None:
    for i, message in _items(body.get("messages")):
        role = message.get("role")
        role = role if isinstance(role, str) else "user"
        _chat_parts(out, ("messages", i, "content"), message.get("content"), role)
        _tool_calls(out, ("messages", i), message)


def _chat_response(out: _Collector, body: dict[str, Any]) -> None:
    for i, choice in _items(body.get("choices")):
        message = choice.get("message")
        if isinstance(message, dict):
            _chat_parts(
                out, ("choices", i, "message", "content"), message.get("content"), "assistant"
            )
            out.text(("choices", i, "message", "refusal"), message.get("refusal"), "assistant")
            _tool_calls(out, ("choices", i, "message"), message)


# --- OpenAI completions and embeddings ----------------------------------------------------


def _strings(out: _Collector, body: dict[str, Any], key: str, role: str) -> None:
    value = body.get(key)
    if isinstance(value, str):
        out.text((key,), value, role)
    elif isinstance(value, list):
        # Lists of strings are several texts; token-id arrays carry no readable text.
        for index, item in enumerate(value):
            out.text((key, index), item, role)


def _completions_response(out: _Collector, body: dict[str, Any]) -> None:
    for i, choice in _items(body.get("choices")):
        out.text(("choices", i, "text"), choice.get("text"), "assistant")


# --- OpenAI Responses API -----------------------------------------------------------------


def _responses_parts(out: _Collector, location: Location, content: Any, role: str) -> None:
    if isinstance(content, str):
        out.text(location, content, role)
        return
    for j, part in _items(content):
        where = (*location, j)
        kind = part.get("type")
        if kind in ("input_text", "output_text", "text"):
            out.text((*where, "text"), part.get("text"), role)
        elif kind == "refusal":
            out.text((*where, "refusal"), part.get("refusal"), role)
        elif kind == "input_image":
            out.attach(where, AttachmentKind.IMAGE, part.get("image_url"))
        elif kind == "input_file":
            out.attach(where, AttachmentKind.FILE, part.get("file_data"))
        elif kind == "input_audio":
            audio = part.get("input_audio")
            out.attach(
                where, AttachmentKind.AUDIO, audio.get("data") if isinstance(audio, dict) else None
            )


def _responses_items(out: _Collector, key: str, items: Any, default_role: str) -> None:
    for i, item in _items(items):
        kind = item.get("type")
        if kind in ("function_call", "custom_tool_call"):
            field = "arguments" if kind == "function_call" else "input"
            out.text((key, i, field), item.get(field), "tool_call")
        elif kind in ("function_call_output", "custom_tool_call_output"):
            _responses_parts(out, (key, i, "output"), item.get("output"), "tool")
        elif kind in (None, "message"):
            role = item.get("role")
            role = role if isinstance(role, str) else default_role
            _responses_parts(out, (key, i, "content"), item.get("content"), role)


def _responses_request(out: _Collector, body: dict[str, Any]) -> None:
    out.text(("instructions",), body.get("instructions"), "system")
    value = body.get("input")
    if isinstance(value, str):
        out.text(("input",), value, "user")
    else:
        _responses_items(out, "input", value, "user")


# --- Anthropic Messages -------------------------------------------------------------------


def _anthropic_blocks(out: _Collector, location: Location, content: Any, role: str) -> None:
    if isinstance(content, str):
        out.text(location, content, role)
        return
    for j, block in _items(content):
        where = (*location, j)
        kind = block.get("type")
        source = block.get("source")
        source = source if isinstance(source, dict) else {}
        if kind == "text":
            out.text((*where, "text"), block.get("text"), role)
        elif kind == "image":
            out.attach(where, AttachmentKind.IMAGE, source.get("data"))
        elif kind == "document":
            if source.get("type") == "text":
                out.text((*where, "source", "data"), source.get("data"), role)
            else:
                out.attach(where, AttachmentKind.FILE, source.get("data"))
        elif kind == "tool_use":
            out.leaves((*where, "input"), block.get("input"), "tool_call")
        elif kind == "tool_result":
            _anthropic_blocks(out, (*where, "content"), block.get("content"), "tool")


def _anthropic_request(out: _Collector, body: dict[str, Any]) -> None:
    _anthropic_blocks(out, ("system",), body.get("system"), "system")
    for i, message in _items(body.get("messages")):
        role = message.get("role")
        role = role if isinstance(role, str) else "user"
        _anthropic_blocks(out, ("messages", i, "content"), message.get("content"), role)


# --- entry points -------------------------------------------------------------------------


def extract_request(api: Api, body: Any) -> Extracted:
    """The texts and attachments of a request body sent to ``api``."""
    out = _Collector()
    if not isinstance(body, dict):
        return out.result()
    if api is Api.CHAT:
        _chat_request(out, body)
    elif api is Api.COMPLETIONS:
        _strings(out, body, "prompt", "prompt")
        out.text(("suffix",), body.get("suffix"), "prompt")
    elif api is Api.EMBEDDINGS:
        _strings(out, body, "input", "input")
    elif api is Api.RESPONSES:
        _responses_request(out, body)
    elif api is Api.MESSAGES:
        _anthropic_request(out, body)
    return out.result()


def extract_response(api: Api, body: Any) -> Extracted:
    """The texts of a (non-streamed) answer from ``api``."""
    out = _Collector()
    if not isinstance(body, dict):
        return out.result()
    if api is Api.CHAT:
        _chat_response(out, body)
    elif api is Api.COMPLETIONS:
        _completions_response(out, body)
    elif api is Api.RESPONSES:
        _responses_items(out, "output", body.get("output"), "assistant")
    elif api is Api.MESSAGES:
        _anthropic_blocks(out, ("content",), body.get("content"), "assistant")
    return out.result()


def rewrite(body: Any, replacements: Mapping[Location, str]) -> Any:
    """A copy of ``body`` with the string at each location replaced; ``body`` is untouched."""
    result = copy.deepcopy(body)
    for location, text in replacements.items():
        if not location:
            raise ValueError("cannot rewrite the body root")
        node = result
        for key in location[:-1]:
            node = node[key]
        node[location[-1]] = text
    return result
