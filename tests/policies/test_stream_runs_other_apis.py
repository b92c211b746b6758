"""Anthropic Messages and Responses streams, like chat streams, take a read's run of plain
text events in one step (``text_run``): through the relay's per-read code, the caller gets
the same bytes, the record the same text and usage, and a key split over the run is masked
as when the same reads are taken event by event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.apis import Api
from policies.inspector import PolicyInspector
from proxy.call.apis import StreamRecorder
from proxy.call.relay import StreamPipe
from proxy.call.sse import SSEParser
from tests.policies.factories import OPENAI_KEY, call_info
from tests.policies.pattern_detection import cached_pack, pattern_scanner
from tests.policies.test_holdback_properties import FUZZ, answers, split
from wire.apis.anthropic_messages import AnthropicMessages
from wire.apis.base import JsonApi
from wire.apis.openai_responses import OpenAIResponses

REQUESTS: dict[Api, dict[str, Any]] = {
    Api.MESSAGES: {"model": "claude-x", "messages": [{"role": "user", "content": "hi"}]},
    Api.RESPONSES: {"model": "gpt-4o-mini", "input": "hi"},
}
FORMATS: dict[Api, type[JsonApi]] = {
    Api.MESSAGES: AnthropicMessages,
    Api.RESPONSES: OpenAIResponses,
}


def _named(payload: dict[str, Any]) -> bytes:
    kind: str = payload["type"]
    return b"event: " + kind.encode() + b"\ndata: " + orjson.dumps(payload) + b"\n\n"


def answer_bytes(api: Api, pieces: Sequence[str]) -> bytes:
    """An answer of ``pieces`` as the API streams it, usage included."""
    text = "".join(pieces)
    if api == Api.MESSAGES:
        payloads: list[dict[str, Any]] = [
            {"type": "message_start", "message": {"id": "m", "usage": {"input_tokens": 7}}},
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text"}},
            {"type": "ping"},
            *(
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": p},
                }
                for p in pieces
            ),
            {"type": "content_block_stop", "index": 0},
            {"type": "message_delta", "delta": {}, "usage": {"output_tokens": 5}},
            {"type": "message_stop"},
        ]
    else:
        where = {"item_id": "msg_1", "output_index": 0, "content_index": 0}
        part = {"type": "output_text", "text": text}
        item = {"id": "msg_1", "type": "message", "content": [part]}
        usage = {"input_tokens": 7, "output_tokens": 5, "total_tokens": 12}
        payloads = [
            {"type": "response.created", "response": {"id": "r"}},
            {"type": "response.content_part.added", **where, "part": {**part, "text": ""}},
            *({"type": "response.output_text.delta", **where, "delta": p} for p in pieces),
            {"type": "response.output_text.done", **where, "text": text},
            {"type": "response.content_part.done", **where, "part": part},
            {"type": "response.output_item.done", "output_index": 0, "item": item},
            {"type": "response.completed", "response": {"output": [item], "usage": usage}},
        ]
    return b"".join(map(_named, payloads))


async def relay(api: Api, raw: bytes, reads: Sequence[int]) -> tuple[bytes, str, Any]:
    """What the caller gets, the recorded text and the usage of ``raw`` streamed in reads
    of ``reads`` bytes (the last: what is left), through the relay's per-read code."""
    inspector = PolicyInspector(cached_pack(), pattern_scanner())
    inspection = await inspector.inspect_request(call_info(api, stream=True), REQUESTS[api])
    stream = inspection.output.stream()
    recorder, parser, sent = StreamRecorder(api), SSEParser(), bytearray()

    async def write(data: bytes) -> None:
        sent.extend(data)

    pipe = StreamPipe(stream, recorder, write)
    start = 0
    for size in [*reads, len(raw)]:
        await pipe.relay(parser.feed(raw[start : start + size]))
        start += size
    await pipe.relay(parser.close())
    await pipe.send(await stream.finish())
    return bytes(sent), recorder.text, recorder.usage


async def relay_both(
    api: Api, raw: bytes, reads: Sequence[int], monkeypatch: pytest.MonkeyPatch
) -> tuple[tuple[bytes, str, Any], tuple[bytes, str, Any]]:
    """``relay`` with runs, then with the format finding none (event by event)."""
    with_runs = await relay(api, raw, reads)
    with monkeypatch.context() as patched:
        patched.setattr(FORMATS[api], "text_run", JsonApi.text_run)
        event_by_event = await relay(api, raw, reads)
    return with_runs, event_by_event


@pytest.mark.parametrize("api", [Api.MESSAGES, Api.RESPONSES])
async def test_a_key_split_over_a_run_is_masked_as_event_by_event(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole answer in one read, a key split over its text events: the caller's bytes,
    the recorded text and the usage are those of reading the events one by one, and the
    key is masked."""
    pieces = ["Your ", "key: ", OPENAI_KEY[:9], OPENAI_KEY[9:30], OPENAI_KEY[30:], " keep", " it."]
    raw = answer_bytes(api, pieces)
    (sent, text, usage), by_events = await relay_both(api, raw, [len(raw)], monkeypatch)
    assert (sent, text, usage) == by_events
    assert OPENAI_KEY[9:30].encode() not in sent
    assert text == "Your key: <OPENAI_API_KEY> keep it."
    assert (usage.prompt_tokens, usage.completion_tokens) == (7, 5)


@FUZZ
@given(
    st.sampled_from([Api.MESSAGES, Api.RESPONSES]),
    answers(),
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=40),
    st.lists(st.integers(min_value=1, max_value=3000), min_size=1, max_size=6),
)
async def test_runs_send_and_record_what_event_by_event_does(
    api: Api, answer: tuple[str, list[str]], cuts: list[int], reads: list[int]
) -> None:
    """Any answer (secrets, passwords, prose) in any pieces, read in any bytes: with runs,
    the caller's bytes, the recorded text and the usage are those of the same reads taken
    event by event."""
    raw = answer_bytes(api, split(answer[0], cuts))
    with pytest.MonkeyPatch.context() as monkeypatch:
        with_runs, by_events = await relay_both(api, raw, reads, monkeypatch)
    assert with_runs == by_events


@pytest.mark.parametrize("api", [Api.MESSAGES, Api.RESPONSES])
async def test_a_read_of_a_whole_answer_reads_its_text_events_in_one_step(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read of a 20-word answer: its text events are read by one ``text_run``, none of
    them one by one (``deltas_and_closes``): only the events around them are."""
    fmt = FORMATS[api]
    real = fmt.deltas_and_closes
    read: list[dict[str, Any]] = []

    def counting(self: JsonApi, payload: dict[str, Any]) -> Any:
        read.append(payload)
        return real(self, payload)

    monkeypatch.setattr(fmt, "deltas_and_closes", counting)
    pieces = [f" word{i}" for i in range(20)]
    raw = answer_bytes(api, pieces)
    sent, text, _ = await relay(api, raw, [len(raw)])
    assert text == "".join(pieces)
    assert sent == raw
    text_kinds = {"content_block_delta", "response.output_text.delta"}
    assert [p for p in read if p["type"] in text_kinds] == []
    assert len(read) == len(SSEParser().feed(raw)) - len(pieces)
