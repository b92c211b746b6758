"""Every endpoint through the official SDKs, in zero-config pass-through mode."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY, StartProxy


async def test_chat_completion_reaches_upstream_and_answers(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A chat completion is relayed to the upstream and its answer back to the SDK."""
    proxy = await start_proxy()
    reply = await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
    )
    assert reply.choices[0].message.content == "Hello from the fake"
    assert fake.last.path == "/v1/chat/completions"
    assert fake.last.json["messages"] == [{"role": "user", "content": "hi"}]
    event = proxy.sink.last
    assert (event.endpoint, event.model, event.provider, event.status_code) == (
        "/v1/chat/completions",
        "gpt-4o-mini",
        "openai",
        200,
    )
    assert (event.prompt_tokens, event.completion_tokens) == (12, 5)
    assert event.decision == "allow"
    assert '"hi"' in event.prompt
    assert "Hello from the fake" in event.response


async def test_streamed_chat_is_assembled_and_counted(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A streamed chat reaches the SDK whole; the event holds the assembled text and usage."""
    proxy = await start_proxy()
    stream = await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    pieces = [c.choices[0].delta.content async for c in stream if c.choices]
    assert "".join(p for p in pieces if p) == "Hello from the fake"
    event = proxy.sink.last
    assert event.stream is True
    assert event.response == "Hello from the fake"
    assert (event.prompt_tokens, event.completion_tokens) == (12, 5)


async def test_usage_chunk_added_for_accounting_is_not_shown_to_the_caller(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """The proxy asks for stream usage, but a caller who did not sees no usage chunk."""
    proxy = await start_proxy()
    stream = await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    chunks = [chunk async for chunk in stream]
    assert fake.last.json["stream_options"] == {"include_usage": True}
    assert all(chunk.usage is None for chunk in chunks)


async def test_usage_chunk_kept_when_the_caller_asked_for_it(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A caller that asked for stream usage still gets its usage chunk."""
    proxy = await start_proxy()
    stream = await proxy.openai().chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [chunk async for chunk in stream]
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == 5


async def test_sync_client_streams_through_the_proxy(start_proxy: StartProxy) -> None:
    """The synchronous OpenAI client streams through the proxy too."""
    proxy = await start_proxy()

    def run() -> str:
        stream = proxy.openai_sync().chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True
        )
        return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)

    assert await asyncio.to_thread(run) == "Hello from the fake"


async def test_completions_embeddings_and_responses(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """Legacy completions, embeddings and the Responses API are all relayed and recorded."""
    proxy = await start_proxy()
    client = proxy.openai()
    completion = await client.completions.create(model="gpt-3.5-turbo-instruct", prompt="Say hi")
    assert completion.choices[0].text == "Hello from the fake"
    embedding = await client.embeddings.create(model="text-embedding-3-small", input="hello")
    assert len(embedding.data[0].embedding) == 8
    response = await client.responses.create(model="gpt-4o-mini", input="hi")
    assert response.output_text == "Hello from the fake"
    assert [e.endpoint for e in proxy.sink.events] == [
        "/v1/completions",
        "/v1/embeddings",
        "/v1/responses",
    ]
    assert all(e.status_code == 200 for e in proxy.sink.events)


async def test_streamed_responses_api(start_proxy: StartProxy) -> None:
    """A streamed Responses API call is relayed and its text and usage recorded."""
    proxy = await start_proxy()
    stream = await proxy.openai().responses.create(model="gpt-4o-mini", input="hi", stream=True)
    kinds = [event.type async for event in stream]
    assert kinds[-1] == "response.completed"
    assert proxy.sink.last.response == "Hello from the fake"
    assert proxy.sink.last.completion_tokens == 5


async def test_models_list_in_an_open_register_comes_from_upstream(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """With no register configured, the model list is the provider's."""
    proxy = await start_proxy()
    models = [m.id async for m in proxy.openai().models.list()]
    assert models
    assert fake.last.path == "/v1/models"


@pytest.mark.parametrize("stream", [False, True])
async def test_anthropic_messages(
    start_proxy: StartProxy, fake: FakeUpstream, stream: bool
) -> None:
    """The Anthropic Messages API goes to the Anthropic upstream, streamed or not."""
    proxy = await start_proxy()
    client = proxy.anthropic()
    if stream:
        async with client.messages.stream(
            model="claude-test-model", max_tokens=50, messages=[{"role": "user", "content": "hi"}]
        ) as s:
            text = await s.get_final_text()
    else:
        message = await client.messages.create(
            model="claude-test-model", max_tokens=50, messages=[{"role": "user", "content": "hi"}]
        )
        text = message.content[0].text  # type: ignore[union-attr]
    assert text == "Hello from the fake"
    assert fake.last.path == "/v1/messages"
    event = proxy.sink.last
    assert (event.provider, event.stream, event.response) == (
        "anthropic",
        stream,
        text if stream else event.response,
    )
    assert (event.prompt_tokens, event.completion_tokens) == (12, 5)


async def test_other_v1_paths_pass_through(start_proxy: StartProxy, fake: FakeUpstream) -> None:
    """Paths the proxy has no special handling for are relayed and logged."""
    proxy = await start_proxy()
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{proxy.url}/v1/files?purpose=batch",
            headers={"Authorization": f"Bearer {CALLER_KEY}"},
        ) as response,
    ):
        assert response.status == 200
        body = await response.json()
    assert body["path"] == "/v1/files"
    assert fake.last.query == {"purpose": "batch"}
    assert proxy.sink.last.endpoint == "/v1/files"


async def test_every_response_carries_the_event_id(start_proxy: StartProxy) -> None:
    """x-request-id on the answer is the id of the recorded event."""
    proxy = await start_proxy()
    raw = await proxy.openai().chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
    )
    assert raw.headers["x-request-id"] == proxy.sink.last.request_id
    assert len(proxy.sink.last.request_id) == 32
