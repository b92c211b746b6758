"""Builders for call events and store helpers shared by the store tests."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from clickhouse_connect.driver.client import Client

from proxy.call.events import CallEvent
from proxy.metrics import Metrics
from proxy.store import StoreSettings, open_client

_BASE = CallEvent(
    request_id="",
    ts=datetime(2026, 1, 1, tzinfo=UTC),
    user="alice",
    team="security",
    app="notebook",
    key_id="vk_alice",
    client_ip="10.1.2.3",
    method="POST",
    endpoint="/v1/chat/completions",
    provider="openai",
    model="gpt-4o",
    upstream_model="gpt-4o-2024-08-06",
    stream=False,
    status_code=200,
    upstream_status=200,
    decision="allow",
    prompt='{"messages":[{"role":"user","content":"hello"}]}',
    response="Hi! How can I help?",
    prompt_tokens=12,
    completion_tokens=7,
    latency_ms=420.5,
    ttfb_ms=150.25,
)


def make_event(**changes: Any) -> CallEvent:
    """A plausible chat completion event with a fresh request id, plus ``changes``."""
    changes.setdefault("request_id", f"req_{uuid.uuid4().hex}")
    changes.setdefault("ts", datetime.now(UTC))
    return replace(_BASE, **changes)


def count_rows(client: Client, database: str, where: str = "1") -> int:
    """Rows in ``database.requests`` matching a (test-authored) condition."""
    sql = f"SELECT count() FROM {database}.requests WHERE {where}"
    return int(client.query(sql).result_rows[0][0])


def request_ids(client: Client, database: str) -> list[str]:
    """All request ids in ``database.requests``, duplicates included, sorted."""
    sql = f"SELECT request_id FROM {database}.requests ORDER BY request_id"
    return [row[0] for row in client.query(sql).result_rows]


def closed_port() -> int:
    """A loopback TCP port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SwitchableStore:
    """A client factory for a store that is down (a refused loopback port) until ``up``."""

    def __init__(self, *, up: bool = False) -> None:
        self.up = up
        self.attempts = 0
        self._down_url = f"http://127.0.0.1:{closed_port()}"

    def __call__(self, settings: StoreSettings) -> Client:
        self.attempts += 1
        if self.up:
            return open_client(settings)
        return open_client(settings.model_copy(update={"url": self._down_url, "timeout": 1.0}))


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll until ``condition()`` holds; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(0.01)


def sample(metrics: Metrics, name: str, **labels: str) -> float:
    """Current value of a metric sample (0 when it has not been touched)."""
    value = metrics.registry.get_sample_value(name, labels or None)
    return value or 0.0
