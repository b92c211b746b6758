"""Schema migrations, retention TTLs and the call volume view, on the embedded engine."""

from __future__ import annotations

from clickhouse_connect.driver.client import Client

from proxy.store import StoreSettings
from proxy.store.migrations import MIGRATIONS
from proxy.store.rows import INSERT_SETTINGS, encode_event
from proxy.store.schema import apply_retention, migrate, show_create
from proxy.store.settings import ContentMode
from tests.store.factories import make_event


def _tables(client: Client, database: str) -> set[str]:
    rows = client.query(
        "SELECT name FROM system.tables WHERE database = {db:String}", parameters={"db": database}
    ).result_rows
    return {row[0] for row in rows}


def test_migrations_create_the_schema_once(client: Client, store_settings: StoreSettings) -> None:
    """The first run applies every migration; later runs apply none and change nothing."""
    first = migrate(client, store_settings)
    assert first.applied == tuple(m.version for m in MIGRATIONS)
    tables = _tables(client, store_settings.database)
    assert {"requests", "call_volume_1m", "call_volume_1m_data", "audit_log"} <= tables
    second = migrate(client, store_settings)
    assert second.applied == ()
    assert second.already_applied == first.applied
    assert _tables(client, store_settings.database) == tables
    versions = client.query(
        f"SELECT version FROM {store_settings.database}.schema_migrations ORDER BY version"
    ).result_rows
    assert [row[0] for row in versions] == list(first.applied)


def test_requests_table_has_retention_codecs_and_dedup(
    client: Client, store_settings: StoreSettings
) -> None:
    """SHOW CREATE carries the row TTL, shorter text TTLs, ZSTD text and a dedup window."""
    migrate(client, store_settings)
    sql = show_create(client, f"{store_settings.database}.requests")
    assert "TTL toDateTime(ts) + toIntervalDay(365)" in sql
    for column in ("prompt", "prompt_forwarded", "response"):
        line = next(ln for ln in sql.splitlines() if ln.strip().startswith(f"`{column}` "))
        assert "CODEC(ZSTD(1)) TTL toDateTime(ts) + toIntervalDay(30)" in line
    assert "ENGINE = ReplacingMergeTree" in sql
    assert "PARTITION BY toDate(ts)" in sql
    assert "ORDER BY (team, user, ts, request_id)" in sql
    assert "non_replicated_deduplication_window = 10000" in sql
    assert "`team` LowCardinality(String)" in sql


def test_retention_follows_settings(client: Client, store_settings: StoreSettings) -> None:
    """Changed retention days are applied at start-up; unchanged ones issue no DDL."""
    migrate(client, store_settings)
    assert apply_retention(client, store_settings) == ()
    shorter = store_settings.model_copy(update={"retention_days": 90, "text_retention_days": 7})
    altered = apply_retention(client, shorter)
    assert len(altered) == 6  # requests TTL, three text columns, two call volume TTLs
    sql = show_create(client, f"{store_settings.database}.requests")
    assert "TTL toDateTime(ts) + toIntervalDay(90)" in sql
    assert sql.count("TTL toDateTime(ts) + toIntervalDay(7)") == 3
    for rollup in ("call_volume_1m_data", "call_volume_1m_steps"):
        volume = show_create(client, f"{store_settings.database}.{rollup}")
        assert "TTL minute + toIntervalDay(90)" in volume
    assert apply_retention(client, shorter) == ()


def test_call_volume_view_counts_per_minute(client: Client, store_settings: StoreSettings) -> None:
    """The view sums calls, tokens, errors and blocks per minute, team, user, model, decision."""
    migrate(client, store_settings)
    events = [
        make_event(prompt_tokens=10, completion_tokens=5),
        make_event(prompt_tokens=20, completion_tokens=1, stream=True),
        make_event(decision="block", status_code=403, completion_tokens=0),
        make_event(status_code=502, decision="error", completion_tokens=0),
        make_event(user="bob"),
    ]
    body = b"\n".join(encode_event(e, ContentMode.FULL) for e in events)
    client.raw_insert(
        f"{store_settings.database}.requests",
        None,
        body,
        settings=INSERT_SETTINGS,
        fmt="JSONEachRow",
    )
    rows = client.query(
        f"SELECT user, sum(calls), sum(errors), sum(blocked), sum(streamed), sum(tokens) "
        f"FROM {store_settings.database}.call_volume_1m GROUP BY user ORDER BY user"
    ).result_rows
    alice_tokens = (10 + 5) + (20 + 1) + (12 + 0) + (12 + 0)
    assert rows == [("alice", 4, 1, 1, 1, alice_tokens), ("bob", 1, 0, 0, 0, 19)]


def test_replayed_insert_is_deduplicated_in_table_and_view(
    client: Client, store_settings: StoreSettings
) -> None:
    """The same batch inserted twice with one token is stored once, in both places."""
    migrate(client, store_settings)
    db = store_settings.database
    body = b"\n".join(encode_event(make_event(), ContentMode.FULL) for _ in range(3))
    settings = {**INSERT_SETTINGS, "insert_deduplication_token": "segment-1:8:300"}
    for _ in range(2):
        client.raw_insert(f"{db}.requests", None, body, settings=settings, fmt="JSONEachRow")
    assert client.query(f"SELECT count() FROM {db}.requests").result_rows == [(3,)]
    assert client.query(f"SELECT sum(calls) FROM {db}.call_volume_1m").result_rows == [(3,)]
