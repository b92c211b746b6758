"""The cost of each call in the event log and in the per-minute rollup, on the real engine,
for a new store and for one upgraded from the schema before costs existed."""

from __future__ import annotations

from datetime import UTC, datetime

from clickhouse_connect.driver.client import Client

from proxy.metrics import Metrics
from proxy.store import EventLog, StoreSettings
from proxy.store.migrations import MIGRATIONS
from proxy.store.schema import migrate
from tests.store.factories import make_event, wait_for

MINUTE = datetime(2026, 3, 14, 10, 2, tzinfo=UTC)


def rollup(client: Client, database: str) -> tuple[float, int, int]:
    """(cost, unpriced calls, calls) summed over the rollup."""
    sql = f"SELECT sum(cost), sum(unpriced), sum(calls) FROM {database}.call_volume_1m"
    cost, unpriced, calls = client.query(sql).result_rows[0]
    return float(cost), int(unpriced), int(calls)


def stored_costs(client: Client, database: str) -> dict[str, float | None]:
    sql = f"SELECT request_id, cost FROM {database}.requests"
    return {row[0]: row[1] for row in client.query(sql).result_rows}


def test_costs_are_stored_per_call_and_summed_per_minute(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """A priced call keeps its cost, an unpriced one NULL (not 0), a refused one 0; the
    rollup adds the known costs and counts the unpriced calls."""
    events = [
        make_event(request_id="priced", ts=MINUTE, cost=0.0123),
        make_event(request_id="unpriced", ts=MINUTE, cost=None),
        make_event(request_id="refused", ts=MINUTE, cost=0.0, status_code=502),
        make_event(request_id="priced-2", ts=MINUTE, cost=0.5),
    ]
    for event in events:
        event_log.record(event)
    db = store_settings.database
    wait_for(lambda: len(stored_costs(client, db)) == 4)
    assert stored_costs(client, db) == {
        "priced": 0.0123,
        "unpriced": None,
        "refused": 0.0,
        "priced-2": 0.5,
    }
    # The view's rows land just after the table's: wait for them too.
    wait_for(lambda: rollup(client, db)[2] == 4)
    cost, unpriced, calls = rollup(client, db)
    assert round(cost, 6) == 0.5123
    assert (unpriced, calls) == (1, 4)


def test_an_upgraded_store_keeps_old_rows_unpriced_and_rolls_up_new_costs(
    client: Client, store_settings: StoreSettings, metrics: Metrics
) -> None:
    """Rows written before the cost migration read as unpriced; after it, the recreated
    view adds the costs of new rows to the rollup, and the old minutes stay as they were."""
    before_cost = [m for m in MIGRATIONS if m.version < 8]
    migrate(client, store_settings, before_cost)
    db = store_settings.database
    client.command(
        f"INSERT INTO {db}.requests (request_id, ts, team, model, decision, status_code) "
        "VALUES ('old', '2026-03-14 10:01:00', 'red', 'gpt-4o', 'allow', 200)"
    )
    report = migrate(client, store_settings)
    assert report.applied == (8, 9)
    log = EventLog(store_settings, metrics)
    log.start()
    try:
        log.record(make_event(request_id="new", ts=MINUTE, cost=0.25))
        wait_for(lambda: rollup(client, db)[2] == 2)
    finally:
        log.close(timeout=5)
    assert stored_costs(client, db) == {"old": None, "new": 0.25}
    assert rollup(client, db) == (0.25, 1, 2)  # the old minute's call is unpriced
