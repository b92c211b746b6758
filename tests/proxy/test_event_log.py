"""Calls land in the real event log (embedded ClickHouse) and responders read them back."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from proxy.cli.main import main
from proxy.store import EventLog, open_client
from tests.fakes import FakeUpstream
from tests.proxy.admin_helpers import ANALYST_TOKEN, admin_get, admin_token, analyst_admin, run_cli
from tests.proxy.conftest import Proxy, StartProxy

SECRET = "sk-proj-" + "A1b2C3d4E5f6G7h8" * 3


@pytest.fixture
async def logged_proxy(start_proxy: StartProxy, clickhouse_url: str, store_database: str) -> Proxy:
    """A proxy recording to the session's embedded engine, in a database of its own."""
    return await start_proxy(
        {
            "store": {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05},
            "admin": analyst_admin(),
        },
        event_log=True,
    )


def event_log(proxy: Proxy) -> EventLog:
    sink = proxy.services.sink
    assert isinstance(sink, EventLog)
    return sink


async def flush(proxy: Proxy) -> None:
    assert await asyncio.to_thread(event_log(proxy).flush, 10.0)


async def make_traffic(proxy: Proxy) -> None:
    client = proxy.openai()
    await client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Summarise the Q3 board minutes"},
        ],
    )
    stream = await client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "stream me"}], stream=True
    )
    async for _ in stream:
        pass
    await client.embeddings.create(model="text-embedding-3-small", input="embed me")
    await proxy.anthropic().messages.create(
        model="claude-test-model", max_tokens=20, messages=[{"role": "user", "content": "hey"}]
    )


async def test_every_call_kind_is_stored(logged_proxy: Proxy) -> None:
    """Chat, streamed chat, embeddings and Anthropic calls each become one stored row."""
    await make_traffic(logged_proxy)
    await flush(logged_proxy)
    status, body = await admin_get(
        logged_proxy, "/v1/logs", admin_token(logged_proxy), content="1", since="1h"
    )
    assert status == 200
    rows = {(r["endpoint"], r["stream"]): r for r in body["rows"]}
    assert set(rows) == {
        ("/v1/chat/completions", False),
        ("/v1/chat/completions", True),
        ("/v1/embeddings", False),
        ("/v1/messages", False),
    }
    streamed = rows[("/v1/chat/completions", True)]
    assert streamed["response"] == "Hello from the fake"
    assert (streamed["prompt_tokens"], streamed["completion_tokens"]) == (12, 5)
    assert "Q3 board minutes" in rows[("/v1/chat/completions", False)]["prompt"]


