"""Unusual behaviour found in a crafted five-week history on the real embedded engine."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from clickhouse_connect.driver.client import Client

from proxy.store import StoreSettings, open_client
from proxy.store.anomalies import (
    AnomalyReport,
    Change,
    Metric,
    SubjectKind,
    Thresholds,
    find_anomalies,
    find_windows,
)
from proxy.store.schema import migrate
from tests.proxy.admin_helpers import ANALYST_TOKEN, admin_get, analyst_admin, run_cli
from tests.proxy.conftest import Proxy, StartProxy

DAYS = 35  # the 7-day window and the default 28-day baseline
ANSWER = '{"choices":[{"message":{"role":"assistant","content":"Sure, here is the summary."}}]}'
REFUSALS = (
    "I\u2019m sorry, but I can\u2019t help with that.",  # a streamed answer, typographic
    '{"choices":[{"message":{"content":"I\\u2019m sorry, but I cannot assist with that."}}]}',
)
COLUMNS = (
    "request_id",
    "ts",
    "user",
    "team",
    "app",
    "key_id",
    "endpoint",
    "provider",
    "model",
    "decision",
    "status_code",
    "upstream_status",
    "content_mode",
    "response",
    "response_chars",
    "prompt_tokens",
    "completion_tokens",
)


def call(
    ts: datetime,
    user: str,
    team: str,
    app: str,
    model: str,
    *,
    decision: str = "allow",
    status: int = 200,
    upstream: int = 200,
    response: str = ANSWER,
    chars: int | None = None,
    completion_tokens: int = 100,
    content_mode: str = "full",
) -> list[Any]:
    """One ``requests`` row in COLUMNS order."""
    return [
        f"req_{uuid.uuid4().hex}",
        ts,
        user,
        team,
        app,
        f"vk_{user}",
        "/v1/chat/completions",
        "anthropic" if model.startswith("claude") else "openai",
        model,
        decision,
        status,
        upstream,
        content_mode,
        response,
        len(response) if chars is None else chars,
        50,
        completion_tokens,
    ]


def day_times(now: datetime, day: int, count: int) -> list[datetime]:
    """``count`` times spread inside day ``day`` back from now (0 = the last 24 hours)."""
    end = now - timedelta(days=day) - timedelta(hours=1)
    return [end - timedelta(hours=22) * i / max(count, 1) for i in range(count)]


def history(now: datetime) -> list[list[Any]]:
    """Five weeks of traffic with one example of each kind of unusual behaviour.

    alice (steady, 60/day) and carol (noisy, 40-80/day) must not be flagged; bob triples;
    dave brings a model new to research; sales' blocks spike and gpt-4o-mini starts failing;
    gpt-4o starts refusing; claude-sonnet (hash mode, no text) triples its answer length.
    """
    rng = random.Random(7)
    rows: list[list[Any]] = []
    for day in range(DAYS):
        current = day < 7
        for i, ts in enumerate(day_times(now, day, 60)):
            refusal = current and i % 10 < 3  # 30% of alice's answers in the window
            response = REFUSALS[i % 2] if refusal else ANSWER
            rows.append(call(ts, "alice", "research", "notebook", "gpt-4o", response=response))
        for ts in day_times(now, day, rng.randint(40, 80)):
            rows.append(call(ts, "carol", "research", "reports", "gpt-4.1"))
        for ts in day_times(now, day, 100 if current else 30):
            rows.append(call(ts, "bob", "research", "etl-job", "gpt-4o"))
        for i, ts in enumerate(day_times(now, day, 20)):
            failed = current and i % 5 == 0  # 20% errors in the window, none before
            rows.append(
                call(
                    ts,
                    "erin",
                    "sales",
                    "crm",
                    "gpt-4o-mini",
                    decision="error" if failed else "allow",
                    status=502 if failed else 200,
                    upstream=500 if failed else 200,
                )
            )
        blocks = 25 if day == 0 else (1 if day >= 7 and day % 2 == 0 else 0)
        for ts in day_times(now, day, blocks):
            rows.append(
                call(ts, "erin", "sales", "crm", "gpt-4o-mini", decision="block", status=403)
            )
            rows[-1][11] = 0  # never sent upstream
        tokens = 600 if current else 200
        for ts in day_times(now, day, 10):
            rows.append(
                call(
                    ts,
                    "frank",
                    "legal",
                    "contracts",
                    "claude-sonnet",
                    response="",
                    chars=tokens * 4,
                    completion_tokens=tokens,
                    content_mode="hash",
                )
            )
    for ts in day_times(now, 2, 5):
        rows.append(call(ts, "dave", "research", "notebook", "deepseek-r1"))
    return rows


def insert_history(client: Client, database: str, now: datetime) -> int:
    rows = history(now)
    client.insert(f"{database}.requests", rows, column_names=list(COLUMNS))
    return len(rows)


@dataclass(frozen=True)
class History:
    """A client on a database holding the crafted history, and the history's ``now``."""

    client: Client
    database: str
    now: datetime


