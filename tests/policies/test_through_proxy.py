"""The policy end to end through the proxy, with the official SDKs and a recording fake."""

from __future__ import annotations

import json

import aiohttp
import openai
import pytest

from detectors.service import ScanService
from policies.inspector import PolicyInspector
from tests.fakes import FakeUpstream
from tests.policies.factories import AWS_KEY, EMAIL, OPENAI_KEY, policy
from tests.policies.pattern_detection import cached_pack
from tests.proxy.conftest import CALLER_KEY, StartProxy

MODEL = "gpt-4o-mini"


@pytest.fixture
def inspector(scan_service: ScanService) -> PolicyInspector:
    """The default pack enforced with the real detection service."""
    return PolicyInspector(cached_pack(), scan_service)


async def test_blocked_secret_never_reaches_the_provider(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A prompt with a secret gets 403 policy_violation and is never sent upstream."""
    proxy = await start_proxy(inspector=inspector)
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": f"use key {OPENAI_KEY} please"}]
        )
    assert fake.requests == []
    error = caught.value.response.json()["error"]
    assert error["code"] == "policy_violation"
    assert error["rules"] == ["block-secrets"]
    assert error["entity_types"] == ["OPENAI_API_KEY"]
    assert OPENAI_KEY not in caught.value.response.text
    assert "acceptable-use policy" in error["message"]
    event = proxy.sink.last
    assert (event.status_code, event.decision) == (403, "block")


async def test_blocked_call_event_carries_rules_and_entity_types(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """The event of a blocked call records the blocking rule and entity types."""
    proxy = await start_proxy(inspector=inspector)
    with pytest.raises(openai.PermissionDeniedError):
        await proxy.openai().chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": f"key {OPENAI_KEY}"}]
        )
    event = proxy.sink.last
    assert event.rules == ("block-secrets",)
    assert event.entity_types == ("OPENAI_API_KEY",)


async def test_pseudonymised_email_goes_upstream_as_placeholder_and_comes_back(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """The provider sees <EMAIL_ADDRESS_1>; the caller gets the real address back."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.echo_prompt = True
    reply = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": f"Write to {EMAIL} today"}]
    )
    assert fake.last.json["messages"][0]["content"] == "Write to <EMAIL_ADDRESS_1> today"
    assert EMAIL.encode() not in fake.last.body
    assert reply.choices[0].message.content == f"Write to {EMAIL} today"
    event = proxy.sink.last
    assert event.decision == "pseudonymise"
    assert event.rules == ("pseudonymise-contact-details",)
    assert event.entity_types == ("EMAIL_ADDRESS",)
    assert "<EMAIL_ADDRESS_1>" in event.prompt_forwarded


async def test_pseudonyms_are_restored_in_a_stream_even_when_split(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A streamed answer with a placeholder split across chunks shows the real value."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.chunks = ["Sent to <EMAIL_", "ADDRESS_1>", " as asked."]
    stream = await proxy.openai().chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": f"mail {EMAIL}"}],
        stream=True,
    )
    pieces = [c.choices[0].delta.content or "" async for c in stream if c.choices]
    assert "".join(pieces) == f"Sent to {EMAIL} as asked."
    assert "<EMAIL_ADDRESS_1>" in fake.last.json["messages"][0]["content"]


async def test_echoed_stream_restores_pseudonyms(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """An echoed streamed prompt comes back with the caller's own e-mail address."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.echo_prompt = True
    stream = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": f"ping {EMAIL} now"}], stream=True
    )
    pieces = [c.choices[0].delta.content or "" async for c in stream if c.choices]
    assert "".join(pieces) == f"ping {EMAIL} now"


async def test_anthropic_stream_restores_pseudonyms(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """The Anthropic Messages API gets the same pseudonymisation, streams included."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.echo_prompt = True
    async with proxy.anthropic().messages.stream(
        model="claude-test-model",
        max_tokens=100,
        messages=[{"role": "user", "content": f"ping {EMAIL} now"}],
    ) as stream:
        text = await stream.get_final_text()
    assert text == f"ping {EMAIL} now"
    assert "<EMAIL_ADDRESS_1>" in fake.last.json["messages"][0]["content"]


async def test_responses_stream_restores_pseudonyms(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """The Responses API stream is restored, final snapshot included."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.echo_prompt = True
    async with proxy.openai().responses.stream(model=MODEL, input=f"ping {EMAIL} now") as stream:
        deltas = [e.delta async for e in stream if e.type == "response.output_text.delta"]
        final = await stream.get_final_response()
    assert "".join(deltas) == f"ping {EMAIL} now"
    assert final.output_text == f"ping {EMAIL} now"
    assert fake.last.json["input"] == "ping <EMAIL_ADDRESS_1> now"


async def test_secret_in_an_answer_is_redacted(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A credential in a non-stream answer is masked before the caller sees it."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.reply_text = f"Try {AWS_KEY} for access."
    reply = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "hi"}]
    )
    assert reply.choices[0].message.content == "Try <AWS_ACCESS_KEY_ID> for access."
    event = proxy.sink.last
    assert event.decision == "redact"
    assert event.rules == ("redact-secrets-in-answers",)
    assert event.entity_types == ("AWS_ACCESS_KEY_ID",)


async def test_secret_split_across_stream_chunks_is_redacted(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A credential streamed in two pieces reaches the caller masked, in one piece."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.chunks = ["Try ", OPENAI_KEY[:12], OPENAI_KEY[12:], " for access."]
    stream = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "hi"}], stream=True
    )
    pieces = [c.choices[0].delta.content or "" async for c in stream if c.choices]
    assert "".join(pieces) == "Try <OPENAI_API_KEY> for access."
    event = proxy.sink.last
    assert event.decision == "redact"
    assert event.entity_types == ("OPENAI_API_KEY",)


BLOCK_OUTPUT = """
name: block-output
rule_sets:
  - name: main
    rules:
      - id: no-secrets-out
        direction: output
        action: block
        match: {entities: [SECRETS]}
"""


async def test_block_mid_stream_ends_with_an_error_event(
    start_proxy: StartProxy, fake: FakeUpstream, scan_service: ScanService
) -> None:
    """A blocked streamed answer ends with an OpenAI-style error event naming the rule."""
    inspector = PolicyInspector(policy(BLOCK_OUTPUT), scan_service)
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.chunks = ["Here it is: ", OPENAI_KEY[:12], OPENAI_KEY[12:], " done."]
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "stream": True}
    headers = {"Authorization": f"Bearer {CALLER_KEY}"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{proxy.url}/v1/chat/completions", json=body, headers=headers) as response,
    ):
        raw = await response.read()
    assert OPENAI_KEY[:12].encode() not in raw
    last = raw.strip().split(b"\n\n")[-1]
    error = json.loads(last.removeprefix(b"data: "))["error"]
    assert error["code"] == "policy_violation"
    assert error["rules"] == ["no-secrets-out"]
    event = proxy.sink.last
    assert event.decision == "block"
    assert event.error == "output_blocked"
