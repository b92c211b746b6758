"""A streamed answer's events that arrive in one upstream read are inspected together: one
scan for the read, events whose own text is safe relayed as they came, and the same text
for the caller as event by event, however the reads group the events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Collection, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.scanning import Finding
from policies.inspector import PolicyInspector
from proxy.call.sse import SSEEvent
from tests.policies.factories import OPENAI_KEY, call_info
from tests.policies.pattern_detection import cached_pack, pattern_scanner
from tests.policies.test_holdback_properties import (
    FUZZ,
    PROMPT,
    answers,
    redacted,
    split,
)
from tests.policies.test_stream import chat_chunk, chat_stream, chat_text
from wire.apis.openai_chat import OpenAIChat


class CountingScanner:
    """The real pattern scanner, counting the scans it is asked for."""

    def __init__(self) -> None:
        self.scans = 0

    async def scan(
        self,
        texts: Sequence[str],
        *,
        budget: float | None,
        caller: str | None = None,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> list[list[Finding]]:
        self.scans += 1
        return await pattern_scanner().scan(
            texts, budget=budget, caller=caller, ner_chars=ner_chars, entities=entities
        )


@pytest.fixture
def scanner() -> CountingScanner:
    """A fresh count of scans over the session's pattern scanner."""
    return CountingScanner()


def grouped(events: Sequence[SSEEvent], sizes: Sequence[int]) -> list[list[SSEEvent]]:
    """``events`` in reads of ``sizes`` events (the last read takes what is left)."""
    reads, start = [], 0
    for size in sizes:
        if start >= len(events):
            break
        reads.append(list(events[start : start + size]))
        start += size
    if start < len(events):
        reads.append(list(events[start:]))
    return reads


async def relayed(
    scanner: CountingScanner, pieces: Sequence[str], sizes: Sequence[int]
) -> list[list[SSEEvent]]:
    """What the default policy sends for each read of an answer streamed in ``pieces``
    whose events arrive in reads of ``sizes`` (the last item: what ``finish`` releases);
    ``scanner`` counts the answer's scans."""
    inspector = PolicyInspector(cached_pack(), scanner)
    inspection = await inspector.inspect_request(call_info(stream=True), PROMPT)
    scanner.scans = 0  # the answer's scans only
    stream = inspection.output.stream()
    sent = [list(await stream.feed_all(read)) for read in grouped(chat_stream(pieces), sizes)]
    return [*sent, list(await stream.finish())]


@FUZZ
@given(
    answers(),
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=40),
    st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=40),
)
def test_reads_of_any_size_give_the_whole_answer_redacted(
    loop: asyncio.Runner,
    answer: tuple[str, list[str]],
    cuts: list[int],
    sizes: list[int],
) -> None:
    """For any answer, any cut into chunks and any grouping of the chunks into reads, the
    caller gets exactly the non-streamed redaction of the whole answer, and no 8
    characters of a masked secret in any event or across events."""
    text, secrets = answer
    whole = loop.run(redacted(PolicyInspector(cached_pack(), pattern_scanner()), text))
    reads = loop.run(relayed(CountingScanner(), split(text, cuts), sizes))
    joined = "".join(chat_text([event]) for read in reads for event in read)
    assert joined == whole
    for secret in secrets:
        if secret in whole:
            continue  # not a finding in this context
        for start in range(len(secret) - 7):
            fragment = secret[start : start + 8]
            if fragment not in whole:
                assert fragment not in joined


def test_a_read_of_many_events_costs_one_scan(
    loop: asyncio.Runner, scanner: CountingScanner
) -> None:
    """Twenty prose events that arrive in one read are scanned once, not once each."""
    pieces = [f" word{i}" for i in range(20)]
    reads = loop.run(relayed(scanner, pieces, [len(pieces) + 3]))
    assert "".join(chat_text(read) for read in reads) == "".join(pieces)
    assert scanner.scans == 1


