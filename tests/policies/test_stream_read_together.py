"""A read's clear channels release their events whole (``PolicyStream._feed_clear``) exactly
as when each event of the read is decided on its own, for chat chunks of any shape: several
choices, tool calls, refusals, role-only and empty deltas, finishes in the middle of a
read, usage chunks, odd types (test_stream_cpu_paths checks one channel of content)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from core.apis import Api
from core.sse import SSEEvent
from policies.inspector import PolicyInspector
from policies.stream import PolicyStream
from tests.policies.factories import call_info, chat
from tests.policies.pattern_detection import cached_pack, pattern_scanner
from tests.policies.test_holdback_properties import FUZZ, PROMPT, answers, split
from tests.policies.test_stream_reads import grouped
from wire.apis.registry import WIRE_APIS

PROMPTS = st.sampled_from([chat("Count to twenty, please."), PROMPT])
#: How a piece of the answer is carried: mostly content of choice 0, as providers send.
CARRIERS = st.sampled_from(
    ["content", "content", "content", "content1", "refusal", "tool", "two", "reasoning"]
)
#: An event put between two pieces, if any.
EXTRAS = st.sampled_from(
    [None, None, None, "role", "empty", "finish0", "finish1", "usage", "odd", "not_a_list"]
)


def _chunk(choices: Any, **fields: Any) -> dict[str, Any]:
    return {"id": "c1", "object": "chat.completion.chunk", "choices": choices, **fields}


def _choice(index: int, delta: Any, finish: str | None = None) -> dict[str, Any]:
    return {"index": index, "delta": delta, "finish_reason": finish}


def _carried(piece: str, carrier: str) -> dict[str, Any]:
    if carrier == "tool":
        call = {"index": 0, "function": {"arguments": piece}}
        return _chunk([_choice(0, {"tool_calls": [call]})])
    if carrier == "two":
        return _chunk([_choice(0, {"content": piece}), _choice(1, {"content": piece})])
    if carrier == "content1":
        return _chunk([_choice(1, {"content": piece})])
    field = "reasoning_content" if carrier == "reasoning" else carrier
    return _chunk([_choice(0, {field: piece})])


EXTRA_PAYLOADS: dict[str, dict[str, Any]] = {
    "role": _chunk([_choice(0, {"role": "assistant", "content": ""})]),
    "empty": _chunk([_choice(0, {})]),
    "finish0": _chunk([_choice(0, {}, "stop")]),
    "finish1": _chunk([_choice(1, {}, "stop")]),
    "usage": _chunk([], usage={"prompt_tokens": 3, "completion_tokens": 2}),
    "odd": _chunk([{"index": [], "delta": "odd"}]),
    "not_a_list": _chunk(7),
}


@st.composite
def chat_events(draw: st.DrawFn) -> list[SSEEvent]:
    """A chat stream as the SSE parser hands it: each event decoded, ``[DONE]`` last."""
    text, _ = draw(answers())
    pieces = split(text, draw(st.lists(st.integers(0, 10_000), max_size=30)))
    payloads: list[dict[str, Any]] = []
    for piece in pieces:
        extra = draw(EXTRAS)
        if extra is not None:
            payloads.append(EXTRA_PAYLOADS[extra])
        payloads.append(_carried(piece, draw(CARRIERS)))
    payloads.append(EXTRA_PAYLOADS["finish0"])
    events = [SSEEvent.build(orjson.dumps(p).decode(), payload=p) for p in payloads]
    return [*events, SSEEvent.build("[DONE]")]


def _fields(events: Sequence[SSEEvent]) -> list[tuple[bytes, str | None, str]]:
    return [(event.raw, event.event, event.data) for event in events]


async def _sent(
    events: list[SSEEvent], sizes: Sequence[int], prompt: dict[str, Any], *, together: bool
) -> list[list[tuple[bytes, str | None, str]]]:
    """Each read's events as the default policy sends them (the last item: ``finish``),
    with the clear-channel path (``together``), or each event decided on its own."""
    inspector = PolicyInspector(cached_pack(), pattern_scanner())
    inspection = await inspector.inspect_request(call_info(stream=True), prompt)
    stream = inspection.output.stream()
    assert isinstance(stream, PolicyStream)
    if not together:
        # Deliberately routes clear reads through the per-event path (its parameter is named
        # differently, hence [assignment] besides [method-assign]).
        stream._feed_clear = stream._feed_each  # type: ignore[method-assign, assignment]
    sent = [_fields(await stream.feed_all(read)) for read in grouped(events, sizes)]
    return [*sent, _fields(await stream.finish())]


def _fresh(events: list[SSEEvent]) -> list[SSEEvent]:
    """The same events, nothing kept on them yet (as the parser hands them)."""
    return [SSEEvent(event.raw, event.event, event.data, event.payload) for event in events]


@FUZZ
@given(
    chat_events(),
    st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=40),
    PROMPTS,
)
def test_a_read_sends_what_deciding_each_event_sends(
    loop: asyncio.Runner,
    events: list[SSEEvent],
    sizes: list[int],
    prompt: dict[str, Any],
) -> None:
    """For any chat chunks and any grouping into reads, the events sent for each read
    (bytes, name, data) and at the end are the same through the clear-channel path as
    when each event is decided on its own."""
    together = loop.run(_sent(_fresh(events), sizes, prompt, together=True))
    alone = loop.run(_sent(_fresh(events), sizes, prompt, together=False))
    assert together == alone


@FUZZ
@given(chat_events(), st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=40))
def test_deltas_kept_on_events_of_a_read_are_the_formats(
    loop: asyncio.Runner, events: list[SSEEvent], sizes: list[int]
) -> None:
    """Each event of a read keeps the deltas its format reads of it (the record takes them
    from there)."""
    wire = WIRE_APIS.for_api(Api.CHAT)
    assert wire is not None
    events = _fresh(events)
    loop.run(_sent(events, sizes, chat("Count."), together=True))
    for event in events:
        if event.payload is not None:
            assert event.deltas == (wire, wire.deltas(event.payload))


def test_a_whole_clean_answer_in_one_read_goes_out_as_received(loop: asyncio.Runner) -> None:
    """A clean answer read at once, role chunk and finish included, is sent as the very
    events received but the last word, held until the finish releases it."""
    words = [f" word{i}" for i in range(12)]
    events = [
        SSEEvent.build(orjson.dumps(p).decode(), payload=p)
        for p in [
            EXTRA_PAYLOADS["role"],
            *(_carried(w, "content") for w in words),
            EXTRA_PAYLOADS["finish0"],
        ]
    ]

    async def run() -> list[SSEEvent]:
        inspector = PolicyInspector(cached_pack(), pattern_scanner())
        inspection = await inspector.inspect_request(call_info(stream=True), chat("Count."))
        return list(await inspection.output.stream().feed_all(events))

    sent = loop.run(run())
    assert all(out is event for out, event in zip(sent, events, strict=True))
