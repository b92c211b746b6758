"""``logs`` and ``anomalies`` read the store themselves while no proxy is running.

Against a real ``llm-proxy serve``: while it runs, the commands go through its admin API
(and never open the engine it holds, even when its recorded address does not answer);
once it has stopped, or crashed leaving its address behind, they read the embedded store
directly, say so in one line, and still audit what they read.
"""

from __future__ import annotations

import asyncio
import getpass
import json
import signal
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import openai
import pytest

from tests.fakes import FakeUpstream
from tests.proxy import store_process
from tests.proxy.conftest import CALLER_KEY
from tests.proxy.served_place import Place
from tests.serving import (
    LIGHT_DETECTION,
    LLM_PROXY,
    ServedProxy,
    free_port,
    serve,
    wait_healthy,
)

pytestmark = pytest.mark.slow

PROMPT = "Offline incident review: quarterly figures for Bluebird"
CALLS = 3
NOTICE = "proxy not running: reading "


@dataclass(frozen=True)
class Cli:
    """What one ``llm-proxy`` run printed."""

    code: int
    out: str
    err: str


def cli(place: Place, *argv: str) -> Cli:
    """Run the ``llm-proxy`` console script with this configuration, as a responder would."""
    done = subprocess.run(  # noqa: S603 - our own console script
        [str(LLM_PROXY), *argv, "--config", str(place.config)],
        cwd=place.root,
        env=place.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Cli(done.returncode, done.stdout, done.stderr)


@pytest.fixture
async def place(tmp_path: Path) -> AsyncIterator[Place]:
    """A configuration with its own data directory, in front of a fake provider."""
    async with FakeUpstream() as fake:
        config = f"store:\n  flush_interval: 0.05\n{LIGHT_DETECTION}"
        yield Place.make(tmp_path, fake, config=config)


async def record_calls(proxy: ServedProxy) -> None:
    async with openai.AsyncOpenAI(
        base_url=f"{proxy.url}/v1", api_key=CALLER_KEY, max_retries=0
    ) as client:
        for _ in range(CALLS):
            await client.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}]
            )


async def search_rows(place: Place, *, expect: int) -> tuple[Cli, list[dict[str, object]]]:
    """``logs search --format json`` until it shows ``expect`` rows (the log is flushed
    in the background); the last run and its rows."""
    for _ in range(100):
        run = await asyncio.to_thread(cli, place, "logs", "search", "--format", "json")
        assert run.code == 0, run.err
        rows = [json.loads(line) for line in run.out.splitlines()]
        if len(rows) >= expect:
            return run, rows
        await asyncio.sleep(0.1)
    pytest.fail(f"expected {expect} rows, the log shows {len(rows)}")


async def test_logs_and_anomalies_read_the_store_once_the_proxy_stopped(place: Place) -> None:
    """A running proxy answers the CLI through its API; a proxy that holds the store but
    does not answer at its recorded address gets a one-line refusal, never a second open;
    after SIGTERM search, show, export and anomalies read the store directly with a notice,
    and what they read is audited under the OS user, via cli-offline."""
    admin_file = place.data / "admin.json"
    with serve(place.root, env=place.env, config=place.config.read_text()) as proxy:
        await wait_healthy(proxy)
        await record_calls(proxy)
        online, rows = await search_rows(place, expect=CALLS)
        assert NOTICE not in online.err

        recorded = admin_file.read_text(encoding="utf-8")
        address = json.loads(recorded)
        address["url"] = f"http://127.0.0.1:{free_port()}/admin"  # refused; the pid lives
        admin_file.write_text(json.dumps(address), encoding="utf-8")
        held = await asyncio.to_thread(cli, place, "logs", "search")
        assert held.code == 1
        assert len(held.err.strip().splitlines()) == 1, held.err
        assert "in use by another process" in held.err
        admin_file.write_text(recorded, encoding="utf-8")

        proxy.process.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(proxy.process.wait, 15) == 0

    offline, rows = await search_rows(place, expect=CALLS)
    data = place.data / "clickhouse"
    assert offline.err.startswith(f"{NOTICE}{data} directly\n")
    request_id = str(rows[0]["request_id"])

    shown = await asyncio.to_thread(cli, place, "logs", "show", request_id)
    assert shown.code == 0, shown.err
    assert PROMPT in shown.out
    assert NOTICE in shown.err

    target = place.root / "evidence.jsonl"
    exported = await asyncio.to_thread(cli, place, "logs", "export", "--output", str(target))
    assert exported.code == 0, exported.err
    assert NOTICE in exported.err
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == CALLS
    assert all(PROMPT in line["prompt"] for line in lines)

    report = await asyncio.to_thread(cli, place, "anomalies", "--format", "json")
    assert report.code == 0, report.err
    assert NOTICE in report.err
    assert "output_drift" in json.loads(report.out)

    audit = [
        json.loads(line)
        for line in store_process.run("audit", str(place.config)).splitlines()
        if json.loads(line)["via"] == "cli-offline"
    ]
    reads = {(row["action"], row["include_content"]) for row in audit}
    assert {("show", True), ("export", True), ("search", False)} <= reads
    assert any(request_id in row["request_ids"] for row in audit if row["action"] == "show")
    assert {row["actor"] for row in audit} == {getpass.getuser()}


async def test_logs_read_the_store_after_the_proxy_crashed(place: Place) -> None:
    """After SIGKILL the recorded admin address is a leftover: the CLI reads the store
    directly instead of reporting an unreachable proxy."""
    with serve(place.root, env=place.env, config=place.config.read_text()) as proxy:
        await wait_healthy(proxy)
        await record_calls(proxy)
        await search_rows(place, expect=CALLS)
        proxy.kill()
    assert (place.data / "admin.json").exists()

    run, _ = await search_rows(place, expect=CALLS)
    assert run.err.startswith(NOTICE)
