"""The event log's hash chain: tampering is found and located, replays and TTL are not."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import orjson
from clickhouse_connect.driver.client import Client

from proxy.metrics import Metrics
from proxy.store import EventLog, StoreSettings
from proxy.store.chain import BatchProof, ChainHead, load_writer_id
from proxy.store.chain_verify import Verification, proof_for, verify_bundle, verify_store
from proxy.store.rows import INSERT_SETTINGS, encode_event
from proxy.store.settings import ContentMode
from proxy.store.spool import Spool
from tests.store.factories import make_event, sample, wait_for

_SYNC = {"mutations_sync": 2}


def _verify(client: Client, settings: StoreSettings) -> Verification:
    return verify_store(
        client,
        settings.database,
        since=None,
        now=datetime.now(UTC),
        retention_days=settings.retention_days,
        text_retention_days=settings.text_retention_days,
        pending_seconds=0,
    )


def _record(log: EventLog, count: int, **changes: object) -> list[str]:
    events = [make_event(**changes) for _ in range(count)]
    for event in events:
        log.record(event)
    assert log.flush(10)
    return [e.request_id for e in events]


def _seq_of(client: Client, database: str, request_id: str) -> int:
    """The batch (link sequence) that chained a row."""
    sql = f"SELECT seq FROM {database}.log_chain WHERE has(request_ids, '{request_id}')"
    return int(client.query(sql).result_rows[0][0])


def _kinds(result: Verification) -> list[tuple[str, str]]:
    return sorted((f.kind, f.request_id) for f in result.findings)


def test_an_untouched_log_verifies(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """Every row written through the writer is claimed by an unbroken chain of links."""
    ids = _record(event_log, 120)
    result = _verify(client, store_settings)
    assert result.intact, result.findings
    assert result.rows == 120
    assert result.links >= 3  # batches of at most 50
    (head,) = result.heads
    assert head["first_seq"] == 1
    assert head["seq"] == result.links
    assert head["writer_id"] == load_writer_id(store_settings.spool_dir)
    assert len(ids) == 120


def test_an_updated_field_is_found_and_located(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """ALTER TABLE ... UPDATE of one row's decision is reported for that row and batch."""
    ids = _record(event_log, 60)
    db = store_settings.database
    client.command(
        f"ALTER TABLE {db}.requests UPDATE decision = 'block' WHERE request_id = '{ids[55]}'",
        settings=_SYNC,
    )
    result = _verify(client, store_settings)
    assert _kinds(result) == [("row_altered", ids[55])]
    assert result.findings[0].seq == _seq_of(client, db, ids[55]) > 1


