"""The embedded engine's tables get the settings that keep the proxy's memory and threads
flat (issue 9's soak); a ClickHouse server's tables are left to its operator."""

from __future__ import annotations

from clickhouse_connect.driver.client import Client

from proxy.metrics import Metrics
from proxy.store import EventLog, StoreSettings
from proxy.store.schema import EMBEDDED_TABLE_SETTINGS, migrate, tune_embedded


def _merge_tree_tables(client: Client, database: str) -> dict[str, str]:
    rows = client.query(
        "SELECT name, create_table_query FROM system.tables"
        " WHERE database = {db:String} AND engine LIKE '%MergeTree'",
        parameters={"db": database},
    ).result_rows
    return {str(name): str(sql) for name, sql in rows}


def _untuned(tables: dict[str, str]) -> list[str]:
    wanted = [f"{name} = {value}" for name, value in EMBEDDED_TABLE_SETTINGS.items()]
    return sorted(t for t, sql in tables.items() if not all(w in sql for w in wanted))


def test_an_event_log_start_tunes_every_table(
    client: Client, store_settings: StoreSettings, metrics: Metrics
) -> None:
    """After the event log starts, every MergeTree table of its database removes outdated
    parts serially and at least every 30 s."""
    log = EventLog(store_settings, metrics)
    log.start()
    try:
        tables = _merge_tree_tables(client, store_settings.database)
    finally:
        log.close(timeout=5)
    assert {"requests", "call_volume_1m_data", "log_chain", "audit_log"} <= set(tables)
    assert _untuned(tables) == []


def test_tuning_is_applied_once(client: Client, store_settings: StoreSettings) -> None:
    """The first run alters each table once; a later run (every reconnect) issues no DDL
    and keeps the tables' own settings."""
    migrate(client, store_settings)
    tables = _merge_tree_tables(client, store_settings.database)
    altered = tune_embedded(client, store_settings)
    assert len(altered) == len(tables)
    assert tune_embedded(client, store_settings) == ()
    tuned = _merge_tree_tables(client, store_settings.database)
    assert _untuned(tuned) == []
    assert "non_replicated_deduplication_window = 10000" in tuned["requests"]


def test_a_server_store_is_not_tuned(client: Client, store_settings: StoreSettings) -> None:
    """With a server URL nothing is altered, even on tables that lack the settings."""
    migrate(client, store_settings)
    server = StoreSettings(url="http://127.0.0.1:1", database=store_settings.database)
    assert tune_embedded(client, server) == ()
    assert len(_untuned(_merge_tree_tables(client, store_settings.database))) > 0


def test_the_embedded_memory_worker_ticks_ten_times_a_second(client: Client) -> None:
    """The embedded engine corrects its memory tracker every 100 ms, not at its own default
    (every ~50 ms, about 2 ms of CPU a second with no call at all)."""
    period = client.query(
        "SELECT value FROM system.server_settings WHERE name = 'memory_worker_period_ms'"
    ).result_rows
    assert period == [("100",)]
