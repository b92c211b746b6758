"""CPU of a request's inspection when a chat resends its history, against another tree.

Chat clients resend the whole conversation on every turn; each message's scan is cached,
so what a turn still pays for on the proxy's side is what runs over the whole history: the
walk that extracts the texts, the cache look-ups, the boundary windows between messages (a
secret split over two messages). This times, in process, the default policy's inspection of
a chat of 1, 20 and 50 messages and of its answer, every scan a cache hit (as on every turn
but for its new message), and the extraction alone; ``--tree DIR`` imports the proxy from
another source tree (``git archive COMMIT | tar -x -C DIR``) so the two run alternately in
one sitting, each in its own process. CPU time (every thread: boundary scans may run in
one), best of ``--blocks`` timed blocks.

Usage: .venv/bin/python bench/inspect_history.py [--tree DIR] [--rounds 2] [--blocks 7]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1, 20, 50)


def chat_body(messages: int) -> dict[str, Any]:
    """A chat of ``messages`` turns of ordinary prose (no findings)."""
    return {
        "model": "gpt-4o-mini",
        "messages": [
            {
                "role": "user" if i % 2 == 0 else "assistant",
                "content": f"Message {i}: please summarise the notes on the migration timeline "
                f"and the budget review for the steering committee, item {i}.",
            }
            for i in range(messages)
        ],
    }


ANSWER = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Here is the summary of the notes."},
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
}


def _best(run: Any, repeat: int, blocks: int) -> float:
    """Least CPU microseconds per ``run()`` over ``blocks`` blocks of ``repeat`` runs."""
    best = float("inf")
    for _ in range(blocks):
        started = time.process_time()
        for _ in range(repeat):
            run()
        best = min(best, (time.process_time() - started) / repeat * 1e6)
    return best


async def measure(blocks: int) -> dict[str, float]:
    """Figures of the tree on ``sys.path``: name -> CPU microseconds."""
    from core.apis import Api  # noqa: PLC0415 - from the tree measured
    from detectors.service import ScanService  # noqa: PLC0415
    from detectors.settings import DetectorSettings  # noqa: PLC0415
    from policies.inspector import PolicyInspector  # noqa: PLC0415
    from policies.loader import shipped_pack  # noqa: PLC0415
    from tests.policies.factories import call_info  # noqa: PLC0415
    from wire.apis.registry import WIRE_APIS  # noqa: PLC0415

    figures: dict[str, float] = {}
    settings = DetectorSettings.model_validate({"service": {"workers": 0}})
    async with ScanService(settings) as service:
        inspector = PolicyInspector(shipped_pack("default"), service)
        info = call_info(Api.CHAT)
        gc.collect()
        gc.freeze()  # as ``serve`` does once the proxy listens
        for size in SIZES:
            body = chat_body(size)

            async def inspect(body: dict[str, Any] = body) -> None:
                inspection = await inspector.inspect_request(info, body)
                await inspection.output.inspect_body(ANSWER)

            for _ in range(50):  # every scan and window cached, as on a later turn
                await inspect()
            best = float("inf")
            for _ in range(blocks):
                started = time.process_time()
                for _ in range(200):
                    await inspect()
                best = min(best, (time.process_time() - started) / 200 * 1e6)
            figures[f"inspection, {size} messages"] = best
            figures[f"extraction, {size} messages"] = _best(
                lambda body=body: WIRE_APIS.extract_request(Api.CHAT, body), 300, blocks
            )
    return figures


def _run_tree(tree: Path, blocks: int) -> dict[str, float]:
    """The figures of ``tree``, measured in a process of its own."""
    out = subprocess.run(  # noqa: S603 - this script
        [sys.executable, __file__, "--child", str(tree), "--blocks", str(blocks)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = {}
    for line in out.splitlines():
        name, _, value = line.rpartition("\t")
        figures[name] = float(value)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=None, help="the tree to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--blocks", type=int, default=7)
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        sys.path.insert(0, str(args.child.resolve()))
        for name, value in asyncio.run(measure(args.blocks)).items():
            print(f"{name}\t{value}")
        return
    trees = {"this tree": ROOT}
    if args.tree is not None:
        trees = {f"other ({args.tree})": args.tree, **trees}
    for round_ in range(1, args.rounds + 1):
        results = {label: _run_tree(tree, args.blocks) for label, tree in trees.items()}
        print(f"round {round_}: CPU us per call, best of {args.blocks} blocks")
        names = next(iter(results.values()))
        for name in names:
            shown = "  ".join(f"{results[label][name]:8.1f}" for label in trees)
            ratio = ""
            if len(trees) == 2:
                other, this = (results[label][name] for label in trees)
                ratio = f"  this / other {this / other:.2f}x"
            print(f"  {name:26} {shown}{ratio}")
    print("columns: " + ", ".join(trees))


if __name__ == "__main__":
    main()
