"""The stream's cheaper paths (issue 11, h68) send exactly what the general ones send: a read
whose clear channels release whole events without a release of their own, an event
re-encoded in one step, the held suffix found without lists."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from core.sse import SSEEvent
from policies.holdback import (
    CONTEXT_SHAPES,
    CONTEXT_SHAPES_WITHOUT_TABLES,
    SHAPES,
    held_from,
)
from policies.inspector import PolicyInspector
from policies.line_context import default_shapes_loaded
from policies.stream import PolicyStream
from policies.stream_events import encode
from tests.policies.factories import call_info, chat
from tests.policies.pattern_detection import cached_pack, pattern_scanner
from tests.policies.test_holdback_properties import FUZZ, PROMPT, answers, split
from tests.policies.test_stream import chat_stream
from tests.policies.test_stream_reads import grouped
from wire.sdkjson import dumps_like_clients


def _fields(events: Sequence[SSEEvent]) -> list[tuple[bytes, str | None, str]]:
    return [(event.raw, event.event, event.data) for event in events]


async def _sent(
    pieces: Sequence[str], sizes: Sequence[int], prompt: dict[str, Any], *, clear: bool
) -> list[list[tuple[bytes, str | None, str]]]:
    """Each read's events as the default policy sends them (the last item: ``finish``),
    with the clear-channel path (``clear``) or every event through the general one."""
    inspector = PolicyInspector(cached_pack(), pattern_scanner())
    inspection = await inspector.inspect_request(call_info(stream=True), prompt)
    stream = inspection.output.stream()
    assert isinstance(stream, PolicyStream)
    if not clear:
        # Deliberately routes clear reads through the per-event path (its parameter is named
        # differently, hence [assignment] besides [method-assign]).
        stream._feed_clear = stream._feed_each  # type: ignore[method-assign, assignment]
    sent = [_fields(await stream.feed_all(read)) for read in grouped(chat_stream(pieces), sizes)]
    return [*sent, _fields(await stream.finish())]


#: A prompt with nothing to pseudonymise, and one whose e-mail address is (the answer's
#: placeholders are then restored).
PROMPTS = st.sampled_from([chat("Count to twenty, please."), PROMPT])


@FUZZ
@given(
    answers(),
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=40),
    st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=40),
    PROMPTS,
)
def test_clear_channels_send_what_the_general_path_sends(
    loop: asyncio.Runner,
    answer: tuple[str, list[str]],
    cuts: list[int],
    sizes: list[int],
    prompt: dict[str, Any],
) -> None:
    """For any answer, any cut into chunks and any grouping into reads, the events sent for
    each read (bytes, name, data) are the same with the clear-channel path as when every
    event takes its own release."""
    pieces = split(answer[0], cuts)
    fast = loop.run(_sent(pieces, sizes, prompt, clear=True))
    general = loop.run(_sent(pieces, sizes, prompt, clear=False))
    assert fast == general


def test_a_clean_read_is_relayed_as_the_events_received(loop: asyncio.Runner) -> None:
    """A whole clean answer in one read goes out as the very events received, and one that
    continues an unfinished word takes it over in its first event only."""
    events = chat_stream([f" word{i}" for i in range(8)])

    async def run() -> tuple[list[SSEEvent], list[SSEEvent]]:
        inspector = PolicyInspector(cached_pack(), pattern_scanner())
        inspection = await inspector.inspect_request(call_info(stream=True), chat("Count."))
        whole = list(await inspection.output.stream().feed_all(events))
        stream = inspection.output.stream()
        first = list(await stream.feed_all(events[:3]))
        return whole, [*first, *await stream.feed_all(events[3:])]

    whole, in_two = loop.run(run())
    assert all(out is event for out, event in zip(whole, events, strict=True))
    # 0: role; 1: " word0" safe; 2: holds "word1"; 3: takes it over; the rest as received.
    kept = [i for i, (out, event) in enumerate(zip(in_two, events, strict=True)) if out is event]
    assert kept == [0, 1, *range(4, len(events))]
    assert '"word1 word2"' in in_two[3].data


PAYLOAD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from(["\n", "\r", "\u2028", '"', "\\"]),
    max_size=12,
)


@FUZZ
@given(
    st.dictionaries(st.text(max_size=4), PAYLOAD_TEXT | st.integers() | st.none(), max_size=4),
    st.sampled_from([None, "message", "content_block_delta", "response.output_text.delta"]),
)
def test_encode_writes_what_build_writes(payload: dict[str, Any], event: str | None) -> None:
    """An event re-encoded in one step has the bytes, name and data SSEEvent.build gives
    the same JSON (line breaks and separators in the text included)."""
    built = SSEEvent.build(dumps_like_clients(payload).decode(), event=event, payload=payload)
    encoded = encode(payload, event)
    assert _fields([encoded]) == _fields([built])
    assert encoded.payload is payload


def test_encode_writes_values_orjson_refuses_as_build_does() -> None:
    """NaN and a lone surrogate (written by Python's json) are re-encoded as build would."""
    payload = {"choices": [{"delta": {"content": "\ud800 x"}}], "score": math.nan}
    built = SSEEvent.build(dumps_like_clients(payload).decode(), event="e", payload=payload)
    assert _fields([encode(payload, "e")]) == _fields([built])


HELD_TEXT = st.lists(
    st.sampled_from(
        [*"ab Z9-'\"\n:=|/+", " is my password", "mysql -p", "-----BEGIN RSA PRIVATE KEY-----"]
    ),
    max_size=30,
).map("".join)


@FUZZ
@given(HELD_TEXT, HELD_TEXT, st.booleans())
def test_held_from_is_the_earliest_start_of_any_shape(
    loop: asyncio.Runner, text: str, released: str, tables: bool
) -> None:
    """``held_from`` is the earliest start any shape, context shape or value-first phrase
    finds (the end of the text when none does)."""
    phrases, _ = loop.run(default_shapes_loaded())
    context_shapes = CONTEXT_SHAPES if tables else CONTEXT_SHAPES_WITHOUT_TABLES
    starts = [shape(text) for shape in SHAPES]
    starts += [shape(text, released) for shape in (*context_shapes, phrases)]
    expected = min((s for s in starts if s is not None), default=len(text))
    found = held_from(text, phrases=phrases, released=released, context_shapes=context_shapes)
    assert found == expected
