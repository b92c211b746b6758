"""What reaches the provider is fixed to the byte: request line, every header in order and
case, and body, for each provider kind, in pass-through and with the proxy's credential.

The expected requests were recorded from the proxy at 70ef428, before the client side was
made cheaper (issue 11, h91): any change to how the upstream request is built shows here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
from aiohttp import web

from proxy.config.key_changes import create_key
from tests.proxy.conftest import Proxy, StartProxy

pytestmark = pytest.mark.asyncio

CHAT_ANSWER = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "gpt-4o-mini",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
MESSAGE_ANSWER = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude-test",
    "content": [{"type": "text", "text": "ok"}],
    "stop_reason": "end_turn",
    "usage": {"input_tokens": 1, "output_tokens": 1},
}


@dataclass
class Received:
    """One request as the recording upstream read it off the wire."""

    line: str  # method and request target, as sent
    headers: list[tuple[str, str]]  # raw names and values, in order
    body: bytes


@dataclass
class RecordingUpstream:
    """A provider on loopback that keeps every request's raw request line and headers."""

    url: str = ""
    received: list[Received] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(
            Received(
                line=f"{request.method} {request.raw_path}",
                headers=[(k.decode(), v.decode()) for k, v in request.raw_headers],
                body=await request.read(),
            )
        )
        if request.method == "GET":
            return web.json_response({"object": "list", "data": []})
        answer = MESSAGE_ANSWER if request.path.endswith("/messages") else CHAT_ANSWER
        return web.Response(body=orjson.dumps(answer), content_type="application/json")


@pytest.fixture
async def recording() -> AsyncIterator[RecordingUpstream]:
    upstream = RecordingUpstream()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", upstream.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    upstream.url = f"http://{host}:{port}"
    yield upstream
    await runner.cleanup()


def _config(upstream: RecordingUpstream) -> dict[str, Any]:
    return {
        "providers": {
            "azure-eu": {
                "kind": "azure",
                "base_url": upstream.url,
                "api_version": "2024-10-21",
                "api_key_env": "AZURE_OPENAI_API_KEY",
            },
            "local-vllm": {"kind": "openai_compatible", "base_url": f"{upstream.url}/v1"},
        },
        "register": {
            "passthrough_paths": ["/v1/files*"],
            "models": [
                {"name": "gpt-4o-mini", "provider": "openai"},
                {"name": "house", "provider": "openai", "upstream_model": "gpt-4o-2024-08-06"},
                {"name": "gpt-4o-eu", "provider": "azure-eu", "deployment": "gpt4o prod"},
                {"name": "llama-3", "provider": "local-vllm"},
                {"name": "claude-test", "provider": "anthropic"},
            ],
        },
    }


async def _start(start_proxy: StartProxy, upstream: RecordingUpstream) -> Proxy:
    return await start_proxy(
        _config(upstream),
        environ={
            "OPENAI_BASE_URL": f"{upstream.url}/v1",
            "ANTHROPIC_BASE_URL": upstream.url,
            "AZURE_OPENAI_API_KEY": "azure-central-key-0123456789",
        },
    )


async def _send(proxy: Proxy, target: str, headers: list[tuple[str, str]], body: bytes) -> str:
    """Send one request with exactly these header lines; returns the proxy's x-request-id."""
    host, port = proxy.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    method = "POST" if body else "GET"
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    answer = await reader.read()  # the caller's Connection: close ends it
    writer.close()
    await writer.wait_closed()
    head = answer.split(b"\r\n\r\n", 1)[0].decode()
    assert head.startswith("HTTP/1.1 200"), head
    return next(
        line.split(":", 1)[1].strip()
        for line in head.split("\r\n")
        if line.lower().startswith("x-request-id:")
    )


def _seen(upstream: RecordingUpstream, request_id: str) -> tuple[str, list[tuple[str, str]]]:
    """The last request's line and headers, with the values that change per run named."""
    last = upstream.received[-1]
    port = upstream.url.rsplit(":", 1)[1]
    headers = []
    for name, value in last.headers:
        if name.lower() == "x-request-id":
            assert value == request_id  # the event's id, as the caller was told
            headers.append((name, "<request id>"))
        else:
            headers.append((name, value.replace(port, "<port>")))
    return last.line, headers


