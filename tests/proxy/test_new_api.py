"""Adding an API to the running proxy is registering its wire module: a toy API's calls
are authenticated, inspected by the default policy, relayed and recorded under its name,
with nothing else changed (the toy module is :class:`tests.wire.test_registry.ToyGenerate`)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from proxy.config.key_changes import create_key
from proxy.store import open_client
from tests.fakes.loopback import on_loopback
from tests.proxy.conftest import ANTHROPIC_PROVIDER_KEY, Proxy, StartProxy
from tests.proxy.test_event_log import flush
from tests.proxy.test_secrets_at_rest import CARD, GITHUB
from tests.wire.test_registry import TOY, TOY_PATH, ToyGenerate
from wire.apis.registry import WireRegistry, default_apis

#: The toy answer: a card number cut across stream events, then the end with usage.
PIECES = ["Your card is 4111 11", "11 1111 1111", " as asked."]
USAGE = {"input_tokens": 7, "output_tokens": 5}
#: The default policy with the real secrets detector and a card pattern (no spaCy, in process).
DETECTORS = {
    "enabled": ["secrets", "custom"],
    "custom": {
        "regexes": [
            {"entity_type": "CREDIT_CARD", "pattern": r"\b\d{4}(?: \d{4}){3}\b", "score": 0.9}
        ]
    },
    "service": {"workers": 0},
}


class ToyUpstream:
    """The toy API's provider: records each request, answers JSON or a stream of pieces."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, str], Any]] = []

    async def generate(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.received.append((request.path, dict(request.headers), body))
        if not body.get("stream"):
            return web.json_response({"answer": "".join(PIECES), "usage": USAGE})
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for payload in [*({"piece": piece} for piece in PIECES), {"type": "done", "usage": USAGE}]:
            await response.write(f"data: {json.dumps(payload)}\n\n".encode())
        await response.write_eof()
        return response


@pytest.fixture
async def toy_upstream() -> AsyncIterator[tuple[ToyUpstream, str]]:
    """The toy provider on loopback, and its base URL."""
    upstream = ToyUpstream()
    app = web.Application()
    app.router.add_post(TOY_PATH, upstream.generate)
    async with on_loopback(app) as base:
        yield upstream, base


@pytest.fixture
async def toy_proxy(
    start_proxy: StartProxy,
    toy_upstream: tuple[ToyUpstream, str],
    clickhouse_url: str,
    store_database: str,
) -> Proxy:
    """A proxy serving the shipped APIs plus the toy one (an Anthropic-family API, so its
    upstream is the Anthropic provider's base URL), enforcing the default policy and
    recording to the session's embedded event log."""
    _, base_url = toy_upstream
    return await start_proxy(
        {
            "detectors": DETECTORS,
            "store": {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05},
        },
        environ={"ANTHROPIC_BASE_URL": base_url},
        event_log=True,
        enforce=True,
        wire=WireRegistry([*default_apis(), ToyGenerate()]),
    )


async def call_toy(proxy: Proxy, key: str, body: dict[str, Any]) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{proxy.url}{TOY_PATH}", json=body, headers={"Authorization": f"Bearer {key}"}
        ) as response,
    ):
        return response.status, await response.text()


def stored(proxy: Proxy) -> list[tuple[Any, ...]]:
    store = proxy.settings.store
    client = open_client(store)
    try:
        sql = (
            "SELECT endpoint, user, decision, rules, prompt, response, prompt_tokens,"
            f" completion_tokens FROM {store.database}.requests ORDER BY ts"
        )
        return [tuple(row) for row in client.query(sql).result_rows]
    finally:
        client.close()


def calls_counted(proxy: Proxy, api: str) -> float:
    """``requests_total`` summed over the series of the endpoint label ``api``."""
    return sum(
        sample.value
        for metric in proxy.metrics.registry.collect()
        if metric.name == "llm_proxy_requests"
        for sample in metric.samples
        if sample.name == "llm_proxy_requests_total" and sample.labels.get("endpoint") == api
    )


async def test_a_registered_api_goes_through_the_whole_proxy(
    toy_proxy: Proxy, toy_upstream: tuple[ToyUpstream, str], tmp_path: Path
) -> None:
    """A toy API call with a virtual key is refused for a secret, and its streamed answer
    reaches the caller and the event log with the card masked, recorded under its name."""
    upstream, _ = toy_upstream
    issued = create_key(tmp_path / "data" / "keys.yaml", user="ann", team="red")
    # The keys file is read at start: a key issued after start needs a reload.
    toy_proxy.services.keys.reload()

    status, text = await call_toy(toy_proxy, "sk-not-a-key", {"model": "toy-1", "question": "hi"})
    assert status == 401

    status, text = await call_toy(
        toy_proxy, issued.key, {"model": "toy-1", "question": f"clone it with {GITHUB}"}
    )
    assert status == 403
    assert json.loads(text)["error"]["code"] == "policy_violation"
    assert GITHUB not in text
    assert upstream.received == []

    status, text = await call_toy(
        toy_proxy, issued.key, {"model": "toy-1", "question": "my card?", "stream": True}
    )
    assert status == 200
    answer = "".join(
        json.loads(line.removeprefix("data: ")).get("piece", "")
        for line in text.splitlines()
        if line.startswith("data: ")
    )
    assert CARD not in answer
    assert answer.startswith("Your card is ")
    assert answer.endswith(" as asked.")
    ((path, headers, body),) = upstream.received
    assert (path, body["question"]) == (TOY_PATH, "my card?")
    assert headers["x-api-key"] == ANTHROPIC_PROVIDER_KEY  # the caller's key stays here

    await flush(toy_proxy)
    rows = stored(toy_proxy)
    assert [row[:3] for row in rows] == [
        (TOY_PATH, "", "reject"),
        (TOY_PATH, "ann", "block"),
        (TOY_PATH, "ann", "redact"),
    ]
    blocked, answered = rows[1], rows[2]
    assert "block-secrets" in blocked[3]
    assert GITHUB not in blocked[4]
    assert answered[5] == answer
    assert CARD not in answered[5]
    assert answered[6:] == (USAGE["input_tokens"], USAGE["output_tokens"])
    # The refused key counts under the API its path routes to, as for every API (1055eca).
    assert calls_counted(toy_proxy, TOY) == 3
