"""Revoking, disabling and rotating keys against a real ``llm-proxy serve`` process.

The keys are changed with the ``llm-proxy keys`` commands, the proxy runs with its default
reload interval, the client is the official openai SDK and the provider is the fake
upstream. Each prompt carries a unique tag so the test can tell which calls reached it.

Revoking, disabling and rotating touch only the keys a test issued itself, so those tests
share one proxy (and its fake provider, on the module's event loop); emptying the keys file
locks everyone out, so that test has a proxy of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
import pytest_asyncio

from proxy.cli.main import main
from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY, PROVIDER_KEY
from tests.serving import LIGHT_DETECTION, ServedProxy, serve, wait_healthy

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]

#: The issue's bound: a revoked key is refused this soon by a running proxy.
REVOCATION_SECONDS = 2.0
#: How long a key issued while the proxy runs may take to be accepted (a bound for the
#: test's wait, not a claim: the keys file is polled every second).
ISSUED_SECONDS = 10.0
MODEL = "gpt-4o-mini"


@dataclass(frozen=True)
class Workplace:
    """A directory with a proxy configuration, the environment to serve it, and the fake."""

    root: Path
    env: dict[str, str]
    fake: FakeUpstream

    @property
    def config(self) -> Path:
        return self.root / "proxy.yaml"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def keys(self, *argv: str) -> str:
        """Run ``llm-proxy keys ARGV`` on this configuration; fail unless it exits 0."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["keys", *argv, "--config", str(self.config)], environ={})
        assert code == 0, err.getvalue()
        return out.getvalue()

    def create(self, user: str, *options: str) -> str:
        """Issue a key for ``user`` in team red; returns the key."""
        out = self.keys("create", "--user", user, "--team", "red", *options, "--json")
        key: str = json.loads(out)["key"]
        return key

    @contextmanager
    def serving(self) -> Iterator[ServedProxy]:
        with serve(self.root, env=self.env, config=self.config.read_text()) as proxy:
            yield proxy


@contextlib.asynccontextmanager
async def workplace(tmp_path: Path) -> AsyncIterator[Workplace]:
    """A configuration with every setting at its default but the data directory and
    detection: the secrets detector alone, in the proxy's process (what is tested is the
    keys file)."""
    async with FakeUpstream() as fake:
        root = tmp_path / "work"
        root.mkdir()
        # Absolute: relative paths resolve against the working directory, and the CLI runs
        # in this process while the proxy runs in ``root``.
        config = f"data_dir: {root / 'data'}\n{LIGHT_DETECTION}"
        (root / "proxy.yaml").write_text(config, encoding="utf-8")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "OPENAI_BASE_URL": f"{fake.url}/v1",
            "OPENAI_API_KEY": PROVIDER_KEY,
        }
        yield Workplace(root, env, fake)


@pytest_asyncio.fixture(loop_scope="module")
async def place(tmp_path: Path) -> AsyncIterator[Workplace]:
    """A workplace of the test's own, its proxy not started."""
    async with workplace(tmp_path) as place:
        yield place


@dataclass(frozen=True)
class Shared:
    """The module's running proxy and its workplace."""

    place: Workplace
    proxy: ServedProxy


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Shared]:
    """A proxy serving the module's workplace, started with one key issued (as in use)."""
    async with workplace(tmp_path_factory.mktemp("revocation")) as place:
        place.create("someone-else")
        with place.serving() as proxy:
            await wait_healthy(proxy)
            yield Shared(place, proxy)


def unique_tag(name: str) -> str:
    """A prompt tag no other call uses."""
    return f"{name}-{uuid.uuid4().hex}"


async def chat(proxy: ServedProxy, key: str, tag: str) -> Any:
    """One chat call through the proxy with the official SDK; the tag goes in the prompt."""
    async with openai.AsyncOpenAI(base_url=f"{proxy.url}/v1", api_key=key, max_retries=0) as client:
        return await client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": f"tag {tag}"}]
        )


async def refused(proxy: ServedProxy, key: str) -> str:
    """Assert a call with ``key`` gets 401 in the OpenAI error shape; returns its tag."""
    tag = uuid.uuid4().hex
    with pytest.raises(openai.AuthenticationError) as caught:
        await chat(proxy, key, tag)
    error = caught.value.response.json()["error"]
    assert set(error) == {"message", "type", "code", "param"}
    assert error["code"] == "invalid_api_key"
    return tag


