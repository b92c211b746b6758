"""Settings of the event log store: where ClickHouse is, how the writer batches, what it keeps.

Parsed once at start-up into a frozen model. The URL may carry credentials
(``https://user:secret@host:8443/db``); they never appear in ``repr``/``str`` of the settings,
and logs must use :attr:`StoreSettings.display_url`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal
from urllib.parse import SplitResult, unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator

EMBEDDED_SCHEME = "chdb"
SERVER_SCHEMES = ("http", "https")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_MIB = 1024 * 1024


class ContentMode(StrEnum):
    """What the event log keeps of prompt and response text."""

    FULL = "full"  # the text as the caller sent it and as the caller saw the output
    REDACTED = "redacted"  # the prompt after the policy's redaction; never raw detected text
    HASH = "hash"  # SHA-256 of the texts, plus findings; no text
    NONE = "none"  # no text and no hashes; metadata and findings only


OverflowPolicy = Literal["keep_serving", "refuse"]


class StoreSettings(BaseModel):
    """Event log store configuration (the ``store:`` section of the proxy config)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: ``chdb://PATH`` for the embedded engine, ``http(s)://user:pass@host:port[/db]``
    #: for a ClickHouse server.
    url: str = "chdb://./data/clickhouse"
    #: Database holding the tables; a database in a server URL's path must agree with it.
    database: str = "llm_proxy"
    #: Write-ahead spool directory (created 0700; holds event text until it is committed).
    spool_dir: Path = Path("./data/spool")
    #: Events per insert; larger batches mean fewer parts for ClickHouse to write and
    #: merge (measured with 5 KB events: ~120 µs of CPU per event at 2,000 per insert,
    #: ~80 µs at 64 MiB inserts).
    batch_size: int = Field(default=20_000, ge=1, le=100_000)
    #: Payload bytes per insert: large prompts make batches of fewer events, not bigger
    #: ones. Bounds the writer's memory (``insert_concurrency`` batches in flight).
    batch_max_bytes: int = Field(default=64 * _MIB, ge=64 * 1024)
    #: Seconds of insert time the writer rolls up into ``call_volume_1m`` at once
    #: (:mod:`proxy.store.rollup`); the view reads the newer calls from ``requests``.
    rollup_step: int = Field(default=60, ge=1, le=3600)
    #: Inserts running at once (each on its own client); batches still commit in order.
    insert_concurrency: int = Field(default=2, ge=1, le=16)
    #: Longest time (seconds) an event waits in memory before its batch is sent. Each
    #: insert costs the embedded engine ~12 ms of CPU however small, so at a few hundred
    #: calls/s fewer, larger inserts save most (``bench/ingest_stages.py --paced``: 0.59-0.73x
    #: the log's CPU per event at 300/s with 3 s instead of 1 s, 0.75-0.9x at 1,000/s).
    #: Reads of calls (``logs search``, the admin API) flush first, so they never wait for it;
    #: every event is on disk (the spool) at once whatever the interval.
    flush_interval: float = Field(default=3.0, gt=0, le=60)
    #: Bound on events held in memory for the writer; beyond it they are read back from
    #: the spool (and ``refuse`` answers ``accepting() -> False`` while it is full).
    queue_max: int = Field(default=50_000, ge=1)
    #: The same bound in payload bytes (whichever is reached first).
    queue_max_bytes: int = Field(default=128 * _MIB, ge=64 * 1024)
    #: Bound on the spool's size on disk; when full, events are dropped (and counted) or,
    #: with ``refuse``, traffic is refused.
    spool_max_bytes: int = Field(default=4096 * _MIB, ge=_MIB)
    #: Size at which a spool segment file is closed and a new one started.
    spool_segment_bytes: int = Field(default=64 * _MIB, ge=64 * 1024)
    #: ``keep_serving``: overflow drops events (counted, alerted on); ``refuse``: the proxy
    #: refuses calls it could not record.
    on_overflow: OverflowPolicy = "keep_serving"
    #: Days rows (metadata, findings, hashes) are kept.
    retention_days: int = Field(default=365, ge=1, le=36_500)
    #: Days prompt and response text are kept; at most ``retention_days``.
    text_retention_days: int = Field(default=30, ge=1, le=36_500)
    #: Content mode for events that do not name one (register entries may override it).
    default_content_mode: ContentMode = ContentMode.FULL
    #: Upper bound (seconds) of the exponential backoff between retries to the store.
    retry_backoff_max: float = Field(default=10.0, gt=0, le=300)
    #: Connect and send/receive timeout (seconds) for a ClickHouse server.
    timeout: float = Field(default=30.0, gt=0, le=600)

    @model_validator(mode="before")
    @classmethod
    def _database_from_url(cls, data: Any) -> Any:
        """Take the database from a server URL's path unless one is given explicitly."""
        if not isinstance(data, dict) or "url" not in data or "database" in data:
            return data
        url = data["url"]
        if isinstance(url, str) and url.split(":", 1)[0] in SERVER_SCHEMES:
            path_db = urlsplit(url).path.strip("/")
            if path_db:
                return {**data, "database": unquote(path_db)}
        return data

    @model_validator(mode="after")
    def _check(self) -> StoreSettings:
        scheme = self.url.split("://", 1)[0] if "://" in self.url else ""
        if scheme == EMBEDDED_SCHEME:
            if not self.embedded_path:
                raise ValueError(f"url {self.display_url!r}: chdb:// needs a directory path")
        elif scheme in SERVER_SCHEMES:
            parts = self._split()
            if not parts.hostname:
                raise ValueError(f"url {self.display_url!r}: no host")
            path_db = unquote(parts.path.strip("/"))
            if path_db and path_db != self.database:
                raise ValueError(
                    f"url names database {path_db!r} but database is {self.database!r}"
                )
        else:
            raise ValueError(
                f"url {self.display_url!r}: scheme must be chdb://, http:// or https://"
            )
        if not _IDENTIFIER.match(self.database):
            raise ValueError(f"database {self.database!r} is not a plain identifier")
        if self.text_retention_days > self.retention_days:
            raise ValueError(
                f"text_retention_days ({self.text_retention_days}) exceeds "
                f"retention_days ({self.retention_days})"
            )
        return self

    def _split(self) -> SplitResult:
        return urlsplit(self.url)

    @property
    def embedded(self) -> bool:
        """True when the store is the in-process engine (``chdb://``)."""
        return self.url.startswith(f"{EMBEDDED_SCHEME}://")

    @property
    def embedded_path(self) -> str:
        """The engine directory of a ``chdb://`` URL ("" for a server URL)."""
        if not self.embedded:
            return ""
        return self.url[len(EMBEDDED_SCHEME) + 3 :].split("?", 1)[0]

    @property
    def display_url(self) -> str:
        """The URL with any password replaced by ``***``: the only form fit for logs."""
        if self.embedded or "://" not in self.url:
            return self.url
        parts = self._split()
        if parts.password is None:
            return self.url
        user = parts.username or ""
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return parts._replace(netloc=f"{user}:***@{host}{port}").geturl()

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # SECURITY: the URL may carry a password; repr/str show the redacted form.
        for name, value in super().__repr_args__():
            yield (name, self.display_url) if name == "url" else (name, value)
