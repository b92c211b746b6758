"""``llm-proxy logs verify`` through the admin API, and export bundles checked offline."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from proxy.cli.logs import LogsError
from proxy.cli.logs_local import LocalLogs
from proxy.store import open_client
from tests.proxy.admin_helpers import ANALYST_TOKEN, run_cli
from tests.proxy.conftest import Proxy
from tests.proxy.test_event_log import flush, logged_proxy, make_traffic

__all__ = ["logged_proxy"]  # the fixture, shared with the event log tests


async def test_verify_reports_intact_then_a_tampered_row(
    logged_proxy: Proxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """An untouched log exits 0; after one row's decision is rewritten it exits 1 and
    names that row and its batch."""
    await make_traffic(logged_proxy)
    await flush(logged_proxy)
    code, out, err = await run_cli(logged_proxy, capsys, "logs", "verify")
    assert code == 0, err
    assert out.startswith("event log: intact (")

    store = logged_proxy.settings.store
    client = open_client(store)
    try:
        request_id = client.query(
            f"SELECT request_id FROM {store.database}.requests LIMIT 1"
        ).result_rows[0][0]
        client.command(
            f"ALTER TABLE {store.database}.requests UPDATE decision = 'allow', "
            f"latency_ms = 1 WHERE request_id = '{request_id}'",
            settings={"mutations_sync": 2},
        )
    finally:
        client.close()
    code, out, _ = await run_cli(logged_proxy, capsys, "logs", "verify", "--format", "json")
    assert code == 1
    result = json.loads(out)
    assert [(f["kind"], f["request_id"], f["seq"] > 0) for f in result["findings"]] == [
        ("row_altered", request_id, True)
    ]


async def test_an_exported_bundle_verifies_without_the_store(
    logged_proxy: Proxy, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``logs export`` writes FILE.chain.json; ``logs verify --bundle`` accepts the pair,
    and refuses it once one exported call is edited."""
    await make_traffic(logged_proxy)
    await flush(logged_proxy)
    target = tmp_path / "incident.jsonl"
    code, _, err = await run_cli(logged_proxy, capsys, "logs", "export", "--output", str(target))
    assert code == 0, err
    proof = tmp_path / "incident.jsonl.chain.json"
    assert proof.stat().st_mode & 0o777 == 0o600

    code, out, err = await run_cli(logged_proxy, capsys, "logs", "verify", "--bundle", str(target))
    assert code == 0, out + err
    assert out.startswith("bundle: intact (")

    lines = [json.loads(line) for line in target.read_text().splitlines()]
    lines[0]["response"] = "a different answer"
    target.write_text("".join(json.dumps(line) + "\n" for line in lines))
    code, out, _ = await run_cli(logged_proxy, capsys, "logs", "verify", "--bundle", str(target))
    assert code == 1
    assert "FOUND export_altered: writer " in out
    assert f"request {lines[0]['request_id']} (response: text differs" in out


async def test_verify_reads_the_store_itself_without_a_proxy(logged_proxy: Proxy) -> None:
    """The offline source (used when no proxy answers) verifies the same store, and a bad
    --since is one line."""
    await make_traffic(logged_proxy)
    await flush(logged_proxy)
    local = LocalLogs(logged_proxy.settings.store, "responder")
    result = await asyncio.to_thread(local.verify, {"since": "1h"})
    assert result["intact"], result["findings"]
    assert result["rows"] >= 2
    with pytest.raises(LogsError, match="neither a duration"):
        await asyncio.to_thread(local.verify, {"since": "yesterday-ish"})


async def test_a_metadata_readers_bundle_proves_metadata_without_text_digests(
    logged_proxy: Proxy, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A metadata-only reader's proof carries no digests of the text it may not read, and
    still proves the exported metadata."""
    await make_traffic(logged_proxy)
    await flush(logged_proxy)
    target = tmp_path / "metadata.jsonl"
    code, _, err = await run_cli(
        logged_proxy, capsys, "logs", "export", "--output", str(target), token=ANALYST_TOKEN
    )
    assert code == 0, err
    proof = json.loads((tmp_path / "metadata.jsonl.chain.json").read_text())
    assert proof["rows"]
    assert all(row["texts"] is None for row in proof["rows"])
    code, out, err = await run_cli(logged_proxy, capsys, "logs", "verify", "--bundle", str(target))
    assert code == 0, out + err
