"""Output inspection of streamed answers: each text channel holds back only what could
still become a finding.

Text deltas are not relayed blindly: each channel (a choice's content, a tool call's
arguments, a content block) holds back the shortest suffix that could still grow into a
match of the output rules - an unfinished token, a digit run, an open quoted value or key
block (see :mod:`policies.holdback`) - and releases everything before it at once, chunk
for chunk, so a secret split across chunks is scanned whole before any part of it is sent
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
event by event as before.

Released text is masked per the output rules, placeholders from pseudonymisation are
restored (a placeholder split across chunks is held until complete), and an event whose
text changed is re-encoded with the new text. A blocking rule ends the stream by raising
:class:`~core.inspection.OutputBlocked`; what was released before stays sent.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, NamedTuple

import structlog

from core.inspection import ALLOW, OutputBlocked, Verdict
from core.sse import SSEEvent
from core.telemetry import PolicyMetrics
from detectors.base import Finding
from detectors.errors import DetectionError
from policies.actions import Mask, apply_masks
from policies.engine import Decision, Located, RuleSelection, Subject
from policies.extract import Location, rewrite
from policies.holdback import (
    CONTEXT_CHARS,
    PRIVATE_KEY_CONTEXT_CHARS,
    held_from,
    needs_window,
    open_private_key,
)
from policies.model import Direction, StreamSettings
from policies.pseudonyms import Pseudonyms, StreamRestorer
from policies.scanning import Scanner, timed_scan
from policies.stream_shapes import Channel, Delta, StreamShape
from policies.telemetry import count_detection_failure, count_findings, count_matches
from wire.sdkjson import dumps_like_clients, json_object

log = structlog.get_logger("llm_proxy.policy")

_OUTPUT = Direction.OUTPUT.value


class _Channel:
    """What is known about one channel of text in the stream."""

    def __init__(self, restorer: StreamRestorer) -> None:
        #: The latest event with text on this channel (its payload, delta and event name):
        #: the model of a synthetic event, whose template is built only then (rarely).
        self.source: tuple[dict[str, Any], Delta, str | None] | None = None
        self.restorer = restorer
        self.pending = ""  # upstream text not yet released
        self.context = ""  # the last released upstream characters, for scanning across the cut
        #: Offset of ``pending`` in the channel's upstream text: the characters released
        #: (or dropped) so far. Findings of a read's scan are kept in these coordinates.
        self.base = 0
        self.next_scan = 0  # pending length at which to try the next release (window)
        #: This read's scan: whether it covered the channel, what it found (upstream
        #: offsets), and where the text that could still become a finding starts.
        self.scanned = False
        self.spans: list[tuple[Finding, int, int]] = []
        self.held_at = 0
        self.emitted: list[str] = []
        self.history: list[Finding] = []  # findings already decided (for min_count)
        #: The hold limit forced out the masked start of a token still being written: the
        #: rest of that token is dropped, not released (its end alone may not be a match).
        self.in_masked_token = False

    @property
    def text(self) -> str:
        return "".join(self.emitted)


class _Event(NamedTuple):
    """One event of a read, with what inspection needs of it (read once)."""

    event: SSEEvent
    payload: dict[str, Any] | None
    deltas: list[Delta]
    closes: list[Channel]
    #: The channels this event ends (all of them for ``[DONE]``).
    closing: list[Channel]


def _cuts_a_masked_token(pending: str, cut: int, masks: Sequence[Mask]) -> bool:
    """True if ``cut`` falls inside a token whose text up to the cut is masked."""
    inside = not pending[cut - 1].isspace() and not pending[cut].isspace()
    return inside and any(m.start < cut <= m.end for m in masks)


def _rest_of_token_dropped(piece: str) -> tuple[str, bool]:
    """``piece`` without the rest of a masked token; whether the token goes on after it."""
    end = next((i for i, char in enumerate(piece) if char.isspace()), len(piece))
    return piece[end:], end == len(piece)


def _replaced(payload: dict[str, Any], replacements: dict[Location, str]) -> dict[str, Any]:
    """``payload`` with the strings at ``replacements`` (plain key paths, as deltas have)
    replaced: only the containers on those paths are copied, the rest is shared (payloads
    are never changed once decoded)."""
    result = dict(payload)
    for path, text in replacements.items():
        node: Any = result
        for key in path[:-1]:
            child = node[key]
            child = list(child) if isinstance(child, list) else dict(child)
            node[key] = child
            node = child
        node[path[-1]] = text
    return result


def _payload(event: SSEEvent) -> dict[str, Any] | None:
    # Decoded once by the SSE parser for every consumer; decoded here only when built
    # without it.
    return event.payload if event.payload is not None else json_object(event.data)


def _encode(payload: dict[str, Any], event: str | None) -> SSEEvent:
    # ``payload`` is a fresh copy (see rewrite) that nothing changes after this: the
    # recorder reads it instead of decoding the event again.
    return SSEEvent.build(dumps_like_clients(payload).decode(), event=event, payload=payload)


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
        self._channels: dict[Channel, _Channel] = {}
        self._verdict: Verdict = ALLOW
        self._counted: set[str] = set()
        self._text_chars = 0
        self._step = max(1, settings.holdback_chars // 2)
        self._needs_findings = selection.needs_findings
        self._entity_types = selection.entity_types
        # Hold back by the shapes of what the rules look for, or keep a fixed window.
        self._shaped = self._needs_findings and not needs_window(self._entity_types)
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
        parsed = [self._parse(event) for event in events]
        upcoming: dict[Channel, list[str]] = {}
        # The channels the read ends: whether each is complete (no text after its end).
        finals: dict[Channel, bool] = {}
        for item in parsed:
            for delta in item.deltas:
                upcoming.setdefault(delta.channel, []).append(delta.text)
                if delta.channel in finals:
                    finals[delta.channel] = False
            finals.update(dict.fromkeys(item.closing, True))
        await self._scan({key: "".join(texts) for key, texts in upcoming.items()}, finals)
        out: list[SSEEvent] = []
        for item in parsed:
            out += self._feed_one(item)
        return out

    async def finish(self) -> Sequence[SSEEvent]:
        """Release what every channel still holds."""
        keys = list(self._channels)
        await self._scan({}, dict.fromkeys(keys, True))
        return self._close(keys)

    def _parse(self, event: SSEEvent) -> _Event:
        """``event`` read for inspection; the channels it starts are opened."""
        payload = _payload(event)
        if payload is None:
            done = event.data.strip() == "[DONE]"
            return _Event(event, None, [], [], list(self._channels) if done else [])
        deltas = self._shape.deltas(payload)
        closes = self._shape.closes(payload)
        for delta in deltas:
            if delta.channel not in self._channels:
                self._channels[delta.channel] = _Channel(
                    StreamRestorer(self._pseudonyms, json_string=delta.json)
                )
        closing = [key for key in self._channels if any(key[: len(p)] == p for p in closes)]
        return _Event(event, payload, deltas, closes, closing)

    def _feed_one(self, item: _Event) -> list[SSEEvent]:
        """The events to send for one event of a read (the read is scanned)."""
        event, payload = item.event, item.payload
        if payload is None:
            return [*self._close(item.closing), event] if item.closing else [event]
        deltas, closes, closing = item.deltas, item.closes, item.closing
        if not deltas and not closes:
            return [event]
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
            new = _replaced(payload, replacements) if changed else payload
        if closes:
            texts = {key: channel.text for key, channel in self._channels.items()}
            changed = self._shape.snapshots(new, texts) or changed
        out.append(_encode(new, event.event) if changed else event)
        return out

    def _close(self, keys: Sequence[Channel]) -> list[SSEEvent]:
        released = {key: self._release(key, final=True) for key in keys}
        return [self._synthetic(key, text) for key, text in released.items() if text]

    def _synthetic(self, key: Channel, text: str) -> SSEEvent:
        source = self._channels[key].source
        assert source is not None, "a channel is opened by a delta, which it keeps"
        template = self._shape.template(*source)
        return _encode(rewrite(template.payload, {template.path: text}), template.event)

    async def _scan(self, upcoming: dict[Channel, str], finals: dict[Channel, bool]) -> None:
        """Scan, once for a read, each channel's pending text with what the read adds to it
        (``upcoming``) - only where some of it could be released in this read."""
        due: list[_Channel] = []
        windows: list[str] = []
        for key in {**dict.fromkeys(upcoming), **finals}:
            channel = self._channels[key]
            channel.scanned = False
            whole = channel.pending + upcoming.get(key, "")
            if not whole:  # nothing to decide; a final release still flushes the channel
                channel.spans, channel.scanned = [], key in finals
                continue
            if self._shaped:
                # A channel the read ends holds nothing back: its text is complete.
                held = len(whole) if finals.get(key) else held_from(whole)
                channel.held_at = channel.base + held
                worth = held > 0 or len(whole) > self._settings.max_hold_chars
            else:
                worth = len(whole) >= channel.next_scan
            if worth or key in finals:
                due.append(channel)
                windows.append(channel.context + whole)
        found: list[list[Finding]] = [[] for _ in due]
        if self._needs_findings and any(windows):
            try:
                found = await timed_scan(
                    self._scanner,
                    windows,
                    budget=self._budget,
                    direction=_OUTPUT,
                    metrics=self._metrics,
                    entities=self._entity_types,
                )
            except DetectionError as exc:
                log.warning(
                    "detection_failed",
                    request_id=self._request_id,
                    direction=_OUTPUT,
                    error=type(exc).__name__,
                )
                failure = self._selection.on_detection_failure(self._subject(), exc)
                count_detection_failure(self._metrics, _OUTPUT, failure.blocked)
                self._apply(failure)
        for channel, findings in zip(due, found, strict=True):
            start = channel.base - len(channel.context)
            channel.spans = [(f, start + f.start, start + f.end) for f in findings]
            channel.scanned = True

    def _subject(self) -> Subject:
        return Subject(Direction.OUTPUT, self._text_chars)

    def _release(self, key: Channel, *, final: bool) -> str:
        """Decide, mask and release the part of the channel's pending text that is safe
        to send (all of it when ``final``), by its read's scan."""
        channel = self._channels[key]
        if not channel.scanned:
            return ""
        pending, base = channel.pending, channel.base
        spans = [(f, s - base, e - base) for f, s, e in channel.spans if e > base]
        if final:
            cut = len(pending)
        elif self._shaped:
            cut = self._shaped_cut(pending, min(len(pending), channel.held_at - base), spans)
        elif len(pending) >= channel.next_scan:
            cut = self._safe_cut(pending, spans)
        else:
            cut = 0
        if cut <= 0 and not final:
            return ""  # nothing decided: nothing to mask, count or send
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
            channel.history.extend(new)
            count_findings(self._metrics, new, _OUTPUT)
        piece = apply_masks(pending[:cut], masks, self._pseudonyms) if masks else pending[:cut]
        if channel.in_masked_token:
            piece, channel.in_masked_token = _rest_of_token_dropped(piece)
        if 0 < cut < len(pending) and _cuts_a_masked_token(pending, cut, masks):
            channel.in_masked_token = True
        channel.context = self._context(channel.context + pending[:cut])
        channel.pending = pending[cut:]
        channel.base = base + cut
        channel.next_scan = len(channel.pending) + self._step if self._needs_findings else 0
        text = channel.restorer.feed(piece)
        if final:
            text += channel.restorer.flush()
        channel.emitted.append(text)
        return text

    def _context(self, released: str) -> str:
        """The end of the released text to scan again with the next pending text."""
        if not self._shaped:
            return released[-self._settings.holdback_chars :]
        if len(released) <= CONTEXT_CHARS:
            return released
        # SECURITY: a private key longer than max_hold_chars is released in parts. Its
        # BEGIN line stays in the context until the END line, so that the detector still
        # sees the block and masks every later part of its body.
        key = open_private_key(released[-PRIVATE_KEY_CONTEXT_CHARS:])
        if key is not None:
            return released[-PRIVATE_KEY_CONTEXT_CHARS:][key:]
        # Start after a blank, not inside a token: a match must not be found in the middle
        # of one just because the window starts there.
        tail = released[-CONTEXT_CHARS:]
        blank = next((i for i, char in enumerate(tail) if char.isspace()), -1)
        return tail[blank + 1 :]

    def _shaped_cut(self, pending: str, held: int, spans: list[tuple[Finding, int, int]]) -> int:
        """Where to cut: before the suffix that could still become a finding, moved back so
        that no finding is split, unless that would hold more than ``max_hold_chars``."""
        return self._clear_of_findings(
            pending, max(held, len(pending) - self._settings.max_hold_chars), spans
        )

    def _safe_cut(self, pending: str, spans: list[tuple[Finding, int, int]]) -> int:
        """Where to cut: ``holdback_chars`` from the end, moved back so that no word or
        finding is split, unless that would hold more than ``max_hold_chars``."""
        if not self._selection.needs_findings:
            return len(pending)
        size, limit = len(pending), self._settings.max_hold_chars
        cut = size - self._settings.holdback_chars
        if cut <= 0:
            return 0
        word = cut
        while word > 0 and size - word <= limit and not pending[word - 1].isspace():
            word -= 1
        if size - word <= limit and not pending[cut].isspace():
            cut = word
        return self._clear_of_findings(pending, cut, spans)

    def _clear_of_findings(
        self, pending: str, cut: int, spans: list[tuple[Finding, int, int]]
    ) -> int:
        """``cut`` moved back to the start of any finding it splits, as far as
        ``max_hold_chars`` allows."""
        size, limit = len(pending), self._settings.max_hold_chars
        moved = True
        while moved:
            moved = False
            for _, start, end in spans:
                # A finding may begin in the context (start < 0): it holds back from 0.
                # Only a move back is progress (moving to 0 again looped for ever).
                back = max(start, 0)
                if start < cut < end and back < cut and size - back <= limit:
                    cut, moved = back, True
        return cut

    def _apply(self, decision: Decision) -> None:
        if decision.verdict != ALLOW:  # most windows: nothing found, nothing to merge
            self._verdict = self._verdict.merge(decision.verdict)
        new = [m for m in decision.matches if m.rule_id not in self._counted]
        self._counted.update(m.rule_id for m in new)
        count_matches(self._metrics, new)
        if decision.blocked:
            raise OutputBlocked(self._verdict)
