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
from typing import Any, NamedTuple, Protocol

from core.sse import SSEEvent
from wire.apis.texts import Location

Channel = tuple[str | int, ...]

#: The last key of a channel that carries the transcript of speech the same stream sends
#: (a chat choice's ``delta.audio.transcript``, a Responses ``response.audio.transcript``):
#: the speech says what the channel's text says (:class:`Speech`).
SPOKEN = "transcript"


class Delta(NamedTuple):
    """A piece of text on ``channel`` at ``path`` inside an event's JSON payload.

    A named tuple rather than a frozen dataclass: streams build two or three per event
    (inspection and the record), and a tuple is built in half the time."""

    channel: Channel
    path: Location
    text: str
    #: The text is JSON (tool-call arguments): restored values must be JSON-escaped.
    json: bool = False


class Speech(NamedTuple):
    """Base64 audio at ``path`` in an event's payload, saying the text of the transcript
    channel ``channel`` (whose last key is :data:`SPOKEN`). Masking the transcript cannot
    mask the speech: output inspection holds it until its transcript is decided and drops
    it once the transcript masked something."""

    channel: Channel
    path: Location


class TextRun(NamedTuple):
    """Events ``start`` to ``stop`` of one read that each carry nothing but one piece of
    text on ``channel``, at ``path`` (``texts``, one per event, in order): no other delta,
    no usage, no channel ended. Under load a read holds a whole answer, nearly every event
    of it such a piece: its consumers take the run in one step, not event by event."""

    start: int
    stop: int
    channel: Channel
    path: Location
    texts: list[str]

    def delta(self, index: int) -> Delta:
        """The delta of the run's ``index``-th event (as the format's ``deltas`` reads it)."""
        return Delta(self.channel, self.path, self.texts[index])


@dataclass(frozen=True, slots=True)
class Template:
    """An event payload that carries text only on one channel, at ``path``."""

    payload: dict[str, Any]
    path: Location
    event: str | None


class DeltaReader(Protocol):
    """Whatever reads an API's stream deltas (a wire format, a stream shape)."""

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        """The non-empty text deltas of one decoded stream event."""
        ...


def deltas_of(event: SSEEvent, payload: dict[str, Any], reader: DeltaReader) -> list[Delta]:
    """``reader``'s deltas of ``event`` (whose decoded data is ``payload``), read once for
    every consumer that reads them the same way: output inspection reads them first, the
    record takes them again from the event. Callers never change the list."""
    kept = event.deltas
    if kept is not None and kept[0] is reader:
        found: list[Delta] = kept[1]
        return found
    found = reader.deltas(payload)
    event.deltas = (reader, found)
    return found


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
    # Read for every chunk of a stream: no tuples for the choices that go on.
    listed = payload.get("choices")
    if not isinstance(listed, list):
        return []
    if len(listed) == 1:  # one choice going on: nearly every chunk
        only = listed[0]
        if not isinstance(only, dict) or not only.get("finish_reason"):
            return []
    found: list[Channel] = []
    for position, choice in enumerate(listed):
        if isinstance(choice, dict) and choice.get("finish_reason"):
            index = choice.get("index")
            found.append((index if isinstance(index, int) else position,))
    return found
