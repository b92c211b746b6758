"""SIGTERM to ``llm-proxy serve`` while calls are in flight: each call's access line is
written once before the process exits, on uvloop's loop (what ``event_loop: auto`` picks when
installed; asyncio's loops hold lines in test_access_line_batching): the lines are held to
the end of a loop pass (:meth:`proxy.logs.LineWriter.later`), and the last passes run in
the drain."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

import openai
import pytest

from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY
from tests.serving import LIGHT_DETECTION, serve, wait_healthy

CALLS = 24
EVENT_LOOP = "uvloop"


@pytest.mark.slow
async def test_every_call_in_flight_at_sigterm_has_its_access_line(
    fake: FakeUpstream, tmp_path: Path
) -> None:
    """Calls the upstream is still answering when SIGTERM arrives are drained, and the log
    holds exactly one access line for each, with the request id its caller got."""
    fake.behaviour.delay_before_headers = 1.0  # all calls in flight at the signal
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "OPENAI_BASE_URL": f"{fake.url}/v1"}
    # Detection is not the subject: the secrets detector alone, in the proxy's process.
    config = f"event_loop: {EVENT_LOOP}\n{LIGHT_DETECTION}"
    with serve(tmp_path, env=env, config=config) as proxy:
        await wait_healthy(proxy)
        async with openai.AsyncOpenAI(
            api_key=CALLER_KEY, base_url=f"{proxy.url}/v1", max_retries=0
        ) as client:
            # ensure_future: the SDK types the raw-response call as an Awaitable (a coroutine
            # here, so it is scheduled as a task, as create_task would).
            calls = [
                asyncio.ensure_future(
                    client.chat.completions.with_raw_response.create(
                        model="gpt-4o-mini", messages=[{"role": "user", "content": f"hi {i}"}]
                    )
                )
                for i in range(CALLS)
            ]
            while len(fake.requests) < CALLS:
                await asyncio.sleep(0.02)
            proxy.process.send_signal(signal.SIGTERM)
            replies = await asyncio.gather(*calls)
        await asyncio.to_thread(proxy.process.wait, 30)
    assert proxy.process.returncode == 0
    ids = sorted(reply.headers["x-request-id"] for reply in replies)
    lines = [json.loads(line) for line in proxy.log_file.read_text("utf-8").splitlines()]
    assert next(line["event_loop"] for line in lines if "event_loop" in line) == EVENT_LOOP
    access = [line for line in lines if line["event"] == "call"]
    assert sorted(line["request_id"] for line in access) == ids
    assert len(set(ids)) == CALLS
