"""What one event costs the proxy process in the event log, stage by stage (not a test).

Python stages, in this process on one thread (CPU time per event): building the row,
encoding it, ``record()`` as a whole (row + encode + spool append + queue), the hash
chain's row proof computed in the insert thread, and the writer thread's own Python per
row (batches off the feed, the insert's bytes, the batch proof and its chain link). Then
the embedded engine (chdb://), per schema variant, each in its own database of one engine:
batches of ``--batch`` proxy-like rows (1 KB prompts, short answers, varied text)
inserted back to back the way the writer does it, CPU of the whole process during the
inserts, and after them the CPU of background merges until the engine is idle, both per
event; plus the bytes on disk per event.

Variants: the schema as migrated (``current``), then one change each: no skip indexes, no
``call_volume_1m`` view, LZ4 instead of ZSTD(1) on the text columns.

``--paced RATE`` instead records events at RATE per second for ``--seconds`` through a real
``EventLog`` (spool, feed, writer, chain, engine) and prints the process's CPU per event,
background merges included, for each ``--flush-interval`` given. With the writer's rollup of
``call_volume_1m`` (migration 9), steps are ``--rollup-step`` seconds (15 by default: four
times as many steps as the default 60, so that a run of ``--seconds 45`` closes two or three
of them, and the figure over-states the rollup's share rather than leaving it out); the
steps closed are printed.

    .venv/bin/python bench/ingest_stages.py [--batches 20] [--batch 1500] [--repeats 2]
    .venv/bin/python bench/ingest_stages.py --paced 1000 --seconds 15 --flush-interval 1,3
    .venv/bin/python bench/ingest_stages.py --python-only   # the Python stages alone
"""

from __future__ import annotations

import argparse
import os
import random
import string
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from clickhouse_connect.driver.client import Client

from proxy.call.events import CallEvent
from proxy.metrics import Metrics
from proxy.store import EventLog, StoreSettings, open_client
from proxy.store.chain import BatchProof, ChainHead, prove_payload
from proxy.store.feed import Feed
from proxy.store.rows import INSERT_SETTINGS, build_row, encode_proved, encode_row
from proxy.store.schema import migrate, tune_embedded
from proxy.store.settings import ContentMode
from proxy.store.spool import Spool


def _text(rng: random.Random, words: list[str], size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(words)
        parts.append(word)
        length += len(word) + 1
    return " ".join(parts)[:size]


def events(count: int, seed: int = 7) -> list[CallEvent]:
    """Proxy-like events: a 1 KB chat body, a ~200 character answer, varied words."""
    rng = random.Random(seed)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(3000)]
    now = datetime.now(UTC)
    out = []
    for i in range(count):
        content = _text(rng, words, 960)
        prompt = f'{{"model":"gpt-4o-mini","messages":[{{"role":"user","content":"{content}"}}]}}'
        out.append(
            CallEvent(
                request_id=str(uuid.uuid4()),
                ts=now,
                user="",
                team="",
                app="",
                key_id=f"fp_{i % 40:08x}",
                client_ip="127.0.0.1",
                method="POST",
                endpoint="/v1/chat/completions",
                provider="openai",
                model="gpt-4o-mini",
                upstream_model="gpt-4o-mini",
                stream=i % 2 == 0,
                status_code=200,
                upstream_status=200,
                decision="allow",
                prompt=prompt,
                response=_text(rng, words, 200),
                prompt_tokens=230,
                completion_tokens=40,
                latency_ms=2.5,
                ttfb_ms=1.2,
            )
        )
    return out


