"""How long a full garbage collection stops the proxy process, before and after what
start-up loaded is frozen (``gc.freeze()``, as ``proxy.server.serve`` does once listening).

The detection service is started as the proxy starts it (one worker; the shipped
detectors, spaCy included, loaded in process for inline scans), then a full collection is
timed three times, the objects are frozen, and it is timed again. Every call in flight
waits for a collection: this is a floor under the latency tail when one runs.

Usage: .venv/bin/python bench/gc_pause.py [--tree DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time
from pathlib import Path


def timed_collection() -> float:
    """Milliseconds of one full collection."""
    started = time.perf_counter()
    gc.collect()
    return (time.perf_counter() - started) * 1000


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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1])
    arguments = parser.parse_args()
    sys.path.insert(0, str(arguments.tree))
    asyncio.run(main())
