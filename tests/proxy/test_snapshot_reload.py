"""A call runs to its end under the configuration it started with, whatever reloads happen."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yaml

from core.inspection import AllowAll, CallInfo, RequestInspection
from proxy.config.keys import create_key
from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy

FIRST_KEY = "sk-provider-first-0123456789"
SECOND_KEY = "sk-provider-second-0123456789"
ENVIRON = {"FIRST_PROVIDER_KEY": FIRST_KEY, "SECOND_PROVIDER_KEY": SECOND_KEY}
MESSAGES = [{"role": "user", "content": "hi"}]


def write_config(path: Path, key_env: str, upstream_model: str) -> dict[str, Any]:
    """A register routing ``team-model`` to ``upstream_model``, with the proxy's OpenAI key
    read from ``key_env``."""
    config = {
        "data_dir": str(path.parent / "data"),
        "auth": {"reload_interval": 60},  # reloads happen when the test says, not by polling
        "providers": {"openai": {"api_key_env": key_env}},
        "register": {
            "models": [
                {"name": "team-model", "provider": "openai", "upstream_model": upstream_model}
            ]
        },
    }
    path.write_text(yaml.safe_dump(config))
    return config


class HeldInspection:
    """Allows every call, but holds the first one in request inspection (after the register
    routed it, before its upstream request is built) until ``release`` is set."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def inspect_request(self, call: CallInfo, body: Any) -> RequestInspection:
        if not self.entered.is_set():
            self.entered.set()
            await self.release.wait()
        return await AllowAll().inspect_request(call, body)


async def reload_now(proxy: Proxy) -> None:
    for reload in proxy.services.reloaders:  # what SIGHUP runs
        await reload()


async def test_a_reload_during_a_streamed_call_never_mixes_old_and_new(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """A streamed call started under register A and provider key K1 is sent and recorded
    with A and K1 although the config is reloaded to B/K2 before its upstream request and
    while it streams; a call started after the reload uses B and K2."""
    path = tmp_path / "proxy.yaml"
    config = write_config(path, "FIRST_PROVIDER_KEY", "gpt-a")
    (tmp_path / "data").mkdir(mode=0o700)
    caller = create_key(tmp_path / "data" / "keys.yaml", user="ann", team="red").key
    inspection = HeldInspection()
    proxy = await start_proxy(config, environ=ENVIRON, inspector=inspection, config_path=path)
    fake.behaviour.hold_after_first_chunk = streaming = asyncio.Event()
    client = proxy.openai(caller)

    async def first_call() -> str:
        stream = await client.chat.completions.create(
            model="team-model", messages=MESSAGES, stream=True
        )
        return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    first = asyncio.create_task(first_call())
    async with asyncio.timeout(5):
        await inspection.entered.wait()
    write_config(path, "SECOND_PROVIDER_KEY", "gpt-b")
    await reload_now(proxy)  # between the register lookup and the upstream request
    assert proxy.services.credentials["openai"] == SECOND_KEY  # the reload was applied
    inspection.release.set()
    async with asyncio.timeout(5):
        while not fake.requests:
            await asyncio.sleep(0.01)
    await reload_now(proxy)  # again, while the first call streams
    await client.chat.completions.create(model="team-model", messages=MESSAGES)
    streaming.set()
    async with asyncio.timeout(5):
        assert await first == "Hello from the fake"

    sent_first, sent_second = fake.requests
    assert (sent_first.json["model"], sent_first.headers["Authorization"]) == (
        "gpt-a",
        f"Bearer {FIRST_KEY}",
    )
    assert (sent_second.json["model"], sent_second.headers["Authorization"]) == (
        "gpt-b",
        f"Bearer {SECOND_KEY}",
    )
    recorded = {event.stream: event for event in proxy.sink.events}
    assert (recorded[True].upstream_model, recorded[True].status_code) == ("gpt-a", 200)
    assert (recorded[False].upstream_model, recorded[False].status_code) == ("gpt-b", 200)
