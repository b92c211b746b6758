"""On a network address the admin API and /metrics leave the public listener for a loopback
one of their own; on loopback (zero-config) everything stays on one listener, as before."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
import yaml
from aiohttp import web
from prometheus_client import CollectorRegistry

from core.inspection import AllowAll
from proxy.admin.address import read_admin_address
from proxy.app import create_app
from proxy.cli.main import main
from proxy.config.settings import ConfigError, ListenConfig, Settings, load_settings, parse_settings
from proxy.errors import StartupError
from proxy.metrics import Metrics
from proxy.server import Listening, listeners, start_listening
from proxy.services import SERVICES
from proxy.store import EventLog
from tests.bare_app import bare_app
from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY, StartProxy

ADMIN_STATUS = "/admin/v1/status"


async def get(url: str, token: str | None = None) -> tuple[int, str]:
    """GET ``url`` (with an admin bearer ``token``); the status and the body."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as response:
        return response.status, await response.text()


def assert_not_found(status: int, body: str) -> None:
    """A 404 in the OpenAI error shape."""
    assert status == 404
    error = json.loads(body)["error"]
    assert set(error) == {"message", "type", "code", "param"}


# --- where the settings put the admin API --------------------------------------------------


def test_zero_config_keeps_admin_and_metrics_on_the_loopback_listener(tmp_path: Path) -> None:
    """With no configuration (127.0.0.1:8080) there is one listener, as before."""
    settings = load_settings(None, environ={})
    assert settings.listen == ListenConfig(host="127.0.0.1", port=8080)
    assert settings.admin_listen is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "proxy.internal"])
def test_a_network_listener_moves_admin_to_loopback_8081(host: str) -> None:
    """Any non-loopback main address, with nothing configured, puts the admin API (and
    /metrics) on 127.0.0.1:8081."""
    settings = parse_settings({"listen": {"host": host}}, environ={})
    assert settings.admin_listen == ListenConfig(host="127.0.0.1", port=8081)


def test_serve_host_option_moves_admin_too() -> None:
    """``serve --host 0.0.0.0`` over a loopback configuration counts like the file would."""
    settings = parse_settings({}, environ={})
    moved = settings.model_copy(update={"listen": ListenConfig(host="0.0.0.0")})
    assert moved.admin_listen == ListenConfig(host="127.0.0.1", port=8081)


def test_exposing_admin_on_the_network_listener_takes_an_explicit_setting() -> None:
    """``admin.expose_on_main_listener: true`` keeps /admin on a network listener; it cannot
    be combined with ``admin.listen``."""
    exposed = parse_settings(
        {"listen": {"host": "0.0.0.0"}, "admin": {"expose_on_main_listener": True}},
        environ={},
    )
    assert exposed.admin_listen is None
    with pytest.raises(ConfigError) as caught:
        parse_settings(
            {"admin": {"expose_on_main_listener": True, "listen": {"port": 9001}}}, environ={}
        )
    assert caught.value.problems[0].startswith("admin.expose_on_main_listener: ")


# --- what each listener serves -------------------------------------------------------------


@dataclass(frozen=True)
class NetworkProxy:
    settings: Settings
    app: web.Application
    listening: Listening

    @property
    def token(self) -> str:
        return self.settings.admin_token_file.read_text(encoding="utf-8").strip()


@pytest.fixture
async def network_proxy(
    fake: FakeUpstream, tmp_path: Path, clickhouse_url: str, store_database: str
) -> AsyncIterator[NetworkProxy]:
    """A proxy bound to 0.0.0.0 (any port) with the real event log, started as ``serve``
    starts it, from a configuration file the CLI can read too. The admin listener's port is
    0 instead of 8081 so that tests do not depend on a fixed free port."""
    config = {
        "listen": {"host": "0.0.0.0", "port": 0},
        "admin": {"listen": {"port": 0}},
        "data_dir": str(tmp_path / "data"),
        "store": {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05},
    }
    path = tmp_path / "proxy.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    environ = {"OPENAI_BASE_URL": f"{fake.url}/v1"}
    settings = load_settings(path, environ=environ)
    app = create_app(
        settings, environ=environ, metrics=Metrics(CollectorRegistry()), inspector=AllowAll()
    )
    listening = await start_listening(app, settings)
    try:
        yield NetworkProxy(settings, app, listening)
    finally:
        await listening.stop()


