"""However the provider's stream is cut into reads, the caller gets the bytes the relay's
general path sends: the events as they came when inspection passes them, the redaction
when it holds or rewrites some; the record holds the text sent and the provider's usage."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Sequence

import orjson
import pytest
from aiohttp import web

from policies.inspector import PolicyInspector
from tests.fakes.loopback import on_loopback
from tests.policies.factories import AWS_KEY, real_scanner
from tests.policies.pattern_detection import cached_pack
from tests.proxy.conftest import Proxy, StartProxy

USAGE = {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12}
PROSE = ["Hello", " there,", " the", " answer", " is", " ready", " now."]
#: A credential the default policy masks in answers, cut over several events.
SECRET = ["Your key is ", AWS_KEY[:7], AWS_KEY[7:15], AWS_KEY[15:], " - keep it safe."]


def chunk(delta: dict[str, object], finish: str | None = None) -> dict[str, object]:
    choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
    return {"id": "c", "object": "chat.completion.chunk", "choices": [choice], "usage": None}


def stream(pieces: Sequence[str]) -> tuple[bytes, bytes]:
    """An OpenAI answer streaming ``pieces`` with the usage chunk the proxy asks for:
    (the whole stream, the stream without that usage chunk)."""
    events = [chunk({"role": "assistant", "content": ""})]
    events += [chunk({"content": piece}) for piece in pieces]
    events.append(chunk({}, "stop"))
    encoded = [b"data: " + orjson.dumps(event) + b"\n\n" for event in events]
    usage = b"data: " + orjson.dumps({"id": "c", "choices": [], "usage": USAGE}) + b"\n\n"
    done = b"data: [DONE]\n\n"
    return b"".join([*encoded, usage, done]), b"".join([*encoded, done])


def splits(data: bytes, seed: int) -> list[bytes]:
    """``data`` cut at a few random places (seeded: the same cuts every run)."""
    chooser = random.Random(seed)
    cuts = sorted(chooser.sample(range(1, len(data)), chooser.randint(0, 12)))
    return [data[start:end] for start, end in zip([0, *cuts], [*cuts, len(data)], strict=True)]


class CutUpstream:
    """An OpenAI chat endpoint that writes the stream in the pieces it is given, each
    written on its own (so the proxy reads them apart, or a few together)."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    async def chat(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for piece in self.pieces:
            await response.write(piece)
            await asyncio.sleep(0.001)
        await response.write_eof()
        return response


@pytest.fixture
async def cut_upstream() -> AsyncIterator[tuple[CutUpstream, str]]:
    upstream = CutUpstream()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", upstream.chat)
    async with on_loopback(app) as base:
        yield upstream, f"{base}/v1"


async def caller_bytes(proxy: Proxy) -> bytes:
    """The answer's bytes as the official client receives them from the proxy."""
    client = proxy.openai()
    async with client.chat.completions.with_streaming_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True
    ) as response:
        return b"".join([part async for part in response.iter_bytes()])


def content(raw: bytes) -> str:
    """The answer's text in a stream's bytes."""
    text = []
    for line in raw.split(b"\n"):
        if line.startswith(b"data: {"):
            for choice in orjson.loads(line[6:])["choices"]:
                text.append(choice.get("delta", {}).get("content") or "")
    return "".join(text)


async def test_passed_events_reach_the_caller_as_they_came_for_any_cut(
    start_proxy: StartProxy, cut_upstream: tuple[CutUpstream, str]
) -> None:
    """With nothing rewritten or held, for any cut of the stream into reads the caller
    gets exactly the provider's bytes less the usage chunk the proxy asked for, and the
    record holds the text once and the provider's usage."""
    upstream, url = cut_upstream
    proxy = await start_proxy(environ={"OPENAI_BASE_URL": url})
    whole, relayed = stream(PROSE)
    for seed in range(40):
        upstream.pieces = splits(whole, seed)
        assert await caller_bytes(proxy) == relayed, seed
        record = proxy.sink.last
        assert record.response == "".join(PROSE), seed
        assert (record.prompt_tokens, record.completion_tokens) == (7, 5), seed


async def test_held_and_passed_reads_together_send_the_redaction_for_any_cut(
    start_proxy: StartProxy, cut_upstream: tuple[CutUpstream, str]
) -> None:
    """Under the default policy, with a credential cut over events, for any cut into reads
    the caller gets the answer with the credential masked, never its bytes, and the record
    holds what the caller got and the provider's usage once."""
    upstream, url = cut_upstream
    inspector = PolicyInspector(cached_pack(), real_scanner())
    proxy = await start_proxy(environ={"OPENAI_BASE_URL": url}, inspector=inspector)
    whole, _ = stream(SECRET)
    for seed in range(40):
        upstream.pieces = splits(whole, seed)
        raw = await caller_bytes(proxy)
        text = content(raw)
        assert text.startswith("Your key is "), seed
        assert text.endswith(" - keep it safe."), seed
        assert AWS_KEY[:8].encode() not in raw, seed
        assert AWS_KEY[8:].encode() not in raw, seed
        assert b'"usage":{' not in raw, seed
        record = proxy.sink.last
        assert record.response == text, seed
        assert (record.prompt_tokens, record.completion_tokens) == (7, 5), seed
