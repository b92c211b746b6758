"""The writer's connection to ClickHouse: a small pool of clients running inserts.

The embedded engine serialises the calls of one client and has no async client, so
concurrent inserts need one client each, driven from threads. ``connect`` opens the pool
and brings the schema up to date (migrations, retention, the embedded engine's table
settings); ``submit`` runs one insert on a free client and returns its future, whose
result is the batch's row proofs for the hash chain: made as the rows were built when the
batch came from the in-memory feed, else computed from its bytes in the insert's thread
(a batch read back from the spool or sent again). One more client inserts the chain's links
(:mod:`proxy.store.chain`), one at a time, from the writer thread, and closes the steps of
the ``call_volume_1m`` rollup (:mod:`proxy.store.rollup`).
"""

from __future__ import annotations

import queue
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import orjson
from clickhouse_connect.driver.client import Client
from structlog.typing import FilteringBoundLogger

from proxy.store.chain import BatchProof, ChainHead, Link, load_writer_id
from proxy.store.client import ClientFactory
from proxy.store.feed import Proof
from proxy.store.rollup import Rollup
from proxy.store.rows import INSERT_SETTINGS
from proxy.store.schema import MigrationReport, apply_retention, migrate, tune_embedded
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
        self._chain_table = f"{settings.database}.log_chain"
        self._concurrency = settings.insert_concurrency
        self._clients: list[Client] = []
        self._chain_client: Client | None = None
        self._writer_id = ""
        self._rollup = Rollup(settings)
        self._rolls_up = False
        self._idle: queue.SimpleQueue[Client] = queue.SimpleQueue()
        self._pool = ThreadPoolExecutor(self._concurrency, thread_name_prefix="event-log-insert")

    @property
    def connected(self) -> bool:
        return bool(self._clients)

    def connect(self) -> tuple[MigrationReport, tuple[str, ...], ChainHead]:
        """Open the clients, apply migrations and retention, read this writer's chain
        head. Raises on failure (and then holds no client)."""
        self.disconnect()
        clients: list[Client] = []
        try:
            for _ in range(self._concurrency + 1):
                clients.append(self._factory(self._settings))
            report = migrate(clients[0], self._settings)
            altered = apply_retention(clients[0], self._settings)
            tune_embedded(clients[0], self._settings)
            if not self._writer_id:
                self._writer_id = load_writer_id(self._settings.spool_dir)
            head = read_head(clients[0], self._settings.database, self._writer_id)
            self._rolls_up = self._rollup.prepare(clients[0])
        except BaseException:
            for client in clients:
                self._close(client)
            raise
        self._chain_client = clients.pop()
        self._clients = clients
        for client in clients:
            self._idle.put(client)
        return report, altered, head

    def insert_link(self, link: Link) -> None:
        """Insert one chain link (on the writer thread); raises the insert's error."""
        assert self._chain_client is not None, "insert_link() before connect()"
        settings: dict[str, Any] = {
            **INSERT_SETTINGS,
            "insert_deduplication_token": f"{link.token}:chain",
        }
        self._chain_client.raw_insert(
            self._chain_table,
            None,
            orjson.dumps(link.to_row()),
            settings=settings,
            fmt="JSONEachRow",
        )

    def roll_up(self) -> int:
        """Close the rollup's finished steps (on the writer thread, with no insert running);
        return how many. Raises the engine's error."""
        if not self._rolls_up or self._chain_client is None:
            return 0
        return self._rollup.advance(self._chain_client)

    def disconnect(self) -> None:
        """Close every client. Only call with no insert running."""
        for client in self._clients:
            self._close(client)
        if self._chain_client is not None:
            self._close(self._chain_client)
            self._chain_client = None
        self._clients = []
        self._idle = queue.SimpleQueue()

    def submit(self, batch: Batch, proofs: Sequence[Proof] | None = None) -> Future[BatchProof]:
        """Start inserting a batch; the future fails with the insert's error, else holds
        the batch's row proofs: ``proofs`` when given (made as the rows were built), else
        computed from the batch's bytes."""
        return self._pool.submit(self._insert, batch, proofs)

    def shutdown(self) -> None:
        """Wait for running inserts, then close the clients and the threads."""
        self._pool.shutdown(wait=True)
        self.disconnect()

    def _insert(self, batch: Batch, proofs: Sequence[Proof] | None) -> BatchProof:
        client = self._idle.get()
        settings: dict[str, Any] = {**INSERT_SETTINGS, "insert_deduplication_token": batch.token}
        try:
            client.raw_insert(
                self._table, None, b"\n".join(batch.payloads), settings=settings, fmt="JSONEachRow"
            )
        finally:
            self._idle.put(client)
        if proofs is None:
            return BatchProof.of(batch.payloads)
        return BatchProof.of_proofs(proofs)

    def _close(self, client: Client) -> None:
        try:
            client.close()
        except Exception as exc:  # a broken client may fail to close; nothing else to do
            self._log.debug("store_client_close_failed", error_type=type(exc).__name__)


def read_head(client: Client, database: str, writer_id: str) -> ChainHead:
    """A writer's last link in ``log_chain`` (seq 0 and no hash when it has none)."""
    rows = client.query(
        f"SELECT seq, hash, token FROM {database}.log_chain "  # noqa: S608
        "WHERE writer_id = {w:String} ORDER BY seq DESC LIMIT 1",
        parameters={"w": writer_id},
    ).result_rows
    if not rows:
        return ChainHead(writer_id)
    seq, digest, token = rows[0]
    return ChainHead(writer_id, int(seq), str(digest), str(token))
