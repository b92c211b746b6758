"""Every call that arrives rests with the facts a responder filters on, whichever way it
ended: served by the pipeline, refused there before the policy read it, no route taking it,
or aiohttp not parsing it. Each row holds the id it was answered with, the caller's address,
the method, the path as it rests, the status, refusal and decision, the caller's key id when
known and the caller's correlation id when sane; the ``endpoint`` label of its
``requests_total`` names its API. Raw calls and raw bytes against the real proxy, rows from
the real event log.
"""

from __future__ import annotations

from typing import Any

import pytest

from proxy.store import open_client
from tests.proxy.conftest import CALLER_KEY, Proxy, StartProxy
from tests.proxy.test_event_log import flush
from tests.proxy.test_malformed_requests import _post, exchange
from tests.proxy.test_unrouted_calls import CHAT, raw_call

COLUMNS = (
    "request_id, client_ip, method, endpoint, status_code, error, decision, key_id,"
    " client_request_id"
)
KEY = {"Authorization": f"Bearer {CALLER_KEY}"}


@pytest.fixture
async def proxy(start_proxy: StartProxy, clickhouse_url: str, store_database: str) -> Proxy:
    """The zero-config proxy (pass-through keys) recording to the embedded event log."""
    store = {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05}
    return await start_proxy({"store": store}, event_log=True)


async def rows_by_id(proxy: Proxy) -> dict[str, dict[str, Any]]:
    """Every recorded call's row (the columns of :data:`COLUMNS`), by request id."""
    await flush(proxy)
    store = proxy.settings.store
    client = open_client(store)
    try:
        result = client.query(f"SELECT {COLUMNS} FROM {store.database}.requests")
    finally:
        client.close()
    return {row[0]: dict(zip(result.column_names, row, strict=True)) for row in result.result_rows}


def calls_by_api(proxy: Proxy) -> dict[tuple[str, str, str], float]:
    """``requests_total`` by its (endpoint, decision, status class) labels, summed."""
    counts: dict[tuple[str, str, str], float] = {}
    for metric in proxy.metrics.registry.collect():
        for sample in metric.samples:
            if sample.name == "llm_proxy_requests_total" and sample.value:
                labels = sample.labels
                key = (labels["endpoint"], labels["decision"], labels["status_class"])
                counts[key] = counts.get(key, 0) + sample.value
    return counts


async def test_calls_ended_every_way_rest_with_what_a_responder_filters_on(
    proxy: Proxy,
) -> None:
    """A served call, one refused before the policy read its path (no key), a probe no
    route takes and a request aiohttp cannot parse each rest under the id they were
    answered with, with the caller's address and what was read of the request: an
    unparsed request's method, path and correlation id were never read."""
    answered = []
    for method, path, headers, status in [
        ("POST", "/v1/chat/completions", {**KEY, "x-request-id": "corr-served-0001"}, 200),
        ("GET", "/v1/files/file-abc123", {"x-request-id": "corr-nokey-0002"}, 401),
        ("POST", "/v2/probe-one/chat/completions", {**KEY, "x-request-id": "no good"}, 404),
    ]:
        got, request_id, _ = await raw_call(proxy, method, path, headers, json=CHAT)
        assert got == status, path
        answered.append(request_id)
    unparseable = _post("Authorization: Bearer x\x01y", "X-Request-Id: corr-bad-0003")
    answer = await exchange(proxy, unparseable)
    assert answer.status == 400
    answered.append(answer.headers["x-request-id"])

    rows = await rows_by_id(proxy)
    assert set(rows) == set(answered)
    served, no_key, probe, unparsed = (rows[request_id].pop("key_id") for request_id in answered)
    assert served == probe != ""  # the caller key's id (a fingerprint, never the key)
    assert no_key == unparsed == ""
    assert [rows[request_id] for request_id in answered] == [
        {
            "request_id": answered[0],
            "client_ip": "127.0.0.1",
            "method": "POST",
            "endpoint": "/v1/chat/completions",
            "status_code": 200,
            "error": "",
            "decision": "allow",
            "client_request_id": "corr-served-0001",
        },
        {
            "request_id": answered[1],
            "client_ip": "127.0.0.1",
            "method": "GET",
            "endpoint": "/v1/files/file-<UNREAD>",
            "status_code": 401,
            "error": "missing_api_key",
            "decision": "reject",
            "client_request_id": "corr-nokey-0002",
        },
        {
            "request_id": answered[2],
            "client_ip": "127.0.0.1",
            "method": "POST",
            "endpoint": "/<UNREAD>/<UNREAD>/chat/completions",
            "status_code": 404,
            "error": "not_found",
            "decision": "reject",
            "client_request_id": "",
        },
        {
            "request_id": answered[3],
            "client_ip": "127.0.0.1",
            "method": "",
            "endpoint": "<UNREAD>",
            "status_code": 400,
            "error": "malformed_request",
            "decision": "reject",
            "client_request_id": "",
        },
    ]
    # The call refused for its missing key counts under the API its path routes to (read
    # before authentication, h184): ``other`` for /v1/files, which no API's format serves,
    # as for the probe no route takes and the request never parsed.
    assert calls_by_api(proxy) == {
        ("chat.completions", "allow", "2xx"): 1,
        ("other", "reject", "4xx"): 3,
    }
