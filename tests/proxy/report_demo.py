"""The demo quarter the evidence-report tests share: written once per session into its own
database of the session's embedded engine (``bench/demo_quarter.py``, real store code), and
the report built from it, for the tests that only read that report."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from clickhouse_connect.driver.client import Client

from bench.demo_quarter import DAYS, last_full_quarter, write_demo
from proxy.config.settings import RegisterConfig
from proxy.report import parse_period
from proxy.report.collect import collect
from proxy.report.data import ReportData
from proxy.store import StoreSettings, open_client
from proxy.store.rollup import Rollup

#: The last full quarter: within the demo's 730-day retention whenever the suite runs.
START = last_full_quarter(datetime.now(UTC).date())
LAST = START + timedelta(days=DAYS - 1)
#: The quarter's last week: the period of tests about the path a report takes (its audit
#: row, its formats), not its figures. One anomaly window to recompute instead of fourteen,
#: so such a report costs a fraction of the quarter's.
WEEK = LAST - timedelta(days=6)
#: Bound on the wait for the writer's last rollup step to close (a second and its lag).
ROLLUP_SECONDS = 10.0


@pytest.fixture(scope="session")
def demo_settings(clickhouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> StoreSettings:
    """Settings of a database holding the demo quarter, its ``call_volume_1m`` rolled up.

    The database is not dropped at the end: it lives in the session's temporary engine
    directory (dropping its ~100 partitions took 7-11 s of the session's teardown).
    """
    settings = StoreSettings(
        url=clickhouse_url,
        database=f"report_demo_{START:%Y%m}",
        spool_dir=tmp_path_factory.mktemp("report-spool"),
        retention_days=730,
        text_retention_days=90,
        flush_interval=0.05,
        # One-second steps, so the writer rolls the rollup up while it writes the demo.
        rollup_step=1,
    )
    write_demo(settings, START)
    close_rollup(settings)
    return settings


def close_rollup(settings: StoreSettings) -> None:
    """Roll up the calls the writer left in ``call_volume_1m``'s open tail, as a proxy's
    writer does within a minute: the store's steady state, and the anomaly queries then
    read the per-minute steps instead of aggregating every call of the quarter again
    (the reports built in the suite cost ~40 % less CPU). The view's figures are the same."""
    client = open_client(settings)
    try:
        rollup = Rollup(settings)
        rollup.prepare(client)
        deadline = time.monotonic() + ROLLUP_SECONDS
        while _open_tail(client, settings.database) and time.monotonic() < deadline:
            if not rollup.advance(client, max_steps=1000):
                time.sleep(0.1)  # the last step closes once the engine's clock passes it
    finally:
        client.close()


def _open_tail(client: Client, database: str) -> bool:
    """Whether ``requests`` holds calls inserted since the last closed step."""
    sql = (
        f"SELECT count() FROM {database}.requests WHERE inserted_at >= "
        f"(SELECT max(upto) FROM {database}.call_volume_1m_rolled_up_to)"
    )
    return bool(client.query(sql).result_rows[0][0])


@pytest.fixture(scope="session")
def demo_report(demo_settings: StoreSettings) -> ReportData:
    """The report of the demo quarter as :func:`proxy.report.collect.collect` builds it
    (built once: the tests that take it only read it)."""
    client = open_client(demo_settings)
    try:
        return collect(
            client,
            demo_settings,
            parse_period(START.isoformat(), LAST.isoformat()),
            current_register=RegisterConfig(),
            source="test",
            now=datetime.now(UTC),
        )
    finally:
        client.close()
