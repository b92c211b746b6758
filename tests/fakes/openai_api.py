"""The OpenAI (and Azure OpenAI) endpoints of the fake upstream."""

from __future__ import annotations

import base64
import hashlib
import itertools
import struct
import time
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

DEFAULT_MODEL = "gpt-fake"
EMBEDDING_DIMENSIONS = 8
MODEL_IDS = ("gpt-fake", "gpt-fake-mini", "text-embedding-fake")
_DONE = sse_event("[DONE]")
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "permission_error",
    404: "invalid_request_error",
    429: "rate_limit_exceeded",
}


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the OpenAI routes; the ``/v1`` catch-all goes last."""
    router.add_post("/v1/chat/completions", chat_completions)
    router.add_post("/v1/completions", completions)
    router.add_post("/v1/embeddings", embeddings)
    router.add_post("/v1/responses", responses)
    for handler, suffix in (
        (chat_completions, "chat/completions"),
        (completions, "completions"),
        (embeddings, "embeddings"),
    ):
        router.add_post(f"/openai/deployments/{{deployment}}/{suffix}", handler)


def add_catch_all(router: web.UrlDispatcher) -> None:
    """Register the route that echoes any other ``/v1`` request."""
    router.add_route("*", "/v1/{tail:.*}", echo)


def error_reply(behaviour: Behaviour, status: int) -> web.Response:
    """Return the OpenAI error body for ``status``."""
    default_type = "server_error" if status >= 500 else _ERROR_TYPES.get(status, "api_error")
    error = {
        "message": behaviour.error_message,
        "type": behaviour.error_type or default_type,
        "code": behaviour.error_code,
        "param": None,
    }
    return json_reply(behaviour, {"error": error}, status=status)


def _model(request: web.Request) -> str:
    model = request[BODY_KEY].get("model")
    if isinstance(model, str):
        return model
    return request.match_info.get("deployment", DEFAULT_MODEL)


def _usage(behaviour: Behaviour) -> dict[str, Any]:
    usage = behaviour.usage
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
        "prompt_tokens_details": {"cached_tokens": usage.cached_tokens},
    }


def _wants_usage(body: dict[str, Any]) -> bool:
    options = body.get("stream_options")
    return isinstance(options, dict) and options.get("include_usage") is True


async def chat_completions(request: web.Request) -> web.StreamResponse:
    """Answer a chat completion, streamed as ``chat.completion.chunk`` events if asked."""
    behaviour, body = request[BEHAVIOUR_KEY], request[BODY_KEY]
    pieces = behaviour.pieces(last_user_text(body.get("messages")))
    base = {
        "id": new_id("chatcmpl-"),
        "created": int(time.time()),
        "model": _model(request),
        "system_fingerprint": "fp_fake",
    }
    if not body.get("stream"):
        message = {"role": "assistant", "content": "".join(pieces), "refusal": None}
        choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}
        return json_reply(
            behaviour,
            {**base, "object": "chat.completion", "choices": [choice], "usage": _usage(behaviour)},
        )

    wants_usage = _wants_usage(body)

    def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        data = {**base, "object": "chat.completion.chunk", "choices": [choice]}
        return sse_event({**data, "usage": None} if wants_usage else data)

    tail = [chunk({}, "stop")]
    if wants_usage:
        usage_chunk = {**base, "object": "chat.completion.chunk", "choices": []}
        tail.append(sse_event({**usage_chunk, "usage": _usage(behaviour)}))
    # Equal pieces share one encoding, so a stream of thousands of big pieces stays small.
    encoded: dict[str, bytes] = {}
    plan = StreamPlan(
        head=[chunk({"role": "assistant", "content": "", "refusal": None})],
        pieces=[
            encoded[piece]
            if piece in encoded
            else encoded.setdefault(piece, chunk({"content": piece}))
            for piece in pieces
        ],
        tail=[*tail, _DONE],
    )
    return await stream_reply(request, behaviour, plan)


async def completions(request: web.Request) -> web.StreamResponse:
    """Answer a legacy text completion, streamed as ``text_completion`` events if asked."""
    behaviour, body = request[BEHAVIOUR_KEY], request[BODY_KEY]
    prompt = body.get("prompt")
    if isinstance(prompt, list):
        prompt = prompt[-1] if prompt and isinstance(prompt[-1], str) else ""
    pieces = behaviour.pieces(prompt if isinstance(prompt, str) else "")
    base = {
        "id": new_id("cmpl-"),
        "object": "text_completion",
        "created": int(time.time()),
        "model": _model(request),
    }

    def choice(text: str, finish_reason: str | None) -> dict[str, Any]:
        return {"text": text, "index": 0, "logprobs": None, "finish_reason": finish_reason}

    if not body.get("stream"):
        return json_reply(
            behaviour,
            {**base, "choices": [choice("".join(pieces), "stop")], "usage": _usage(behaviour)},
        )
    tail = [sse_event({**base, "choices": [choice("", "stop")]})]
    if _wants_usage(body):
        tail.append(sse_event({**base, "choices": [], "usage": _usage(behaviour)}))
    plan = StreamPlan(
        head=[],
        pieces=[sse_event({**base, "choices": [choice(piece, None)]}) for piece in pieces],
        tail=[*tail, _DONE],
    )
    return await stream_reply(request, behaviour, plan)


def _vector(text: str, dimensions: int) -> list[float]:
    """Return a deterministic unit-range vector for ``text``, exact in float32."""
    digest = hashlib.sha256(text.encode()).digest()
    return [(digest[i % len(digest)] - 128) / 128 for i in range(dimensions)]


async def embeddings(request: web.Request) -> web.StreamResponse:
    """Answer an embeddings request with float vectors, or base64 float32 if asked."""
    behaviour, body = request[BEHAVIOUR_KEY], request[BODY_KEY]
    raw = body.get("input")
    # A list of token ids is one input; a list of strings or of token lists is several.
    items = raw if isinstance(raw, list) and raw and not isinstance(raw[0], int) else [raw]
    dimensions = body.get("dimensions")
    size = dimensions if isinstance(dimensions, int) and dimensions > 0 else EMBEDDING_DIMENSIONS
    data = []
    for index, item in enumerate(items):
        vector = _vector(str(item), size)
        encoded: list[float] | str = vector
        if body.get("encoding_format") == "base64":
            encoded = base64.b64encode(struct.pack(f"<{size}f", *vector)).decode()
        data.append({"object": "embedding", "index": index, "embedding": encoded})
    usage = {"prompt_tokens": behaviour.usage.prompt_tokens}
    usage["total_tokens"] = usage["prompt_tokens"]
    return json_reply(
        behaviour, {"object": "list", "data": data, "model": _model(request), "usage": usage}
    )


async def responses(request: web.Request) -> web.StreamResponse:
    """Answer a Responses API request, streamed as typed ``response.*`` events if asked."""
    behaviour, body = request[BEHAVIOUR_KEY], request[BODY_KEY]
    pieces = behaviour.pieces(last_user_text(body.get("input")))
    text = "".join(pieces)
    message_id = new_id("msg_")
    snapshot: dict[str, Any] = {
        "id": new_id("resp_"),
        "object": "response",
        "created_at": int(time.time()),
        "status": "in_progress",
        "model": _model(request),
        "output": [],
        "error": None,
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "metadata": {},
        "parallel_tool_calls": True,
        "temperature": 1.0,
        "top_p": 1.0,
        "tool_choice": "auto",
        "tools": [],
        "text": {"format": {"type": "text"}},
        "usage": None,
    }
    part = {"type": "output_text", "text": text, "annotations": [], "logprobs": []}
    item = {
        "type": "message",
        "id": message_id,
        "status": "completed",
        "role": "assistant",
        "content": [part],
    }
    usage = behaviour.usage
    completed = {
        **snapshot,
        "status": "completed",
        "output": [item],
        "usage": {
            "input_tokens": usage.prompt_tokens,
            "input_tokens_details": {"cached_tokens": usage.cached_tokens},
            "output_tokens": usage.completion_tokens,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": usage.total_tokens,
        },
    }
    if not body.get("stream"):
        return json_reply(behaviour, completed)

    sequence = itertools.count()

    def event(kind: str, **fields: Any) -> bytes:
        return sse_event({"type": kind, "sequence_number": next(sequence), **fields}, event=kind)

    where = {"item_id": message_id, "output_index": 0, "content_index": 0}
    head = [
        event("response.created", response=snapshot),
        event("response.in_progress", response=snapshot),
        event(
            "response.output_item.added",
            output_index=0,
            item={**item, "status": "in_progress", "content": []},
        ),
        event("response.content_part.added", **where, part={**part, "text": ""}),
    ]
    deltas = [
        event("response.output_text.delta", **where, delta=piece, logprobs=[]) for piece in pieces
    ]
    tail = [
        event("response.output_text.done", **where, text=text, logprobs=[]),
        event("response.content_part.done", **where, part=part),
        event("response.output_item.done", output_index=0, item=item),
        event("response.completed", response=completed),
    ]
    return await stream_reply(request, behaviour, StreamPlan(head=head, pieces=deltas, tail=tail))


async def models(request: web.Request) -> web.StreamResponse:
    """List the fake's models."""
    data = [
        {"id": model_id, "object": "model", "created": 1_700_000_000, "owned_by": "fake"}
        for model_id in MODEL_IDS
    ]
    return json_reply(request[BEHAVIOUR_KEY], {"object": "list", "data": data})


async def echo(request: web.Request) -> web.StreamResponse:
    """Echo the method, path and query of any other ``/v1`` request."""
    return json_reply(
        request[BEHAVIOUR_KEY],
        {"method": request.method, "path": request.path, "query": dict(request.query)},
    )
