"""A call refused before its caller was known counts under the API it called (h184).

A security team watching ``llm_proxy_requests_total`` per ``endpoint`` (the API) must see a
brute force of keys against ``/v1/chat/completions`` in the chat series, not as noise on
``other``: the API is read from the path alone (the route table), before authentication, so
no key, a wrong key and a revoked key count where a key not entitled to the model always
did. Paths no route takes, and ``/v1`` paths no API's format serves (``/v1/files``), stay
``other``. Through the real proxy with virtual keys, the official SDKs as callers and rows
from the real embedded event log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest

from proxy.config.key_changes import create_key, revoke_key
from tests.proxy.conftest import Proxy, StartProxy
from tests.proxy.test_arrived_calls import calls_by_api, rows_by_id
from tests.proxy.test_unrouted_calls import raw_call

MESSAGES: Any = [{"role": "user", "content": "hi"}]
#: The one model the entitled key may call; every call below names another.
ENTITLED_MODEL = "gpt-4o-mini"


@dataclass(frozen=True)
class Api:
    """One API as a caller reaches it: the ``endpoint`` label its calls count under, the
    path its row holds, and one call of it through its SDK with a key (None: no key)."""

    label: str
    path: str
    call: Callable[[Proxy, str | None], Awaitable[object]]
    names_model: bool = True


def _openai(proxy: Proxy, key: str | None, base: str = "/v1") -> openai.AsyncOpenAI:
    client = openai.AsyncOpenAI(base_url=f"{proxy.url}{base}", api_key=key or "-", max_retries=0)
    proxy.clients.append(client)
    return client


def _anthropic(proxy: Proxy, key: str | None) -> anthropic.AsyncAnthropic:
    client = anthropic.AsyncAnthropic(base_url=proxy.url, api_key=key or "-", max_retries=0)
    proxy.clients.append(client)
    return client


def _sent(key: str | None, omit: type = openai.Omit) -> dict[str, Any]:
    """The SDK call's ``extra_headers``: without a key, no credential header at all (``omit``
    is the SDK's own marker)."""
    return {} if key is not None else {"Authorization": omit(), "X-Api-Key": omit()}


APIS = [
    Api(
        "chat.completions",
        "/v1/chat/completions",
        lambda p, k: _openai(p, k).chat.completions.create(
            model="gpt-4o", messages=MESSAGES, extra_headers=_sent(k)
        ),
    ),
    Api(
        "responses",
        "/v1/responses",
        lambda p, k: _openai(p, k).responses.create(
            model="gpt-4o", input="hi", extra_headers=_sent(k)
        ),
    ),
    Api(
        "embeddings",
        "/v1/embeddings",
        lambda p, k: _openai(p, k).embeddings.create(
            model="text-embedding-3-small", input="hi", extra_headers=_sent(k)
        ),
    ),
    Api(
        "messages",
        "/v1/messages",
        lambda p, k: _anthropic(p, k).messages.create(
            model="claude-3-5-haiku-latest",
            max_tokens=16,
            messages=MESSAGES,
            extra_headers=_sent(k, anthropic.Omit),
        ),
    ),
    Api(
        "models",
        "/v1/models",
        lambda p, k: _openai(p, k).models.list(extra_headers=_sent(k)),
        names_model=False,
    ),
    # A pass-through path: served, but no API's format reads it.
    Api(
        "other",
        "/v1/files",
        lambda p, k: _openai(p, k).files.list(extra_headers=_sent(k)),
        names_model=False,
    ),
]


@dataclass(frozen=True)
class Keys:
    """The virtual keys the proxy knows: one entitled to :data:`ENTITLED_MODEL`, one revoked."""

    entitled: str
    revoked: str


@pytest.fixture
async def keyed_proxy(
    start_proxy: StartProxy, clickhouse_url: str, store_database: str, tmp_path: Path
) -> tuple[Proxy, Keys]:
    """A proxy requiring virtual keys, recording to the embedded event log."""
    keys_file = tmp_path / "data" / "keys.yaml"
    entitled = create_key(keys_file, user="ann", team="red", models=(ENTITLED_MODEL,))
    revoked = create_key(keys_file, user="bob", team="red")
    revoke_key(keys_file, revoked.entry.id)
    store = {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05}
    proxy = await start_proxy({"store": store}, event_log=True)
    return proxy, Keys(entitled=entitled.key, revoked=revoked.key)


async def _refusal(api: Api, proxy: Proxy, key: str | None) -> tuple[int, str]:
    """Make ``api``'s call with ``key``; the status and ``x-request-id`` it was refused with."""
    try:
        await api.call(proxy, key)
    except (openai.APIStatusError, anthropic.APIStatusError) as refused:
        return refused.status_code, refused.response.headers["x-request-id"]
    raise AssertionError(f"{api.path} was served")


@pytest.mark.parametrize(
    ("holding", "status", "error"),
    [
        ("no key", 401, "missing_api_key"),
        ("an unknown key", 401, "invalid_api_key"),
        ("a revoked key", 401, "invalid_api_key"),
        ("a key not entitled to the model", 403, "model_not_entitled"),
    ],
)
async def test_a_refused_call_counts_under_the_api_it_called(
    keyed_proxy: tuple[Proxy, Keys], holding: str, status: int, error: str
) -> None:
    """Each API's call refused for its key is one ``reject``/``4xx`` of that API's
    ``endpoint`` label (the chat series holds refused chat calls), and its row holds the
    API's path, the status, the refusal and no key id."""
    proxy, keys = keyed_proxy
    key = {
        "no key": None,
        "an unknown key": "sk-llmp-guessed-0123456789abcdef",
        "a revoked key": keys.revoked,
        "a key not entitled to the model": keys.entitled,
    }[holding]
    apis = [api for api in APIS if api.names_model or status == 401]
    answered = {}
    for api in apis:
        before = calls_by_api(proxy)
        got, request_id = await _refusal(api, proxy, key)
        assert got == status, api.path
        counted = {
            labels: count - before.get(labels, 0)
            for labels, count in calls_by_api(proxy).items()
            if count != before.get(labels, 0)
        }
        assert counted == {(api.label, "reject", "4xx"): 1}, api.path
        answered[request_id] = api.path

    rows = await rows_by_id(proxy)
    assert {
        request_id: (row["endpoint"], row["status_code"], row["error"], row["decision"])
        for request_id, row in rows.items()
    } == {request_id: (path, status, error, "reject") for request_id, path in answered.items()}
    if status == 401:
        assert {row["key_id"] for row in rows.values()} == {""}


async def test_a_call_counts_as_other_only_when_no_api_route_takes_it(
    keyed_proxy: tuple[Proxy, Keys],
) -> None:
    """A refusal on an API's route before its handler ran (an ``Expect`` the proxy does not
    meet) counts under that API; a path no route takes and a ``/v1`` path not in canonical
    form (refused before it is routed) count under ``other``."""
    proxy, _ = keyed_proxy
    for method, path, headers, label, status in [
        ("POST", "/v1/chat/completions", {"Expect": "no-such"}, "chat.completions", 417),
        ("POST", "/v2/chat/completions", {}, "other", 404),
        ("POST", "/v1/Chat/Completions", {}, "other", 400),
        ("POST", "/v1/chat/completions/", {}, "other", 400),
    ]:
        before = calls_by_api(proxy)
        got, _, _ = await raw_call(proxy, method, path, headers, json={"model": "gpt-4o"})
        assert got == status, path
        after = calls_by_api(proxy)
        counted = {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}
        assert counted == {(label, "reject", "4xx"): 1}, path
