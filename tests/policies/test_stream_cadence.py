"""Through the real proxy with the official SDK: under the default policy a streamed answer
keeps the upstream's cadence (paced by what the caller has received, not by the clock), and
a credential or card split anywhere is still masked."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

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


#: A finished word reaches the caller once the next word has arrived, the answer's first
#: word too (issue 11: first content at most one upstream chunk after direct). So before
#: the upstream sends a word, the caller holds every word but the last one sent, from the
#: third word on (the first goes out with the stream's head).
FIRST_PACED_PIECE = 2
#: How long the paced upstream waits for the caller to catch up before it counts a stall
#: and stops pacing: a bound for noticing a proxy that holds prose back, not a goal (one
#: word takes milliseconds through the proxy).
STALL_SECONDS = 30.0


async def content_chunks(proxy: Proxy, on_text: Callable[[str], None] | None = None) -> list[str]:
    """The text of each non-empty content chunk of one streamed answer, each also handed
    to ``on_text`` as it arrives."""
    stream = await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Summarise the plan."}], stream=True
    )
    received = []
    async for chunk in stream:
        if chunk.choices and (text := chunk.choices[0].delta.content):
            received.append(text)
            if on_text is not None:
                on_text(text)
    return received


class CallerPace:
    """Paces the fake upstream by what the caller has received: the next word is sent only
    once every word but the last one sent has reached the caller, so a proxy that held prose
    back stalls the stream (and is counted), and a proxy that relays it as it comes cannot
    be handed two words in one read, whatever the machine's load."""

    def __init__(self, pieces: list[str]) -> None:
        self._pieces = pieces
        self._received = 0
        self._progress = asyncio.Event()
        self.stalls: list[int] = []

    def on_text(self, text: str) -> None:
        """Count the characters the caller has received and wake the upstream."""
        self._received += len(text)
        self._progress.set()

    async def before_event(self, number: int) -> None:
        """Before piece ``number`` (the closing events too), wait until the caller holds
        the text of every piece but the last one sent; after one stall, pace no more."""
        if self.stalls or number < FIRST_PACED_PIECE:
            return
        sent = len("".join(self._pieces[: number - 1]))
        try:
            async with asyncio.timeout(STALL_SECONDS):
                while self._received < sent:
                    self._progress.clear()
                    await self._progress.wait()
        except TimeoutError:
            self.stalls.append(number)


async def test_prose_arrives_chunk_for_chunk(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """Prose is relayed word for word: each word the upstream sends, the first included,
    reaches the caller before the upstream sends the second word after it, and at least
    0.9x the upstream's number of content chunks arrive (not bursts)."""
    proxy = await start_proxy(inspector=inspector)
    pieces = split_words(PROSE)
    pace = CallerPace(pieces)
    fake.behaviour.reply_text = PROSE
    fake.behaviour.before_event = pace.before_event
    received = await content_chunks(proxy, pace.on_text)
    assert "".join(received) == PROSE
    assert pace.stalls == []
    assert len(received) >= 0.9 * len(pieces), (len(received), len(pieces))


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
        joined = "".join(await content_chunks(proxy))
        assert joined.startswith("Here it is: <"), cut
        assert joined.endswith("> - keep it safe."), cut
        assert not any(f in joined for f in fragments), cut
