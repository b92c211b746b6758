"""What each insert format costs the proxy process per row (not a test).

The writer sends the spooled JSON lines as they are (``JSONEachRow``): no copy, no
conversion, the engine parses them. Any other format has to be made from the rows first.
For each format this measures, on proxy-like rows (``bench/ingest_stages.py``'s events),
the CPU of the whole process per row for making the format from what the writer has (the
lines; or the row dicts, as if the feed kept them) plus the engine's insert of it into a
``Null`` copy of ``requests`` (parse only, nothing stored), and checks that every format
round-trips each column exactly through a real ``requests`` table.

    .venv/bin/python bench/ingest_formats.py [--batches 20] [--batch 1500] [--repeats 3]
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
from clickhouse_connect.driver.client import Client
from ingest_stages import events  # this script's own folder, first on sys.path

from proxy.store import StoreSettings, open_client
from proxy.store.rows import INSERT_SETTINGS, build_row, encode_row
from proxy.store.schema import migrate
from proxy.store.settings import ContentMode

_SETTINGS = {k: v for k, v in INSERT_SETTINGS.items() if k != "insert_distributed_sync"}


def _columns(client: Client, table: str, names: list[str]) -> list[tuple[str, str]]:
    rows = client.query(f"DESCRIBE TABLE {table}").result_rows
    types = {row[0]: row[1] for row in rows}
    return [(name, types[name]) for name in names]


def _arrow_schema(columns: list[tuple[str, str]]) -> pa.Schema:
    def arrow_type(ch: str) -> pa.DataType:
        inner = ch.removeprefix("LowCardinality(").removesuffix(")") if "Low" in ch else ch
        if ch.startswith("Array("):
            return pa.list_(pa.string())
        if ch.startswith("Map("):
            return pa.map_(pa.string(), pa.uint32())
        if ch.startswith("DateTime64"):
            return pa.timestamp("ms", tz="UTC")
        if ch.startswith("Nullable(Float64"):
            return pa.float64()
        return {
            "String": pa.string(),
            "Bool": pa.bool_(),
            "UInt16": pa.uint16(),
            "UInt32": pa.uint32(),
            "Float32": pa.float32(),
            "Float64": pa.float64(),
        }[inner]

    return pa.schema([pa.field(name, arrow_type(ch)) for name, ch in columns])


def _arrow_bytes(rows: list[dict[str, Any]], schema: pa.Schema) -> bytes:
    table = pa.Table.from_pylist(rows, schema=schema)
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _timed(work: Callable[[], object], rows: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best / rows * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--batch", type=int, default=1500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sample = events(args.batch * args.batches)
    dicts = [build_row(e, ContentMode.FULL) for e in sample]
    lines = [encode_row(r) for r in dicts]
    names = list(dicts[0])
    with tempfile.TemporaryDirectory(prefix="ingest-formats-") as tmp:
        root = Path(tmp)
        settings = StoreSettings(url=f"chdb://{root / 'ch'}", database="f", spool_dir=root / "s")
        client = open_client(settings)
        migrate(client, settings)
        client.command("CREATE TABLE f.sink AS f.requests ENGINE = Null")
        columns = _columns(client, "f.requests", names)
        schema = _arrow_schema(columns)
        n = len(lines)
        batches = range(0, n, args.batch)

        def json_each_row(table: str) -> None:
            for i in batches:
                body = b"\n".join(lines[i : i + args.batch])
                client.raw_insert(table, None, body, settings=_SETTINGS, fmt="JSONEachRow")

        def arrow_insert(table: str, chunk: list[dict[str, Any]]) -> None:
            rows = [_for_arrow(r) for r in chunk]
            body = _arrow_bytes(rows, schema)
            client.raw_insert(table, names, body, settings=_SETTINGS, fmt="ArrowStream")

        def arrow_from_dicts(table: str) -> None:
            for i in batches:
                arrow_insert(table, dicts[i : i + args.batch])

        def arrow_from_lines(table: str) -> None:
            for i in batches:
                arrow_insert(table, [orjson.loads(line) for line in lines[i : i + args.batch]])

        def native_from_dicts(table: str) -> None:
            for i in batches:
                data = [[r[c] for c in names] for r in dicts[i : i + args.batch]]
                data = [[*row[:2], _dt(row[2]), *row[3:]] for row in data]
                client.insert(table, data, column_names=names, settings=_SETTINGS)

        formats: dict[str, Callable[[str], None]] = {
            "JSONEachRow (the spooled lines)": json_each_row,
            "ArrowStream from row dicts": arrow_from_dicts,
            "ArrowStream from the lines": arrow_from_lines,
            "Native (clickhouse-connect) from dicts": native_from_dicts,
        }
        print(f"{n} rows in inserts of {args.batch}, load {os.getloadavg()[0]:.1f}")
        print("CPU us per row, conversion + insert into a Null table (least of repeats):")
        for name, insert in formats.items():
            cost = _timed(functools.partial(insert, "f.sink"), n, args.repeats)
            print(f"  {name:>40}: {cost:6.1f}")
        print("round trip through f.requests (every column read back equal to JSONEachRow's):")
        reference: Sequence[Sequence[Any]] | None = None
        for name, insert in formats.items():
            client.command("TRUNCATE TABLE f.requests")
            insert("f.requests")
            got = client.query(
                f"SELECT {', '.join(names)} FROM f.requests ORDER BY request_id"  # noqa: S608
            ).result_rows
            reference = reference or got
            print(f"  {name:>40}: {'equal' if got == reference else 'DIFFERENT'}")
        client.close()


def _for_arrow(row: dict[str, Any]) -> dict[str, Any]:
    ts = int(datetime.fromisoformat(row["ts"]).timestamp() * 1000)
    return {**row, "ts": ts, "entity_counts": list(row["entity_counts"].items())}


def _dt(ts: str) -> datetime:
    return datetime.fromisoformat(ts)


if __name__ == "__main__":
    main()