def test_a_changed_prompt_is_found(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """Changing the stored prompt text breaks its content digest."""
    ids = _record(event_log, 10)
    db = store_settings.database
    client.command(
        f"ALTER TABLE {db}.requests UPDATE prompt = 'nothing to see' WHERE request_id = '{ids[3]}'",
        settings=_SYNC,
    )
    result = _verify(client, store_settings)
    assert _kinds(result) == [("content_altered", ids[3])]
    assert result.findings[0].detail == "text changed"


def test_a_deleted_row_is_found(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """A deleted row is reported as missing from the batch that chained it."""
    ids = _record(event_log, 30)
    db = store_settings.database
    client.command(
        f"ALTER TABLE {db}.requests DELETE WHERE request_id = '{ids[7]}'", settings=_SYNC
    )
    result = _verify(client, store_settings)
    assert _kinds(result) == [("row_deleted", ids[7])]
    assert result.findings[0].seq == _seq_of(client, db, ids[7])


def test_a_forged_row_is_found(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """A row inserted behind the writer's back is claimed by no link."""
    _record(event_log, 10)
    forged = make_event(request_id="req_forged")
    client.raw_insert(
        f"{store_settings.database}.requests",
        None,
        encode_event(forged, ContentMode.FULL),
        settings=INSERT_SETTINGS,
        fmt="JSONEachRow",
    )
    result = _verify(client, store_settings)
    assert _kinds(result) == [("row_inserted", "req_forged")]


def test_a_rewritten_link_is_found(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """Editing a link's row digests to match an altered row breaks that link's hash."""
    _record(event_log, 60)
    db = store_settings.database
    client.command(
        f"ALTER TABLE {db}.log_chain UPDATE row_digests = arrayMap(d -> 'x', row_digests) "
        "WHERE seq = 1",
        settings=_SYNC,
    )
    result = _verify(client, store_settings)
    kinds = {f.kind for f in result.findings}
    assert ("link_altered", 1) in {(f.kind, f.seq) for f in result.findings}
    assert "row_altered" in kinds


def test_text_blanked_by_ttl_still_verifies(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """Text older than the text retention may be gone; younger text may not."""
    old = _record(event_log, 10, ts=datetime.now(UTC) - timedelta(days=40))
    young = _record(event_log, 5)
    db = store_settings.database
    client.command(
        f"ALTER TABLE {db}.requests UPDATE prompt = '', response = '' WHERE 1", settings=_SYNC
    )
    result = _verify(client, store_settings)
    assert result.text_expired == len(old)
    assert _kinds(result) == sorted(("content_altered", rid) for rid in young)
    assert {f.detail for f in result.findings} == {"text removed"}


def test_replay_after_a_crash_keeps_the_chain(
    store_settings: StoreSettings, metrics: Metrics, client: Client, migrated_database: str
) -> None:
    """A batch whose rows landed before a crash is chained once, in order, on replay."""
    spool = Spool(store_settings.spool_dir, max_bytes=1 << 30, segment_bytes=1 << 26)
    spool.open()
    for _ in range(20):
        spool.append(encode_event(make_event(), ContentMode.FULL))
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
    spool.close()  # the crash: rows landed, no link, no commit

    for _ in range(2):  # and a clean restart after the replay
        log = EventLog(store_settings, metrics)
        log.start()
        _record(log, 5)
        log.close(timeout=5)
    result = _verify(client, store_settings)
    assert result.intact, result.findings
    assert result.rows == 30
    assert result.links >= 4  # 12 replayed, 8 + 5 live, then 5 after the restart


def test_a_link_that_landed_before_the_crash_is_not_chained_twice(
    store_settings: StoreSettings, metrics: Metrics, client: Client, migrated_database: str
) -> None:
    """Replaying a batch whose rows and link landed (the commit was lost) adds no link."""
    spool = Spool(store_settings.spool_dir, max_bytes=1 << 30, segment_bytes=1 << 26)
    spool.open()
    for _ in range(20):
        spool.append(encode_event(make_event(), ContentMode.FULL))
    batch = spool.read(spool.first_cursor(), 12)
    assert batch is not None
    spool.begin(batch)
    db = store_settings.database
    client.raw_insert(
        f"{db}.requests",
        None,
        b"\n".join(batch.payloads),
        settings={**INSERT_SETTINGS, "insert_deduplication_token": batch.token},
        fmt="JSONEachRow",
    )
    link = ChainHead(load_writer_id(store_settings.spool_dir)).extend(
        batch.token, BatchProof.of(batch.payloads)
    )
    client.raw_insert(f"{db}.log_chain", None, orjson.dumps(link.to_row()), fmt="JSONEachRow")
    spool.close()  # the crash: rows and link landed, the commit was never journaled

    log = EventLog(store_settings, metrics)
    log.start()
    assert log.flush(10)
    log.close(timeout=5)
    result = _verify(client, store_settings)
    assert result.intact, result.findings
    assert result.rows == 20
    assert result.links == 2  # the 12 chained before the crash, then the other 8


def test_an_exported_bundle_verifies_alone_and_a_modified_one_does_not(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """The proof of a few exported calls checks them without the store; an edit fails it."""
    ids = _record(event_log, 120)
    chosen = [ids[3], ids[70], ids[110]]
    db = store_settings.database
    proof = orjson.loads(orjson.dumps(proof_for(client, db, chosen)))  # as if via a file
    records = [
        {"request_id": rid, "decision": "allow", "prompt": make_event().prompt} for rid in chosen
    ]
    result = verify_bundle(records, proof)
    assert result.intact, result.findings
    # Every link from the first call's to the last's; those between without row lists.
    assert result.links == _seq_of(client, db, ids[110]) - _seq_of(client, db, ids[3]) + 1 >= 3

    records[1]["decision"] = "block"
    assert [(f.kind, f.request_id) for f in verify_bundle(records, proof).findings] == [
        ("export_altered", ids[70])
    ]
    records[1]["decision"] = "allow"
    proof["links"][1]["prev_hash"] = "0" * 64
    assert {f.kind for f in verify_bundle(records, proof).findings} == {
        "link_altered",
        "link_broken",
    }


def test_since_checks_from_a_later_batch_on(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """With --since, the chain is checked from the first link in range; rows before it
    are counted as not covered, and a deleted row before it goes unreported."""
    old = _record(event_log, 50, ts=datetime.now(UTC) - timedelta(days=3))
    new = _record(event_log, 20)
    db = store_settings.database
    client.command(
        f"ALTER TABLE {db}.requests DELETE WHERE request_id = '{old[0]}'", settings=_SYNC
    )
    result = verify_store(
        client,
        db,
        since=datetime.now(UTC) - timedelta(days=1),
        now=datetime.now(UTC),
        retention_days=store_settings.retention_days,
        text_retention_days=store_settings.text_retention_days,
        pending_seconds=0,
    )
    assert result.intact, result.findings
    (head,) = result.heads
    assert head["first_seq"] == _seq_of(client, db, new[0]) > 1
    assert result.links == head["seq"] - head["first_seq"] + 1
    assert result.not_covered == 0  # the old rows are before --since: not read at all
    assert _verify(client, store_settings).findings[0].kind == "row_deleted"


def test_a_fresh_unclaimed_row_is_pending_not_forged(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """A row inserted moments ago may still be waiting for its link: counted as pending."""
    _record(event_log, 5)
    client.raw_insert(
        f"{store_settings.database}.requests",
        None,
        encode_event(make_event(), ContentMode.FULL),
        settings=INSERT_SETTINGS,
        fmt="JSONEachRow",
    )
    result = verify_store(
        client,
        store_settings.database,
        since=None,
        now=datetime.now(UTC),
        retention_days=store_settings.retention_days,
        text_retention_days=store_settings.text_retention_days,
    )
    assert result.intact, result.findings
    assert result.pending == 1


def test_deleting_the_oldest_batch_and_its_link_is_found(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """Without --since every chain must start at its first batch: cutting off the oldest
    batch, rows and link together, leaves a gap that is reported."""
    _record(event_log, 60)
    db = store_settings.database
    client.command(
        f"ALTER TABLE {db}.requests DELETE WHERE has((SELECT request_ids FROM {db}.log_chain "
        "WHERE seq = 1), request_id)",
        settings=_SYNC,
    )
    client.command(f"ALTER TABLE {db}.log_chain DELETE WHERE seq = 1", settings=_SYNC)
    result = _verify(client, store_settings)
    assert [(f.kind, f.seq) for f in result.findings] == [("links_missing", 2)]


def test_writer_and_verifier_agree_on_varied_rows(
    event_log: EventLog, client: Client, store_settings: StoreSettings
) -> None:
    """Digests made from the spooled JSON equal those recomputed from ClickHouse's values
    for arbitrary floats, non-ASCII and control characters, maps, arrays and empty texts."""
    rng = random.Random(12)
    alphabet = 'aé€😀\u0000\n"\\\u2028x'
    for i in range(200):
        event_log.record(
            make_event(
                latency_ms=rng.uniform(0, 1e6) if i % 7 else 0.1,
                ttfb_ms=rng.random() * rng.choice((1e-6, 1.0, 1e9)),
                user="".join(rng.choices(alphabet, k=rng.randint(0, 12))),
                prompt="".join(rng.choices(alphabet, k=rng.randint(0, 300))),
                response="" if i % 3 == 0 else "".join(rng.choices(alphabet, k=50)),
                rules=tuple(f"rule-{n}" for n in range(i % 4)),
                entity_types=("EMAIL_ADDRESS", "PERSON")[: i % 3],
                entity_counts={"PERSON": i, "EMAIL_ADDRESS": 1} if i % 2 else {},
                prompt_tokens=rng.randint(0, 2**32 - 1),
                stream=bool(i % 2),
            )
        )
    assert event_log.flush(10)
    result = _verify(client, store_settings)
    assert result.intact, result.findings[:5]
    assert result.rows == 200


def test_a_failed_link_insert_is_retried_without_a_gap(
    event_log: EventLog, client: Client, store_settings: StoreSettings, metrics: Metrics
) -> None:
    """While log_chain refuses inserts the rows land but are not committed; once it is
    back, the batches are sent again (rows deduplicated) and chained once, in order."""
    db = store_settings.database
    _record(event_log, 10)
    client.command(f"DETACH TABLE {db}.log_chain")
    for _ in range(40):
        event_log.record(make_event())
    wait_for(lambda: sample(metrics, "llm_proxy_log_write_errors_total") >= 2)
    assert event_log.status().spooled_rows == 40
    client.command(f"ATTACH TABLE {db}.log_chain")
    assert event_log.flush(15)
    result = _verify(client, store_settings)
    assert result.intact, result.findings
    assert result.rows == 50
    (count,) = client.query(f"SELECT count() FROM {db}.log_chain").result_rows[0]
    assert count == result.links == result.heads[0]["seq"]
