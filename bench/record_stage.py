"""CPU per call of a call's own bookkeeping, in process: a request id, the call record, and the
recording stage (the event, spend, call metrics and the access-log line; the sink drops the
event, so the event log's own work is not counted).

The rest of a call (aiohttp, inspection, the relay, the event log) is measured end to end by
bench/versus_floor.py; on a loaded machine that cannot resolve a few tens of microseconds,
which this can. Run it against two trees to compare, e.g. an older commit unpacked with
``git archive`` (before the split of pipeline.py, the record and ``_finish`` lived there):

    PYTHONPATH=/tmp/before .venv/bin/python bench/record_stage.py before
    .venv/bin/python bench/record_stage.py after

``--parts`` prints the stage part by part instead (least of the runs, each part over the
same calls): the event (``CallRecord.to_event``), the stored row and its chain proof
(``rows.proved_line``; ``encode_proved`` in trees before h116), the event log's
``record()`` as a whole (row, proof, spool append and queue, against a store that is never
reached, so its writer stays idle), the call metrics, the access-log line, and the stage
with the event dropped.
"""

from __future__ import annotations

import argparse
import importlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.apis import Api, ApiFamily
from core.identity import Identity
from core.inspection import AllowAll
from proxy.app import create_app
from proxy.call.apis import Usage
from proxy.call.pricing import price_of
from proxy.config.settings import parse_settings
from proxy.logs import configure_logging
from proxy.services import SERVICES


def _stage() -> tuple[Any, Any, Any]:
    """The call record, the request id maker and the recording stage of this tree."""
    try:
        record = importlib.import_module("proxy.call.record")
        accounting = importlib.import_module("proxy.call.accounting")
    except ImportError:  # a tree from before pipeline.py was split: all three lived there
        old = importlib.import_module("proxy.call.pipeline")
        return old.CallRecord, old.new_request_id, old._finish
    return record.CallRecord, record.new_request_id, accounting.account


CallRecord, new_request_id, finish = _stage()


class DroppingSink:
    """Takes events and keeps nothing."""

    def record(self, event: object) -> None:
        return None


def main(label: str, calls: int, repeats: int, parts: bool = False) -> None:
    configure_logging("info", open(os.devnull, "w"))  # noqa: SIM115 - for the whole run
    tmp = tempfile.mkdtemp()
    env = {"OPENAI_API_KEY": "sk-bench", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    settings = parse_settings({"data_dir": tmp}, environ=env, base_dir=Path(tmp))
    app = create_app(settings, environ=env, sink=DroppingSink(), inspector=AllowAll())  # type: ignore[arg-type]
    services = app[SERVICES]
    caller = Identity(user="", team="", app="", key_id="k1", passthrough=True)
    route = services.snapshot.register.resolve("gpt-4o-mini", ApiFamily.OPENAI, caller)
    # The route's price rides on the record where the call's kind sets it (h106), if it does.
    priced = "price" in getattr(CallRecord, "__dataclass_fields__", {})
    price = price_of(route, "gpt-4o-mini", settings.pricing)
    prompt = b'{"model":"gpt-4o-mini","messages":[]}' * 28  # about 1 KB

    def new_call() -> Any:
        call: Any = CallRecord(
            request_id=new_request_id(),
            ts=services.clock(),
            method="POST",
            endpoint="/v1/chat/completions",
            client_ip="127.0.0.1",
            snapshot=services.snapshot,
        )
        call.identity, call.api, call.route = caller, Api.CHAT, route
        if priced:
            call.price = price
        call.model = call.upstream_model = "gpt-4o-mini"
        call.status, call.prompt = 200, prompt
        call.relay.upstream_status, call.relay.ttfb = 200, 0.001
        call.relay.usage, call.relay.output = Usage(230, 12), "hello " * 20
        return call

    if parts:
        print(f"{label}: {calls} calls, least of {repeats} runs")
        _parts(services, [new_call() for _ in range(calls)], Path(tmp), repeats)
        return

    def one_call() -> None:
        finish(services, new_call(), 0.004)

    for _ in range(calls // 10):  # warm up: every metric series exists
        one_call()
    runs = []
    for _ in range(repeats):
        started = time.process_time()
        for _ in range(calls):
            one_call()
        runs.append((time.process_time() - started) / calls * 1e6)
    shown = ", ".join(f"{r:.1f}" for r in runs)
    print(f"{label}: {min(runs):.1f} us CPU per call (least of {repeats} runs: {shown})")


def _each(function: Callable[..., object], items: list[Any], *args: object) -> None:
    """``function(item, *args)`` for each item, keeping no result."""
    for item in items:
        function(item, *args)


def _parts(services: Any, calls: list[Any], tmp: Path, repeats: int) -> None:
    """CPU per call of each part of the recording stage (see the module docstring)."""
    from proxy.metrics import Metrics  # noqa: PLC0415 - any tree's, after its path is set
    from proxy.store import EventLog, StoreSettings, rows  # noqa: PLC0415
    from proxy.store.settings import ContentMode  # noqa: PLC0415

    # What record() calls: proved_line since h116, encode_proved before.
    encode = getattr(rows, "proved_line", rows.encode_proved)

    accounting = importlib.import_module("proxy.call.accounting")
    events = [call.to_event(0.004) for call in calls]
    store = StoreSettings(
        url="http://127.0.0.1:9",
        spool_dir=tmp / "spool",
        retry_backoff_max=60.0,
        queue_max=len(calls) * (repeats + 1),
    )
    log = EventLog(store, Metrics())
    log.start()
    pairs = list(zip(calls, events, strict=True))
    work: dict[str, Callable[[], object]] = {
        "event": lambda: [call.to_event(0.004) for call in calls],
        # Each row dropped as soon as made (the writer frees them batch by batch): a list of
        # them all made the allocator's growth the larger part of the figure.
        "row + proof": lambda: _each(encode, events, ContentMode.FULL),
        "record()": lambda: _each(log.record, events),
        "metrics": lambda: [accounting._count(services, c, e, 0.004) for c, e in pairs],
        "access line": lambda: [accounting._access_log(e) for e in events],
        "stage, event dropped": lambda: [finish(services, c, 0.004) for c in calls],
    }
    try:
        for name, run in work.items():
            best = float("inf")
            for _ in range(repeats):
                started = time.process_time()
                run()
                best = min(best, time.process_time() - started)
            print(f"  {name:>20}: {best / len(calls) * 1e6:6.2f} us CPU per call")
    finally:
        log.close(timeout=0.1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("label", nargs="?", default="this tree")
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--parts", action="store_true", help="each part of the stage")
    arguments = parser.parse_args()
    main(arguments.label, arguments.calls, arguments.repeats, arguments.parts)
