"""One server-sent event as the relay, the recorder and output inspection share it.

Parsing the byte stream into events is the proxy's (``proxy.call.sse``); this is only the type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One event: its raw bytes (terminating blank line included) and parsed fields."""

    raw: bytes
    event: str | None
    data: str
    #: ``data`` as a JSON object, decoded once by whoever built the event (the parser, or
    #: an inspector that encoded it) and shared by every consumer; ``None`` when not known.
    #: Consumers read it and never change it.
    payload: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def build(
        cls, data: str, event: str | None = None, payload: dict[str, Any] | None = None
    ) -> SSEEvent:
        head = f"event: {event}\n" if event else ""
        lines = "".join(f"data: {line}\n" for line in data.split("\n"))
        raw = (head + lines + "\n").encode("utf-8")
        return cls(raw=raw, event=event, data=data, payload=payload)
