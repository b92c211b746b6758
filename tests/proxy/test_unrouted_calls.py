"""A request no route takes is a call all the same (h163): it is answered with the id of its
recorded event, its row holds the status and refusal with the path as it rests (caller
segments ``<UNREAD>``), and neither the row, the answer nor the access line holds the
caller's key or path text. The operator's own paths answer with an id and record nothing.
Through the real proxy (raw aiohttp and the openai SDK as callers), real embedded rows.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import openai
import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import CollectorRegistry
from structlog.testing import capture_logs

from proxy.app import metrics_app
from proxy.metrics import Metrics
from proxy.store import open_client
from tests.fakes import FakeUpstream
from tests.policies.factories import AWS_KEY, OPENAI_KEY
from tests.proxy.conftest import CALLER_KEY, Proxy, StartProxy
from tests.proxy.test_event_log import flush
from tests.proxy.test_event_sink import FullSink
from tests.wire.test_registry import ToyGenerate
from wire.apis.registry import WireRegistry, default_apis

CHAT: Any = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
COLUMNS = "request_id, method, endpoint, status_code, error, decision, key_id, prompt, response"


@pytest.fixture
async def recording_proxy(
    start_proxy: StartProxy, clickhouse_url: str, store_database: str
) -> Proxy:
    """The zero-config proxy (pass-through keys) recording to the embedded event log."""
    store = {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05}
    return await start_proxy({"store": store}, event_log=True)


async def rows(proxy: Proxy) -> list[dict[str, Any]]:
    """Every recorded call's row (the columns of :data:`COLUMNS`)."""
    await flush(proxy)
    store = proxy.settings.store
    client = open_client(store)
    try:
        result = client.query(f"SELECT {COLUMNS} FROM {store.database}.requests")
        return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]
    finally:
        client.close()


def calls_counted(proxy: Proxy) -> float:
    """``llm_proxy_requests_total`` summed over its series: the calls the metrics count."""
    return sum(
        sample.value
        for metric in proxy.metrics.registry.collect()
        for sample in metric.samples
        if sample.name == "llm_proxy_requests_total"
    )


async def raw_call(
    proxy: Proxy, method: str, path: str, headers: dict[str, str] | None = None, **kw: Any
) -> tuple[int, str, str]:
    """The status, ``x-request-id`` ("" when missing) and body text of one raw call."""
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.request(method, f"{proxy.url}{path}", **kw) as response,
    ):
        return response.status, response.headers.get("x-request-id", ""), await response.text()


async def test_an_unrouted_call_is_recorded_under_the_id_it_is_answered_with(
    recording_proxy: Proxy, fake: FakeUpstream
) -> None:
    """A probe of a path no API claims, carrying a key in the path and the caller's own key
    in the header, gets 404 with an x-request-id; the event of that id holds 404, not_found,
    reject and the path with its caller segments unread, never either key."""
    proxy = recording_proxy
    path = f"/v2/{AWS_KEY}/chat/completions"
    with capture_logs() as logs:
        status, request_id, body = await raw_call(
            proxy, "POST", path, {"Authorization": f"Bearer {CALLER_KEY}"}, json=CHAT
        )
    assert (status, len(request_id)) == (404, 32)
    assert AWS_KEY not in body
    [row] = await rows(proxy)
    assert row["request_id"] == request_id
    assert (row["method"], row["endpoint"]) == ("POST", "/<UNREAD>/<UNREAD>/chat/completions")
    assert (row["status_code"], row["error"], row["decision"]) == (404, "not_found", "reject")
    assert row["key_id"]  # who probed: the caller key's fingerprint, never the key
    assert (row["prompt"], row["response"]) == ("", "")  # the body was never read
    assert AWS_KEY not in str(row)
    assert CALLER_KEY not in str(row)
    [line] = [line for line in logs if line["event"] == "call"]
    assert (line["request_id"], line["path"]) == (request_id, row["endpoint"])
    assert AWS_KEY not in repr(logs)
    assert CALLER_KEY not in repr(logs)
    assert fake.requests == []


async def test_a_call_without_a_key_to_an_unrouted_path_is_recorded_too(
    recording_proxy: Proxy,
) -> None:
    """A caller with no key (a scanner) is recorded as well: refused probes are what a
    responder looks for; an Azure client's deployment name (its key) rests unread."""
    proxy = recording_proxy
    path = f"/openai/deployments/{OPENAI_KEY}/chat/completions?api-version=2024-10-21"
    status, request_id, body = await raw_call(proxy, "GET", path)
    assert status == 404
    assert request_id
    assert OPENAI_KEY not in body
    [row] = await rows(proxy)
    assert row["request_id"] == request_id
    assert row["endpoint"] == "/<UNREAD>/deployments/<UNREAD>/chat/completions"
    assert (row["status_code"], row["key_id"]) == (404, "")
    assert OPENAI_KEY not in str(row)