#: What aiohttp's client asks for (the caller's own Accept-Encoding is not forwarded).
ACCEPT_ENCODING = "gzip, deflate, br, zstd"


@dataclass(frozen=True)
class Case:
    """A caller's request and the request line and headers the provider must receive."""

    target: str
    headers: list[tuple[str, str]]
    body: bytes
    expected: tuple[str, list[tuple[str, str]]]


CHAT = b'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}'
#: An OpenAI SDK's headers, and ones the proxy must not forward.
SDK_HEADERS = [
    ("Accept", "application/json"),
    ("Accept-Encoding", "gzip, deflate"),
    ("Connection", "close, X-Secret-Hop"),
    ("Content-Type", "application/json"),
    ("User-Agent", "AsyncOpenAI/Python 1.99.0"),
    ("X-Stainless-Lang", "python"),
    ("x-stainless-retry-count", "0"),
    ("OpenAI-Organization", "org-abc"),
    ("X-Secret-Hop", "hop-value"),
    ("Cookie", "session=caller"),
    ("X-Forwarded-For", "10.0.0.1"),
    ("X-Request-Id", "caller-chosen-id-0001"),
    ("X-Dup", "one"),
    ("x-dup", "two"),
]
PASS_THROUGH = [
    Case(
        "/v1/chat/completions",
        [*SDK_HEADERS, ("Authorization", "Bearer sk-caller-own-key-0123456789")],
        CHAT,
        (
            "POST /v1/chat/completions",
            [
                ("Host", "127.0.0.1:<port>"),
                ("Accept", "application/json"),
                ("Content-Type", "application/json"),
                ("User-Agent", "AsyncOpenAI/Python 1.99.0"),
                ("X-Stainless-Lang", "python"),
                ("x-stainless-retry-count", "0"),
                ("OpenAI-Organization", "org-abc"),
                # aiohttp's client keeps one of a header repeated in another case.
                ("x-dup", "two"),
                ("x-request-id", "<request id>"),
                ("authorization", "Bearer sk-caller-own-key-0123456789"),
                ("Accept-Encoding", ACCEPT_ENCODING),
                ("Content-Length", "67"),
            ],
        ),
    ),
    Case(
        "/v1/files?limit=2&after=m%201&limit=3",
        [
            ("User-Agent", "curl/8"),
            ("Connection", "close"),
            ("Authorization", "Bearer sk-caller-own-key-0123456789"),
        ],
        b"",
        (
            "GET /v1/files?limit=2&after=m+1&limit=3",  # the query is sent re-encoded
            [
                ("Host", "127.0.0.1:<port>"),
                ("User-Agent", "curl/8"),
                ("x-request-id", "<request id>"),
                ("authorization", "Bearer sk-caller-own-key-0123456789"),
                ("Accept", "*/*"),
                ("Accept-Encoding", ACCEPT_ENCODING),
                # The empty body is sent as a payload (as at 70ef428).
                ("Content-Length", "0"),
                ("Content-Type", "application/octet-stream"),
            ],
        ),
    ),
    Case(
        "/v1/messages",
        [
            ("anthropic-version", "2024-10-01"),
            ("Content-Type", "application/json"),
            ("User-Agent", "AsyncAnthropic/Python 0.60"),
            ("Connection", "close"),
            ("x-api-key", "sk-ant-caller-own-0123456789"),
        ],
        b'{"model":"claude-test","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}',
        (
            "POST /v1/messages",
            [
                ("Host", "127.0.0.1:<port>"),
                ("anthropic-version", "2024-10-01"),
                ("Content-Type", "application/json"),
                ("User-Agent", "AsyncAnthropic/Python 0.60"),
                ("x-request-id", "<request id>"),
                ("x-api-key", "sk-ant-caller-own-0123456789"),
                ("Accept", "*/*"),
                ("Accept-Encoding", ACCEPT_ENCODING),
                ("Content-Length", "82"),
            ],
        ),
    ),
]


