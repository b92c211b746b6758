"""Fixtures for proxy tests: a fake upstream and a factory for running proxies against it,
and the demo quarter of the evidence-report tests (:mod:`tests.proxy.report_demo`)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from anthropic import AsyncAnthropic
from openai import AsyncOpenAI, OpenAI
from prometheus_client import CollectorRegistry

from core.inspection import AllowAll, RequestInspector
from proxy.app import create_app
from proxy.call.events import CallEvent, EventSink
from proxy.config.settings import Settings, parse_settings
from proxy.logs import configure_logging
from proxy.metrics import Metrics
from proxy.server import proxy_runner
from proxy.services import SERVICES, Services
from tests.fakes import FakeUpstream

# Registered here, once for every module: a fixture imported into each test module is a
# fixture of its own per module (the demo quarter was written once per module).
from tests.proxy.report_demo import demo_report, demo_settings  # noqa: F401
from tests.store_template import TEST_DATABASE, copy_into, exists
from wire.apis.registry import WIRE_APIS, WireRegistry

PROVIDER_KEY = "sk-central-provider-key-0123456789"
ANTHROPIC_PROVIDER_KEY = "sk-ant-central-provider-key-0123456789"
CALLER_KEY = "sk-caller-own-key-abcdefghijklmnop"


class RecordingSink(EventSink):
    """An event sink that keeps events in a list."""

    def __init__(self) -> None:
        self.events: list[CallEvent] = []

    def record(self, event: CallEvent) -> None:
        self.events.append(event)

    @property
    def last(self) -> CallEvent:
        return self.events[-1]


@dataclass
class Proxy:
    """A running proxy on loopback and the things tests look at."""

    url: str
    app: web.Application
    sink: RecordingSink
    settings: Settings
    #: SDK clients handed out, closed when the test ends.
    clients: list[Any] = field(default_factory=list)

    @property
    def services(self) -> Services:
        return self.app[SERVICES]

    @property
    def metrics(self) -> Metrics:
        return self.services.metrics

    # The SDK classes are imported by name: these methods' names would shadow the modules
    # in the class body (mypy then reads ``openai.OpenAI`` as an attribute of the method).
    def openai(self, key: str = CALLER_KEY, **kwargs: Any) -> AsyncOpenAI:
        client = AsyncOpenAI(base_url=f"{self.url}/v1", api_key=key, max_retries=0, **kwargs)
        self.clients.append(client)
        return client

    def openai_sync(self, key: str = CALLER_KEY) -> OpenAI:
        client = OpenAI(base_url=f"{self.url}/v1", api_key=key, max_retries=0)
        self.clients.append(client)
        return client

    def anthropic(self, key: str = CALLER_KEY) -> AsyncAnthropic:
        client = AsyncAnthropic(base_url=self.url, api_key=key, max_retries=0)
        self.clients.append(client)
        return client

    async def close_clients(self) -> None:
        for client in self.clients:
            result = client.close()
            if hasattr(result, "__await__"):
                await result


@dataclass
class _Runners:
    runners: list[web.AppRunner] = field(default_factory=list)
    proxies: list[Proxy] = field(default_factory=list)


StartProxy = Callable[..., Awaitable[Proxy]]


@pytest.fixture(autouse=True)
def json_logs_on_stderr() -> None:
    """Log like production (JSON lines on stderr), so stdout holds only command output."""
    configure_logging("info", sys.stderr)


@pytest.fixture
async def fake() -> AsyncIterator[FakeUpstream]:
    async with FakeUpstream() as upstream:
        yield upstream


@pytest.fixture
async def start_proxy(
    fake: FakeUpstream, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[StartProxy]:
    """Start a proxy whose default OpenAI and Anthropic upstreams are the fake."""
    runners = _Runners()

    async def start(
        config: Mapping[str, Any] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        inspector: RequestInspector | None = None,
        event_log: bool = False,
        enforce: bool = False,
        config_path: Path | None = None,
        wire: WireRegistry = WIRE_APIS,
    ) -> Proxy:
        """``event_log=True`` records to the real event log (give ``store`` settings);
        ``enforce=True`` runs the configured policy with the real detectors (slow to
        start: it loads spaCy); otherwise ``inspector`` or allow-all. ``wire`` holds the API
        wire formats the proxy serves."""
        env = {
            "OPENAI_BASE_URL": f"{fake.url}/v1",
            "ANTHROPIC_BASE_URL": fake.url,
            "OPENAI_API_KEY": PROVIDER_KEY,
            "ANTHROPIC_API_KEY": ANTHROPIC_PROVIDER_KEY,
        }
        env.update(environ or {})
        raw = {"data_dir": str(tmp_path / "data"), **(config or {})}
        settings = parse_settings(raw, environ=env, base_dir=tmp_path)
        store, owned = settings.store, request.node.stash.get(TEST_DATABASE, None)
        if (
            event_log
            and owned is not None
            and (owned.url, owned.database) == (store.url, store.database)
            and not exists(store)
        ):
            # The test's own database (``store_database``), not yet created: a copy of the
            # migrated schema instead of twenty DDL statements at start. Migrating from empty
            # is the store tests' subject, and ``llm-proxy serve`` tests start on new stores.
            template = request.getfixturevalue("schema_template")
            await asyncio.to_thread(copy_into, template, store)
        sink = RecordingSink()
        app = create_app(
            settings,
            environ=env,
            metrics=Metrics(CollectorRegistry()),
            sink=None if event_log else sink,
            inspector=None if enforce else (inspector or AllowAll()),
            config_path=config_path,
            wire=wire,
        )
        runner = proxy_runner(app, shutdown_timeout=1.0, records=True)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.runners.append(runner)
        host, port = runner.addresses[0][:2]
        proxy = Proxy(url=f"http://{host}:{port}", app=app, sink=sink, settings=settings)
        runners.proxies.append(proxy)
        return proxy

    yield start
    for proxy in runners.proxies:
        await proxy.close_clients()
    for runner in runners.runners:
        await runner.cleanup()
