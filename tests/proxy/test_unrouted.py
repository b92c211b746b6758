"""Requests no route takes, and the admin API's token check, without middlewares: the
OpenAI error shape for 404/405, and no admin route (or unknown admin path) answered to a
caller without the admin token."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from proxy.admin.api import AdminAuth, AdminRoutes, under_admin
from proxy.config.settings import parse_settings
from tests.bare_app import bare_app

TOKEN = "admin-token-for-routing-tests-0123456789"
WRONG = {"Authorization": "Bearer not-the-admin-token"}
GOOD = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    """The zero-config proxy (admin API on its one listener), its admin token known."""
    (tmp_path / "data").mkdir(mode=0o700)
    (tmp_path / "data" / "admin.token").write_text(TOKEN + "\n")
    settings = parse_settings({"data_dir": str(tmp_path / "data")}, environ={})
    assert settings.admin_token_file == tmp_path / "data" / "admin.token"
    async with TestClient(TestServer(bare_app(settings))) as test_client:
        yield test_client


async def answer(
    client: TestClient[web.Request, web.Application], method: str, path: str, headers: Any
) -> tuple[int, dict[str, Any]]:
    async with client.request(method, path, headers=headers) as response:
        return response.status, await response.json()


def admin_routes(app: web.Application) -> list[tuple[str, str]]:
    """(method, path) of every route under /admin, a path parameter filled in."""
    found = []
    for route in app.router.routes():
        canonical = route.resource.canonical if route.resource is not None else ""
        if under_admin(canonical):
            found.append((route.method, re.sub(r"\{[^}]*\}", "some-id", canonical)))
    return found


async def test_every_admin_route_refuses_a_caller_without_the_admin_token(
    client: TestClient[web.Request, web.Application],
) -> None:
    """Each route the admin API serves, for each method, answers 401 in the OpenAI error
    shape to a wrong token and to none."""
    routes = admin_routes(client.app)
    assert len(routes) >= 20  # 12 endpoints, most with HEAD too: the walk found them
    for method, path in routes:
        for headers in (WRONG, {}):
            async with client.request(method, path, headers=headers) as response:
                assert response.status == 401, (method, path)
                if method != "HEAD":
                    error = (await response.json())["error"]
                    assert error["code"] == "invalid_api_key", (method, path)


@pytest.mark.parametrize(
    ("method", "path", "headers", "expected"),
    [
        ("GET", "/nope", {}, (404, "not_found")),
        ("POST", "/", {}, (404, "not_found")),
        ("GET", "/v1", {}, (404, "not_found")),
        ("POST", "/healthz", {}, (405, "http_405")),
        ("DELETE", "/metrics", {}, (405, "http_405")),
        ("GET", "/adminx", {}, (404, "not_found")),
        # Under /admin, only an admin learns whether a path exists or takes a method.
        ("GET", "/admin", {}, (401, "invalid_api_key")),
        ("GET", "/admin/v1/nope", WRONG, (401, "invalid_api_key")),
        ("POST", "/admin/v1/status", {}, (401, "invalid_api_key")),
        ("GET", "/admin/v1/nope", GOOD, (404, "not_found")),
        ("POST", "/admin/v1/status", GOOD, (405, "http_405")),
        ("POST", "/admin/v1/logs/export", GOOD, (405, "http_405")),
        ("GET", "/admin/v1/status/", GOOD, (404, "not_found")),
    ],
)
async def test_a_request_no_route_takes_gets_the_error_shape(
    client: TestClient[web.Request, web.Application],
    method: str,
    path: str,
    headers: dict[str, str],
    expected: tuple[int, str],
) -> None:
    """An unknown path is 404 and a known path with another method 405, both in the OpenAI
    error shape; under /admin, 401 comes first for a caller without the admin token."""
    got, body = await answer(client, method, path, headers)
    assert (got, body["error"]["code"]) == expected
    assert set(body["error"]) == {"message", "type", "code", "param"}


async def test_admin_status_is_served_to_the_admin(
    client: TestClient[web.Request, web.Application],
) -> None:
    """The admin token reaches an admin route's handler (the check lets it through)."""
    status, body = await answer(client, "GET", "/admin/v1/status", GOOD)
    assert status == 200
    assert body["auth_mode"] == "passthrough"


async def test_an_admin_handlers_aiohttp_error_gets_the_error_shape() -> None:
    """aiohttp's own error in an admin handler (a body over client_max_size) is answered in
    the OpenAI error shape with its status, as any admin error."""

    async def reads_body(request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({})

    app = web.Application(client_max_size=100)
    AdminRoutes(app.router, AdminAuth(TOKEN)).add_post("/v1/echo", reads_body)
    async with (
        TestClient(TestServer(app)) as test_client,
        test_client.post("/admin/v1/echo", data=b"x" * 1000, headers=GOOD) as response,
    ):
        assert response.status == 413
        assert (await response.json())["error"]["code"] == "http_413"


async def test_the_public_listener_of_a_network_proxy_routes_no_admin_path(
    tmp_path: Path,
) -> None:
    """With the admin API on a listener of its own, the public one answers /admin paths 404
    whatever the token: nothing there to authenticate against."""
    raw = {"data_dir": str(tmp_path / "data"), "listen": {"host": "0.0.0.0"}}
    settings = parse_settings(raw, environ={})
    async with TestClient(TestServer(bare_app(settings))) as test_client:
        for headers in ({}, {"Authorization": "Bearer x"}):
            async with test_client.get("/admin/v1/nope", headers=headers) as response:
                assert response.status == 404
                assert (await response.json())["error"]["code"] == "not_found"


def test_aiohttp_is_not_asked_to_run_a_middleware_chain(tmp_path: Path) -> None:
    """The proxy's application and its sub-applications have no middlewares, so aiohttp
    calls each handler directly (issue 11: a middleware anywhere wraps every /v1 call)."""
    settings = parse_settings({"data_dir": str(tmp_path / "data")}, environ={})
    app = bare_app(settings)
    app.pre_freeze()
    assert not app._run_middlewares  # aiohttp's own switch for the chain
