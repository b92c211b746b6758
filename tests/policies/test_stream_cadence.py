"""Through the real proxy with the official SDK: under the default policy a streamed answer
keeps the upstream's cadence, and a credential or card split anywhere is still masked."""

from __future__ import annotations

import time

import pytest

from policies.inspector import PolicyInspector
from tests.fakes import FakeUpstream
from tests.fakes.behaviour import split_words
from tests.policies.factories import OPENAI_KEY
from tests.policies.pattern_detection import default_pack_inspector
from tests.proxy.conftest import Proxy, StartProxy

MODEL = "gpt-4o-mini"
PROSE = (
    "The migration plan moves the billing service first, then the reporting jobs. "
    "Each step keeps the old path running until the new one has served a full week "
    "of traffic without errors, and the team reviews the dashboards every morning."
)
CARD = "4111 1111 1111 1111"


@pytest.fixture
def inspector() -> PolicyInspector:
    """The default pack with real pattern detection (spaCy loaded once per session)."""
    return default_pack_inspector()


async def content_chunks(proxy: Proxy) -> list[tuple[float, str]]:
    """(arrival time, text) of each non-empty content chunk of one streamed answer."""
    stream = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Summarise the plan."}], stream=True
    )
    return [
        (time.perf_counter(), text)
        async for chunk in stream
        if chunk.choices and (text := chunk.choices[0].delta.content)
    ]


async def test_prose_arrives_chunk_for_chunk(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """Prose paced at 20 ms a chunk reaches the caller in at least 0.9x the upstream's
    number of content chunks, spread over the stream rather than in a few bursts."""
    proxy = await start_proxy(inspector=inspector)
    fake.behaviour.reply_text = PROSE
    fake.behaviour.chunk_interval = 0.02
    received = await content_chunks(proxy)
    upstream = len(split_words(PROSE))
    assert "".join(text for _, text in received) == PROSE
    assert len(received) >= 0.9 * upstream, (len(received), upstream)
    # Half of the text has arrived before the upstream was half done sending it.
    total = (upstream + 1) * 0.02
    first = received[0][0]
    half = next(
        t for t, _ in received if sum(len(x) for s, x in received if s <= t) * 2 >= len(PROSE)
    )
    assert half - first < total * 0.75


@pytest.mark.parametrize("secret", [OPENAI_KEY, CARD], ids=["openai-key", "card"])
async def test_secret_split_at_every_position_is_masked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector, secret: str
) -> None:
    """A key or card number cut into two chunks at any position is masked whole; no eight
    characters of it reach the caller in any chunk or across two chunks."""
    proxy = await start_proxy(inspector=inspector)
    fragments = {secret[i : i + 8] for i in range(len(secret) - 7)}
    for cut in range(1, len(secret)):
        fake.behaviour.chunks = ["Here it is: ", secret[:cut], secret[cut:], " - keep it safe."]
        received = [text for _, text in await content_chunks(proxy)]
        joined = "".join(received)
        assert joined.startswith("Here it is: <"), cut
        assert joined.endswith("> - keep it safe."), cut
        assert not any(f in joined for f in fragments), cut
