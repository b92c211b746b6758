"""The request body as it goes upstream: what the policy judged, for the model the register
routes to, asking for stream usage when token accounting needs it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from proxy.call.apis import Api
from proxy.config.register import Route
from wire.apis.registry import WIRE_APIS, WireRegistry


@dataclass(frozen=True, slots=True)
class Outgoing:
    """The bytes to forward, and whether the proxy asked for stream usage the caller did not
    (the usage-only chunk is then consumed, not relayed)."""

    body: bytes
    strip_usage_chunk: bool = False


def outgoing_body(
    raw: bytes,
    body: Any,
    judged: Any | None,
    route: Route,
    api: Api,
    *,
    model: str,
    stream: bool,
    wire: WireRegistry = WIRE_APIS,
) -> Outgoing:
    """What to send for a call whose body was ``raw``, parsed as ``body`` (None when it is
    not JSON), which the policy rewrote to ``judged`` (None when it left it alone). ``wire``
    says how ``api``'s streams are asked for usage."""
    if body is None:
        return Outgoing(raw)
    # SECURITY: a parsed body is always forwarded re-encoded from what was judged: with
    # duplicate keys ({"model": "a", "model": "b"}) the raw bytes could mean something else
    # to a provider whose parser keeps the first value. (orjson: about 0.4 us per KB.)
    out = judged if judged is not None else body
    if not isinstance(out, dict):
        return Outgoing(orjson.dumps(out))
    if route.entry.target_model != model:
        out = {**out, "model": route.entry.target_model}
    if stream and route.provider.asks_stream_usage:
        # Token accounting needs usage; the extra chunk is not relayed to the caller.
        asking = wire.with_stream_usage(api, out)
        if asking is not None:
            return Outgoing(orjson.dumps(asking), strip_usage_chunk=True)
    return Outgoing(orjson.dumps(out))
