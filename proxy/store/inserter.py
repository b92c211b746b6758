"""The writer's connection to ClickHouse: a small pool of clients running inserts.

The embedded engine serialises the calls of one client and has no async client, so
concurrent inserts need one client each, driven from threads. ``connect`` opens the pool
and brings the schema up to date (migrations, retention); ``submit`` runs one insert on a
free client and returns its future.
"""

from __future__ import annotations

import queue
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from clickhouse_connect.driver.client import Client
from structlog.typing import FilteringBoundLogger

from proxy.store.client import ClientFactory
from proxy.store.rows import INSERT_SETTINGS
from proxy.store.schema import MigrationReport, apply_retention, migrate
from proxy.store.settings import StoreSettings
from proxy.store.spool import Batch


class Inserter:
    """Runs up to ``concurrency`` inserts at once, one client per insert."""

    def __init__(
        self,
        settings: StoreSettings,
        *,
        client_factory: ClientFactory,
        log: FilteringBoundLogger,
    ) -> None:
        self._settings = settings
        self._factory = client_factory
        self._log = log
        self._table = f"{settings.database}.requests"
        self._concurrency = settings.insert_concurrency
        self._clients: list[Client] = []
        self._idle: queue.SimpleQueue[Client] = queue.SimpleQueue()
        self._pool = ThreadPoolExecutor(self._concurrency, thread_name_prefix="event-log-insert")

    @property
    def connected(self) -> bool:
        return bool(self._clients)

    def connect(self) -> tuple[MigrationReport, tuple[str, ...]]:
        """Open the clients, apply migrations and retention. Raises on failure (and then
        holds no client)."""
        self.disconnect()
        clients: list[Client] = []
        try:
            for _ in range(self._concurrency):
                clients.append(self._factory(self._settings))
            report = migrate(clients[0], self._settings)
            altered = apply_retention(clients[0], self._settings)
        except BaseException:
            for client in clients:
                self._close(client)
            raise
        self._clients = clients
        for client in clients:
            self._idle.put(client)
        return report, altered

    def disconnect(self) -> None:
        """Close every client. Only call with no insert running."""
        for client in self._clients:
            self._close(client)
        self._clients = []
        self._idle = queue.SimpleQueue()

    def submit(self, batch: Batch) -> Future[None]:
        """Start inserting a batch; the future fails with the insert's error."""
        return self._pool.submit(self._insert, batch)

    def shutdown(self) -> None:
        """Wait for running inserts, then close the clients and the threads."""
        self._pool.shutdown(wait=True)
        self.disconnect()

    def _insert(self, batch: Batch) -> None:
        client = self._idle.get()
        settings: dict[str, Any] = {**INSERT_SETTINGS, "insert_deduplication_token": batch.token}
        try:
            client.raw_insert(
                self._table, None, b"\n".join(batch.payloads), settings=settings, fmt="JSONEachRow"
            )
        finally:
            self._idle.put(client)

    def _close(self, client: Client) -> None:
        try:
            client.close()
        except Exception as exc:  # a broken client may fail to close; nothing else to do
            self._log.debug("store_client_close_failed", error_type=type(exc).__name__)
