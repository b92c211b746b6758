"""A proxy's embedded store, seeded or read in a process of its own.

A process holds one embedded engine path at a time, and the test process may already hold
the session's, so tests that drive a real ``llm-proxy serve`` reach the proxy's own store
through this module run as a subprocess:

    python -m tests.proxy.store_process seed CONFIG ROWS
    python -m tests.proxy.store_process audit CONFIG     # audit_log rows as JSON lines

Only while no proxy holds the store (the engine allows one process per data directory).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from proxy.config.settings import load_settings
from proxy.store import open_client
from proxy.store.rows import INSERT_SETTINGS, encode_event
from proxy.store.schema import migrate
from proxy.store.settings import ContentMode
from tests.store.factories import make_event

ROOT = Path(__file__).resolve().parents[2]
#: Characters of each seeded prompt: enough that an export is megabytes, not kilobytes.
PROMPT_CHARS = 2000


def seed(config: Path, rows: int) -> None:
    """Apply the migrations and insert ``rows`` calls of the last hour, oldest first."""
    store = load_settings(config, environ={}).store
    client = open_client(store)
    try:
        migrate(client, store)
        start = datetime.now(UTC) - timedelta(hours=1)
        events = (
            make_event(
                ts=start + timedelta(milliseconds=index),
                prompt=f"seeded call {index} " + "x" * PROMPT_CHARS,
            )
            for index in range(rows)
        )
        body = b"\n".join(encode_event(event, ContentMode.FULL) for event in events)
        client.raw_insert(
            f"{store.database}.requests", None, body, settings=INSERT_SETTINGS, fmt="JSONEachRow"
        )
    finally:
        client.close()


def audit_rows(config: Path) -> list[dict[str, Any]]:
    """Every ``audit_log`` row, oldest first."""
    store = load_settings(config, environ={}).store
    client = open_client(store)
    try:
        result = client.query(
            "SELECT action, via, actor, include_content, request_ids "
            f"FROM {store.database}.audit_log ORDER BY ts"
        )
        return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]
    finally:
        client.close()


def run(*argv: str, timeout: float = 60.0) -> str:
    """Run this module with ``argv`` in a subprocess; its stdout (fails on a non-zero exit)."""
    done = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "tests.proxy.store_process", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def main(argv: list[str]) -> int:
    command, config = argv[0], Path(argv[1])
    if command == "seed":
        seed(config, int(argv[2]))
    else:
        for row in audit_rows(config):
            print(json.dumps(row, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
