"""Secrets outside the prompt's messages are enforced end to end: tool definitions, files.

The default policy through the real proxy, called with the official SDKs, against a fake
upstream that records what reaches it.
"""

from __future__ import annotations

import base64
from typing import Any

import anthropic
import openai
import pytest
import structlog

from detectors.service import ScanService
from policies.inspector import PolicyInspector
from tests.detectors.secret_samples import github_token
from tests.fakes import FakeUpstream
from tests.policies.factories import EMAIL
from tests.policies.pattern_detection import cached_pack
from tests.proxy.conftest import StartProxy

MODEL = "gpt-4o-mini"
CLAUDE = "claude-test-model"
SECRET = github_token()
SCHEMA: dict[str, Any] = {"type": "object", "properties": {"q": {"type": "string"}}}


@pytest.fixture
def inspector(scan_service: ScanService) -> PolicyInspector:
    """The default pack enforced with the real detection service."""
    return PolicyInspector(cached_pack(), scan_service)


def assert_blocked(response_text: str, error: dict[str, Any], fake: FakeUpstream) -> None:
    """A 403 policy_violation naming the token, with nothing sent upstream."""
    assert fake.requests == []
    assert error["code"] == "policy_violation"
    assert error["rules"] == ["block-secrets"]
    assert error["entity_types"] == ["GITHUB_TOKEN"]
    assert SECRET not in response_text


async def assert_part_blocked(client: openai.AsyncOpenAI, part: Any, fake: FakeUpstream) -> None:
    """A chat message carrying ``part`` is refused as :func:`assert_blocked` says."""
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": [part]}]
        )
    assert_blocked(caught.value.response.text, caught.value.response.json()["error"], fake)


async def test_secret_in_a_chat_tool_description_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A token in tools[].function.description gets 403 and never reaches the provider."""
    proxy = await start_proxy(inspector=inspector)
    tool: Any = {
        "type": "function",
        "function": {"name": "lookup", "description": f"Use {SECRET}", "parameters": SCHEMA},
    }
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "hi"}], tools=[tool]
        )
    assert_blocked(caught.value.response.text, caught.value.response.json()["error"], fake)
    assert (proxy.sink.last.status_code, proxy.sink.last.decision) == (403, "block")


async def test_secret_in_a_chat_tool_parameter_name_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A token used as a JSON-schema property name (an object key) is found and blocked."""
    proxy = await start_proxy(inspector=inspector)
    schema = {"type": "object", "properties": {SECRET: {"type": "string"}}}
    tool: Any = {"type": "function", "function": {"name": "lookup", "parameters": schema}}
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "hi"}], tools=[tool]
        )
    assert_blocked(caught.value.response.text, caught.value.response.json()["error"], fake)


async def test_secret_in_an_anthropic_tool_description_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A token in an Anthropic tool's description gets 403 and never reaches the provider."""
    proxy = await start_proxy(inspector=inspector)
    with pytest.raises(anthropic.PermissionDeniedError) as caught:
        await proxy.anthropic().messages.create(
            model=CLAUDE,
            max_tokens=100,
            messages=[{"role": "user", "content": "hi"}],
            tools=[{"name": "lookup", "description": f"Use {SECRET}", "input_schema": SCHEMA}],
        )
    assert_blocked(caught.value.response.text, caught.value.response.json()["error"], fake)


async def test_secret_in_a_responses_tool_description_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A token in a Responses API tool's description gets 403 and never reaches the provider."""
    proxy = await start_proxy(inspector=inspector)
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().responses.create(
            model=MODEL,
            input="hi",
            tools=[
                {
                    "type": "function",
                    "name": "lookup",
                    "description": f"Use {SECRET}",
                    "parameters": SCHEMA,
                    "strict": False,
                }
            ],
        )
    assert_blocked(caught.value.response.text, caught.value.response.json()["error"], fake)


async def test_secret_in_a_base64_text_file_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A token inside a chat file part's base64 text file is decoded, found and blocked."""
    proxy = await start_proxy(inspector=inspector)
    data = base64.b64encode(f"deploy notes\ntoken={SECRET}\n".encode()).decode()
    part: Any = {
        "type": "file",
        "file": {"filename": "notes.txt", "file_data": f"data:text/plain;base64,{data}"},
    }
    await assert_part_blocked(proxy.openai(), part, fake)


