"""Reading the event log for incident response: search, show one call, export.

Filters become parameterised SQL (``{name:Type}`` placeholders bound by ClickHouse); no
user input is ever spliced into a statement. The database name is a validated identifier
from the settings.

Reads of content are audited here, not left to callers: whenever prompt or response text
is returned, or searched (a substring search reveals text too), a :class:`Reader` is
required and an ``audit_log`` row names it with the request ids and filters. Deciding
*whether* a reader's role may see content is the caller's job (the admin API).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from clickhouse_connect.driver.client import Client

from proxy.store.audit import AuditEntry, Reader, record_audit


@dataclass(frozen=True, slots=True)
class LogFilter:
    """Which calls to read; every set field must match (they combine with AND)."""

    since: datetime | None = None
    until: datetime | None = None
    user: str | None = None
    team: str | None = None
    model: str | None = None
    decision: str | None = None
    entity_type: str | None = None
    #: Case-insensitive substring of the prompt (as sent or as forwarded) or the response.
    text: str | None = None
    #: Most rows to return, newest first; None for no limit (exports).
    limit: int | None = 100

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} must be timezone-aware")
        if self.since and self.until and self.since > self.until:
            raise ValueError("since is after until")
        if self.limit is not None and self.limit < 1:
            raise ValueError(f"limit must be positive, got {self.limit}")

    def describe(self) -> dict[str, Any]:
        """The filters that are set, JSON-ready (for the audit log)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = value.isoformat() if isinstance(value, datetime) else value
        return out


@dataclass(frozen=True, slots=True)
class LogContent:
    """The stored text of a call (what its content mode kept)."""

    prompt: str
    prompt_forwarded: str
    response: str
    prompt_sha256: str
    response_sha256: str


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One logged call. ``content`` is None unless content was requested."""

    request_id: str
    ts: datetime
    user: str
    team: str
    app: str
    key_id: str
    client_ip: str
    method: str
    endpoint: str
    provider: str
    model: str
    upstream_model: str
    stream: bool
    status_code: int
    upstream_status: int
    decision: str
    rules: tuple[str, ...]
    entity_types: tuple[str, ...]
    entity_counts: dict[str, int]
    content_mode: str
    prompt_chars: int
    response_chars: int
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float
    ttfb_ms: float
    error: str
    #: The caller's own x-request-id ("" when it sent none): for correlation, not unique.
    client_request_id: str = ""
    content: LogContent | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``ts`` as ISO 8601; ``content`` flattened in when present)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name != "content":
                out[f.name] = getattr(self, f.name)
        out["ts"] = self.ts.isoformat()
        out["rules"] = list(self.rules)
        out["entity_types"] = list(self.entity_types)
        if self.content is not None:
            for f in fields(self.content):
                out[f.name] = getattr(self.content, f.name)
        return out


@dataclass(frozen=True, slots=True)
class Query:
    """A statement and its bound parameters."""

    sql: str
    parameters: dict[str, Any]


_METADATA = tuple(f.name for f in fields(LogRecord) if f.name != "content")
_CONTENT = tuple(f.name for f in fields(LogContent))
_TEXT_COLUMNS = ("prompt", "prompt_forwarded", "response")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def requests_table(database: str) -> str:
    """``database.requests``, refusing anything but a plain identifier as the database."""
    if not _IDENTIFIER.match(database):
        raise ValueError(f"database {database!r} is not a plain identifier")
    return f"{database}.requests"


def epoch_millis(value: datetime) -> int:
    """``value`` as milliseconds since the epoch, for an ``Int64`` query parameter."""
    return int(value.timestamp() * 1000)


def build_query(
    flt: LogFilter, *, database: str, include_content: bool, newest_first: bool = True
) -> Query:
    """The SELECT for a filter. Values travel as bound parameters only."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if flt.since is not None:
        where.append("ts >= fromUnixTimestamp64Milli({since_ms:Int64}, 'UTC')")
        params["since_ms"] = epoch_millis(flt.since)
    if flt.until is not None:
        where.append("ts <= fromUnixTimestamp64Milli({until_ms:Int64}, 'UTC')")
        params["until_ms"] = epoch_millis(flt.until)
    for column in ("user", "team", "model", "decision"):
        value = getattr(flt, column)
        if value is not None:
            where.append(f"{column} = {{{column}:String}}")
            params[column] = value
    if flt.entity_type is not None:
        where.append("has(entity_types, {entity_type:String})")
        params["entity_type"] = flt.entity_type
    if flt.text:
        where.append(
            "("
            + " OR ".join(
                f"positionCaseInsensitiveUTF8({c}, {{text:String}}) > 0" for c in _TEXT_COLUMNS
            )
            + ")"
        )
        params["text"] = flt.text
    columns = _METADATA + (_CONTENT if include_content else ())
    sql = f"SELECT {', '.join(columns)} FROM {requests_table(database)}"  # noqa: S608 - identifiers only
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY ts {'DESC' if newest_first else 'ASC'}, request_id"
    if flt.limit is not None:
        sql += " LIMIT {limit:UInt32}"
        params["limit"] = flt.limit
    return Query(sql, params)


