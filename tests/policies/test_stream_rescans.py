"""What a stream gives detection does not grow with the answer where nothing is left to
decide (issue 11, h205): a private key block whose masked start the hold limit forced out is
dropped up to its END line, unscanned until that line has arrived (each read scanned the
block again, up to 16K characters: a 4096-bit key one character a chunk cost seconds); and
an answer that ends with no text since the last scan keeps that scan's findings (the end of
every stream scanned its last text again). The stream still sends exactly what it sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from core.scanning import Finding
from policies.inspector import PolicyInspector
from policies.stream import PolicyStream
from tests.policies.factories import call_info
from tests.policies.pattern_detection import cached_pack, pattern_scanner
from tests.policies.test_holdback_properties import PROMPT, redacted, streamed
from tests.policies.test_stream import chat_stream, chat_text
from tests.policies.test_stream_forced_out import RSA_BODY, RSA_KEY


class CountingScanner:
    """The real pattern scanner, counting the characters it is given."""

    def __init__(self) -> None:
        self.chars = 0
        self.scans = 0

    async def scan(self, texts: Sequence[str], **options: Any) -> list[list[Finding]]:
        """The real scanner's findings for ``texts``."""
        self.chars += sum(map(len, texts))
        self.scans += 1
        return await pattern_scanner().scan(texts, **options)


@pytest.fixture
def counted() -> tuple[PolicyInspector, CountingScanner]:
    """The default pack (its shipped hold limit, 1,024) over a counting real scanner."""
    scanner = CountingScanner()
    return PolicyInspector(cached_pack(), scanner), scanner


def test_a_key_block_forced_out_is_not_scanned_again_and_again(
    counted: tuple[PolicyInspector, CountingScanner], loop: asyncio.Runner
) -> None:
    """A 4096-bit key (about 3,200 characters, three times the hold limit) a character a
    chunk: detection is given a few times the answer, not its square (3.9 million
    characters before), and the stream is the whole answer with no body line in it."""
    inspector, scanner = counted
    answer = f"Here is the key you asked for:\n{RSA_KEY}\nKeep it safe."
    whole = loop.run(redacted(inspector, answer))
    scanner.chars = 0
    chunks = loop.run(streamed(inspector, list(answer)))
    assert "".join(chunks) == whole
    assert not any(line in "".join(chunks) for line in RSA_BODY.splitlines())
    assert scanner.chars < 4 * len(answer), scanner.chars


@pytest.mark.parametrize(
    "pieces",
    [
        ["Here are ", "the notes ", "you asked for."],
        ["Use ", "password=Xk9#mQ2!vLp7 ", "on the box."],
        ["Card 4111 1111 ", "1111 1111 ", "expires soon"],
    ],
)
def test_the_end_of_an_answer_is_not_scanned_again(
    counted: tuple[PolicyInspector, CountingScanner], loop: asyncio.Runner, pieces: list[str]
) -> None:
    """An answer whose last read was scanned, ended with no text after it: its end is
    released by that scan's findings, with no scan of its own, and the stream is the whole
    answer."""
    inspector, scanner = counted

    async def run() -> tuple[str, int]:
        inspection = await inspector.inspect_request(call_info(stream=True), PROMPT)
        stream = inspection.output.stream()
        assert isinstance(stream, PolicyStream)
        events = chat_stream(pieces)
        texts = []
        for event in events[:-2]:  # the text's events; then the finish chunk and [DONE]
            texts.append(chat_text(await stream.feed(event)))
        before = scanner.scans
        for event in events[-2:]:
            texts.append(chat_text(await stream.feed(event)))
        texts.append(chat_text(await stream.finish()))
        return "".join(texts), scanner.scans - before

    sent, scans = loop.run(run())
    assert sent == loop.run(redacted(inspector, "".join(pieces)))
    assert scans == 0
