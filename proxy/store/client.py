"""Opening a clickhouse-connect client for the store URL.

``chdb://PATH`` opens the embedded engine through clickhouse-connect's chdb backend; the
path is everything after ``chdb://`` (``chdb://./data/clickhouse`` is relative, and
``chdb:///var/lib/x`` absolute), which is why the URL is not handed to clickhouse-connect's
own DSN parser (it would read ``./data`` as host ``.`` and database ``data``).

Facts about the embedded engine that shape the callers: one process per data directory,
one engine path per process at a time (a second path raises ``ProgrammingError`` until
every client of the first is closed), any number of clients on the same path, no async
client. Each client serialises its own calls, so the writer thread and query handlers use
separate clients.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import clickhouse_connect
from clickhouse_connect.driver.client import Client

from proxy.datadir import ensure_private_dir, restrict_umask, secure_tree
from proxy.store.settings import StoreSettings

#: Opens a client for the store; injected so tests and tools can substitute their own.
ClientFactory = Callable[[StoreSettings], Client]

#: Written in the engine's directory once every file under it was narrowed to its owner.
PRIVATE_MARK = ".llm-proxy-private"

#: Server settings of the embedded engine, given by the first client that opens a path (a
#: later client's are ignored). ``memory_worker_period_ms``: chDB's memory worker reads the
#: cgroup's memory files to correct the engine's memory tracker against the process's RSS
#: (the tracker counts every allocation itself between ticks). Left at 0 the engine picks
#: the period; here it took ~2.1 ms of CPU a second with no call at all, about 105 us a tick
#: every 50 ms, the largest part of an idle proxy's CPU (bench/cpu_by_thread.py, h143).
#: Every 100 ms halves that (1.1 ms a second), which a store of small, steady inserts
#: does not miss.
EMBEDDED_OPTIONS: dict[str, str] = {"memory_worker_period_ms": "100"}


def open_client(settings: StoreSettings) -> Client:
    """Open a client for ``settings.url``; no default database is selected.

    Statements use qualified names (``db.table``), so the client works before the database
    exists (migrations create it). Raises clickhouse-connect's errors when the server is
    unreachable; their messages do not include the password.
    """
    if settings.embedded:
        # SECURITY: the engine's files hold every logged prompt (issue 9): owner-only,
        # including those it creates later from its own threads.
        restrict_umask()
        secure_engine_dir(Path(settings.embedded_path))
        return clickhouse_connect.get_client(
            interface="chdb", path=settings.embedded_path, chdb_options=EMBEDDED_OPTIONS
        )
    parts = urlsplit(settings.url)
    return clickhouse_connect.get_client(
        interface=parts.scheme,
        host=parts.hostname,
        port=parts.port or (8443 if parts.scheme == "https" else 8123),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else "",
        connect_timeout=settings.timeout,
        send_receive_timeout=settings.timeout,
        # The writer thread and query handlers share nothing, and a shared session id
        # would make the server reject concurrent statements ("session is locked").
        autogenerate_session_id=False,
    )


def secure_engine_dir(path: Path) -> None:
    """Make the engine's directory 0700 (at every open), and narrow every file and directory
    under it the first time (what an older version left 0644/0755), then mark it done.

    Walking the whole tree at every open cost ~25 ms of CPU (~80-100 ms wall) at 2,600 files,
    on every CLI command and every client the proxy opens. Once walked, the tree stays
    private: every process of ours that writes in it sets the 0077 umask first (above), and
    no other user can reach it through the 0700 directory, which is checked at every open.
    """
    ensure_private_dir(path)
    mark = path / PRIVATE_MARK
    if mark.exists():
        return
    secure_tree(path)
    fd = os.open(mark, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
