"""The admin API's errors say what was wrong without repeating the admin's input (h163).

An admin's typo pasted with a credential (``since=<token>``, a key pasted as a request id)
must not come back in the error, which CLIs print and callers' logs keep: a bad value is
named by its parameter and the form it should take. Every admin answer carries an
``x-request-id``. Through the real proxy and its admin API, raw aiohttp as the admin.
"""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from proxy.admin.api import AdminAuth, AdminRoutes
from tests.policies.factories import OPENAI_KEY
from tests.proxy.admin_helpers import admin_token
from tests.proxy.conftest import Proxy, StartProxy

TOKEN = "admin-token-for-failure-tests-0123456789"
#: (path under /admin, query, status, code, param) of requests holding the key.
REFUSED = [
    ("/v1/logs", {"since": OPENAI_KEY}, 400, "invalid_request", "since"),
    ("/v1/logs", {"until": OPENAI_KEY}, 400, "invalid_request", "until"),
    ("/v1/logs/export", {"since": OPENAI_KEY}, 400, "invalid_request", "since"),
    ("/v1/logs/verify", {"since": OPENAI_KEY}, 400, "invalid_request", "since"),
    (f"/v1/logs/{OPENAI_KEY}", {}, 404, "not_found", None),
    ("/v1/anomalies", {"since": OPENAI_KEY}, 400, "invalid_request", "since"),
    ("/v1/spend", {"since": OPENAI_KEY}, 400, "invalid_request", "since"),
    ("/v1/spend", {"from": OPENAI_KEY, "to": "2026-01-01"}, 400, "invalid_request", "from"),
    ("/v1/spend", {"from": "2026-01-01", "to": OPENAI_KEY}, 400, "invalid_request", "to"),
    ("/v1/report", {"from": OPENAI_KEY, "to": "2026-01-01"}, 400, "invalid_request", "from"),
    ("/v1/report", {"from": "2026-01-01", "to": OPENAI_KEY}, 400, "invalid_request", "to"),
    ("/v1/config/history", {"kind": OPENAI_KEY}, 400, "invalid_request", "kind"),
    ("/v1/config/history", {"at": OPENAI_KEY}, 400, "invalid_request", "at"),
    (f"/v1/{OPENAI_KEY}", {}, 404, "not_found", None),
]


@pytest.fixture
async def admin_proxy(start_proxy: StartProxy, clickhouse_url: str, store_database: str) -> Proxy:
    """A proxy with the embedded event log, so every admin route reaches its parameters."""
    store = {"url": clickhouse_url, "database": store_database}
    return await start_proxy({"store": store}, event_log=True)


async def test_admin_errors_name_the_parameter_never_its_value(admin_proxy: Proxy) -> None:
    """Each admin request holding a key where a time, a kind, an id or a path goes is
    refused naming the parameter (or the thing not found), with an x-request-id, and the
    answer does not hold the key."""
    headers = {"Authorization": f"Bearer {admin_token(admin_proxy)}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        for path, query, status, code, param in REFUSED:
            url = f"{admin_proxy.url}/admin{path}"
            async with session.get(url, params=query) as response:
                text = await response.text()
                case = (path, sorted(query), text)
                assert response.status == status, case
                assert response.headers.get("x-request-id"), case
                error = (await response.json())["error"]
            assert OPENAI_KEY not in text, case
            assert (error["code"], error["param"]) == (code, param), case


async def test_a_served_admin_answer_carries_a_request_id(admin_proxy: Proxy) -> None:
    """An admin answer that succeeds carries an x-request-id as every answer does."""
    headers = {"Authorization": f"Bearer {admin_token(admin_proxy)}"}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.get(f"{admin_proxy.url}/admin/v1/status") as response,
    ):
        assert response.status == 200
        assert response.headers.get("x-request-id")


async def test_an_admin_handlers_own_failure_gets_the_error_shape_and_an_id() -> None:
    """An admin handler failing with an error of ours is answered 500 in the OpenAI error
    shape with an x-request-id, not aiohttp's plain-text 500 without one."""

    async def fails(request: web.Request) -> web.Response:
        raise RuntimeError("a bug")

    app = web.Application()
    AdminRoutes(app.router, AdminAuth(TOKEN)).add_get("/v1/fails", fails)
    async with (
        TestClient(TestServer(app)) as client,
        client.get("/admin/v1/fails", headers={"Authorization": f"Bearer {TOKEN}"}) as response,
    ):
        assert response.status == 500
        assert response.headers.get("x-request-id")
        assert (await response.json())["error"]["code"] == "internal_error"
