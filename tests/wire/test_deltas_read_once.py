"""A stream event's deltas are read once per reader and shared; a null usage is no usage."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.sse import SSEEvent
from policies.stream_events import replaced
from tests.fuzzing import examples
from wire.apis.anthropic_messages import AnthropicMessages
from wire.apis.deltas import Delta, deltas_of
from wire.apis.openai_chat import OpenAIChat
from wire.apis.openai_completions import OpenAICompletions
from wire.apis.openai_responses import OpenAIResponses
from wire.apis.usage import Usage, usage_in

CHUNK: dict[str, Any] = {
    "object": "chat.completion.chunk",
    "choices": [{"index": 0, "delta": {"content": "hello"}, "finish_reason": None}],
    "usage": None,
}


class CountingReader:
    """A real chat format's reading, counted (to tell a shared reading from a second one)."""

    def __init__(self) -> None:
        self.reads = 0
        self._chat = OpenAIChat()

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        self.reads += 1
        return self._chat.deltas(payload)


def test_the_second_consumer_gets_the_deltas_the_first_read() -> None:
    """Two reads of one event by the same reader decode its deltas once and return the
    same list, equal to the format's own reading."""
    event = SSEEvent(b"", None, "", CHUNK)
    reader = CountingReader()
    first = deltas_of(event, CHUNK, reader)
    assert deltas_of(event, CHUNK, reader) is first
    assert reader.reads == 1
    assert first == OpenAIChat().deltas(CHUNK)


def test_another_reader_reads_again() -> None:
    """Deltas kept by one reader are never handed to another (it may read the API
    differently): the other reads the event itself."""
    event = SSEEvent(b"", None, "", CHUNK)
    one, other = CountingReader(), CountingReader()
    first = deltas_of(event, CHUNK, one)
    assert deltas_of(event, CHUNK, other) == first
    assert (one.reads, other.reads) == (1, 1)


def test_events_compare_by_bytes_name_and_data_only() -> None:
    """Events are equal (and hash alike) when raw bytes, name and data are; the decoded
    payload and the kept deltas are not part of an event's value."""
    plain = SSEEvent(b"data: x\n\n", None, "x")
    decoded = SSEEvent(b"data: x\n\n", None, "x", {"a": 1})
    deltas_of(decoded, CHUNK, CountingReader())
    assert plain == decoded
    assert hash(plain) == hash(decoded)
    assert plain != SSEEvent(b"data: x\n\n", "named", "x")
    assert SSEEvent.build("x") == plain


def test_a_null_usage_is_no_usage() -> None:
    """OpenAI's ``"usage": null`` on every chunk but the last reads as no usage (nothing
    built per event); a usage object still reads as one."""
    assert usage_in(CHUNK) is None
    assert usage_in({"usage": "many"}) is None
    reported = {"usage": {"prompt_tokens": 3, "completion_tokens": 2}}
    assert usage_in(reported) == Usage(prompt_tokens=3, completion_tokens=2)


TEXTS = st.text(min_size=1, max_size=4)
#: One-delta events of each API's stream, with the fields that might confuse a reader.
ONE_DELTA = {
    "chat": st.builds(
        lambda field, index, text: {
            "choices": [{"index": index, "delta": {field: text, "role": "assistant"}}]
        },
        st.sampled_from(["content", "refusal"]),
        st.integers(0, 2),
        TEXTS,
    ),
    "messages": st.builds(
        lambda field, text: {
            "type": "content_block_delta",
            "index": 0,
            # The other field empty: a reader must not take it for the rewritten one's.
            "delta": {"text": "", "partial_json": "", field: text},
        },
        st.sampled_from(["text", "partial_json"]),
        TEXTS,
    ),
    "responses": st.builds(
        lambda kind, text: {"type": kind, "item_id": "i", "delta": text},
        st.sampled_from(["response.output_text.delta", "response.function_call_arguments.delta"]),
        TEXTS,
    ),
    "completions": st.builds(lambda text: {"choices": [{"index": 0, "text": text}]}, TEXTS),
}
READERS = {
    "chat": OpenAIChat(),
    "messages": AnthropicMessages(),
    "responses": OpenAIResponses(),
    "completions": OpenAICompletions(),
}

CASES = st.sampled_from(sorted(ONE_DELTA)).flatmap(
    lambda api: st.tuples(st.just(api), ONE_DELTA[api])
)


@settings(max_examples=examples(200), deadline=None, database=None)
@given(
    st.sampled_from(sorted(ONE_DELTA)).flatmap(lambda api: st.tuples(st.just(api), ONE_DELTA[api])),
    TEXTS,
)
def test_a_one_delta_event_rewritten_reads_as_its_delta_with_the_new_text(
    case: tuple[str, dict[str, Any]], text: str
) -> None:
    """What output inspection keeps on an event it rewrites with new (non-empty) text:
    the API's reader finds in the rewritten event the one delta, with that text."""
    api, payload = case
    reader = READERS[api]
    (delta,) = reader.deltas(payload)
    assert reader.deltas(replaced(payload, {delta.path: text})) == [delta._replace(text=text)]
