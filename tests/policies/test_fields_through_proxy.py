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
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": [part]}]
        )
    assert_blocked(caught.value.response.text, caught.value.response.json()["error"], fake)


TEXT_DATA_URLS = {
    "base64": "data:text/plain;base64,"
    + base64.b64encode(f"deploy notes\ntoken={SECRET}\n".encode()).decode(),
    "percent-encoded": f"data:text/plain,deploy%20notes%0Atoken%3D{SECRET}",
}


@pytest.mark.parametrize("url", TEXT_DATA_URLS.values(), ids=TEXT_DATA_URLS.keys())
async def test_secret_in_a_text_data_url_of_an_image_part_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector, url: str
) -> None:
    """A ``data:`` URL in an image part that holds text, not an image, is read as text."""
    proxy = await start_proxy(inspector=inspector)
    part: Any = {"type": "image_url", "image_url": {"url": url}}
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": [part]}]
        )
    assert_blocked(caught.value.response.text, caught.value.response.json()["error"], fake)


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


@pytest.mark.xfail(
    strict=True,
    reason="h131: ids (id, *_id) are exempt from inspection (wire.apis.walk), and a "
    "caller may choose a tool call's id; inspecting them changes every chat with tool "
    "calls (one more text per id) and is left for the issue",
)
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


@pytest.mark.xfail(
    strict=True,
    reason="h131: http(s) attachment URLs are not inspected; read as text, presigned "
    "S3, GCS and Azure URLs (meant for the provider) are all flagged as secrets, so a "
    "URL-aware rule (userinfo, key-like query parameters) is left for the issue",
)
async def test_secret_in_an_image_url_query_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A token in an image URL's query string never reaches the provider."""
    proxy = await start_proxy(inspector=inspector)
    url = f"https://example.com/cat.png?access_token={SECRET}"
    part: Any = {"type": "image_url", "image_url": {"url": url}}
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": [part]}]
        )
    assert_blocked(caught.value.response.text, caught.value.response.json()["error"], fake)
