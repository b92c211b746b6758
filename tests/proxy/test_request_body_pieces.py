"""A request body that arrives in pieces is read whole, bounded in size, or refused when it
stalls: the read's slow path, where the pieces wait on the network."""

from __future__ import annotations

import asyncio
import json

from yarl import URL

from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY, StartProxy


async def _send_in_pieces(url: str, pieces: list[bytes], *, pause: float = 0.05) -> int:
    """POST a chunked chat body, one piece at a time with a pause between; the status."""
    target = URL(url)
    reader, writer = await asyncio.open_connection(target.host, target.port)
    try:
        writer.write(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: proxy\r\n"
            b"Content-Type: application/json\r\n"
            + f"Authorization: Bearer {CALLER_KEY}\r\n".encode()
            + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        for piece in pieces:
            await writer.drain()
            await asyncio.sleep(pause)
            writer.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), 30)
        return int(status_line.split()[1])
    finally:
        writer.close()


def _body(text: str) -> bytes:
    return json.dumps(
        {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}
    ).encode()


async def test_a_body_in_pieces_reaches_the_provider_whole(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """Pieces that arrive one by one, after the headers, are joined into the body sent."""
    proxy = await start_proxy()
    body = _body("a prompt sent in several pieces " * 20)
    pieces = [body[i : i + 100] for i in range(0, len(body), 100)]
    assert len(pieces) > 3
    assert await _send_in_pieces(proxy.url, pieces) == 200
    assert fake.last.json["messages"][0]["content"] == "a prompt sent in several pieces " * 20


async def test_a_body_growing_past_the_limit_in_pieces_gets_413(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """The size limit counts every piece: the one that crosses it ends the call with 413."""
    proxy = await start_proxy({"max_body_bytes": 1000})
    body = _body("x" * 2000)
    assert (
        await _send_in_pieces(proxy.url, [body[i : i + 300] for i in range(0, len(body), 300)])
        == 413
    )
    assert fake.requests == []


async def test_a_body_that_stalls_gets_408(start_proxy: StartProxy, fake: FakeUpstream) -> None:
    """A body whose next piece does not come within the idle timeout gets 408."""
    proxy = await start_proxy({"timeouts": {"request_body_idle": 0.3}})
    body = _body("hello")
    assert await _send_in_pieces(proxy.url, [body[:10], body[10:]], pause=2.0) == 408
    assert fake.requests == []
