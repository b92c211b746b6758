"""Child process for the kill -9 test: ``record`` events then hang, or ``verify`` them.

    python -m tests.store.crash_child record WORKDIR COUNT   # prints "recorded N", then waits
    python -m tests.store.crash_child verify WORKDIR         # prints {"rows": .., "unique": ..}

Each child runs its own embedded engine under WORKDIR (one engine per process).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import orjson

from proxy.logs import configure_logging
from proxy.metrics import Metrics
from proxy.store import EventLog, StoreSettings, open_client
from tests.store.factories import make_event


def _settings(workdir: Path) -> StoreSettings:
    return StoreSettings(
        url=f"chdb://{workdir / 'clickhouse'}",
        database="crash",
        spool_dir=workdir / "spool",
        batch_size=100,
        flush_interval=0.02,
    )


def main(argv: list[str]) -> int:
    configure_logging("warning", stream=sys.stderr)  # stdout carries the protocol
    command, workdir = argv[0], Path(argv[1])
    settings = _settings(workdir)
    log = EventLog(settings, Metrics())
    log.start()
    if command == "record":
        count = int(argv[2])
        for i in range(count):
            log.record(make_event(request_id=f"req_{i:06d}", prompt="x" * 2000))
        # Every record() has returned: from here on, a kill must not lose any of them.
        sys.stdout.write(f"recorded {count}\n")
        sys.stdout.flush()
        time.sleep(600)
        return 1
    backlog = log.status().spooled_rows
    flushed = log.flush(60)
    log.close(10)
    client = open_client(settings)
    rows, unique = client.query(
        "SELECT count(), uniqExact(request_id) FROM crash.requests"
    ).result_rows[0]
    client.close()
    sys.stdout.write(
        orjson.dumps(
            {"rows": rows, "unique": unique, "flushed": flushed, "backlog": backlog}
        ).decode()
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
