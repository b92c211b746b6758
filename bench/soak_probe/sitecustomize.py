"""A memory and thread probe for ``llm-proxy serve`` under ``bench/soak.py --probe``.

Not part of the proxy: the soak puts this directory on the proxy's ``PYTHONPATH``, so the
interpreter imports this module at start-up, before the proxy's own code. A daemon thread
then appends one JSON line every ``LLM_PROXY_PROBE_EVERY`` seconds to
``LLM_PROXY_PROBE_FILE``, telling apart where the process's memory is:

- ``rss_kib`` (anonymous and file-backed, and resident KiB per mapped file: the engine's
  code is a 555 MB library paged in as it is used), ``threads`` and thread names, from
  /proc;
- glibc malloc (``mallinfo2``): bytes in use and free in its arenas and in mmaps, which
  holds Python's objects and every native library *except* the embedded ClickHouse;
- ``py_blocks`` (``sys.getallocatedblocks``) and the count of live objects per type
  (``gc.get_objects``), the 40 most numerous;
- the embedded ClickHouse's own allocator (jemalloc, linked into chdb), its memory
  tracker, caches and thread pools, from ``system.jemalloc_stats`` and
  ``system.metrics``, through a client of its own on
  the proxy's engine path (``LLM_PROXY_PROBE_ENGINE``, opened once the proxy is up);
- with ``LLM_PROXY_PROBE_PURGE=1``: ``SYSTEM JEMALLOC PURGE`` before each sample;
- with ``LLM_PROXY_PROBE_TRACEMALLOC=N`` (frames): Python's traced bytes, and the 25
  allocation sites that grew most since the first sample after
  ``LLM_PROXY_PROBE_BASELINE`` seconds.
"""

from __future__ import annotations

import collections
import ctypes
import gc
import json
import os
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

_FILE = os.environ.get("LLM_PROXY_PROBE_FILE")
_EVERY = float(os.environ.get("LLM_PROXY_PROBE_EVERY", "10"))
_BASELINE = float(os.environ.get("LLM_PROXY_PROBE_BASELINE", "30"))
_ENGINE = os.environ.get("LLM_PROXY_PROBE_ENGINE", "./data/clickhouse")
#: Return the engine allocator's free pages to the system before each sample, so that its
#: "resident" is what it uses rather than what it keeps (this changes the process's RSS).
_PURGE = os.environ.get("LLM_PROXY_PROBE_PURGE") == "1"
#: Frames kept per traced allocation (0: tracemalloc off); more frames cost much more.
_TRACE = int(os.environ.get("LLM_PROXY_PROBE_TRACEMALLOC", "0"))
#: The embedded engine has no system.asynchronous_metrics: its current metrics, and the
#: summary line of its allocator's statistics.
_CH_METRICS = "SELECT metric, value FROM system.metrics WHERE value != 0"
_CH_JEMALLOC = "SELECT * FROM system.jemalloc_stats"
#: Parts per table: active, outdated, outdated still referenced, oldest outdated (s).
_CH_PARTS = (
    "SELECT table, countIf(active), countIf(NOT active), countIf(NOT active AND refcount > 2),"
    " dateDiff('second', minIf(remove_time, NOT active), now()) FROM system.parts"
    " GROUP BY table ORDER BY table"
)


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _mallinfo() -> dict[str, int]:
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _MallInfo2
    info = libc.mallinfo2()
    return {
        "arena_kib": info.arena // 1024,
        "mmap_kib": info.hblkhd // 1024,
        "in_use_kib": info.uordblks // 1024,
        "free_kib": info.fordblks // 1024,
    }


