"""An answer's masked value must not reach the caller through another field that spells the
same text: log probabilities (token by token), reasoning, an audio transcript.

The default pack with the real secrets detector, in front of a fake upstream answering with
hand-made bodies and streams, called with the official OpenAI SDK.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from policies.inspector import PolicyInspector
from tests.fakes import FakeUpstream
from tests.policies.factories import OPENAI_KEY, real_scanner
from tests.policies.pattern_detection import cached_pack
from tests.proxy.conftest import StartProxy

MODEL = "gpt-4o-mini"
ANSWER = f"your key is {OPENAI_KEY} ok"
#: The answer in four-character tokens, as log probabilities list them.
TOKENS = [ANSWER[i : i + 4] for i in range(0, len(ANSWER), 4)]


@pytest.fixture
def inspector() -> PolicyInspector:
    """The default pack with the real secrets detector."""
    return PolicyInspector(cached_pack(), real_scanner())


def _logprob(token: str) -> dict[str, Any]:
    return {"token": token, "logprob": -0.1, "bytes": list(token.encode()), "top_logprobs": []}


def _chunk(choice: dict[str, Any]) -> bytes:
    payload = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": MODEL}
    return f"data: {json.dumps({**payload, 'choices': [choice]})}\n\n".encode()


def _chat_answer(choice: dict[str, Any]) -> bytes:
    """A whole chat completion with one choice, as the provider sends it."""
    body = {"id": "c1", "object": "chat.completion", "created": 1, "model": MODEL}
    return json.dumps(
        {**body, "choices": [{"index": 0, "finish_reason": "stop", **choice}]}
    ).encode()


async def test_streamed_logprobs_do_not_spell_a_masked_key(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A streamed chunk whose content the proxy holds back or masks goes out without its
    logprobs: the tokens never spell the key the content masks."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.raw_content_type = "text/event-stream"
    fake.behaviour.raw_reply = (
        b"".join(
            _chunk(
                {
                    "index": 0,
                    "delta": {"content": token},
                    "logprobs": {"content": [_logprob(token)]},
                    "finish_reason": None,
                }
            )
            for token in TOKENS
        )
        + b"data: [DONE]\n\n"
    )
    stream = await proxy.openai().chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
        logprobs=True,
    )
    content: list[str] = []
    tokens: list[str] = []
    async for chunk in stream:
        for choice in chunk.choices:
            content.append(choice.delta.content or "")
            if choice.logprobs is not None:
                tokens.extend(lp.token for lp in choice.logprobs.content or ())
    assert "".join(content) == "your key is <OPENAI_API_KEY> ok"
    assert OPENAI_KEY[4:20] not in "".join(tokens)
    assert not any(token in OPENAI_KEY for token in tokens)
    assert tokens[:2] == TOKENS[:2]  # prose before the key keeps its logprobs


async def test_logprobs_of_a_masked_answer_do_not_spell_the_key(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A whole answer whose content is masked goes out without that choice's logprobs."""
    proxy = await start_proxy(inspector=inspector)
    message = {"role": "assistant", "content": ANSWER}
    logprobs = {"content": [_logprob(token) for token in TOKENS]}
    fake.behaviour.raw_reply = _chat_answer({"message": message, "logprobs": logprobs})
    reply = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "hi"}], logprobs=True
    )
    choice = reply.choices[0]
    assert choice.message.content == "your key is <OPENAI_API_KEY> ok"
    assert choice.logprobs is None
    assert OPENAI_KEY[4:20] not in proxy.sink.last.response


#: Where OpenAI-compatible providers put a reasoning model's thinking in a chat answer
#: (DeepSeek and vLLM ``reasoning_content``; OpenRouter, Groq and newer vLLM ``reasoning``).
REASONING_FIELDS = ["reasoning_content", "reasoning"]


