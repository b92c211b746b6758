"""``kill -9`` of the proxy leaves no process behind: detection workers (busy or idle), the
forkserver and the resource tracker all end, within seconds on an idle machine."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

import aiohttp
import pytest

from tests import processes
from tests.serving import ServedProxy, free_port, serve, wait_healthy

pytestmark = pytest.mark.slow

#: How long the proxy's helpers may take to end after it was killed: a bound for a loaded
#: machine, not a goal (the wait returns as soon as they are gone). One left behind runs on
#: for hours (the busy worker) or until killed (the idle ones), so a minute tells them apart.
GONE_WITHIN_SECONDS = 60.0
#: How long the scan may take to reach a worker (a bound too: the wait ends when it does).
BUSY_WITHIN_SECONDS = 60.0
#: A custom recognizer that backtracks for hours on a run of "a"s: the worker scanning it
#: sits in one C call holding the GIL, as a worker deep in a huge text would.
POLICY_RECOGNIZER = """
recognizers:
  regexes:
    - entity_type: BACKTRACKING
      pattern: '(a+)+b'
"""


def _config(tmp_path: Path, start_method: str) -> str:
    default = (Path(__file__).parents[2] / "policies" / "default.yaml").read_text()
    (tmp_path / "policy.yaml").write_text(default + POLICY_RECOGNIZER)
    # Only the custom recognizers: the workers, spare and forkserver start as they always
    # do, without loading a spaCy model each (a proxy's start, not what this test is about).
    return f"""
policy:
  file: policy.yaml
detectors:
  enabled: [custom]
  service:
    workers: 1
    spare_workers: 1
    start_method: {start_method}
"""


async def _send_endless_scan(proxy: ServedProxy) -> None:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "a" * 40}]}
    with contextlib.suppress(aiohttp.ClientError):  # the proxy is killed mid-call
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{proxy.url}/v1/chat/completions",
                json=body,
                headers={"Authorization": "Bearer sk-caller-own-key"},
            ) as response,
        ):
            await response.read()


async def _busy_descendant(pid: int, *, timeout: float) -> processes.Proc:
    """A descendant of ``pid`` found running on a CPU (state R)."""
    async with asyncio.timeout(timeout):
        while True:
            busy = [proc for proc in processes.descendants(pid) if proc.state == "R"]
            if busy:
                return busy[0]
            await asyncio.sleep(0.02)


#: The proxy's descendants per start method: worker and spare, the resource tracker
#: (forkserver, spawn) and the forkserver itself.
FAMILY_SIZE = {"forkserver": 4, "spawn": 3, "fork": 2}


@pytest.mark.parametrize("start_method", FAMILY_SIZE)
async def test_kill_9_of_the_proxy_ends_every_process_it_started(
    tmp_path: Path, start_method: str
) -> None:
    """With one worker busy in a scan and a spare idle, SIGKILL of the proxy's main process
    alone ends all its descendant processes."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "OPENAI_BASE_URL": f"http://127.0.0.1:{free_port()}/v1",  # never reached
    }
    with serve(tmp_path, env=env, config=_config(tmp_path, start_method)) as proxy:
        await wait_healthy(proxy)
        call = asyncio.create_task(_send_endless_scan(proxy))
        await _busy_descendant(proxy.process.pid, timeout=BUSY_WITHIN_SECONDS)
        family = processes.descendants(proxy.process.pid)
        assert len(family) == FAMILY_SIZE[start_method], family
        proxy.kill()
        left = await asyncio.to_thread(
            processes.wait_until_gone, family, timeout=GONE_WITHIN_SECONDS
        )
        await call
    processes.reap_zombie_children()  # orphans are reparented to this (subreaper) process
    assert [f"{proc.pid}: {proc.cmdline()}" for proc in left] == []
