"""``llm-proxy report`` and ``GET /admin/v1/report``: one-line errors, the offline path (the
CLI opens the store itself) and the admin API path, each audited."""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml

from proxy.cli.main import main
from proxy.store import StoreSettings, open_client
from tests.proxy.admin_helpers import ANALYST_TOKEN, analyst_admin, run_cli
from tests.proxy.conftest import Proxy, StartProxy
from tests.proxy.report_demo import LAST, WEEK


def write_config(tmp_path: Path, store: StoreSettings | None = None) -> Path:
    config: dict[str, Any] = {"data_dir": str(tmp_path / "data")}
    if store is not None:
        config["store"] = {"url": store.url, "database": store.database}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("first", "last", "output", "message"),
    [
        ("2026-13-01", "2026-09-30", "r.html", "llm-proxy: --from '2026-13-01' is not a date"),
        ("2026-07-01", "last week", "r.html", "llm-proxy: --to 'last week' is not a date"),
        ("2026-09-30", "2026-07-01", "r.html", "llm-proxy: --from (2026-09-30) is after --to"),
        ("2026-07-01", "2026-09-30", "missing/r.html", "llm-proxy: cannot write"),
        ("2026-07-01", "2026-09-30", ".", "llm-proxy: cannot write"),
    ],
)
def test_bad_arguments_are_one_line_errors(  # noqa: PLR0917 - parametrized
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    first: str,
    last: str,
    output: str,
    message: str,
) -> None:
    """Bad dates, --from after --to and an unwritable output exit 1 with one line, before
    any store is opened."""
    config = write_config(tmp_path)
    target = str(tmp_path / output)
    code = main(
        ["report", "--config", str(config), "--from", first, "--to", last, "--output", target], {}
    )
    _, err = capsys.readouterr()
    assert code == 1
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("*.bin"))


def audit_rows(settings: StoreSettings, actor: str) -> list[tuple[Any, ...]]:
    client = open_client(settings)
    try:
        sql = (
            f"SELECT via, role, filters FROM {settings.database}.audit_log "
            "WHERE action = 'report' AND actor = {actor:String}"
        )
        return [tuple(r) for r in client.query(sql, parameters={"actor": actor}).result_rows]
    finally:
        client.close()


def calls_in_week(settings: StoreSettings) -> int:
    """The demo's calls from ``WEEK`` to ``LAST``, counted directly."""
    client = open_client(settings)
    try:
        sql = (
            f"SELECT count() FROM {settings.database}.requests FINAL "
            f"WHERE toDate(ts) BETWEEN '{WEEK}' AND '{LAST}'"
        )
        return int(client.query(sql).result_rows[0][0])
    finally:
        client.close()


def test_offline_report_reads_the_store_and_is_audited(
    demo_settings: StoreSettings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no proxy running the command reads the store itself, says so, writes the file
    (owner-only) and records the read as ``cli-offline``."""
    config = write_config(tmp_path, demo_settings)
    target = tmp_path / "q.json"
    before = len(audit_rows(demo_settings, "root")) + len(audit_rows(demo_settings, "unknown"))
    code = main(
        [
            "report",
            "--config",
            str(config),
            "--from",
            WEEK.isoformat(),
            "--to",
            LAST.isoformat(),
            "--format",
            "json",
            "--output",
            str(target),
        ],
        {},
    )
    _, err = capsys.readouterr()
    assert code == 0, err
    assert err.startswith("proxy not running: reading ")
    assert f"written to {target}" in err
    report = json.loads(target.read_text())
    assert report["period"] == {
        **report["period"],
        "from": WEEK.isoformat(),
        "to": LAST.isoformat(),
    }
    assert report["summary"]["calls"] == calls_in_week(demo_settings) > 100
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    after = audit_rows(demo_settings, "root") + audit_rows(demo_settings, "unknown")
    assert len(after) == before + 1
    assert after[-1][:2] == ("cli-offline", "store-access")


@pytest.fixture
async def report_proxy(start_proxy: StartProxy, demo_settings: StoreSettings) -> Proxy:
    """A proxy whose store is the demo quarter's database."""
    store = {"url": demo_settings.url, "database": demo_settings.database, "flush_interval": 0.05}
    return await start_proxy({"store": store, "admin": analyst_admin()}, event_log=True)


async def test_admin_api_serves_the_report_to_a_metadata_reader(
    report_proxy: Proxy, demo_settings: StoreSettings
) -> None:
    """A metadata-only reader gets the report in each format; the read is audited under the
    authenticated credential."""
    headers = {"Authorization": f"Bearer {ANALYST_TOKEN}"}
    params = {"from": WEEK.isoformat(), "to": LAST.isoformat()}
    async with aiohttp.ClientSession(headers=headers) as session:
        for fmt, content_type in (
            ("json", "application/json"),
            ("md", "text/markdown"),
            ("html", "text/html"),
        ):
            async with session.get(
                f"{report_proxy.url}/admin/v1/report", params={**params, "format": fmt}
            ) as response:
                assert response.status == 200
                assert response.content_type == content_type
                body = await response.text()
            assert ("calls" in body) if fmt == "json" else ("Detection coverage" in body)
        async with session.get(
            f"{report_proxy.url}/admin/v1/report", params={"from": "2026-09-30", "to": "2026-07-01"}
        ) as response:
            assert response.status == 400
            error = (await response.json())["error"]
            # Named, not repeated: admin errors quote no caller input (h163).
            assert error["message"] == "from must come before to."
            assert error["param"] == "from"
            assert "2026-09-30" not in error["message"]
    audited = await asyncio.to_thread(audit_rows, demo_settings, "soc-analyst")
    assert len(audited) == 3
    assert {row[:2] for row in audited} == {("admin_api", "metadata")}


async def test_cli_goes_through_the_running_proxy(
    report_proxy: Proxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a proxy running, the command asks its admin API and writes the HTML it returns."""
    target = tmp_path / "q.html"
    code, _, err = await run_cli(
        report_proxy,
        capsys,
        "report",
        "--from",
        WEEK.isoformat(),
        "--to",
        LAST.isoformat(),
        "--output",
        str(target),
    )
    assert code == 0, err
    assert "proxy not running" not in err
    assert target.read_text().startswith("<!DOCTYPE html>")
