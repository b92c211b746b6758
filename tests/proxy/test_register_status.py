"""``llm-proxy register status`` against a real proxy and the real embedded ClickHouse.

Calls made through the proxy with the official SDKs, plus events recorded through the same
event log with older times (41 and 45 days ago), show in each entry's last use and 30-day
count (aliases count for their entry); the overdue entry, the due one and the one without a
date say so; models called without a register entry are shadow AI. The same status is read
offline, from the store itself, when no proxy answers.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from proxy.call.events import CallEvent
from proxy.cli.main import main
from proxy.store import EventLog
from tests.proxy.admin_helpers import ANALYST_TOKEN, analyst_admin, run_cli
from tests.proxy.conftest import Proxy, StartProxy
from tests.store.factories import make_event

TODAY = datetime.now(UTC).date()
OLD = datetime.now(UTC) - timedelta(days=41)


def register(today: date) -> dict[str, Any]:
    """An open register (unlisted models are served) with three reviewed states."""
    return {
        "unlisted": "allow",
        "models": [
            {
                "name": "gpt-4o-mini",
                "aliases": ["mini"],
                "provider": "openai",
                "owner": "platform-team",
                "approved_by": "AI board",
                "approved_at": (today - timedelta(days=400)).isoformat(),
                "review_by": (today - timedelta(days=5)).isoformat(),
                "data_classification": "confidential",
                "region": "eu",
            },
            {
                "name": "text-embedding-3-small",
                "provider": "openai",
                "owner": "search-team",
                "review_by": (today + timedelta(days=10)).isoformat(),
            },
            {"name": "claude-test-model", "provider": "anthropic", "owner": "eng"},
        ],
    }


def store_config(clickhouse_url: str, database: str) -> dict[str, Any]:
    return {"url": clickhouse_url, "database": database, "flush_interval": 0.05}


def old_event(model: str, ts: datetime, **changes: Any) -> CallEvent:
    return make_event(model=model, upstream_model=model, ts=ts, **changes)


@pytest.fixture
async def used_proxy(start_proxy: StartProxy, clickhouse_url: str, store_database: str) -> Proxy:
    """A proxy with the register above whose event log holds recent and old calls."""
    proxy = await start_proxy(
        {
            "register": register(TODAY),
            "store": store_config(clickhouse_url, store_database),
            "admin": analyst_admin(),
        },
        event_log=True,
    )
    client = proxy.openai()
    for model in ("gpt-4o-mini", "gpt-4o-mini", "mini", "llama-3-70b"):
        await client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "Plan the Q3 offsite"}]
        )
    sink = proxy.services.sink
    assert isinstance(sink, EventLog)
    # Older than the 30-day window: last use only, no calls, no shadow AI.
    sink.record(old_event("claude-test-model", OLD, team="eng"))
    sink.record(old_event("gpt-3.5-turbo", OLD - timedelta(days=4)))
    # A call the register refused (a closed register's 404), still shadow AI.
    sink.record(old_event("deepseek-chat", datetime.now(UTC), decision="reject", status_code=404))
    assert await asyncio.to_thread(sink.flush, 10.0)
    return proxy


def by_model(status: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {model["model"]: model for model in status["models"]}


async def test_status_through_the_admin_api(
    used_proxy: Proxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json shows each entry's approval, review state, last use and 30-day calls (aliases
    included, older calls excluded) and the shadow AI of the window, to a metadata reader."""
    code, out, err = await run_cli(
        used_proxy, capsys, "register", "status", "--json", token=ANALYST_TOKEN
    )
    assert (code, err) == (0, "")
    status = json.loads(out)
    assert (status["register"], status["window_days"], status["usage_known"]) == (
        "open",
        30,
        True,
    )
    models = by_model(status)
    mini = models["gpt-4o-mini"]
    assert (mini["calls_30d"], mini["review_state"], mini["review"]) == (
        3,
        "overdue",
        "overdue by 5 days",
    )
    assert (mini["owner"], mini["approved_by"], mini["approved_at"]) == (
        "platform-team",
        "AI board",
        (TODAY - timedelta(days=400)).isoformat(),
    )
    assert (mini["data_classification"], mini["region"]) == ("confidential", "eu")
    assert datetime.fromisoformat(mini["last_used"]) > datetime.now(UTC) - timedelta(minutes=5)
    embedding = models["text-embedding-3-small"]
    assert (embedding["calls_30d"], embedding["last_used"], embedding["review"]) == (
        0,
        None,
        "due in 10 days",
    )
    claude = models["claude-test-model"]
    assert (claude["calls_30d"], claude["review_state"]) == (0, "no review date")
    assert abs(datetime.fromisoformat(claude["last_used"]) - OLD) < timedelta(seconds=1)
    shadow = {use["model"]: use for use in status["shadow_ai"]}
    assert sorted(shadow) == ["deepseek-chat", "llama-3-70b"]  # not gpt-3.5-turbo: 45 days
    assert (shadow["llama-3-70b"]["calls"], shadow["llama-3-70b"]["refused"]) == (1, 0)
    assert (shadow["deepseek-chat"]["calls"], shadow["deepseek-chat"]["refused"]) == (1, 1)
    assert shadow["deepseek-chat"]["teams"] == ["security"]


