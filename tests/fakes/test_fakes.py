"""Checks that the official SDKs parse the fake upstream's answers and that it records requests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Literal

import aiohttp
import anthropic
import openai
import pytest
from anthropic.types import MessageParam
from openai.types.chat import ChatCompletionMessageParam

from .upstream import Behaviour, FakeUpstream, TokenUsage

PROMPT: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Say hi"}]
CLAUDE_PROMPT: list[MessageParam] = [{"role": "user", "content": "Say hi"}]


@pytest.fixture
async def fake() -> AsyncIterator[FakeUpstream]:
    """Serve a fresh fake upstream for one test."""
    async with FakeUpstream() as upstream:
        yield upstream


@pytest.fixture
async def oai(fake: FakeUpstream) -> AsyncIterator[openai.AsyncOpenAI]:
    """Return an async OpenAI client pointed at the fake."""
    async with openai.AsyncOpenAI(
        base_url=f"{fake.url}/v1", api_key="sk-test", max_retries=0
    ) as client:
        yield client


@pytest.fixture
async def claude(fake: FakeUpstream) -> AsyncIterator[anthropic.AsyncAnthropic]:
    """Return an async Anthropic client pointed at the fake."""
    async with anthropic.AsyncAnthropic(
        base_url=fake.url, api_key="sk-ant-test", max_retries=0
    ) as client:
        yield client


async def test_chat_completion_is_parsed_and_recorded(
    fake: FakeUpstream, oai: openai.AsyncOpenAI
) -> None:
    """A chat completion parses with text and usage, and the request is recorded with its key."""
    fake.behaviour.usage = TokenUsage(prompt_tokens=7, completion_tokens=3)
    result = await oai.chat.completions.create(model="gpt-x", messages=PROMPT)
    assert result.choices[0].message.content == "Hello from the fake"
    assert result.model == "gpt-x"
    assert result.usage is not None
    assert (result.usage.prompt_tokens, result.usage.total_tokens) == (7, 10)
    assert fake.last.method == "POST"
    assert fake.last.path == "/v1/chat/completions"
    assert fake.last.headers["Authorization"] == "Bearer sk-test"
    assert fake.last.json["messages"] == PROMPT


async def test_chat_stream_yields_words_then_usage(
    fake: FakeUpstream, oai: openai.AsyncOpenAI
) -> None:
    """A chat stream sends role, word deltas, a finish reason and a usage chunk when asked."""
    stream = await oai.chat.completions.create(
        model="gpt-x",
        messages=PROMPT,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [chunk async for chunk in stream]
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Hello from the fake"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == fake.behaviour.usage.completion_tokens


async def test_sync_client_in_a_thread(fake: FakeUpstream) -> None:
    """The sync OpenAI client, run off the loop, parses a streamed chat completion."""

    def call() -> str:
        with openai.OpenAI(base_url=f"{fake.url}/v1", api_key="sk-sync") as client:
            stream = client.chat.completions.create(
                model="gpt-x",
                messages=PROMPT,
                stream=True,
            )
            return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)

    fake.behaviour.chunks = ["Hi", " there"]
    assert await asyncio.to_thread(call) == "Hi there"
    assert fake.last.headers["Authorization"] == "Bearer sk-sync"


async def test_text_completion_plain_and_streamed(oai: openai.AsyncOpenAI) -> None:
    """Legacy completions parse both as one object and as a stream."""
    plain = await oai.completions.create(model="gpt-x", prompt="Say hi")
    assert plain.choices[0].text == "Hello from the fake"
    stream = await oai.completions.create(model="gpt-x", prompt="Say hi", stream=True)
    assert "".join([c.choices[0].text async for c in stream if c.choices]) == plain.choices[0].text


@pytest.mark.parametrize("encoding_format", [None, "float", "base64"])
async def test_embeddings_decode_in_every_format(
    fake: FakeUpstream,
    oai: openai.AsyncOpenAI,
    encoding_format: Literal["float", "base64"] | None,
) -> None:
    """Embeddings come back as float vectors, or as base64 when asked for explicitly."""
    result = await oai.embeddings.create(
        model="text-embedding-x", input=["a", "b"], encoding_format=encoding_format or openai.omit
    )
    assert [item.index for item in result.data] == [0, 1]
    if encoding_format != "base64":  # the SDK leaves an explicitly requested base64 as is
        assert len(result.data[0].embedding) == 8
        assert all(-1 <= value < 1 for value in result.data[0].embedding)
        assert result.data[0].embedding != result.data[1].embedding
    # The SDK asks for base64 unless told otherwise.
    assert fake.last.json["encoding_format"] == (encoding_format or "base64")


async def test_responses_plain_and_streamed(oai: openai.AsyncOpenAI) -> None:
    """The Responses API parses whole, through the stream helper, and as raw events."""
    plain = await oai.responses.create(model="gpt-x", input="Say hi")
    assert plain.output_text == "Hello from the fake"
    assert plain.usage is not None
    assert plain.usage.total_tokens == 17
    async with oai.responses.stream(model="gpt-x", input="Say hi") as stream:
        deltas = [
            event.delta async for event in stream if event.type == "response.output_text.delta"
        ]
        final = await stream.get_final_response()
    assert "".join(deltas) == final.output_text == "Hello from the fake"
    raw = await oai.responses.create(model="gpt-x", input="Say hi", stream=True)
    types = [event.type async for event in raw]
    assert types[0] == "response.created"
    assert types[-1] == "response.completed"


async def test_models_are_listed_per_family(
    oai: openai.AsyncOpenAI, claude: anthropic.AsyncAnthropic
) -> None:
    """Both SDKs list models in their own shape from the same route."""
    assert "gpt-fake" in [model.id async for model in oai.models.list()]
    assert "claude-fake" in [model.id async for model in claude.models.list()]


async def test_other_paths_are_echoed_and_recorded(fake: FakeUpstream) -> None:
    """Any other /v1 path answers with its method and path and is recorded with its query."""
    async with (
        aiohttp.ClientSession() as session,
        session.delete(f"{fake.url}/v1/files/f-1?purpose=x") as response,
    ):
        assert await response.json() == {
            "method": "DELETE",
            "path": "/v1/files/f-1",
            "query": {"purpose": "x"},
        }
    assert fake.last.query == {"purpose": "x"}
    assert fake.last.json is None


async def test_azure_deployment_route(fake: FakeUpstream) -> None:
    """The Azure OpenAI client reaches the deployment route, recorded with api-version and key."""
    async with openai.AsyncAzureOpenAI(
        azure_endpoint=fake.url, api_version="2024-06-01", api_key="az-key", max_retries=0
    ) as client:
        result = await client.chat.completions.create(model="my-deploy", messages=PROMPT)
    assert result.choices[0].message.content == "Hello from the fake"
    assert fake.last.path == "/openai/deployments/my-deploy/chat/completions"
    assert fake.last.query == {"api-version": "2024-06-01"}
    assert fake.last.headers["api-key"] == "az-key"


async def test_anthropic_message_plain_and_streamed(
    fake: FakeUpstream, claude: anthropic.AsyncAnthropic
) -> None:
    """Anthropic messages parse whole and through the stream helper, with usage and the key."""
    plain = await claude.messages.create(model="claude-x", max_tokens=50, messages=CLAUDE_PROMPT)
    assert plain.content[0].type == "text"
    assert plain.content[0].text == "Hello from the fake"
    assert (plain.usage.input_tokens, plain.usage.output_tokens) == (12, 5)
    # This SDK version sends api_key as a bearer token, not as x-api-key.
    assert fake.last.headers["Authorization"] == "Bearer sk-ant-test"
    assert fake.last.headers["anthropic-version"]
    async with claude.messages.stream(
        model="claude-x",
        max_tokens=50,
        messages=CLAUDE_PROMPT,
    ) as stream:
        text = "".join([piece async for piece in stream.text_stream])
        final = await stream.get_final_message()
    assert text == "Hello from the fake"
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens == 5


async def test_status_override_uses_each_family_error_shape(
    fake: FakeUpstream, oai: openai.AsyncOpenAI, claude: anthropic.AsyncAnthropic
) -> None:
    """A status override reaches each SDK as its typed error with the configured message."""
    fake.behaviour = Behaviour(status=429, error_message="slow down")
    with pytest.raises(openai.RateLimitError) as openai_error:
        await oai.chat.completions.create(model="gpt-x", messages=PROMPT)
    assert openai_error.value.body == {
        "message": "slow down",
        "type": "rate_limit_exceeded",
        "code": None,
        "param": None,
    }
    with pytest.raises(anthropic.RateLimitError) as anthropic_error:
        await claude.messages.create(model="claude-x", max_tokens=5, messages=CLAUDE_PROMPT)
    assert anthropic_error.value.body == {
        "type": "error",
        "error": {"type": "rate_limit_error", "message": "slow down"},
    }
    assert len(fake.requests) == 2


async def test_echo_prompt_replies_with_last_user_text(
    fake: FakeUpstream, oai: openai.AsyncOpenAI, claude: anthropic.AsyncAnthropic
) -> None:
    """With echo_prompt the reply is the text of the last user message, parts included."""
    fake.behaviour.echo_prompt = True
    text = "Call Jane Doe on 555 0100"
    chat = await oai.chat.completions.create(
        model="gpt-x",
        messages=[
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "ok"},
            {"role": "user", "content": [{"type": "text", "text": text}]},
        ],
    )
    assert chat.choices[0].message.content == text
    message = await claude.messages.create(
        model="claude-x",
        max_tokens=5,
        messages=[
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "ok"},
            {"role": "user", "content": [{"type": "text", "text": text}]},
        ],
    )
    assert message.content[0].type == "text"
    assert message.content[0].text == text


async def test_gzip_replies_are_compressed_and_parsed(
    fake: FakeUpstream, oai: openai.AsyncOpenAI
) -> None:
    """With gzip on, replies carry Content-Encoding gzip and still parse."""
    fake.behaviour.gzip = True
    result = await oai.chat.completions.with_raw_response.create(model="gpt-x", messages=PROMPT)
    assert result.headers["content-encoding"] == "gzip"
    assert result.parse().choices[0].message.content == "Hello from the fake"


async def test_delay_before_headers(oai: openai.AsyncOpenAI, fake: FakeUpstream) -> None:
    """The delay knob holds the response headers back."""
    fake.behaviour.delay_before_headers = 0.2
    started = time.monotonic()
    await oai.models.list()
    assert time.monotonic() - started >= 0.2


async def test_hold_after_first_chunk_releases_the_rest(fake: FakeUpstream) -> None:
    """A held stream sends its first text, then the rest once the test sets the event."""
    release = asyncio.Event()
    fake.behaviour.hold_after_first_chunk = release
    body = {"model": "gpt-x", "messages": PROMPT, "stream": True}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{fake.url}/v1/chat/completions", json=body) as response,
    ):
        seen = b""
        while b"Hello" not in seen:
            seen += await response.content.readany()
        assert b"[DONE]" not in seen
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(response.content.readany(), 0.1)
        release.set()
        seen += await response.content.read()
    assert seen.endswith(b"data: [DONE]\n\n")
    assert not fake.behaviour.stream_cancelled.is_set()


async def test_client_disconnect_sets_stream_cancelled(fake: FakeUpstream) -> None:
    """Dropping a held stream sets stream_cancelled; the x-api-key header is recorded."""
    fake.behaviour.hold_after_first_chunk = asyncio.Event()
    body = {"model": "claude-x", "max_tokens": 5, "messages": PROMPT, "stream": True}
    async with aiohttp.ClientSession(headers={"x-api-key": "sk-ant-raw"}) as session:
        response = await session.post(f"{fake.url}/v1/messages", json=body)
        assert b"event: message_start" in await response.content.readany()
        response.close()
    await asyncio.wait_for(fake.behaviour.stream_cancelled.wait(), 2)
    assert fake.last.headers["x-api-key"] == "sk-ant-raw"


async def test_clear_and_last(fake: FakeUpstream, oai: openai.AsyncOpenAI) -> None:
    """clear() forgets requests and last then has nothing to return."""
    await oai.models.list()
    assert fake.last.path == "/v1/models"
    fake.clear()
    assert fake.requests == []
    with pytest.raises(LookupError):
        _ = fake.last
