"""Event log ingestion benchmark (not a test): sustained rate into the embedded engine.

Records ``--events`` calls with 2 KB prompts and 2 KB responses through ``EventLog`` as fast
as one producer thread can (optionally paced with ``--rate``), waits until every one is
committed, and counts the rows in ClickHouse (no loss, no duplicates). Reports:

- sustained ingestion: events / (first record() .. last row committed), in events/s;
- record() cost on the hot path (what the proxy pays per call): median and p99, in µs.

Targets (DESIGN/issue 3, 2-core machine): >= 20,000 events/s, <= 50 µs median.

    .venv/bin/python bench/ingest.py [--events 200000] [--batch-size N] [--concurrency N] [--json]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from proxy.call.events import CallEvent
from proxy.metrics import Metrics
from proxy.store import EventLog, StoreSettings, open_client

TARGET_RATE = 20_000.0
TARGET_MEDIAN_US = 50.0
TEXT_BYTES = 2048


def _texts(count: int, rng: random.Random) -> list[str]:
    """Distinct ~2 KB texts of word-like tokens (compressible like real prose, not zeros)."""
    words = [
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 10))) for _ in range(4000)
    ]
    out = []
    for _ in range(count):
        parts: list[str] = []
        size = 0
        while size < TEXT_BYTES:
            word = rng.choice(words)
            parts.append(word)
            size += len(word) + 1
        out.append(" ".join(parts)[:TEXT_BYTES])
    return out


def _events(count: int, rng: random.Random) -> list[CallEvent]:
    prompts = _texts(512, rng)
    responses = _texts(512, rng)
    now = datetime.now(UTC)
    return [
        CallEvent(
            request_id=str(uuid.uuid4()),
            ts=now,
            user=f"user{i % 200}",
            team=f"team{i % 12}",
            app="bench",
            key_id=f"vk_{i % 300}",
            client_ip="10.0.0.1",
            method="POST",
            endpoint="/v1/chat/completions",
            provider="openai",
            model=rng.choice(("gpt-4o", "gpt-4o-mini", "o3")),
            upstream_model="gpt-4o",
            stream=i % 3 == 0,
            status_code=200,
            upstream_status=200,
            decision=rng.choice(("allow", "allow", "allow", "flag", "redact")),
            rules=("pii-default",),
            entity_types=("EMAIL_ADDRESS",) if i % 5 == 0 else (),
            entity_counts={"EMAIL_ADDRESS": 1} if i % 5 == 0 else {},
            prompt=rng.choice(prompts),
            response=rng.choice(responses),
            prompt_tokens=512,
            completion_tokens=480,
            latency_ms=850.0,
            ttfb_ms=120.0,
        )
        for i in range(count)
    ]


def run(events: int, rate: float, workdir: Path, **store: Any) -> dict[str, float]:
    """Record ``events`` through an EventLog configured with ``store`` settings."""
    rng = random.Random(7)
    batch = _events(events, rng)
    settings = StoreSettings(
        url=f"chdb://{workdir / 'clickhouse'}",
        database="bench",
        spool_dir=workdir / "spool",
        **store,
    )
    log = EventLog(settings, Metrics())
    log.start()
    costs: list[int] = []
    interval = 1.0 / rate if rate else 0.0
    clock = time.perf_counter_ns
    cpu_started = time.process_time()
    started = time.perf_counter()
    for i, event in enumerate(batch):
        if interval:
            while time.perf_counter() - started < i * interval:
                pass
        t0 = clock()
        log.record(event)
        costs.append(clock() - t0)
    produced = time.perf_counter() - started
    flushed = log.flush(timeout=600)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    log.close(timeout=60)
    client = open_client(settings)
    rows, unique = client.query(
        "SELECT count(), uniqExact(request_id) FROM bench.requests"
    ).result_rows[0]
    client.close()
    costs_us = sorted(c / 1000 for c in costs)
    return {
        "events": events,
        "rows": int(rows),
        "unique_request_ids": int(unique),
        "flushed": float(flushed),
        "produce_seconds": round(produced, 3),
        "total_seconds": round(elapsed, 3),
        "events_per_second": round(events / elapsed),
        "rate_vs_target": round(events / elapsed / TARGET_RATE, 2),
        "record_median_us": round(statistics.median(costs_us), 1),
        "record_p99_us": round(costs_us[int(len(costs_us) * 0.99)], 1),
        "median_vs_target": round(statistics.median(costs_us) / TARGET_MEDIAN_US, 2),
        # CPU of this process (producer, writer, engine inserts and merges) per event, and
        # how many cores it got: on a shared machine the rate follows the cores it is given.
        "cpu_us_per_event": round(cpu / events * 1e6, 1),
        "cores_used": round(cpu / elapsed, 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    defaults = StoreSettings()
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--batch-max-bytes", type=int, default=defaults.batch_max_bytes)
    parser.add_argument("--flush-interval", type=float, default=defaults.flush_interval)
    parser.add_argument(
        "--concurrency", type=int, default=defaults.insert_concurrency, help="inserts in flight"
    )
    parser.add_argument("--rate", type=float, default=0.0, help="pace record() (events/s)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="llm-proxy-bench-") as tmp:
        result = run(
            args.events,
            args.rate,
            Path(tmp),
            batch_size=args.batch_size,
            batch_max_bytes=args.batch_max_bytes,
            flush_interval=args.flush_interval,
            insert_concurrency=args.concurrency,
        )
    if args.json:
        print(orjson.dumps(result).decode())
    else:
        for key, value in result.items():
            print(f"{key:>20}: {value}")
    lost = result["events"] - result["rows"]
    return 0 if lost == 0 and result["rows"] == result["unique_request_ids"] else 1


if __name__ == "__main__":
    sys.exit(main())
