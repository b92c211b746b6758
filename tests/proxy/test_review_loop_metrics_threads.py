"""Review of the lock-free call metrics (issue 11, ``LoopCounter``/``LoopHistogram``): every
write to one of their samples happens on the event loop's thread, through every path a call,
a reload, a scrape and the event log take, and the exposition counts each call exactly once.

A sample class that notes the thread of each write stands in for the lock-free one; the
metrics, the proxy and everything it runs are the real ones."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
import yaml
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

import proxy.metrics
from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy
from tests.proxy.test_config_reload import reload_now

#: A credential the secrets detector finds (the default policy acts on it).
SECRET = "AKIAZ7QW3RTY5UIO9PLK"


class _Writes:
    """The threads that wrote to a lock-free sample, other than the loop's."""

    def __init__(self) -> None:
        self.loop_thread = threading.get_ident()
        self.elsewhere: list[str] = []
        self.count = 0


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> _Writes:
    """Every lock-free sample made from now on reports the thread of each write."""
    seen = _Writes()

    class ThreadNotingSample(proxy.metrics._LoopSample):
        def __setattr__(self, name: str, value: Any) -> None:
            if name == "_value":
                seen.count += 1
                if threading.get_ident() != seen.loop_thread:
                    seen.elsewhere.append(threading.current_thread().name)
            super().__setattr__(name, value)

    monkeypatch.setattr(proxy.metrics, "_LoopSample", ThreadNotingSample)
    return seen


def _config(path: Path, store: dict[str, Any], models: list[str]) -> dict[str, Any]:
    config = {
        "data_dir": str(path.parent / "data"),
        "store": store,
        "detectors": {"enabled": ["secrets"], "service": {"workers": 0}},
        "timeouts": {"ttfb": 0.3},
        "register": {"models": [{"name": name, "provider": "openai"} for name in models]},
    }
    path.write_text(yaml.safe_dump(config))
    return config


async def _scrape(proxy: Proxy) -> dict[str, float]:
    async with aiohttp.ClientSession() as session, session.get(f"{proxy.url}/metrics") as r:
        text = await r.text()
    return {
        f"{s.name}{sorted(s.labels.items())}": s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _total(samples: dict[str, float], name: str) -> float:
    return sum(v for k, v in samples.items() if k.startswith(name + "["))


async def test_every_call_metric_write_happens_on_the_loop_thread(  # noqa: PLR0917 - fixtures
    writes: _Writes,
    start_proxy: StartProxy,
    fake: FakeUpstream,
    tmp_path: Path,
    clickhouse_url: str,
    store_database: str,
) -> None:
    """Allowed, streamed, secret-bearing, refused (401, 404), failing (500) and timed-out
    calls, with a reload, scrapes and the event log writing meanwhile, write the lock-free
    samples only from the loop's thread, and requests_total counts each call once."""
    path = tmp_path / "proxy.yaml"
    store = {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05}
    proxy = await start_proxy(
        _config(path, store, ["gpt-4o-mini"]), config_path=path, event_log=True, enforce=True
    )
    client = proxy.openai()
    fake.behaviour.echo_prompt = True
    calls = 0

    async def chat(text: str, *, stream: bool = False, model: str = "gpt-4o-mini") -> None:
        nonlocal calls
        calls += 1
        messages: Any = [{"role": "user", "content": text}]
        try:
            if stream:
                async for _ in await client.chat.completions.create(
                    model=model, messages=messages, stream=True
                ):
                    pass
            else:
                await client.chat.completions.create(model=model, messages=messages)
        except openai.APIError:
            pass

    await asyncio.gather(
        *(chat(f"hello {i}") for i in range(5)),
        *(chat(f"streamed {i}", stream=True) for i in range(5)),
        *(chat(f"my key is {SECRET} ok") for _ in range(3)),
        *(chat(f"streamed key {SECRET} ok", stream=True) for _ in range(3)),
        chat("unlisted", model="gpt-unlisted"),
        _scrape(proxy),
    )
    async with aiohttp.ClientSession() as session:
        calls += 1
        async with session.post(
            f"{proxy.url}/v1/chat/completions", json={"model": "gpt-4o-mini", "messages": []}
        ) as response:
            assert response.status == 401
    fake.behaviour.status = 500
    await chat("fails")
    fake.behaviour.status = None
    fake.behaviour.delay_before_headers = 1.0
    await chat("times out")
    fake.behaviour.delay_before_headers = 0.0
    _config(path, store, ["gpt-4o-mini", "gpt-4o"])
    await reload_now(proxy)
    await asyncio.gather(*(chat(f"after reload {i}", model="gpt-4o") for i in range(3)))

    samples = await _scrape(proxy)
    assert _total(samples, "llm_proxy_requests_total") == calls
    assert _total(samples, "llm_proxy_request_duration_seconds_count") == calls
    assert _total(samples, "llm_proxy_policy_actions_total") > 0
    assert _total(samples, "llm_proxy_upstream_errors_total") >= 2
    assert writes.count > calls  # the probe saw the writes
    assert writes.elsewhere == []


async def test_the_probe_sees_a_write_from_another_thread(writes: _Writes) -> None:
    """The probe above can fail: a call metric incremented from a worker thread is reported."""
    metrics = proxy.metrics.Metrics(CollectorRegistry())
    series = metrics.requests_total.labels("t", "m", "p", "chat", "allow", "2xx")
    await asyncio.to_thread(series.inc)
    assert writes.elsewhere
