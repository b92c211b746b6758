"""EventLog end to end on the embedded engine: rows, content modes, lifecycle, metrics."""

from __future__ import annotations

import pytest
from clickhouse_connect.driver.client import Client

from proxy.metrics import Metrics
from proxy.store import EventLog, StoreSettings
from tests.store.factories import count_rows, make_event, request_ids, sample, wait_for

ANTHROPIC_BODY = '{"model":"claude-sonnet-4","messages":[{"role":"user","content":"hi"}]}'


def test_each_kind_of_call_becomes_one_row(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """Chat, streamed chat, completions, embeddings, Anthropic messages and pass-through
    calls are stored with their fields intact."""
    events = [
        make_event(),
        make_event(stream=True, response="Hello there, streamed.", ttfb_ms=80.0),
        make_event(endpoint="/v1/completions", prompt='{"prompt":"once upon"}'),
        make_event(endpoint="/v1/embeddings", response="", completion_tokens=0),
        make_event(
            endpoint="/v1/messages",
            provider="anthropic",
            model="claude-sonnet-4",
            upstream_model="claude-sonnet-4-20250514",
            prompt=ANTHROPIC_BODY,
        ),
        make_event(endpoint="/v1/files", method="GET", model="", prompt="", response=""),
        make_event(
            decision="block",
            status_code=403,
            upstream_status=0,
            rules=("no-secrets",),
            entity_types=("AWS_ACCESS_KEY",),
            entity_counts={"AWS_ACCESS_KEY": 2},
            response="",
            error="policy_violation",
        ),
    ]
    for event in events:
        event_log.record(event)
    assert event_log.flush(10)
    db = store_settings.database
    assert request_ids(client, db) == sorted(e.request_id for e in events)
    stored = client.query(
        f"SELECT request_id, endpoint, provider, stream, status_code, upstream_status, "
        f"decision, rules, entity_types, entity_counts, response, ttfb_ms, error, ts "
        f"FROM {db}.requests"
    ).result_rows
    by_id = {row[0]: row for row in stored}
    for event in events:
        row = by_id[event.request_id]
        assert row[1:13] == (
            event.endpoint,
            event.provider,
            event.stream,
            event.status_code,
            event.upstream_status,
            event.decision,
            list(event.rules),
            list(event.entity_types),
            event.entity_counts,
            event.response,
            event.ttfb_ms,
            event.error,
        )
        assert row[13].replace(tzinfo=event.ts.tzinfo) == event.ts.replace(
            microsecond=event.ts.microsecond // 1000 * 1000
        )


@pytest.mark.parametrize(
    ("mode", "kept"),
    [
        ("full", (True, False)),
        ("redacted", (False, True)),
        ("hash", (False, True)),
        ("none", (False, False)),
    ],
)
def test_content_mode_decides_what_reaches_the_table(
    event_log: EventLog, client: Client, mode: str, kept: tuple[bool, bool]
) -> None:
    """The stored prompt text (and its hash) follow the event's content mode."""
    event = make_event(
        prompt="card 4111 1111 1111 1111", entity_types=("CREDIT_CARD",), content_mode=mode
    )
    event_log.record(event)
    assert event_log.flush(10)
    prompt, digest, stored_mode = client.query(
        f"SELECT prompt, prompt_sha256, content_mode FROM {event_log.settings.database}.requests"
    ).result_rows[0]
    assert (prompt == event.prompt, bool(digest)) == kept
    assert stored_mode == mode


@pytest.mark.usefixtures("migrated_database")  # a migrated store; migrating is not the subject
def test_close_flushes_what_is_queued(
    store_settings: StoreSettings, metrics: Metrics, client: Client
) -> None:
    """Events waiting for a batch are written by close(), and the spool is left empty."""
    settings = store_settings.model_copy(update={"flush_interval": 30.0, "batch_size": 1000})
    log = EventLog(settings, metrics)
    log.start()
    for _ in range(25):
        log.record(make_event())
    assert count_rows(client, settings.database) == 0
    assert log.close(timeout=10)
    assert count_rows(client, settings.database) == 25
    assert list(settings.spool_dir.glob("*.seg")) == []


def test_metrics_and_status_follow_the_pipeline(
    event_log: EventLog, metrics: Metrics, store_settings: StoreSettings
) -> None:
    """Rows written are counted, and status shows a reachable store with nothing pending."""
    for _ in range(120):
        event_log.record(make_event())
    assert event_log.flush(10)
    assert sample(metrics, "llm_proxy_log_rows_written_total") == 120
    assert sample(metrics, "llm_proxy_log_write_errors_total") == 0
    status = event_log.status()
    assert status.reachable
    assert status.ready
    assert status.spooled_rows == 0
    assert status.last_error is None


@pytest.mark.usefixtures("migrated_database")  # a migrated store; migrating is not the subject
def test_records_outside_the_lifecycle_are_counted_as_dropped(
    store_settings: StoreSettings, metrics: Metrics, client: Client
) -> None:
    """record() before start() or after close() drops the event visibly."""
    log = EventLog(store_settings, metrics)
    log.record(make_event())
    log.start()
    log.close(timeout=5)
    log.record(make_event())
    assert sample(metrics, "llm_proxy_log_events_dropped_total", reason="closed") == 2


def test_second_start_is_an_error(event_log: EventLog) -> None:
    """An event log starts once."""
    with pytest.raises(RuntimeError, match="running"):
        event_log.start()


@pytest.mark.usefixtures("migrated_database")  # a migrated store; migrating is not the subject
@pytest.mark.parametrize("concurrency", [1, 3])
def test_concurrent_inserts_store_every_event_once(
    store_settings: StoreSettings, metrics: Metrics, client: Client, concurrency: int
) -> None:
    """However many inserts run at once, each event lands once and the spool empties."""
    settings = store_settings.model_copy(
        update={"insert_concurrency": concurrency, "batch_size": 20}
    )
    log = EventLog(settings, metrics)
    log.start()
    events = [make_event() for _ in range(400)]
    for event in events:
        log.record(event)
    assert log.flush(15)
    # The writer publishes a batch as committed before the spool forgets it (so a flush
    # never reads a cursor into a deleted segment): the spool empties a moment later.
    wait_for(lambda: log.status().spooled_rows == 0, timeout=5)
    assert log.close(timeout=5)
    assert request_ids(client, settings.database) == sorted(e.request_id for e in events)


def test_an_event_that_cannot_be_encoded_is_dropped_not_raised(
    event_log: EventLog, metrics: Metrics
) -> None:
    """record() never raises into the request path; the loss is counted."""
    bad = make_event(entity_counts={"EMAIL_ADDRESS": object()})
    event_log.record(bad)
    assert sample(metrics, "llm_proxy_log_events_dropped_total", reason="encode_error") == 1
    assert event_log.status().spooled_rows == 0


@pytest.mark.usefixtures("migrated_database")  # a migrated store; migrating is not the subject
def test_a_partial_batch_is_sent_after_the_flush_interval(
    store_settings: StoreSettings, metrics: Metrics, client: Client
) -> None:
    """Batches are cut by time as well as size: a few events do not wait for company."""
    settings = store_settings.model_copy(update={"batch_size": 1000, "flush_interval": 0.1})
    log = EventLog(settings, metrics)
    log.start()
    try:
        for _ in range(3):
            log.record(make_event())
        wait_for(lambda: count_rows(client, settings.database) == 3, timeout=5)
    finally:
        log.close(timeout=5)
