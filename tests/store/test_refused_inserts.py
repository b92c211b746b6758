"""A store that takes connections but refuses every insert (as a full disk does, issue 9's
soak): the writer backs off and stays quiet until an insert lands, then every event
recorded meanwhile lands exactly once."""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

from clickhouse_connect.driver.client import Client
from structlog.testing import capture_logs

from proxy.metrics import Metrics
from proxy.store import EventLog, StoreSettings
from tests.store.factories import SwitchableStore, make_event, request_ids, wait_for

#: Long enough for the old writer to reconnect several times (every ~0.2 s), short
#: enough for a test; the new one backs off 0.2, 0.4, 0.8 s.
_REFUSING_SECONDS = 1.6


def _above_debug(logs: list[MutableMapping[str, Any]]) -> list[str]:
    return [entry["event"] for entry in logs if entry["log_level"] != "debug"]


def test_refused_inserts_back_off_and_recover_once(
    client: Client, store_settings: StoreSettings, metrics: Metrics
) -> None:
    """While every insert is refused the writer reconnects with a growing backoff and logs
    one failure and no recovery; when inserts land it logs one recovery and each event
    is stored once."""
    database = store_settings.database
    settings = store_settings.model_copy(update={"retry_backoff_max": 5.0})
    store = SwitchableStore(up=True)
    log = EventLog(settings, metrics, client_factory=store)
    log.start()
    try:
        before = [make_event() for _ in range(5)]
        for event in before:
            log.record(event)
        assert log.flush(10)
        client.command(
            f"ALTER TABLE {database}.requests ADD CONSTRAINT refuse_all CHECK request_id = ''"
        )
        with capture_logs() as logs:
            during = [make_event() for _ in range(5)]
            for event in during:
                log.record(event)
            connects_before = store.attempts
            time.sleep(_REFUSING_SECONDS)
            connects = (store.attempts - connects_before) // (settings.insert_concurrency + 1)
            refused_logs = _above_debug(logs)
            client.command(f"ALTER TABLE {database}.requests DROP CONSTRAINT refuse_all")
            wait_for(lambda: log.flush(0.1), timeout=15)
            # The recovery line may follow the flush by a moment (another thread).
            wait_for(lambda: "store_recovered" in _above_debug(logs), timeout=5)
        events = _above_debug(logs)
    finally:
        log.close(timeout=5)
    assert refused_logs.count("store_write_failed") == 1
    assert "store_recovered" not in refused_logs
    assert "store_connected" not in refused_logs
    assert connects <= 4, f"{connects} reconnects in {_REFUSING_SECONDS} s: no backoff"
    assert events.count("store_recovered") == 1
    expected = sorted(e.request_id for e in before + during)
    assert request_ids(client, database) == expected