def _proc() -> dict[str, Any]:
    status = Path("/proc/self/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    names: collections.Counter[str] = collections.Counter()
    for comm in Path("/proc/self/task").glob("*/comm"):
        try:
            names[comm.read_text().strip()] += 1
        except OSError:
            continue
    return {
        "rss_kib": int(fields["VmRSS"].split()[0]),
        "rss_anon_kib": int(fields["RssAnon"].split()[0]),
        "rss_file_kib": int(fields["RssFile"].split()[0]),
        "rss_by_file_kib": _rss_by_file(),
        "threads": int(fields["Threads"]),
        "thread_names": dict(names.most_common()),
    }


def _rss_by_file() -> dict[str, int]:
    """Resident KiB per mapped file (the 10 largest): code paged in is not a leak."""
    sizes: collections.Counter[str] = collections.Counter()
    name = ""
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            head = line.split(maxsplit=6)
            if "-" in head[0] and ":" not in head[0]:
                name = Path(head[5]).name if len(head) > 5 else "[anon]"
            elif head[0] == "Rss:":
                sizes[name] += int(head[1])
    return dict(sizes.most_common(10))


def _types() -> dict[str, int]:
    counts: collections.Counter[str] = collections.Counter(
        type(obj).__qualname__ for obj in gc.get_objects()
    )
    return dict(counts.most_common(40))


class _Probe:
    def __init__(self) -> None:
        self.began = time.monotonic()
        self.client: Any = None
        self.baseline: tracemalloc.Snapshot | None = None

    def clickhouse(self) -> dict[str, float | list[int]]:
        if self.client is None:
            if time.monotonic() - self.began < _BASELINE / 2:
                return {}
            # Imported late: this module runs at every interpreter start-up.
            import clickhouse_connect  # noqa: PLC0415

            self.client = clickhouse_connect.get_client(interface="chdb", path=_ENGINE)
        if _PURGE:
            self.client.command("SYSTEM JEMALLOC PURGE")
        row: dict[str, float | list[int]] = {
            str(k): float(v) for k, v in self.client.query(_CH_METRICS).result_rows
        }
        text = str(self.client.query(_CH_JEMALLOC).result_rows[0][0])
        summary = next(line for line in text.splitlines() if line.startswith("Allocated:"))
        for part in summary.split(", "):  # "Allocated: 32753600, active: ..., resident: ..."
            name, _, value = part.partition(": ")
            if value.isdigit():
                row[f"jemalloc.{name.lower()}"] = float(value)
        for table, active, outdated, held, oldest in self.client.query(_CH_PARTS).result_rows:
            row[f"parts.{table}"] = [int(active), int(outdated), int(held), int(oldest)]
        return row

    def traces(self) -> list[str]:
        if not _TRACE or time.monotonic() - self.began < _BASELINE:
            return []
        snapshot = tracemalloc.take_snapshot().filter_traces(
            (tracemalloc.Filter(False, tracemalloc.__file__),)
        )
        if self.baseline is None:
            self.baseline = snapshot
            return []
        top = snapshot.compare_to(self.baseline, "traceback" if _TRACE > 1 else "lineno")[:25]
        return [
            f"{s.size_diff // 1024:+} KiB {s.count_diff:+} blocks: "
            + " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in s.traceback)
            for s in top
        ]

    def sample(self) -> dict[str, Any]:
        row: dict[str, Any] = {"t": round(time.monotonic() - self.began, 1)}
        row.update(_proc())
        row["malloc"] = _mallinfo()
        row["py_blocks"] = sys.getallocatedblocks()
        row["types"] = _types()
        try:
            row["clickhouse"] = self.clickhouse()
        except Exception as exc:  # the engine may not be open yet
            row["clickhouse_error"] = type(exc).__name__
        row["tracemalloc"] = self.traces()
        if _TRACE:
            row["py_traced_kib"] = tracemalloc.get_traced_memory()[0] // 1024
        return row

    def run(self) -> None:
        assert _FILE is not None
        while True:
            time.sleep(_EVERY)
            line = json.dumps(self.sample())
            with open(_FILE, "a") as out:
                out.write(line + "\n")


def _main_only() -> bool:
    # Only the proxy itself, not its detector workers or the CLI.
    return len(sys.argv) > 1 and sys.argv[1] == "serve"


if _FILE and _main_only():
    if _TRACE:
        tracemalloc.start(_TRACE)
    threading.Thread(target=_Probe().run, name="soak-probe", daemon=True).start()
