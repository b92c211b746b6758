"""Request bodies: what the proxy judged is what it forwards, and odd encodings get clear
errors in the OpenAI shape (issue 8, smaller items)."""

from __future__ import annotations

import gzip
from typing import Any

import aiohttp
import brotli
import orjson
import pytest

from policies.inspector import PolicyInspector
from tests.fakes import FakeUpstream
from tests.policies.factories import OPENAI_KEY, real_scanner
from tests.policies.pattern_detection import cached_pack
from tests.proxy.conftest import CALLER_KEY, StartProxy

AUTH = {"Authorization": f"Bearer {CALLER_KEY}", "Content-Type": "application/json"}
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}


async def post(url: str, data: bytes, **headers: str) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=data, headers={**AUTH, **headers}) as response,
    ):
        return response.status, await response.json(content_type=None)


async def test_duplicate_keys_forward_only_what_the_policy_judged(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """With two ``messages`` keys the policy reads the last; the provider gets only that one,
    so a parser that keeps the first cannot see the secret the policy never judged."""
    proxy = await start_proxy(inspector=PolicyInspector(cached_pack(), real_scanner()))
    secret = orjson.dumps([{"role": "user", "content": f"key {OPENAI_KEY}"}]).decode()
    clean = orjson.dumps(CHAT["messages"]).decode()
    body = f'{{"model": "gpt-4o-mini", "messages": {secret}, "messages": {clean}}}'
    status, _ = await post(f"{proxy.url}/v1/chat/completions", body.encode())
    assert status == 200
    assert OPENAI_KEY.encode() not in fake.last.body
    assert fake.last.body.count(b'"messages"') == 1
    assert fake.last.json == CHAT


async def test_duplicate_model_keys_reach_the_provider_as_the_register_saw_them(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """``{"model": "a", "model": "b"}`` is forwarded with the one model the register checked."""
    proxy = await start_proxy()
    body = b'{"model": "unapproved-model", "model": "gpt-4o-mini", "messages": []}'
    status, _ = await post(f"{proxy.url}/v1/chat/completions", body)
    assert status == 200
    assert b"unapproved-model" not in fake.last.body
    assert fake.last.json["model"] == "gpt-4o-mini"


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("br", brotli.compress), ("gzip", gzip.compress)],
)
async def test_compressed_bodies_are_decoded_and_inspected(
    start_proxy: StartProxy, fake: FakeUpstream, encoding: str, compress: Any
) -> None:
    """Brotli and gzip request bodies are decoded, so the policy sees (and blocks) the text."""
    proxy = await start_proxy(inspector=PolicyInspector(cached_pack(), real_scanner()))
    url = f"{proxy.url}/v1/chat/completions"
    secret = {**CHAT, "messages": [{"role": "user", "content": f"key {OPENAI_KEY}"}]}
    status, body = await post(url, compress(orjson.dumps(secret)), **{"Content-Encoding": encoding})
    assert (status, body["error"]["code"]) == (403, "policy_violation")
    status, _ = await post(url, compress(orjson.dumps(CHAT)), **{"Content-Encoding": encoding})
    assert status == 200
    assert fake.last.json == CHAT


@pytest.mark.parametrize("encoding", ["compress", "gzip, br", "x-custom"])
async def test_encodings_the_proxy_cannot_decode_get_415(
    start_proxy: StartProxy, fake: FakeUpstream, encoding: str
) -> None:
    """A body in an encoding the proxy cannot read is refused in the OpenAI shape, unsent."""
    proxy = await start_proxy()
    status, body = await post(
        f"{proxy.url}/v1/chat/completions", orjson.dumps(CHAT), **{"Content-Encoding": encoding}
    )
    assert status == 415
    assert body["error"]["code"] == "unsupported_content_encoding"
    assert body["error"]["type"] == "invalid_request_error"
    assert fake.requests == []


async def test_corrupt_compressed_body_gets_400_in_the_error_shape(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A gzip body that does not decompress is a 400 with the OpenAI error shape, not a 500."""
    proxy = await start_proxy()
    status, body = await post(
        f"{proxy.url}/v1/chat/completions", b"not gzip at all", **{"Content-Encoding": "gzip"}
    )
    assert status == 400
    assert body["error"]["type"] == "invalid_request_error"
    assert fake.requests == []
