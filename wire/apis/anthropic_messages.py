"""Anthropic Messages (``/v1/messages``): a system prompt and messages in, content blocks out."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from itertools import repeat
from operator import and_, eq, is_, truth
from typing import Any, ClassVar

from core.apis import Api, ApiFamily
from core.sse import SSEEvent
from wire.apis.base import JsonApi
from wire.apis.deltas import Channel, Delta, Template, TextRun, channel_key, text_of
from wire.apis.runs import GET, kept, payloads_of, stretch
from wire.apis.texts import AttachmentKind, AttachmentPart, Collector, Extracted, Location
from wire.apis.usage import Usage, as_dict, usage_from
from wire.apis.walk import TOOL_DEFINITION
from wire.sdkjson import dumps_like_clients

#: Image and document blocks (a plain-text document's source is text, see AttachmentPart).
PARTS = {
    "image": AttachmentPart(AttachmentKind.IMAGE, (("source", "data"),)),
    "document": AttachmentPart(AttachmentKind.FILE, (("source", "data"),)),
}


class AnthropicMessages(JsonApi):
    """Messages; stream text is in ``content_block_delta`` events (text, thinking and
    tool-input JSON), input usage in ``message_start`` and output usage in ``message_delta``."""

    api: ClassVar[str] = Api.MESSAGES
    paths: ClassVar[tuple[str, ...]] = ("/v1/messages",)
    family: ClassVar[ApiFamily] = ApiFamily.ANTHROPIC
    streams_text: ClassVar[bool] = True
    request_roles: ClassVar[dict[str, str]] = {
        "system": "system",
        "messages": "user",
        "tools": TOOL_DEFINITION,
        "tool_choice": TOOL_DEFINITION,
    }
    attachment_parts: ClassVar[dict[str, AttachmentPart]] = PARTS
    rendered_fields: ClassVar[tuple[str, ...]] = ("system", "messages")
    answer_parts: ClassVar[tuple[str, ...]] = ("message",)
    usage_types: ClassVar[frozenset[str] | None] = frozenset({"message_start", "message_delta"})

    def stream_error(self, error: dict[str, Any]) -> bytes:
        # Its SDKs ignore unnamed events: the caller would take a cut answer for a whole one.
        return b"event: error\ndata: " + dumps_like_clients({"type": "error", **error}) + b"\n\n"

    def extract_response(self, body: dict[str, Any]) -> Extracted:
        out = Collector()
        _blocks(out, ("content",), body.get("content"), "assistant")
        return out.result()

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        if payload.get("type") != "content_block_delta":
            return []
        delta = payload.get("delta")
        if not isinstance(delta, dict):
            return []
        index = channel_key(payload.get("index", 0))
        for field in _DELTA_TEXTS:
            if text := text_of(delta.get(field)):
                return [Delta((index,), ("delta", field), text, json=field == "partial_json")]
        return []

    def text_run(self, events: Sequence[SSEEvent]) -> TextRun | None:
        # The content_block_delta events deltas reads as text (a text field, not empty:
        # read first, whatever else the delta holds) of one block, found for the whole
        # read at once (see wire.apis.runs). They end no channel and report no usage.
        where, objects = payloads_of(events)
        kinds = map(GET, objects, repeat("type"))
        where, (objects,) = kept(map(eq, kinds, repeat(_BLOCK_DELTA)), where, objects)
        # Objects: a delta object, a block index that is a number.
        deltas = list(map(GET, objects, repeat("delta")))
        indexes = list(map(GET, objects, repeat("index"), repeat(0)))
        plain = map(
            and_,
            map(is_, map(type, deltas), repeat(dict)),
            map(is_, map(type, indexes), repeat(int)),
        )
        where, (deltas, indexes) = kept(plain, where, deltas, indexes)
        # Delta objects: a text string, not empty.
        texts = list(map(GET, deltas, repeat("text")))
        plain = map(and_, map(is_, map(type, texts), repeat(str)), map(truth, texts))
        where, (texts, indexes) = kept(plain, where, texts, indexes)
        if not stretch(where) or indexes.count(indexes[0]) != len(indexes):
            return None
        return TextRun(where[0], where[-1] + 1, (indexes[0],), _TEXT, texts)

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        kind = payload.get("type")
        if kind == "content_block_stop":
            return [(channel_key(payload.get("index", 0)),)]
        if kind in ("message_delta", "message_stop"):
            return [()]
        return []

    def template(self, payload: dict[str, Any], delta: Delta, event: str | None) -> Template:
        body = copy.deepcopy(payload)
        body["delta"][delta.path[-1]] = ""
        return Template(body, delta.path, event)

    def event_usage(self, payload: dict[str, Any]) -> Usage | None:
        kind = payload.get("type")
        if kind == "message_start":
            return usage_from(as_dict(payload.get("message")).get("usage"))
        if kind == "message_delta":
            return usage_from(payload.get("usage"))
        return None


#: The text fields of a ``content_block_delta``: text, extended thinking and tool input.
#: Thinking is what the model wrote, shown to the caller: a key in it reached the caller
#: in clear (h131). A masked thinking block no longer matches its signature, so sending it
#: back in a later turn fails; the value does not go out.
_DELTA_TEXTS = ("text", "thinking", "partial_json")
#: The events that carry a block's deltas, and where a text delta's text is.
_BLOCK_DELTA = "content_block_delta"
_TEXT: Location = ("delta", "text")
#: Answer blocks whose field of the same name is text.
_BLOCK_TEXTS = frozenset({"text", "thinking"})


def _blocks(out: Collector, location: Location, content: Any, role: str) -> None:
    for where, block in out.content(location, content, role):
        kind = text_of(block.get("type"))  # any JSON: a list here once raised (CI, hypothesis)
        source = as_dict(block.get("source"))
        if kind in _BLOCK_TEXTS:
            out.text((*where, kind), block.get(kind), role)
        elif kind == "document" and source.get("type") == "text":
            out.text((*where, "source", "data"), source.get("data"), role)
        elif kind == "tool_use":
            out.leaves((*where, "input"), block.get("input"), "tool_call")
        elif kind == "tool_result":
            _blocks(out, (*where, "content"), block.get("content"), "tool")
        else:
            out.part(where, block, PARTS)
