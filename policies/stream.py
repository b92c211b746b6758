"""Output inspection of streamed answers: :class:`PolicyStream` feeds each read's events to
their text channels, scans, and releases what can no longer become a finding.

The state of one channel and where its pending text may be cut live in
:mod:`policies.stream_channel`; reading and re-encoding events in :mod:`policies.stream_events`.

Text deltas are not relayed blindly: each channel (a choice's content, a tool call's
arguments, a content block) holds back the shortest suffix that could still grow into a
match of the output rules - an unfinished token, a digit run, an open quoted value or key
block (see :mod:`policies.holdback`), a password whose key may still follow it
(:mod:`policies.value_first`) - and releases everything before it at once, chunk for
chunk, so a secret split across chunks is scanned whole before any part of it is sent
and prose flows at the upstream's cadence. Nothing is held beyond ``max_hold_chars``.
Rules whose entity types need wider context (NER, a policy's own recognizers) keep a
fixed window instead: the newest ``holdback_chars`` characters are held and released in
steps of ``holdback_chars / 2``, never in the middle of a word or finding. Either way the
text scanned is the pending text plus the last released characters, so findings that
straddle the cut are still recognised.

The events of one upstream read are inspected together (:meth:`PolicyStream.feed_all`):
what they add is scanned once, with the pending text, and each event then releases what
the whole read shows can no longer become a finding. Under load a read holds many events
(one scan instead of one per event), and an event whose own text is released as it came
is relayed untouched, its original bytes; a paced stream, one event a read, is released
event by event as before. A read at the upstream's pace scans the window again for a word
or two; a window without an ASCII digit is not scanned for the types that need one (cards,
IBANs, ID numbers: :mod:`policies.digit_free`), the PII detector's share of the scan.

Released text is masked per the output rules, placeholders from pseudonymisation are
restored (a placeholder split across chunks is held until complete), and an event whose
text changed is re-encoded with the new text. A blocking rule ends the stream by raising
:class:`~core.inspection.OutputBlocked`; what was released before stays sent.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections import deque
from collections.abc import Sequence
from itertools import accumulate, repeat
from typing import Any, NamedTuple

import structlog

from core.inspection import ALLOW, OutputBlocked, Verdict
from core.scanning import Finding, Scanner
from core.sse import SSEEvent
from core.telemetry import PolicyMetrics
from detectors.entities import PRIVATE_KEY
from detectors.errors import DetectionError
from detectors.printed_secrets import kind_line_from, open_secret_data
from policies.actions import Mask, apply_masks
from policies.digit_free import DIGIT_ENTITY_TYPES, digit_free
from policies.engine import Decision, Located, RuleSelection, Subject
from policies.extract import Location, rewrite
from policies.holdback import CONTEXT_SHAPES, CONTEXT_SHAPES_WITHOUT_TABLES, held_from, needs_window
from policies.holdback_forced import forced_findings, private_key_rest
from policies.line_context import LongLines, default_shapes_loaded
from policies.model import Direction, StreamSettings
from policies.pseudonyms import Pseudonyms, StreamRestorer
from policies.scanning import timed_scan
from policies.stream_channel import (
    ChannelState,
    LastScan,
    Span,
    cuts_a_masked_token,
    keep_context,
    may_hold_table,
    rest_of_token_dropped,
    shaped_cut,
    window_cut,
)
from policies.stream_events import ReadEvent, encode, payload_of, replaced
from policies.stream_repeats import PrintedValues
from policies.stream_shapes import SPOKEN, Channel, Delta, StreamShape, TextRun
from policies.stream_speech import SpeechGate
from policies.telemetry import count_detection_failure, count_findings, count_matches
from policies.value_first import ValueFirstPhrases
from wire.apis.deltas import deltas_of

log = structlog.get_logger("llm_proxy.policy")

_OUTPUT = Direction.OUTPUT.value
#: A ReadEvent built without the Python ``__new__`` a named tuple has (one per event).
_new_read = tuple.__new__


#: Reads of this many events or more are looked at for a run of plain text events
#: (:meth:`StreamShape.text_run`): below it, the look costs more than it saves.
_RUN_EVENTS = 4
#: A Delta built without the Python ``__new__`` a named tuple has.
_new_delta = tuple.__new__

#: The context shapes but a data map's entries, which :meth:`PolicyStream._held_from` asks
#: on its own (with a password table's rows, and without).
_BUT_SECRET_DATA = tuple(s for s in CONTEXT_SHAPES if s is not open_secret_data)
_BUT_SECRET_DATA_OR_TABLES = tuple(
    s for s in CONTEXT_SHAPES_WITHOUT_TABLES if s is not open_secret_data
)


class _Run(NamedTuple):
    """The events of a read's run of plain text events, and the run (see feed_all)."""

    events: Sequence[SSEEvent]
    run: TextRun