def _record(row: Sequence[Any], include_content: bool) -> LogRecord:
    meta = dict(zip(_METADATA, row, strict=False))
    ts: datetime = meta["ts"]
    meta["ts"] = ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)
    meta["rules"] = tuple(meta["rules"])
    meta["entity_types"] = tuple(meta["entity_types"])
    meta["entity_counts"] = dict(meta["entity_counts"])
    meta["stream"] = bool(meta["stream"])
    content = None
    if include_content:
        content = LogContent(*row[len(_METADATA) :])
    return LogRecord(**meta, content=content)


def _reads_content(flt: LogFilter | None, include_content: bool) -> bool:
    return include_content or bool(flt is not None and flt.text)


def _require_reader(reader: Reader | None, reads_content: bool) -> None:
    if reads_content and reader is None:
        raise ValueError("reading logged content requires a Reader, for the audit log")


def search(
    client: Client,
    flt: LogFilter,
    *,
    database: str,
    include_content: bool = False,
    reader: Reader | None = None,
) -> list[LogRecord]:
    """Calls matching ``flt``, newest first. Audited when it reads content (then
    ``reader`` is required) or whenever a ``reader`` is given."""
    reads_content = _reads_content(flt, include_content)
    _require_reader(reader, reads_content)
    query = build_query(flt, database=database, include_content=include_content)
    rows = client.query(query.sql, parameters=query.parameters).result_rows
    records = [_record(row, include_content) for row in rows]
    if reader is not None:
        entry = AuditEntry(
            reader,
            "search",
            reads_content,
            [r.request_id for r in records],
            flt.describe(),
        )
        record_audit(client, entry, database=database)
    return records


def get(
    client: Client,
    request_id: str,
    *,
    database: str,
    include_content: bool = True,
    reader: Reader | None = None,
) -> LogRecord | None:
    """The call with this request id, or None. Audited like :func:`search`."""
    _require_reader(reader, include_content)
    columns = _METADATA + (_CONTENT if include_content else ())
    sql = (
        f"SELECT {', '.join(columns)} FROM {requests_table(database)} "  # noqa: S608 - identifiers only
        "WHERE request_id = {request_id:String} LIMIT 1"
    )
    rows = client.query(sql, parameters={"request_id": request_id}).result_rows
    record = _record(rows[0], include_content) if rows else None
    if reader is not None:
        ids = [record.request_id] if record else []
        entry = AuditEntry(reader, "show", include_content, ids, {"request_id": request_id})
        record_audit(client, entry, database=database)
    return record


