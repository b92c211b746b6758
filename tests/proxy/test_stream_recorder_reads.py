"""A stream's record is the same whether its events are fed one by one or a read at a time
(``StreamRecorder.feed_all``), and the same as the per-event reading it replaced."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.apis import Api
from core.sse import SSEEvent
from proxy.call.apis import StreamRecorder
from tests.fuzzing import examples
from wire.apis.registry import WIRE_APIS
from wire.apis.usage import Usage
from wire.sdkjson import json_object

FUZZ = settings(max_examples=examples(300), deadline=None, database=None)

TEXT = st.text(max_size=6)
#: Counts as providers send them, and as they should not (negative, huge, wrong type).
COUNT = st.integers(0, 5000) | st.sampled_from([-1, 2**40, None, "7", 1.5, True])
USAGE = st.fixed_dictionaries(
    {"prompt_tokens": COUNT, "completion_tokens": COUNT},
    optional={
        "input_tokens": COUNT,
        "output_tokens": COUNT,
        "prompt_tokens_details": st.fixed_dictionaries({"cached_tokens": COUNT}),
        "cache_read_input_tokens": COUNT,
    },
)
TOOL_CALL: st.SearchStrategy[dict[str, object]] = st.fixed_dictionaries(
    {"index": st.integers(0, 2) | st.just([])},
    optional={"function": st.fixed_dictionaries({}, optional={"arguments": TEXT | st.just(3)})},
)
DELTA = st.fixed_dictionaries(
    {},
    optional={
        "role": st.just("assistant"),
        "content": TEXT | st.none() | st.just(5),
        "refusal": TEXT | st.none(),
        "tool_calls": st.lists(TOOL_CALL, max_size=2),
    },
)
CHOICE = st.fixed_dictionaries(
    {"delta": DELTA | st.just("odd")},
    optional={
        "index": st.integers(0, 2) | st.just("x"),
        "finish_reason": st.none() | st.sampled_from(["stop", "tool_calls"]),
    },
)
CHAT_CHUNK = st.fixed_dictionaries(
    {"object": st.just("chat.completion.chunk")},
    optional={
        "choices": st.lists(CHOICE, max_size=3) | st.just(7),
        "usage": st.none() | USAGE | st.sampled_from([3, [1], "x"]),
    },
)
ANTHROPIC_EVENT = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("message_start"), "message": st.fixed_dictionaries({"usage": USAGE})}
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("content_block_delta"),
            "index": st.integers(0, 2),
            "delta": st.fixed_dictionaries({"type": st.just("text_delta"), "text": TEXT}),
        }
    ),
    st.fixed_dictionaries({"type": st.just("message_delta"), "usage": USAGE}),
    st.fixed_dictionaries({"type": st.just("message_stop")}),
    # Usage where no Anthropic event reports it, and types no event has.
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["ping", ["message_delta"], {"a": 1}, 3, None]),
            "usage": USAGE,
            "message": st.fixed_dictionaries({"usage": USAGE}),
        }
    ),
)
RESPONSES_EVENT = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("response.output_text.delta"),
            "item_id": st.sampled_from(["msg_1", "msg_2"]),
            "content_index": st.integers(0, 1),
            "delta": TEXT,
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["response.completed", "response.created", ["response.completed"], None]
            ),
            "response": st.fixed_dictionaries({}, optional={"usage": USAGE}),
        }
    ),
    st.fixed_dictionaries({"type": st.just("response.output_text.done"), "usage": USAGE}),
)


def event(payload: dict[str, Any] | None, *, decoded: bool) -> SSEEvent:
    """An event of ``payload`` (``None``: ``[DONE]``), decoded by the parser or not."""
    if payload is None:
        return SSEEvent.build("[DONE]")
    data = orjson.dumps(payload).decode()
    return SSEEvent.build(data, payload=payload if decoded else None)


def reference(api: str, events: list[SSEEvent], flags: list[tuple[bool, bool]]) -> str:
    """The record as the per-event ``StreamRecorder.feed`` before the read-at-once one
    built it (a frozen copy of its reading), as ``repr`` of its text and usage."""
    wire = WIRE_APIS.for_api(api)
    assert wire is not None
    parts: list[str] = []
    usage, counted = Usage(), 0
    for one, (text, take_usage) in zip(events, flags, strict=True):
        payload = one.payload if one.payload is not None else json_object(one.data)
        if payload is None:
            continue
        deltas = wire.deltas(payload)
        if text:
            parts.extend(delta.text for delta in deltas)
        if take_usage:
            counted += len(deltas)
            reported = wire.event_usage(payload)
            if reported is not None:
                prompt = usage if not reported.prompt_tokens else reported
                usage = Usage(
                    prompt.prompt_tokens,
                    reported.completion_tokens or usage.completion_tokens,
                    prompt.cached_tokens,
                    prompt.cache_write_tokens,
                )
    if not usage.completion_tokens:
        usage = Usage(usage.prompt_tokens, counted, usage.cached_tokens, usage.cache_write_tokens)
    return repr(("".join(parts), usage))


def recorded(recorder: StreamRecorder) -> str:
    return repr((recorder.text, recorder.usage))


def reads_of(count: int, cuts: list[int]) -> list[tuple[int, int]]:
    """``count`` events cut into reads at ``cuts``: (first, end) of each read."""
    edges = sorted({0, count, *(min(cut, count) for cut in cuts)})
    return list(pairwise(edges))


def check(  # noqa: PLR0917 - the generated values, passed on as given
    api: str,
    payloads: list[dict[str, Any] | None],
    decoded: list[bool],
    cuts: list[int],
    flags: tuple[bool, bool],
    inspected: bool,
) -> None:
    events = [
        event(payload, decoded=decoded[i % len(decoded)] if decoded else True)
        for i, payload in enumerate(payloads)
    ]
    text, take_usage = flags
    expected = reference(api, events, [flags] * len(events))
    wire = WIRE_APIS.for_api(api)
    assert wire is not None
    if inspected:  # output inspection read the deltas first (kept on the event)
        for one in events:
            if one.payload is not None:
                one.deltas = (wire, wire.deltas(one.payload))
    by_event, by_read = StreamRecorder(api), StreamRecorder(api)
    for one in events:
        by_event.feed(one, text=text, usage=take_usage)
    for first, end in reads_of(len(events), cuts):
        by_read.feed_all(events[first:end], text=text, usage=take_usage)
    assert recorded(by_event) == expected
    assert recorded(by_read) == expected


FLAGS = st.sampled_from([(True, True), (True, False), (False, True)])
CUTS = st.lists(st.integers(0, 30), max_size=6)


@FUZZ
@given(
    st.lists(CHAT_CHUNK | st.none(), max_size=20),
    st.lists(st.booleans(), max_size=4),
    CUTS,
    FLAGS,
    st.booleans(),
)
def test_chat_chunks_record_alike_fed_per_event_or_per_read(
    payloads: list[dict[str, Any] | None],
    decoded: list[bool],
    cuts: list[int],
    flags: tuple[bool, bool],
    inspected: bool,
) -> None:
    """Chat chunks of any shape (several choices, tool calls, refusals, usage chunks, odd
    types, [DONE]) record the same text and usage fed one by one or a read at a time,
    equal to the per-event reading, whether inspection read their deltas first or not."""
    check(Api.CHAT, payloads, decoded, cuts, flags, inspected)


@FUZZ
@given(
    st.lists(ANTHROPIC_EVENT, max_size=12),
    st.lists(st.booleans(), max_size=4),
    CUTS,
    FLAGS,
    st.booleans(),
)
def test_anthropic_events_record_alike_fed_per_event_or_per_read(
    payloads: list[dict[str, Any] | None],
    decoded: list[bool],
    cuts: list[int],
    flags: tuple[bool, bool],
    inspected: bool,
) -> None:
    """An Anthropic stream (usage at its start and end, read by its own format) records the
    same text and usage fed one by one or a read at a time as the per-event reading."""
    check(Api.MESSAGES, payloads, decoded, cuts, flags, inspected)


@FUZZ
@given(
    st.lists(RESPONSES_EVENT, max_size=12),
    st.lists(st.booleans(), max_size=4),
    CUTS,
    FLAGS,
    st.booleans(),
)
def test_responses_events_record_alike_fed_per_event_or_per_read(
    payloads: list[dict[str, Any] | None],
    decoded: list[bool],
    cuts: list[int],
    flags: tuple[bool, bool],
    inspected: bool,
) -> None:
    """A Responses stream (usage in its completed event, read by its own format) records
    the same text and usage fed one by one or a read at a time as the per-event reading."""
    check(Api.RESPONSES, payloads, decoded, cuts, flags, inspected)


@pytest.mark.parametrize(
    ("api", "reporting"),
    [(Api.MESSAGES, {"message_start", "message_delta"}), (Api.RESPONSES, {"response.completed"})],
)
def test_a_read_asks_for_usage_only_the_events_that_report_it(
    api: str, reporting: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read of an answer inspection has read: the format is asked for the usage of the
    events of the types that report it, not of each text event (one call each)."""
    wire = WIRE_APIS.for_api(api)
    assert wire is not None
    kinds = [*sorted(reporting), *["content_block_delta", "response.output_text.delta"] * 10]
    events = [event({"type": kind, "index": 0, "delta": "x"}, decoded=True) for kind in kinds]
    for one in events:
        assert one.payload is not None
        one.deltas = (wire, wire.deltas(one.payload))
    asked: list[str] = []
    real = type(wire).event_usage

    def counting(self: object, payload: dict[str, Any]) -> Usage | None:
        asked.append(payload["type"])
        return real(wire, payload)

    monkeypatch.setattr(type(wire), "event_usage", counting)
    StreamRecorder(api).feed_all(events)
    assert sorted(asked) == sorted(reporting)


def test_a_read_of_usage_chunks_keeps_the_last_reported_counts_in_order() -> None:
    """Usage reported twice in one read is taken in the upstream's order: the later
    completion count wins, the prompt count of the one that reports it stays."""
    first = {"choices": [], "usage": {"prompt_tokens": 10, "completion_tokens": 3}}
    second = {"choices": [], "usage": {"prompt_tokens": 0, "completion_tokens": 9}}
    recorder = StreamRecorder(Api.CHAT)
    recorder.feed_all([event(first, decoded=True), event(second, decoded=True)])
    assert recorder.usage == Usage(10, 9, 0, 0)
