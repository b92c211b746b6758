"""How long a full garbage collection stops the proxy process, before and after what
start-up loaded is frozen (``gc.freeze()``, as ``proxy.server.serve`` does once listening).

The detection service is started as the proxy starts it (one worker; the shipped
detectors, spaCy included, loaded in process for inline scans), then a full collection is
timed three times, the objects are frozen, and it is timed again. Every call in flight
waits for a collection: this is a floor under the latency tail when one runs.

Then the pause of a young-generation collection holding N live objects (small dicts and
lists, as calls in flight hold), for N at CPython's default threshold (700) and at the
proxy's (``proxy.server.GC_YOUNG_THRESHOLD``): the longest pause a raised threshold adds.

Usage: .venv/bin/python bench/gc_pause.py [--tree DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time
from pathlib import Path


def timed_collection(generation: int = 2) -> float:
    """Milliseconds of one collection of ``generation`` (and the younger ones)."""
    started = time.perf_counter()
    gc.collect(generation)
    return (time.perf_counter() - started) * 1000


def young_pause(live: int) -> float:
    """Milliseconds of a young collection with ``live`` young objects alive (median of 5)."""
    pauses = []
    for _ in range(5):
        gc.collect()
        gc.disable()  # or they are collected, and promoted, while they are made
        held = [{"i": i, "v": [i]} for i in range(live // 2)]  # a dict and a list each
        pauses.append(timed_collection(0))
        gc.enable()
        del held
    return sorted(pauses)[2]


async def main() -> None:
    from detectors.service import ScanService  # noqa: PLC0415 - from the tree measured
    from detectors.settings import DetectorSettings  # noqa: PLC0415

    settings = DetectorSettings.model_validate({"service": {"workers": 1}})
    async with ScanService(settings) as service:
        await service.scan(["Card 4111 1111 1111 1111, thanks."], entities={"CREDIT_CARD"})
        print(f"{len(gc.get_objects()):,} objects tracked by the collector")
        before = [timed_collection() for _ in range(3)]
        gc.freeze()
        after = [timed_collection() for _ in range(3)]
        print("full collection, ms: " + " ".join(f"{ms:.1f}" for ms in before))
        print("after gc.freeze(), ms: " + " ".join(f"{ms:.1f}" for ms in after))
        try:
            from proxy.server import GC_YOUNG_THRESHOLD  # noqa: PLC0415
        except ImportError:  # a tree from before it
            GC_YOUNG_THRESHOLD = 700
        for live in sorted({700, GC_YOUNG_THRESHOLD}):
            print(f"young collection, {live:,} live young objects: {young_pause(live):.2f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1])
    arguments = parser.parse_args()
    sys.path.insert(0, str(arguments.tree))
    asyncio.run(main())
