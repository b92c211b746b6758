"""Incremental parsing of server-sent events, keeping each event's raw bytes.

Unmodified events are relayed byte for byte; parsing only serves inspection and recording.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from operator import add, getitem, methodcaller
from typing import cast

import orjson

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
        return _data_event(raw, only)
    return read_line_by_line(raw)


def read_line_by_line(raw: bytes) -> SSEEvent:
    """An event as the SSE specification reads it: field lines, ``data`` joined (any
    event; ``parse_event`` takes a shortcut for the one-line ``data:`` events)."""
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


def _data_event(raw: bytes, data: bytes) -> SSEEvent:
    """The event of one ``data:`` line holding ``data``, as providers send nearly every
    event: what the line by line reading of :func:`parse_event` makes of it, in one step."""
    text = data.decode("utf-8", errors="replace")
    if data[:1] == b"{":
        # The JSON read from the bytes, not the text decoded from them: the same object
        # when they are UTF-8 (orjson refuses them otherwise, and json_object decides).
        try:
            payload = orjson.loads(data)
        except orjson.JSONDecodeError:
            return SSEEvent(raw, None, text, json_object(text))
        return SSEEvent(raw, None, text, payload)
    return SSEEvent(raw, None, text, json_object(text))


class SSEParser:
    """Feed bytes as they arrive; get back the events completed so far."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        buffer = self._buffer + chunk if self._buffer else chunk
        if b"\r" not in buffer:
            # Only LF line ends (nearly every provider): each "\n\n" ends an event, found
            # the way _EVENT_END finds them (leftmost first, never overlapping).
            *complete, self._buffer = buffer.split(b"\n\n")
            if len(complete) >= _BATCH:
                # Many events in one read (a stream under load): read together, in C.
                batch = _object_events(complete)
                if batch is not None:
                    return batch
            # Every event of every stream goes through here: the one-line JSON event, as
            # providers send nearly all, is read inline (what _lf_event makes of it).
            events: list[SSEEvent] = []
            for body in complete:
                if body[:7] == b"data: {" and b"\n" not in body:
                    data = body[6:]
                    try:
                        payload = orjson.loads(data)
                    except orjson.JSONDecodeError:
                        events.append(_data_event(body + b"\n\n", data))
                        continue
                    text = data.decode("utf-8", errors="replace")
                    events.append(SSEEvent(body + b"\n\n", None, text, payload))
                else:
                    events.append(_lf_event(body))
            return events
        events = []
        start = 0
        for match in _EVENT_END.finditer(buffer):
            events.append(parse_event(buffer[start : match.end()]))
            start = match.end()
        self._buffer = buffer[start:]
        return events

    def close(self) -> list[SSEEvent]:
        """Whatever is left when the stream ends (an unterminated last event)."""
        rest, self._buffer = self._buffer, b""
        return [parse_event(rest)] if rest.strip() else []


#: Events in a read from which they are read together (:func:`_object_events`): below it,
#: its fixed steps cost more than the loop's per event (a paced stream reads one a time).
_BATCH = 4
_OBJECT_LINE = methodcaller("startswith", b"data: {")
_HAS_LF = methodcaller("__contains__", b"\n")
_DATA = slice(6, None)
#: ``body[_DATA]`` in C (``operator.getitem``, typed for bytes).
_SLICED = cast("Callable[[bytes, slice], bytes]", getitem)
_DECODE = methodcaller("decode", "utf-8", "replace")
_BLANK_LINE = b"\n\n"


def _object_events(bodies: list[bytes]) -> list[SSEEvent] | None:
    """The events of ``bodies`` (each an event without its blank line, no CR) when each is
    one ``data:`` line holding a JSON object (nearly every event, but for a stream's last,
    ``[DONE]``, read on its own): what :meth:`SSEParser.feed`'s loop makes of them, with no
    Python step per event but the event's own ``__init__``. ``None`` when some body is of
    another kind or its JSON does not decode (then read event by event). Named events
    (Anthropic's, the Responses API's) are read by :func:`_named_events`."""
    if _NAMED_LINE(bodies[0]):
        return _named_events(bodies)
    last: list[SSEEvent] = []
    if not _OBJECT_LINE(bodies[-1]):
        last, bodies = [_lf_event(bodies[-1])], bodies[:-1]
    if not all(map(_OBJECT_LINE, bodies)) or any(map(_HAS_LF, bodies)):
        return None
    events = _decoded(bodies, repeat(None), bodies)
    if events is None:
        return None
    return events + last if last else events


def _decoded(
    bodies: Sequence[bytes], names: Iterable[str | None], lines: Sequence[bytes]
) -> list[SSEEvent] | None:
    """The events of ``bodies`` (each without its blank line), named ``names``, whose
    ``data:`` lines are ``lines``, decoded in C; ``None`` when a JSON does not decode."""
    datas = list(map(_SLICED, lines, repeat(_DATA)))
    try:
        payloads = list(map(orjson.loads, datas))
    except orjson.JSONDecodeError:
        return None
    raws = map(add, bodies, repeat(_BLANK_LINE))
    return list(map(SSEEvent, raws, names, map(_DECODE, datas), payloads))


#: A named event's two lines (:func:`_named_events`), split in C.
_NAMED_LINE = methodcaller("startswith", b"event: ")
_SPLIT_LINES = methodcaller("split", b"\n")
_NAME = slice(7, None)


def _named_events(bodies: list[bytes]) -> list[SSEEvent] | None:
    """What :func:`_object_events` makes of ``bodies`` when each is an ``event:`` line
    and a ``data:`` line holding a JSON object, as Anthropic and the Responses API send
    every event (the last body may be of any kind: read on its own). An event's name is
    its line's value after one space, as the line by line reading takes it. ``None`` as
    there."""
    last: list[SSEEvent] = []
    if not _NAMED_LINE(bodies[-1]):
        last, bodies = [_lf_event(bodies[-1])], bodies[:-1]
    split = list(map(_SPLIT_LINES, bodies))
    if set(map(len, split)) != {2}:  # each body two lines: a name and its data
        return None
    heads, lines = zip(*split, strict=True)
    if not all(map(_NAMED_LINE, heads)) or not all(map(_OBJECT_LINE, lines)):
        return None
    names = map(_DECODE, map(_SLICED, heads, repeat(_NAME)))
    events = _decoded(bodies, names, lines)
    if events is None:
        return None
    return events + last if last else events


def _lf_event(body: bytes) -> SSEEvent:
    """The event ``body`` + "\\n\\n" (without CR, and without a blank line inside)."""
    raw = body + b"\n\n"
    if body.startswith(b"data: ") and b"\n" not in body:
        return _data_event(raw, body[6:])
    if body.startswith(b"event: "):
        # A name and one data line holding a JSON object (Anthropic's and the Responses
        # API's every event): read as the line by line reading does, in one step.
        head, _, line = body.partition(b"\n")
        if line.startswith(b"data: {") and b"\n" not in line:
            data = line[6:]
            try:
                payload = orjson.loads(data)
            except orjson.JSONDecodeError:
                return parse_event(raw)
            name = head[7:].decode("utf-8", errors="replace")
            return SSEEvent(raw, name, data.decode("utf-8", errors="replace"), payload)
    return parse_event(raw)
