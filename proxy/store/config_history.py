"""The history of configuration versions: every policy, register, limits and key-set version
the proxy loaded or refused, in ``config_history`` (issue 12).

Rows are rare (one per kind at start, one per reload), so they are not carried by the event
log's spool: :class:`ConfigHistory` inserts them directly from a thread of its own, never
on the event loop. When the store is down at that moment the row is logged as lost and the
proxy keeps going (``config_history_insert_failed``); the next start records every kind
again, so the version in force is known from then on.

:func:`query_history` answers "what was loaded" and, with ``at``, "which version of each
kind was in force at time T": the last accepted row of each kind at or before T.
"""

from __future__ import annotations

import hashlib
import queue
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import orjson
import structlog
from clickhouse_connect.driver.client import Client
from structlog.typing import FilteringBoundLogger

from proxy.store.client import ClientFactory, open_client
from proxy.store.settings import StoreSettings
from proxy.store.timespec import parse_time

Trigger = Literal["start", "sighup", "file_change"]

_COLUMNS = ("ts", "kind", "content_hash", "trigger", "path", "accepted", "reason", "content")


def canonical(content: Any) -> bytes:
    """The JSON bytes a version is hashed and stored as (sorted keys, stable)."""
    return orjson.dumps(content, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


@dataclass(frozen=True, slots=True)
class ConfigVersion:
    """One version of one kind of configuration, loaded (``accepted``) or refused.

    ``content`` is the parsed version (JSON-able); for a refused file it is None and
    ``reason`` says why. It must never hold a secret: callers pass key ids and statuses,
    not key hashes.
    """

    kind: str  # policy | register | limits | keys | providers | log_content
    trigger: Trigger
    path: str
    accepted: bool
    content: Any = None
    reason: str = ""
    ts: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def content_hash(self) -> str:
        if self.content is None:
            return ""
        return hashlib.sha256(canonical(self.content)).hexdigest()

    def row(self) -> list[Any]:
        text = "" if self.content is None else canonical(self.content).decode()
        return [
            self.ts,
            self.kind,
            self.content_hash,
            self.trigger,
            self.path,
            self.accepted,
            self.reason,
            text,
        ]


def insert_versions(client: Client, versions: list[ConfigVersion], *, database: str) -> None:
    """Insert ``config_history`` rows; raises when they cannot be written."""
    client.insert(
        f"{database}.config_history",
        [v.row() for v in versions],
        column_names=list(_COLUMNS),
    )


def query_history(
    client: Client,
    *,
    database: str,
    kind: str | None = None,
    since: datetime | None = None,
    at: datetime | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Recorded versions, newest first. With ``at``: per kind, the accepted version in
    force at that time (the last accepted row at or before it)."""
    where: list[str] = []
    params: dict[str, Any] = {"limit": limit}
    if kind is not None:
        where.append("kind = {kind:String}")
        params["kind"] = kind
    if since is not None:
        where.append("ts >= {since:DateTime64(3, 'UTC')}")
        params["since"] = since
    if at is not None:
        where.append("accepted AND ts <= {at:DateTime64(3, 'UTC')}")
        params["at"] = at
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    by_kind = "LIMIT 1 BY kind" if at is not None else ""
    sql = f"""
SELECT {", ".join(_COLUMNS)} FROM {database}.config_history {condition}
ORDER BY ts DESC, kind {by_kind} LIMIT {{limit:UInt32}}
"""  # noqa: S608 - identifiers only; values are bound parameters
    result = client.query(sql, parameters=params)
    rows = []
    for values in result.result_rows:
        row = dict(zip(_COLUMNS, values, strict=True))
        ts = row["ts"]
        row["ts"] = (ts if ts.tzinfo else ts.replace(tzinfo=UTC)).isoformat()
        row["content"] = orjson.loads(row["content"]) if row["content"] else None
        row["accepted"] = bool(row["accepted"])
        rows.append(row)
    return rows


class ConfigHistory:
    """Records versions from a daemon thread: ``record`` only queues (safe on the loop)."""

    def __init__(
        self,
        settings: StoreSettings,
        *,
        client_factory: ClientFactory = open_client,
        logger: FilteringBoundLogger | None = None,
    ) -> None:
        self._settings = settings
        self._factory = client_factory
        self._log: FilteringBoundLogger = logger or structlog.get_logger("llm_proxy.store")
        self._queue: queue.SimpleQueue[list[ConfigVersion] | None] = queue.SimpleQueue()
        self._client: Client | None = None
        self._pending = 0
        self._idle = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="config-history", daemon=True)
        self._thread.start()

    def record(self, *versions: ConfigVersion) -> None:
        """Queue versions for insertion; returns at once."""
        with self._idle:
            self._pending += 1
        self._queue.put(list(versions))

    def flush(self, timeout: float) -> bool:
        """Wait until every queued version was inserted or given up. True if in time."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Insert what is queued (for at most ``timeout`` seconds), then stop."""
        self._queue.put(None)
        self._thread.join(timeout)
        if self._client is not None:
            self._client.close()
            self._client = None

    def _run(self) -> None:
        while (versions := self._queue.get()) is not None:
            try:
                self._insert(versions)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _insert(self, versions: list[ConfigVersion]) -> None:
        try:
            if self._client is None:
                self._client = self._factory(self._settings)
            insert_versions(self._client, versions, database=self._settings.database)
        except Exception as exc:  # contained: a store outage must not stop the proxy
            self._log.error(
                "config_history_insert_failed",
                error_type=type(exc).__name__,
                lost=[(v.kind, v.trigger) for v in versions],
            )
            client, self._client = self._client, None
            if client is not None:
                client.close()


#: The kinds ``--kind`` accepts ("config" marks a refused configuration file).
KINDS = ("policy", "register", "providers", "limits", "log_content", "keys", "config")


def parse_history_params(params: Mapping[str, str]) -> dict[str, Any]:
    """``kind``, ``since`` and ``at`` of a history query; ValueError names a bad one."""
    kind = params.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)} (got {kind!r})")
    parsed: dict[str, Any] = {"kind": kind}
    for name in ("since", "at"):
        raw = params.get(name)
        try:
            parsed[name] = parse_time(raw) if raw else None
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    return parsed


def read_config_history(settings: StoreSettings, params: Mapping[str, str]) -> dict[str, Any]:
    """Run a history query on a client of its own (blocking: call it in a thread)."""
    query = parse_history_params(params)
    client = open_client(settings)
    try:
        rows = query_history(client, database=settings.database, **query)
    finally:
        client.close()
    return {"at": query["at"].isoformat() if query["at"] else None, "versions": rows}