#: Records per export batch: each batch's audit row is written before the batch is handed out.
EXPORT_BATCH_ROWS = 500
#: Writes one audit row; an export's client is busy streaming, so its rows go elsewhere.
AuditWriter = Callable[[AuditEntry], None]


def export(
    client: Client,
    flt: LogFilter,
    *,
    database: str,
    include_content: bool = True,
    reader: Reader | None = None,
    audit: AuditWriter | None = None,
    batch_rows: int = EXPORT_BATCH_ROWS,
) -> Generator[list[LogRecord], None, None]:
    """Stream the calls matching ``flt``, oldest first, in batches of ``batch_rows``,
    without holding them all in memory.

    Audited before anything leaves: when a ``reader`` is given, each batch's ids are
    recorded through ``audit`` *before* the batch is yielded (a consumer that stops
    part-way has been audited for everything it may have sent), and an export that
    matches nothing leaves one row without ids. ``audit`` must not use ``client``: an open
    stream holds its client. Close the generator promptly to release the stream.
    """
    reads_content = _reads_content(flt, include_content)
    _require_reader(reader, reads_content)
    if reader is not None and audit is None:
        raise ValueError("an audited export needs an audit writer (a client of its own)")
    if batch_rows < 1:
        raise ValueError(f"batch_rows must be positive, got {batch_rows}")
    return _export(
        client,
        flt,
        database=database,
        include_content=include_content,
        audit=None if reader is None or audit is None else _ExportAudit(reader, audit, flt),
        reads_content=reads_content,
        batch_rows=batch_rows,
    )


@dataclass(frozen=True, slots=True)
class _ExportAudit:
    """Writes an export's audit rows: one per batch, all with the export's filters."""

    reader: Reader
    write: AuditWriter
    flt: LogFilter

    def __call__(self, ids: list[str], reads_content: bool) -> None:
        self.write(AuditEntry(self.reader, "export", reads_content, ids, self.flt.describe()))


def _export(
    client: Client,
    flt: LogFilter,
    *,
    database: str,
    include_content: bool,
    audit: _ExportAudit | None,
    reads_content: bool,
    batch_rows: int,
) -> Generator[list[LogRecord], None, None]:
    query = build_query(flt, database=database, include_content=include_content, newest_first=False)
    batch: list[LogRecord] = []
    handed_out = False
    with client.query_row_block_stream(query.sql, parameters=query.parameters) as stream:
        for block in stream:
            for row in block:
                batch.append(_record(row, include_content))
                if len(batch) >= batch_rows:
                    if audit is not None:
                        audit([r.request_id for r in batch], reads_content)
                    handed_out = True
                    yield batch
                    batch = []
    if batch or not handed_out:
        if audit is not None:
            audit([r.request_id for r in batch], reads_content)
        if batch:
            yield batch


def find_markers(
    client: Client,
    markers: Sequence[str],
    *,
    database: str,
    reader: Reader,
    limit: int = 1000,
) -> list[LogRecord]:
    """Calls whose stored texts hold any of ``markers`` (fingerprints of one value,
    ``:<hex>>``), newest first, metadata only. Audited as a content search
    (``find-secret``): the rows tell that a value was sent. The value never gets here."""
    if not markers:
        raise ValueError("no marker to search for")
    found = " OR ".join(f"multiSearchAny({c}, {{markers:Array(String)}})" for c in _TEXT_COLUMNS)
    sql = (
        f"SELECT {', '.join(_METADATA)} FROM {requests_table(database)} "  # noqa: S608 - identifiers only
        f"WHERE {found} ORDER BY ts DESC, request_id LIMIT {{limit:UInt32}}"
    )
    params = {"markers": list(markers), "limit": limit}
    records = [_record(row, False) for row in client.query(sql, parameters=params).result_rows]
    entry = AuditEntry(
        reader,
        "find-secret",
        True,
        [r.request_id for r in records],
        {"fingerprints": list(markers)},
    )
    record_audit(client, entry, database=database)
    return records
