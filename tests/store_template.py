"""The store's whole schema, migrated once per test session and copied into each test's database.

Migrating a new database runs some twenty DDL statements, several of them ALTERs (about
0.4 s of an idle machine, seconds under load), and most store and event-log tests want
only what the migrations leave behind. :class:`SchemaTemplate` migrates one template
database with the store's own code (:func:`proxy.store.schema.migrate`, then the
retention and engine settings a writer applies at start), and :meth:`SchemaTemplate.copy_to`
recreates its tables and views from their ``CREATE`` statements under another name and
copies the rows the migrations wrote (the applied versions, the rollup's first step).

A test about migrating itself (versions applied, upgrades from an older schema) keeps
starting from an empty database. ``tests/store/test_schema_template.py`` holds the copy to
what migrating an empty database gives.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from clickhouse_connect.driver.client import Client

from proxy.store import StoreSettings, open_client
from proxy.store.schema import apply_retention, migrate, tune_embedded

#: The store a test's ``store_database`` fixture named (engine URL, database), kept on the
#: test's item: the one database the test owns, to copy the schema into or drop.
TEST_DATABASE = pytest.StashKey[StoreSettings]()

_OBJECTS = """
SELECT name, engine, create_table_query, total_rows FROM system.tables
WHERE database = {db:String}
ORDER BY engine LIKE '%View', name
"""


@dataclass(frozen=True, slots=True)
class SchemaTemplate:
    """A database holding the migrated schema, and what it takes to copy it."""

    database: str
    #: ``CREATE`` statements of its tables, then of its views, naming the template.
    creates: tuple[str, ...]
    #: Tables the migrations wrote rows into.
    filled: tuple[str, ...]

    @classmethod
    def build(cls, client: Client, settings: StoreSettings) -> SchemaTemplate:
        """Migrate ``settings.database`` as a writer does at start and read it back."""
        migrate(client, settings)
        apply_retention(client, settings)
        tune_embedded(client, settings)
        rows = client.query(_OBJECTS, parameters={"db": settings.database}).result_rows
        return cls(
            database=settings.database,
            creates=tuple(str(create) for _, _, create, _ in rows),
            filled=tuple(str(name) for name, _, _, count in rows if count),
        )

    def copy_to(self, client: Client, database: str) -> None:
        """Create ``database`` holding the template's tables, views and rows."""
        client.command(f"CREATE DATABASE {database}")
        for create in self.creates:
            client.command(create.replace(f"{self.database}.", f"{database}."))
        for table in self.filled:
            client.command(f"INSERT INTO {database}.{table} SELECT * FROM {self.database}.{table}")


def exists(settings: StoreSettings) -> bool:
    """Whether the embedded engine of ``settings`` holds its database (read on disk, no client)."""
    return (Path(settings.embedded_path) / "metadata" / f"{settings.database}.sql").exists()


def copy_into(template: SchemaTemplate, settings: StoreSettings) -> None:
    """Create ``settings.database`` as a copy of ``template``, opening a client for it."""
    client = open_client(settings)
    try:
        template.copy_to(client, settings.database)
    finally:
        client.close()


def drop(settings: StoreSettings) -> None:
    """Drop ``settings.database``, opening a client for it."""
    client = open_client(settings)
    try:
        client.command(f"DROP DATABASE IF EXISTS {settings.database} SYNC")
    finally:
        client.close()


def template_name() -> str:
    """A database name unlike any test's (the copy replaces ``<name>.`` in statements)."""
    return f"schema_template_{uuid.uuid4().hex[:12]}"