TEXT_DATA_URLS = {
    "base64": "data:text/plain;base64,"
    + base64.b64encode(f"deploy notes\ntoken={SECRET}\n".encode()).decode(),
    "percent-encoded": f"data:text/plain,deploy%20notes%0Atoken%3D{SECRET}",
}


async def test_email_in_an_anthropic_text_document_is_pseudonymised_and_re_encoded(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """An address inside a base64 text document reaches the provider as a placeholder."""
    proxy = await start_proxy(inspector=inspector)
    data = base64.b64encode(f"Contact: {EMAIL}\n".encode()).decode()
    source: Any = {"type": "base64", "media_type": "text/plain", "data": data}
    await proxy.anthropic().messages.create(
        model=CLAUDE,
        max_tokens=100,
        messages=[{"role": "user", "content": [{"type": "document", "source": source}]}],
    )
    sent = fake.last.json["messages"][0]["content"][0]["source"]
    assert base64.b64decode(sent["data"]) == b"Contact: <EMAIL_ADDRESS_1>\n"
    assert EMAIL.encode() not in fake.last.body
    assert proxy.sink.last.decision == "pseudonymise"


async def test_email_in_a_tool_description_is_pseudonymised_in_place(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """An address in a tool description is replaced where it stands; the rest is unchanged."""
    proxy = await start_proxy(inspector=inspector)
    description = f"Mail {EMAIL} on Fridays"
    tool: Any = {
        "type": "function",
        "function": {"name": "mail", "description": description, "parameters": SCHEMA},
    }
    await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "hi"}], tools=[tool]
    )
    sent = fake.last.json["tools"][0]["function"]
    assert sent == {**tool["function"], "description": "Mail <EMAIL_ADDRESS_1> on Fridays"}


async def test_secret_sent_as_the_model_name_is_blocked_and_rests_masked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A token in ``model`` (an open register routes any name) gets 403, never reaches the
    provider, and the recorded call and its access line name the model masked."""
    proxy = await start_proxy(inspector=inspector)
    with (
        structlog.testing.capture_logs() as logs,
        pytest.raises(openai.PermissionDeniedError) as caught,
    ):
        await proxy.openai().chat.completions.create(
            model=f"{MODEL} {SECRET}", messages=[{"role": "user", "content": "hi"}]
        )
    assert_blocked(caught.value.response.text, caught.value.response.json()["error"], fake)
    event = proxy.sink.last
    assert event.model.startswith(f"{MODEL} <GITHUB_TOKEN:")
    assert SECRET not in event.upstream_model
    assert SECRET not in repr(logs)


async def test_secret_sent_as_a_tool_call_id_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A token as a tool call's id (echoed in the tool message) never reaches the provider."""
    proxy = await start_proxy(inspector=inspector)
    call: Any = {"id": SECRET, "type": "function", "function": {"name": "f", "arguments": "{}"}}
    messages: Any = [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": SECRET, "content": "ok"},
    ]
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().chat.completions.create(model=MODEL, messages=messages)
    assert_blocked(caught.value.response.text, caught.value.response.json()["error"], fake)


async def test_secret_as_an_anthropic_tool_use_id_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A token as a tool_use block's id (and its tool_result's) never reaches the provider."""
    proxy = await start_proxy(inspector=inspector)
    messages: Any = [
        {"role": "user", "content": "hi"},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": SECRET, "name": "f", "input": {}}],
        },
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": SECRET, "content": "ok"}],
        },
    ]
    with pytest.raises(anthropic.PermissionDeniedError) as caught:
        await proxy.anthropic().messages.create(model=CLAUDE, max_tokens=100, messages=messages)
    assert_blocked(caught.value.response.text, caught.value.response.json()["error"], fake)


async def test_secret_as_the_previous_response_id_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A token as ``previous_response_id`` never reaches the provider."""
    proxy = await start_proxy(inspector=inspector)
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().responses.create(model=MODEL, input="hi", previous_response_id=SECRET)
    assert_blocked(caught.value.response.text, caught.value.response.json()["error"], fake)


PROVIDER_IDS = {
    "chat": "call_Qx7bV2nK9mZp3LrT8wYc4Hd1",
    "anthropic": "toolu_01A09q90qw90lq917835lq9",
    "vllm": "chatcmpl-tool-4f2a9c0b7e1d43a8b6c5d2e1f0a9b8c7",
}


