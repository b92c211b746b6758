"""Overflow: a full queue spills to disk; a full spool drops (keep_serving) or refuses."""

from __future__ import annotations

import pytest
from clickhouse_connect.driver.client import Client

from proxy.metrics import Metrics
from proxy.store import ErrorKind, EventLog, StoreSettings
from tests.store.factories import SwitchableStore, make_event, request_ids, sample

MIB = 1024 * 1024
BIG = "z" * 20_000


def _fill_spool(log: EventLog, limit: int = 200) -> list[str]:
    """Record big events until one is dropped; return the ids of those accepted."""
    accepted: list[str] = []
    for _ in range(limit):
        event = make_event(prompt=BIG)
        before = log.status().spooled_rows
        log.record(event)
        if log.status().spooled_rows == before:
            return accepted
        accepted.append(event.request_id)
    raise AssertionError("spool never filled")


@pytest.mark.parametrize("policy", ["keep_serving", "refuse"])
def test_full_spool_drops_visibly_and_recovers(
    store_settings: StoreSettings, metrics: Metrics, client: Client, policy: str
) -> None:
    """With the store down, a full spool drops (counted); refuse also closes accepting()."""
    settings = store_settings.model_copy(
        update={"spool_max_bytes": MIB, "spool_segment_bytes": 256 * 1024, "on_overflow": policy}
    )
    store = SwitchableStore(up=False)
    log = EventLog(settings, metrics, client_factory=store)
    log.start()
    try:
        assert log.accepting()
        accepted = _fill_spool(log)
        log.record(make_event(prompt=BIG))
        assert sample(metrics, "llm_proxy_log_events_dropped_total", reason="spool_full") == 2
        status = log.status()
        assert not status.spool_writable
        assert not status.ready  # neither reachable nor able to spool
        assert log.accepting() is (policy == "keep_serving")
        assert status.accepting is (policy == "keep_serving")

        store.up = True
        assert log.flush(15)
        assert log.accepting()
        assert log.status().spool_writable
        assert request_ids(client, settings.database) == sorted(accepted)
    finally:
        log.close(timeout=5)


@pytest.mark.usefixtures("migrated_database")  # a migrated store; migrating is not the subject
def test_full_queue_spills_to_the_spool_without_loss(
    store_settings: StoreSettings, metrics: Metrics, client: Client
) -> None:
    """Events beyond queue_max are read back from disk; none is dropped or doubled."""
    settings = store_settings.model_copy(
        update={"queue_max": 5, "batch_size": 1000, "flush_interval": 30.0}
    )
    log = EventLog(settings, metrics)
    log.start()
    try:
        events = [make_event() for _ in range(60)]
        for event in events:
            log.record(event)
        assert log.status().queue_depth == 5
        assert log.accepting()  # keep_serving
        assert log.flush(10)
        assert request_ids(client, settings.database) == sorted(e.request_id for e in events)
        assert sample(metrics, "llm_proxy_log_events_dropped_total", reason="spool_full") == 0
    finally:
        log.close(timeout=5)


@pytest.mark.usefixtures("migrated_database")  # a migrated store; migrating is not the subject
def test_refuse_closes_admit_while_the_queue_is_full(
    store_settings: StoreSettings, metrics: Metrics, client: Client
) -> None:
    """Under refuse, accepting() is False while the in-memory queue is full, True once drained."""
    settings = store_settings.model_copy(
        update={"queue_max": 5, "batch_size": 1000, "flush_interval": 30.0, "on_overflow": "refuse"}
    )
    log = EventLog(settings, metrics)
    log.start()
    try:
        for _ in range(4):
            log.record(make_event())
        assert log.accepting()
        log.record(make_event())
        assert not log.accepting()
        assert not log.status().accepting
        assert log.flush(10)
        assert log.accepting()
    finally:
        log.close(timeout=5)


@pytest.mark.usefixtures("migrated_database")  # a migrated store; migrating is not the subject
def test_spool_write_failure_is_counted_and_refused(
    store_settings: StoreSettings, metrics: Metrics, client: Client
) -> None:
    """An unwritable spool drops events as spool_error and, under refuse, closes accepting()."""
    settings = store_settings.model_copy(
        update={"on_overflow": "refuse", "spool_segment_bytes": 64 * 1024}
    )
    log = EventLog(settings, metrics)
    log.start()
    moved = settings.spool_dir.with_name("spool-moved")
    try:
        # The next segment cannot be created: the spool path is now a plain file.
        settings.spool_dir.rename(moved)
        settings.spool_dir.write_bytes(b"")
        for _ in range(10):
            log.record(make_event(prompt=BIG))
        assert sample(metrics, "llm_proxy_log_events_dropped_total", reason="spool_error") >= 1
        assert not log.accepting()
        status = log.status()
        assert not status.spool_writable
        assert status.last_error is ErrorKind.SPOOL_IO
    finally:
        settings.spool_dir.unlink()
        moved.rename(settings.spool_dir)
        log.close(timeout=5)


@pytest.mark.usefixtures("migrated_database")  # a migrated store; migrating is not the subject
def test_byte_bounds_cut_batches_and_spill_the_queue(
    store_settings: StoreSettings, metrics: Metrics, client: Client
) -> None:
    """Large events fill the queue by bytes before rows; they spill and still land once."""
    settings = store_settings.model_copy(
        update={
            "queue_max_bytes": 64 * 1024,
            "batch_max_bytes": 64 * 1024,
            "batch_size": 1000,
            "flush_interval": 30.0,
        }
    )
    log = EventLog(settings, metrics)
    log.start()
    try:
        events = [make_event(prompt=BIG) for _ in range(12)]
        for event in events:
            log.record(event)
        assert log.status().queue_depth == 4  # 4 x ~20 KB reach the 64 KB bound
        assert log.flush(10)
        assert request_ids(client, settings.database) == sorted(e.request_id for e in events)
    finally:
        log.close(timeout=5)
