"""The cluster DDL carries every later migration (an ALTER) ON CLUSTER and records it.

tests/store/test_cluster_ddl.py compares the CREATE statements; a migration that alters an
existing table must also reach every shard's ``*_local`` table and its Distributed table,
or a proxy on a cluster writes columns that only one server has.
"""

from __future__ import annotations

import re

from proxy.store.migrations import MIGRATIONS
from tests.store.test_cluster_ddl import CLUSTER_SQL

_ADD_COLUMN = re.compile(
    r"ALTER TABLE \{db\}\.(?P<table>\w+) ADD COLUMN IF NOT EXISTS (?P<column>.+)", re.S
)


#: Single-node table → its Distributed name on the cluster, where the two differ.
CLUSTER_NAMES = {"call_volume_1m_data": "call_volume_1m"}


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_added_column_is_added_on_the_cluster() -> None:
    """Each ADD COLUMN migration appears ON CLUSTER for the local and the Distributed table."""
    cluster = _normalised(CLUSTER_SQL.read_text())
    added = [
        match
        for migration in MIGRATIONS
        for statement in migration.statements
        if (match := _ADD_COLUMN.search(_normalised(statement)))
    ]
    assert added, "no migration adds a column: this test checks nothing"
    for match in added:
        # The rollup's single-node target table is call_volume_1m (Distributed) over
        # call_volume_1m_local on a cluster.
        name = CLUSTER_NAMES.get(match["table"], match["table"])
        for table in (f"{name}_local", name):
            expected = (
                f"ALTER TABLE llm_proxy.{table} ON CLUSTER '{{cluster}}' "
                f"ADD COLUMN IF NOT EXISTS {match['column']};"
            )
            assert expected in cluster


def test_every_migration_is_recorded_as_applied() -> None:
    """The cluster file marks every migration applied, so no proxy applies one on its own."""
    text = CLUSTER_SQL.read_text()
    recorded = re.findall(r"\((\d+), '([^']+)', 'cluster\.sql'\)", text)
    assert [(int(v), name) for v, name in recorded] == [(m.version, m.name) for m in MIGRATIONS]