async def seconds_until_refused(proxy: ServedProxy, key: str, *, limit: float) -> float:
    """Call with ``key`` until the proxy answers 401; the seconds that took, failing the
    test if that is more than ``limit``."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        try:
            await chat(proxy, key, uuid.uuid4().hex)
        except openai.AuthenticationError:
            return time.monotonic() - start
        await asyncio.sleep(0.05)
    pytest.fail(f"the key was still accepted {limit} s after the change")


async def accepted(proxy: ServedProxy, key: str, tag: str, *, limit: float) -> Any:
    """Call with ``key`` until the proxy accepts it (it reloads the keys file on its own)."""
    start = time.monotonic()
    while True:
        try:
            return await chat(proxy, key, tag)
        except openai.AuthenticationError:
            if time.monotonic() - start > limit:
                pytest.fail(f"the key was not accepted within {limit} s")
            await asyncio.sleep(0.05)


def upstream_tags(fake: FakeUpstream) -> str:
    """Everything the provider received, to search for tags."""
    return json.dumps([request.json for request in fake.requests])


async def metrics_text(proxy: ServedProxy) -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{proxy.url}/metrics") as response,
    ):
        return await response.text()


def log_events(proxy: ServedProxy) -> list[dict[str, Any]]:
    lines = proxy.log_file.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


async def test_revoked_key_is_refused_within_two_seconds(shared: Shared) -> None:
    """``keys revoke`` makes a running proxy refuse the key with 401 within 2 s, and no call
    with the revoked key reaches the provider after that; other keys keep working."""
    place, proxy = shared.place, shared.proxy
    doomed = place.create("ann")
    kept = place.create("bob")
    kept_tag = unique_tag("kept")
    await accepted(proxy, doomed, unique_tag("before"), limit=ISSUED_SECONDS)
    assert place.fake.last.headers["Authorization"] == f"Bearer {PROVIDER_KEY}"

    place.keys("revoke", doomed.split("_")[1])
    took = await seconds_until_refused(proxy, doomed, limit=REVOCATION_SECONDS)
    assert took < REVOCATION_SECONDS

    tags = [await refused(proxy, doomed) for _ in range(3)]
    await chat(proxy, kept, kept_tag)
    received = upstream_tags(place.fake)
    assert kept_tag in received
    assert not any(tag in received for tag in tags)


async def test_emptied_keys_file_refuses_every_call_even_after_a_restart(
    place: Workplace,
) -> None:
    """Removing every key from the keys file (or the file itself) never opens pass-through:
    any string gets 401, nothing reaches the provider, the lockout is logged without key
    material and shown in /metrics, and a restart keeps it so."""
    key = place.create("ann")
    keys_file = place.data / "keys.yaml"
    with place.serving() as proxy:
        await wait_healthy(proxy)
        await chat(proxy, key, "before")
        keys_file.write_text("keys: []\n", encoding="utf-8")
        await seconds_until_refused(proxy, key, limit=REVOCATION_SECONDS)
        tags = [await refused(proxy, candidate) for candidate in (CALLER_KEY, "anything", key)]
        metrics = await metrics_text(proxy)
        assert "llm_proxy_virtual_keys_active 0.0" in metrics
        assert "llm_proxy_auth_lockout 1.0" in metrics
        lockouts = [e for e in log_events(proxy) if e["event"] == "virtual_keys_none_active"]
        assert len(lockouts) == 1
        assert key.split("_", 2)[2] not in proxy.log_tail(10**6)

    keys_file.unlink()
    with place.serving() as proxy:
        await wait_healthy(proxy)
        tags += [await refused(proxy, candidate) for candidate in (CALLER_KEY, key)]
        assert "llm_proxy_auth_lockout 1.0" in await metrics_text(proxy)
    received = upstream_tags(place.fake)
    assert not any(tag in received for tag in tags)
    assert all(r.headers["Authorization"] == f"Bearer {PROVIDER_KEY}" for r in place.fake.requests)


async def test_disabled_key_is_refused_until_enabled(shared: Shared) -> None:
    """``keys disable`` locks a key out of a running proxy within 2 s; ``keys enable``
    lets it back in."""
    place, proxy = shared.place, shared.proxy
    key = place.create("ann")
    key_id = key.split("_")[1]
    enabled_tag = unique_tag("enabled")
    await accepted(proxy, key, unique_tag("issued"), limit=ISSUED_SECONDS)
    place.keys("disable", key_id)
    await seconds_until_refused(proxy, key, limit=REVOCATION_SECONDS)
    refused_tag = await refused(proxy, key)

    place.keys("enable", key_id)
    await accepted(proxy, key, enabled_tag, limit=ISSUED_SECONDS)
    received = upstream_tags(place.fake)
    assert enabled_tag in received
    assert refused_tag not in received


async def test_rotated_key_is_refused_and_its_successor_has_the_same_identity(
    shared: Shared,
) -> None:
    """``keys rotate`` prints a new key that works at once with the old key's identity
    (user, team, app, models, limits) recorded in the event log, while the old key is refused."""
    place, proxy = shared.place, shared.proxy
    old = place.create("ann", "--app", "notebook", "--model", MODEL, "--rpm", "100")
    old_id = old.split("_")[1]
    await accepted(proxy, old, unique_tag("issued"), limit=ISSUED_SECONDS)
    rotated = json.loads(place.keys("rotate", old_id, "--json"))
    assert rotated["replaces"] == old_id
    assert rotated["old_key_valid_until"] is None
    new = rotated["key"]
    await seconds_until_refused(proxy, old, limit=REVOCATION_SECONDS)
    answer = await accepted(proxy, new, unique_tag("rotated"), limit=REVOCATION_SECONDS)
    record = await admin_record(place.data, answer)
    assert (record["user"], record["team"], record["app"], record["key_id"]) == (
        "ann",
        "red",
        "notebook",
        rotated["id"],
    )
    listed = json.loads(place.keys("list", "--json"))
    by_id = {entry["id"]: entry for entry in listed}
    assert by_id[old_id]["status"] == "revoked"
    assert by_id[rotated["id"]]["models"] == [MODEL]
    assert by_id[rotated["id"]]["limits"] == {"requests_per_minute": 100}


async def admin_record(data: Path, answer: Any) -> dict[str, Any]:
    """The event log's record of the call that produced ``answer``, read through the admin
    API at the address the proxy recorded (it writes events in the background)."""
    admin = json.loads((data / "admin.json").read_text(encoding="utf-8"))["url"]
    token = (data / "admin.token").read_text(encoding="utf-8").strip()
    url = f"{admin}/v1/logs/{answer._request_id}"
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as session:
        for _ in range(100):
            async with session.get(url) as response:
                if response.status == 200:
                    record: dict[str, Any] = (await response.json())["record"]
                    return record
            await asyncio.sleep(0.1)
    pytest.fail("the call was not recorded in the event log")
