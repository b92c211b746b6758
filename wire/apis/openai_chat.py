"""OpenAI chat completions (``/v1/chat/completions``): messages in, choices out."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import and_, eq, is_, is_not, itemgetter, not_, truth
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
    choices,
    finished_choices,
    text_of,
)
from wire.apis.runs import GET, kept, payloads_of, stretch
from wire.apis.texts import (
    AttachmentKind,
    AttachmentPart,
    Collector,
    Extracted,
    Location,
    TextPart,
    items,
)
from wire.apis.usage import ask_stream_usage, is_usage_only_chunk
from wire.apis.walk import AUDIO, AUDIO_DATA, TOOL_DEFINITION, TRANSCRIPT

#: Image, audio and file parts of chat messages.
PARTS = {
    "image_url": AttachmentPart(AttachmentKind.IMAGE, (("image_url", "url"), ("image_url",))),
    "input_audio": AttachmentPart(AttachmentKind.AUDIO, (("input_audio", "data"),)),
    "file": AttachmentPart(AttachmentKind.FILE, (("file", "file_data"),)),
}


#: A message's or delta's text fields besides ``content``: a refusal, and a reasoning
#: model's thinking as OpenAI-compatible providers send it (DeepSeek and vLLM
#: ``reasoning_content``; OpenRouter, Groq and newer vLLM ``reasoning``), which reached the
#: caller uninspected (h131).
_OTHER_TEXTS = ("refusal", "reasoning_content", "reasoning")
#: Where the content of a chunk's only choice is.
_CONTENT: Location = ("choices", 0, "delta", "content")
#: The channel of a chunk's only choice's content, when its index is 0 (every n=1 stream).
_FIRST_CONTENT: Channel = (0, "content")
#: Read in C over a read's events (:meth:`OpenAIChat.text_run`).
_FIRST = itemgetter(0)
#: A Delta built without the Python ``__new__`` a named tuple has (one per chunk).
_new_delta = tuple.__new__
#: An answer's TextPart, likewise (one per answer, read without Collector.text's call).
_new_part = tuple.__new__


class OpenAIChat(JsonApi):
    """Chat completions; streams are ``chat.completion.chunk`` events whose text is in
    ``choices[].delta.content``, ``.refusal``, reasoning, tool-call arguments and an audio
    answer's ``.audio.transcript`` (its speech in ``.audio.data``)."""

    api: ClassVar[str] = Api.CHAT
    paths: ClassVar[tuple[str, ...]] = ("/v1/chat/completions",)
    streams_text: ClassVar[bool] = True
    request_roles: ClassVar[dict[str, str]] = {
        "messages": "user",
        "tools": TOOL_DEFINITION,
        "functions": TOOL_DEFINITION,
        "tool_choice": TOOL_DEFINITION,
        "function_call": TOOL_DEFINITION,
    }
    attachment_parts: ClassVar[dict[str, AttachmentPart]] = PARTS
    rendered_fields: ClassVar[tuple[str, ...]] = ("messages",)
    answer_parts: ClassVar[tuple[str, ...]] = ("choices",)

    def with_stream_usage(self, body: dict[str, Any]) -> dict[str, Any] | None:
        return ask_stream_usage(body)

    #: Asked of every event of a stream whose usage chunk the proxy asked for: the check
    #: itself, not a method calling it (one Python call an event fewer).
    usage_only = staticmethod(is_usage_only_chunk)

    def extract_response(self, body: dict[str, Any]) -> Extracted:
        # Read for every answer: the usual message (a string of content, no tool calls) is
        # read without the generators of items() and Collector.content or a _tool_calls call.
        out = Collector()
        texts = out.texts
        choices = body.get("choices")
        for i, choice in enumerate(choices if isinstance(choices, list) else ()):
            message = choice.get("message") if isinstance(choice, dict) else None
            if isinstance(message, dict):
                where: Location = ("choices", i, "message")
                content = message.get("content")
                if isinstance(content, str):
                    if content:  # what out.text keeps, without its call
                        part = ((*where, "content"), content, "assistant")
                        texts.append(_new_part(TextPart, part))
                else:
                    _parts(out, (*where, "content"), content, "assistant")
                for field in _OTHER_TEXTS:  # most answers have none, or a null refusal
                    other = message.get(field)
                    if isinstance(other, str) and other:
                        texts.append(_new_part(TextPart, ((*where, field), other, "assistant")))
                audio = message.get("audio")
                if isinstance(audio, dict):  # rewrite drops the audio of a masked transcript
                    out.text((*where, "audio", TRANSCRIPT), audio.get(TRANSCRIPT), "assistant")
                if "tool_calls" in message or "function_call" in message:
                    _tool_calls(out, where, message)
        return out.result()

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        # Called for every chunk of every stream (inspection and the record): one pass,
        # no tuples built for choices without a delta.
        listed = payload.get("choices")
        if not isinstance(listed, list):
            return []
        if len(listed) == 1:
            # Nearly every chunk: one choice whose delta is only a piece of content. Any
            # other shape (a role, a refusal, tool calls, an odd index) is read below.
            choice = listed[0]
            if type(choice) is dict:
                delta = choice.get("delta")
                if type(delta) is dict and len(delta) == 1:
                    text = delta.get("content")
                    index = choice.get("index", 0)
                    if type(text) is str and text and type(index) is int:
                        return [_new_delta(Delta, ((index, "content"), _CONTENT, text, False))]
        found: list[Delta] = []
        for position, choice in enumerate(listed):
            if not isinstance(choice, dict):
                continue
            delta = choice.get("delta")
            if not isinstance(delta, dict):
                continue
            index = choice.get("index")
            if not isinstance(index, int):
                index = position
            for field in ("content", *_OTHER_TEXTS):
                text = delta.get(field)
                if text and isinstance(text, str):
                    found.append(Delta((index, field), ("choices", position, "delta", field), text))
            calls = delta.get("tool_calls")
            if calls and isinstance(calls, list):
                _tool_call_deltas(found, index, position, calls)
            audio = delta.get(AUDIO)
            if isinstance(audio, dict) and (text := text_of(audio.get(TRANSCRIPT))):
                where: Location = ("choices", position, "delta", AUDIO, TRANSCRIPT)
                found.append(Delta((index, SPOKEN), where, text))
        return found

    def speech(self, payload: dict[str, Any]) -> list[Speech]:
        # Asked only of streams with a transcript: the speech of each choice's audio delta.
        found: list[Speech] = []
        for position, index, choice in choices(payload):
            delta = choice.get("delta")
            audio = delta.get(AUDIO) if isinstance(delta, dict) else None
            if isinstance(audio, dict) and text_of(audio.get(AUDIO_DATA)):
                where: Location = ("choices", position, "delta", AUDIO, AUDIO_DATA)
                found.append(Speech((index, SPOKEN), where))
        return found

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        return finished_choices(payload)

    def deltas_and_closes(self, payload: dict[str, Any]) -> tuple[list[Delta], list[Channel]]:
        # Every chunk of every stream comes here: the usual one (one choice going on, its
        # delta a piece of content) is read in one pass, the choices looked up once.
        listed = payload.get("choices")
        if type(listed) is list and len(listed) == 1:
            choice = listed[0]
            if type(choice) is dict and not choice.get("finish_reason"):
                delta = choice.get("delta")
                if type(delta) is dict and len(delta) == 1:
                    text = delta.get("content")
                    index = choice.get("index", 0)
                    if type(text) is str and text and type(index) is int:
                        return [_new_delta(Delta, ((index, "content"), _CONTENT, text, False))], []
        return self.deltas(payload), finished_choices(payload)

    def text_run(self, events: Sequence[SSEEvent]) -> TextRun | None:
        # The events deltas_and_closes reads on its first path, with index 0 and no usage
        # object, found for the whole read at once (see wire.apis.runs).
        where, objects = payloads_of(events)
        # Objects: choices a list, no usage object.
        listed = list(map(GET, objects, repeat("choices")))
        usages = map(type, map(GET, objects, repeat("usage")))
        plain = map(
            and_, map(is_, map(type, listed), repeat(list)), map(is_not, usages, repeat(dict))
        )
        where, (listed,) = kept(plain, where, listed)
        where, (listed,) = kept(map(eq, map(len, listed), repeat(1)), where, listed)
        first = list(map(_FIRST, listed))
        where, (first,) = kept(map(is_, map(type, first), repeat(dict)), where, first)
        # Choice objects: going on (no finish reason), index 0, a delta object.
        indexes = list(map(GET, first, repeat("index"), repeat(0)))
        deltas = list(map(GET, first, repeat("delta")))
        plain = map(
            and_,
            map(
                and_,
                map(not_, map(GET, first, repeat("finish_reason"))),
                map(is_, map(type, deltas), repeat(dict)),
            ),
            map(and_, map(is_, map(type, indexes), repeat(int)), map(eq, indexes, repeat(0))),
        )
        where, (deltas,) = kept(plain, where, deltas)
        # Delta objects: only a content string, not empty.
        texts = list(map(GET, deltas, repeat("content")))
        plain = map(
            and_,
            map(eq, map(len, deltas), repeat(1)),
            map(and_, map(is_, map(type, texts), repeat(str)), map(truth, texts)),
        )
        where, (texts,) = kept(plain, where, texts)
        if not stretch(where):
            return None
        return TextRun(where[0], where[-1] + 1, _FIRST_CONTENT, _CONTENT, texts)

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
        elif delta.channel[1] == SPOKEN:  # a transcript, without the speech it came with
            choice["delta"] = {AUDIO: {TRANSCRIPT: ""}}
            path = ("choices", 0, "delta", AUDIO, TRANSCRIPT)
        else:
            field = delta.path[-1]
            choice["delta"] = {field: ""}
            path = ("choices", 0, "delta", field)
        body = {k: v for k, v in payload.items() if k not in ("choices", "usage")}
        return Template({**body, "choices": [choice]}, path, event)


def _tool_call_deltas(found: list[Delta], index: int, position: int, calls: list[Any]) -> None:
    base: Location = ("choices", position, "delta", "tool_calls")
    for k, call in enumerate(calls):
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict) and (text := text_of(function.get("arguments"))):
            number = channel_key(call.get("index", k), k)
            path = (*base, k, "function", "arguments")
            found.append(Delta((index, "tool", number), path, text, json=True))


def _parts(out: Collector, location: Location, content: Any, role: str) -> None:
    for where, part in out.content(location, content, role):
        kind = part.get("type")
        if kind in ("text", "refusal"):
            out.text((*where, kind), part.get(kind), role)
        else:
            out.part(where, part, PARTS)


def _tool_calls(out: Collector, location: Location, message: dict[str, Any]) -> None:
    for k, call in items(message.get("tool_calls")):
        function = call.get("function")
        if isinstance(function, dict):
            where = (*location, "tool_calls", k, "function", "arguments")
            out.text(where, function.get("arguments"), "tool_call")
    legacy = message.get("function_call")
    if isinstance(legacy, dict):
        out.text((*location, "function_call", "arguments"), legacy.get("arguments"), "tool_call")
