"""OpenAI Responses API (``/v1/responses``): instructions and input items in, output items out.

Its streams repeat the full text at the end (``*.done`` events and ``response.completed``);
those snapshots are rewritten to what the caller was sent as deltas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import repeat
from operator import and_, eq, is_, truth
from typing import Any, ClassVar

from core.apis import Api
from core.sse import SSEEvent
from wire.apis.base import JsonApi
from wire.apis.deltas import (
    SPOKEN,
    Channel,
    Delta,
    Speech,
    Template,
    TextRun,
    channel_key,
    text_of,
)
from wire.apis.runs import GET, kept, payloads_of, stretch
from wire.apis.texts import AttachmentKind, AttachmentPart, Collector, Extracted, Location, items
from wire.apis.usage import Usage, as_dict, usage_from
from wire.apis.walk import TOOL_DEFINITION

#: Events after which no channel of the response carries more text.
_ENDS = ("response.completed", "response.incomplete", "response.failed")
#: Deltas of a message's content part: its text, or a refusal (h131: a refusal's and a
#: reasoning summary's deltas reached the caller uninspected).
_PART_DELTAS = ("response.output_text.delta", "response.refusal.delta")
_PART_DONES = ("response.output_text.done", "response.refusal.done", "response.content_part.done")
#: The events of an output text part's deltas, and where their text is.
_TEXT_DELTA = "response.output_text.delta"
_DELTA: Location = ("delta",)
#: The one channel of an audio answer's transcript: its events name no item (the speech
#: comes in ``response.audio.delta`` events, base64 in ``delta``).
_TRANSCRIPT: Channel = ("audio", SPOKEN)
#: The events that end one reasoning summary.
_SUMMARY_DONES = ("response.reasoning_summary_text.done", "response.reasoning_summary_part.done")


#: Image, audio and file parts of Responses input.
PARTS = {
    "input_image": AttachmentPart(AttachmentKind.IMAGE, (("image_url",),)),
    "input_audio": AttachmentPart(AttachmentKind.AUDIO, (("input_audio", "data"),)),
    "input_file": AttachmentPart(AttachmentKind.FILE, (("file_data",),)),
}


class OpenAIResponses(JsonApi):
    """The Responses API; stream text is in ``response.output_text.delta``,
    ``response.function_call_arguments.delta`` and ``response.audio.transcript.delta``
    events (and refusals' and reasoning summaries')."""

    api: ClassVar[str] = Api.RESPONSES
    paths: ClassVar[tuple[str, ...]] = ("/v1/responses",)
    streams_text: ClassVar[bool] = True
    request_roles: ClassVar[dict[str, str]] = {
        "instructions": "system",
        "input": "user",
        "tools": TOOL_DEFINITION,
        "tool_choice": TOOL_DEFINITION,
    }
    attachment_parts: ClassVar[dict[str, AttachmentPart]] = PARTS
    rendered_fields: ClassVar[tuple[str, ...]] = ("instructions", "input")
    answer_parts: ClassVar[tuple[str, ...]] = ("output",)
    usage_types: ClassVar[frozenset[str] | None] = frozenset({"response.completed"})

    def extract_response(self, body: dict[str, Any]) -> Extracted:
        out = Collector()
        for i, item in items(body.get("output")):
            kind = item.get("type")
            if kind in ("function_call", "custom_tool_call"):
                field = "arguments" if kind == "function_call" else "input"
                out.text(("output", i, field), item.get(field), "tool_call")
            elif kind in ("function_call_output", "custom_tool_call_output"):
                _parts(out, ("output", i, "output"), item.get("output"), "tool")
            elif kind == "reasoning":
                for j, summary in items(item.get("summary")):
                    out.text(("output", i, "summary", j, "text"), summary.get("text"), "assistant")
            elif kind in (None, "message"):
                role = item.get("role")
                role = role if isinstance(role, str) else "assistant"
                _parts(out, ("output", i, "content"), item.get("content"), role)
        return out.result()

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        kind = payload.get("type")
        text = text_of(payload.get("delta"))
        if not text:
            return []
        if kind in _PART_DELTAS:
            channel = (
                text_of(payload.get("item_id")),
                channel_key(payload.get("content_index", 0)),
            )
            return [Delta(channel, ("delta",), text)]
        if kind == "response.function_call_arguments.delta":
            channel = (text_of(payload.get("item_id")), "arguments")
            return [Delta(channel, ("delta",), text, json=True)]
        if kind == "response.reasoning_summary_text.delta":
            return [Delta(_summary_channel(payload), ("delta",), text)]
        if kind == "response.audio.transcript.delta":
            return [Delta(_TRANSCRIPT, ("delta",), text)]
        return []

    def text_run(self, events: Sequence[SSEEvent]) -> TextRun | None:
        # The output_text.delta events deltas reads (a delta string, not empty) of one
        # content part, found for the whole read at once (see wire.apis.runs). They end
        # no channel, carry no speech and report no usage.
        where, objects = payloads_of(events)
        kinds = map(GET, objects, repeat("type"))
        where, (objects,) = kept(map(eq, kinds, repeat(_TEXT_DELTA)), where, objects)
        # Objects: a delta string, not empty; an item id that is a string, a part index
        # that is a number (the channel as deltas reads it).
        texts = list(map(GET, objects, repeat("delta")))
        items = list(map(GET, objects, repeat("item_id")))
        parts = list(map(GET, objects, repeat("content_index"), repeat(0)))
        plain = map(
            and_,
            map(and_, map(is_, map(type, texts), repeat(str)), map(truth, texts)),
            map(
                and_,
                map(is_, map(type, items), repeat(str)),
                map(is_, map(type, parts), repeat(int)),
            ),
        )
        where, (texts, items, parts) = kept(plain, where, texts, items, parts)
        if (
            not stretch(where)
            or items.count(items[0]) != len(items)
            or parts.count(parts[0]) != len(parts)
        ):
            return None
        return TextRun(where[0], where[-1] + 1, (items[0], parts[0]), _DELTA, texts)

    def speech(self, payload: dict[str, Any]) -> list[Speech]:
        if payload.get("type") == "response.audio.delta" and text_of(payload.get("delta")):
            return [Speech(_TRANSCRIPT, ("delta",))]
        return []

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        kind = payload.get("type")
        item = text_of(payload.get("item_id"))
        if kind in _PART_DONES:
            return [(item, channel_key(payload.get("content_index", 0)))]
        if kind in _SUMMARY_DONES:
            return [_summary_channel(payload)]
        if kind == "response.function_call_arguments.done":
            return [(item, "arguments")]
        if kind == "response.audio.transcript.done":
            return [_TRANSCRIPT]
        if kind == "response.output_item.done":
            done = payload.get("item")
            return [(text_of(done.get("id")),)] if isinstance(done, dict) else [()]
        if kind in _ENDS:
            return [()]
        return []

    def template(self, payload: dict[str, Any], delta: Delta, event: str | None) -> Template:
        return Template({**payload, "delta": ""}, ("delta",), event)

    def snapshots(self, payload: dict[str, Any], texts: Mapping[Channel, str]) -> bool:
        kind = payload.get("type")
        item = text_of(payload.get("item_id"))
        part = channel_key(payload.get("content_index", 0))
        if kind == "response.output_text.done":
            return _replace(payload, "text", texts.get((item, part)))
        if kind == "response.refusal.done":
            return _replace(payload, "refusal", texts.get((item, part)))
        if kind == "response.reasoning_summary_text.done":
            return _replace(payload, "text", texts.get(_summary_channel(payload)))
        if kind == "response.reasoning_summary_part.done":
            return _replace(payload.get("part"), "text", texts.get(_summary_channel(payload)))
        if kind == "response.function_call_arguments.done":
            return _replace(payload, "arguments", texts.get((item, "arguments")))
        if kind == "response.content_part.done":
            return _replace_part(payload.get("part"), texts.get((item, part)))
        if kind == "response.output_item.done":
            return _replace_item(payload.get("item"), texts)
        response = payload.get("response")
        if isinstance(response, dict) and isinstance(response.get("output"), list):
            changed = False
            for output in response["output"]:
                changed = _replace_item(output, texts) or changed
            return changed
        return False

    def event_usage(self, payload: dict[str, Any]) -> Usage | None:
        if payload.get("type") != "response.completed":
            return None
        return usage_from(as_dict(payload.get("response")).get("usage"))


def _parts(out: Collector, location: Location, content: Any, role: str) -> None:
    for where, part in out.content(location, content, role):
        kind = part.get("type")
        if kind in ("input_text", "output_text", "text"):
            out.text((*where, "text"), part.get("text"), role)
        elif kind == "refusal":
            out.text((*where, "refusal"), part.get("refusal"), role)
        else:
            out.part(where, part, PARTS)


def _replace(node: Any, key: str, text: str | None) -> bool:
    if text is None or not isinstance(node, dict) or node.get(key) == text:
        return False
    node[key] = text
    return True


def _summary_channel(payload: dict[str, Any]) -> Channel:
    """The channel of one reasoning summary of a reasoning item."""
    index = channel_key(payload.get("summary_index", 0))
    return (text_of(payload.get("item_id")), "summary", index)


def _replace_part(part: Any, text: str | None) -> bool:
    """An output part's text (or a refusal part's refusal) replaced by ``text``."""
    field = "refusal" if isinstance(part, dict) and part.get("type") == "refusal" else "text"
    return _replace(part, field, text)


def _replace_item(item: Any, texts: Mapping[Channel, str]) -> bool:
    if isinstance(item, dict) and item.get("type") == "function_call":
        return _replace(item, "arguments", texts.get((text_of(item.get("id")), "arguments")))
    if isinstance(item, dict) and item.get("type") == "reasoning":
        item_id = text_of(item.get("id"))
        changed = False
        for index, summary in enumerate(item.get("summary") or ()):
            text = texts.get((item_id, "summary", channel_key(index)))
            changed = _replace(summary, "text", text) or changed
        return changed
    if not isinstance(item, dict) or not isinstance(item.get("content"), list):
        return False
    item_id = text_of(item.get("id"))
    changed = False
    for index, part in enumerate(item["content"]):
        if isinstance(part, dict) and part.get("type") in ("output_text", "refusal"):
            changed = _replace_part(part, texts.get((item_id, index))) or changed
    return changed
