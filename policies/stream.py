"""Output inspection of streamed answers: a small hold-back window per text channel.

Text deltas are not relayed the moment they arrive: each channel (a choice's content, a
tool call's arguments, a content block) keeps the newest ``holdback_chars`` characters
back, so a secret split across chunks is scanned whole before any part of it is sent.
Text is released in steps (one scan per ``holdback_chars / 2`` new characters), never in
the middle of a word or a finding unless more than ``max_hold_chars`` would be held.
The window scanned is the held text plus the last released characters, so findings that
straddle the cut are still recognised.

Released text is masked per the output rules, placeholders from pseudonymisation are
restored (a placeholder split across chunks is held until complete), and the event is
re-encoded with the new text. A blocking rule ends the stream by raising
:class:`~proxy.inspection.OutputBlocked`; what was released before stays sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import structlog

from detectors.base import Finding
from detectors.errors import DetectionError
from policies.actions import apply_masks
from policies.engine import Decision, Located, RuleSelection, Subject
from policies.extract import Location, rewrite
from policies.model import Direction, StreamSettings
from policies.pseudonyms import Pseudonyms, StreamRestorer
from policies.scanning import Scanner, timed_scan
from policies.stream_shapes import Channel, StreamShape, Template
from policies.telemetry import count_detection_failure, count_findings, count_matches
from proxy.inspection import ALLOW, OutputBlocked, Verdict
from proxy.metrics import Metrics
from proxy.sse import SSEEvent
from proxy.wirejson import dumps_like_clients, loads_like_clients

log = structlog.get_logger("llm_proxy.policy")

_OUTPUT = Direction.OUTPUT.value


class _Channel:
    """What is known about one channel of text in the stream."""

    def __init__(self, template: Template, restorer: StreamRestorer) -> None:
        self.template = template
        self.restorer = restorer
        self.pending = ""  # upstream text not yet released
        self.context = ""  # the last released upstream characters, for scanning across the cut
        self.next_scan = 0  # pending length at which to try the next release
        self.emitted: list[str] = []
        self.history: list[Finding] = []  # findings already decided (for min_count)

    @property
    def text(self) -> str:
        return "".join(self.emitted)


def _payload(event: SSEEvent) -> dict[str, Any] | None:
    if not event.data.startswith("{"):
        return None
    try:
        payload = loads_like_clients(event.data)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def _encode(payload: dict[str, Any], event: str | None) -> SSEEvent:
    return SSEEvent.build(dumps_like_clients(payload).decode(), event=event)


class PolicyStream:
    """A :class:`~proxy.inspection.StreamInspector` applying the output rules to a stream."""

    def __init__(
        self,
        *,
        shape: StreamShape,
        selection: RuleSelection,
        scanner: Scanner,
        pseudonyms: Pseudonyms,
        settings: StreamSettings,
        budget: float | None,
        metrics: Metrics | None = None,
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
            template = self._shape.template(payload, delta, event.event)
            if channel is None:
                channel = self._channels[delta.channel] = _Channel(
                    template, StreamRestorer(self._pseudonyms, json_string=delta.json)
                )
            channel.template = template
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
        new = rewrite(payload, replacements) if changed or closes else payload
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
        template = self._channels[key].template
        return _encode(rewrite(template.payload, {template.path: text}), template.event)

    async def _release(self, wanted: dict[Channel, bool]) -> dict[Channel, str]:
        """Release text from each channel (everything when its flag is set); scan first."""
        due = [
            key
            for key, final in wanted.items()
            if final or len(self._channels[key].pending) >= self._channels[key].next_scan
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
            key: self._cut(self._channels[key], findings, final=wanted[key])
            for key, findings in zip(due, found, strict=True)
        }

    def _subject(self) -> Subject:
        return Subject(Direction.OUTPUT, self._text_chars)

    def _cut(self, channel: _Channel, findings: list[Finding], *, final: bool) -> str:
        """Decide, mask and release the part of ``channel.pending`` that is safe to send."""
        offset = len(channel.context)
        pending = channel.pending
        spans = [(f, f.start - offset, f.end - offset) for f in findings if f.end - offset > 0]
        cut = len(pending) if final else self._safe_cut(pending, spans)
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
        channel.context = (channel.context + pending[:cut])[-self._settings.holdback_chars :]
        channel.pending = pending[cut:]
        channel.next_scan = len(channel.pending) + self._step
        if not self._selection.needs_findings:
            channel.next_scan = 0
        text = channel.restorer.feed(piece)
        if final:
            text += channel.restorer.flush()
        channel.emitted.append(text)
        return text

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
        moved = True
        while moved:
            moved = False
            for _, start, end in spans:
                if start < cut < end and size - max(start, 0) <= limit:
                    cut, moved = max(start, 0), True
        return cut

    def _apply(self, decision: Decision) -> None:
        self._verdict = self._verdict.merge(decision.verdict)
        new = [m for m in decision.matches if m.rule_id not in self._counted]
        self._counted.update(m.rule_id for m in new)
        count_matches(self._metrics, new)
        if decision.blocked:
            raise OutputBlocked(self._verdict)
