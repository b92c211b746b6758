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

Released text is masked per the output rules, placeholders from pseudonymisation are
restored (a placeholder split across chunks is held until complete), and the event is
re-encoded with the new text. A blocking rule ends the stream by raising
:class:`~core.inspection.OutputBlocked`; what was released before stays sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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
from policies.stream_shapes import Channel, Delta, StreamShape, Template
from policies.telemetry import count_detection_failure, count_findings, count_matches
from wire.sdkjson import dumps_like_clients, json_object

log = structlog.get_logger("llm_proxy.policy")

_OUTPUT = Direction.OUTPUT.value


class _Channel:
    """What is known about one channel of text in the stream."""

    def __init__(self, source: _Source, restorer: StreamRestorer) -> None:
        #: The latest event with text on this channel: the model of a synthetic event.
        self.source = source
        self.restorer = restorer
        self.pending = ""  # upstream text not yet released
        self.context = ""  # the last released upstream characters, for scanning across the cut
        self.next_scan = 0  # pending length at which to try the next release
        self.emitted: list[str] = []
        self.history: list[Finding] = []  # findings already decided (for min_count)
        #: The hold limit forced out the masked start of a token still being written: the
        #: rest of that token is dropped, not released (its end alone may not be a match).
        self.in_masked_token = False

    @property
    def text(self) -> str:
        return "".join(self.emitted)


def _cuts_a_masked_token(pending: str, cut: int, masks: Sequence[Mask]) -> bool:
    """True if ``cut`` falls inside a token whose text up to the cut is masked."""
    inside = not pending[cut - 1].isspace() and not pending[cut].isspace()
    return inside and any(m.start < cut <= m.end for m in masks)


def _rest_of_token_dropped(piece: str) -> tuple[str, bool]:
    """``piece`` without the rest of a masked token; whether the token goes on after it."""
    end = next((i for i, char in enumerate(piece) if char.isspace()), len(piece))
    return piece[end:], end == len(piece)


@dataclass(frozen=True, slots=True)
class _Source:
    """An event payload carrying ``delta``; its template is built only when needed (at
    a channel's end, rarely), not for every event."""

    payload: dict[str, Any]
    delta: Delta
    event: str | None

    def template(self, shape: StreamShape) -> Template:
        return shape.template(self.payload, self.delta, self.event)


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
        # Hold back by the shapes of what the rules look for, or keep a fixed window.
        self._shaped = selection.needs_findings and not needs_window(selection.entity_types)

    @property
    def verdict(self) -> Verdict:
        return self._verdict

    async def feed(self, event: SSEEvent) -> Sequence[SSEEvent]:
        """The events to send now for ``event``; see the module docstring."""
        payload = _payload(event)
        if payload is None:
            if event.data.strip() == "[DONE]":
                return [*await self._close([()]), event]
            return [event]
        deltas = self._shape.deltas(payload)
        closes = self._shape.closes(payload)
        if not deltas and not closes:
            return [event]
        touched: dict[Channel, None] = {}
        for delta in deltas:
            channel = self._channels.get(delta.channel)
            source = _Source(payload, delta, event.event)
            if channel is None:
                channel = self._channels[delta.channel] = _Channel(
                    source, StreamRestorer(self._pseudonyms, json_string=delta.json)
                )
            channel.source = source
            channel.pending += delta.text
            self._text_chars += len(delta.text)
            touched[delta.channel] = None
        closing = [key for key in self._channels if any(key[: len(p)] == p for p in closes)]
        wanted = {key: key in closing for key in (*touched, *closing)}
        released = await self._release(wanted)

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

    async def finish(self) -> Sequence[SSEEvent]:
        """Release what every channel still holds."""
        return await self._close([()])

    async def _close(self, prefixes: Sequence[Channel]) -> list[SSEEvent]:
        keys = [k for k in self._channels if any(k[: len(p)] == p for p in prefixes)]
        released = await self._release(dict.fromkeys(keys, True))
        return [self._synthetic(key, text) for key, text in released.items() if text]

    def _synthetic(self, key: Channel, text: str) -> SSEEvent:
        template = self._channels[key].source.template(self._shape)
        return _encode(rewrite(template.payload, {template.path: text}), template.event)

    async def _release(self, wanted: dict[Channel, bool]) -> dict[Channel, str]:
        """Release text from each channel (everything when its flag is set); scan first."""
        holds = {key: self._held_from(self._channels[key].pending) for key in wanted}
        due = [
            key
            for key, final in wanted.items()
            if final or self._due(self._channels[key], holds[key])
        ]
        windows = [self._channels[k].context + self._channels[k].pending for k in due]
        found: list[list[Finding]] = [[] for _ in due]
        if self._selection.needs_findings and any(windows):
            try:
                found = await timed_scan(
                    self._scanner,
                    windows,
                    budget=self._budget,
                    direction=_OUTPUT,
                    metrics=self._metrics,
                    entities=self._selection.entity_types,
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
        return {
            key: self._cut(self._channels[key], findings, holds[key], final=wanted[key])
            for key, findings in zip(due, found, strict=True)
        }

    def _held_from(self, pending: str) -> int:
        return held_from(pending) if self._shaped else len(pending)

    def _due(self, channel: _Channel, held: int) -> bool:
        """True if some text could be released now (so the pending text is worth a scan)."""
        if self._shaped:
            return held > 0 or len(channel.pending) > self._settings.max_hold_chars
        return len(channel.pending) >= channel.next_scan

    def _subject(self) -> Subject:
        return Subject(Direction.OUTPUT, self._text_chars)

    def _cut(self, channel: _Channel, findings: list[Finding], held: int, *, final: bool) -> str:
        """Decide, mask and release the part of ``channel.pending`` that is safe to send
        (everything before ``held`` on the shaped path, all of it when ``final``)."""
        offset = len(channel.context)
        pending = channel.pending
        spans = [(f, f.start - offset, f.end - offset) for f in findings if f.end - offset > 0]
        if final:
            cut = len(pending)
        elif self._shaped:
            cut = self._shaped_cut(pending, held, spans)
        else:
            cut = self._safe_cut(pending, spans)
        decided = [
            (Located(0, Finding(f.entity_type, max(s, 0), e, f.score, f.detector)), s >= 0)
            for f, s, e in spans
            if s < cut
        ]
        if self._selection:
            located = [item for item, _ in decided]
            decision = self._selection.evaluate(self._subject(), located, history=channel.history)
            self._apply(decision)
            masks = decision.masks
        else:
            masks = ()
        # Findings that began in text already released were counted when first seen.
        new = [item.finding for item, fresh in decided if fresh]
        channel.history.extend(new)
        count_findings(self._metrics, new, _OUTPUT)
        piece = apply_masks(pending[:cut], masks, self._pseudonyms)
        if channel.in_masked_token:
            piece, channel.in_masked_token = _rest_of_token_dropped(piece)
        if 0 < cut < len(pending) and _cuts_a_masked_token(pending, cut, masks):
            channel.in_masked_token = True
        channel.context = self._context(channel.context + pending[:cut])
        channel.pending = pending[cut:]
        channel.next_scan = len(channel.pending) + self._step
        if not self._selection.needs_findings:
            channel.next_scan = 0
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
