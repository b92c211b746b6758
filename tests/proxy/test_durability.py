"""The event log's guarantee: a call answered to its client survives ``kill -9``."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import Counter
from pathlib import Path

import aiohttp
import pytest

from tests.fakes import FakeUpstream
from tests.serving import LIGHT_DETECTION, free_port, serve, wait_healthy

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x" * 2000}]}


async def load(url: str, answered: list[str], stop: asyncio.Event) -> None:
    """Send calls until ``stop``; collect the event ids of calls fully answered with 200.

    Each call also sends its own ``x-request-id``: the proxy keeps that as
    ``client_request_id`` and answers with its own id, the one the event is stored under."""
    async with aiohttp.ClientSession() as session:
        while not stop.is_set():
            request_id = f"dur-{uuid.uuid4().hex}"
            try:
                async with session.post(
                    f"{url}/v1/chat/completions",
                    json=CHAT,
                    headers={"Authorization": "Bearer sk-caller", "x-request-id": request_id},
                ) as response:
                    await response.read()
                    if response.status == 200:
                        answered.append(response.headers["x-request-id"])
            except aiohttp.ClientError:
                return  # the proxy was killed


@pytest.mark.slow
async def test_answered_calls_survive_kill_9(tmp_path: Path) -> None:
    """After SIGKILL under load, every call answered to its client is in ClickHouse once."""
    async with FakeUpstream() as fake:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "OPENAI_BASE_URL": f"{fake.url}/v1",
        }
        # Detection is not this test's subject: the secrets detector alone, in the proxy's
        # own process (no spaCy model loaded at each of the two starts).
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        answered: list[str] = []
        with serve(tmp_path, env=env, config=LIGHT_DETECTION, port=port) as proxy:
            await wait_healthy(proxy)
            stop = asyncio.Event()
            workers = [asyncio.create_task(load(url, answered, stop)) for _ in range(8)]
            while len(answered) < 300:
                await asyncio.sleep(0.01)
            proxy.kill()  # mid-load: calls are in flight
            stop.set()
            await asyncio.gather(*workers)
        killed_with = len(answered)

        with serve(tmp_path, env=env, config=LIGHT_DETECTION, port=port) as proxy:
            await wait_healthy(proxy)
            token = (tmp_path / "data" / "admin.token").read_text().strip()
            stored: Counter[str] = Counter()
            deadline = time.monotonic() + 60
            async with aiohttp.ClientSession(
                headers={"Authorization": f"Bearer {token}"}
            ) as session:
                while time.monotonic() < deadline:
                    async with session.get(
                        f"{url}/admin/v1/logs", params={"limit": "10000", "since": "1h"}
                    ) as response:
                        assert response.status == 200
                        rows = (await response.json())["rows"]
                    stored = Counter(row["request_id"] for row in rows)
                    if all(request_id in stored for request_id in answered):
                        break
                    await asyncio.sleep(0.2)

    missing = [request_id for request_id in answered if request_id not in stored]
    assert killed_with >= 300
    assert missing == [], f"{len(missing)} of {killed_with} answered calls lost"
    duplicated = [request_id for request_id, n in stored.items() if n > 1]
    assert duplicated == []