@pytest.fixture(scope="module")
def crafted(clickhouse_url: str) -> Iterator[History]:
    """The crafted history, in a database of this module's own."""
    settings = StoreSettings(url=clickhouse_url, database=f"test_{uuid.uuid4().hex[:12]}")
    client = open_client(settings)
    try:
        migrate(client, settings)
        now = datetime.now(UTC).replace(microsecond=0)
        insert_history(client, settings.database, now)
        yield History(client, settings.database, now)
    finally:
        client.command(f"DROP DATABASE IF EXISTS {settings.database} SYNC")
        client.close()


@pytest.fixture(scope="module")
def report(crafted: History) -> AnomalyReport:
    """The report over the crafted history's last week."""
    return find_anomalies(
        crafted.client, database=crafted.database, since=timedelta(days=7), now=crafted.now
    )


def test_user_and_app_tripling_volume_are_flagged(report: AnomalyReport) -> None:
    """Bob's calls (and his app's) at over three times his baseline are found."""
    found = {(d.kind, d.subject, d.metric): d for d in report.volume}
    assert set(found) == {
        (SubjectKind.USER, "bob", Metric.CALLS),
        (SubjectKind.APP, "etl-job", Metric.CALLS),
    }
    bob = found[(SubjectKind.USER, "bob", Metric.CALLS)]
    assert (bob.observed, bob.baseline_mean, bob.team) == (100, 30.0, "research")
    assert bob.baseline_intervals == 28
    assert bob.ratio == pytest.approx(3.33, abs=0.01)
    assert bob.interval_end - bob.interval_start == timedelta(days=1)


def test_steady_and_noisy_users_are_not_flagged(report: AnomalyReport) -> None:
    """Alice (steady, above the minimum volume) and carol (noisy) are not reported."""
    subjects = {d.subject for d in report.volume + report.blocks}
    assert not subjects & {"alice", "carol", "notebook", "reports", "research"}


def test_model_new_to_a_team_is_flagged(report: AnomalyReport) -> None:
    """Dave's first use of a model research never used before is found, and only that."""
    assert [(m.team, m.model) for m in report.new_models] == [("research", "deepseek-r1")]
    (new,) = report.new_models
    assert (new.calls, new.users, new.sample_users, new.decisions) == (5, 1, ("dave",), ("allow",))


def test_block_spike_per_team_is_flagged(report: AnomalyReport) -> None:
    """Sales' 25 blocked calls in a day, against about one every other day, are found."""
    assert [(d.subject, d.metric) for d in report.blocks] == [("sales", Metric.BLOCKED)]
    (spike,) = report.blocks
    assert spike.observed == 25
    assert spike.baseline_mean == pytest.approx(0.5, abs=0.05)


def test_output_drift_per_model(report: AnomalyReport) -> None:
    """Refusals, errors and answer length that jump week over week are each found."""
    drift = {d.model: d for d in report.output_drift}
    assert {model: d.changes for model, d in drift.items()} == {
        "gpt-4o": (Change.REFUSAL_RATE,),
        "gpt-4o-mini": (Change.ERROR_RATE,),
        "claude-sonnet": (Change.RESPONSE_LENGTH,),
    }
    gpt4o = drift["gpt-4o"]
    assert gpt4o.previous.refusal_rate == 0.0
    # Alice's refusals (30% of 420) among her and bob's answers in the window.
    assert gpt4o.current.refusal_rate == pytest.approx(126 / (420 + 700))
    assert drift["gpt-4o-mini"].current.error_rate == pytest.approx(0.2)
    claude = drift["claude-sonnet"]
    assert claude.current.refusal_rate is None  # hash mode keeps no text to read
    assert (claude.previous.median_completion_tokens, claude.current.median_completion_tokens) == (
        200.0,
        600.0,
    )


def test_report_carries_no_text(report: AnomalyReport) -> None:
    """The JSON report holds counts and names, never a stored response."""
    text = json.dumps(report.to_dict())
    assert "sorry" not in text.lower()
    assert "summary" not in text