@pytest.mark.parametrize("case", PASS_THROUGH)
async def test_a_pass_through_call_reaches_the_provider_as_recorded(
    start_proxy: StartProxy, recording: RecordingUpstream, case: Case
) -> None:
    """A caller's own key: the provider receives exactly the recorded request line and
    headers (filtered, in the caller's order and case, then the proxy's), twice in a row."""
    proxy = await _start(start_proxy, recording)
    for _ in range(2):  # the second call finds whatever the first one memoised
        request_id = await _send(proxy, case.target, case.headers, case.body)
        assert _seen(recording, request_id) == case.expected
    assert recording.received[-1].body == case.body


VIRTUAL_KEY = [
    Case(
        "/v1/chat/completions",
        [("Content-Type", "application/json"), ("User-Agent", "sdk"), ("Connection", "close")],
        b'{"model":"house","messages":[{"role":"user","content":"hi"}]}',  # model rewritten
        (
            "POST /v1/chat/completions",
            [
                ("Host", "127.0.0.1:<port>"),
                ("Content-Type", "application/json"),
                ("User-Agent", "sdk"),
                ("x-request-id", "<request id>"),
                ("Authorization", "Bearer sk-central-provider-key-0123456789"),
                ("Accept", "*/*"),
                ("Accept-Encoding", ACCEPT_ENCODING),
                ("Content-Length", "73"),
            ],
        ),
    ),
    Case(
        "/v1/chat/completions?trace=1&trace=2",
        [("User-Agent", "sdk"), ("Connection", "close"), ("Content-Type", "application/json")],
        b'{"model":"gpt-4o-eu","messages":[{"role":"user","content":"hi"}]}',
        (
            "POST /openai/deployments/gpt4o%20prod/chat/completions"
            "?trace=1&trace=2&api-version=2024-10-21",
            [
                ("Host", "127.0.0.1:<port>"),
                ("User-Agent", "sdk"),
                ("Content-Type", "application/json"),
                ("x-request-id", "<request id>"),
                ("api-key", "azure-central-key-0123456789"),
                ("Accept", "*/*"),
                ("Accept-Encoding", ACCEPT_ENCODING),
                ("Content-Length", "65"),
            ],
        ),
    ),
    Case(
        "/v1/messages",
        [("Content-Type", "application/json"), ("User-Agent", "sdk"), ("Connection", "close")],
        b'{"model":"claude-test","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}',
        (
            "POST /v1/messages",
            [
                ("Host", "127.0.0.1:<port>"),
                ("Content-Type", "application/json"),
                ("User-Agent", "sdk"),
                ("x-request-id", "<request id>"),
                ("anthropic-version", "2023-06-01"),
                ("x-api-key", "sk-ant-central-provider-key-0123456789"),
                ("Accept", "*/*"),
                ("Accept-Encoding", ACCEPT_ENCODING),
                ("Content-Length", "82"),
            ],
        ),
    ),
    Case(
        "/v1/chat/completions",
        [("Content-Type", "application/json"), ("User-Agent", "sdk"), ("Connection", "close")],
        b'{"model":"llama-3","messages":[{"role":"user","content":"hi"}]}',
        (
            "POST /v1/chat/completions",
            [
                ("Host", "127.0.0.1:<port>"),
                ("Content-Type", "application/json"),
                ("User-Agent", "sdk"),
                ("x-request-id", "<request id>"),
                ("Accept", "*/*"),
                ("Accept-Encoding", ACCEPT_ENCODING),
                ("Content-Length", "63"),
            ],
        ),
    ),
]


@pytest.mark.parametrize("case", VIRTUAL_KEY)
async def test_a_virtual_key_call_reaches_the_provider_as_recorded(
    start_proxy: StartProxy, recording: RecordingUpstream, case: Case
) -> None:
    """A virtual key: the provider receives exactly the recorded request line and headers,
    with the proxy's credential in the provider's form, twice in a row."""
    proxy = await _start(start_proxy, recording)
    issued = create_key(proxy.settings.keys_file, user="ann", team="research")
    proxy.services.keys.reload()
    with_key = [*case.headers, ("Authorization", f"Bearer {issued.key}")]
    for _ in range(2):
        request_id = await _send(proxy, case.target, with_key, case.body)
        assert _seen(recording, request_id) == case.expected
