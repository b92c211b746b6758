"""Child process for the rollup's kill -9 test: ``record`` events then go on recording
while steps close, or ``verify`` the rollup after a restart.

    python -m tests.store.rollup_child record WORKDIR  # prints "recorded N", goes on
    python -m tests.store.rollup_child verify WORKDIR  # prints the figures as JSON

Each child runs its own embedded engine under WORKDIR (one engine per process).
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from proxy.logs import configure_logging
from proxy.metrics import Metrics
from proxy.store import EventLog, StoreSettings, open_client
from tests.store.factories import make_event, wait_for
from tests.store.test_rollup import open_tail, per_minute

_DB = "rollup"


def _settings(workdir: Path) -> StoreSettings:
    return StoreSettings(
        url=f"chdb://{workdir / 'clickhouse'}",
        database=_DB,
        spool_dir=workdir / "spool",
        batch_size=20,
        flush_interval=0.02,
        rollup_step=1,
    )


def _record(log: EventLog, i: int) -> None:
    start = datetime.now(UTC) - timedelta(minutes=2)
    log.record(
        make_event(
            request_id=f"req_{i:06d}",
            ts=start + timedelta(seconds=i % 180),
            user=("alice", "bob", "carol")[i % 3],
            decision=("allow", "block", "redact")[i % 3],
        )
    )


def main(argv: list[str]) -> int:
    configure_logging("warning", stream=sys.stderr)  # stdout carries the protocol
    command, workdir = argv[0], Path(argv[1])
    settings = _settings(workdir)
    log = EventLog(settings, Metrics())
    log.start()
    if command == "record":
        i = 0
        # About three seconds of calls: the writer closes steps meanwhile.
        for _ in range(30):
            for _ in range(10):
                _record(log, i)
                i += 1
            time.sleep(0.1)
        sys.stdout.write(f"recorded {i}\n")
        sys.stdout.flush()
        while True:  # recording goes on until the kill
            _record(log, i)
            i += 1
            time.sleep(0.005)
    flushed = log.flush(60)
    client = open_client(settings)
    wait_for(lambda: open_tail(client, _DB) == 0, timeout=30)
    log.close(10)
    view, rows = per_minute(client, _DB)
    calls, unique = client.query(
        f"SELECT count(), uniqExact(request_id) FROM {_DB}.requests"
    ).result_rows[0]
    steps = client.query(f"SELECT uniqExact(step) FROM {_DB}.call_volume_1m_steps").result_rows
    client.close()
    result = {
        "flushed": flushed,
        "view": [list(map(str, row)) for row in view],
        "rows": [list(map(str, row)) for row in rows],
        "calls": calls,
        "unique": unique,
        "steps": steps[0][0],
    }
    sys.stdout.write(orjson.dumps(result).decode() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
