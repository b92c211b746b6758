"""Pass-through endpoints' JSON bodies are inspected too: a secret in an image prompt, a
token count request or an Anthropic message batch is blocked before the provider."""

from __future__ import annotations

import aiohttp
import anthropic
import openai
import orjson
import pytest
from anthropic.types.message_create_params import MessageCreateParamsNonStreaming

from policies.inspector import PolicyInspector
from tests.fakes import FakeUpstream
from tests.policies.factories import OPENAI_KEY, real_scanner
from tests.policies.pattern_detection import cached_pack
from tests.proxy.conftest import StartProxy

CLAUDE = "claude-3-5-haiku-latest"


@pytest.fixture
def inspector() -> PolicyInspector:
    """The default pack with the real secrets detector."""
    return PolicyInspector(cached_pack(), real_scanner())


async def test_secret_in_an_image_prompt_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """``/v1/images/generations`` is a pass-through path, and its prompt is still read."""
    proxy = await start_proxy(inspector=inspector)
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().images.generate(model="dall-e-3", prompt=f"draw {OPENAI_KEY}")
    assert caught.value.response.json()["error"]["entity_types"] == ["OPENAI_API_KEY"]
    assert fake.requests == []


async def test_secret_in_anthropic_token_counting_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """Counting tokens sends the whole prompt to Anthropic: it is inspected like a call."""
    proxy = await start_proxy(inspector=inspector)
    with pytest.raises(anthropic.PermissionDeniedError):
        await proxy.anthropic().messages.count_tokens(
            model=CLAUDE, messages=[{"role": "user", "content": f"key {OPENAI_KEY}"}]
        )
    assert fake.requests == []


async def test_secret_in_an_anthropic_message_batch_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A message batch holds whole requests; a secret in any of them blocks the batch."""
    proxy = await start_proxy(inspector=inspector)
    clean: MessageCreateParamsNonStreaming = {
        "model": CLAUDE,
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "hi"}],
    }
    leaky: MessageCreateParamsNonStreaming = {
        **clean,
        "messages": [{"role": "user", "content": f"key {OPENAI_KEY}"}],
    }
    with pytest.raises(anthropic.PermissionDeniedError):
        await proxy.anthropic().messages.batches.create(
            requests=[
                {"custom_id": "a", "params": clean},
                {"custom_id": "b", "params": leaky},
            ]
        )
    assert fake.requests == []


async def test_clean_pass_through_body_is_forwarded(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A prompt with nothing to find still reaches the provider unchanged."""
    proxy = await start_proxy(inspector=inspector)
    await proxy.openai().with_raw_response.images.generate(model="dall-e-3", prompt="a cat")
    assert fake.last.path == "/v1/images/generations"
    assert fake.last.json["prompt"] == "a cat"


#: Content types a pass-through JSON body may be sent with that still reach a provider as
#: JSON: servers built on FastAPI (vLLM, LiteLLM, most OpenAI-compatible ones) parse a body
#: with no Content-Type, or any ``application/*+json``, as JSON.
UNDECLARED_JSON = {
    "no-content-type": None,
    "text-plain": "text/plain",
    "form-urlencoded (curl -d)": "application/x-www-form-urlencoded",
    "merge-patch+json": "application/merge-patch+json",
}


@pytest.mark.parametrize("content_type", UNDECLARED_JSON.values(), ids=UNDECLARED_JSON.keys())
async def test_json_body_without_a_json_content_type_is_inspected(
    start_proxy: StartProxy,
    fake: FakeUpstream,
    inspector: PolicyInspector,
    content_type: str | None,
) -> None:
    """A pass-through JSON body is read as JSON whatever its Content-Type says."""
    proxy = await start_proxy(inspector=inspector)
    body = orjson.dumps({"model": "dall-e-3", "prompt": f"draw {OPENAI_KEY}"})
    headers = {"Authorization": "Bearer sk-caller"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    async with (
        aiohttp.ClientSession(skip_auto_headers=["Content-Type"]) as session,
        session.post(f"{proxy.url}/v1/images/generations", data=body, headers=headers) as sent,
    ):
        error = (await sent.json())["error"]
    assert (sent.status, error["entity_types"]) == (403, ["OPENAI_API_KEY"])
    assert fake.requests == []


async def test_multipart_body_of_another_subtype_is_inspected(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A ``multipart/mixed`` upload's text fields are read like ``multipart/form-data``'s."""
    proxy = await start_proxy(inspector=inspector)
    form = aiohttp.FormData({"model": "whisper-1", "prompt": f"key {OPENAI_KEY}"})
    form.add_field("file", b"ID3\x00\x01", filename="a.mp3", content_type="audio/mpeg")
    writer = form()
    content_type = writer.headers["Content-Type"].replace("form-data", "mixed")
    body = await _bytes_of(writer)
    headers = {"Authorization": "Bearer sk-caller", "Content-Type": content_type}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{proxy.url}/v1/audio/transcriptions", data=body, headers=headers) as sent,
    ):
        assert sent.status == 403
    assert fake.requests == []


async def test_opaque_pass_through_body_is_forwarded_as_sent(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A body that is neither JSON nor multipart still reaches the provider byte for byte."""
    proxy = await start_proxy(inspector=inspector)
    body = b"\x89PNG\r\n\x1a\n\x00\x00binary"
    headers = {"Authorization": "Bearer sk-caller", "Content-Type": "application/octet-stream"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{proxy.url}/v1/uploads/up_1/parts", data=body, headers=headers) as sent,
    ):
        assert sent.status == 200
    assert fake.last.body == body


async def _bytes_of(writer: aiohttp.payload.Payload) -> bytes:
    """The bytes a multipart writer sends."""
    chunks: list[bytes] = []

    class _Sink:
        async def write(self, chunk: bytes) -> None:
            chunks.append(bytes(chunk))

    await writer.write(_Sink())  # type: ignore[arg-type]
    return b"".join(chunks)
