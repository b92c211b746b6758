"""Exports cut off part-way never wedge the log API, against a real ``llm-proxy serve``.

Callers of ``GET /admin/v1/logs/export`` hang up at random points (plain closes and
resets, before the first byte and deep into the stream); afterwards searches, a full
export, /metrics, key-file reloads and SIGTERM all still work promptly, and every call
whose content went out is in the audit log.
"""

from __future__ import annotations

import asyncio
import json
import random
import signal
import socket
import struct
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from proxy.cli.main import main
from tests.fakes import FakeUpstream
from tests.proxy import store_process
from tests.proxy.conftest import PROVIDER_KEY
from tests.proxy.served_place import Place
from tests.proxy.test_keys_revocation import accepted
from tests.serving import LIGHT_DETECTION, ServedProxy, serve, wait_healthy

pytestmark = pytest.mark.slow

#: Seeded calls: several export batches (500 each), some megabytes of NDJSON.
ROWS = 3000
ABORTS = 30
#: What "promptly" means for every check after the aborts: what a wedged lock, thread or
#: stream holds up never answers, so the bound leaves room for a loaded machine (the whole
#: export of ROWS calls runs in it) rather than fitting an idle one.
PROMPT_SECONDS = 30.0
EXPORT_PATH = "/admin/v1/logs/export?since=1d"


@pytest.fixture
async def place(tmp_path: Path) -> AsyncIterator[Place]:
    """A data directory holding ``ROWS`` calls, and the environment to serve it."""
    async with FakeUpstream() as fake:
        place = Place.make(tmp_path, fake, config=LIGHT_DETECTION, OPENAI_API_KEY=PROVIDER_KEY)
        await asyncio.to_thread(store_process.run, "seed", str(place.config), str(ROWS))
        yield place


def aborted_export(port: int, token: str, read_bytes: int, reset: bool) -> bytes:
    """Ask for an export on a raw socket, read ``read_bytes`` of the answer, hang up
    (with a TCP reset when ``reset``); returns what was read."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # A small receive window: the proxy's writes block long before the export is done.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(30)
    received = bytearray()
    try:
        sock.connect(("127.0.0.1", port))
        sock.sendall(
            f"GET {EXPORT_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\n\r\n".encode()
        )
        while len(received) < read_bytes:
            chunk = sock.recv(min(65536, read_bytes - len(received)))
            if not chunk:
                break
            received += chunk
    finally:
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    return bytes(received)


def exported_ids(raw: bytes) -> set[str]:
    """Request ids of the complete NDJSON lines in a raw (chunked) HTTP answer."""
    ids = set()
    for line in raw.split(b"\n"):
        if line.startswith(b'{"request_id":'):
            try:
                ids.add(json.loads(line)["request_id"])
            except ValueError:
                continue  # cut off mid-line, or a chunk-size line split it
    return ids


async def timed_get(session: aiohttp.ClientSession, url: str, token: str) -> tuple[int, bytes]:
    async with asyncio.timeout(PROMPT_SECONDS):
        async with session.get(url, headers={"Authorization": f"Bearer {token}"}) as response:
            return response.status, await response.read()


async def test_aborted_exports_release_everything(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    """Thirty exports cut off at random points leave no lock, thread or stream behind:
    searches, a full export, /metrics and key reloads answer promptly, SIGTERM stops the
    proxy cleanly, and every call that went out to an aborted export was audited first."""
    rng = random.Random(9)
    with serve(place.root, env=place.env, config=place.config.read_text()) as proxy:
        await wait_healthy(proxy)
        token = place.admin_token
        sent: set[str] = set()
        for attempt in range(ABORTS):
            read_bytes = 0 if attempt % 10 == 0 else rng.randrange(1, 4_000_000)
            raw = await asyncio.to_thread(
                aborted_export, proxy.port, token, read_bytes, attempt % 2 == 1
            )
            sent |= exported_ids(raw)
        assert sent, "no aborted export got as far as sending a call"

        await _still_serving(proxy, token, place, capsys)

        # A wedged export holds the shutdown for good: the wait is the bound, no stopwatch.
        proxy.process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(proxy.process.wait, PROMPT_SECONDS)
        assert code == 0, proxy.log_tail()

    audit = [
        json.loads(line) for line in store_process.run("audit", str(place.config)).splitlines()
    ]
    audited = {rid for row in audit if row["action"] == "export" for rid in row["request_ids"]}
    assert sent <= audited
    assert "Traceback" not in proxy.log_tail(100_000)


async def _still_serving(
    proxy: ServedProxy, token: str, place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    """Searches (more at once than the reader has threads), /metrics, a whole export and a
    new key are all answered within ``PROMPT_SECONDS``."""
    async with aiohttp.ClientSession() as session:
        searches = [
            timed_get(session, f"{proxy.url}/admin/v1/logs?since=1d&limit=5", token)
            for _ in range(8)
        ]
        metrics = timed_get(session, f"{proxy.url}/metrics", token)
        results = await asyncio.gather(*searches, metrics)
        assert [status for status, _ in results] == [200] * 9
        assert b"llm_proxy_requests_total" in results[-1][1]

        status, body = await timed_get(session, f"{proxy.url}{EXPORT_PATH}", token)
        assert status == 200
        assert len(body.splitlines()) == ROWS

    capsys.readouterr()
    code = main(
        [
            "keys",
            "create",
            "--user",
            "ann",
            "--team",
            "red",
            "--json",
            "--config",
            str(place.config),
        ],
        environ={},
    )
    assert code == 0
    key = json.loads(capsys.readouterr().out)["key"]
    await accepted(proxy, key, "after-aborts", limit=PROMPT_SECONDS)