async def test_status_table(used_proxy: Proxy, capsys: pytest.CaptureFixture[str]) -> None:
    """The table has a row per register model with its review state and use, the count of
    overdue models, and a shadow AI section."""
    code, out, _ = await run_cli(used_proxy, capsys, "register", "status")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"AI use register (open), {TODAY.isoformat()}"
    assert lines[1].split() == [
        "MODEL", "OWNER", "APPROVED", "BY", "/", "AT", "DATA", "CLASS", "REGION", "REVIEW",
        "LAST", "USED", "(UTC)", "CALLS", "30D",
    ]  # fmt: skip
    row = next(line for line in lines if line.startswith("gpt-4o-mini "))
    assert "AI board / " in row
    assert "overdue by 5 days" in row
    assert row.split()[-1] == "3"
    embedding = next(line for line in lines if line.startswith("text-embedding-3-small "))
    assert embedding.split()[-2:] == ["never", "0"]
    assert "1 model(s) overdue for review" in lines
    assert "shadow AI: models called in the last 30 days but not in the register" in lines
    assert any(line.startswith("llama-3-70b ") for line in lines)
    assert not any(line.startswith("gpt-3.5-turbo") for line in lines)


async def test_overdue_entry_raises_the_metric(used_proxy: Proxy) -> None:
    """The overdue entry's gauge is 1 on the running proxy, the others 0."""
    registry = used_proxy.services.metrics.registry
    values = {
        model: registry.get_sample_value("llm_proxy_register_review_overdue", {"model": model})
        for model in ("gpt-4o-mini", "text-embedding-3-small", "claude-test-model", "mini")
    }
    assert values == {
        "gpt-4o-mini": 1.0,
        "text-embedding-3-small": 0.0,
        "claude-test-model": 0.0,
        "mini": None,
    }


async def test_status_offline_reads_the_store(
    used_proxy: Proxy,
    clickhouse_url: str,
    store_database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With no proxy recorded in the data directory, the command reads the configuration's
    register and the store itself, says so in one line, and finds the same use."""
    config = tmp_path / "offline.yaml"
    settings = {
        "data_dir": str(tmp_path / "offline-data"),
        "register": register(TODAY),
        "store": store_config(clickhouse_url, store_database),
    }
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    code = await asyncio.to_thread(
        main, ["register", "status", "--json", "--config", str(config)], {}
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert err.startswith("proxy not running: reading ")
    assert err.count("\n") == 1
    status = json.loads(out)
    assert by_model(status)["gpt-4o-mini"]["calls_30d"] == 3
    assert by_model(status)["gpt-4o-mini"]["review_state"] == "overdue"
    assert [use["model"] for use in status["shadow_ai"]] == ["deepseek-chat", "llama-3-70b"]


async def test_unreachable_proxy_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An explicit --proxy-url that does not answer exits non-zero with one line."""
    env = {"LLM_PROXY_ADMIN_TOKEN": "x"}
    argv = ["register", "status", "--proxy-url", "http://127.0.0.1:9", "--config"]
    config = tmp_path / "c.yaml"
    config.write_text(f"data_dir: {tmp_path / 'data'}\n", encoding="utf-8")
    code = await asyncio.to_thread(main, [*argv, str(config)], env)
    _, err = capsys.readouterr()
    assert code == 1
    assert err.startswith("llm-proxy: cannot reach the proxy at http://127.0.0.1:9/admin")
    assert err.count("\n") == 1


def test_help_describes_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    """``register status --help`` explains the columns and the shadow AI."""
    with pytest.raises(SystemExit) as done:
        main(["register", "status", "--help"], {})
    assert done.value.code == 0
    assert "shadow AI" in " ".join(capsys.readouterr().out.split())


async def test_status_offline_before_any_call_shows_the_register(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no proxy and no event log yet, the register is shown with its use unknown, and
    a one-line notice says why."""
    config = tmp_path / "fresh.yaml"
    config.write_text(
        yaml.safe_dump({"data_dir": str(tmp_path / "fresh"), "register": register(TODAY)}),
        encoding="utf-8",
    )
    code = await asyncio.to_thread(main, ["register", "status", "--config", str(config)], {})
    out, err = capsys.readouterr()
    assert code == 0
    engine = tmp_path / "fresh" / "clickhouse"
    assert err == f"no event log at {engine} yet: use of the models is unknown\n"
    row = next(line for line in out.splitlines() if line.startswith("gpt-4o-mini "))
    assert row.split()[-2:] == ["unknown", "unknown"]
    assert "overdue by 5 days" in row


async def test_status_of_a_proxy_without_a_store(
    start_proxy: StartProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """A proxy with no event log answers with its live register and says use is unknown."""
    proxy = await start_proxy({"register": register(TODAY)})
    code, out, _ = await run_cli(proxy, capsys, "register", "status", "--json")
    status = json.loads(out)
    assert (code, status["usage_known"], status["shadow_ai"]) == (0, False, [])
    assert by_model(status)["gpt-4o-mini"]["review_state"] == "overdue"
