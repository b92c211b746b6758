"""Fixtures for the dashboard tests: one seeded database per module on the session engine."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(scope="module")
def store_database() -> str:
    """A database name no other test uses, shared by the module so it is seeded once."""
    return f"test_{uuid.uuid4().hex[:12]}"
