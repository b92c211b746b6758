"""The security dashboard's unusual-behaviour panels and ``llm-proxy anomalies`` agree.

Both run the queries of ``proxy/store/anomaly_rules.py``. Here the panels' SQL, expanded as
Grafana and the ClickHouse plugin would for a time range, and :func:`find_anomalies` over the
same window run on one seeded history (five weeks with one example of each anomaly, from
the CLI's own tests) and must report the same anomalies, with the default thresholds and
with changed ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import pytest
from clickhouse_connect.driver.client import Client

from dashboards.grafana import Panel, SqlQuery
from dashboards.security import SECURITY, unusual_behaviour
from proxy.store import StoreSettings, open_client
from proxy.store.anomalies import AnomalyReport, SubjectKind, Thresholds, find_anomalies
from proxy.store.schema import migrate
from tests.dashboards.macros import ALL, TimeRange, expand_clickhouse
from tests.proxy.test_anomalies import insert_history

NOW: Final = datetime.now(UTC).replace(microsecond=0)
#: Thresholds that drop bob's 100 calls a day, sales' 25 blocks, and the drift of
#: gpt-4o-mini (140 calls a week) and claude-sonnet (70) from the report.
STRICTER: Final = Thresholds(min_calls=101, min_blocked=30, drift_min_calls=200)
USERS, APPS, NEW_MODELS, BLOCKS, DRIFT = (
    "Users departing from their own 28-day baseline",
    "Applications departing from their own 28-day baseline",
    "First use of a model by a team",
    "Block spikes by team",
    "Output drift per model, week over week",
)


@dataclass(frozen=True)
class History:
    client: Client
    database: str


@pytest.fixture(scope="module")
def history(clickhouse_url: str, store_database: str) -> Iterator[History]:
    """The crafted five weeks in the module's database on the session engine."""
    settings = StoreSettings(url=clickhouse_url, database=store_database)
    client = open_client(settings)
    try:
        migrate(client, settings)
        insert_history(client, store_database, NOW)
        yield History(client, store_database)
    finally:
        client.command(f"DROP DATABASE IF EXISTS {store_database} SYNC")
        client.close()


def panel_rows(
    history: History, thresholds: Thresholds, title: str, since: timedelta
) -> list[dict[str, Any]]:
    """The rows the panel titled ``title`` shows for the range ``since`` before NOW."""
    panels = [p for p in unusual_behaviour(thresholds) if isinstance(p, Panel)]
    (panel,) = [p for p in panels if p.title == title]
    (query,) = panel.queries
    assert isinstance(query, SqlQuery)
    sql = expand_clickhouse(
        query.sql,
        time=TimeRange(NOW - since, NOW),
        variables={"team": ALL},
        database=history.database,
    )
    result = history.client.query(sql)
    return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]


def dashboard_view(
    history: History, thresholds: Thresholds, since: timedelta
) -> dict[str, set[Any]]:
    """What the dashboard lists for the range ``since`` before NOW, reduced to comparable keys."""

    def departures(title: str, column: str) -> set[tuple[Any, ...]]:
        return {
            (row[column], row["metric"], row["interval_start"].replace(tzinfo=UTC), row["observed"])
            for row in panel_rows(history, thresholds, title, since)
        }

    return {
        "users": departures(USERS, "user"),
        "apps": departures(APPS, "app"),
        "blocks": departures(BLOCKS, "team"),
        "new_models": {
            (row["team"], row["model"], row["calls"])
            for row in panel_rows(history, thresholds, NEW_MODELS, since)
        },
        "output_drift": {
            (row["model"], tuple(row["changes"]))
            for row in panel_rows(history, thresholds, DRIFT, since)
        },
    }


def cli_view(report: AnomalyReport, week: AnomalyReport) -> dict[str, set[Any]]:
    """The same keys from the report (output drift from the week's report, as the panel
    always compares the week before the range's end)."""

    def departures(found: tuple[Any, ...], kind: SubjectKind) -> set[tuple[Any, ...]]:
        return {
            (d.subject, d.metric.value, d.interval_start, d.observed)
            for d in found
            if d.kind is kind
        }

    return {
        "users": departures(report.volume, SubjectKind.USER),
        "apps": departures(report.volume, SubjectKind.APP),
        "blocks": departures(report.blocks, SubjectKind.TEAM),
        "new_models": {(m.team, m.model, m.calls) for m in report.new_models},
        "output_drift": {(d.model, tuple(c.value for c in d.changes)) for d in week.output_drift},
    }


def report(history: History, thresholds: Thresholds, since: timedelta) -> AnomalyReport:
    return find_anomalies(
        history.client, database=history.database, since=since, now=NOW, thresholds=thresholds
    )


def test_dashboard_and_cli_report_the_same_anomalies(history: History) -> None:
    """For a 7-day range, every panel lists exactly what the CLI reports for --since 7d, and
    the history's anomalies are all there."""
    week = report(history, Thresholds(), timedelta(days=7))
    cli = cli_view(week, week)
    assert dashboard_view(history, Thresholds(), timedelta(days=7)) == cli
    assert {user for user, *_ in cli["users"]} == {"bob"}
    assert {app for app, *_ in cli["apps"]} == {"etl-job"}
    assert {team for team, *_ in cli["blocks"]} == {"sales"}
    assert {(team, model) for team, model, _ in cli["new_models"]} == {("research", "deepseek-r1")}
    assert {model for model, _ in cli["output_drift"]} == {"gpt-4o", "gpt-4o-mini", "claude-sonnet"}


def test_a_shorter_range_is_judged_the_same_way(history: History) -> None:
    """For a 3-day range (bob's busy days now fall in his baseline) both agree again."""
    since = timedelta(days=3)
    cli = cli_view(
        report(history, Thresholds(), since), report(history, Thresholds(), timedelta(days=7))
    )
    assert dashboard_view(history, Thresholds(), since) == cli
    assert not cli["users"]
    assert cli["blocks"]
    assert cli["new_models"]


def test_a_changed_threshold_changes_both(history: History) -> None:
    """Stricter thresholds drop the same anomalies from the dashboard and from the CLI."""
    since = timedelta(days=7)
    default = cli_view(report(history, Thresholds(), since), report(history, Thresholds(), since))
    stricter_report = report(history, STRICTER, since)
    stricter = cli_view(stricter_report, stricter_report)
    assert dashboard_view(history, STRICTER, since) == stricter
    assert default["users"]
    assert not stricter["users"]
    assert default["blocks"]
    assert not stricter["blocks"]
    dropped = default["output_drift"] - stricter["output_drift"]
    assert {model for model, _ in dropped} == {"gpt-4o-mini", "claude-sonnet"}


def test_committed_dashboard_uses_the_default_thresholds() -> None:
    """The security dashboard holds the panels the default thresholds generate."""
    generated = [p for p in unusual_behaviour(Thresholds()) if isinstance(p, Panel)]
    assert all(panel in SECURITY.items for panel in generated)
    assert {p.title for p in generated} == {USERS, APPS, NEW_MODELS, BLOCKS, DRIFT}
