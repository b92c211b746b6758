"""OpenAI legacy completions (``/v1/completions``): a prompt in, ``choices[].text`` out."""

from __future__ import annotations

from typing import Any, ClassVar

from core.apis import Api
from wire.apis.base import JsonApi
from wire.apis.deltas import Channel, Delta, Template, choices, finished_choices, text_of
from wire.apis.texts import Collector, Extracted, items
from wire.apis.usage import ask_stream_usage, is_usage_only_chunk


class OpenAICompletions(JsonApi):
    """Completions; streams are ``text_completion`` chunks with ``choices[].text``."""

    api: ClassVar[str] = Api.COMPLETIONS
    paths: ClassVar[tuple[str, ...]] = ("/v1/completions",)
    streams_text: ClassVar[bool] = True
    request_roles: ClassVar[dict[str, str]] = {"prompt": "prompt", "suffix": "prompt"}
    rendered_fields: ClassVar[tuple[str, ...]] = ("prompt",)
    answer_parts: ClassVar[tuple[str, ...]] = ("choices",)

    def with_stream_usage(self, body: dict[str, Any]) -> dict[str, Any] | None:
        return ask_stream_usage(body)

    #: Asked of every event of a stream whose usage chunk the proxy asked for: the check
    #: itself, not a method calling it (one Python call an event fewer).
    usage_only = staticmethod(is_usage_only_chunk)

    def extract_response(self, body: dict[str, Any]) -> Extracted:
        out = Collector()
        for i, choice in items(body.get("choices")):
            out.text(("choices", i, "text"), choice.get("text"), "assistant")
        return out.result()

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        return [
            Delta((index,), ("choices", position, "text"), text)
            for position, index, choice in choices(payload)
            if (text := text_of(choice.get("text")))
        ]

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        return finished_choices(payload)

    def template(self, payload: dict[str, Any], delta: Delta, event: str | None) -> Template:
        position = delta.path[1]
        assert isinstance(position, int)
        choice = {**payload["choices"][position], "text": "", "finish_reason": None}
        body = {k: v for k, v in payload.items() if k not in ("choices", "usage")}
        return Template({**body, "choices": [choice]}, ("choices", 0, "text"), event)
