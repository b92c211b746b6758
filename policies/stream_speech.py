"""Speech in a streamed audio answer, held until its transcript is decided.

An audio answer streams its transcript as text (a channel of its own, held back and masked
like content) and its speech as base64 audio in other fields, often other events. Masking
the transcript cannot mask the speech: the whole answer sends a masked transcript's audio
empty (:func:`wire.apis.walk.rewrite`). A stream cannot take back speech it sent, so
:class:`SpeechGate` makes a stream of speech wait for its words:

* an event carrying speech is sent only once everything its transcript channel had received
  up to it (the event's own transcript piece included) has been decided; until then it
  waits, and so does every event after it (the caller gets the stream in the upstream's
  order). Providers send the transcript ahead of its speech, so a spoken word is decided
  before its audio arrives and the wait is the transcript's own hold-back at most;
* once a transcript channel has masked anything, the speech of every event sent after
  that goes out empty, as the whole answer's does: it could say the masked value aloud.

Speech sent before its transcript masked a later value stays sent: it says the words before.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from core.sse import SSEEvent
from policies.stream_channel import ChannelState
from policies.stream_events import encode, payload_of, replaced
from policies.stream_shapes import Channel, Speech, StreamShape


class _Waiting(NamedTuple):
    """Events to send for one upstream event, waiting for its speech's transcript."""

    sent: Sequence[SSEEvent]
    speech: list[Speech]
    #: Per transcript channel of the speech: how much of its text must be decided first.
    marks: list[tuple[Channel, ChannelState, int]]


class SpeechGate:
    """Holds the events of a stream with a transcript channel so that no speech goes out
    before its transcript is decided, and empties the speech of a masked transcript."""

    def __init__(self, shape: StreamShape, channels: Mapping[Channel, ChannelState]) -> None:
        self._shape = shape
        self._channels = channels
        self._waiting: deque[_Waiting] = deque()
        #: The transcript channels that masked something: their speech goes out empty.
        self._muted: set[Channel] = set()

    def mute(self, channel: Channel) -> None:
        """``channel`` masked some of its text: its speech from now on goes out empty."""
        self._muted.add(channel)

    def admit(self, payload: object, sent: Sequence[SSEEvent]) -> list[SSEEvent]:
        """The events to send now, given ``sent``: what inspection decided for the upstream
        event whose decoded payload is ``payload`` (``None`` for one without: ``[DONE]``,
        the end of the stream). Each channel's hold-back is already updated for it."""
        speech = self._shape.speech(payload) if isinstance(payload, dict) and sent else []
        marks = []
        for spoken in speech:
            channel = self._channels.get(spoken.channel)
            if channel is not None:  # speech before any transcript has nothing to wait for
                marks.append((spoken.channel, channel, channel.base + len(channel.pending)))
        self._waiting.append(_Waiting(sent, speech, marks))
        return self._ready()

    def _ready(self) -> list[SSEEvent]:
        """The waiting events whose speech's transcript is decided, in order, up to the
        first that must still wait."""
        out: list[SSEEvent] = []
        waiting, muted = self._waiting, self._muted
        while waiting:
            head = waiting[0]
            if any(key not in muted and state.base < mark for key, state, mark in head.marks):
                break
            waiting.popleft()
            silenced = [spoken.path for spoken in head.speech if spoken.channel in muted]
            if silenced:
                *before, own = head.sent  # the upstream event's own is the last one sent
                out += [*before, _without_speech(own, silenced)]
            else:
                out += head.sent
        return out


def _without_speech(event: SSEEvent, paths: list[tuple[str | int, ...]]) -> SSEEvent:
    """``event`` with the speech at ``paths`` emptied."""
    payload = payload_of(event)
    assert payload is not None, "speech was read from this event's payload"
    return encode(replaced(payload, dict.fromkeys(paths, "")), event.event)