def test_windows_under_a_day_are_one_interval(crafted: History) -> None:
    """A 2h window is one 2h interval; 36h becomes two intervals of 18h."""
    now = datetime(2026, 1, 10, tzinfo=UTC)
    short = find_windows(
        crafted.client,
        now=now,
        since=timedelta(hours=2),
        thresholds=Thresholds(baseline_days=1, min_history_days=1),
    )
    assert (short.intervals, short.interval) == (1, timedelta(hours=2))
    assert short.baseline_intervals == 12
    assert short.baseline_start == now - timedelta(hours=26)
    odd = find_windows(crafted.client, now=now, since=timedelta(hours=36), thresholds=Thresholds())
    assert (odd.intervals, odd.interval) == (2, timedelta(hours=18))
    assert odd.interval_bounds(0) == (now - timedelta(hours=18), now)


def test_drift_needs_enough_calls_in_both_periods(crafted: History) -> None:
    """A model with fewer calls than drift_min_calls in a period is never reported as
    drifting: gpt-4o-mini's 140 calls a week fall short of 200, gpt-4o's 1,120 do not."""
    report = find_anomalies(
        crafted.client,
        database=crafted.database,
        since=timedelta(days=7),
        now=crafted.now,
        thresholds=Thresholds(drift_min_calls=200),
    )
    assert [d.model for d in report.output_drift] == ["gpt-4o"]


def test_thresholds_reject_nonsense() -> None:
    """Thresholds that could never or always fire are refused at construction."""
    with pytest.raises(ValueError, match="baseline_days"):
        Thresholds(baseline_days=0)
    with pytest.raises(ValueError, match="ratio"):
        Thresholds(ratio=0)


# Through a running proxy: the admin API and the CLI.


@pytest.fixture
async def history_proxy(start_proxy: StartProxy, clickhouse_url: str, store_database: str) -> Proxy:
    """A proxy on the session engine whose store already holds the crafted history."""
    proxy = await start_proxy(
        {
            "store": {"url": clickhouse_url, "database": store_database},
            "admin": analyst_admin(),
        },
        event_log=True,
    )
    client = await asyncio.to_thread(open_client, proxy.settings.store)
    try:
        now = datetime.now(UTC).replace(microsecond=0)
        await asyncio.to_thread(insert_history, client, store_database, now)
    finally:
        client.close()
    return proxy


async def test_cli_prints_findings_grouped_by_kind(
    history_proxy: Proxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """`llm-proxy anomalies --since 7d` prints one section per kind with each finding."""
    code, out, _ = await run_cli(history_proxy, capsys, "anomalies", "--since", "7d")
    assert code == 0
    sections = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert [s.rsplit(" (", 1)[0] for s in sections[1:-1]] == [
        "Call volume or tokens far above own baseline",
        "Blocked-call spikes per team",
        "Models new to a team",
        "Output drift per model (previous period -> window)",
    ]
    rows = [line.split() for line in out.splitlines() if line.startswith("  ")]
    assert rows[1][:4] == ["user", "bob", "research", "calls"]
    assert any(r[:2] == ["research", "deepseek-r1"] for r in rows)
    assert any(r[:2] == ["gpt-4o", "refusal_rate"] and "0.0%" in r for r in rows)
    assert sections[-1] == "7 finding(s)"

    code, out, _ = await run_cli(history_proxy, capsys, "anomalies", "--format", "json")
    assert code == 0
    assert json.loads(out)["count"] == 7


async def test_fail_on_findings_sets_the_exit_status_for_cron(
    history_proxy: Proxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --fail-on-findings a report that found something exits 3; a quiet one 0."""
    code, _, _ = await run_cli(
        history_proxy, capsys, "anomalies", "--since", "7d", "--fail-on-findings"
    )
    assert code == 3
    code, _, _ = await run_cli(
        history_proxy, capsys, "anomalies", "--since", "5m", "--fail-on-findings"
    )
    assert code == 0


async def test_metadata_role_reads_the_report(history_proxy: Proxy) -> None:
    """A metadata-only reader gets the report, which holds no stored text."""
    status, body = await admin_get(history_proxy, "/v1/anomalies", ANALYST_TOKEN, since="7d")
    assert status == 200
    assert {d["subject"] for d in body["volume"]} == {"bob", "etl-job"}
    assert "sorry" not in json.dumps(body).lower()


async def test_bad_window_is_a_400_and_a_one_line_cli_error(
    history_proxy: Proxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unusable --since is refused by the API and by the CLI in one line, exit 1."""
    status, body = await admin_get(history_proxy, "/v1/anomalies", ANALYST_TOKEN, since="400d")
    assert (status, body["error"]["param"]) == (400, "since")
    code, out, err = await run_cli(history_proxy, capsys, "anomalies", "--since", "yesterday")
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1
    assert "--since" in err
