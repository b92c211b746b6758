"""A real Prometheus scraping a real ``llm-proxy serve`` on loopback, with the shipped rules.

The proxy runs zero-config in front of a fake upstream; the official OpenAI client sends
traffic while Prometheus scrapes every second. The recording rules and the expressions the
dashboards rely on are then evaluated through Prometheus' HTTP API.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import os
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from tests.deploy.prom import Prometheus, running_prometheus, shipped_rule_groups, value
from tests.fakes import FakeUpstream
from tests.serving import ServedProxy, serve, wait_healthy

CALLER_KEY = "sk-caller-own-key-abcdefghijklmnop"
MODEL = "gpt-4o-mini"
# A bound for each wait for data to appear (a failure bound: each returns once it has data).
DATA_TIMEOUT = 60.0

# Recording rules whose inputs exist only after security or pipeline events that a healthy
# zero-config proxy does not produce (blocks, findings, register denials, detector failures,
# dropped events). Their expressions must still parse and evaluate.
EVENT_ONLY_RULES = {
    "team:llm_proxy_requests_blocked:increase10m": "no call is blocked",
    "team:llm_proxy_requests_blocked:avg10m_1d": "no call is blocked",
    "entity_type_direction:llm_proxy_sensitive_findings:increase5m": "no secret is sent",
    "entity_type_direction:llm_proxy_sensitive_entities_blocked:increase5m": "no secret is sent",
    "action_mode:llm_proxy_policy_actions:increase5m": "no policy rule matches",
    "team_reason:llm_proxy_register_denials:increase10m": "zero-config has an open register",
    "direction_outcome:llm_proxy_detector_failures:increase10m": "detectors do not fail",
    "reason:llm_proxy_log_events_dropped:increase10m": "no event is dropped",
}

# Expressions the Grafana dashboards are built on: each must return data.
DASHBOARD_EXPRESSIONS = (
    "sum by (team) (rate(llm_proxy_requests_total[1m]))",
    "sum by (team, model, decision) (rate(llm_proxy_requests_total[1m]))",
    "histogram_quantile(0.99, sum by (le) (rate(llm_proxy_request_duration_seconds_bucket[1m])))",
    "histogram_quantile(0.5, sum by (le, provider, model)"
    " (rate(llm_proxy_upstream_ttfb_seconds_bucket[1m])))",
    "sum by (direction) (rate(llm_proxy_tokens_total[1m]))",
    "sum by (team, model, provider) (increase(llm_proxy_tokens_total[5m]))",
    "sum by (provider, kind) (rate(llm_proxy_upstream_errors_total[1m]))",
    "llm_proxy_in_flight_requests",
    "llm_proxy_log_queue_depth",
    "llm_proxy_log_rows_spooled",
    "rate(llm_proxy_log_rows_written_total[1m])",
    "llm_proxy_build_info",
    'up{job="llm-proxy"}',
)


async def _traffic(proxy: ServedProxy, fake: FakeUpstream) -> None:
    """Send calls until cancelled: plain, streamed, and now and then an upstream failure."""
    async with openai.AsyncOpenAI(
        api_key=CALLER_KEY, base_url=f"{proxy.url}/v1", max_retries=0
    ) as client:
        messages: list[ChatCompletionMessageParam] = [
            {"role": "user", "content": "Summarise our release notes."}
        ]
        for n in itertools.count():
            if n % 5 == 4:
                fake.behaviour.status = 500
                with contextlib.suppress(openai.InternalServerError):
                    await client.chat.completions.create(model=MODEL, messages=messages)
                fake.behaviour.status = None
            elif n % 2:
                stream = await client.chat.completions.create(
                    model=MODEL, messages=messages, stream=True
                )
                async for _ in stream:
                    pass
            else:
                await client.chat.completions.create(model=MODEL, messages=messages)
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def _running_traffic(proxy: ServedProxy, fake: FakeUpstream) -> AsyncIterator[None]:
    task = asyncio.create_task(_traffic(proxy, fake))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _wait_rules_healthy(prom: Prometheus, timeout: float) -> list[dict[str, object]]:
    """Poll /api/v1/rules until every rule has been evaluated; return the groups."""
    deadline = time.monotonic() + timeout
    while True:
        groups = prom.rule_groups()
        healths = {rule["health"] for group in groups for rule in group["rules"]}
        if groups and healths == {"ok"}:
            return groups
        if "err" in healths or time.monotonic() > deadline:
            broken = [
                (rule["name"], rule["health"], rule.get("lastError"))
                for group in groups
                for rule in group["rules"]
                if rule["health"] != "ok"
            ]
            pytest.fail(f"rules not healthy: {broken}")
        time.sleep(0.25)


@pytest.mark.slow
async def test_prometheus_scrapes_the_proxy_and_evaluates_the_rules(tmp_path: Path) -> None:
    """A real Prometheus scrapes a running proxy, loads every rule group healthy, and the
    recording rules and dashboard expressions return data for real traffic."""
    workdir = tmp_path / "proxy"
    async with FakeUpstream() as fake:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(workdir),
            "OPENAI_BASE_URL": f"{fake.url}/v1",
            "OPENAI_API_KEY": "x",
        }
        with serve(workdir, env=env) as proxy, contextlib.ExitStack() as stack:
            await wait_healthy(proxy)
            prom: Prometheus = await asyncio.to_thread(
                stack.enter_context, running_prometheus(tmp_path / "prometheus", [proxy.host_port])
            )
            async with _running_traffic(proxy, fake):
                await asyncio.to_thread(
                    prom.wait_for, "llm_proxy_requests_total", timeout=DATA_TIMEOUT
                )
                proxy.process.send_signal(signal.SIGHUP)  # a config reload, for its counter
                # Two scrapes with traffic in between give every rate() a value.
                p99 = await asyncio.to_thread(
                    prom.wait_for,
                    "provider_model:llm_proxy_request_duration_seconds:p99_5m",
                    timeout=DATA_TIMEOUT,
                    finite=True,
                )
                await asyncio.to_thread(
                    prom.wait_for, "llm_proxy_config_reloads_total", timeout=DATA_TIMEOUT
                )
                groups = await asyncio.to_thread(_wait_rules_healthy, prom, DATA_TIMEOUT)
                recorded = {
                    rule["record"]: rule["expr"]
                    for group in shipped_rule_groups()
                    for rule in group["rules"]
                    if "record" in rule
                }
                results = {
                    expr: await asyncio.to_thread(prom.query, expr)
                    for expr in (*recorded.values(), *DASHBOARD_EXPRESSIONS)
                }
                up = await asyncio.to_thread(prom.query, 'up{job="llm-proxy"}')
                firing = await asyncio.to_thread(prom.query, 'ALERTS{alertstate="firing"}')

    assert {group["name"] for group in groups} == {group["name"] for group in shipped_rule_groups()}
    assert [value(sample) for sample in up] == [1.0]
    assert not firing, f"alerts firing on a healthy proxy: {[s['metric'] for s in firing]}"
    assert all(0 < value(sample) < 5 for sample in p99 if math.isfinite(value(sample)))
    assert EVENT_ONLY_RULES.keys() <= recorded.keys(), "stale EVENT_ONLY_RULES entry"
    empty = [
        name
        for name, expr in recorded.items()
        if name not in EVENT_ONLY_RULES and not results[expr]
    ]
    assert not empty, f"recording rules without data: {empty}"
    no_data = [expr for expr in DASHBOARD_EXPRESSIONS if not results[expr]]
    assert not no_data, f"dashboard expressions without data: {no_data}"
    requests = results["sum by (team) (rate(llm_proxy_requests_total[1m]))"]
    assert [sample["metric"] for sample in requests] == [{"team": "passthrough"}]
    assert value(requests[0]) > 0
    tokens = results["sum by (direction) (rate(llm_proxy_tokens_total[1m]))"]
    assert {sample["metric"]["direction"] for sample in tokens} == {"input", "output"}
