"""A format's run of plain text events (``text_run``) is exactly what its event by event
reading makes of those events: one delta each on the run's channel, no channel ended, no
usage, no speech; and a read of nothing but plain text events of one channel is one run."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from core.sse import SSEEvent
from proxy.call.sse import SSEParser
from tests.fuzzing import examples
from wire.apis.anthropic_messages import AnthropicMessages
from wire.apis.base import JsonApi
from wire.apis.openai_chat import OpenAIChat
from wire.apis.openai_responses import OpenAIResponses

FUZZ = settings(max_examples=examples(300), deadline=None, database=None)

TEXTS = st.sampled_from(["", " word", "a", "\n", "ü", "<EMAIL"]) | st.text(max_size=4)
#: JSON values where a format reads a field of some type (an index, a text): odd ones too.
ODD = st.sampled_from([None, True, 0, 1, 2, -1, 1.0, "0", "", "x", [], [0], {}, {"a": 1}])


def anthropic_events() -> st.SearchStrategy[dict[str, Any]]:
    """Anthropic events: mostly text deltas of block 0, some of another block, of other
    fields (thinking, tool input), odd fields, and the events around them."""
    text_delta = st.builds(
        lambda text, index: {
            "type": "content_block_delta",
            "index": index,
            "delta": {"type": "text_delta", "text": text},
        },
        TEXTS,
        st.sampled_from([0, 0, 0, 1]),
    )
    odd_delta = st.builds(
        lambda kind, index, delta: {"type": kind, "index": index, "delta": delta},
        st.sampled_from(["content_block_delta", "content_block_delta", "ping"]),
        ODD,
        st.dictionaries(st.sampled_from(["text", "thinking", "partial_json", "type"]), ODD | TEXTS),
    )
    around = st.sampled_from(
        [
            {"type": "message_start", "message": {"usage": {"input_tokens": 3}}},
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text"}},
            {"type": "content_block_stop", "index": 0},
            {"type": "message_delta", "usage": {"output_tokens": 2}},
            {"type": "message_stop"},
            {"type": "content_block_delta", "delta": {"text": "no index"}},
        ]
    )
    return st.one_of(*[text_delta] * 8, odd_delta, around)


def responses_events() -> st.SearchStrategy[dict[str, Any]]:
    """Responses events: mostly output text deltas of one part, some of another item or
    part, refusals, tool arguments, transcripts, odd fields, and the events around them."""
    where = st.fixed_dictionaries(
        {"item_id": st.sampled_from(["msg_1", "msg_1", "msg_2"])},
        optional={"content_index": st.sampled_from([0, 0, 1])},
    )
    text_delta = st.builds(
        lambda text, place: {"type": "response.output_text.delta", **place, "delta": text},
        TEXTS,
        where,
    )
    odd_delta = st.builds(
        lambda kind, item, part, delta: {
            "type": kind,
            "item_id": item,
            "content_index": part,
            "delta": delta,
        },
        st.sampled_from(
            [
                "response.output_text.delta",
                "response.refusal.delta",
                "response.function_call_arguments.delta",
                "response.audio.transcript.delta",
                "response.audio.delta",
            ]
        ),
        ODD | st.just("msg_1"),
        ODD,
        ODD | TEXTS,
    )
    around = st.sampled_from(
        [
            {"type": "response.created", "response": {"id": "r"}},
            {"type": "response.output_text.done", "item_id": "msg_1", "text": "x"},
            {"type": "response.content_part.done", "item_id": "msg_1", "part": {}},
            {"type": "response.output_item.done", "item": {"id": "msg_1"}},
            {"type": "response.completed", "response": {"usage": {"output_tokens": 2}}},
        ]
    )
    return st.one_of(*[text_delta] * 8, odd_delta, around)


def chat_events() -> st.SearchStrategy[dict[str, Any]]:
    """Chat chunks: mostly content of choice 0, some odd ones (finish, usage, tools)."""
    content = st.builds(
        lambda text: {"choices": [{"index": 0, "delta": {"content": text}}], "usage": None},
        TEXTS,
    )
    odd = st.builds(
        lambda index, delta, finish, usage: {
            "choices": [{"index": index, "delta": delta, "finish_reason": finish}],
            "usage": usage,
        },
        ODD,
        st.dictionaries(st.sampled_from(["content", "role", "refusal"]), ODD | TEXTS),
        st.sampled_from([None, None, "stop"]),
        st.sampled_from([None, {"completion_tokens": 2}]),
    )
    return st.one_of(*[content] * 8, odd)


FORMATS: dict[str, tuple[JsonApi, st.SearchStrategy[dict[str, Any]]]] = {
    "messages": (AnthropicMessages(), anthropic_events()),
    "responses": (OpenAIResponses(), responses_events()),
    "chat": (OpenAIChat(), chat_events()),
}


def parsed(payloads: list[dict[str, Any]]) -> list[SSEEvent]:
    """The events of ``payloads`` as the relay's parser builds them (decoded payloads),
    named by their type where they have one, as Anthropic and the Responses API name them."""
    stream = b"".join(
        (b"event: " + p["type"].encode() + b"\n" if isinstance(p.get("type"), str) else b"")
        + b"data: "
        + orjson.dumps(p)
        + b"\n\n"
        for p in payloads
    )
    return SSEParser().feed(stream)


def assert_run_is_read_as_its_events(fmt: JsonApi, events: list[SSEEvent]) -> None:
    run = fmt.text_run(events)
    if run is None:
        return
    assert run.start >= 0
    assert run.stop - run.start >= 2
    assert run.stop <= len(events)
    assert len(run.texts) == run.stop - run.start
    for index, event in enumerate(events[run.start : run.stop]):
        assert event.payload is not None
        assert fmt.deltas_and_closes(event.payload) == ([run.delta(index)], [])
        assert fmt.deltas(event.payload) == [run.delta(index)]
        assert fmt.event_usage(event.payload) is None
        assert fmt.speech(event.payload) == []


@FUZZ
@given(st.sampled_from(sorted(FORMATS)), st.data())
def test_a_run_is_what_the_events_read_one_by_one_give(name: str, data: st.DataObject) -> None:
    """Whatever the events (plain text deltas, other channels, other fields, odd types,
    the events around them), each event of a run reads one by one as one delta of the
    run's text on its channel, ending nothing, with no usage and no speech."""
    fmt, strategy = FORMATS[name]
    payloads = data.draw(st.lists(strategy, min_size=2, max_size=10))
    assert_run_is_read_as_its_events(fmt, parsed(payloads))


