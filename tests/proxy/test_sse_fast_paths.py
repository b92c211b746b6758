"""The SSE parser's fast paths (LF-only streams split on blank lines, one ``data:`` line
decoded from its bytes) read every stream exactly as SSE's line by line reading does."""

from __future__ import annotations

import re

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.call.sse import SSEEvent, SSEParser, read_line_by_line
from tests.fuzzing import examples

FUZZ = settings(max_examples=examples(400), deadline=None, database=None)

_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
#: Pieces of streams: well-formed chunks, the bytes that matter to SSE, anything.
PIECES = st.one_of(
    st.dictionaries(st.text(max_size=4), JSON_VALUES, max_size=3).map(
        lambda value: b"data: " + orjson.dumps(value) + b"\n\n"
    ),
    st.sampled_from(
        [
            b"\n",
            b"\n\n",
            b"\r",
            b"\r\n",
            b"data: ",
            b"data:",
            b"data:  {",
            b"{",
            b"}",
            b'"\\ud800"',
            b"NaN",
            b"event: x\n",
            b": comment\n",
            b"[DONE]",
            b"\xe2\x80\xa8",
            b"\xff",
        ]
    ),
    st.binary(max_size=10),
)
STREAMS = st.lists(PIECES, max_size=30).map(b"".join)


def reference(stream: bytes) -> list[SSEEvent]:
    """The events of the whole stream: cut at each event end, each read line by line."""
    events, start = [], 0
    for match in _EVENT_END.finditer(stream):
        events.append(read_line_by_line(stream[start : match.end()]))
        start = match.end()
    rest = stream[start:]
    return events + ([read_line_by_line(rest)] if rest.strip() else [])


def fields(events: list[SSEEvent]) -> list[tuple[bytes, str | None, str, str]]:
    # The payload by its repr: NaN is not equal to itself.
    return [(e.raw, e.event, e.data, repr(e.payload)) for e in events]


@FUZZ
@given(STREAMS, st.lists(st.integers(min_value=0, max_value=300), max_size=12))
def test_any_stream_in_any_pieces_parses_as_read_line_by_line(
    stream: bytes, cuts: list[int]
) -> None:
    """Whatever the bytes and wherever the reads end, the parser's events (raw bytes, name,
    data and decoded payload) are those of reading the whole stream line by line."""
    parser = SSEParser()
    events: list[SSEEvent] = []
    start = 0
    for cut in sorted({min(c, len(stream)) for c in cuts}):
        events += parser.feed(stream[start:cut])
        start = cut
    events += parser.feed(stream[start:])
    events += parser.close()
    assert fields(events) == fields(reference(stream))


def test_a_chunk_that_is_not_utf8_is_decoded_as_its_replaced_text() -> None:
    """A ``data:`` line with invalid UTF-8 inside a JSON string still yields the payload of
    its text with replacement characters, as the line by line reading does."""
    raw = b'data: {"choices": [{"delta": {"content": "a\xffb"}}]}\n\n'
    (event,) = SSEParser().feed(raw)
    assert event.payload == {"choices": [{"delta": {"content": "a\ufffdb"}}]}
    assert fields([event]) == fields(reference(raw))
