"""A responder reads a call as soon as it is answered, whatever the writer's flush interval:
log searches, spend, the evidence report and anomaly checks alike."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from proxy.call.auth import PASSTHROUGH_TEAM
from proxy.store import open_client
from tests.proxy.admin_helpers import analyst_admin, run_cli
from tests.proxy.conftest import Proxy, StartProxy


@pytest.fixture
async def slow_flushing_proxy(
    start_proxy: StartProxy, clickhouse_url: str, store_database: str
) -> Proxy:
    """A proxy whose event log would send a lone call only after a minute."""
    return await start_proxy(
        {
            "store": {"url": clickhouse_url, "database": store_database, "flush_interval": 60},
            "admin": analyst_admin(),
        },
        event_log=True,
    )


async def test_a_call_is_found_by_logs_search_right_after_its_answer(
    slow_flushing_proxy: Proxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """``logs search`` and ``logs show`` find a call answered just before, with the writer's
    next flush still a minute away: reads send the log first (without that the search would
    come back empty, since nothing else would flush for 60 s)."""
    proxy = slow_flushing_proxy
    raw = await proxy.openai().chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "is it there yet?"}]
    )
    request_id = raw.headers["x-request-id"]
    code, out, _ = await run_cli(proxy, capsys, "logs", "search", "--format", "json")
    assert code == 0
    assert [json.loads(line)["request_id"] for line in out.splitlines()] == [request_id]
    code, out, _ = await run_cli(proxy, capsys, "logs", "show", request_id)
    assert code == 0
    assert "is it there yet?" in out


async def _answered_call(proxy: Proxy) -> str:
    """Make one chat call through the proxy; return its request id."""
    raw = await proxy.openai().chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "count me in"}]
    )
    return str(raw.headers["x-request-id"])


async def test_spend_counts_a_call_answered_just_before(
    slow_flushing_proxy: Proxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """``spend`` counts a call answered just before it, with the writer's next flush a
    minute away (without the flush first the report would hold no call)."""
    await _answered_call(slow_flushing_proxy)
    code, out, err = await run_cli(
        slow_flushing_proxy, capsys, "spend", "--since", "1h", "--format", "json"
    )
    assert code == 0, err
    assert json.loads(out)["total"]["calls"] == 1


async def test_report_counts_a_call_answered_just_before(
    slow_flushing_proxy: Proxy, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The evidence report counts a call answered just before it was asked for, with the
    writer's next flush a minute away."""
    await _answered_call(slow_flushing_proxy)
    today = datetime.now(UTC).date().isoformat()
    target = tmp_path / "report.json"
    argv = ("report", "--from", today, "--to", today, "--format", "json", "--output", str(target))
    code, _, err = await run_cli(slow_flushing_proxy, capsys, *argv)
    assert code == 0, err
    assert json.loads(target.read_text())["summary"]["calls"] == 1


async def test_anomalies_see_a_call_answered_just_before(
    slow_flushing_proxy: Proxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """An anomaly check sees a call answered just before it: a model new to a team that
    has a baseline is reported at once, with the writer's next flush a minute away."""
    settings = slow_flushing_proxy.settings.store
    client = await asyncio.to_thread(open_client, settings)
    try:
        week_ago = datetime.now(UTC) - timedelta(days=7)
        row = (f"req_{uuid.uuid4().hex}", week_ago, PASSTHROUGH_TEAM, "gpt-4o", 200)
        columns = ["request_id", "ts", "team", "model", "status_code"]
        await asyncio.to_thread(
            client.insert, f"{settings.database}.requests", [row], column_names=columns
        )
    finally:
        client.close()
    await _answered_call(slow_flushing_proxy)
    code, out, err = await run_cli(
        slow_flushing_proxy, capsys, "anomalies", "--since", "1d", "--format", "json"
    )
    assert code == 0, err
    new = [(m["team"], m["model"]) for m in json.loads(out)["new_models"]]
    assert new == [(PASSTHROUGH_TEAM, "gpt-4o-mini")]
