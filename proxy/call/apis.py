"""What the proxy knows about each API shape: endpoints, usage and output text.

Request and response bodies are provider JSON; this module reads the few fields the proxy
needs (model, stream flag, usage, output text) without validating the rest, so new provider
fields pass through untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.apis import Api, ApiFamily
from core.sse import SSEEvent
from wire.sdkjson import json_object

# Api (and ApiFamily) are core's; imported from here by the proxy's modules.
__all__ = [
    "API_BY_PATH",
    "INSPECTED_PATHS",
    "MAX_TOKENS",
    "USAGE_OPTION_APIS",
    "Api",
    "ApiFamily",
    "StreamRecorder",
    "Usage",
    "api_family_for_path",
    "api_for_path",
    "event_payload",
    "is_usage_only_chunk",
    "response_usage",
    "usage_from",
]

API_BY_PATH = {
    "/v1/chat/completions": Api.CHAT,
    "/v1/completions": Api.COMPLETIONS,
    "/v1/embeddings": Api.EMBEDDINGS,
    "/v1/responses": Api.RESPONSES,
    "/v1/models": Api.MODELS,
    "/v1/messages": Api.MESSAGES,
}

#: APIs whose streams can be asked to include usage with ``stream_options``.
USAGE_OPTION_APIS = frozenset({Api.CHAT, Api.COMPLETIONS})


#: Paths whose bodies the proxy inspects; their case variants are refused (see proxy.call.paths).
INSPECTED_PATHS = frozenset(path for path, api in API_BY_PATH.items() if api is not Api.MODELS)


def api_for_path(path: str) -> Api:
    """The API a canonical path (see :mod:`proxy.call.paths`) belongs to."""
    if path.startswith("/v1/models/"):
        return Api.MODELS
    return API_BY_PATH.get(path, Api.OTHER)


def api_family_for_path(path: str) -> ApiFamily:
    """Anthropic for ``/v1/messages`` and below (batches, token counting), else OpenAI."""
    anthropic = path == "/v1/messages" or path.startswith("/v1/messages/")
    return ApiFamily.ANTHROPIC if anthropic else ApiFamily.OPENAI


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens a call used, as the provider reported them. ``prompt_tokens`` counts every
    input token; ``cached_tokens`` (cache reads) and ``cache_write_tokens`` (Anthropic's
    cache writes) are the parts of it that are priced differently."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    cache_write_tokens: int = 0

    @property
    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens


#: The largest token count the event log stores (a UInt32 column).
MAX_TOKENS = 2**32 - 1


def _int(value: Any) -> int:
    """A token count from provider JSON: a non-negative int the store can hold, else 0.

    SECURITY: provider answers are untrusted input; a negative or oversized count made
    every insert of the event log fail (issue 9 fuzz run), and a negative one made the
    token counter raise.
    """
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_TOKENS:
        return value
    return 0


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def usage_from(usage: Any) -> Usage:
    """Read a usage object in OpenAI (prompt/completion) or Anthropic/Responses form."""
    if not isinstance(usage, dict):
        return Usage()
    prompt = _int(usage.get("prompt_tokens")) or _int(usage.get("input_tokens"))
    # Anthropic reports cached input separately from input_tokens; OpenAI counts its
    # cached tokens inside prompt_tokens (input_tokens in the Responses API).
    read = _int(usage.get("cache_read_input_tokens"))
    written = _int(usage.get("cache_creation_input_tokens"))
    prompt += read + written
    details = _dict(usage.get("prompt_tokens_details")) or _dict(usage.get("input_tokens_details"))
    cached = read or min(_int(details.get("cached_tokens")), prompt)
    completion = _int(usage.get("completion_tokens")) or _int(usage.get("output_tokens"))
    return Usage(min(prompt, MAX_TOKENS), completion, min(cached, MAX_TOKENS), written)


def response_usage(body: Any) -> Usage:
    return usage_from(body.get("usage")) if isinstance(body, dict) else Usage()


class StreamRecorder:
    """Assembles a stream's output text and usage from its events, for the event record."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self._parts: list[str] = []
        self._prompt_tokens = 0
        self._completion_tokens = 0
        self._cached_tokens = 0
        self._cache_write_tokens = 0
        self._take_text = True
        self._take_usage_now = True
        self._text_events = 0

    @property
    def text(self) -> str:
        return "".join(self._parts)

    @property
    def usage(self) -> Usage:
        """The provider's usage; without one, output tokens are estimated as one per text
        event (how OpenAI-style servers stream) so token limits still apply."""
        return Usage(
            self._prompt_tokens,
            self._completion_tokens or self._text_events,
            self._cached_tokens,
            self._cache_write_tokens,
        )

    def feed(self, event: SSEEvent, *, text: bool = True, usage: bool = True) -> None:
        """Take text and/or usage from ``event``. The relay takes usage from the upstream's
        events and text from those sent to the caller, so the record holds what the caller
        saw after output inspection."""
        payload = event_payload(event)
        if payload is not None:
            self._take_text, self._take_usage_now = text, usage
            self._read(payload)

    def _read(self, payload: dict[str, Any]) -> None:
        # Any field of a provider's event may have any type: a stream whose "choices" was
        # a number ended in an internal error mid-stream (issue 9 fuzz run).
        kind = payload.get("type")
        if self.api is Api.MESSAGES:
            if kind == "message_start":
                self._take_usage(_dict(payload.get("message")).get("usage"))
            elif kind == "content_block_delta":
                delta = _dict(payload.get("delta"))
                self._add(delta.get("text") or delta.get("partial_json"))
            elif kind == "message_delta":
                self._take_usage(payload.get("usage"))
        elif self.api is Api.RESPONSES:
            if kind in ("response.output_text.delta", "response.function_call_arguments.delta"):
                self._add(payload.get("delta"))
            elif kind == "response.completed":
                self._take_usage(_dict(payload.get("response")).get("usage"))
        else:
            for choice in map(_dict, _list(payload.get("choices"))):
                delta = _dict(choice.get("delta"))
                self._add(delta.get("content"))
                self._add(choice.get("text"))
                for call in map(_dict, _list(delta.get("tool_calls"))):
                    self._add(_dict(call.get("function")).get("arguments"))
            self._take_usage(payload.get("usage"))

    def _add(self, text: Any) -> None:
        if not (isinstance(text, str) and text):
            return
        if self._take_text:
            self._parts.append(text)
        if self._take_usage_now:  # the upstream's own events: count them for the estimate
            self._text_events += 1

    def _take_usage(self, raw: Any) -> None:
        if not self._take_usage_now:
            return
        usage = usage_from(raw)
        # Anthropic sends input tokens at the start and output tokens at the end.
        if usage.prompt_tokens:
            self._prompt_tokens = usage.prompt_tokens
            self._cached_tokens = usage.cached_tokens
            self._cache_write_tokens = usage.cache_write_tokens
        self._completion_tokens = usage.completion_tokens or self._completion_tokens


def event_payload(event: SSEEvent) -> dict[str, Any] | None:
    """``event``'s data as a JSON object: as the parser decoded it, else decoded now."""
    return event.payload if event.payload is not None else json_object(event.data)


def is_usage_only_chunk(event: SSEEvent) -> bool:
    """The final chunk ``stream_options.include_usage`` adds: no choices, only usage."""
    payload = event_payload(event)
    return payload is not None and payload.get("choices") == [] and "usage" in payload