@pytest.mark.parametrize("call_id", PROVIDER_IDS.values(), ids=PROVIDER_IDS.keys())
async def test_provider_issued_tool_call_ids_pass_untouched(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector, call_id: str
) -> None:
    """Ids of the providers' own shapes are not texts: the call goes out exactly as sent."""
    proxy = await start_proxy(inspector=inspector)
    call: Any = {"id": call_id, "type": "function", "function": {"name": "f", "arguments": "{}"}}
    messages: Any = [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": call_id, "content": "ok"},
    ]
    await proxy.openai().chat.completions.create(model=MODEL, messages=messages)
    assert fake.last.json["messages"] == messages
    assert proxy.sink.last.decision == "allow"


CREDENTIAL_URLS = {
    "userinfo": f"https://deploy:{SECRET}@example.com/cat.png",
    "key parameter": f"https://example.com/cat.png?size=2&key={SECRET}",
    "sig without a SAS": f"https://example.com/cat.png?sig={SECRET}",
}


#: Image URLs that carry the token: text in a ``data:`` URL (read as text, not an image),
#: a caller's credential in an attachment URL's userinfo or parameters.
TOKEN_URLS = {
    **TEXT_DATA_URLS,
    **CREDENTIAL_URLS,
    "access_token parameter": f"https://example.com/cat.png?access_token={SECRET}",
}


@pytest.mark.parametrize("url", TOKEN_URLS.values(), ids=TOKEN_URLS.keys())
async def test_secret_in_an_image_url_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector, url: str
) -> None:
    """A token in an image part's URL never reaches the provider."""
    proxy = await start_proxy(inspector=inspector)
    part: Any = {"type": "image_url", "image_url": {"url": url}}
    await assert_part_blocked(proxy.openai(), part, fake)


PRESIGNED_URLS = {
    "s3": "https://bucket.s3.amazonaws.com/cat.png?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261130%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Date=20261130T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host"
    "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
    "gcs": "https://storage.googleapis.com/bucket/cat.png?X-Goog-Algorithm=GOOG4-RSA-SHA256"
    "&X-Goog-Credential=signer%40project.iam.gserviceaccount.com%2F20261130%2Fauto%2Fstorage"
    "%2Fgoog4_request&X-Goog-Date=20261130T181309Z&X-Goog-Expires=900"
    "&X-Goog-SignedHeaders=host&X-Goog-Signature=247a2aa45f169edf4d187d54e7cc46e4731b1e62"
    "73242c4f4c39a1d2507a0e58706e25e3a85a7dbb891d62afa8496def8e260c1db863d9ace85ff0a184b8",
    "azure": "https://acct.blob.core.windows.net/pics/cat.png?sv=2022-11-02&ss=b&srt=co"
    "&sp=rl&se=2026-12-31T00:00:00Z&st=2026-11-30T00:00:00Z&spr=https"
    "&sig=Xk9v3mJ2qL8rT5wZ1yB4nC7dF0hG6jK2lP9sR3uV5xY%3D",
    "cloudfront": "https://d111111abcdef8.cloudfront.net/cat.png?Expires=1300000000"
    "&Signature=nitfHRCrtziwO2HwPfWw~yYDhUF5EwRunQA-j19DzZrvDh6hQ73lDx~-ar3UocvvRQVw6EkC"
    "~GdpGQyyOSKQim-TxAnW7d8F5Kkai9HVx0FIu-5jcQb0UEmatEXAMPLE3ReXySpLSMj0yCd3ZAB4UcBCAqEij"
    "&Key-Pair-Id=K2JCJMDEHXQW5F",
}


@pytest.mark.parametrize("url", PRESIGNED_URLS.values(), ids=PRESIGNED_URLS.keys())
async def test_a_presigned_image_url_passes_untouched(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector, url: str
) -> None:
    """A presigned storage URL's signature is meant for the provider: no finding, sent as is."""
    proxy = await start_proxy(inspector=inspector)
    part: Any = {"type": "image_url", "image_url": {"url": url}}
    await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": [part]}]
    )
    assert fake.last.json["messages"][0]["content"] == [part]
    assert (proxy.sink.last.decision, proxy.sink.last.entity_types) == ("allow", ())
