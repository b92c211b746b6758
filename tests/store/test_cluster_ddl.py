"""The cluster DDL stays in step with the single-node migrations."""

from __future__ import annotations

import re
from pathlib import Path

from clickhouse_connect.driver.client import Client

from proxy.store.migrations import MIGRATIONS

CLUSTER_SQL = Path(__file__).resolve().parents[2] / "deploy" / "clickhouse" / "cluster.sql"


def _columns(create_statement: str) -> list[str]:
    """Column and index definitions of a CREATE TABLE, whitespace-normalised."""
    body = create_statement.split("(", 1)[1].rsplit("\n)", 1)[0]
    text = re.sub(r"\s+", " ", body)
    return [part.strip() for part in re.split(r",(?![^()]*\))", text) if part.strip()]


def _cluster_table(name: str) -> str:
    text = CLUSTER_SQL.read_text()
    start = text.index(f"CREATE TABLE IF NOT EXISTS llm_proxy.{name} ON CLUSTER")
    return text[start : text.index("ENGINE", start)]


def _migration_table(name: str) -> str:
    for migration in MIGRATIONS:
        for statement in migration.statements:
            if f"CREATE TABLE IF NOT EXISTS {{db}}.{name}\n" in statement:
                return statement[: statement.index("ENGINE")].format(
                    db="llm_proxy", retention_days=365, text_retention_days=30
                )
    raise AssertionError(f"no migration creates {name}")


def test_requests_columns_match() -> None:
    """requests_local has exactly the columns, codecs, TTLs and indexes of requests."""
    assert _columns(_cluster_table("requests_local")) == _columns(_migration_table("requests"))


def test_call_volume_columns_match() -> None:
    """call_volume_1m_local has the columns of the single-node view's target."""
    assert _columns(_cluster_table("call_volume_1m_local")) == _columns(
        _migration_table("call_volume_1m_data")
    )


def test_audit_log_columns_match() -> None:
    """audit_log_local has the columns of audit_log."""
    assert _columns(_cluster_table("audit_log_local")) == _columns(_migration_table("audit_log"))


def test_log_chain_columns_match() -> None:
    """log_chain_local has the columns of log_chain."""
    assert _columns(_cluster_table("log_chain_local")) == _columns(_migration_table("log_chain"))


def test_every_statement_runs_on_the_cluster() -> None:
    """Each DDL statement of the cluster file carries ON CLUSTER."""
    text = CLUSTER_SQL.read_text()
    statements = [
        s for s in re.split(r";\s*\n", text) if re.search(r"^\s*(CREATE|ALTER|DROP)", s, re.M)
    ]
    assert sum(bool(re.search(r"^\s*CREATE", s, re.M)) for s in statements) == 14
    assert all("ON CLUSTER '{cluster}'" in s for s in statements)
    assert "ReplicatedReplacingMergeTree" in text
    assert "ENGINE = Distributed" in text


def test_every_statement_parses_on_the_engine(client: Client) -> None:
    """ClickHouse's own parser accepts each statement (no cluster here to run them on)."""
    text = re.sub(r"^--.*$", "", CLUSTER_SQL.read_text(), flags=re.M)
    statements = [s.strip() for s in text.split(";") if s.strip()]
    for statement in statements:
        client.query(f"EXPLAIN AST {statement}")


def test_config_history_columns_match() -> None:
    """config_history_local has the columns of config_history."""
    assert _columns(_cluster_table("config_history_local")) == _columns(
        _migration_table("config_history")
    )
