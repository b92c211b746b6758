"""The SSE events of a streamed answer as output inspection reads and rewrites them.

An event is read once (:class:`ReadEvent`: its payload, text deltas and the channels it
ends); an event whose text changed is re-encoded from a payload copied only along the
changed paths.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from core.sse import SSEEvent
from policies.extract import Location
from policies.stream_shapes import Channel, Delta
from wire.apis.walk import LOGPROBS
from wire.sdkjson import dumps_like_clients, json_object


class ReadEvent(NamedTuple):
    """One event of a read, with what inspection needs of it (read once)."""

    event: SSEEvent
    payload: dict[str, Any] | None
    deltas: list[Delta]
    closes: list[Channel]
    #: The channels this event ends (all of them for ``[DONE]``).
    closing: list[Channel]


def replaced(payload: dict[str, Any], replacements: dict[Location, str]) -> dict[str, Any]:
    """``payload`` with the strings at ``replacements`` (plain key paths, as deltas have)
    replaced: only the containers on those paths are copied, the rest is shared (payloads
    are never changed once decoded).

    SECURITY: log probabilities spell the text they go with token by token (a chat choice's
    ``logprobs``, a Responses delta event's): a container on a changed path goes out
    without them, or a held or masked value would reach the caller in them (h131)."""
    result = payload.copy()
    for path, text in replacements.items():
        node: Any = result
        for key in path[:-1]:
            if type(node) is dict:
                node.pop(LOGPROBS, None)
            # A decoded payload's containers are lists and dicts: copy() copies either
            # (a subclass's copy is a plain list or dict, as list() and dict() made it).
            node[key] = node = node[key].copy()
        if type(node) is dict:
            node.pop(LOGPROBS, None)
        node[path[-1]] = text
    return result


def payload_of(event: SSEEvent) -> dict[str, Any] | None:
    """The JSON object ``event`` carries, or ``None``."""
    # Decoded once by the SSE parser for every consumer; decoded here only when built
    # without it.
    return event.payload if event.payload is not None else json_object(event.data)


def encode(payload: dict[str, Any], event: str | None) -> SSEEvent:
    """An event carrying ``payload``, serialised as the provider's clients expect: what
    :meth:`SSEEvent.build` makes of it, in one step (JSON is written on one line, its line
    breaks escaped, so the event has one ``data`` line)."""
    # ``payload`` is a fresh copy (see rewrite) that nothing changes after this: the
    # recorder reads it instead of decoding the event again.
    body = dumps_like_clients(payload)
    head = b"event: " + event.encode() + b"\n" if event else b""
    return SSEEvent(head + b"data: " + body + b"\n\n", event, body.decode(), payload)
