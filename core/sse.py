"""One server-sent event as the relay, the recorder and output inspection share it.

Parsing the byte stream into events is the proxy's (``proxy.call.sse``); this is only the type.
"""

from __future__ import annotations

from typing import Any


class SSEEvent:
    """One event: its raw bytes (terminating blank line included) and parsed fields.

    Read-only by contract, though not frozen: every event of every stream is built here
    (twenty or more per answer), and a plain class with slots is built in under a third of
    a frozen dataclass's time. Events compare and hash by ``raw``, ``event`` and ``data``.
    """

    __slots__ = ("data", "deltas", "event", "payload", "raw")

    def __init__(
        self, raw: bytes, event: str | None, data: str, payload: dict[str, Any] | None = None
    ) -> None:
        self.raw = raw
        self.event = event
        self.data = data
        #: ``data`` as a JSON object, decoded once by whoever built the event (the parser,
        #: or an inspector that encoded it) and shared by every consumer; ``None`` when not
        #: known. Consumers read it and never change it.
        self.payload = payload
        #: The text deltas of ``payload`` as a wire format read them, kept by the first
        #: consumer that asked for the next (``wire.apis.deltas.deltas_of``): the reader
        #: and what it returned, or ``None`` until then. The only field ever set later.
        self.deltas: tuple[object, Any] | None = None

    @classmethod
    def build(
        cls, data: str, event: str | None = None, payload: dict[str, Any] | None = None
    ) -> SSEEvent:
        head = f"event: {event}\n" if event else ""
        lines = "".join(f"data: {line}\n" for line in data.split("\n"))
        raw = (head + lines + "\n").encode("utf-8")
        return cls(raw, event, data, payload)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SSEEvent):
            return NotImplemented
        return (self.raw, self.event, self.data) == (other.raw, other.event, other.data)

    def __hash__(self) -> int:
        return hash((self.raw, self.event, self.data))

    def __repr__(self) -> str:
        return f"SSEEvent(raw={self.raw!r}, event={self.event!r}, data={self.data!r})"