async def test_network_listener_refuses_admin_and_metrics_the_admin_listener_serves_them(
    network_proxy: NetworkProxy,
) -> None:
    """On a proxy bound to 0.0.0.0, /admin/v1/status and /metrics answer 404 (OpenAI error
    shape) on the public port, even with the admin token, and are served on the loopback
    admin listener, which serves nothing else."""
    listening, token = network_proxy.listening, network_proxy.token
    public = f"http://{listening.address('api', local=True)}"
    admin = f"http://{listening.address('admin')}"
    assert str(listening.address("api")).startswith("0.0.0.0:")
    assert admin.startswith("http://127.0.0.1:")

    assert_not_found(*await get(public + ADMIN_STATUS, token))
    assert_not_found(*await get(public + "/metrics"))
    assert (await get(public + "/healthz"))[0] == 200

    status, body = await get(admin + ADMIN_STATUS, token)
    assert status == 200
    assert json.loads(body)["auth_mode"] == "passthrough"
    assert (await get(admin + ADMIN_STATUS))[0] == 401  # still needs the token
    status, body = await get(admin + "/metrics")
    assert status == 200
    assert "llm_proxy_build_info" in body
    assert_not_found(*await get(admin + "/v1/models"))


async def test_cli_finds_the_admin_listener_through_the_data_directory(
    network_proxy: NetworkProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """The address recorded in the data directory is the admin listener's (loopback), and
    ``llm-proxy logs search`` with only the configuration file reaches it and finds a call
    made through the public port."""
    settings, listening = network_proxy.settings, network_proxy.listening
    assert read_admin_address(settings.data_dir) == f"http://{listening.address('admin')}/admin"
    public = f"http://{listening.address('api', local=True)}/v1"
    async with openai.AsyncOpenAI(api_key=CALLER_KEY, base_url=public, max_retries=0) as client:
        await client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hello"}]
        )
    sink = network_proxy.app[SERVICES].sink
    assert isinstance(sink, EventLog)
    assert await asyncio.to_thread(sink.flush, 10.0)

    config = str(settings.data_dir.parent / "proxy.yaml")
    code = await asyncio.to_thread(
        main, ["logs", "search", "--since", "1h", "--format", "json", "--config", config], {}
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert (row["endpoint"], row["model"]) == ("/v1/chat/completions", "gpt-4o-mini")


async def test_metrics_listener_takes_metrics_away_from_the_admin_listener(
    tmp_path: Path,
) -> None:
    """With ``metrics.listen`` as well, /metrics is served there only; the admin listener
    keeps the admin API."""
    settings = parse_settings(
        {
            "listen": {"host": "0.0.0.0", "port": 0},
            "admin": {"listen": {"port": 0}},
            "metrics": {"listen": {"port": 0}},
            "data_dir": str(tmp_path / "data"),
        },
        environ={},
    )
    app = bare_app(settings)
    assert [listener.name for listener in listeners(app, settings)] == ["api", "admin", "metrics"]
    listening = await start_listening(app, settings)
    try:
        admin = f"http://{listening.address('admin')}"
        assert_not_found(*await get(admin + "/metrics"))
        assert (await get(f"http://{listening.address('metrics')}/metrics"))[0] == 200
        assert listening.metrics_url == f"http://{listening.address('metrics')}/metrics"
    finally:
        await listening.stop()


async def test_exposed_admin_is_served_on_the_network_listener(start_proxy: StartProxy) -> None:
    """With the explicit setting, a network-bound proxy serves /admin and /metrics on its
    one listener."""
    proxy = await start_proxy(
        {"listen": {"host": "0.0.0.0"}, "admin": {"expose_on_main_listener": True}}
    )
    token = proxy.settings.admin_token_file.read_text(encoding="utf-8").strip()
    assert (await get(proxy.url + ADMIN_STATUS, token))[0] == 200
    assert (await get(proxy.url + "/metrics"))[0] == 200


async def test_admin_port_in_use_fails_start_up_and_frees_the_api_port(tmp_path: Path) -> None:
    """If the admin listener cannot bind, start-up fails naming its address and setting,
    and the API listener already bound is released."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            api_port = probe.getsockname()[1]
        raw: dict[str, Any] = {
            "listen": {"host": "0.0.0.0", "port": api_port},
            "admin": {"listen": {"port": taken}},
            "data_dir": str(tmp_path / "data"),
        }
        settings = parse_settings(raw, environ={})
        app = bare_app(settings)
        with pytest.raises(StartupError) as caught:
            await start_listening(app, settings)
    assert str(caught.value).startswith(f"cannot listen on 127.0.0.1:{taken} (admin.listen): ")
    with socket.socket() as again:
        again.bind(("0.0.0.0", api_port))