async def test_cli_search_show_and_export(
    logged_proxy: Proxy, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Responders find calls with filters, read one as a conversation, and export them."""
    await make_traffic(logged_proxy)
    await flush(logged_proxy)
    code, out, _ = await run_cli(
        logged_proxy, capsys, "logs", "search", "--since", "2h", "--model", "gpt-4o-mini"
    )
    assert code == 0
    table = out.splitlines()
    assert table[0].split()[:3] == ["TIME", "REQUEST_ID", "USER"]
    assert len(table) == 3  # header + the two gpt-4o-mini calls

    code, out, _ = await run_cli(logged_proxy, capsys, "logs", "search", "--format", "json")
    rows = [json.loads(line) for line in out.splitlines()]
    chat = next(r for r in rows if r["endpoint"] == "/v1/chat/completions" and not r["stream"])

    code, out, _ = await run_cli(logged_proxy, capsys, "logs", "show", chat["request_id"])
    assert code == 0
    assert "[system]\n  Be brief." in out
    assert "[user]\n  Summarise the Q3 board minutes" in out
    assert "[assistant]\n  Hello from the fake" in out

    target = tmp_path / "evidence.jsonl"
    code, _, err = await run_cli(
        logged_proxy, capsys, "logs", "export", "--since", "1d", "--output", str(target)
    )
    assert code == 0
    exported = [json.loads(line) for line in target.read_text().splitlines()]
    assert len(exported) == 4
    assert "exported 4 calls" in err


async def test_content_reads_are_audited(logged_proxy: Proxy) -> None:
    """Every read of prompt text leaves an audit_log row naming who read which calls."""
    await make_traffic(logged_proxy)
    await flush(logged_proxy)
    _, body = await admin_get(logged_proxy, "/v1/logs", admin_token(logged_proxy), content="1")
    ids = sorted(r["request_id"] for r in body["rows"])
    store = logged_proxy.settings.store
    client = await asyncio.to_thread(open_client, store)
    try:
        result = await asyncio.to_thread(
            client.query,
            f"SELECT actor, action, include_content, request_ids FROM {store.database}.audit_log",
        )
    finally:
        client.close()
    (actor, action, include_content, request_ids) = result.result_rows[-1]
    assert actor.startswith("local-admin")
    assert (action, include_content) == ("search", True)
    assert sorted(request_ids) == ids


async def test_metadata_role_never_sees_text(
    logged_proxy: Proxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reader with the metadata role gets who/what/decision, and is refused any text."""
    await make_traffic(logged_proxy)
    await flush(logged_proxy)
    status, body = await admin_get(logged_proxy, "/v1/logs", ANALYST_TOKEN)
    assert status == 200
    assert body["rows"]
    assert all("prompt" not in row for row in body["rows"])
    status, body = await admin_get(logged_proxy, "/v1/logs", ANALYST_TOKEN, content="1")
    assert (status, body["error"]["code"]) == (403, "content_access_denied")
    status, body = await admin_get(logged_proxy, "/v1/logs", ANALYST_TOKEN, text="board")
    assert status == 403
    request_id = (await admin_get(logged_proxy, "/v1/logs", ANALYST_TOKEN))[1]["rows"][0][
        "request_id"
    ]
    code, out, _ = await run_cli(
        logged_proxy, capsys, "logs", "show", request_id, token=ANALYST_TOKEN
    )
    assert code == 0
    assert "metadata only" in out
    assert "Hello from the fake" not in out


async def test_logs_show_masks_secrets(
    logged_proxy: Proxy, fake: FakeUpstream, capsys: pytest.CaptureFixture[str]
) -> None:
    """The conversation view names a secret's type instead of printing it."""
    await logged_proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": f"my key is {SECRET}"}]
    )
    await flush(logged_proxy)
    _, body = await admin_get(logged_proxy, "/v1/logs", admin_token(logged_proxy))
    request_id = body["rows"][0]["request_id"]
    code, out, _ = await run_cli(logged_proxy, capsys, "logs", "show", request_id)
    assert code == 0
    assert SECRET not in out
    assert "my key is [OPENAI_API_KEY]" in out


async def test_cli_without_a_running_proxy_says_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no proxy to talk to and no store to read, logs commands fail with one line and
    a non-zero exit."""
    config = tmp_path / "proxy.yaml"
    config.write_text(f"data_dir: {tmp_path / 'empty'}\n")
    code = main(["logs", "search", "--config", str(config)], {})
    _, err = capsys.readouterr()
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "no event log at" in err


async def test_caller_request_id_is_stored_beside_a_unique_event_id(logged_proxy: Proxy) -> None:
    """Two calls reusing one caller x-request-id are two rows, each found by its own id,
    both carrying the caller's id as client_request_id."""
    client = logged_proxy.openai(default_headers={"x-request-id": "trace-reused-0001"})
    ids = []
    for _ in range(2):
        raw = await client.chat.completions.with_raw_response.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
        )
        ids.append(raw.headers["x-request-id"])
    await flush(logged_proxy)
    assert len(set(ids)) == 2
    token = admin_token(logged_proxy)
    for request_id in ids:
        status, body = await admin_get(logged_proxy, f"/v1/logs/{request_id}", token)
        assert status == 200
        assert body["record"]["request_id"] == request_id
        assert body["record"]["client_request_id"] == "trace-reused-0001"
