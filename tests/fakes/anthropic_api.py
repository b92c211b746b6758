"""The Anthropic Messages endpoints of the fake upstream."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from .behaviour import Behaviour
from .wire import (
    BEHAVIOUR_KEY,
    BODY_KEY,
    StreamPlan,
    json_reply,
    last_user_text,
    new_id,
    sse_event,
    stream_reply,
)

DEFAULT_MODEL = "claude-fake"
MODEL_IDS = ("claude-fake", "claude-fake-haiku")
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
}


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the Anthropic routes."""
    router.add_post("/v1/messages", messages)


def is_anthropic(request: web.Request) -> bool:
    """Tell whether a request speaks the Anthropic API, by its path or version header."""
    return request.path.startswith("/v1/messages") or "anthropic-version" in request.headers


def error_reply(behaviour: Behaviour, status: int) -> web.Response:
    """Return the Anthropic error body for ``status``."""
    default_type = "api_error" if status >= 500 else "invalid_request_error"
    error = {
        "type": behaviour.error_type or _ERROR_TYPES.get(status, default_type),
        "message": behaviour.error_message,
    }
    return json_reply(behaviour, {"type": "error", "error": error}, status=status)


def _event(data: dict[str, Any]) -> bytes:
    return sse_event(data, event=data["type"])


async def messages(request: web.Request) -> web.StreamResponse:
    """Answer a Messages request, streamed as Anthropic's named SSE events if asked."""
    behaviour, body = request[BEHAVIOUR_KEY], request[BODY_KEY]
    pieces = behaviour.pieces(last_user_text(body.get("messages")))
    model = body.get("model")
    usage = behaviour.usage
    # Anthropic's input_tokens leaves out the tokens read from or written to the cache.
    input_usage = {
        "input_tokens": usage.prompt_tokens - usage.cached_tokens - usage.cache_write_tokens,
        "cache_read_input_tokens": usage.cached_tokens,
        "cache_creation_input_tokens": usage.cache_write_tokens,
    }
    message: dict[str, Any] = {
        "id": new_id("msg_"),
        "type": "message",
        "role": "assistant",
        "model": model if isinstance(model, str) else DEFAULT_MODEL,
        "content": [{"type": "text", "text": "".join(pieces)}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {**input_usage, "output_tokens": usage.completion_tokens},
    }
    if not body.get("stream"):
        return json_reply(behaviour, message)

    start = {
        **message,
        "content": [],
        "stop_reason": None,
        "usage": {**input_usage, "output_tokens": 1},
    }
    head = [
        _event({"type": "message_start", "message": start}),
        _event(
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            }
        ),
        _event({"type": "ping"}),
    ]
    deltas = [
        _event(
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": piece},
            }
        )
        for piece in pieces
    ]
    tail = [
        _event({"type": "content_block_stop", "index": 0}),
        _event(
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": usage.completion_tokens},
            }
        ),
        _event({"type": "message_stop"}),
    ]
    return await stream_reply(request, behaviour, StreamPlan(head=head, pieces=deltas, tail=tail))


async def models(request: web.Request) -> web.StreamResponse:
    """List the fake's models in Anthropic's paginated shape."""
    created = datetime.fromtimestamp(1_700_000_000, tz=UTC).isoformat().replace("+00:00", "Z")
    data = [
        {"type": "model", "id": model_id, "display_name": model_id, "created_at": created}
        for model_id in MODEL_IDS
    ]
    page = {"data": data, "has_more": False, "first_id": MODEL_IDS[0], "last_id": MODEL_IDS[-1]}
    return json_reply(request[BEHAVIOUR_KEY], page)
