"""Properties of SSE parsing: how a stream is cut into chunks never changes its events."""

from __future__ import annotations

import aiohttp
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from policies.inspector import PolicyInspector
from policies.loader import parse_policy_text
from proxy.call.sse import SSEEvent, SSEParser, parse_event
from tests.fakes import FakeUpstream
from tests.fuzzing import examples
from tests.policies.factories import AWS_KEY, real_scanner
from tests.proxy.conftest import CALLER_KEY, StartProxy

FUZZ = settings(max_examples=examples(300), deadline=None, database=None)

#: Bytes that matter to the parser, mixed into arbitrary ones.
_INTERESTING = st.sampled_from(
    [
        b"\n",
        b"\r",
        b"\r\n",
        b"\n\n",
        b"data: ",
        b"event: ",
        b":",
        b" ",
        b"{",
        b"[DONE]",
        b"\xe2\x80\xa8",
    ]
)
STREAMS = st.lists(_INTERESTING | st.binary(max_size=12), max_size=40).map(b"".join)
#: Text an event's data may hold: anything but the line breaks SSE itself uses.
DATA = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]))
NAMES = st.none() | st.text(
    st.characters(blacklist_characters="\r\n:", blacklist_categories=["Cs"]), min_size=1
).filter(lambda name: name.strip() == name)


def parse_in_chunks(stream: bytes, cuts: list[int]) -> list[SSEEvent]:
    parser = SSEParser()
    events: list[SSEEvent] = []
    start = 0
    for cut in sorted({min(c, len(stream)) for c in cuts}):
        events += parser.feed(stream[start:cut])
        start = cut
    events += parser.feed(stream[start:])
    return events + parser.close()


@FUZZ
@given(STREAMS, st.lists(st.integers(min_value=0, max_value=400), max_size=20))
def test_any_chunking_of_a_byte_stream_yields_the_same_events(
    stream: bytes, cuts: list[int]
) -> None:
    """Feeding a stream in arbitrary pieces gives exactly the events of feeding it whole,
    and their raw bytes are the stream itself (at most trailing blank bytes dropped)."""
    whole = parse_in_chunks(stream, [])
    assert parse_in_chunks(stream, cuts) == whole
    relayed = b"".join(event.raw for event in whole)
    assert stream.startswith(relayed)
    assert not stream[len(relayed) :].strip()


@FUZZ
@given(st.lists(st.tuples(NAMES, DATA), max_size=8), st.sampled_from(["\n", "\r\n", "\r"]))
def test_well_formed_events_parse_back_to_their_fields(
    events: list[tuple[str | None, str]], newline: str
) -> None:
    """Events written with any of SSE's line endings parse back to their name and data,
    whatever characters the data holds (U+2028, NEL and form feed included)."""
    stream = b"".join(
        ((f"event: {name}{newline}" if name else "") + f"data: {data}{newline}{newline}").encode()
        for name, data in events
    )
    parsed = parse_in_chunks(stream, [])
    assert [(e.event, e.data) for e in parsed] == events


def test_json_data_with_unicode_line_separators_is_parsed_whole() -> None:
    """A JSON chunk holding U+2028 or NEL unescaped (as orjson and Go's encoder write them)
    is one data line, so inspection and recording see the whole chunk (issue 9 fuzz)."""
    payload = {"choices": [{"delta": {"content": "AKIA\u2028key\x85\x0c"}}]}
    (event,) = SSEParser().feed(b"data: " + orjson.dumps(payload) + b"\n\n")
    assert orjson.loads(event.data) == payload
    assert parse_event(SSEEvent.build(event.data).raw).data == event.data


OUTPUT_REDACTION = parse_policy_text(
    """
name: sse-regression
rule_sets:
  - name: main
    rules:
      - id: redact-secrets-in-answers
        direction: output
        action: redact
        mode: enforce
        match: {entities: [SECRETS]}
""",
    source="test",
)


async def test_a_secret_beside_a_unicode_line_separator_is_still_inspected(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A streamed chunk holding U+2028 next to a secret is inspected like any other: the
    caller never sees the secret (it used to be relayed as unparseable data, unmasked)."""
    proxy = await start_proxy(inspector=PolicyInspector(OUTPUT_REDACTION, real_scanner()))
    chunk = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "delta": {"content": f"key {AWS_KEY}\u2028 ok"}}],
    }
    fake.behaviour.raw_reply = b"data: " + orjson.dumps(chunk) + b"\n\ndata: [DONE]\n\n"
    fake.behaviour.raw_content_type = "text/event-stream"
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{proxy.url}/v1/chat/completions",
            json={**body, "stream": True},
            headers={"Authorization": f"Bearer {CALLER_KEY}"},
        ) as response,
    ):
        relayed = await response.read()
    assert response.status == 200
    assert AWS_KEY.encode() not in relayed
    assert b"<AWS_ACCESS_KEY_ID>" in relayed
