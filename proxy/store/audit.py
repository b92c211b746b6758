"""The audit trail of reads of the event log (ISO 27001 A.8.15).

Logs of AI use are sensitive data: every read of logged prompt or response text is itself
recorded in ``audit_log``: who, when, through what, which request ids, with which filters.
The query layer writes these rows itself (:mod:`proxy.store.queries`); this module holds
the row and the insert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from clickhouse_connect.driver.client import Client


@dataclass(frozen=True, slots=True)
class Reader:
    """Who is reading: an authenticated admin identity, never a credential.

    ``actor`` is the identity that was authenticated. ``claimed_actor`` is whom the caller
    says it acts for (the CLI sends its OS user to the admin API): recorded as a claim,
    unverified, and never in place of ``actor``.
    """

    actor: str  # the admin credential's name (admin API), or the OS user reading directly
    role: str  # the role that allowed the read
    via: str = "api"  # admin_api | cli | direct
    claimed_actor: str = ""  # unverified; empty when nothing was claimed


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One read of the event log."""

    reader: Reader
    action: str  # search | show | export
    include_content: bool
    request_ids: Sequence[str]
    filters: Mapping[str, Any] = field(default_factory=dict)
    ts: datetime = field(default_factory=lambda: datetime.now(UTC))


_COLUMNS = (
    "ts",
    "actor",
    "claimed_actor",
    "role",
    "action",
    "via",
    "include_content",
    "request_ids",
    "row_count",
    "filters",
)


def record_audit(client: Client, entry: AuditEntry, *, database: str) -> None:
    """Insert one ``audit_log`` row. Raises when it cannot be written: callers must not
    hand out content whose read could not be recorded."""
    row = [
        entry.ts,
        entry.reader.actor,
        entry.reader.claimed_actor,
        entry.reader.role,
        entry.action,
        entry.reader.via,
        entry.include_content,
        list(entry.request_ids),
        len(entry.request_ids),
        orjson.dumps(dict(entry.filters), option=orjson.OPT_SORT_KEYS).decode(),
    ]
    client.insert(f"{database}.audit_log", [row], column_names=list(_COLUMNS))
