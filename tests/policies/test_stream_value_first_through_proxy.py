"""End to end: a streamed answer that writes a password before its key ("X is my
password") reaches the caller of the official OpenAI SDK masked, chunk by chunk, under the
shipped default policy with the real detectors, from a fake upstream streaming small
chunks."""

from __future__ import annotations

import pytest

from policies.line_context import default_long_lines
from policies.value_first import default_phrases
from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy

ANSWER = (
    "Sure. hunter22x is my password, and for the router use Xk9#mQ2!vL as the new "
    'password; "correct horse 9" was the old one. The service is built with FastAPI.'
)
SECRETS = ("hunter22x", "Xk9#mQ2!vL")


@pytest.fixture
async def proxy(start_proxy: StartProxy) -> Proxy:
    """The proxy enforcing the shipped default policy with in-process real detectors."""
    return await start_proxy(
        {"detectors": {"service": {"workers": 0, "budget_seconds": 30}}}, enforce=True
    )


@pytest.mark.parametrize("size", [3, 7])
async def test_a_password_before_its_key_never_reaches_the_streaming_caller(
    proxy: Proxy, fake: FakeUpstream, size: int
) -> None:
    """Streamed in chunks of a few characters, paced so that each is read on its own, the
    caller gets the passwords masked and never a chunk holding one; the event log records
    the answer masked too."""
    fake.behaviour.chunks = [ANSWER[i : i + size] for i in range(0, len(ANSWER), size)]
    fake.behaviour.chunk_interval = 0.005  # a read per chunk, as from a model generating
    stream = await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    deltas = [c.choices[0].delta.content or "" async for c in stream if c.choices]
    joined = "".join(deltas)
    assert joined == (
        "Sure. <PASSWORD> is my password, and for the router use <PASSWORD> as the new "
        'password; "correct horse 9" was the old one. The service is built with FastAPI.'
    )
    for secret in SECRETS:
        assert not any(secret[:4] in delta for delta in deltas)
        assert secret not in proxy.sink.last.response


async def test_the_hold_back_shapes_are_built_before_the_first_answer(
    start_proxy: StartProxy,
) -> None:
    """The value-first phrases and long command lines are built while the proxy starts (off
    the event loop), not when the first streamed answer arrives."""
    default_phrases.cache_clear()
    default_long_lines.cache_clear()
    await start_proxy({"detectors": {"service": {"workers": 0}}}, enforce=True)
    assert default_phrases.cache_info().currsize == 1
    assert default_long_lines.cache_info().currsize == 1
