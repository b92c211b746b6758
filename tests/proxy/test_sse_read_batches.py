"""A read of many events is parsed in one batch (``proxy.call.sse._object_events``) exactly
as event by event: raw bytes, name, data and decoded payload, wherever the reads end."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.call import sse
from proxy.call.sse import SSEEvent, SSEParser
from tests.fuzzing import examples
from tests.proxy.test_sse_fast_paths import JSON_VALUES, fields, reference

FUZZ = settings(max_examples=examples(300), deadline=None, database=None)
NAMED_FUZZ = settings(max_examples=examples(200), deadline=None, database=None)

OBJECT_EVENT = st.dictionaries(st.text(max_size=4), JSON_VALUES, max_size=3).map(
    lambda value: b"data: " + orjson.dumps(value) + b"\n\n"
)
#: Named object events, as Anthropic and the Responses API send every event: names of
#: any bytes but line ends (no space after the colon, two spaces, not UTF-8, a colon).
NAMED_EVENT = st.tuples(
    st.sampled_from([b"event: ", b"event:", b"event:  ", b"event: a:b "]),
    st.binary(max_size=6).map(lambda name: name.replace(b"\n", b"").replace(b"\r", b"")),
    OBJECT_EVENT,
).map(lambda parts: parts[0] + parts[1] + b"\n" + parts[2])
#: Mostly well-formed object events (batches), now and then one that is not.
PIECES = st.one_of(
    OBJECT_EVENT,
    OBJECT_EVENT,
    OBJECT_EVENT,
    st.sampled_from(
        [
            b"data: [DONE]\n\n",
            b"data: {bad json}\n\n",
            b'data: {"a": "\xff"}\n\n',
            b'data: {"a": NaN}\n\n',
            b"event: x\ndata: {}\n\n",
            b'data: {"a":\ndata: 1}\n\n',
            b'data: {"a":\n1}\n\n',
            b"data: {\n}\n\n",
            b"\n\n",
            b": ping\n\n",
            b"data: {",
        ]
    ),
)
STREAMS = st.lists(PIECES, min_size=4, max_size=30).map(b"".join)
#: Mostly named object events, now and then another kind.
NAMED_PIECES = st.one_of(NAMED_EVENT, NAMED_EVENT, NAMED_EVENT, PIECES)
NAMED_STREAMS = st.lists(NAMED_PIECES, min_size=4, max_size=30).map(b"".join)


def parse(stream: bytes, cuts: list[int]) -> list[SSEEvent]:
    parser = SSEParser()
    events: list[SSEEvent] = []
    start = 0
    for cut in sorted({min(c, len(stream)) for c in cuts}):
        events += parser.feed(stream[start:cut])
        start = cut
    return events + parser.feed(stream[start:]) + parser.close()


@FUZZ
@given(STREAMS, st.lists(st.integers(min_value=0, max_value=2000), max_size=4))
def test_reads_of_many_events_parse_as_read_line_by_line(stream: bytes, cuts: list[int]) -> None:
    """Streams of many object events with odd ones among them (not JSON, not UTF-8, NaN,
    named, two data lines, comments, [DONE] last), read in few large pieces, give the
    events of reading the whole stream line by line."""
    assert fields(parse(stream, cuts)) == fields(reference(stream))


def test_a_whole_answer_in_one_read_is_its_events() -> None:
    """A chat answer arriving in one read (role, words, finish, usage, [DONE]) yields each
    event with its own bytes and decoded payload, [DONE] last without one."""
    chunks = [{"choices": [{"delta": {"content": f" w{i}"}}]} for i in range(6)]
    stream = b"".join(b"data: " + orjson.dumps(c) + b"\n\n" for c in chunks)
    stream += b"data: [DONE]\n\ndata: {"
    parser = SSEParser()
    events = parser.feed(stream)
    assert [e.payload for e in events] == [*chunks, None]
    assert b"".join(e.raw for e in events) == stream.removesuffix(b"data: {")
    assert events[-1].data == "[DONE]"
    assert parser.close()[0].data == "{"


@NAMED_FUZZ
@given(NAMED_STREAMS, st.lists(st.integers(min_value=0, max_value=2000), max_size=4))
def test_reads_of_many_named_events_parse_as_read_line_by_line(
    stream: bytes, cuts: list[int]
) -> None:
    """Streams of named events (a name line, a data line of JSON; names of odd bytes, odd
    events among them), read in few large pieces, give the events of reading the whole
    stream line by line."""
    assert fields(parse(stream, cuts)) == fields(reference(stream))


def test_an_anthropic_answer_in_one_read_is_its_named_events() -> None:
    """An Anthropic answer arriving in one read yields each event with its name, its own
    bytes and its decoded payload, the events' names as they were sent."""
    kinds = ["message_start", *["content_block_delta"] * 6, "message_stop"]
    payloads = [{"type": kind, "index": i} for i, kind in enumerate(kinds)]
    stream = b"".join(
        b"event: " + kind.encode() + b"\ndata: " + orjson.dumps(p) + b"\n\n"
        for kind, p in zip(kinds, payloads, strict=True)
    )
    events = SSEParser().feed(stream)
    assert [(e.event, e.payload) for e in events] == list(zip(kinds, payloads, strict=True))
    assert b"".join(e.raw for e in events) == stream


@pytest.mark.parametrize("count", [1, 2, 8])
def test_named_events_are_read_without_the_line_by_line_reading(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read of named JSON events, one or many (a paced stream, a stream under load),
    is read without the general line by line reading, whose regular expression, decoding
    and JSON decoding of text cost several times the event's own."""
    stream = b"".join(
        b"event: content_block_delta\ndata: " + orjson.dumps({"index": i}) + b"\n\n"
        for i in range(count)
    )
    expected = fields(reference(stream))

    def refused(raw: bytes) -> SSEEvent:
        raise AssertionError(f"read line by line: {raw!r}")

    monkeypatch.setattr(sse, "read_line_by_line", refused)
    assert fields(SSEParser().feed(stream)) == expected
