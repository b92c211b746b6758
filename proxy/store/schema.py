"""Applying the schema at start-up: versioned migrations and the configured retention.

``migrate`` is idempotent and safe to run at every start (and after every reconnect):
applied versions are recorded in ``schema_migrations`` and skipped; every statement is
``IF NOT EXISTS`` besides, so a half-applied migration completes on the next run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from clickhouse_connect.driver.client import Client

from proxy.store.migrations import MIGRATIONS, Migration
from proxy.store.settings import StoreSettings

#: Columns whose text expires after ``text_retention_days``.
TEXT_COLUMNS = ("prompt", "prompt_forwarded", "response")

_SCHEMA_MIGRATIONS = """
CREATE TABLE IF NOT EXISTS {db}.schema_migrations
(
    version UInt32,
    name String,
    checksum String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY version
"""

#: MergeTree settings every table of the embedded engine gets (:func:`tune_embedded`).
#: Measured in issue 9's soak (``bench/soak.py --probe``) and standalone:
#:
#: ``max_cleanup_delay_period``: outdated parts (the inputs of a merge, ~20 KiB of the
#: engine's memory each, plus their files) are removed by each table's cleanup thread,
#: which backs off from 30 s up to this bound while each round finds little to do. With
#: the default (300 s) and about one insert a second, hundreds of outdated parts per table
#: pile up between rounds: the memory and disk of the first minutes of every soak grew
#: that way. At 30 s a round runs every 30-40 s whatever it finds.
#:
#: ``concurrent_part_removal_threshold``: outdated parts are removed one after another.
#: From 100 at once (the default) ClickHouse fans the removal out on its parts-cleaning
#: pool, up to 128 threads, which then stay idle in the global thread pool for the life of
#: the process: about 125 threads more after the first large round (26 -> 154 threads
#: standalone with 400 small parts; 26 -> 26 with this setting). Removing a few hundred
#: small parts in one thread takes milliseconds.
EMBEDDED_TABLE_SETTINGS = {
    "max_cleanup_delay_period": 30,
    "concurrent_part_removal_threshold": 1_000_000,
}

# Metadata-only ALTERs: existing parts get the new TTL when they are next merged, rather
# than every part being rewritten during start-up.
_ALTER_SETTINGS = {"materialize_ttl_after_modify": 0}


@dataclass(frozen=True, slots=True)
class MigrationReport:
    """What ``migrate`` did: versions applied now, and versions found already applied."""

    applied: tuple[int, ...]
    already_applied: tuple[int, ...]


def checksum(migration: Migration) -> str:
    """SHA-256 of a migration's statement templates, recorded to spot edited migrations."""
    digest = hashlib.sha256()
    for statement in migration.statements:
        digest.update(statement.encode())
    return digest.hexdigest()


def render(statement: str, settings: StoreSettings) -> str:
    """Fill a statement template from settings (database and retention days)."""
    return statement.format(
        db=settings.database,
        retention_days=settings.retention_days,
        text_retention_days=settings.text_retention_days,
    )


def migrate(
    client: Client,
    settings: StoreSettings,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> MigrationReport:
    """Create the database and apply every migration not yet recorded, in version order."""
    db = settings.database
    client.command(f"CREATE DATABASE IF NOT EXISTS {db}")
    client.command(_SCHEMA_MIGRATIONS.format(db=db))
    versions = client.query(f"SELECT version FROM {db}.schema_migrations")  # noqa: S608
    done = {int(row[0]) for row in versions.result_rows}
    applied: list[int] = []
    for migration in sorted(migrations, key=lambda m: m.version):
        if migration.version in done:
            continue
        for statement in migration.statements:
            client.command(render(statement, settings))
        client.insert(
            f"{db}.schema_migrations",
            [[migration.version, migration.name, checksum(migration)]],
            column_names=["version", "name", "checksum"],
        )
        applied.append(migration.version)
    return MigrationReport(applied=tuple(applied), already_applied=tuple(sorted(done)))


def _ttl_days(expression: str, create_sql: str) -> int | None:
    """The days of ``<expression> + toIntervalDay(N)`` in a SHOW CREATE text, if present."""
    match = re.search(re.escape(expression) + r"\s*\+\s*toIntervalDay\((\d+)\)", create_sql)
    return int(match.group(1)) if match else None


def _column_ttl_days(column: str, create_sql: str) -> int | None:
    line = next((ln for ln in create_sql.splitlines() if ln.strip().startswith(f"`{column}` ")), "")
    return _ttl_days("toDateTime(ts)", line)


def _table_ttl_days(create_sql: str, expression: str) -> int | None:
    # SHOW CREATE puts each table clause on its own line: "TTL <expr> + toIntervalDay(N)".
    line = next((ln for ln in create_sql.splitlines() if ln.startswith("TTL ")), "")
    return _ttl_days(expression, line)


def _is_merge_tree(client: Client, database: str, table: str) -> bool:
    rows = client.query(
        "SELECT engine FROM system.tables WHERE database = {db:String} AND name = {t:String}",
        parameters={"db": database, "t": table},
    ).result_rows
    return bool(rows) and str(rows[0][0]).endswith("MergeTree")


def show_create(client: Client, table: str) -> str:
    """The ``SHOW CREATE TABLE`` text of a table, with real newlines."""
    text = client.command(f"SHOW CREATE TABLE {table}")
    return str(text).replace("\\n", "\n").replace("\\'", "'")


def apply_retention(client: Client, settings: StoreSettings) -> tuple[str, ...]:
    """Bring the tables' TTLs to the configured retention; return the ALTERs it ran.

    Run after ``migrate`` at every start. Tables whose TTL already matches are left alone,
    so an unchanged configuration issues no DDL.
    """
    db = settings.database
    days = settings.retention_days
    text_days = settings.text_retention_days
    statements: list[str] = []
    if not _is_merge_tree(client, db, "requests"):
        # A cluster's Distributed tables (deploy/clickhouse/cluster.sql): retention is set
        # on the replicated *_local tables, ON CLUSTER, by the operator.
        return ()
    requests_sql = show_create(client, f"{db}.requests")
    if _table_ttl_days(requests_sql, "toDateTime(ts)") != days:
        statements.append(
            f"ALTER TABLE {db}.requests MODIFY TTL toDateTime(ts) + INTERVAL {days} DAY"
        )
    for column in TEXT_COLUMNS:
        if _column_ttl_days(column, requests_sql) != text_days:
            statements.append(
                f"ALTER TABLE {db}.requests MODIFY COLUMN {column} "
                f"TTL toDateTime(ts) + INTERVAL {text_days} DAY"
            )
    for rollup in ("call_volume_1m_data", "call_volume_1m_steps"):
        if _table_ttl_days(show_create(client, f"{db}.{rollup}"), "minute") != days:
            statements.append(f"ALTER TABLE {db}.{rollup} MODIFY TTL minute + INTERVAL {days} DAY")
    for statement in statements:
        client.command(statement, settings=_ALTER_SETTINGS)
    return tuple(statements)


def tune_embedded(client: Client, settings: StoreSettings) -> tuple[str, ...]:
    """Give the embedded engine's MergeTree tables :data:`EMBEDDED_TABLE_SETTINGS`; return
    the ALTERs it ran (none when every table has them already, or for a server, whose
    resources are its operator's to tune)."""
    if not settings.embedded:
        return ()
    tables = client.query(
        "SELECT name, create_table_query FROM system.tables"
        " WHERE database = {db:String} AND engine LIKE '%MergeTree' ORDER BY name",
        parameters={"db": settings.database},
    ).result_rows
    wanted = [f"{name} = {value}" for name, value in EMBEDDED_TABLE_SETTINGS.items()]
    statements = [
        f"ALTER TABLE {settings.database}.{table} MODIFY SETTING {', '.join(wanted)}"
        for table, create_sql in tables
        if not all(setting in str(create_sql) for setting in wanted)
    ]
    for statement in statements:
        client.command(statement)
    return tuple(statements)
