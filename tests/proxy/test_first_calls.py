"""A new user's first calls after ``llm-proxy serve``: readiness is reported once the
detectors are loaded and warmed up, and the first calls load nothing more (h153).

Observed as an operator would, through ``/readyz`` and the metrics the proxy exports:
``detector_pool_ready_workers`` (workers loaded and warmed up) and
``detector_loads_total`` (sets of detectors loaded: one per worker process, one for the
proxy's own inline scans). How long the first calls take is measured by
``bench/first_calls.py``, not here.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import aiohttp
import openai
import pytest
from prometheus_client.parser import text_string_to_metric_families

from proxy.call.pricing import shipped_prices
from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY, StartProxy
from tests.serving import START_TIMEOUT, ServedProxy, serve

#: One detection worker, no spare: the worker and the proxy's own detectors load a model.
ONE_WORKER = "detectors:\n  service:\n    workers: 1\n    spare_workers: 0\n"
READY_WORKERS = "llm_proxy_detector_pool_ready_workers"
LOADS = "llm_proxy_detector_loads_total"


async def first_ready(proxy: ServedProxy, session: aiohttp.ClientSession) -> None:
    """Poll ``/readyz`` until it first answers 200."""
    async with asyncio.timeout(START_TIMEOUT):
        while True:
            if proxy.process.poll() is not None:
                pytest.fail(f"llm-proxy serve exited during start-up:\n{proxy.log_tail()}")
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"{proxy.url}/readyz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.05)


async def detector_samples(proxy: ServedProxy, session: aiohttp.ClientSession) -> dict[str, float]:
    """The detector pool's samples on ``/metrics``, by sample name."""
    async with session.get(f"{proxy.url}/metrics") as response:
        text = await response.text()
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name in (READY_WORKERS, LOADS)
    }


@pytest.mark.slow
async def test_ready_means_warm_detectors_and_the_first_calls_load_none(
    fake: FakeUpstream, tmp_path: Path
) -> None:
    """When ``/readyz`` first says ready, the worker is loaded and warmed up and so are the
    proxy's own detectors; a first plain call, a first streamed one and a first one whose
    prompt needs NER then load no detectors, and the worker still serves."""
    fake.behaviour.echo_prompt = True  # every answer is new text to scan
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "OPENAI_BASE_URL": f"{fake.url}/v1"}
    with serve(tmp_path, env=env, config=ONE_WORKER) as proxy:
        async with aiohttp.ClientSession() as session:
            await first_ready(proxy, session)
            at_ready = await detector_samples(proxy, session)
            assert at_ready == {READY_WORKERS: 1, LOADS: 2}
            async with openai.AsyncOpenAI(
                api_key=CALLER_KEY, base_url=f"{proxy.url}/v1", max_retries=0
            ) as client:
                plain = await client.chat.completions.create(
                    model="gpt-4o-mini",
                    messages=[{"role": "user", "content": "please summarise the notes"}],
                )
                stream = await client.chat.completions.create(
                    model="gpt-4o-mini",
                    messages=[{"role": "user", "content": "please list the open risks"}],
                    stream=True,
                )
                streamed = "".join(
                    [c.choices[0].delta.content or "" async for c in stream if c.choices]
                )
                named = await client.chat.completions.create(
                    model="gpt-4o-mini",
                    messages=[{"role": "user", "content": "Write to Maria Schmidt in Hamburg"}],
                )
            after = await detector_samples(proxy, session)
    assert plain.choices[0].message.content == "please summarise the notes"
    assert streamed == "please list the open risks"
    assert named.choices[0].message.content == "Write to Maria Schmidt in Hamburg"
    assert after == at_ready


async def test_the_shipped_price_table_is_read_before_the_proxy_serves(
    start_proxy: StartProxy,
) -> None:
    """Start-up reads the shipped prices (a YAML table every priced call looks up): the
    first call does not parse it on the event loop."""
    shipped_prices.cache_clear()
    await start_proxy()
    assert shipped_prices.cache_info().currsize == 1
