"""Incremental parsing of server-sent events, keeping each event's raw bytes.

Unmodified events are relayed byte for byte; parsing only serves inspection and recording.
"""

from __future__ import annotations

import re

from core.sse import SSEEvent
from wire.sdkjson import json_object

# SSEEvent is core's; imported from here by the proxy's modules.
__all__ = ["SSEEvent", "SSEParser", "parse_event"]

_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")
# SECURITY: only CR, LF and CRLF end an SSE line (the spec, and every SDK). str.splitlines()
# also splits on U+2028, U+0085, form feed..., which JSON carries unescaped inside strings:
# an event holding one parsed as truncated, non-JSON data and was relayed uninspected.
_LINE_END = re.compile(r"\r\n|\r|\n")


def parse_event(raw: bytes) -> SSEEvent:
    only = raw[6:].rstrip(b"\r\n")
    if raw.startswith(b"data: ") and b"\n" not in only and b"\r" not in only:
        # One ``data:`` line, as providers send nearly every event: what the line by line
        # reading below makes of it, in one step.
        text = only.decode("utf-8", errors="replace")
        return SSEEvent(raw=raw, event=None, data=text, payload=json_object(text))
    event: str | None = None
    data: list[str] = []
    for line in _LINE_END.split(raw.decode("utf-8", errors="replace")):
        if not line or line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            data.append(value)
        elif name == "event":
            event = value
    text = "\n".join(data)
    return SSEEvent(raw=raw, event=event, data=text, payload=json_object(text))


class SSEParser:
    """Feed bytes as they arrive; get back the events completed so far."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        self._buffer += chunk
        events: list[SSEEvent] = []
        start = 0
        for match in _EVENT_END.finditer(self._buffer):
            events.append(parse_event(self._buffer[start : match.end()]))
            start = match.end()
        self._buffer = self._buffer[start:]
        return events

    def close(self) -> list[SSEEvent]:
        """Whatever is left when the stream ends (an unterminated last event)."""
        rest, self._buffer = self._buffer, b""
        return [parse_event(rest)] if rest.strip() else []
