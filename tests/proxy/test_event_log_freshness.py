"""A responder reads a call as soon as it is answered, whatever the writer's flush interval."""

from __future__ import annotations

import json

import pytest

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
