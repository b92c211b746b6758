"""``llm-proxy spend`` and ``GET /admin/v1/spend`` on calls recorded by the real event log.

The calls go through :class:`proxy.store.EventLog` (writer thread, rollup view) into a
database of this module's own on the session engine. Every figure of every grouping is
checked against the raw ``requests`` rows added up here in Python; the groupings the rollup
answers must agree with them exactly.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from clickhouse_connect.driver.client import Client

from proxy.call.events import CallEvent
from proxy.cli.main import main
from proxy.metrics import Metrics
from proxy.store import EventLog, StoreSettings, open_client
from proxy.store.spend import Grouping, SpendReport, SpendWindow, find_spend
from tests.proxy.admin_helpers import ANALYST_TOKEN, admin_get, analyst_admin, run_cli
from tests.proxy.conftest import Proxy, StartProxy
from tests.store.factories import make_event, wait_for

#: A model no price covers: its calls are unpriced.
UNPRICED_MODEL = "claude-opus-4-6"
PRICES = {"gpt-4o": 0.0125, "gpt-4o-mini": 0.0006, "claude-sonnet-4": 0.02}


@dataclass(frozen=True)
class Caller:
    user: str
    team: str
    app: str
    key_id: str


CALLERS = (
    Caller("alice", "research", "notebook", "vk_alice"),
    Caller("bob", "research", "etl-job", "vk_bob"),
    Caller("carol", "finance", "ledger", "vk_carol"),
    Caller("carol", "finance", "notebook", "vk_carol_2"),  # a second key of carol's
    Caller("dave", "support", "helpdesk", "vk_dave"),
)
#: Uses only the unpriced model: its spend is unknown, never zero.
LABS = Caller("erin", "labs", "agent", "vk_erin")


def _call(caller: Caller, ts: datetime, model: str, n: int, **changes: Any) -> CallEvent:
    provider = "anthropic" if model.startswith("claude") else "openai"
    fields: dict[str, Any] = {
        "ts": ts,
        "user": caller.user,
        "team": caller.team,
        "app": caller.app,
        "key_id": caller.key_id,
        "model": model,
        "upstream_model": model,
        "provider": provider,
        "prompt_tokens": 100 + 7 * n,
        "completion_tokens": 20 + 3 * n,
        "cost": PRICES[model] * (1 + n % 5) if model in PRICES else None,
    }
    fields.update(changes)
    return make_event(**fields)


def calls(now: datetime) -> list[CallEvent]:
    """Ten days of calls by five keys on four models, blocked calls (cost 0), unpriced
    calls, and calls 40 days ago that a 30-day window leaves out."""
    events: list[CallEvent] = []
    models = ("gpt-4o", "gpt-4o-mini", "claude-sonnet-4", UNPRICED_MODEL)
    for n in range(120):
        caller = CALLERS[n % len(CALLERS)]
        ts = now - timedelta(hours=2 * n + 1, seconds=n)
        events.append(_call(caller, ts, models[n % 4], n))
    for n in range(6):
        events.append(_call(LABS, now - timedelta(hours=n + 3), UNPRICED_MODEL, n))
    for n in range(5):  # blocked before reaching a provider: cost nothing
        blocked = {"decision": "block", "status_code": 403, "completion_tokens": 0, "cost": 0.0}
        events.append(_call(CALLERS[2], now - timedelta(hours=n + 5), "gpt-4o", n, **blocked))
    for n in range(4):
        events.append(_call(CALLERS[0], now - timedelta(days=40, hours=n), "gpt-4o", n))
    return events


@dataclass(frozen=True)
class Seeded:
    settings: StoreSettings
    client: Client
    now: datetime
    events: int


@pytest.fixture(scope="module")
def seeded(clickhouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """The calls recorded through the event log into this module's database."""
    settings = StoreSettings(
        url=clickhouse_url,
        database=f"test_{uuid.uuid4().hex[:12]}",
        spool_dir=tmp_path_factory.mktemp("spool"),
        flush_interval=0.05,
    )
    now = datetime.now(UTC)
    events = calls(now)
    log = EventLog(settings, Metrics())
    log.start()
    client = open_client(settings)
    try:
        for event in events:
            log.record(event)
        db = settings.database
        wait_for(lambda: _count(client, f"{db}.requests", "count()") == len(events))
        wait_for(lambda: _count(client, f"{db}.call_volume_1m", "sum(calls)") == len(events))
        yield Seeded(settings, client, now, len(events))
    finally:
        log.close(timeout=5)
        client.command(f"DROP DATABASE IF EXISTS {settings.database} SYNC")
        client.close()


