"""Where streamed answers carry their text, per API: the stream half of :mod:`wire.apis`.

Output inspection needs these of an API's stream (:class:`StreamShape`); every
:class:`wire.apis.protocol.WireApi` provides them, from the payload the SSE parser decoded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from core.sse import SSEEvent
from wire.apis.deltas import SPOKEN, Channel, Delta, Speech, Template, TextRun
from wire.apis.registry import WIRE_APIS, WireRegistry

__all__ = [
    "SPOKEN",
    "Channel",
    "Delta",
    "Speech",
    "StreamShape",
    "Template",
    "TextRun",
    "shape_for",
]


class StreamShape(Protocol):
    """How one API's stream events carry text."""

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        """The non-empty text deltas in ``payload``."""
        ...

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        """Channel prefixes this event ends (``()`` ends every channel)."""
        ...

    def deltas_and_closes(self, payload: dict[str, Any]) -> tuple[list[Delta], list[Channel]]:
        """:meth:`deltas` and :meth:`closes` of one stream event, read together: output
        inspection asks both of every event of every stream."""
        ...

    def text_run(self, events: Sequence[SSEEvent]) -> TextRun | None:
        """The longest stretch of ``events`` (a read's, in order; at least two) that each
        carry one piece of text on one channel and nothing else a consumer reads - no
        other delta, usage or channel end - with their texts: what :meth:`deltas` reads of
        each, in one step; ``None`` when there is none (the format reads none, or not in
        one step)."""
        ...

    def template(self, payload: dict[str, Any], delta: Delta, event: str | None) -> Template:
        """A payload like ``payload`` carrying only ``delta``'s channel."""
        ...

    def snapshots(self, payload: dict[str, Any], texts: Mapping[Channel, str]) -> bool:
        """Replace full-text copies in ``payload`` (in place) by ``texts``; True if changed."""
        ...

    def speech(self, payload: dict[str, Any]) -> list[Speech]:
        """The speech in ``payload`` saying a transcript channel's text."""
        ...


def shape_for(api: str, wire: WireRegistry = WIRE_APIS) -> StreamShape | None:
    """The stream shape of ``api``; ``None`` for APIs whose streams carry no text."""
    format_ = wire.for_api(api)
    return format_ if format_ is not None and format_.streams_text else None
