"""Never lost, never doubled: store outages, crashes, torn spools and kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from clickhouse_connect.driver.client import Client

from proxy.metrics import Metrics
from proxy.store import ErrorKind, EventLog, StoreSettings
from proxy.store.rows import INSERT_SETTINGS, encode_event
from proxy.store.schema import migrate
from proxy.store.settings import ContentMode
from proxy.store.spool import Spool
from tests.store.factories import (
    SwitchableStore,
    make_event,
    request_ids,
    sample,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]


def test_store_down_at_start_spools_then_replays_exactly_once(
    store_settings: StoreSettings, metrics: Metrics, client: Client
) -> None:
    """start() succeeds with the store unreachable; events wait on disk and land once."""
    store = SwitchableStore(up=False)
    log = EventLog(store_settings, metrics, client_factory=store)
    log.start()
    try:
        status = log.status()
        assert not status.reachable
        assert status.ready  # spooling counts as ready
        assert status.last_error is ErrorKind.UNREACHABLE
        events = [make_event() for _ in range(30)]
        for event in events:
            log.record(event)
        assert log.status().spooled_rows == 30
        wait_for(lambda: store.attempts >= 3)
        assert sample(metrics, "llm_proxy_log_write_errors_total") >= 2
        store.up = True
        assert log.flush(15)
        assert request_ids(client, store_settings.database) == sorted(e.request_id for e in events)
        assert log.status().reachable
    finally:
        log.close(timeout=5)


def test_store_lost_mid_run_is_caught_up_in_order(
    event_log: EventLog, metrics: Metrics, client: Client, store_settings: StoreSettings
) -> None:
    """Inserts failing mid-run are retried; every event lands exactly once afterwards."""
    db = store_settings.database
    before = [make_event() for _ in range(10)]
    for event in before:
        event_log.record(event)
    assert event_log.flush(10)
    client.command(f"DETACH TABLE {db}.requests")
    during = [make_event() for _ in range(40)]
    for event in during:
        event_log.record(event)
    wait_for(lambda: sample(metrics, "llm_proxy_log_write_errors_total") >= 2)
    assert not event_log.status().reachable
    assert event_log.status().spooled_rows == 40
    client.command(f"ATTACH TABLE {db}.requests")
    assert event_log.flush(15)
    expected = sorted(e.request_id for e in before + during)
    assert request_ids(client, db) == expected
    assert sample(metrics, "llm_proxy_log_rows_written_total") == 50


def test_batch_in_flight_at_a_crash_is_not_inserted_twice(
    store_settings: StoreSettings, metrics: Metrics, client: Client
) -> None:
    """A batch that reached ClickHouse before the crash but was never marked committed is
    replayed with its original token, and ClickHouse drops the copy."""
    migrate(client, store_settings)
    spool = Spool(store_settings.spool_dir, max_bytes=1 << 30, segment_bytes=1 << 26)
    spool.open()
    events = [make_event() for _ in range(20)]
    for event in events:
        spool.append(encode_event(event, ContentMode.FULL))
    batch = spool.read(spool.first_cursor(), 12)
    assert batch is not None
    spool.begin(batch)
    client.raw_insert(
        f"{store_settings.database}.requests",
        None,
        b"\n".join(batch.payloads),
        settings={**INSERT_SETTINGS, "insert_deduplication_token": batch.token},
        fmt="JSONEachRow",
    )
    spool.close()  # the crash: the commit was never journaled

    log = EventLog(store_settings, metrics)
    log.start()
    assert log.flush(10)
    log.close(timeout=5)
    assert request_ids(client, store_settings.database) == sorted(e.request_id for e in events)


def test_torn_spool_tail_is_skipped_and_the_rest_replayed(
    store_settings: StoreSettings, metrics: Metrics, client: Client
) -> None:
    """A half-written last record is counted as dropped; the records before it land."""
    spool = Spool(store_settings.spool_dir, max_bytes=1 << 30, segment_bytes=1 << 26)
    spool.open()
    events = [make_event() for _ in range(5)]
    for event in events:
        spool.append(encode_event(event, ContentMode.FULL))
    spool.close()
    segment = next(store_settings.spool_dir.glob("*.seg"))
    segment.write_bytes(segment.read_bytes()[:-10])

    log = EventLog(store_settings, metrics)
    log.start()
    assert log.flush(10)
    log.close(timeout=5)
    assert request_ids(client, store_settings.database) == sorted(e.request_id for e in events[:4])
    assert sample(metrics, "llm_proxy_log_events_dropped_total", reason="spool_torn") == 1


@pytest.mark.slow
def test_kill_9_loses_nothing_that_record_accepted(tmp_path: Path) -> None:
    """After SIGKILL mid-stream, a restart puts every recorded event in ClickHouse once."""
    count = 3000
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(  # noqa: S603 - this interpreter, our own module, fixed arguments
        [sys.executable, "-m", "tests.store.crash_child", "record", str(tmp_path), str(count)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    with child.stdout:
        try:
            line = child.stdout.readline().strip()
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
    assert line == f"recorded {count}"
    verify = subprocess.run(  # noqa: S603 - this interpreter, our own module, fixed arguments
        [sys.executable, "-m", "tests.store.crash_child", "verify", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = orjson.loads(verify.stdout.strip().splitlines()[-1])
    assert result["backlog"] > 0, "the kill came after everything was written: no test"
    assert (result["rows"], result["unique"], result["flushed"]) == (count, count, True)


def test_rows_survive_close_with_store_down(
    store_settings: StoreSettings, metrics: Metrics, client: Client
) -> None:
    """close() with the store down gives up after its timeout and keeps the events on disk
    for the next start."""
    log = EventLog(store_settings, metrics, client_factory=SwitchableStore(up=False))
    log.start()
    events = [make_event() for _ in range(7)]
    for event in events:
        log.record(event)
    assert not log.close(timeout=0.3)
    assert not _exists(client, store_settings)  # the store never saw anything

    again = EventLog(store_settings, Metrics())
    again.start()
    assert again.flush(10)
    again.close(timeout=5)
    assert request_ids(client, store_settings.database) == sorted(e.request_id for e in events)


def _exists(client: Client, settings: StoreSettings) -> bool:
    rows = client.query(
        "SELECT count() FROM system.tables WHERE database = {db:String} AND name = 'requests'",
        parameters={"db": settings.database},
    ).result_rows
    return bool(rows[0][0])
