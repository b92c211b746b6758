"""The proxy as shipped: the default policy with the real detectors (spaCy in a worker pool)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import openai
import pytest

from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy

pytestmark = pytest.mark.slow

AWS_KEY = "AKIAGYLW2FGSIORRGXT6"
EMAIL = "jane.roe@example.com"
#: One detection worker and no spare: these tests are not about replacing a crashed worker,
#: and each spare loads a spaCy model of its own.
ONE_WORKER = {"detectors": {"service": {"workers": 1, "spare_workers": 0}}}


async def chat(proxy: Proxy, text: str) -> str:
    reply = await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": text}]
    )
    return reply.choices[0].message.content or ""


async def test_default_policy_blocks_a_secret_before_it_leaves(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """With no policy configured, an AWS key in a prompt is blocked and never sent."""
    proxy = await start_proxy(ONE_WORKER, enforce=True)
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await chat(proxy, f"deploy with access key {AWS_KEY} today")
    assert fake.requests == []
    error = caught.value.response.json()["error"]
    assert (error["code"], error["rules"]) == ("policy_violation", ["block-secrets"])
    assert AWS_KEY not in caught.value.response.text
    assert proxy.sink.last.entity_types == ("AWS_ACCESS_KEY_ID",)


async def test_default_policy_pseudonymises_email_and_restores_it(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """The provider sees a placeholder for an e-mail address; the caller sees it restored."""
    proxy = await start_proxy(ONE_WORKER, enforce=True)
    fake.behaviour.echo_prompt = True
    answer = await chat(proxy, f"Write to {EMAIL} about the invoice")
    sent = fake.last.json["messages"][0]["content"]
    assert EMAIL not in sent
    assert "<EMAIL_ADDRESS_1>" in sent
    assert answer == f"Write to {EMAIL} about the invoice"
    assert proxy.sink.last.decision == "pseudonymise"


async def test_policy_file_hot_reload_keeps_old_policy_on_a_bad_file(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """A broken policy edit is rejected and the old one stays; a good edit takes effect."""
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(_policy(keyword="Project Falcon"))
    proxy = await start_proxy(
        {**ONE_WORKER, "policy": {"file": str(policy_file), "reload_interval": 0.05}},
        enforce=True,
    )
    with pytest.raises(openai.PermissionDeniedError):
        await chat(proxy, "status of Project Falcon?")

    policy_file.write_text("version: 1\nrule_sets: [ {rules: [ {id: x, action: explode} ]} ]\n")
    rejected = {"what": "policy", "outcome": "failure"}
    sample = proxy.metrics.registry.get_sample_value
    deadline = asyncio.get_running_loop().time() + 30
    while not sample("llm_proxy_config_reloads_total", rejected):  # the edit was read
        assert asyncio.get_running_loop().time() < deadline, "broken policy never read"
        await asyncio.sleep(0.05)
    with pytest.raises(openai.PermissionDeniedError):
        await chat(proxy, "status of Project Falcon?")  # the old policy is still in force

    policy_file.write_text(_policy(keyword="Project Osprey"))
    deadline = asyncio.get_running_loop().time() + 30
    while True:  # the new custom recognizer needs a fresh detector pool
        try:
            await chat(proxy, "status of Project Falcon?")
            break
        except openai.PermissionDeniedError:
            assert asyncio.get_running_loop().time() < deadline, "new policy never applied"
            await asyncio.sleep(0.2)
    with pytest.raises(openai.PermissionDeniedError):
        await chat(proxy, "status of Project Osprey?")
    assert "Project Osprey" not in str([r.body for r in fake.requests])


def _policy(keyword: str) -> str:
    return f"""
version: 1
name: codenames
recognizers:
  keywords:
    - entity_type: PROJECT_CODENAME
      keywords: ["{keyword}"]
rule_sets:
  - name: confidential-projects
    rules:
      - id: block-codenames
        direction: input
        action: block
        match:
          entities: [PROJECT_CODENAME]
"""


async def test_detector_cache_and_pool_are_visible_in_metrics(start_proxy: StartProxy) -> None:
    """A resent message is a cache hit, and the hit shows in /metrics within seconds."""
    proxy = await start_proxy(ONE_WORKER, enforce=True)
    await chat(proxy, "The quarterly report is due on Friday.")
    await chat(proxy, "The quarterly report is due on Friday.")
    sample = proxy.metrics.registry.get_sample_value
    deadline = asyncio.get_running_loop().time() + 5
    while not sample("llm_proxy_detector_cache_lookups_total", {"result": "hit"}):
        assert asyncio.get_running_loop().time() < deadline, "cache hit never counted"
        await asyncio.sleep(0.1)
    # The first call's model name, prompt and answer were scanned; the second call's were
    # all cached.
    assert sample("llm_proxy_detector_cache_lookups_total", {"result": "miss"}) == 3.0
    assert sample("llm_proxy_detector_pool_busy_workers") == 0.0