def per_event_us(work: Callable[[], object], count: int, repeats: int = 3) -> float:
    """Least CPU time of ``repeats`` runs of ``work`` (which handles ``count`` events)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best / count * 1e6


def python_stages(sample: list[CallEvent], workdir: Path) -> dict[str, float]:
    """CPU µs per event of the Python-side stages."""
    mode = ContentMode.FULL
    rows = [build_row(e, mode) for e in sample]
    payloads = [encode_row(r) for r in rows]
    n = len(sample)
    out = {
        "row build": per_event_us(lambda: [build_row(e, mode) for e in sample], n),
        "JSON encode": per_event_us(lambda: [encode_row(r) for r in rows], n),
        "row proof from the line": per_event_us(lambda: BatchProof.of(payloads), n),
        "encode + proof from line": per_event_us(
            lambda: [prove_payload(encode_row(build_row(e, mode))) for e in sample], n
        ),
        "encode_proved (row once)": per_event_us(
            lambda: [encode_proved(e, mode) for e in sample], n
        ),
    }
    # record(): row + encode + spool append + queue, against a store that is never reached
    # (the writer only retries connecting), so nothing else runs on the CPU meanwhile.
    settings = StoreSettings(
        url="http://127.0.0.1:9",
        spool_dir=workdir / "spool",
        retry_backoff_max=60.0,
        queue_max=len(sample) * 4,
    )
    log = EventLog(settings, Metrics())
    log.start()

    def record_all() -> None:
        for event in sample:
            log.record(event)

    out["record() total"] = per_event_us(record_all, n)
    log.close(timeout=0.1)
    return out


def _batch_proof(proofs: list[Any]) -> BatchProof:
    """``BatchProof.of_proofs``, or what a tree from before it did in its place."""
    of_proofs = getattr(BatchProof, "of_proofs", None)
    if of_proofs is not None:
        proof: BatchProof = of_proofs(proofs)
        return proof
    stamps = [ts_ms for _, ts_ms in proofs]
    return BatchProof(tuple(row for row, _ in proofs), min(stamps), max(stamps))


def writer_side(sample: list[CallEvent], workdir: Path, batch_rows: int, repeats: int = 3) -> float:
    """CPU us per event of the writer thread's own Python, the engine left out: batches
    taken off a live feed (rows pushed with their proofs, as ``record()`` does), their bytes
    joined for the insert, the batch's proof from its rows' proofs, its chain link and the
    link's row. Least of ``repeats`` runs, each over a fresh spool and feed."""
    rows = [encode_proved(e, ContentMode.FULL) for e in sample]
    best = float("inf")
    for run in range(repeats):
        spool = Spool(workdir / f"writer-side-{run}", max_bytes=1 << 40, segment_bytes=1 << 40)
        spool.open()
        feed = Feed(
            spool,
            max_items=len(rows) + 1,
            max_bytes=1 << 40,
            batch_rows=batch_rows,
            batch_bytes=1 << 40,
        )
        cursor = spool.live_end()
        feed.go_live(cursor)
        for row in rows:
            feed.push(row.payload, (row.proof, row.ts_ms))
        head = ChainHead("w-bench")
        started = time.process_time()
        while True:
            taken = feed.take(cursor, wait=0)
            if not taken.records:
                break
            assert taken.proofs is not None
            batch = spool.batch(taken.records)
            b"\n".join(batch.payloads)
            link = head.extend(batch.token, _batch_proof(taken.proofs))
            orjson.dumps(link.to_row())
            head.advance(link)
            cursor = batch.end
        best = min(best, time.process_time() - started)
        spool.close()
    return best / len(rows) * 1e6


# -- the engine ---------------------------------------------------------------------------


def _merges_running(client: Client, database: str) -> int:
    rows = client.query(
        "SELECT count() FROM system.merges WHERE database = {d:String}", parameters={"d": database}
    ).result_rows
    return int(rows[0][0])


def _parts_bytes(client: Client, database: str) -> int:
    rows = client.query(
        "SELECT sum(bytes_on_disk) FROM system.parts WHERE database = {d:String} AND active",
        parameters={"d": database},
    ).result_rows
    return int(rows[0][0] or 0)


def _variant_schema(client: Client, settings: StoreSettings, variant: str) -> None:
    migrate(client, settings)
    tune_embedded(client, settings)
    db = settings.database
    if variant == "no skip indexes":
        for index in ("idx_request_id", "idx_entity_types", "idx_ts"):
            client.command(f"ALTER TABLE {db}.requests DROP INDEX {index}")
    elif variant == "no view":
        client.command(f"DROP VIEW {db}.call_volume_1m")
    elif variant == "LZ4 text":
        for column in ("prompt", "prompt_forwarded", "response"):
            client.command(f"ALTER TABLE {db}.requests MODIFY COLUMN {column} CODEC(LZ4)")


def _insert_json(client: Client, table: str, payloads: list[bytes], token: str) -> None:
    client.raw_insert(
        table,
        None,
        b"\n".join(payloads),
        settings={**INSERT_SETTINGS, "insert_deduplication_token": token},
        fmt="JSONEachRow",
    )


def engine_variant(
    client: Client, root: Path, variant: str, batches: list[list[bytes]], index: int
) -> dict[str, float]:
    """Insert ``batches`` into a fresh database with the variant's schema."""
    database = f"v{index}"
    settings = StoreSettings(url=f"chdb://{root}", database=database, spool_dir=root / "spool")
    _variant_schema(client, settings, variant)
    table = f"{database}.requests"
    count = sum(len(b) for b in batches)
    started = time.process_time()
    for number, batch in enumerate(batches):
        _insert_json(client, table, batch, f"{database}-{number}")
    inserted = time.process_time()
    deadline = time.monotonic() + 120
    idle_since = time.monotonic()
    while time.monotonic() < deadline:
        if _merges_running(client, database):
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since > 1.5:
            break
        time.sleep(0.1)
    settled = time.process_time()
    return {
        "insert us/event": (inserted - started) / count * 1e6,
        "merges us/event": (settled - inserted) / count * 1e6,
        "bytes/event": _parts_bytes(client, database) / count,
    }


# -- paced, end to end ----------------------------------------------------------------------


