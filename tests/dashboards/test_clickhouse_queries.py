"""Every ClickHouse query of the dashboards, executed on the embedded engine.

The module's database is migrated with the store's own migrations and seeded with a
fortnight of calls (``seed.py``). Each panel and variable query is expanded as Grafana and
the ClickHouse plugin would (``macros.py``: macros, time range, variables, database name)
and run with every variable on "All", with one request id set, and with narrow selections
whose values need quoting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import pytest
from clickhouse_connect.driver.client import Client

from dashboards.filters import DATABASE
from proxy.store import StoreSettings, open_client
from proxy.store.anomaly_rules import REFUSED, TEXT_KEPT, Thresholds, inline, output_drift_query
from proxy.store.queries import Query
from proxy.store.schema import migrate
from tests.dashboards.macros import ALL, TimeRange, Value, expand_clickhouse
from tests.dashboards.model import (
    CLICKHOUSE_TYPE,
    Target,
    all_targets,
    load_dashboards,
    variable_names,
)
from tests.dashboards.seed import BLOCKED_REQUEST_ID, seed

NOW: Final = datetime.now(UTC).replace(microsecond=0)
# "Last 24 hours" with a little slack at the end, panels at a 5-minute interval.
LAST_DAY: Final = TimeRange(NOW - timedelta(hours=24), NOW + timedelta(minutes=1), interval_s=300)

EVERYTHING: Final[Mapping[str, Value]] = {
    "team": ALL,
    "user": ALL,
    "model": ALL,
    "provider": ALL,
    "decision": ALL,
    "entity_type": ALL,
    "request_id": "",
}
ONE_REQUEST: Final = {**EVERYTHING, "request_id": BLOCKED_REQUEST_ID}
NARROW: Final[Mapping[str, Value]] = {
    "team": ("finance",),
    "user": ("o'brien", "mallory"),
    "model": ("gpt-4o", "claude-sonnet-4"),
    "provider": ("openai",),
    "decision": ("block", "flag", "allow"),
    "entity_type": ("AWS_ACCESS_KEY_ID", "PERSON"),
    "request_id": "",
}
# Single values given as plain strings, and a request id holding a quote.
SCALARS: Final[Mapping[str, Value]] = {
    "team": "finance",
    "user": "o'brien",
    "model": "gpt-4o",
    "provider": "openai",
    "decision": "flag",
    "entity_type": "PERSON",
    "request_id": "req_'; DROP TABLE requests; --",
}

TARGETS: Final = all_targets(CLICKHOUSE_TYPE)
_SINGLE_REQUEST = "${request_id:singlequote}"
_REQUEST_ID_FILTER = "${request_id:singlequote} = ''"


def shows_one_request(target: Target) -> bool:
    """A query of the single-request view: it returns nothing until a request id is set."""
    return _SINGLE_REQUEST in target.text and _REQUEST_ID_FILTER not in target.text


@dataclass(frozen=True)
class Seeded:
    """A client on the seeded database, and its name."""

    client: Client
    database: str


@dataclass(frozen=True)
class Result:
    """The columns and rows a query returned."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


@pytest.fixture(scope="module")
def seeded(clickhouse_url: str, store_database: str) -> Iterator[Seeded]:
    """The module's migrated and seeded database on the session engine; dropped afterwards."""
    settings = StoreSettings(url=clickhouse_url, database=store_database)
    client = open_client(settings)
    try:
        migrate(client, settings)
        seed(client, store_database, NOW)
        yield Seeded(client, store_database)
    finally:
        client.command(f"DROP DATABASE IF EXISTS {store_database} SYNC")
        client.close()


def dashboard_variables(target: Target, values: Mapping[str, Value]) -> dict[str, Value]:
    """``values`` restricted to the variables the target's dashboard defines."""
    names = variable_names(target.dashboard)
    return {name: value for name, value in values.items() if name in names}


def run(seeded: Seeded, target: Target, values: Mapping[str, Value]) -> Result:
    """Expand the target as Grafana would and run it on the seeded database."""
    sql = expand_clickhouse(
        target.text,
        time=LAST_DAY,
        variables=dashboard_variables(target, values),
        database=seeded.database,
    )
    try:
        result = seeded.client.query(sql)
    except Exception as exc:
        raise AssertionError(f"{target.id} failed: {exc}\n--- SQL ---\n{sql}") from exc
    return Result(tuple(result.column_names), [tuple(row) for row in result.result_rows])


def target(dashboard: str, panel: str) -> Target:
    """The (first) query of the panel titled ``panel``."""
    return next(t for t in TARGETS if t.dashboard == dashboard and t.panel == panel)


def test_every_dashboard_has_clickhouse_queries() -> None:
    """The security and investigation dashboards (and the operations pipeline panels) query
    ClickHouse, so the parametrized tests below are not vacuous."""
    assert {t.dashboard for t in TARGETS} == set(load_dashboards())
    assert len(TARGETS) >= 30


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.id)
def test_query_returns_rows_with_all_values_and_one_request(seeded: Seeded, target: Target) -> None:
    """With every variable on "All" and one request id set, each query runs and returns rows."""
    result = run(seeded, target, ONE_REQUEST)
    assert result.rows, f"{target.id} returned no rows"
    if target.time_series:
        assert "time" in result.columns, "the plugin builds time series from a 'time' column"
        times = result.column("time")
        assert times == sorted(times), "long-to-wide conversion needs rows in time order"


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.id)
def test_query_with_no_request_id_returns_rows_outside_the_single_request_view(
    seeded: Seeded, target: Target
) -> None:
    """With the request id box empty, every query runs; all but the single-request view
    return rows."""
    result = run(seeded, target, EVERYTHING)
    if shows_one_request(target):
        assert not result.rows
    else:
        assert result.rows, f"{target.id} returned no rows"


