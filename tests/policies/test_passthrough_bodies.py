"""Pass-through endpoints' JSON bodies are inspected too: a secret in an image prompt, a
token count request or an Anthropic message batch is blocked before the provider."""

from __future__ import annotations

import anthropic
import openai
import pytest

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
    clean = {"model": CLAUDE, "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}
    leaky = {**clean, "messages": [{"role": "user", "content": f"key {OPENAI_KEY}"}]}
    with pytest.raises(anthropic.PermissionDeniedError):
        await proxy.anthropic().messages.batches.create(
            requests=[
                {"custom_id": "a", "params": clean},  # type: ignore[list-item]
                {"custom_id": "b", "params": leaky},  # type: ignore[list-item]
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