def paced(
    sample: list[CallEvent], rate: float, seconds: float, root: Path, variant: str, **store: Any
) -> dict[str, float]:
    """Record events at ``rate`` per second for ``seconds`` through a real ``EventLog``
    (spool, writer, chain, engine) and return the process CPU per event, merges included
    (measured until the engine is idle again)."""
    settings = StoreSettings(
        url=f"chdb://{root / 'ch'}", database="paced", spool_dir=root / "spool", **store
    )
    log = EventLog(settings, Metrics())
    log.start()
    client = open_client(settings)
    if variant != "current":
        _variant_schema(client, settings, variant)
    count = int(rate * seconds)
    step = 50
    cpu0 = time.process_time()
    started = time.monotonic()
    for first in range(0, count, step):
        due = started + first / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        for event in sample[first % len(sample) : first % len(sample) + step]:
            log.record(event)
    log.flush(timeout=120)
    recorded = time.process_time()
    idle_since = time.monotonic()
    deadline = time.monotonic() + 120
    while time.monotonic() - idle_since < 1.5 and time.monotonic() < deadline:
        if _merges_running(client, settings.database):
            idle_since = time.monotonic()
        time.sleep(0.1)
    settled = time.process_time()
    rows = int(client.query("SELECT count() FROM paced.requests").result_rows[0][0])
    steps = _rollup_steps(client)
    client.close()
    log.close(timeout=30)
    return {
        "events": float(count),
        "rows": float(rows),
        "cpu us/event": (recorded - cpu0) / count * 1e6,
        "+merges us/event": (settled - cpu0) / count * 1e6,
        "rollup steps": float(steps),
    }


def _rollup_steps(client: Client) -> int:
    """Steps the writer's rollup closed (0 with the materialized view)."""
    tables = client.query(
        "SELECT count() FROM system.tables WHERE database = 'paced'"
        " AND name = 'call_volume_1m_steps'"
    ).result_rows
    if not tables[0][0]:
        return 0
    sql = "SELECT uniqExact(step) FROM paced.call_volume_1m_steps"
    return int(client.query(sql).result_rows[0][0])


VARIANTS = ("current", "no skip indexes", "no view", "LZ4 text")


def paced_runs(
    rate: float, seconds: float, intervals: str, repeats: int, store: dict[str, Any]
) -> None:
    """``paced`` for each flush interval, alternating, ``repeats`` times."""
    sample = events(int(rate * seconds))
    print(f"paced, {rate:.0f} events/s for {seconds:.0f} s, load {os.getloadavg()[0]:.1f}:")
    for _ in range(repeats):
        for interval in intervals.split(","):
            with tempfile.TemporaryDirectory(prefix="ingest-paced-") as tmp:
                result = paced(
                    sample,
                    rate,
                    seconds,
                    Path(tmp),
                    "current",
                    flush_interval=float(interval),
                    **store,
                )
            shown = "  ".join(f"{k} {v:.1f}" for k, v in result.items())
            print(f"  flush_interval {interval} s: {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--batch", type=int, default=1500, help="rows per insert")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--paced", type=float, default=0.0, help="events/s through EventLog")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--flush-interval", default="1", help="comma-separated, with --paced")
    parser.add_argument("--rollup-step", type=int, default=15, help="seconds, with --paced")
    parser.add_argument("--python-only", action="store_true", help="no engine stages")
    args = parser.parse_args()
    if args.paced:
        store = (
            {"rollup_step": args.rollup_step} if "rollup_step" in StoreSettings.model_fields else {}
        )
        paced_runs(args.paced, args.seconds, args.flush_interval, args.repeats, store)
        return
    sample = events(args.batch * args.batches)
    payloads = [encode_row(build_row(e, ContentMode.FULL)) for e in sample]
    batches = [payloads[i : i + args.batch] for i in range(0, len(payloads), args.batch)]
    with tempfile.TemporaryDirectory(prefix="ingest-stages-") as tmp:
        root = Path(tmp)
        print("python stages, CPU us per event:")
        for name, value in python_stages(sample[:5000], root).items():
            print(f"  {name:>22}: {value:7.1f}")
        writer = writer_side(sample[: args.batch * 10], root, args.batch)
        print(f"  {'writer thread':>22}: {writer:7.1f}  (batches, joins, proofs, chain links)")
        if args.python_only:
            return
        settings = StoreSettings(url=f"chdb://{root / 'ch'}", spool_dir=root / "spool")
        client = open_client(settings)
        wanted = args.variants.split(",")
        results: dict[str, list[dict[str, float]]] = {v: [] for v in wanted}
        index = 0
        for _ in range(args.repeats):
            for variant in wanted:
                index += 1
                run = engine_variant(client, root / "ch", variant, batches, index)
                results[variant].append(run)
        client.close()
    print(f"engine, {args.batches} inserts of {args.batch} rows, least of {args.repeats} runs:")
    for variant, runs in results.items():
        best: dict[str, Any] = {k: min(r[k] for r in runs) for k in runs[0]}
        shown = "  ".join(f"{k} {v:7.1f}" for k, v in best.items())
        print(f"  {variant:>16}: {shown}")


if __name__ == "__main__":
    main()