@FUZZ
@given(
    st.sampled_from(["messages", "responses"]),
    st.lists(st.text(min_size=1, max_size=5), min_size=2, max_size=20),
    st.integers(min_value=0, max_value=3),
)
def test_a_read_of_plain_text_events_is_one_run(name: str, texts: list[str], block: int) -> None:
    """A read of nothing but text deltas of one block (Anthropic) or one output part
    (Responses) is one run of all of them, their texts in order."""
    if name == "messages":
        payloads = [
            {
                "type": "content_block_delta",
                "index": block,
                "delta": {"type": "text_delta", "text": t},
            }
            for t in texts
        ]
        channel: tuple[str | int, ...] = (block,)
    else:
        payloads = [
            {
                "type": "response.output_text.delta",
                "item_id": "m",
                "content_index": block,
                "delta": t,
            }
            for t in texts
        ]
        channel = ("m", block)
    fmt = FORMATS[name][0]
    run = fmt.text_run(parsed(payloads))
    assert run is not None
    assert (run.start, run.stop, run.channel, run.texts) == (0, len(texts), channel, texts)


def test_plain_events_apart_or_of_two_channels_are_no_run() -> None:
    """Plain text events with another event between them, or of two blocks, are read
    event by event (a run is one stretch on one channel)."""

    def delta(text: str, index: int = 0) -> dict[str, Any]:
        return {"type": "content_block_delta", "index": index, "delta": {"text": text}}

    fmt = AnthropicMessages()
    apart = [delta("a"), delta("b"), {"type": "ping"}, delta("c")]
    assert fmt.text_run(parsed(apart)) is None
    assert fmt.text_run(parsed([delta("a"), delta("b", 1), delta("c")])) is None
    run = fmt.text_run(parsed([{"type": "ping"}, delta("a"), delta("b"), {"type": "ping"}]))
    assert run is not None
    assert (run.start, run.stop) == (1, 3)
