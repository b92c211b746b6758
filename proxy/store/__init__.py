"""The event log store: every call recorded in ClickHouse, never blocking, never lost.

The request path hands events to :class:`EventLog` (spool + writer thread); incident
responders read them through :mod:`proxy.store.queries`. Module map, in the order an event
travels: ``settings`` → ``rows`` (content mode, encoding) → ``spool``/``journal`` (on disk)
→ ``feed`` (in memory) → ``writer`` (to ClickHouse; ``schema``/``migrations``) →
``queries``/``audit`` (reading back).

The names below are imported on first use (PEP 562): the configuration imports
``proxy.store.settings``, which runs this file, and a command that only reads settings must
not pay for clickhouse_connect, structlog and prometheus_client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from proxy.store.audit import AuditEntry, Reader, record_audit
    from proxy.store.client import ClientFactory, open_client
    from proxy.store.eventlog import EventLog
    from proxy.store.queries import LogContent, LogFilter, LogRecord, export, get, search
    from proxy.store.settings import ContentMode, StoreSettings
    from proxy.store.status import ErrorKind, StoreStatus
    from proxy.store.timespec import parse_duration, parse_time

#: Each exported name, and the module that defines it.
_HOMES = {
    "AuditEntry": "audit",
    "Reader": "audit",
    "record_audit": "audit",
    "ClientFactory": "client",
    "open_client": "client",
    "EventLog": "eventlog",
    "LogContent": "queries",
    "LogFilter": "queries",
    "LogRecord": "queries",
    "export": "queries",
    "get": "queries",
    "search": "queries",
    "ContentMode": "settings",
    "StoreSettings": "settings",
    "ErrorKind": "status",
    "StoreStatus": "status",
    "parse_duration": "timespec",
    "parse_time": "timespec",
}

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

# Outside TYPE_CHECKING: to mypy, a module ``__getattr__`` would type every misspelt name.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
        globals()[name] = value  # later reads skip this function
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})
