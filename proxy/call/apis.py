"""The API a call's path selects, and what the relay reads of its answers: usage and text.

What each API's bodies and streams look like is :mod:`wire.apis`'; this module maps the
proxy's canonical paths to APIs and assembles a stream's record through the API's format.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain, compress, repeat
from operator import attrgetter, is_, itemgetter
from typing import Any

from core.apis import Api, ApiFamily
from core.sse import SSEEvent
from wire.apis.base import JsonApi
from wire.apis.deltas import Delta
from wire.apis.registry import WIRE_APIS, WireRegistry
from wire.apis.usage import MAX_TOKENS, Usage, usage_from
from wire.sdkjson import json_object

# Api (and ApiFamily, Usage) are core's and wire's; imported from here by the proxy's modules.
__all__ = [
    "INSPECTED_PATHS",
    "MAX_TOKENS",
    "MODELS_PATH",
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

#: A delta's text (read in C, not a Python step per delta).
_TEXT = attrgetter("text")
#: Read in C over a read's events: what an event's deltas were read by and as.
_DELTAS = attrgetter("deltas")
_READER = itemgetter(0)
_FOUND = itemgetter(1)
_PAYLOAD = attrgetter("payload")
_GET = dict.get

#: The proxy's own endpoint, served from the register when it is open (no wire format).
MODELS_PATH = "/v1/models"


#: Paths whose bodies the proxy inspects (with the shipped APIs); their case variants are
#: refused (see :mod:`proxy.call.paths`). A proxy's own are its registry's ``served_paths``.
INSPECTED_PATHS = WIRE_APIS.served_paths


def api_for_path(path: str, wire: WireRegistry = WIRE_APIS) -> Api:
    """The API a canonical path (see :mod:`proxy.call.paths`) belongs to."""
    if path == MODELS_PATH or path.startswith(MODELS_PATH + "/"):
        return Api.MODELS
    return wire.api_for_path(path)


def api_family_for_path(path: str, wire: WireRegistry = WIRE_APIS) -> ApiFamily:
    """The family of the API serving ``path`` or a path above it (Anthropic for
    ``/v1/messages`` and below: batches, token counting), else OpenAI."""
    return wire.family_for_path(path)


def response_usage(body: Any, api: str = Api.OTHER, wire: WireRegistry = WIRE_APIS) -> Usage:
    """The usage a (non-streamed) answer from ``api`` reports."""
    return wire.body_usage(api, body)


class StreamRecorder:
    """Assembles a stream's output text and usage from its events, for the event record.

    Events are read by the API's wire format; a stream of an API no format serves (a
    pass-through endpoint) is read as OpenAI chat chunks, the shape OpenAI-compatible
    servers stream.
    """

    def __init__(self, api: str, wire: WireRegistry = WIRE_APIS) -> None:
        self.api = api
        format_ = wire.for_api(api) or wire.for_api(Api.CHAT)
        if format_ is None:
            raise ValueError(f"no wire format reads {api!r} streams")
        self._wire = format_
        self._parts: list[str] = []
        self._usage = Usage()
        self._text_events = 0
        #: The format reads an event's usage as most do: its "usage" object (``usage_in``).
        self._usage_field = type(format_).event_usage is JsonApi.event_usage

    @property
    def text(self) -> str:
        return "".join(self._parts)

    @property
    def usage(self) -> Usage:
        """The provider's usage; without one, output tokens are estimated as one per text
        delta (how OpenAI-style servers stream) so token limits still apply."""
        if self._usage.completion_tokens:
            return self._usage
        return Usage(
            self._usage.prompt_tokens,
            self._text_events,
            self._usage.cached_tokens,
            self._usage.cache_write_tokens,
        )

    def feed(self, event: SSEEvent, *, text: bool = True, usage: bool = True) -> None:
        """Take text and/or usage from ``event``. The relay takes usage from the upstream's
        events and text from those sent to the caller, so the record holds what the caller
        saw after output inspection."""
        self.feed_all((event,), text=text, usage=usage)

    def feed_all(
        self, events: Iterable[SSEEvent], *, text: bool = True, usage: bool = True
    ) -> None:
        """What :meth:`feed` takes from each of ``events`` (a read's), in order, in one call:
        every event of every stream comes here, so nothing is looked up per event."""
        if type(events) is list and len(events) > 1 and self._read_before(events, text, usage):
            return
        wire, parts = self._wire, self._parts
        # The default reading of an event's usage (usage_in), inline where the format keeps it.
        event_usage = None if self._usage_field else wire.event_usage
        counted = 0
        try:
            for event in events:
                payload = event.payload  # event_payload(event), inline
                if payload is None:
                    payload = json_object(event.data)
                    if payload is None:
                        continue
                # Any field of a provider's event may have any type: a stream whose
                # "choices" was a number ended in an internal error mid-stream (issue 9).
                kept = event.deltas  # deltas_of(event, payload, wire), inline: read once,
                if kept is not None and kept[0] is wire:  # mostly by inspection
                    deltas: list[Delta] = kept[1]
                else:
                    deltas = wire.deltas(payload)
                    event.deltas = (wire, deltas)
                if text and deltas:
                    parts += map(_TEXT, deltas)
                if usage:  # the upstream's own events: count them for the estimate
                    counted += len(deltas)
                    if event_usage is None:
                        found = payload.get("usage")
                        if isinstance(found, dict):
                            self._take_usage(usage_from(found))
                    elif (reported := event_usage(payload)) is not None:
                        self._take_usage(reported)
        finally:
            self._text_events += counted

    def _read_before(self, events: list[SSEEvent], text: bool, usage: bool) -> bool:
        """:meth:`feed_all` for ``events`` when output inspection read the deltas of each
        (:func:`wire.apis.deltas.deltas_of`) as this format does (nearly every read of an
        inspected stream): their texts and counts are taken in one step, not event by
        event, and usage from the events that report one. False (nothing taken) when some
        event's deltas are not known."""
        wire = self._wire
        kept = list(map(_DELTAS, events))
        if None in kept or set(map(_READER, kept)) != {wire}:
            return False
        deltas = list(map(_FOUND, kept))
        if text:
            self._parts += map(_TEXT, chain.from_iterable(deltas))
        if usage:
            self._text_events += sum(map(len, deltas))
            payloads = list(map(_PAYLOAD, events))
            # An event built without its payload is decoded here (the stream's [DONE]).
            for index in compress(range(len(payloads)), map(is_, payloads, repeat(None))):
                payloads[index] = json_object(events[index].data)
            objects = list(filter(None, payloads))  # their usage, in order
            if self._usage_field:
                found = list(map(_GET, objects, repeat("usage")))
                for reported in compress(found, map(is_, map(type, found), repeat(dict))):
                    self._take_usage(usage_from(reported))
            else:
                kinds = wire.usage_types
                if kinds is not None:  # only the events of the types that report it
                    types = list(map(_GET, objects, repeat("type")))
                    # A string type first: a list or object there is no key of a set.
                    strings = list(map(is_, map(type, types), repeat(str)))
                    objects, types = (
                        list(compress(objects, strings)),
                        list(compress(types, strings)),
                    )
                    objects = list(compress(objects, map(kinds.__contains__, types)))
                for read in filter(None, map(wire.event_usage, objects)):
                    self._take_usage(read)
        return True

    def _take_usage(self, reported: Usage) -> None:
        # Anthropic sends input tokens at the start and output tokens at the end.
        prompt = self._usage if not reported.prompt_tokens else reported
        self._usage = Usage(
            prompt.prompt_tokens,
            reported.completion_tokens or self._usage.completion_tokens,
            prompt.cached_tokens,
            prompt.cache_write_tokens,
        )


def event_payload(event: SSEEvent) -> dict[str, Any] | None:
    """``event``'s data as a JSON object: as the parser decoded it, else decoded now."""
    return event.payload if event.payload is not None else json_object(event.data)


def is_usage_only_chunk(
    event: SSEEvent, api: str = Api.CHAT, wire: WireRegistry = WIRE_APIS
) -> bool:
    """The final event the proxy asked ``api``'s stream for (``stream_options.include_usage``
    adds a chunk with no choices, only usage)."""
    payload = event_payload(event)
    return payload is not None and wire.usage_only(api, payload)
