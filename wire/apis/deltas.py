"""Text in stream events: typed deltas on channels, and events that carry text on one.

Each API streams text as small deltas on *channels* (a chat choice's content, one tool
call's arguments, an Anthropic content block, a Responses output part). An API's module
reads the deltas of one decoded event (:class:`Delta`), says which channels an event ends
(so text held back for them must go out first), builds a minimal event that carries extra
text on a channel (:class:`Template`), and rewrites the full-text snapshots some APIs repeat
at the end. The helpers here read the fields several APIs share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Protocol

from wire.apis.texts import Location

Channel = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Delta:
    """A piece of text on ``channel`` at ``path`` inside an event's JSON payload."""

    channel: Channel
    path: Location
    text: str
    #: The text is JSON (tool-call arguments): restored values must be JSON-escaped.
    json: bool = False


@dataclass(frozen=True, slots=True)
class Template:
    """An event payload that carries text only on one channel, at ``path``."""

    payload: dict[str, Any]
    path: Location
    event: str | None


def text_of(value: Any) -> str:
    """``value`` if it is a string, else the empty string."""
    return value if isinstance(value, str) else ""


def channel_key(value: Any, default: int = 0) -> Any:
    """An index from an event, as a channel key: as sent, unless it is a JSON list or
    object, which cannot be a key (a tool call with ``"index": []`` ended the stream in
    an internal error: issue 9 fuzz run)."""
    return default if isinstance(value, list | dict) else value


def choices(payload: dict[str, Any]) -> list[tuple[int, int, dict[str, Any]]]:
    """(position, choice index, choice) for each choice object of an OpenAI chunk."""
    found: list[tuple[int, int, dict[str, Any]]] = []
    listed = payload.get("choices")
    if isinstance(listed, list):
        for position, choice in enumerate(listed):
            if isinstance(choice, dict):
                index = choice.get("index")
                found.append((position, index if isinstance(index, int) else position, choice))
    return found


def finished_choices(payload: dict[str, Any]) -> list[Channel]:
    """The channels of the choices an OpenAI chunk finishes."""
    return [(index,) for _, index, choice in choices(payload) if choice.get("finish_reason")]


class DeltaReader(Protocol):
    """An API's reading of the text deltas in one decoded event."""

    def deltas(self, payload: dict[str, Any]) -> list[Delta]: ...


#: Deltas read by the first consumer of an event (output inspection), for the last (the
#: stream's recorder): payload identity -> (payload, reader, deltas). The payload is held
#: so its id is not reused while it is here. Most entries are taken within one read; what
#: is never taken (an event dropped by a blocked stream) leaves first-in, first-out.
_HANDED: dict[int, tuple[dict[str, Any], DeltaReader, list[Delta]]] = {}
_HANDED_MAX: Final = 1024


def deltas_to_share(reader: DeltaReader, payload: dict[str, Any]) -> list[Delta]:
    """``reader``'s deltas of ``payload``, kept for :func:`shared_deltas` to take once.

    Output inspection reads every event before the recorder does; reading one delta list
    costs 3-6 us, twice per event before this. Nobody changes a decoded payload or its
    delta list (see :class:`core.sse.SSEEvent`), so the second read can share the first.
    """
    found = reader.deltas(payload)
    if len(_HANDED) >= _HANDED_MAX:
        _HANDED.pop(next(iter(_HANDED), 0), None)
    _HANDED[id(payload)] = (payload, reader, found)
    return found


def shared_deltas(reader: DeltaReader, payload: dict[str, Any]) -> list[Delta]:
    """``reader``'s deltas of ``payload``: those :func:`deltas_to_share` kept (taken, so
    the entry goes), else read now."""
    kept = _HANDED.pop(id(payload), None)
    if kept is not None and kept[0] is payload and kept[1] is reader:
        return kept[2]
    return reader.deltas(payload)
