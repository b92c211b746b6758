"""The demo quarter the evidence-report tests share: written once per session into its own
database of the session's embedded engine (``bench/demo_quarter.py``, real store code)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bench.demo_quarter import DAYS, last_full_quarter, write_demo
from proxy.store import StoreSettings, open_client

#: The last full quarter: within the demo's 730-day retention whenever the suite runs.
START = last_full_quarter(datetime.now(UTC).date())
LAST = START + timedelta(days=DAYS - 1)


@pytest.fixture(scope="session")
def demo_settings(
    clickhouse_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StoreSettings]:
    """Settings of a database holding the demo quarter."""
    settings = StoreSettings(
        url=clickhouse_url,
        database=f"report_demo_{START:%Y%m}",
        spool_dir=tmp_path_factory.mktemp("report-spool"),
        retention_days=730,
        text_retention_days=90,
        flush_interval=0.05,
    )
    write_demo(settings, START)
    yield settings
    client = open_client(settings)
    client.command(f"DROP DATABASE IF EXISTS {settings.database} SYNC")
    client.close()