def _count(client: Client, table: str, expr: str) -> int:
    return int(client.query(f"SELECT {expr} FROM {table}").result_rows[0][0] or 0)


def expected(seeded: Seeded, by: Grouping, window: SpendWindow) -> dict[str, dict[str, Any]]:
    """Each group's figures added up here from the raw rows in the window."""
    sql = (
        f"SELECT {by.column}, cost, prompt_tokens, completion_tokens "
        f"FROM {seeded.settings.database}.requests "
        "WHERE ts >= {start:DateTime64(3)} AND ts < {end:DateTime64(3)}"
    )
    rows = seeded.client.query(
        sql, parameters={"start": window.start, "end": window.end}
    ).result_rows
    groups: dict[str, dict[str, Any]] = {}
    for name, cost, prompt, completion in rows:
        g = groups.setdefault(
            name,
            {"calls": 0, "unpriced_calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "c": 0.0},
        )
        g["calls"] += 1
        g["unpriced_calls"] += cost is None
        g["prompt_tokens"] += prompt
        g["completion_tokens"] += completion
        g["c"] += cost or 0.0
    for g in groups.values():
        g["cost"] = None if g["unpriced_calls"] == g["calls"] else g.pop("c")
        g.pop("c", None)
    return groups


def assert_same_lines(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    """Report lines equal, costs and shares up to float summation order."""
    assert [line["name"] for line in got] == [line["name"] for line in want]
    for a, b in zip(got, want, strict=True):
        for key in ("cost", "share"):
            assert a[key] == (None if b[key] is None else pytest.approx(b[key], rel=1e-9))
        exact = set(a) - {"cost", "share"}
        assert {k: a[k] for k in exact} == {k: b[k] for k in exact}


def last_30_days(seeded: Seeded) -> SpendWindow:
    return SpendWindow.covering(seeded.now - timedelta(days=30), seeded.now)


def report(seeded: Seeded, by: Grouping, window: SpendWindow) -> SpendReport:
    db = seeded.settings.database
    return find_spend(seeded.client, database=db, by=by, window=window, currency="USD")


@pytest.mark.parametrize("by", list(Grouping), ids=lambda g: g.value)
def test_every_figure_matches_the_raw_rows(seeded: Seeded, by: Grouping) -> None:
    """Calls, unpriced calls, tokens in and out, cost and share of every group, and the
    totals, equal the raw rows added up; the rollup answers team, model, provider, user."""
    window = last_30_days(seeded)
    spend = report(seeded, by, window)
    want = expected(seeded, by, window)
    assert spend.source == ("call_volume_1m" if by.in_rollup else "requests")
    assert spend.groups == len(want) == len(spend.lines)
    total_cost = sum(g["cost"] or 0.0 for g in want.values())
    for line in spend.lines:
        g = want[line.name]
        got = (line.calls, line.unpriced_calls, line.prompt_tokens, line.completion_tokens)
        assert got == (g["calls"], g["unpriced_calls"], g["prompt_tokens"], g["completion_tokens"])
        if g["cost"] is None:
            assert (line.cost, line.share) == (None, None)
        else:
            assert line.cost == pytest.approx(g["cost"], rel=1e-12)
            assert line.share == pytest.approx(g["cost"] / total_cost, rel=1e-12)
    total = spend.total
    assert total.calls == sum(g["calls"] for g in want.values()) == seeded.events - 4
    assert total.unpriced_calls == sum(g["unpriced_calls"] for g in want.values())
    assert total.prompt_tokens == sum(g["prompt_tokens"] for g in want.values())
    assert total.completion_tokens == sum(g["completion_tokens"] for g in want.values())
    assert total.cost == pytest.approx(total_cost, rel=1e-12)
    costs = [line.cost or 0.0 for line in spend.lines]
    # Most expensive first; equal costs summed in another order may differ in the last bit.
    assert all(a >= b or a == pytest.approx(b, rel=1e-12) for a, b in itertools.pairwise(costs))


def test_unpriced_calls_are_reported_apart_never_as_zero_cost(seeded: Seeded) -> None:
    """A team that only used an unpriced model has no cost and no share; a team mixing
    models keeps its known cost and counts its unpriced calls; blocked calls cost 0."""
    lines = {line.name: line for line in report(seeded, Grouping.TEAM, last_30_days(seeded)).lines}
    labs = lines["labs"]
    assert (labs.calls, labs.unpriced_calls, labs.cost, labs.share) == (6, 6, None, None)
    assert lines["research"].unpriced_calls > 0
    assert (lines["research"].cost or 0.0) > 0
    models = {m.name: m for m in report(seeded, Grouping.MODEL, last_30_days(seeded)).lines}
    assert models[UNPRICED_MODEL].cost is None
    assert models[UNPRICED_MODEL].unpriced_calls == models[UNPRICED_MODEL].calls


def test_window_is_whole_minutes_and_leaves_older_calls_out(seeded: Seeded) -> None:
    """The window is cut to whole minutes; calls 40 days ago count in a 60-day window only."""
    window = SpendWindow.covering(seeded.now - timedelta(days=60), seeded.now)
    assert window.start.second == window.end.second == 0
    assert window.end > seeded.now
    wide = report(seeded, Grouping.KEY, window)
    assert wide.total.calls == seeded.events
    narrow = report(seeded, Grouping.KEY, last_30_days(seeded))
    assert narrow.total.calls == seeded.events - 4


# Through a running proxy (admin API, CLI) and with no proxy (the store read directly).


@pytest.fixture
async def spend_proxy(start_proxy: StartProxy, seeded: Seeded) -> Proxy:
    """A proxy on the seeded database, its costs in EUR."""
    return await start_proxy(
        {
            "store": {"url": seeded.settings.url, "database": seeded.settings.database},
            "admin": analyst_admin(),
            "pricing": {"currency": "EUR"},
        },
        event_log=True,
    )


async def test_admin_api_answers_the_metadata_role(spend_proxy: Proxy, seeded: Seeded) -> None:
    """A metadata-only reader gets the report, in the proxy's currency, with the figures
    the store gives."""
    status, body = await admin_get(spend_proxy, "/v1/spend", ANALYST_TOKEN, by="app", since="30d")
    assert status == 200, body
    assert (body["by"], body["currency"], body["source"]) == ("app", "EUR", "requests")
    window = SpendWindow(
        datetime.fromisoformat(body["window"]["start"]),
        datetime.fromisoformat(body["window"]["end_exclusive"]),
    )
    want = report(seeded, Grouping.APP, window).to_dict()
    assert_same_lines([*body["lines"], body["total"]], [*want["lines"], want["total"]])


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"by": "colour"}, "by"),
        ({"since": "500d"}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"from": "2026-01-01"}, "to"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "from"),
        ({"since": "7d", "from": "2026-01-01", "to": "2026-01-02"}, "since"),
        ({"limit": "0"}, "limit"),
    ],
)
async def test_admin_api_refuses_bad_parameters(
    spend_proxy: Proxy, params: dict[str, str], param: str
) -> None:
    """Each unusable parameter is a 400 naming it."""
    status, body = await admin_get(spend_proxy, "/v1/spend", ANALYST_TOKEN, **params)
    assert (status, body["error"]["param"]) == (400, param)


