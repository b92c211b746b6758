"""CPU of a plain call's request and answer policy when both texts are scan-cache hits, a
base tree against this one (issue 11, h117).

Each tree runs in a child process of its own (``--tree``: an older commit unpacked with
``git archive``), built as ``llm-proxy serve`` builds it with no configuration (the default
policy, its detection service, metrics): the inspector of the configuration snapshot
inspects bench/call_path.py's 1 KB chat prompt and then the fake upstream's answer to it,
``inspect_request`` then ``inspect_body``, the same texts every call, so each scan is a
cache hit. The children run alternately, ``--rounds`` times each; each prints the least µs
per call of its repeats (CPU time of the process) and the Python bytecodes per call
(deterministic: unmoved by others' load).

Usage: .venv/bin/python bench/policy_hits.py [--tree DIR] [--rounds 3] [--number 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: The fake upstream's answer to bench/call_path.py's prompt (tests/fakes/openai_api.py).
ANSWER = {
    "id": "chatcmpl-0123456789",
    "created": 1764500000,
    "model": "gpt-4o-mini",
    "system_fingerprint": "fp_fake",
    "object": "chat.completion",
    "choices": [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": "Hello from the fake upstream: the notes are summarised.",
                "refusal": None,
            },
            "logprobs": None,
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 260, "completion_tokens": 42, "total_tokens": 302},
}


async def _child(number: int, repeat: int, top: int = 0) -> dict[str, float]:
    """In the child: the least µs per call and the bytecodes per call of this tree."""
    import orjson  # noqa: PLC0415 - every import of the tree after sys.path is set
    from aiohttp import web  # noqa: PLC0415
    from multidict import CIMultiDict, CIMultiDictProxy  # noqa: PLC0415

    sys.path.insert(0, str(ROOT / "bench"))
    from call_path import BODY, HEADERS, DroppingSink  # noqa: PLC0415

    from core.inspection import CallInfo  # noqa: PLC0415
    from proxy.app import create_app  # noqa: PLC0415
    from proxy.call.apis import Api  # noqa: PLC0415
    from proxy.call.call_kinds import CallKinds  # noqa: PLC0415
    from proxy.config.settings import parse_settings  # noqa: PLC0415
    from proxy.services import SERVICES  # noqa: PLC0415
    from wire.apis.registry import WIRE_APIS  # noqa: PLC0415

    tmp = tempfile.mkdtemp(prefix="policy_hits_")
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "HOME": tmp}
    settings = parse_settings({"data_dir": tmp}, environ=env, base_dir=Path(tmp))
    app = create_app(settings, environ=env, sink=DroppingSink())
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        services = app[SERVICES]
        snapshot = services.snapshot
        path, body = "/v1/chat/completions", orjson.loads(BODY)
        caller = services.authenticator.authenticate(
            CIMultiDictProxy(CIMultiDict(HEADERS)), snapshot.keys
        )
        identity = caller.identity
        kind = CallKinds(WIRE_APIS).of(snapshot, path, body["model"], identity)
        info = CallInfo(
            "r", identity, Api.CHAT, path, body["model"], kind.route.entry, "openai", False
        )
        inspector = snapshot.inspector

        async def one() -> None:
            inspection = await inspector.inspect_request(info, body)
            assert inspection.output is not None
            await inspection.output.inspect_body(ANSWER)

        for _ in range(50):  # fills the scan cache (the first scans run the detectors)
            await one()
        least = float("inf")
        for _ in range(repeat):
            started = time.process_time()
            for _ in range(number):
                await one()
            least = min(least, (time.process_time() - started) / number * 1e6)
        counted = {"ops": 0}
        by_code: dict[Any, int] = {}

        def trace(frame: Any, event: str, arg: object) -> Any:
            if event == "opcode":
                counted["ops"] += 1
                by_code[frame.f_code] = by_code.get(frame.f_code, 0) + 1
            elif event == "call":
                frame.f_trace_opcodes = True
            return trace

        calls = 200
        sys.settrace(trace)
        try:
            for _ in range(calls):
                await one()
        finally:
            sys.settrace(None)
        if top:
            busiest = sorted(by_code.items(), key=lambda item: -item[1])[:top]
            for code, ops in busiest:
                where = f"{Path(code.co_filename).name}:{code.co_firstlineno}"
                print(f"  {ops / calls:7.1f}  {code.co_qualname}  ({where})", file=sys.stderr)
        return {"us": least, "bytecodes": counted["ops"] / calls}
    finally:
        await runner.cleanup()


def _run_child(tree: Path, number: int, repeat: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(  # noqa: S603 - this script, in a child
        [sys.executable, __file__, "--child", "--number", str(number), "--repeat", str(repeat)],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=None, help="the base tree")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--number", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--profile", type=int, default=0, metavar="TOP", help="this tree's busiest functions"
    )
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(asyncio.run(_child(args.number, args.repeat, args.profile))))
        return
    if args.profile:  # this tree only, in this process, by its bytecodes per function
        sys.path.insert(0, str(ROOT))
        asyncio.run(_child(1, 1, args.profile))
        return
    trees = {"this tree": ROOT}
    if args.tree is not None:
        trees = {"base": args.tree.resolve(), **trees}
    figures: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(args.rounds):  # alternately, so a busy moment hits both
        for name, tree in trees.items():
            figures[name].append(_run_child(tree, args.number, args.repeat))
    print(
        f"request + answer policy of a plain call, both texts scan-cache hits: least of "
        f"{args.repeat} x {args.number} calls per round, CPU us per call"
    )
    for name, rounds in figures.items():
        shown = " ".join(f"{r['us']:.1f}" for r in rounds)
        print(
            f"  {name:9} {min(r['us'] for r in rounds):6.1f} us (rounds {shown}); "
            f"{rounds[0]['bytecodes']:.0f} bytecodes"
        )
    if args.tree is not None:
        ratios = [
            new["us"] / old["us"]
            for old, new in zip(figures["base"], figures["this tree"], strict=True)
        ]
        print("  this / base per round: " + " ".join(f"{r:.2f}x" for r in ratios))


if __name__ == "__main__":
    main()