def test_events_whose_text_is_safe_are_relayed_as_they_came(
    loop: asyncio.Runner, scanner: CountingScanner
) -> None:
    """In a read, an event whose own text the rest of the read shows safe is sent as the
    very event received (its original bytes); only events that take over or leave an
    unfinished word are rewritten, and a read that ends the answer leaves nothing over."""
    events = chat_stream([f" word{i}" for i in range(6)])
    inspector = PolicyInspector(cached_pack(), scanner)

    async def run() -> list[SSEEvent]:
        inspection = await inspector.inspect_request(call_info(stream=True), PROMPT)
        stream = inspection.output.stream()
        sent = [*await stream.feed_all(events[:4]), *await stream.feed_all(events[4:])]
        return [*sent, *await stream.finish()]

    sent = loop.run(run())
    assert len(sent) == len(events)
    kept = [i for i, (out, event) in enumerate(zip(sent, events, strict=True)) if out is event]
    # 0: the role event; 1, 2: safe with what follows in the read; 3: holds "word2";
    # 4: releases it; 5, 6: safe, the read ends the answer; 7: finish; 8: [DONE].
    assert kept == [0, 1, 2, 5, 6, 7, 8]
    assert chat_text(sent) == "".join(f" word{i}" for i in range(6))


def test_a_key_split_over_events_of_one_read_is_masked(
    loop: asyncio.Runner, scanner: CountingScanner
) -> None:
    """A key cut into pieces, the pieces in one read between prose, never reaches the
    caller: no event of the read carries any 8 characters of it."""
    text = f"Use {OPENAI_KEY} for the test."
    pieces = [text[i : i + 5] for i in range(0, len(text), 5)]
    reads = loop.run(relayed(scanner, pieces, [len(pieces) + 3]))
    joined = "".join(chat_text(read) for read in reads)
    assert joined.startswith("Use ")
    assert joined.endswith(" for the test.")
    for start in range(len(OPENAI_KEY) - 7):
        assert all(OPENAI_KEY[start : start + 8] not in chat_text([e]) for r in reads for e in r)
    assert OPENAI_KEY[10:18] not in joined


def test_pieces_grouped_into_reads_or_not_send_the_same_text(
    loop: asyncio.Runner, scanner: CountingScanner
) -> None:
    """The same answer sent event by event and in reads of three gives the caller the same
    text, with the card in it masked both ways."""
    text = "Card 4111 1111 1111 1111 expires soon, call us."
    pieces = [text[i : i + 4] for i in range(0, len(text), 4)]
    one_by_one = loop.run(relayed(scanner, pieces, [1] * 40))
    in_threes = loop.run(relayed(scanner, pieces, [3] * 40))
    texts = ["".join(chat_text(read) for read in reads) for reads in (one_by_one, in_threes)]
    assert texts[0] == texts[1]
    assert "4111" not in texts[0]


def test_text_after_a_channel_ended_in_the_read_is_still_held(
    loop: asyncio.Runner, scanner: CountingScanner
) -> None:
    """A read that ends a choice and then carries more text for it does not release that
    text as complete: a key begun there and finished in the next read is masked whole."""
    key = OPENAI_KEY
    first = [chat_chunk(" Use"), chat_chunk(finish="stop"), chat_chunk(" " + key[:12])]
    second = [chat_chunk(key[12:] + " now."), SSEEvent.build("[DONE]")]
    inspector = PolicyInspector(cached_pack(), scanner)

    async def run() -> str:
        inspection = await inspector.inspect_request(call_info(stream=True), PROMPT)
        stream = inspection.output.stream()
        sent = [*await stream.feed_all(first), *await stream.feed_all(second)]
        return chat_text([*sent, *await stream.finish()])

    text = loop.run(run())
    assert text.startswith(" Use ")
    for start in range(len(key) - 7):
        assert key[start : start + 8] not in text


@FUZZ
@given(
    answers(),
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=40),
    st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=40),
)
def test_deltas_kept_on_sent_events_are_what_the_format_reads(
    loop: asyncio.Runner,
    answer: tuple[str, list[str]],
    cuts: list[int],
    sizes: list[int],
) -> None:
    """Every sent event that carries its deltas for the record (read by inspection, or
    known for an event rewritten with new text) carries exactly what the chat format reads
    from the event's data, the JSON the caller gets."""
    text, _ = answer
    reads = loop.run(relayed(CountingScanner(), split(text, cuts), sizes))
    chat = OpenAIChat()
    for read in reads:
        for event in read:
            if event.deltas is not None:  # [DONE]: no text, no deltas
                payload = json.loads(event.data) if event.data != "[DONE]" else {}
                assert event.deltas[1] == chat.deltas(payload)
