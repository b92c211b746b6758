"""Incident-response queries: combined filters, content access and its audit trail."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from clickhouse_connect.driver.client import Client

from proxy.call.events import CallEvent
from proxy.store import LogFilter, Reader, StoreSettings, export, get, open_client, search
from proxy.store.audit import record_audit
from proxy.store.queries import AuditWriter
from proxy.store.rows import INSERT_SETTINGS, encode_event
from proxy.store.settings import ContentMode
from tests.store.factories import make_event

NOW = datetime.now(UTC).replace(microsecond=0)
ANALYST = Reader(actor="dana", role="incident_responder", via="cli")


@dataclass(frozen=True)
class Seeded:
    client: Client
    db: str
    events: dict[str, CallEvent]


@pytest.fixture
def seeded(client: Client, store_settings: StoreSettings, migrated_database: str) -> Seeded:
    """A database holding five calls of different users, teams, models and outcomes."""
    events = {
        "e1": make_event(ts=NOW - timedelta(hours=3), prompt="Deploy the Apollo project"),
        "e2": make_event(
            ts=NOW - timedelta(hours=1),
            decision="block",
            status_code=403,
            entity_types=("AWS_ACCESS_KEY",),
            prompt="key AKIAGYLW2FGSIORRGXT6",
        ),
        "e3": make_event(
            ts=NOW - timedelta(minutes=30),
            user="bob",
            team="finance",
            model="claude-sonnet-4",
            entity_types=("EMAIL_ADDRESS",),
            response="write to apollo@example.com",
        ),
        "e4": make_event(
            ts=NOW - timedelta(days=2),
            user="carol",
            team="finance",
            decision="redact",
            entity_types=("EMAIL_ADDRESS",),
        ),
        "e5": make_event(
            ts=NOW - timedelta(minutes=10),
            model="claude-sonnet-4",
            decision="flag",
            prompt="books by o'reilly",
        ),
    }
    body = b"\n".join(encode_event(e, ContentMode.FULL) for e in events.values())
    client.raw_insert(
        f"{store_settings.database}.requests",
        None,
        body,
        settings=INSERT_SETTINGS,
        fmt="JSONEachRow",
    )
    return Seeded(client, store_settings.database, events)


def _ids(seeded: Seeded, *names: str) -> list[str]:
    return [seeded.events[name].request_id for name in names]


def _audit(seeded: Seeded, client: Client | None = None) -> list[Sequence[Any]]:
    return list(
        (client or seeded.client)
        .query(
            f"SELECT actor, role, action, via, include_content, request_ids, row_count, filters "
            f"FROM {seeded.db}.audit_log ORDER BY ts"
        )
        .result_rows
    )


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (LogFilter(user="alice"), ["e5", "e2", "e1"]),
        (LogFilter(user="alice", model="claude-sonnet-4"), ["e5"]),
        (LogFilter(team="finance", decision="redact"), ["e4"]),
        (LogFilter(entity_type="EMAIL_ADDRESS"), ["e3", "e4"]),
        (LogFilter(entity_type="EMAIL_ADDRESS", since=NOW - timedelta(hours=2)), ["e3"]),
        (
            LogFilter(since=NOW - timedelta(hours=2), until=NOW - timedelta(minutes=20)),
            ["e3", "e2"],
        ),
        (LogFilter(team="security", decision="block", since=NOW - timedelta(days=1)), ["e2"]),
        (LogFilter(limit=2), ["e5", "e3"]),
        (LogFilter(user="alice' OR 1=1 --"), []),
    ],
)
def test_filters_combine(seeded: Seeded, flt: LogFilter, expected: list[str]) -> None:
    """Every set filter must match; results are newest first; values are bound, not spliced."""
    records = search(seeded.client, flt, database=seeded.db)
    assert [r.request_id for r in records] == _ids(seeded, *expected)
    assert all(r.content is None for r in records)


def test_metadata_search_without_a_reader_is_not_audited(seeded: Seeded) -> None:
    """Metadata-only reads need no reader and leave no audit row."""
    search(seeded.client, LogFilter(), database=seeded.db)
    assert _audit(seeded) == []


@pytest.mark.parametrize(
    "flt", [LogFilter(text="apollo"), LogFilter(user="alice")], ids=["text", "content"]
)
def test_content_reads_require_a_reader(seeded: Seeded, flt: LogFilter) -> None:
    """Returning or searching text without naming the reader is refused."""
    with pytest.raises(ValueError, match="Reader"):
        search(seeded.client, flt, database=seeded.db, include_content=flt.text is None)


def test_text_search_is_case_insensitive_over_prompt_and_response(seeded: Seeded) -> None:
    """A substring matches the prompt or the response, in any case, quotes included."""
    apollo = search(seeded.client, LogFilter(text="APOLLO"), database=seeded.db, reader=ANALYST)
    assert [r.request_id for r in apollo] == _ids(seeded, "e3", "e1")
    quoted = search(seeded.client, LogFilter(text="o'reilly"), database=seeded.db, reader=ANALYST)
    assert [r.request_id for r in quoted] == _ids(seeded, "e5")


def test_content_search_is_audited(seeded: Seeded) -> None:
    """Reading content writes who, what, which ids and which filters to audit_log."""
    flt = LogFilter(user="alice", since=NOW - timedelta(hours=2))
    records = search(seeded.client, flt, database=seeded.db, include_content=True, reader=ANALYST)
    assert [r.content.prompt if r.content else None for r in records] == [
        seeded.events["e5"].prompt,
        seeded.events["e2"].prompt,
    ]
    ((actor, role, action, via, content, ids, count, filters),) = _audit(seeded)
    assert (actor, role, action, via, content, count) == (
        "dana",
        "incident_responder",
        "search",
        "cli",
        True,
        2,
    )
    assert ids == _ids(seeded, "e5", "e2")
    assert orjson.loads(str(filters)) == {
        "limit": 100,
        "since": flt.since.isoformat() if flt.since else None,
        "user": "alice",
    }


def test_show_returns_the_whole_record_and_is_audited(seeded: Seeded) -> None:
    """get() returns content and findings for one id and audits the read."""
    event = seeded.events["e2"]
    record = get(seeded.client, event.request_id, database=seeded.db, reader=ANALYST)
    assert record is not None
    assert record.content is not None
    assert record.content.prompt == event.prompt
    assert record.entity_types == ("AWS_ACCESS_KEY",)
    assert record.ts == event.ts
    assert orjson.loads(orjson.dumps(record.to_dict()))["prompt"] == event.prompt
    assert get(seeded.client, "req_missing", database=seeded.db, reader=ANALYST) is None
    audit = _audit(seeded)
    assert [(row[2], row[5]) for row in audit] == [("show", [event.request_id]), ("show", [])]


def test_show_metadata_only_needs_no_reader(seeded: Seeded) -> None:
    """Without content, get() works without a reader and returns no text."""
    record = get(
        seeded.client, seeded.events["e1"].request_id, database=seeded.db, include_content=False
    )
    assert record is not None
    assert record.content is None
    assert "prompt" not in record.to_dict()


@pytest.fixture
def other_client(store_settings: StoreSettings) -> Iterator[Client]:
    """A second client on the engine: an export's stream holds its own client."""
    other = open_client(store_settings)
    yield other
    other.close()