async def test_cli_table_json_and_csv(
    spend_proxy: Proxy, seeded: Seeded, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table lists each group with its cost (unpriced ones as such) and a totals line;
    JSON is the API's answer; CSV has a row per group and a TOTAL row."""
    code, out, err = await run_cli(spend_proxy, capsys, "spend", "--by", "team")
    assert code == 0, err
    rows = {line.split()[0]: line.split() for line in out.splitlines()[3:] if line.strip()}
    assert out.startswith("Spend by team, ")
    assert out.splitlines()[0].endswith("in EUR")
    assert rows["labs"][-2:] == ["unpriced", "-"]
    assert rows["TOTAL"][-1] == "100.0%"
    assert "call(s) to models with no known price are not in the cost" in out

    code, out, _ = await run_cli(spend_proxy, capsys, "spend", "--by", "key", "--format", "json")
    assert code == 0
    body = json.loads(out)
    assert {line["name"] for line in body["lines"]} == {c.key_id for c in (*CALLERS, LABS)}

    code, out, _ = await run_cli(
        spend_proxy, capsys, "spend", "--by", "model", "--format", "csv", "--limit", "2"
    )
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    assert [row["model"] for row in table][-1] == "TOTAL"
    assert len(table) == 3
    total = report(seeded, Grouping.MODEL, last_30_days(seeded)).total
    assert int(table[-1]["calls"]) == total.calls
    assert float(table[-1]["cost"]) == pytest.approx(total.cost)


async def test_cli_from_to_covers_whole_days(
    spend_proxy: Proxy, seeded: Seeded, capsys: pytest.CaptureFixture[str]
) -> None:
    """--from and --to dates cover whole UTC days, --to included."""
    last = seeded.now.date()
    first = last - timedelta(days=3)
    code, out, _ = await run_cli(
        spend_proxy,
        capsys,
        *("spend", "--by", "user", "--format", "json"),
        *("--from", first.isoformat(), "--to", last.isoformat()),
    )
    assert code == 0
    body = json.loads(out)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    assert body["window"]["start"] == start.isoformat()
    assert body["window"]["end_exclusive"] == (start + timedelta(days=4)).isoformat()
    want = report(seeded, Grouping.USER, SpendWindow(start, start + timedelta(days=4)))
    assert_same_lines([body["total"]], [want.total.to_dict()])


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (("--by", "colour"), "--by must be one of"),
        (("--since", "yesterday"), "--since"),
        (("--from", "2026-01-01"), "--from and --to go together"),
        (("--since", "7d", "--from", "2026-01-01", "--to", "2026-01-02"), "not both"),
        (("--from", "2026-02-01", "--to", "2026-01-01"), "is after --to"),
        (("--from", "January", "--to", "2026-01-01"), "--from 'January' is not a date"),
        (("--limit", "0"), "--limit must be positive"),
        (("--since", "900d"), "since must be between"),
    ],
)
async def test_cli_bad_arguments_are_one_line(
    spend_proxy: Proxy, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], reason: str
) -> None:
    """Unusable arguments exit 1 with one line naming the problem, and print nothing."""
    code, out, err = await run_cli(spend_proxy, capsys, "spend", *argv)
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1, err
    assert reason in err


def test_cli_reads_the_store_when_no_proxy_runs(
    seeded: Seeded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no proxy recorded in the data directory, spend opens the store itself, says
    so in one line, and prints the same figures in the configuration's currency."""
    config = tmp_path / "config.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "data_dir": str(tmp_path / "data"),
                "store": {"url": seeded.settings.url, "database": seeded.settings.database},
                "pricing": {"currency": "GBP"},
            }
        ),
        encoding="utf-8",
    )
    code = main(["spend", "--by", "provider", "--format", "json", "--config", str(config)], {})
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err.startswith("proxy not running: reading ")
    body = json.loads(out)
    assert (body["currency"], body["source"]) == ("GBP", "call_volume_1m")
    window = SpendWindow(
        datetime.fromisoformat(body["window"]["start"]),
        datetime.fromisoformat(body["window"]["end_exclusive"]),
    )
    assert_same_lines(body["lines"], report(seeded, Grouping.PROVIDER, window).to_dict()["lines"])
