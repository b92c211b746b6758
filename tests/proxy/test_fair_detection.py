"""A huge prompt in flight does not starve other callers (real proxy, real detector pool)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import openai
import pytest

from proxy.call.enforcement import ENFORCEMENT
from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy

pytestmark = pytest.mark.slow

MODEL = "gpt-4o-mini"
#: NER over everything and fail closed: before the pool was fair, every small prompt
#: queued behind the 2 MB one until it was scanned whole (or the small prompt's budget ran
#: out: 403). The budget is far above what a small prompt needs even on a loaded machine
#: (8 s ran out under a 45-minute CI run): the test asserts the order of the answers, and a
#: small prompt that waits for the 2 MB one fails it either way.
POLICY = """
version: 1
name: scan-everything
detection:
  budget_seconds: 120
  max_inspected_chars: null
rule_sets:
  - name: contact-details
    on_detector_failure: fail_closed
    rules:
      - id: pseudonymise-email
        action: pseudonymise
        match: {entities: [EMAIL_ADDRESS]}
"""
LOG_LINE = "2024-05-01T12:00:00Z INFO request served by node-7 in 12 ms for Alice Smith\n"
BIG_PROMPT = (LOG_LINE * (2_000_000 // len(LOG_LINE) + 1))[:2_000_000]


def caller_key(name: str) -> str:
    """A pass-through caller's own key: each key is a caller of its own."""
    return f"sk-{name}-0123456789abcdefghijklmnop"


async def ask(proxy: Proxy, key: str, text: str) -> str:
    reply = await proxy.openai(caller_key(key)).chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": text}]
    )
    return reply.choices[0].message.content or ""


async def test_small_prompts_are_answered_while_a_2mb_prompt_is_scanned(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """Other callers' prompts get 200 while one caller's 2 MB prompt is still being scanned
    (ordered, not timed: no wall-clock bound)."""
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(POLICY)
    config = {
        "detectors": {"service": {"workers": 1, "spare_workers": 1}},
        "policy": {"file": str(policy_file)},
    }
    proxy = await start_proxy(config, enforce=True)
    fake.behaviour.echo_prompt = True
    await ask(proxy, "warm-up", "hello")  # the worker has loaded its model
    service = proxy.app[ENFORCEMENT].slot.current

    big = asyncio.create_task(ask(proxy, "log-paster", BIG_PROMPT))
    try:
        while service.busy_workers == 0:
            assert not big.done(), "the 2 MB prompt finished before the test began"
            await asyncio.sleep(0.02)
        small = [ask(proxy, f"caller-{n}", f"Write to user{n}@example.com") for n in range(4)]
        answers = await asyncio.gather(*small)
        assert not big.done()  # the big prompt was being scanned the whole time
    finally:
        big.cancel()
        with pytest.raises((asyncio.CancelledError, openai.APIError)):
            await big
    for n, text in enumerate(answers):
        assert text == f"Write to user{n}@example.com"  # pseudonymised upstream, restored
    assert all("<EMAIL_ADDRESS_1>" in r.body.decode() for r in fake.requests[1:] if r.body)