_new_run = tuple.__new__


def _each(parsed: Sequence[ReadEvent | _Run]) -> list[ReadEvent]:
    """``parsed`` with each run's events read one by one (what _read makes of them)."""
    out: list[ReadEvent] = []
    for item in parsed:
        if isinstance(item, _Run):
            events, run = item
            for index, event in enumerate(events):
                assert event.payload is not None, "an event with a delta has a payload"
                out.append(ReadEvent(event, event.payload, [run.delta(index)], [], []))
        else:
            assert type(item) is ReadEvent
            out.append(item)
    return out


def _is_clear(channel: ChannelState) -> bool:
    """Whether ``channel`` releases an event's text whole without a release of its own
    (see :meth:`PolicyStream._feed_clear`), as far as its text ends before the held
    suffix: scanned in this read, nothing pending, no finding reaching past its base and
    no masked token going on."""
    base = channel.base
    return (
        channel.scanned
        and not channel.pending
        and not channel.in_masked_token
        and not channel.in_private_key
        and all(end <= base for _, _, end in channel.spans)
    )


class PolicyStream:
    """A :class:`~core.inspection.StreamInspector` applying the output rules to a stream."""

    def __init__(
        self,
        *,
        shape: StreamShape,
        selection: RuleSelection,
        scanner: Scanner,
        pseudonyms: Pseudonyms,
        settings: StreamSettings,
        budget: float | None,
        metrics: PolicyMetrics | None = None,
        request_id: str = "",
    ) -> None:
        self._shape = shape
        self._selection = selection
        self._scanner = scanner
        self._pseudonyms = pseudonyms
        self._settings = settings
        self._budget = budget
        self._metrics = metrics
        self._request_id = request_id
        self._channels: dict[Channel, ChannelState] = {}
        #: Per channel, the credentials it masked, to mask where printed again later.
        self._printed: dict[ChannelState, PrintedValues] = {}
        #: An audio answer's speech, waiting for its transcript: from its first transcript.
        self._speech: SpeechGate | None = None
        self._verdict: Verdict = ALLOW
        self._counted: set[str] = set()
        self._text_chars = 0
        self._step = max(1, settings.holdback_chars // 2)
        self._needs_findings = selection.needs_findings
        self._entity_types = selection.entity_types
        #: The types to scan a window without digits for, if some need a digit.
        without = self._entity_types - DIGIT_ENTITY_TYPES
        self._without_digits = without if without != self._entity_types else None
        # Hold back by the shapes of what the rules look for, or keep a fixed window.
        self._shaped = self._needs_findings and not needs_window(self._entity_types)
        #: Passwords written before their key (:mod:`policies.value_first`) and command
        #: lines they may end (:mod:`policies.line_context`), from the secrets detector's
        #: rules: loaded in a worker thread by the first read that needs them.
        self._phrases: ValueFirstPhrases | None = None
        self._long_lines: LongLines | None = None
        # Whether some rule matches a text without findings (at some length: rules only
        # ever add a minimum). If none does, a release with nothing found needs no
        # evaluation - most of them.
        self._clean_matches = bool(
            selection and selection.evaluate(Subject(Direction.OUTPUT, sys.maxsize), ()).matches
        )

    @property
    def verdict(self) -> Verdict:
        return self._verdict

    async def feed(self, event: SSEEvent) -> Sequence[SSEEvent]:
        """The events to send now for ``event``; see the module docstring."""
        return await self.feed_all((event,))

    async def feed_all(self, events: Sequence[SSEEvent]) -> Sequence[SSEEvent]:
        """The events to send now for ``events``, the events of one read, in order.

        The text they add is scanned once, whole: each event then releases what the whole
        read shows can no longer become a finding, so an event whose own text is safe is
        relayed as it came (its original bytes), and a read of many events costs one scan.
        """
        parsed: list[ReadEvent | _Run] = []
        upcoming: dict[Channel, list[str]] = {}
        # The channels the read ends: whether each is complete (no text after its end).
        finals: dict[Channel, bool] = {}
        # Under load a read holds many events, nearly all a plain piece of text: those are
        # read together (one step for the run, not one per event).
        run = self._shape.text_run(events) if len(events) >= _RUN_EVENTS else None
        if run is None:
            self._read(events, parsed, upcoming, finals)
        else:
            self._read(events[: run.start], parsed, upcoming, finals)
            self._read_run(events[run.start : run.stop], run, parsed, upcoming, finals)
            self._read(events[run.stop :], parsed, upcoming, finals)
        await self._scan({key: "".join(texts) for key, texts in upcoming.items()}, finals)
        if not self._shaped or self._clean_matches or self._speech is not None:
            return self._feed_each(parsed)
        # Restored text goes out event by event (see _feed_clear).
        if run is not None and len(self._pseudonyms) > 0:
            return self._feed_clear(_each(parsed))
        return self._feed_clear(parsed)

    def _read(
        self,
        events: Sequence[SSEEvent],
        parsed: list[ReadEvent | _Run],
        upcoming: dict[Channel, list[str]],
        finals: dict[Channel, bool],
    ) -> None:
        """Read ``events`` (of a read) for :meth:`feed_all`: each one's deltas and the
        channels it ends go to ``parsed``, its text to ``upcoming``, the channels it ends
        to ``finals``."""
        shape, channels = self._shape, self._channels
        for event in events:
            payload = event.payload
            item: ReadEvent | None = None
            if payload is None:  # not JSON ([DONE]), or built without a payload: rarely
                item = self._parse(event)
                deltas = item.deltas
            else:
                # What _parse makes of a decoded event, inline: every event comes here.
                kept = event.deltas  # deltas_of(event, payload, shape), inline
                if kept is None or kept[0] is not shape:
                    # Read once for the record too, with the channels it ends.
                    deltas, closes = shape.deltas_and_closes(payload)
                    event.deltas = (shape, deltas)
                else:
                    deltas, closes = kept[1], shape.closes(payload)
            # The read's text per channel; a channel is opened where first seen, before its
            # event is read for the channels it ends (which may be this one).
            for delta in deltas:
                key = delta.channel
                texts = upcoming.get(key)
                if texts is None:
                    upcoming[key] = [delta.text]
                    if key not in channels:
                        self._open(delta)
                else:
                    texts.append(delta.text)
                if finals and key in finals:
                    finals[key] = False
            if item is None:
                assert payload is not None
                if closes:
                    item = self._closing(event, payload, deltas, closes)
                else:
                    item = _new_read(ReadEvent, (event, payload, deltas, closes, closes))
            parsed.append(item)
            if item.closing:
                finals.update(dict.fromkeys(item.closing, True))

    def _read_run(
        self,
        events: Sequence[SSEEvent],
        run: TextRun,
        parsed: list[ReadEvent | _Run],
        upcoming: dict[Channel, list[str]],
        finals: dict[Channel, bool],
    ) -> None:
        """What :meth:`_read` does for the events of ``run`` (``events``), in one step."""
        key = run.channel
        texts = upcoming.get(key)
        if texts is None:
            upcoming[key] = texts = []
            if key not in self._channels:
                self._open(run.delta(0))
        texts += run.texts
        if finals and key in finals:
            finals[key] = False
        # Each event's delta, kept on it for the record (as _read keeps what it reads).
        deltas = map(
            _new_delta, repeat(Delta), zip(repeat(key), repeat(run.path), run.texts, repeat(False))
        )
        kept = zip(repeat(self._shape), map(list, zip(deltas)))
        deque(map(setattr, events, repeat("deltas"), kept), maxlen=0)
        parsed.append(_new_run(_Run, (events, run)))

    def _feed_each(self, read: Sequence[ReadEvent | _Run]) -> list[SSEEvent]:
        """What to send for each event of a scanned read, each released on its own."""
        parsed = _each(read)
        out: list[SSEEvent] = []
        speech = self._speech
        for item in parsed:
            if speech is None:
                out += self._feed_one(item)
            else:
                out += speech.admit(item.payload, self._feed_one(item))
        return out

    def _feed_clear(self, parsed: Sequence[ReadEvent | _Run]) -> list[SSEEvent]:
        """What :meth:`_feed_each` sends, taking the events a *clear* channel releases whole
        without a release of their own: a channel with nothing found in it and nothing
        pending before the event, whose whole text lies before the held suffix (shaped
        hold-back, no rule that matches without findings). Such an event goes out as it
        came (or with its placeholders restored); the context of each channel is kept in
        one step, before any other event is decided. Under load a read holds a whole
        answer, nearly every event clear."""
        channels = self._channels
        if len(parsed) == 1 and not isinstance(parsed[0], _Run):
            # A read of one event (a stream at the upstream's pace): its channel holds the
            # end of the last word back, so it is not clear and the event is decided on
            # its own, as the loop below would, without the loop's set-up.
            only = parsed[0]
            assert isinstance(only, ReadEvent)
            deltas = only.deltas
            if len(deltas) != 1 or only.closes or channels[deltas[0].channel].pending:
                return self._feed_one(only)
        out: list[SSEEvent] = []
        # Nothing to restore (no pseudonyms in the call): the text goes out as it came.
        restoring = len(self._pseudonyms) > 0
        # Channels found clear in this read, and the upstream text each released so far.
        # A clear release changes only a channel's base, which moves forward, past more of
        # its findings: a clear channel stays clear until an event is decided on its own.
        clear: dict[Channel, tuple[ChannelState, list[str]]] = {}
        for item in parsed:
            if isinstance(item, _Run):
                out += self._run_clear(item, clear)
                continue
            deltas = item.deltas  # none without a payload
            if len(deltas) == 1 and not item.closes:
                delta = deltas[0]
                known = clear.get(delta.channel)
                if known is None:
                    channel = channels[delta.channel]
                    if _is_clear(channel):
                        known = clear[delta.channel] = (channel, [])
                if known is not None:
                    channel, texts = known
                    upstream = delta.text
                    base = channel.base
                    end = base + len(upstream)
                    if end <= channel.held_at:
                        event, payload = item.event, item.payload
                        assert payload is not None, "an event with a delta has a payload"
                        channel.source = (payload, delta, event.event)
                        channel.base = end
                        texts.append(upstream)
                        if not restoring:  # counted and kept as emitted when settled
                            out.append(event)
                            continue
                        text = channel.restorer.feed(upstream)
                        channel.emitted.append(text)
                        if text == upstream:
                            out.append(event)
                        else:
                            out.append(self._rewritten(event, payload, delta, text))
                        continue
            if clear:
                self._settle(clear, emitted=not restoring)
            out += self._feed_one(item)
        if clear:
            self._settle(clear, emitted=not restoring)
        return out

    def _run_clear(
        self, item: _Run, clear: dict[Channel, tuple[ChannelState, list[str]]]
    ) -> list[SSEEvent]:
        """What :meth:`_feed_clear`'s loop sends for the events of a run (restoring
        nothing): the events whose text ends before the channel's held suffix go out as
        they came, in one step, when the channel is clear; the rest one by one."""
        events, run = item
        key = run.channel
        known = clear.get(key)
        if known is None:
            channel = self._channels[key]
            if _is_clear(channel):
                known = clear[key] = (channel, [])
        released = 0
        out: list[SSEEvent] = []
        if known is not None:
            channel, texts = known
            # Where each event's text ends; those ending by the held suffix go.
            ends = list(accumulate(map(len, run.texts), initial=channel.base))
            released = max(bisect_right(ends, channel.held_at) - 1, 0)
            if released > 0:
                last = events[released - 1]
                assert last.payload is not None, "an event with a delta has a payload"
                channel.source = (last.payload, run.delta(released - 1), last.event)
                channel.base = ends[released]
                texts += run.texts[:released]
                out += events[:released]
        for index in range(released, len(events)):
            # Past the held suffix's start: this event's channel is no longer clear.
            if clear:
                self._settle(clear, emitted=True)
            event = events[index]
            assert event.payload is not None, "an event with a delta has a payload"
            out += self._feed_one(ReadEvent(event, event.payload, [run.delta(index)], [], []))
        return out

    def _settle(
        self, clear: dict[Channel, tuple[ChannelState, list[str]]], *, emitted: bool
    ) -> None:
        """Count the upstream text clear channels released whole (see :meth:`_feed_clear`)
        and keep it in their context, as :meth:`_release` does (and as their emitted text
        with ``emitted``: it went out unchanged); ``clear`` is emptied (an event decided on
        its own may change any channel)."""
        for channel, texts in clear.values():
            if texts:
                text = "".join(texts)
                self._text_chars += len(text)
                if emitted:
                    channel.emitted.append(text)
                keep_context(
                    channel, text, self._settings, shaped=True, long_lines=self._long_lines
                )
                channel.next_scan = self._step if self._needs_findings else 0
        clear.clear()

    async def finish(self) -> Sequence[SSEEvent]:
        """Release what every channel still holds."""
        keys = list(self._channels)
        await self._scan({}, dict.fromkeys(keys, True))
        if self._speech is not None:  # every transcript is decided: what waited goes first
            return self._speech.admit(None, self._close(keys))
        return self._close(keys)

    def _parse(self, event: SSEEvent) -> ReadEvent:
        """``event`` read for inspection; the channels it starts are opened (what
        :meth:`feed_all` does inline for an event with a payload)."""
        payload = payload_of(event)
        if payload is None:
            event.deltas = (self._shape, [])  # no text: the record need not read it again
            done = event.data.strip() == "[DONE]"
            return ReadEvent(event, None, [], [], list(self._channels) if done else [])
        # Read once: the record takes the same deltas from the event.
        deltas = deltas_of(event, payload, self._shape)
        closes = self._shape.closes(payload)
        for delta in deltas:
            if delta.channel not in self._channels:
                self._open(delta)
        if not closes:
            return ReadEvent(event, payload, deltas, closes, closes)
        return self._closing(event, payload, deltas, closes)

    def _open(self, delta: Delta) -> None:
        """Open the channel ``delta`` starts."""
        restorer = StreamRestorer(self._pseudonyms, json_string=delta.json)
        self._channels[delta.channel] = ChannelState(restorer)
        if delta.channel[-1] == SPOKEN and self._speech is None:
            self._speech = SpeechGate(self._shape, self._channels)

    def _closing(
        self,
        event: SSEEvent,
        payload: dict[str, Any],
        deltas: list[Delta],
        closes: list[Channel],
    ) -> ReadEvent:
        """``event``, which ends the channels under ``closes``, read for inspection."""
        closing = [key for key in self._channels if any(key[: len(p)] == p for p in closes)]
        return ReadEvent(event, payload, deltas, closes, closing)

    def _feed_one(self, item: ReadEvent) -> list[SSEEvent]:
        """The events to send for one event of a read (the read is scanned)."""
        event, payload = item.event, item.payload
        if payload is None:
            return [*self._close(item.closing), event] if item.closing else [event]
        deltas, closes, closing = item.deltas, item.closes, item.closing
        if not closes:
            if not deltas:
                return [event]
            if len(deltas) == 1:
                return [self._one_delta(event, payload, deltas[0])]
        touched: dict[Channel, None] = {}
        for delta in deltas:
            channel = self._channels[delta.channel]
            channel.source = (payload, delta, event.event)
            channel.pending += delta.text
            self._text_chars += len(delta.text)
            touched[delta.channel] = None
        wanted = {key: key in closing for key in (*touched, *closing)}
        released = {key: self._release(key, final=final) for key, final in wanted.items()}

        out = [
            self._synthetic(key, released[key])
            for key in closing
            if key not in touched and released.get(key)
        ]
        replacements: dict[Location, str] = {}
        for delta in deltas:
            text = released.pop(delta.channel, "")
            if text != delta.text:
                replacements[delta.path] = text
        changed = bool(replacements)
        if closes:  # snapshots are rewritten in place: a whole copy
            new = rewrite(payload, replacements)
        else:
            new = replaced(payload, replacements) if changed else payload
        if closes:
            texts = {key: channel.text for key, channel in self._channels.items()}
            changed = self._shape.snapshots(new, texts) or changed
        out.append(encode(new, event.event) if changed else event)
        return out

    def _one_delta(self, event: SSEEvent, payload: dict[str, Any], delta: Delta) -> SSEEvent:
        """The event to send for an event with one delta that ends no channel (nearly
        every event): what :meth:`_feed_one` decides for it, without its bookkeeping."""
        channel = self._channels[delta.channel]
        channel.source = (payload, delta, event.event)
        channel.pending += delta.text
        self._text_chars += len(delta.text)
        text = self._release(delta.channel, final=False)
        if text == delta.text:
            return event
        return self._rewritten(event, payload, delta, text)

    def _rewritten(
        self, event: SSEEvent, payload: dict[str, Any], delta: Delta, text: str
    ) -> SSEEvent:
        """``event`` (whose one delta is ``delta``) carrying ``text`` instead."""
        out = encode(replaced(payload, {delta.path: text}), event.event)
        if text:
            # What the shape reads of it is known (the one delta, with its new text), so
            # the record takes it from the event instead of reading it again. Empty text
            # is no delta (and could leave another field of the event to be read).
            out.deltas = (self._shape, [delta._replace(text=text)])
        return out

    def _close(self, keys: Sequence[Channel]) -> list[SSEEvent]:
        released = {key: self._release(key, final=True) for key in keys}
        return [self._synthetic(key, text) for key, text in released.items() if text]

    def _synthetic(self, key: Channel, text: str) -> SSEEvent:
        source = self._channels[key].source
        assert source is not None, "a channel is opened by a delta, which it keeps"
        template = self._shape.template(*source)
        return encode(rewrite(template.payload, {template.path: text}), template.event)

    async def _scan(self, upcoming: dict[Channel, str], finals: dict[Channel, bool]) -> None:
        """Scan, once for a read, each channel's pending text with what the read adds to it
        (``upcoming``) - only where some of it could be released in this read."""
        if self._shaped and self._phrases is None:
            self._phrases, self._long_lines = await default_shapes_loaded()
        due: list[ChannelState] = []
        windows: list[str] = []
        others: list[int] = []  # per channel due, where held but for a data map's entries
        # Most reads end no channel: their channels are upcoming's, in its order.
        for key in {**dict.fromkeys(upcoming), **finals} if finals else upcoming:
            channel = self._channels[key]
            channel.scanned = False
            whole = channel.pending + upcoming.get(key, "")
            if not whole:  # nothing to decide; a final release still flushes the channel
                channel.spans, channel.scanned = [], key in finals
                channel.last_scan = None
                continue
            if channel.in_private_key and key not in finals and not self._key_ends(channel, whole):
                # All of it is the forced-out key block's, dropped while its END line has
                # not arrived (_drop_private_key): nothing to decide, no scan (each read
                # scanned the block again, up to 16K characters: issue 11).
                channel.spans, channel.scanned = [], True
                channel.last_scan = None
                continue
            last = channel.last_scan
            if finals.get(key) and last is not None and last.end == channel.base + len(whole):
                # The answer ended with no text since the last scan, whose window held all
                # of the pending text and began no later than the context does now: its
                # findings stand (the end of every stream scanned its last text again).
                self._found(channel, last)
                channel.held_at = last.end
                continue
            other = 0
            if self._shaped:
                # A channel the read ends holds nothing back: its text is complete.
                if finals.get(key):
                    held = other = len(whole)
                else:
                    held, other = self._held_from(channel, whole)
                channel.held_at = channel.base + held
                worth = (
                    held > 0 or len(whole) > self._settings.max_hold_chars or channel.in_private_key
                )
                if (
                    worth
                    and key not in finals
                    and last is not None
                    and self._decided_by(channel, whole, held, last)
                ):
                    self._found(channel, last)  # the same release as a new scan's
                    continue
            else:
                worth = len(whole) >= channel.next_scan
            if worth or key in finals:
                due.append(channel)
                windows.append(channel.context + whole)
                if self._shaped and key not in finals:
                    other = self._settled_from(channel, whole, held, other)
                others.append(other)
        found: list[list[Finding]] = [[] for _ in due]
        entities = self._entity_types
        # Prose at the upstream's pace: windows without a digit need no scan for cards,
        # IBANs or ID numbers (the PII detector's cost), only for the rest (if any).
        if self._without_digits is not None and digit_free(windows):
            entities = self._without_digits
        failed: DetectionError | None = None
        if self._needs_findings and entities and any(windows):
            try:
                found = await timed_scan(
                    self._scanner,
                    windows,
                    budget=self._budget,
                    direction=_OUTPUT,
                    metrics=self._metrics,
                    entities=entities,
                )
            except DetectionError as exc:
                failed = exc
                log.warning(
                    "detection_failed",
                    request_id=self._request_id,
                    direction=_OUTPUT,
                    error=type(exc).__name__,
                )
                failure = self._selection.on_detection_failure(self._subject(), exc)
                count_detection_failure(self._metrics, _OUTPUT, failure.blocked)
                self._apply(failure)
        for channel, window, scanned, other in zip(due, windows, found, others, strict=True):
            start = channel.base - len(channel.context)
            last = LastScan(window, start, start + len(window), scanned, channel.base + other)
            self._found(channel, last)
            # A failed scan found nothing: the next one (at the answer's end too) retries.
            channel.last_scan = last if failed is None and self._shaped else None

    def _found(self, channel: ChannelState, scan: LastScan) -> None:
        """The channel's findings by ``scan``, with values it masked before printed again."""
        channel.spans = self._spans(channel, scan)
        channel.scanned = True

    def _spans(self, channel: ChannelState, scan: LastScan) -> list[Span]:
        """The channel's findings by ``scan`` (upstream offsets), with values it masked
        before printed again (places that end in text released since may be among them)."""
        printed = self._printed.get(channel)
        count = 0 if printed is None else len(printed)
        made = channel.spans_of
        if made is not None and made[0] is scan and made[1] == count:
            return made[2]
        found = scan.found
        start = scan.start
        # Places released before are decided: only those that end in pending text count.
        pending = channel.base - start
        findings = found if printed is None else printed.found_in(scan.window, found, pending)
        spans = [(f, start + f.start, start + f.end) for f in findings] if findings else []
        channel.spans_of = (scan, count, spans)
        return spans

    def _decided_by(self, channel: ChannelState, whole: str, held: int, last: LastScan) -> bool:
        """Whether the last scan's findings make this read's release (of the channel's
        pending text ``whole``, held from ``held``) what a new scan's would, so that none is
        needed (issue 11: a text held long was scanned again on every read). Its window
        starts where this read's does, and either

        * its findings release nothing and nothing is forced out: the text waits (a new
          scan's could only let some of it go sooner, masked as it will be later: its
          findings there stand), as a key found whole around a run held inside it does
          (``sk-proj-`` and 40 characters that may still be an AWS secret); or
        * the cut cannot pass where the scan left findings settled (:attr:`LastScan.settled`:
          before it, every finding ends in text no shape held but a data map's entries),
          and no ``kind:`` line has arrived since, the one line that changes what lies
          before it (a Secret's data map forced out one character a read past the hold
          limit: the values are masked as forced out, :mod:`policies.holdback_forced`)."""
        base = channel.base
        if last.start != base - len(channel.context):
            return False  # another window: its findings may differ at its start
        limit = self._settings.max_hold_chars
        # Most reads of prose: nothing found, so nothing held back behind a finding.
        found = self._spans(channel, last) if last.found or channel in self._printed else []
        if len(whole) <= limit and found:
            spans = [(f, s - base, e - base) for f, s, e in found if e > base]
            if shaped_cut(whole, held, spans, self._settings) <= 0:
                return True
        reach = base + max(held, len(whole) - limit)
        settled = last.settled
        for _, start, end in found:
            if start < settled < end:
                settled = start  # a finding may change past its start
        if reach > settled:
            return False
        # A kind line in the line the scan ended in: it may have had one there that the
        # text after it undoes ("kind: Secret" going on as "kind: SecretList").
        ended = len(last.window)
        window = channel.context + whole
        return not (kind_line_from(window, ended) or kind_line_from(last.window, ended))

    @staticmethod
    def _key_ends(channel: ChannelState, whole: str) -> bool:
        """Whether the END line of the private key block the channel drops is whole in its
        pending text ``whole`` (:func:`private_key_rest`)."""
        return private_key_rest(whole, channel.context, final=False)[1]

    def _held_from(self, channel: ChannelState, whole: str) -> tuple[int, int]:
        """Where the part of the channel's pending text ``whole`` that could still become a
        finding begins (:func:`~policies.holdback.held_from`), and where it begins but for
        a data map's entries whose ``kind: Secret`` may still follow
        (:func:`~detectors.printed_secrets.open_secret_data`): what lies between changes
        only if such a line arrives (see :meth:`_decided_by`)."""
        # Rows of a password table are held only below a header: most text has none.
        tables = may_hold_table(channel, whole)
        shapes = _BUT_SECRET_DATA if tables else _BUT_SECRET_DATA_OR_TABLES
        entry = open_secret_data(whole, channel.context)
        # The costliest shape, not when the entries hold all (see _settled_from).
        phrases = self._phrases if entry != 0 else None
        other = held_from(whole, phrases=phrases, released=channel.context, context_shapes=shapes)
        return (other if entry is None or entry >= other else entry), other

    def _settled_from(self, channel: ChannelState, whole: str, held: int, other: int) -> int:
        """``other`` of :meth:`_held_from` with the phrases it did not ask when a data map's
        entries held all of ``whole`` (``held`` 0): a scan's settled text ends there."""
        if held == 0 < other and self._phrases is not None:
            phrase = self._phrases(whole, channel.context)
            if phrase is not None and phrase < other:
                return phrase
        return other

    def _subject(self) -> Subject:
        return Subject(Direction.OUTPUT, self._text_chars)

    def _release(self, key: Channel, *, final: bool) -> str:
        """Decide, mask and release the part of the channel's pending text that is safe
        to send (all of it when ``final``), by its read's scan."""
        channel = self._channels[key]
        if not channel.scanned:
            return ""
        forced: list[Span] = []
        if channel.in_private_key and not self._drop_private_key(channel, final=final):
            return ""
        pending, base = channel.pending, channel.base
        spans = (
            [(f, s - base, e - base) for f, s, e in channel.spans if e > base]
            if channel.spans
            else channel.spans  # nothing found: no list made (it is never changed)
        )
        if final:
            cut = len(pending)
        elif self._shaped:
            held = max(0, min(len(pending), channel.held_at - base))
            # With no finding to keep whole, the cut is the held suffix's start (bounded).
            cut = (
                shaped_cut(pending, held, spans, self._settings)
                if spans
                else max(held, len(pending) - self._settings.max_hold_chars)
            )
            # The hold limit forces out the start of what it held, or of a finding.
            if cut > held or any(s < cut < e for _, s, e in spans):
                forced = forced_findings(pending, channel.context, held, cut)
                if forced:
                    spans = [*spans, *forced]
        elif len(pending) >= channel.next_scan:
            cut = (
                window_cut(pending, spans, self._settings)
                if self._selection.needs_findings
                else len(pending)
            )
        else:
            cut = 0
        if cut <= 0 and not final:
            return ""  # nothing decided: nothing to mask, count or send
        masks: Sequence[Mask] = ()
        if spans or self._clean_matches:
            masks = self._decide(channel, spans, cut)
        released = pending[:cut]
        piece = apply_masks(released, masks, self._pseudonyms) if masks else released
        if self._speech is not None and piece != released:
            self._speech.mute(key)  # a transcript's speech would say what it masked
        if channel.in_masked_token:
            piece, channel.in_masked_token = rest_of_token_dropped(piece)
        if any(f.entity_type == PRIVATE_KEY for f, _, _ in forced) and any(
            m.start < cut <= m.end for m in masks
        ):
            # SECURITY: the masked start of a key block went out: its rest is dropped.
            channel.in_private_key = True
        elif masks and 0 < cut < len(pending) and cuts_a_masked_token(pending, cut, masks):
            channel.in_masked_token = True
        keep_context(
            channel, released, self._settings, shaped=self._shaped, long_lines=self._long_lines
        )
        channel.pending = pending[cut:]
        channel.base = base + cut
        channel.next_scan = len(channel.pending) + self._step if self._needs_findings else 0
        text = channel.restorer.feed(piece)
        if final:
            text += channel.restorer.flush()
        channel.emitted.append(text)
        return text

    def _drop_private_key(self, channel: ChannelState, *, final: bool) -> bool:
        """Drop the pending text of a private key block whose masked start the hold limit
        forced out, up to the end of its END line (:func:`private_key_rest`); whether the
        block has ended (what follows is released as usual)."""
        dropped, ended = private_key_rest(channel.pending, channel.context, final=final)
        if dropped:
            keep_context(
                channel,
                channel.pending[:dropped],
                self._settings,
                shaped=self._shaped,
                long_lines=self._long_lines,
            )
            channel.pending = channel.pending[dropped:]
            channel.base += dropped
        channel.in_private_key = not ended
        return ended

    def _decide(self, channel: ChannelState, spans: list[Span], cut: int) -> Sequence[Mask]:
        """Evaluate the findings that start before ``cut`` (pending coordinates) and count
        the new ones; the masks to apply to the text released."""
        decided = [
            (Located(0, Finding(f.entity_type, max(s, 0), e, f.score, f.detector)), s >= 0)
            for f, s, e in spans
            if s < cut
        ]
        masks: Sequence[Mask] = ()
        if decided or self._clean_matches:
            located = [item for item, _ in decided]
            decision = self._selection.evaluate(self._subject(), located, history=channel.history)
            self._apply(decision)
            masks = decision.masks
        # Findings that began in text already released were counted when first seen.
        new = [item.finding for item, fresh in decided if fresh]
        if new:
            self._printed.setdefault(channel, PrintedValues()).remember(
                channel.pending, (span for span in spans if span[1] >= 0 and span[1] < cut)
            )
            channel.history.extend(new)
            count_findings(self._metrics, new, _OUTPUT)
        return masks

    def _apply(self, decision: Decision) -> None:
        if decision.verdict != ALLOW:  # most windows: nothing found, nothing to merge
            self._verdict = self._verdict.merge(decision.verdict)
        new = [m for m in decision.matches if m.rule_id not in self._counted]
        self._counted.update(m.rule_id for m in new)
        count_matches(self._metrics, new)
        if decision.blocked:
            raise OutputBlocked(self._verdict)
