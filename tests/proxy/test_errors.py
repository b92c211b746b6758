"""Bad requests and upstream failures get the OpenAI error shape with the right status."""

from __future__ import annotations

import gzip
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import openai
import orjson
import pytest

from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY, StartProxy

AUTH = {"Authorization": f"Bearer {CALLER_KEY}"}
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}


async def post(url: str, **kwargs: Any) -> tuple[int, dict[str, Any], Any]:
    async with aiohttp.ClientSession() as session, session.post(url, **kwargs) as response:
        return response.status, await response.json(), response.headers


def assert_error_shape(body: dict[str, Any], code: str) -> None:
    assert set(body) == {"error"}
    assert {"message", "type", "code", "param"} <= set(body["error"])
    assert body["error"]["code"] == code
    assert body["error"]["message"]


async def test_oversized_body_is_refused_with_413(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A body over the configured maximum gets 413 and never reaches the upstream."""
    proxy = await start_proxy({"max_body_bytes": 1000})
    big = {**CHAT, "messages": [{"role": "user", "content": "x" * 2000}]}
    status, body, _ = await post(f"{proxy.url}/v1/chat/completions", json=big, headers=AUTH)
    assert status == 413
    assert_error_shape(body, "request_too_large")
    assert fake.requests == []


async def test_oversized_body_without_content_length_is_refused(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A chunked upload is cut off once it passes the maximum."""
    proxy = await start_proxy({"max_body_bytes": 1000})

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"x" * 500

    status, _body, _ = await post(f"{proxy.url}/v1/chat/completions", data=chunks(), headers=AUTH)
    assert status == 413
    assert fake.requests == []


async def test_gzip_bomb_is_measured_after_decompression(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A small compressed body that inflates past the maximum gets 413."""
    proxy = await start_proxy({"max_body_bytes": 10_000})
    payload = gzip.compress(b'{"model": "m", "x": "' + b"a" * 1_000_000 + b'"}')
    status, _, _ = await post(
        f"{proxy.url}/v1/chat/completions",
        data=payload,
        headers={**AUTH, "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert status == 413
    assert fake.requests == []


async def test_gzip_request_body_is_forwarded_decompressed(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A gzip-compressed JSON request is understood and relayed."""
    proxy = await start_proxy()
    status, _body, _ = await post(
        f"{proxy.url}/v1/chat/completions",
        data=gzip.compress(orjson.dumps(CHAT)),
        headers={**AUTH, "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert status == 200
    assert fake.last.json == CHAT
    assert "content-encoding" not in fake.last.headers


async def test_gzip_upstream_answer_is_decompressed_for_the_caller(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A compressed upstream answer reaches the SDK intact."""
    proxy = await start_proxy()
    fake.behaviour.gzip = True
    reply = await proxy.openai().chat.completions.create(**CHAT)  # type: ignore[call-overload]
    assert reply.choices[0].message.content == "Hello from the fake"
    assert "Hello from the fake" in proxy.sink.last.response


@pytest.mark.parametrize(
    ("data", "message_part"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"messages": []}', "model"),
    ],
)
async def test_malformed_request_gets_400(
    start_proxy: StartProxy, fake: FakeUpstream, data: bytes, message_part: str
) -> None:
    """Unparseable JSON, a non-object body or a missing model get 400 with a clear message."""
    proxy = await start_proxy()
    status, body, headers = await post(
        f"{proxy.url}/v1/chat/completions",
        data=data,
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert status == 400
    assert message_part in body["error"]["message"]
    assert body["error"]["type"] == "invalid_request_error"
    assert headers["x-request-id"] == proxy.sink.last.request_id
    assert fake.requests == []


async def test_upstream_down_gives_502(start_proxy: StartProxy) -> None:
    """A provider that refuses connections gives 502 in the error shape."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    proxy = await start_proxy(environ={"OPENAI_BASE_URL": f"http://127.0.0.1:{closed_port}/v1"})
    with pytest.raises(openai.APIStatusError) as info:
        await proxy.openai().chat.completions.create(**CHAT)  # type: ignore[call-overload]
    assert info.value.status_code == 502
    status, body, _ = await post(f"{proxy.url}/v1/chat/completions", json=CHAT, headers=AUTH)
    assert status == 502
    assert_error_shape(body, "upstream_unreachable")
    assert proxy.sink.last.error == "upstream_unreachable"


async def test_slow_upstream_gives_504(start_proxy: StartProxy, fake: FakeUpstream) -> None:
    """A provider slower than the time-to-first-byte timeout gives 504."""
    proxy = await start_proxy({"timeouts": {"ttfb": 0.2}})
    fake.behaviour.delay_before_headers = 2.0
    status, body, _ = await post(f"{proxy.url}/v1/chat/completions", json=CHAT, headers=AUTH)
    assert status == 504
    assert_error_shape(body, "upstream_timeout")


async def test_upstream_error_status_and_body_pass_through(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A provider's own error (here 429) reaches the caller unchanged."""
    proxy = await start_proxy()
    fake.behaviour.status = 429
    status, body, _ = await post(f"{proxy.url}/v1/chat/completions", json=CHAT, headers=AUTH)
    assert status == 429
    assert body["error"]["message"] == "Simulated upstream error"
    assert (proxy.sink.last.status_code, proxy.sink.last.upstream_status) == (429, 429)


async def test_unknown_path_gets_404_in_the_error_shape(start_proxy: StartProxy) -> None:
    """Paths outside the API get a 404 in the OpenAI error shape."""
    proxy = await start_proxy()
    async with aiohttp.ClientSession() as session, session.get(f"{proxy.url}/nope") as response:
        assert response.status == 404
        assert_error_shape(await response.json(), "not_found")


@pytest.mark.parametrize(
    ("supplied", "kept"),
    [("trace-1234abcd", True), ("bad id with spaces", False), ("x" * 300, False)],
)
async def test_caller_request_id_is_kept_beside_the_proxys_own(
    start_proxy: StartProxy, supplied: str, kept: bool
) -> None:
    """The event id is always the proxy's; a sane caller x-request-id is kept as
    client_request_id, anything else is dropped."""
    proxy = await start_proxy()
    _, _, headers = await post(
        f"{proxy.url}/v1/chat/completions",
        json=CHAT,
        headers={**AUTH, "x-request-id": supplied},
    )
    assert headers["x-request-id"] != supplied
    assert headers["x-request-id"] == proxy.sink.last.request_id
    assert proxy.sink.last.client_request_id == (supplied if kept else "")


async def test_a_reused_caller_request_id_gives_distinct_events(start_proxy: StartProxy) -> None:
    """Two calls with the same caller x-request-id are two events with their own ids."""
    proxy = await start_proxy()
    for _ in range(2):
        await post(
            f"{proxy.url}/v1/chat/completions",
            json=CHAT,
            headers={**AUTH, "x-request-id": "trace-same-id-1"},
        )
    first, second = proxy.sink.events[-2:]
    assert first.request_id != second.request_id
    assert first.client_request_id == second.client_request_id == "trace-same-id-1"


async def test_hop_by_hop_and_credential_headers_are_not_forwarded(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """Hop-by-hop headers, cookies and headers named in Connection stay at the proxy."""
    proxy = await start_proxy()
    await post(
        f"{proxy.url}/v1/chat/completions",
        json=CHAT,
        headers={
            **AUTH,
            "Connection": "keep-alive, X-Secret-Hop",
            "X-Secret-Hop": "1",
            "Keep-Alive": "timeout=5",
            "Cookie": "session=abc",
            "Proxy-Authorization": "Basic Zm9vOmJhcg==",
            "OpenAI-Organization": "org-123",
        },
    )
    forwarded = fake.last.headers
    for name in ("x-secret-hop", "keep-alive", "cookie", "proxy-authorization"):
        assert name not in forwarded
    assert forwarded["openai-organization"] == "org-123"
    assert forwarded["x-request-id"] == proxy.sink.last.request_id
