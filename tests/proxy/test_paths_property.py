"""Property: whatever path the proxy forwards, it inspected the call under the API kind the
provider will serve it as.

Paths are generated from the pieces attacks are made of (dot segments, encoded dots and
slashes, empty segments, case variants, path parameters) and sent byte for byte with
``http.client``. The fake upstream resolves what it receives the way a lenient server
would (percent-decoding, then dot segments, case-insensitively); the property compares
that with the API kind the proxy's policy saw.
"""

from __future__ import annotations

import asyncio
import http.client
import posixpath
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import orjson
import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry

from core.inspection import CallInfo, RequestInspection
from policies.inspector import PolicyInspector
from proxy.app import create_app
from proxy.call.apis import Api, api_for_path
from proxy.config.settings import parse_settings
from proxy.metrics import Metrics
from tests.fakes import FakeUpstream
from tests.fuzzing import examples
from tests.policies.factories import OPENAI_KEY, real_scanner
from tests.policies.pattern_detection import cached_pack
from tests.proxy.conftest import CALLER_KEY, RecordingSink

_PIECES = [
    "v1",
    "chat",
    "completions",
    "Completions",
    "complet%69ons",
    "messages",
    "responses",
    "embeddings",
    "files",
    "batches",
    "x",
    ".",
    "..",
    "",
    "%2e",
    "%2E%2e",
    ".%2e",
    "chat%2Fcompletions",
    "%5c",
    "a;b",
    "completions;x",
]
_INSPECTED = frozenset({Api.CHAT, Api.COMPLETIONS, Api.EMBEDDINGS, Api.RESPONSES, Api.MESSAGES})


@dataclass
class _Spy:
    """Records the API kind of every call the real policy inspected, then delegates."""

    inner: PolicyInspector
    seen: list[Api] = field(default_factory=list)

    async def inspect_request(self, call: CallInfo, body: Any) -> RequestInspection:
        self.seen.append(call.api)
        return await self.inner.inspect_request(call, body)


@dataclass
class _World:
    port: int
    fake: FakeUpstream
    spy: _Spy


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_World]:
    """A fake upstream and a proxy with the default policy, served from a background loop."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    tmp: Path = tmp_path_factory.mktemp("paths")

    async def start() -> tuple[_World, Any]:
        fake = FakeUpstream()
        await fake.start()
        env = {"OPENAI_BASE_URL": f"{fake.url}/v1", "ANTHROPIC_BASE_URL": fake.url}
        cfg = parse_settings({"data_dir": str(tmp / "data")}, environ=env, base_dir=tmp)
        spy = _Spy(PolicyInspector(cached_pack(), real_scanner()))
        app = create_app(
            cfg,
            environ=env,
            metrics=Metrics(CollectorRegistry()),
            sink=RecordingSink(),
            inspector=spy,
        )
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        port = runner.addresses[0][1]

        async def stop() -> None:
            await runner.cleanup()
            await fake.close()

        return _World(port, fake, spy), stop

    made, stop = asyncio.run_coroutine_threadsafe(start(), loop).result(30)
    yield made
    asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


def _as_served(raw_path: str) -> Api:
    """The API a lenient upstream serves ``raw_path`` as."""
    resolved = posixpath.normpath(unquote(raw_path).replace("\\", "/").split(";")[0])
    return api_for_path(resolved.lower())


_paths = st.builds(
    lambda prefix, pieces, trailing: prefix + "/".join(pieces) + trailing,
    st.sampled_from(["/v1/", "/", "/v1/x/../"]),
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6),
    st.sampled_from(["", "/", "/."]),
)


@settings(
    max_examples=examples(300),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(raw_path=_paths, stream=st.booleans())
def test_forwarded_calls_were_inspected_as_what_the_provider_serves(
    world: _World, raw_path: str, stream: bool
) -> None:
    """A secret sent to any generated path is either refused or inspected under the API
    kind the provider will serve; an inspected API's secret never reaches the provider."""
    world.fake.clear()
    world.spy.seen.clear()
    body = orjson.dumps(
        {
            "model": "gpt-4o-mini",
            "max_tokens": 5,
            "stream": stream,
            "messages": [{"role": "user", "content": f"key {OPENAI_KEY}"}],
            "input": f"key {OPENAI_KEY}",
            "prompt": f"key {OPENAI_KEY}",
        }
    )
    connection = http.client.HTTPConnection("127.0.0.1", world.port, timeout=10)
    try:
        connection.request(
            "POST",
            raw_path,
            body=body,
            headers={"Authorization": f"Bearer {CALLER_KEY}", "Content-Type": "application/json"},
        )
        status = connection.getresponse().status
    finally:
        connection.close()
    for received in world.fake.requests:
        served = _as_served(received.raw_path)
        assert received.raw_path.startswith("/v1/")
        assert world.spy.seen == [served], (raw_path, received.raw_path)
        assert served not in _INSPECTED, (raw_path, received.raw_path)
    if status == 400:
        assert world.fake.requests == []
