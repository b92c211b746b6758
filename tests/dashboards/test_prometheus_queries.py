"""Every Prometheus expression of the dashboards, evaluated by a real Prometheus.

``llm-proxy serve`` (pass-through, with a small register: one approved model, one not)
runs in front of a fake upstream while the official OpenAI client sends plain, streamed,
failing, refused and secret-carrying calls. Debian's Prometheus scrapes it every second
with the shipped rules (``tests/deploy/prom.py``). Every panel expression, with its
variables on "All" and on the traffic's own values, must parse and evaluate, as a range
query for graphs and an instant query for tables; all but those in ``MAY_BE_EMPTY`` must
return data. Every variable query must return the traffic's label values.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import re
import signal
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from tests.dashboards.macros import ALL, Value, expand_prometheus
from tests.dashboards.model import PROMETHEUS_TYPE, Target, all_targets, variable_names
from tests.deploy.prom import Prometheus, Sample, running_prometheus
from tests.fakes import FakeUpstream
from tests.serving import serve, wait_healthy

CALLER_KEY: Final = "sk-caller-own-key-abcdefghijklmnop"
MODEL: Final = "gpt-4o-mini"
CONFIG: Final = """\
register:
  models:
    - {name: gpt-4o-mini, provider: openai}
    - {name: gpt-5-preview, provider: openai, approved: false}
"""
SECRET_PROMPT: Final = "Deploy with AKIAGYLW2FGSIORRGXT6 / kLI6Tj4//GF3rrd9BqwOo/i6+OQUmd0QptaSichk"
# A bound for each wait for data to appear (a failure bound: each returns once it has data).
DATA_TIMEOUT: Final = 60.0

# Panels whose series appear only after events this traffic may not cause; their
# expressions must still parse and evaluate.
MAY_BE_EMPTY: Final = {
    "Authentication failures by reason": "pass-through callers always present a key",
    "Rate-limited calls by team": "no limits are configured",
    "Events dropped": "the spool never fills",
    "Detector failures by outcome": "detectors do not time out",
    "Scan cache hit ratio": "depends on the scan cache counting its lookups",
    "Monitor-mode rule hits": "depends on the policy pack having monitor-mode rules",
    "Policy actions by rule (enforced)": "depends on the default policy blocking the secret",
    "Blocked, redacted and flagged calls by team": "depends on the default policy",
    "Findings by entity type and direction": "depends on the default policy's detectors",
    "Secrets and card numbers found (5 minutes)": "depends on the default policy's detectors",
    "Detection time per inspected text": "depends on inspection being on by default",
    "Unpriced calls by provider and model": "the shipped table prices the model called",
    "Budget use": "no budget is configured",
    "Calls refused by a budget": "no budget is configured",
}

# Grafana's values for its built-in variables, sized for a 1 s scrape interval.
BUILTINS: Final = {"rate_interval": "15s", "interval": "1s", "range_": "1m"}
SCENARIOS: Final[Mapping[str, Mapping[str, Value]]] = {
    "all": {"team": ALL, "model": ALL, "provider": ALL},
    "selected": {"team": ("passthrough",), "model": (MODEL,), "provider": ("openai",)},
}
# What the variable queries must offer for this traffic.
LABEL_VALUES: Final = {"team": "passthrough", "model": MODEL, "provider": "openai"}

TARGETS: Final = [t for t in all_targets(PROMETHEUS_TYPE) if t.ref_id != "variable"]
VARIABLE_TARGETS: Final = [t for t in all_targets(PROMETHEUS_TYPE) if t.ref_id == "variable"]


@dataclass(frozen=True)
class Expression:
    """One panel query with its variables filled in for one scenario."""

    target: Target
    scenario: str
    promql: str

    @property
    def name(self) -> str:
        return f"{self.target.id} [{self.scenario}]"

    @property
    def must_have_data(self) -> bool:
        return self.target.panel not in MAY_BE_EMPTY


def expressions() -> list[Expression]:
    """Every panel query in every scenario, restricted to its dashboard's variables."""
    found = []
    for target, (scenario, values) in itertools.product(TARGETS, SCENARIOS.items()):
        names = variable_names(target.dashboard)
        own = {name: value for name, value in values.items() if name in names}
        promql = expand_prometheus(target.text, variables=own, **BUILTINS)
        found.append(Expression(target, scenario, promql))
    return found


def evaluate(prom: Prometheus, expression: Expression) -> list[Sample]:
    """Run the expression as Grafana would: instant for tables, else over the last 30 s."""
    if expression.target.instant:
        return prom.query(expression.promql)
    now = time.time()
    return prom.query_range(expression.promql, now - 30, now, 1)