@pytest.mark.parametrize("field", REASONING_FIELDS)
async def test_streamed_reasoning_is_inspected(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector, field: str
) -> None:
    """A key in a reasoning model's streamed thinking reaches the caller masked."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.raw_content_type = "text/event-stream"
    fake.behaviour.raw_reply = (
        b"".join(
            _chunk({"index": 0, "delta": {field: token}, "finish_reason": None}) for token in TOKENS
        )
        + b"data: [DONE]\n\n"
    )
    stream = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "hi"}], stream=True
    )
    thought = [
        (choice.delta.model_extra or {}).get(field) or ""
        async for chunk in stream
        for choice in chunk.choices
    ]
    assert "".join(thought) == "your key is <OPENAI_API_KEY> ok"
    assert proxy.sink.last.entity_types == ("OPENAI_API_KEY",)


@pytest.mark.parametrize("field", REASONING_FIELDS)
async def test_reasoning_of_a_whole_answer_is_inspected(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector, field: str
) -> None:
    """A key in a whole answer's reasoning reaches the caller masked."""
    proxy = await start_proxy(inspector=inspector)
    message = {"role": "assistant", "content": "done", field: ANSWER}
    fake.behaviour.raw_reply = _chat_answer({"message": message})
    reply = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "hi"}]
    )
    extra = reply.choices[0].message.model_extra or {}
    assert extra[field] == "your key is <OPENAI_API_KEY> ok"
    assert OPENAI_KEY not in proxy.sink.last.response


def _event(kind: str, **fields: Any) -> bytes:
    return f"event: {kind}\ndata: {json.dumps({'type': kind, **fields})}\n\n".encode()


async def test_streamed_anthropic_thinking_is_inspected(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A key in Claude's streamed extended thinking reaches the caller masked."""
    proxy = await start_proxy(inspector=inspector)
    message = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-x"}
    usage = {"input_tokens": 1, "output_tokens": 1}
    block = {"type": "thinking", "thinking": "", "signature": ""}
    kind = "thinking_delta"
    fake.behaviour.raw_content_type = "text/event-stream"
    fake.behaviour.raw_reply = b"".join(
        [
            _event("message_start", message={**message, "content": [], "usage": usage}),
            _event("content_block_start", index=0, content_block=block),
            *(
                _event("content_block_delta", index=0, delta={"type": kind, "thinking": t})
                for t in TOKENS
            ),
            _event("content_block_stop", index=0),
            _event("message_delta", delta={"stop_reason": "end_turn"}, usage={"output_tokens": 3}),
            _event("message_stop"),
        ]
    )
    thought: list[str] = []
    async with proxy.anthropic().messages.stream(
        model="claude-x", max_tokens=5, messages=[{"role": "user", "content": "hi"}]
    ) as stream:
        async for event in stream:
            if event.type == "content_block_delta" and event.delta.type == "thinking_delta":
                thought.append(event.delta.thinking)
    assert "".join(thought) == "your key is <OPENAI_API_KEY> ok"
    assert proxy.sink.last.entity_types == ("OPENAI_API_KEY",)


async def test_anthropic_thinking_of_a_whole_answer_is_inspected(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A key in a whole Claude answer's thinking block reaches the caller masked."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.raw_reply = json.dumps(
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude-x",
            "content": [
                {"type": "thinking", "thinking": ANSWER, "signature": "c2ln"},
                {"type": "text", "text": "done"},
            ],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 1, "output_tokens": 1},
        }
    ).encode()
    reply = await proxy.anthropic().messages.create(
        model="claude-x", max_tokens=5, messages=[{"role": "user", "content": "hi"}]
    )
    thinking = reply.content[0]
    assert thinking.type == "thinking"
    assert thinking.thinking == "your key is <OPENAI_API_KEY> ok"
    assert OPENAI_KEY not in proxy.sink.last.response


def _responses_events(*events: tuple[str, dict[str, Any]]) -> bytes:
    return b"".join(
        _event(kind, sequence_number=n, **fields) for n, (kind, fields) in enumerate(events)
    )


def _summary_item(text: str) -> dict[str, Any]:
    return {"id": "rs_1", "type": "reasoning", "summary": [{"type": "summary_text", "text": text}]}


def _response(output: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "resp_1",
        "object": "response",
        "created_at": 1,
        "status": "completed",
        "model": MODEL,
        "output": output,
        "usage": {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2},
    }


