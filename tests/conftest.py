"""Suite-wide fixtures: the one embedded ClickHouse engine of the test process.

A process can hold only one embedded-engine (chdb) path at a time, so every test that
needs ClickHouse shares this session's engine directory and isolates itself by database
name (``store_database``), never by opening an engine of its own.
"""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(scope="session")
def clickhouse_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """``chdb://`` URL of the session's embedded engine directory."""
    return f"chdb://{tmp_path_factory.mktemp('clickhouse')}"


@pytest.fixture
def store_database() -> str:
    """A database name no other test uses."""
    return f"test_{uuid.uuid4().hex[:12]}"
