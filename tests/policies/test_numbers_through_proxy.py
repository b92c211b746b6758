"""Numbers end to end under the shipped default policy: floats pass, phones are pseudonymised.

The proxy runs the default policy with the real detectors, through the official OpenAI SDK,
in front of a fake upstream that records what it receives. A Luhn-valid run of digits after
a decimal point used to be reported as a CREDIT_CARD, and the call was blocked.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy

MODEL = "gpt-4o-mini"


@pytest.fixture
async def proxy(start_proxy: StartProxy) -> Proxy:
    """The proxy enforcing the shipped default policy with in-process real detectors."""
    return await start_proxy(
        {"detectors": {"service": {"workers": 0, "budget_seconds": 30}}}, enforce=True
    )


async def _send(proxy: Proxy, content: str) -> Any:
    return await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": content}]
    )


async def test_random_float_is_forwarded_unchanged(proxy: Proxy, fake: FakeUpstream) -> None:
    """A float whose fractional digits pass Luhn is not a card: the prompt is not blocked."""
    content = "My model's AUC is 0.4040785360142947 on the validation set, is that good?"
    await _send(proxy, content)
    assert fake.last.json["messages"][0]["content"] == content
    assert proxy.sink.last.decision != "block"


async def test_german_mobile_number_is_pseudonymised(proxy: Proxy, fake: FakeUpstream) -> None:
    """A German mobile number without country code reaches the provider as a placeholder."""
    content = "Bitte ruf Herrn Weber unter 0151 2345 6789 an."
    await _send(proxy, content)
    forwarded = fake.last.json["messages"][0]["content"]
    assert "2345 6789" not in forwarded
    assert "<PHONE_NUMBER_1>" in forwarded
    assert "PHONE_NUMBER" in proxy.sink.last.entity_types
