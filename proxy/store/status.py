"""What the event log reports about itself: for ``/readyz``, the admin API and logs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clickhouse_connect.driver.exceptions import Error, OperationalError


class ErrorKind(StrEnum):
    """Why the last store operation failed, coarse enough to alert and branch on."""

    UNREACHABLE = "unreachable"  # could not connect, or the connection broke
    REJECTED = "rejected"  # ClickHouse answered with an error (schema, parse, quota, ...)
    SPOOL_FULL = "spool_full"  # the spool reached spool_max_bytes; events were dropped
    SPOOL_IO = "spool_io"  # reading, writing or syncing the spool failed
    INTERNAL = "internal"  # a bug: anything else


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """A failure described without its message: ClickHouse messages may quote row data
    (prompt text), so only the kind, the exception type and the server's code go to logs."""

    kind: ErrorKind
    type: str
    code: int | None = None
    name: str | None = None


def classify(exc: BaseException) -> ErrorInfo:
    """Describe an exception raised while talking to the store or the spool."""
    kind_name = type(exc).__name__
    if isinstance(exc, OperationalError):
        return ErrorInfo(ErrorKind.UNREACHABLE, kind_name, exc.code, exc.name)
    if isinstance(exc, Error):
        return ErrorInfo(ErrorKind.REJECTED, kind_name, exc.code, exc.name)
    if isinstance(exc, ConnectionError | TimeoutError):
        return ErrorInfo(ErrorKind.UNREACHABLE, kind_name)
    if isinstance(exc, OSError):
        return ErrorInfo(ErrorKind.SPOOL_IO, kind_name, exc.errno)
    return ErrorInfo(ErrorKind.INTERNAL, kind_name)


@dataclass(frozen=True, slots=True)
class StoreStatus:
    """A snapshot of the event log pipeline."""

    #: The writer holds a working connection (its last connect or insert succeeded).
    reachable: bool
    #: Events in memory waiting for the writer.
    queue_depth: int
    #: Events on disk not yet committed to ClickHouse (includes the queued ones).
    spooled_rows: int
    spool_bytes: int
    #: What ``accepting()`` answers now: False only under ``on_overflow: refuse``.
    accepting: bool
    #: The spool can take more events (not full, last write did not fail).
    spool_writable: bool
    last_error: ErrorKind | None

    @property
    def ready(self) -> bool:
        """Events are being stored or safely spooled: what ``/readyz`` needs."""
        return self.reachable or self.spool_writable