def evaluate_until_data(
    prom: Prometheus, pending: list[Expression], timeout: float
) -> dict[str, list[Sample]]:
    """Evaluate every expression (an invalid one raises), re-polling those that must return
    data until they do or ``timeout`` passes, then the empty event-only ones once more;
    return the last results by name."""
    results: dict[str, list[Sample]] = {}
    deadline = time.monotonic() + timeout
    expressions = pending
    while True:
        for expression in pending:
            results[expression.name] = evaluate(prom, expression)
        pending = [e for e in pending if e.must_have_data and not results[e.name]]
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    for expression in expressions:
        if not expression.must_have_data and not results[expression.name]:
            results[expression.name] = evaluate(prom, expression)
    return results


def _ask(text: str) -> list[ChatCompletionMessageParam]:
    return [{"role": "user", "content": text}]


async def send_traffic(url: str, fake: FakeUpstream) -> None:
    """Send calls until cancelled: a secret-carrying prompt, register refusals, an upstream
    failure, then streamed and plain calls. The rare calls come first in each round, so
    their series exist from the first scrape on."""
    async with openai.AsyncOpenAI(
        api_key=CALLER_KEY, base_url=f"{url}/v1", max_retries=0
    ) as client:
        chat = client.chat.completions
        for n in itertools.count():
            step = n % 8
            if step == 0:
                with contextlib.suppress(openai.APIStatusError):
                    await chat.create(model=MODEL, messages=_ask(SECRET_PROMPT))
            elif step in (1, 2):
                model = "gpt-5-preview" if step == 1 else "not-in-the-register"
                with contextlib.suppress(openai.APIStatusError):
                    await chat.create(model=model, messages=_ask("Hello"))
            elif step == 3:
                fake.behaviour.status = 500
                with contextlib.suppress(openai.InternalServerError):
                    await chat.create(model=MODEL, messages=_ask("Hello"))
                fake.behaviour.status = None
            elif step % 2:
                stream = await chat.create(model=MODEL, messages=_ask("Summarise."), stream=True)
                async for _ in stream:
                    pass
            else:
                await chat.create(model=MODEL, messages=_ask("Summarise."))
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def running(task: asyncio.Task[None]) -> AsyncIterator[None]:
    """Cancel and await the background task on exit."""
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def label_values(prom: Prometheus, query: str) -> list[str]:
    """Evaluate a Grafana ``label_values(metric, label)`` variable query."""
    match = re.fullmatch(r"label_values\((\w+),\s*(\w+)\)", query)
    assert match, f"unsupported variable query {query!r}"
    metric, label = match.groups()
    values: list[str] = prom.api(f"label/{label}/values", **{"match[]": metric})
    return values


def test_dashboards_have_prometheus_expressions() -> None:
    """Operations and security panels query Prometheus, so the live test is not vacuous."""
    assert {t.dashboard for t in TARGETS} == {"llm-proxy-ops", "llm-proxy-security"}
    assert MAY_BE_EMPTY.keys() <= {t.panel for t in TARGETS}, "stale MAY_BE_EMPTY entry"
    assert {t.panel for t in VARIABLE_TARGETS} == {"$team", "$model", "$provider"}


@pytest.mark.slow
async def test_every_dashboard_expression_evaluates_on_a_real_prometheus(tmp_path: Path) -> None:
    """Each panel expression parses and evaluates against a scraped, running proxy, returns
    data unless listed as event-only, and each variable query offers the traffic's values."""
    all_expressions = expressions()
    workdir = tmp_path / "proxy"
    async with FakeUpstream() as fake:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(workdir),
            "OPENAI_BASE_URL": f"{fake.url}/v1",
            "OPENAI_API_KEY": "x",
        }
        with serve(workdir, env=env, config=CONFIG) as proxy:
            await wait_healthy(proxy)
            with running_prometheus(tmp_path / "prometheus", [proxy.host_port]) as prom:
                async with running(asyncio.create_task(send_traffic(proxy.url, fake))):
                    await asyncio.to_thread(
                        prom.wait_for, "llm_proxy_requests_total", timeout=DATA_TIMEOUT
                    )
                    proxy.process.send_signal(signal.SIGHUP)  # a configuration reload to count
                    results = await asyncio.to_thread(
                        evaluate_until_data, prom, all_expressions, DATA_TIMEOUT
                    )
                    offered = {
                        t.panel: await asyncio.to_thread(label_values, prom, t.text)
                        for t in VARIABLE_TARGETS
                    }

    no_data = [e.name for e in all_expressions if e.must_have_data and not results[e.name]]
    assert not no_data, f"expressions without data: {no_data}"
    for panel, values in offered.items():
        assert LABEL_VALUES[panel.removeprefix("$")] in values, (panel, values)
