"""Fixtures for the event log store tests (engine fixtures live in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from clickhouse_connect.driver.client import Client

from proxy.metrics import Metrics
from proxy.store import EventLog, StoreSettings, open_client


@pytest.fixture
def store_settings(clickhouse_url: str, store_database: str, tmp_path: Path) -> StoreSettings:
    """Settings for a fresh database and spool, tuned to flush quickly."""
    return StoreSettings(
        url=clickhouse_url,
        database=store_database,
        spool_dir=tmp_path / "spool",
        batch_size=50,
        flush_interval=0.05,
        retry_backoff_max=0.2,
    )


@pytest.fixture
def metrics() -> Metrics:
    """Metrics on a fresh registry."""
    return Metrics()


@pytest.fixture
def client(clickhouse_url: str, store_database: str) -> Iterator[Client]:
    """A client on the session engine; drops the test's database afterwards."""
    c = open_client(StoreSettings(url=clickhouse_url, database=store_database))
    yield c
    c.command(f"DROP DATABASE IF EXISTS {store_database} SYNC")
    c.close()


@pytest.fixture
def event_log(
    store_settings: StoreSettings, metrics: Metrics, client: Client, migrated_database: str
) -> Iterator[EventLog]:
    """A started event log on the test's database (created with the migrated schema, so the
    log's own start-up finds nothing to migrate); closed afterwards."""
    log = EventLog(store_settings, metrics)
    log.start()
    yield log
    log.close(timeout=5)
