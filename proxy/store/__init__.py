"""The event log store: every call recorded in ClickHouse, never blocking, never lost.

The request path hands events to :class:`EventLog` (spool + writer thread); incident
responders read them through :mod:`proxy.store.queries`. Module map, in the order an event
travels: ``settings`` → ``rows`` (content mode, encoding) → ``spool``/``journal`` (on disk)
→ ``feed`` (in memory) → ``writer`` (to ClickHouse; ``schema``/``migrations``) →
``queries``/``audit`` (reading back).
"""

from proxy.store.audit import AuditEntry, Reader, record_audit
from proxy.store.client import ClientFactory, open_client
from proxy.store.eventlog import EventLog
from proxy.store.queries import LogContent, LogFilter, LogRecord, export, get, search
from proxy.store.settings import ContentMode, StoreSettings
from proxy.store.status import ErrorKind, StoreStatus
from proxy.store.timespec import parse_duration, parse_time

__all__ = [
    "AuditEntry",
    "ClientFactory",
    "ContentMode",
    "ErrorKind",
    "EventLog",
    "LogContent",
    "LogFilter",
    "LogRecord",
    "Reader",
    "StoreSettings",
    "StoreStatus",
    "export",
    "get",
    "open_client",
    "parse_duration",
    "parse_time",
    "record_audit",
    "search",
]
