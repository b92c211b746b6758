"""A regex-only scan (no NER entity in scope) of a small text: worker round trip or in-process?

Stream output scans under the default policy are small (a channel's pending text plus the
last released characters) and need no NER. This compares, on fresh texts (no cache hits),
the wall time and the CPU time (this process plus the worker processes, from /proc) of one
``ScanService.scan`` through the worker pool with the same detectors run in this process,
inline and in a thread; and checks the findings are the same.

Usage: .venv/bin/python bench/inline_scan.py [--calls 300] [--chars 120 400 2000]
       [--prose | --digits]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.scanning import Finding
from detectors.pii_scope import wanted_types
from detectors.registry import default_detectors
from detectors.scanplan import ScanRequest, execute
from detectors.service import ScanService
from detectors.settings import DetectorSettings

#: No NER type among them: the scan runs the pattern detectors only.
ENTITIES = ("CREDIT_CARD", "IBAN_CODE", "US_SSN", "EMAIL_ADDRESS", "OPENAI_API_KEY")
SAMPLE = (
    "The quarterly report shows revenue up 4% and churn down; send questions to "
    "ops@example.com or call 4111 1111 1111 1111 never. Key sk-proj-aB3dE5fG7hJ9kL1mN3pQ "
)
PROSE = (
    "The migration plan moves the billing service first, then the reporting jobs, and "
    "the team reviews the dashboards every morning until the new path has served a week. "
)
#: Prose whose words carry digits (versions, counts, times): no finding, but every number
#: is a phone-number candidate for the matcher.
DIGITS = (
    "Release v2 ships 14 fixes; build 20240115 passed 3 of 4 stages at 09:30 and the "
    "team moved 12 services in 2 weeks, with 40 dashboards and 7 alerts still to port. "
)
_TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu() -> float:
    """CPU seconds of this process and all its children (the worker processes)."""
    total, pending = 0.0, [os.getpid()]
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _TICKS
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


def texts(chars: int, calls: int, tag: str, sample: str) -> list[str]:
    body = (sample * (chars // len(sample) + 1))[: chars - 12]
    return [f"{tag}{i:06d} {body}" for i in range(calls)]


async def timed(
    name: str, scan: Callable[[str], Awaitable[list[Finding]]], batch: list[str]
) -> list[list[Finding]]:
    walls, found = [], []
    cpu = tree_cpu()
    for text in batch:
        started = time.perf_counter()
        found.append(await scan(text))
        walls.append(time.perf_counter() - started)
    cpu_ms = (tree_cpu() - cpu) * 1000 / len(batch)
    p50, p99 = statistics.median(walls) * 1000, sorted(walls)[int(len(walls) * 0.99)] * 1000
    print(f"  {name:16} wall p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  CPU {cpu_ms:5.2f} ms/scan")
    return found


async def main(calls: int, sizes: list[int], sample: str) -> None:
    settings = DetectorSettings.model_validate({"service": {"workers": 1}})
    local = default_detectors(settings)
    wanted = wanted_types(settings.pii.entities, ENTITIES)
    async with ScanService(settings) as service:

        async def pool(text: str) -> list[Finding]:
            return (await service.scan([text], entities=ENTITIES))[0]

        async def inline(text: str) -> list[Finding]:
            return execute(local, ScanRequest((text,), entities=wanted))[0]

        async def thread(text: str) -> list[Finding]:
            request = ScanRequest((text,), entities=wanted)
            return (await asyncio.to_thread(execute, local, request))[0]

        for chars in sizes:
            print(f"{chars}-character texts, {calls} fresh texts each:")
            await pool("warm up " * 4)
            results = [
                await timed(name, scan, texts(chars, calls, name[:2], sample))
                for name, scan in (("worker process", pool), ("inline", inline), ("thread", thread))
            ]
            spans = [[[(f.entity_type, f.start, f.end) for f in r] for r in rs] for rs in results]
            print(f"  same findings on all paths: {spans[0] == spans[1] == spans[2]}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--chars", type=int, nargs="+", default=[120, 400, 2000, 8000])
    texts_of = parser.add_mutually_exclusive_group()
    texts_of.add_argument("--prose", action="store_true", help="texts without findings")
    texts_of.add_argument("--digits", action="store_true", help="prose with numbers, no finding")
    arguments = parser.parse_args()
    sample = PROSE if arguments.prose else DIGITS if arguments.digits else SAMPLE
    asyncio.run(main(arguments.calls, arguments.chars, sample))
