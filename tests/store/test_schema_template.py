"""The tests' copy of the migrated schema (``migrated_database``) is what migrating gives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clickhouse_connect.driver.client import Client

from proxy.store import StoreSettings
from proxy.store.migrations import MIGRATIONS
from proxy.store.schema import apply_retention, migrate, tune_embedded


def objects(client: Client, database: str) -> dict[str, str]:
    """Each table and view of ``database`` and its CREATE statement, written as if the
    database were called ``db``."""
    rows = client.query(
        "SELECT name, create_table_query FROM system.tables WHERE database = {db:String}",
        parameters={"db": database},
    ).result_rows
    return {str(name): str(create).replace(f"{database}.", "db.") for name, create in rows}


def contents(client: Client, database: str) -> dict[str, Sequence[Sequence[Any]]]:
    """The rows the migrations write, less the time each version was applied."""
    return {
        "schema_migrations": client.query(
            f"SELECT version, name, checksum FROM {database}.schema_migrations ORDER BY version"
        ).result_rows,
        "call_volume_1m_rolled_up_to": client.query(
            f"SELECT upto FROM {database}.call_volume_1m_rolled_up_to"
        ).result_rows,
    }


def test_a_copied_database_equals_a_migrated_one(
    client: Client, store_settings: StoreSettings, migrated_database: str
) -> None:
    """The copy has every table and view of a database migrated from empty, with the same
    statements (columns, engines, TTLs, settings) and the same rows, and a writer starting
    on it has nothing left to migrate, alter or tune."""
    fresh = store_settings.model_copy(update={"database": f"{store_settings.database}_fresh"})
    try:
        migrate(client, fresh)
        apply_retention(client, fresh)
        tune_embedded(client, fresh)
        assert objects(client, migrated_database) == objects(client, fresh.database)
        assert contents(client, migrated_database) == contents(client, fresh.database)
        assert len(contents(client, migrated_database)["schema_migrations"]) == len(MIGRATIONS)

        copy = store_settings.model_copy(update={"database": migrated_database})
        report = migrate(client, copy)
        assert report.applied == ()
        assert report.already_applied == tuple(m.version for m in MIGRATIONS)
        assert apply_retention(client, copy) == ()
        assert tune_embedded(client, copy) == ()
    finally:
        client.command(f"DROP DATABASE IF EXISTS {fresh.database} SYNC")