@pytest.fixture
def audit_to(seeded: Seeded, other_client: Client) -> AuditWriter:
    """Writes audit rows on the second client."""
    return lambda entry: record_audit(other_client, entry, database=seeded.db)


def test_export_streams_oldest_first_and_audits_what_it_handed_out(
    seeded: Seeded, audit_to: AuditWriter
) -> None:
    """export() yields every match in time order; the audit row lists exactly those ids."""
    flt = LogFilter(team="security", limit=None)
    batches = export(seeded.client, flt, database=seeded.db, reader=ANALYST, audit=audit_to)
    records = [record for batch in batches for record in batch]
    assert [r.request_id for r in records] == _ids(seeded, "e1", "e2", "e5")
    ((_, _, action, _, content, ids, count, _),) = _audit(seeded)
    assert (action, content, count) == ("export", True, 3)
    assert ids == _ids(seeded, "e1", "e2", "e5")


def test_export_audits_each_batch_before_handing_it_out(
    seeded: Seeded, audit_to: AuditWriter, other_client: Client
) -> None:
    """A batch's ids are in audit_log before the consumer sees the batch, so an export
    stopped part-way is audited for all it may have sent and for nothing more."""
    flt = LogFilter(limit=None)
    stream = export(
        seeded.client, flt, database=seeded.db, reader=ANALYST, audit=audit_to, batch_rows=2
    )
    first = next(stream)
    assert [row[5] for row in _audit(seeded, other_client)] == [[r.request_id for r in first]]
    second = next(stream)
    stream.close()
    assert len(first) == len(second) == 2
    assert [(row[2], row[5]) for row in _audit(seeded)] == [
        ("export", [r.request_id for r in first]),
        ("export", [r.request_id for r in second]),
    ]


def test_an_export_matching_nothing_is_audited_once(seeded: Seeded, audit_to: AuditWriter) -> None:
    """An export that finds no call still leaves one audit row, without ids."""
    flt = LogFilter(user="nobody", limit=None)
    assert (
        list(export(seeded.client, flt, database=seeded.db, reader=ANALYST, audit=audit_to)) == []
    )
    assert [(row[2], row[5]) for row in _audit(seeded)] == [("export", [])]


def test_an_audited_export_needs_an_audit_writer(seeded: Seeded) -> None:
    """Naming a reader without a place to write its audit rows is refused up front."""
    with pytest.raises(ValueError, match="audit writer"):
        export(seeded.client, LogFilter(limit=None), database=seeded.db, reader=ANALYST)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"since": datetime(2026, 1, 1)}, "timezone-aware"),
        ({"since": NOW, "until": NOW - timedelta(hours=1)}, "after until"),
        ({"limit": 0}, "positive"),
    ],
)
def test_invalid_filters_are_rejected(kwargs: dict[str, object], message: str) -> None:
    """Filters that cannot mean anything fail at construction."""
    with pytest.raises(ValueError, match=message):
        LogFilter(**kwargs)  # type: ignore[arg-type]


def test_database_name_is_checked(seeded: Seeded) -> None:
    """A database argument that is not a plain identifier is refused, not spliced."""
    with pytest.raises(ValueError, match="identifier"):
        search(seeded.client, LogFilter(), database="x; DROP TABLE y")
