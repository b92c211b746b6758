"""What every fake endpoint shares: request keys, JSON and SSE replies, prompt extraction."""

from __future__ import annotations

import asyncio
import gzip
import json
import secrets
import socket
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .behaviour import Behaviour

# Set by the recording middleware before any endpoint runs.
BEHAVIOUR_KEY = web.RequestKey("behaviour", Behaviour)
BODY_KEY = web.RequestKey("body", dict[str, Any])


def new_id(prefix: str) -> str:
    """Return a random identifier in the provider's ``prefix-hex`` style."""
    return f"{prefix}{secrets.token_hex(12)}"


def json_reply(behaviour: Behaviour, payload: object, *, status: int = 200) -> web.Response:
    """Return ``payload`` as JSON, gzip-compressed when the behaviour asks for it."""
    body = json.dumps(payload).encode()
    headers = {}
    if behaviour.gzip:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    return web.Response(body=body, status=status, content_type="application/json", headers=headers)


def sse_event(data: object, *, event: str | None = None) -> bytes:
    """Encode one server-sent event; ``data`` is JSON-encoded unless it is already a string."""
    text = data if isinstance(data, str) else json.dumps(data)
    prefix = f"event: {event}\n" if event is not None else ""
    return f"{prefix}data: {text}\n\n".encode()


@dataclass(frozen=True)
class StreamPlan:
    """The encoded events of one stream: preamble, one event per text piece, closing events."""

    head: Sequence[bytes]
    pieces: Sequence[bytes]
    tail: Sequence[bytes]


async def stream_reply(
    request: web.Request, behaviour: Behaviour, plan: StreamPlan
) -> web.StreamResponse:
    """Send ``plan`` as an SSE stream, honouring the hold and interval knobs.

    The preamble goes out together with the first piece, so a relay that passes bytes on
    incrementally shows the first text while the fake holds the rest back.
    """
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    tail = plan.tail[:-1] if behaviour.omit_final_event else plan.tail
    first, rest = list(plan.pieces[:1]), [*plan.pieces[1:], *tail]
    finished = False
    try:
        await response.write(b"".join([*plan.head, *first]))
        behaviour.events_sent += len(plan.head) + len(first)
        if behaviour.hold_after_first_chunk is not None:
            await behaviour.hold_after_first_chunk.wait()
        for number, event in enumerate(rest, start=len(first)):
            if number == behaviour.reset_after_pieces:
                reset_connection(request)
                return response
            if behaviour.chunk_interval:
                await asyncio.sleep(behaviour.chunk_interval)
            if behaviour.before_event is not None:
                await behaviour.before_event(number)
            await response.write(event)
            behaviour.events_sent += 1
        await response.write_eof()
        finished = True
    except ConnectionResetError:
        # The client went away mid-write; nothing more can be sent on this connection.
        return response
    finally:
        # Covers both a failed write and the handler being cancelled on disconnect.
        if not finished:
            behaviour.stream_cancelled.set()
    return response


def reset_connection(request: web.Request) -> None:
    """Abort the connection with a TCP reset (``SO_LINGER`` 0), as a crashing provider would."""
    transport = request.transport
    assert transport is not None
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


def text_of(content: object) -> str:
    """Return the text of a message ``content``: a string, or a list of text parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part["text"]
            for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        )
    return ""


def last_user_text(messages: object) -> str:
    """Return the text of the last ``role == "user"`` entry of a message list."""
    if isinstance(messages, str):
        return messages
    if not isinstance(messages, list):
        return ""
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            return text_of(message.get("content"))
    return ""
