"""Path canonicalisation: what the proxy inspects under an API is exactly what it forwards.

The attacks come from issue 8: dot segments, encoded dots and slashes, empty segments and
trailing slashes made the proxy classify a chat call as an uninspected pass-through while
the HTTP client normalised the URL back to the chat endpoint before sending it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson
import pytest
from yarl import URL

from policies.inspector import PolicyInspector
from proxy.call.paths import InvalidPath, canonical_path
from tests.fakes import FakeUpstream
from tests.policies.factories import OPENAI_KEY, real_scanner
from tests.policies.pattern_detection import cached_pack
from tests.proxy.conftest import CALLER_KEY, Proxy, StartProxy

INSPECTED = frozenset({"/v1/chat/completions", "/v1/messages", "/v1/responses"})

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"key {OPENAI_KEY}"}]}
MESSAGES = {
    "model": "claude-3-5-haiku-latest",
    "max_tokens": 10,
    "messages": [{"role": "user", "content": f"key {OPENAI_KEY}"}],
}
RESPONSES = {"model": "gpt-4o-mini", "input": f"key {OPENAI_KEY}"}


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("/v1/chat/completions", "/v1/chat/completions"),
        ("/v1/chat/complet%69ons", "/v1/chat/completions"),
        ("/v1/files/file-abc123/content", "/v1/files/file-abc123/content"),
        ("/v1/models/ft:gpt-4o-mini:acme:v2:AbC123", "/v1/models/ft:gpt-4o-mini:acme:v2:AbC123"),
        ("/v1/messages/batches/msgbatch_01", "/v1/messages/batches/msgbatch_01"),
        ("/v1/.well-known", "/v1/.well-known"),
    ],
)
def test_canonical_paths_are_accepted(raw: str, canonical: str) -> None:
    """Plain API paths pass; an encoded ordinary character is decoded."""
    assert canonical_path(raw, inspected=INSPECTED) == canonical


AMBIGUOUS = [
    "/v1/x/../chat/completions",
    "/v1/chat/completions/.",
    "/v1/./chat/completions",
    "/v1/%2e%2e/chat/completions",
    "/v1/x/%2E%2E/chat/completions",
    "/v1/x/.%2e/chat/completions",
    "/v1/x/..%2Fchat/completions",
    "/v1//chat/completions",
    "/v1/chat/completions/",
    "/v1/chat%2Fcompletions",
    "/v1/chat%2fcompletions",
    "/v1/chat%5Ccompletions",
    "/v1/chat\\completions",
    "/v1/chat/completions;x=1",
    "/v1/Chat/Completions",
    "/v1/messages/../messages",
    "/v1/x/../responses",
    "/v1/files/../batches",
    "/v1/files/../../organization/admin_api_keys",
    "/v1/../../../../etc/passwd",
    "/v1/chat/completions%00",
    "/v1/chat/%ff",
    "/v1/chat/compl%C3%A9tions",
]


@pytest.mark.parametrize("raw", AMBIGUOUS)
def test_ambiguous_paths_are_refused(raw: str) -> None:
    """Every ambiguous form named in issue 8 raises InvalidPath (400)."""
    with pytest.raises(InvalidPath):
        canonical_path(raw, inspected=INSPECTED)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def error(self) -> dict[str, Any]:
        error: dict[str, Any] = orjson.loads(self.body)["error"]
        return error


async def _post(proxy: Proxy, raw_path: str, body: Any) -> Answer:
    """POST ``body`` to the raw, unnormalised ``raw_path`` (the client must not clean it)."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            URL(proxy.url + raw_path, encoded=True),
            data=orjson.dumps(body),
            headers={"Authorization": f"Bearer {CALLER_KEY}", "Content-Type": "application/json"},
        ) as response,
    ):
        return Answer(response.status, await response.read())


@pytest.fixture
def policy_inspector() -> PolicyInspector:
    """The default pack with the real secrets detector (no spaCy needed for these keys)."""
    return PolicyInspector(cached_pack(), real_scanner())


# Every ambiguous form, on every inspected API, streamed or not.
_ATTACKS = [
    (raw.replace("/chat/completions", suffix), body)
    for raw in AMBIGUOUS
    if "/chat/completions" in raw
    for suffix, body in (
        ("/chat/completions", CHAT),
        ("/responses", RESPONSES),
        ("/messages", MESSAGES),
    )
]


async def test_no_ambiguous_path_reaches_the_upstream(
    start_proxy: StartProxy, fake: FakeUpstream, policy_inspector: PolicyInspector
) -> None:
    """Each ambiguous path, streamed or not, gets 400 invalid_path and nothing is forwarded."""
    proxy = await start_proxy(inspector=policy_inspector)
    attacks = [*_ATTACKS, *((raw, CHAT) for raw in AMBIGUOUS)]
    for (raw, body), stream in itertools.product(attacks, (False, True)):
        response = await _post(proxy, raw, {**body, "stream": stream})
        assert response.status == 400, raw
        error = response.error()
        assert (error["type"], error["code"]) == ("invalid_request_error", "invalid_path")
        assert OPENAI_KEY not in error["message"]
    assert fake.requests == []
    assert {event.decision for event in proxy.sink.events} == {"reject"}


async def test_encoded_ordinary_characters_are_inspected_and_forwarded_canonical(
    start_proxy: StartProxy, fake: FakeUpstream, policy_inspector: PolicyInspector
) -> None:
    """``complet%69ons`` is the chat API: the secret is blocked, a clean prompt goes out as
    /v1/chat/completions."""
    proxy = await start_proxy(inspector=policy_inspector)
    blocked = await _post(proxy, "/v1/chat/complet%69ons", CHAT)
    assert blocked.status == 403
    assert fake.requests == []
    clean = {**CHAT, "messages": [{"role": "user", "content": "hello"}]}
    answered = await _post(proxy, "/v1/chat/complet%69ons", clean)
    assert answered.status == 200
    assert fake.last.raw_path == "/v1/chat/completions"
    assert proxy.sink.last.endpoint == "/v1/chat/completions"


async def test_closed_register_path_allow_list_cannot_be_escaped(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """``/v1/files/../batches`` no longer passes a ``/v1/files*`` allow-list."""
    proxy = await start_proxy(
        {
            "register": {
                "passthrough_paths": ["/v1/files*"],
                "models": [{"name": "gpt-4o-mini", "provider": "openai"}],
            }
        }
    )
    refused = await _post(proxy, "/v1/files/../batches", {"input_file_id": "file-1"})
    assert refused.status == 400
    allowed = await _post(proxy, "/v1/files", {"purpose": "batch"})
    assert allowed.status != 400
    assert [r.raw_path for r in fake.requests] == ["/v1/files"]
    batches = await _post(proxy, "/v1/batches", {"input_file_id": "file-1"})
    assert batches.status == 403
    assert [r.raw_path for r in fake.requests] == ["/v1/files"]


async def test_ids_in_paths_are_forwarded_byte_for_byte(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A pass-through path with ids reaches the provider exactly as the proxy judged it."""
    proxy = await start_proxy()
    async with aiohttp.ClientSession() as session:
        url = URL(proxy.url + "/v1/files/file-AbC_123/content", encoded=True)
        async with session.get(url, headers={"Authorization": f"Bearer {CALLER_KEY}"}) as r:
            await r.read()
    assert fake.last.raw_path == "/v1/files/file-AbC_123/content"
    assert proxy.sink.last.endpoint == "/v1/files/file-AbC_123/content"