@pytest.mark.parametrize("values", [NARROW, SCALARS], ids=["multi-values", "single-values"])
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.id)
def test_query_runs_with_selected_values(
    seeded: Seeded, target: Target, values: Mapping[str, Value]
) -> None:
    """With specific values selected (quotes included), each query still runs."""
    run(seeded, target, values)


def counted_text_reads() -> tuple[str, ...]:
    """The anomaly heuristics' reads of answer text, as the dashboard inlines them: whether
    text was kept and whether it opens with a fixed refusal phrase. Both only count."""
    parameters = output_drift_query(database=DATABASE).parameters
    refused = inline(Query(REFUSED, parameters), Thresholds(), now_ms="", window_ms="")
    return (TEXT_KEPT, refused)


def test_prompt_and_answer_text_appear_only_in_the_single_request_view() -> None:
    """No query outside the single-request view reads prompt or answer text, except to
    count kept answers and refusals with fixed phrases (output drift)."""
    text_column = re.compile(r"\b(prompt|prompt_forwarded|response)\b|SELECT \*")

    def reads_text(sql: str) -> bool:
        for counted in counted_text_reads():
            sql = sql.replace(counted, "")
        return bool(text_column.search(sql))

    leaking = [t.id for t in TARGETS if not shows_one_request(t) and reads_text(t.text)]
    assert not leaking


def test_request_list_honours_a_narrow_selection(seeded: Seeded) -> None:
    """The investigation table lists only calls of the selected users, team and decisions."""
    result = run(seeded, target("llm-proxy-investigation", "Calls"), NARROW)
    assert result.rows
    assert set(result.column("user")) <= {"o'brien", "mallory"}
    assert set(result.column("team")) == {"finance"}
    assert set(result.column("decision")) <= {"block", "flag", "allow"}
    assert all(
        {"AWS_ACCESS_KEY_ID", "PERSON"} & set(types.split(", "))
        for types in result.column("entities")
    )


def test_request_list_finds_one_request_by_id(seeded: Seeded) -> None:
    """A request id in the text box narrows the list to that call."""
    result = run(seeded, target("llm-proxy-investigation", "Calls"), ONE_REQUEST)
    assert result.column("request_id") == [BLOCKED_REQUEST_ID]


def test_single_request_view_shows_the_whole_record(seeded: Seeded) -> None:
    """The record, prompt, findings and reads of the selected call are shown."""
    dash = "llm-proxy-investigation"
    record = dict(run(seeded, target(dash, "Request record"), ONE_REQUEST).rows)
    assert record["request_id"] == BLOCKED_REQUEST_ID
    assert record["user"] == "mallory"
    assert record["decision"] == "block"
    assert record["entity_types"] == "AWS_ACCESS_KEY_ID"
    prompt = run(seeded, target(dash, "Prompt"), ONE_REQUEST)
    assert "AKIAGYLW2FGSIORRGXT6" in prompt.column("sent_by_caller")[0]
    findings = run(seeded, target(dash, "Findings"), ONE_REQUEST)
    assert findings.rows == [("AWS_ACCESS_KEY_ID", 1)]
    reads = run(seeded, target(dash, "Reads of this call (audit log)"), ONE_REQUEST)
    assert sorted(reads.column("action")) == ["search", "show"]


def test_unusual_behaviour_panels_find_the_seeded_situations(seeded: Seeded) -> None:
    """The heuristics list the spiking user and app, the new model, the block spike and the
    failing model, and only what departs from a baseline."""
    dash = "llm-proxy-security"
    departing = run(
        seeded, target(dash, "Users departing from their own 28-day baseline"), EVERYTHING
    )
    assert set(departing.column("user")) == {"mallory"}
    apps = run(
        seeded, target(dash, "Applications departing from their own 28-day baseline"), EVERYTHING
    )
    assert set(apps.column("app")) == {"ledger-bot"}
    first_use = run(seeded, target(dash, "First use of a model by a team"), EVERYTHING)
    pairs = set(zip(first_use.column("team"), first_use.column("model"), strict=True))
    assert ("support", "gpt-4.1") in pairs
    assert not {("support", "gpt-4o"), ("finance", "gpt-4o")} & pairs
    spikes = run(seeded, target(dash, "Block spikes by team"), EVERYTHING)
    assert set(spikes.column("team")) == {"finance"}
    drift = run(seeded, target(dash, "Output drift per model, week over week"), EVERYTHING)
    changes = dict(zip(drift.column("model"), drift.column("changes"), strict=True))
    assert "error_rate" in changes["claude-sonnet-4"]


def test_register_panel_tells_served_from_refused_models(seeded: Seeded) -> None:
    """Models the register refused are marked refused; approved ones served."""
    panel = target("llm-proxy-security", "Models in use and what the register did (ClickHouse)")
    result = run(seeded, panel, EVERYTHING)
    register = dict(zip(result.column("model"), result.column("register"), strict=True))
    assert register["gpt-5-preview"] == "refused"
    assert register["mystery-model"] == "refused"
    assert register["gpt-4o"] == "served"