async def test_the_openai_sdk_pointed_at_a_wrong_base_url_finds_its_call(
    recording_proxy: Proxy,
) -> None:
    """The official client with a base URL no API serves (``/v2``) gets NotFoundError whose
    response carries the x-request-id of a recorded event."""
    proxy = recording_proxy
    client = openai.AsyncOpenAI(base_url=f"{proxy.url}/v2", api_key=CALLER_KEY, max_retries=0)
    proxy.clients.append(client)
    with pytest.raises(openai.NotFoundError) as raised:
        await client.chat.completions.create(**CHAT)
    request_id = raised.value.response.headers.get("x-request-id")
    assert request_id
    [row] = await rows(proxy)
    assert (row["request_id"], row["endpoint"], row["status_code"]) == (
        request_id,
        "/<UNREAD>/chat/completions",
        404,
    )
    assert CALLER_KEY not in str(row)


async def test_the_operators_paths_answer_with_an_id_and_record_nothing(
    recording_proxy: Proxy,
) -> None:
    """/healthz, /readyz and /metrics, and a method they do not take (405), each answer
    with an x-request-id of its own; none of them is recorded or counted as a call (a
    kubelet probing every few seconds would swamp the request-rate panels and alerts)."""
    proxy = recording_proxy
    counted = calls_counted(proxy)
    ids = set()
    for method, path, expected in [
        ("GET", "/healthz", 200),
        ("GET", "/readyz", 200),
        ("GET", "/metrics", 200),
        ("POST", "/healthz", 405),
        ("DELETE", "/metrics", 405),
    ]:
        status, request_id, _ = await raw_call(proxy, method, path)
        assert (status, bool(request_id)) == (expected, True), (method, path)
        ids.add(request_id)
    assert len(ids) == 5
    assert await rows(proxy) == []
    assert calls_counted(proxy) == counted


async def test_the_readiness_refusal_carries_an_id(start_proxy: StartProxy) -> None:
    """/readyz answering 503 (the event log refusing events) carries an id too."""
    proxy = await start_proxy()
    proxy.services.sink = FullSink()
    status, request_id, body = await raw_call(proxy, "GET", "/readyz")
    assert (status, bool(request_id)) == (503, True), body


async def test_an_unrouted_path_names_a_registered_apis_own_words(
    start_proxy: StartProxy,
) -> None:
    """The words of every served API path are route words wherever a path is shown: a
    registered API's (``/v1/toy/generate``) stay in clear in an unrouted 404 and in a
    non-canonical path's 400, as in the row of a call it serves."""
    wire = WireRegistry([*default_apis(), ToyGenerate()])
    proxy = await start_proxy(wire=wire)
    status, request_id, body = await raw_call(proxy, "POST", "/v2/toy/generate")
    assert (status, bool(request_id)) == (404, True)
    assert "/<UNREAD>/toy/generate" in body
    status, request_id, body = await raw_call(proxy, "POST", "/v1/toy/generate/", json={})
    assert (status, bool(request_id)) == (400, True)
    assert "/v1/toy/generate/" in body
    assert [event.endpoint for event in proxy.sink.events] == [
        "/<UNREAD>/toy/generate",
        "/v1/toy/generate/",
    ]


async def test_an_unknown_expectation_is_refused_recorded_and_not_repeated(
    recording_proxy: Proxy, fake: FakeUpstream
) -> None:
    """An API call whose Expect header asks what the proxy does not do (a key pasted there)
    gets 417 in the error shape with an x-request-id and without the value, is recorded
    under that id, and nothing goes upstream; on /healthz the expectation is ignored."""
    proxy = recording_proxy
    headers = {"Authorization": f"Bearer {CALLER_KEY}", "Expect": AWS_KEY}
    status, request_id, body = await raw_call(
        proxy, "POST", "/v1/chat/completions", headers, json=CHAT
    )
    assert (status, bool(request_id)) == (417, True)
    assert AWS_KEY not in body
    [row] = await rows(proxy)
    assert row["request_id"] == request_id
    assert (row["endpoint"], row["status_code"], row["error"]) == (
        "/v1/chat/completions",
        417,
        "expectation_failed",
    )
    assert AWS_KEY not in str(row)
    assert fake.requests == []
    status, request_id, body = await raw_call(proxy, "GET", "/healthz", {"Expect": AWS_KEY})
    assert (status, bool(request_id)) == (200, True)
    assert AWS_KEY not in body


async def test_a_caller_waiting_for_100_continue_is_served(recording_proxy: Proxy) -> None:
    """``Expect: 100-continue`` is still honoured: the call goes through and is answered."""
    async with (
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {CALLER_KEY}"}) as session,
        session.post(
            f"{recording_proxy.url}/v1/chat/completions", json=CHAT, expect100=True
        ) as response,
    ):
        assert response.status == 200
        assert response.headers.get("x-request-id")


async def test_the_metrics_listener_answers_every_path_with_an_id() -> None:
    """The metrics listener of its own (``metrics.listen``) answers /metrics and an unknown
    path (404 in the error shape, not aiohttp's plain text) with an x-request-id."""
    app = metrics_app(Metrics(CollectorRegistry()))
    async with TestClient(TestServer(app)) as client:
        async with client.get("/metrics") as response:
            assert response.status == 200
            assert response.headers.get("x-request-id")
        async with client.get(f"/{AWS_KEY}") as response:
            assert response.status == 404
            assert response.headers.get("x-request-id")
            error = (await response.json())["error"]
            assert error["code"] == "not_found"
            assert AWS_KEY not in error["message"]
