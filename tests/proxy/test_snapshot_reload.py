"""A call runs to its end under the configuration it started with, whatever reloads happen."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
import yaml
from openai.types.chat import ChatCompletionMessageParam

from core.inspection import AllowAll, CallInfo, RequestInspection
from proxy.config.key_changes import create_key
from proxy.config.keys import KeyEntry
from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy

FIRST_KEY = "sk-provider-first-0123456789"
SECOND_KEY = "sk-provider-second-0123456789"
ENVIRON = {"FIRST_PROVIDER_KEY": FIRST_KEY, "SECOND_PROVIDER_KEY": SECOND_KEY}
MESSAGES: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hi"}]


def write_config(path: Path, key_env: str, upstream_model: str, **more: Any) -> dict[str, Any]:
    """A register routing ``team-model`` to ``upstream_model``, with the proxy's OpenAI key
    read from ``key_env`` (and the settings in ``more``)."""
    config = {
        "data_dir": str(path.parent / "data"),
        "auth": {"reload_interval": 60},  # reloads happen when the test says, not by polling
        "providers": {"openai": {"api_key_env": key_env}},
        "register": {
            "models": [
                {"name": "team-model", "provider": "openai", "upstream_model": upstream_model}
            ]
        },
        **more,
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


POLICY = """
version: 1
name: {name}
rule_sets:
  - name: red-team
    rules:
      - id: {rule}
        action: {action}
        match: {{teams: [red]}}
"""
#: Detection that starts in-process at once: the rules here need no findings.
NO_SCANNING = {"enabled": ["secrets"], "service": {"workers": 0}}


def write_keys(path: Path, *names: tuple[str, str]) -> dict[str, str]:
    """A keys file holding only the keys created now for ``(user, team)`` pairs; their keys."""
    path.unlink(missing_ok=True)
    return {user: create_key(path, user=user, team=team).key for user, team in names}


async def in_flight(proxy: Proxy) -> float:
    return proxy.metrics.registry.get_sample_value("llm_proxy_in_flight_requests") or 0.0


async def test_keys_and_policy_reloaded_during_a_streamed_call_are_not_mixed_into_it(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """A streamed call that arrived under keys KS1, policy P1 (flag team red) and register
    A/K1 is authenticated, inspected, sent and recorded under them although the keys
    (its key revoked), the policy (P2: block team red) and the config are reloaded while
    its body is still arriving and while it streams; calls after the reload get all three
    new ones."""
    path = tmp_path / "proxy.yaml"
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(POLICY.format(name="first", rule="flag-red", action="flag"))
    more = {"detectors": NO_SCANNING, "policy": {"file": str(policy_file), "reload_interval": 60}}
    config = write_config(path, "FIRST_PROVIDER_KEY", "gpt-a", **more)
    keys_file = tmp_path / "data" / "keys.yaml"
    (tmp_path / "data").mkdir(mode=0o700)
    ann = write_keys(keys_file, ("ann", "red"))["ann"]
    proxy = await start_proxy(config, environ=ENVIRON, config_path=path, enforce=True)
    fake.behaviour.hold_after_first_chunk = streaming = asyncio.Event()
    body_sent = asyncio.Event()
    request = {"model": "team-model", "messages": MESSAGES, "stream": True}
    encoded = json.dumps(request).encode()

    async def slow_body() -> AsyncIterator[bytes]:
        yield encoded[:10]
        await body_sent.wait()
        yield encoded[10:]

    async def first_call() -> tuple[int, str]:
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{proxy.url}/v1/chat/completions",
                data=slow_body(),
                headers={"Authorization": f"Bearer {ann}", "Content-Type": "application/json"},
            ) as response,
        ):
            return response.status, await response.text()

    first = asyncio.create_task(first_call())
    async with asyncio.timeout(5):
        while not await in_flight(proxy):  # the call arrived: it holds its snapshot
            await asyncio.sleep(0.01)
    bob = write_keys(keys_file, ("bob", "blue"), ("cat", "red"))
    policy_file.write_text(POLICY.format(name="second", rule="block-red", action="block"))
    write_config(path, "SECOND_PROVIDER_KEY", "gpt-b", **more)
    await reload_now(proxy)  # while the first call's body is still arriving
    assert proxy.services.snapshot.keys.lookup(ann) is None  # the reloads were applied
    body_sent.set()
    async with asyncio.timeout(5):
        while not (fake.requests or first.done()):
            await asyncio.sleep(0.01)
    assert fake.requests, f"the first call was not forwarded: {await first}"
    await reload_now(proxy)  # again, while the first call streams
    with pytest.raises(openai.AuthenticationError):
        await proxy.openai(ann).chat.completions.create(model="team-model", messages=MESSAGES)
    with pytest.raises(openai.PermissionDeniedError):
        await proxy.openai(bob["cat"]).chat.completions.create(
            model="team-model", messages=MESSAGES
        )
    await proxy.openai(bob["bob"]).chat.completions.create(model="team-model", messages=MESSAGES)
    streaming.set()
    async with asyncio.timeout(5):
        status, text = await first
    assert status == 200
    assert "Hello" in text

    sent_first, sent_bob = fake.requests
    assert (sent_first.json["model"], sent_first.headers["Authorization"]) == (
        "gpt-a",
        f"Bearer {FIRST_KEY}",
    )
    assert (sent_bob.json["model"], sent_bob.headers["Authorization"]) == (
        "gpt-b",
        f"Bearer {SECOND_KEY}",
    )
    recorded = {event.user or "unknown": event for event in proxy.sink.events}
    assert (recorded["ann"].decision, recorded["ann"].rules) == ("flag", ("flag-red",))
    assert (recorded["ann"].upstream_model, recorded["ann"].status_code) == ("gpt-a", 200)
    assert (recorded["cat"].decision, recorded["cat"].rules) == ("block", ("block-red",))
    assert (recorded["bob"].decision, recorded["bob"].upstream_model) == ("allow", "gpt-b")


def many_keys(path: Path, count: int) -> None:
    """A keys file of ``count`` keys (slow to parse: about 1.5 ms a key here)."""
    entries = [
        KeyEntry(id=f"{i:012x}", sha256=f"{i:064x}", user=f"user{i}", team="red")
        for i in range(count)
    ]
    path.write_text(yaml.safe_dump({"keys": [e.model_dump(exclude_none=True) for e in entries]}))


async def test_a_slow_keys_reload_does_not_hold_up_other_calls(
    start_proxy: StartProxy, tmp_path: Path
) -> None:
    """While a keys file of many keys is parsed for a reload, the proxy keeps answering
    (the parse runs off the event loop), and the new keys are in force once it is done."""
    proxy = await start_proxy({"auth": {"reload_interval": 60}})
    many_keys(proxy.settings.keys_file, 600)
    reload = asyncio.create_task(reload_now(proxy))
    await asyncio.sleep(0)  # the reload is under way
    async with aiohttp.ClientSession() as session, session.get(f"{proxy.url}/healthz") as got:
        assert got.status == 200
    assert not reload.done(), "the health check waited for the keys file to be parsed"
    async with asyncio.timeout(30):
        await reload
    assert len(proxy.services.snapshot.keys) == 600