STREAMED_RESPONSES = {
    "refusal": [
        *(
            (
                "response.refusal.delta",
                {"item_id": "msg_1", "output_index": 0, "content_index": 0, "delta": t},
            )
            for t in TOKENS
        ),
        (
            "response.refusal.done",
            {"item_id": "msg_1", "output_index": 0, "content_index": 0, "refusal": ANSWER},
        ),
    ],
    "reasoning-summary": [
        *(
            (
                "response.reasoning_summary_text.delta",
                {"item_id": "rs_1", "output_index": 0, "summary_index": 0, "delta": t},
            )
            for t in TOKENS
        ),
        (
            "response.reasoning_summary_text.done",
            {"item_id": "rs_1", "output_index": 0, "summary_index": 0, "text": ANSWER},
        ),
        ("response.output_item.done", {"output_index": 0, "item": _summary_item(ANSWER)}),
        ("response.completed", {"response": _response([_summary_item(ANSWER)])}),
    ],
}


@pytest.mark.parametrize("events", STREAMED_RESPONSES.values(), ids=STREAMED_RESPONSES.keys())
async def test_streamed_responses_refusals_and_summaries_are_inspected(
    start_proxy: StartProxy,
    fake: FakeUpstream,
    inspector: PolicyInspector,
    events: list[tuple[str, dict[str, Any]]],
) -> None:
    """A key in a Responses stream's refusal or reasoning summary reaches the caller masked,
    in its deltas and in the events that repeat the whole text."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.raw_content_type = "text/event-stream"
    fake.behaviour.raw_reply = _responses_events(*events)
    stream = await proxy.openai().responses.create(model=MODEL, input="hi", stream=True)
    got = [event async for event in stream]
    deltas = "".join(getattr(event, "delta", "") for event in got if event.type.endswith(".delta"))
    assert deltas == "your key is <OPENAI_API_KEY> ok"
    assert not any(OPENAI_KEY[4:20] in event.model_dump_json() for event in got)
    assert proxy.sink.last.entity_types == ("OPENAI_API_KEY",)


async def test_reasoning_summary_of_a_whole_response_is_inspected(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A key in a whole response's reasoning summary reaches the caller masked."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.raw_reply = json.dumps(_response([_summary_item(ANSWER)])).encode()
    reply = await proxy.openai().responses.create(model=MODEL, input="hi")
    assert reply.output[0].model_dump()["summary"][0]["text"] == "your key is <OPENAI_API_KEY> ok"
    assert OPENAI_KEY not in proxy.sink.last.response


async def test_audio_transcript_of_a_whole_answer_is_inspected(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A key in an audio answer's transcript never reaches the caller or the row in clear,
    and the speech of a masked transcript goes out empty: it would say the key aloud."""
    proxy = await start_proxy(inspector=inspector)
    audio = {"id": "audio_1", "data": "AAAA", "transcript": ANSWER, "expires_at": 1}
    message = {"role": "assistant", "content": None, "audio": audio}
    fake.behaviour.raw_reply = _chat_answer({"message": message})
    reply = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "hi"}]
    )
    assert OPENAI_KEY not in reply.model_dump_json()
    audio_out = reply.choices[0].message.audio
    assert audio_out is not None
    assert (audio_out.transcript, audio_out.data) == ("your key is <OPENAI_API_KEY> ok", "")
    assert OPENAI_KEY not in proxy.sink.last.response


async def test_audio_of_a_clean_transcript_goes_out_whole(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """An audio answer with nothing to mask keeps its speech."""
    proxy = await start_proxy(inspector=inspector)
    audio = {"id": "audio_1", "data": "AAAA", "transcript": "all good", "expires_at": 1}
    message = {"role": "assistant", "content": None, "audio": audio}
    fake.behaviour.raw_reply = _chat_answer({"message": message})
    reply = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "hi"}]
    )
    audio_out = reply.choices[0].message.audio
    assert audio_out is not None
    assert (audio_out.transcript, audio_out.data) == ("all good", "AAAA")
