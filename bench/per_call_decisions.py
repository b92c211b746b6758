"""CPU of the per-call decisions issue 11 made once per kind of call, before and after, in
one process: each pair is timed alternately and the least of several repeats is kept, so
others' load on a shared machine moves the ratio little.

- kind of call: ``route_call`` + ``content_mode_for`` + the upstream model + ``price_of`` +
  ``limit_subjects`` (as every call ran them; the price until h106, in ``CallRecord.cost``)
  against ``CallKinds.of`` (once per caller, model, path, snapshot);
- rule selections: ``CallContext.of`` + ``select`` for input and output against
  ``PolicyEngine.selections``;
- metrics: the proxy's Counter/Histogram child (the library's sample, a lock each) against
  its loop-only ``LoopCounter``/``LoopHistogram`` child.

Usage: .venv/bin/python bench/per_call_decisions.py [--number 20000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import timeit
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prometheus_client import CollectorRegistry  # noqa: E402

from core.identity import Identity  # noqa: E402
from core.inspection import AllowAll, CallInfo  # noqa: E402
from policies.engine import CallContext, PolicyEngine  # noqa: E402
from policies.loader import shipped_pack  # noqa: E402
from policies.model import Direction  # noqa: E402
from proxy.call.admission import limit_subjects  # noqa: E402
from proxy.call.apis import Api  # noqa: E402
from proxy.call.call_kinds import CallKinds  # noqa: E402
from proxy.call.content_modes import content_mode_for  # noqa: E402
from proxy.call.pricing import price_of  # noqa: E402
from proxy.call.routing import route_call  # noqa: E402
from proxy.config.keys import KeyStore  # noqa: E402
from proxy.config.settings import parse_settings  # noqa: E402
from proxy.config.snapshot import ConfigSnapshot  # noqa: E402
from proxy.metrics import Counter, Histogram, LoopCounter, LoopHistogram  # noqa: E402
from wire.apis.registry import WIRE_APIS  # noqa: E402

PATH = "/v1/chat/completions"
MODEL = "gpt-4o-mini"
IDENTITY = Identity(user="pt-1", team="passthrough", app="", key_id="pt-1", passthrough=True)


def _pairs() -> dict[str, tuple[Callable[[], object], Callable[[], object]]]:
    tmp = tempfile.mkdtemp(prefix="per_call_decisions_")
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "HOME": tmp}
    settings = parse_settings({"data_dir": tmp}, environ=env, base_dir=Path(tmp))
    keys = KeyStore(settings.keys_file)
    keys.reload()
    snapshot = ConfigSnapshot.build(settings, env, keys=keys.current, inspector=AllowAll())
    kinds = CallKinds(WIRE_APIS)

    def each_call() -> object:
        route = route_call(snapshot, PATH, MODEL, IDENTITY, WIRE_APIS)
        content_mode_for(settings, IDENTITY, route.entry)
        upstream_model = route.entry.target_model
        price_of(route, upstream_model, settings.pricing)
        return limit_subjects(settings, snapshot.keys, IDENTITY)

    engine = PolicyEngine(shipped_pack("default"))
    route = route_call(snapshot, PATH, MODEL, IDENTITY, WIRE_APIS)
    info = CallInfo("r", IDENTITY, Api.CHAT, PATH, MODEL, route.entry, "openai", False)

    def both_selects() -> object:
        context = CallContext.of(info)
        return engine.select(context, Direction.INPUT), engine.select(context, Direction.OUTPUT)

    registry = CollectorRegistry()
    counters = [
        kind("c" + str(i), "c", ["team"], registry=registry).labels("t")
        for i, kind in enumerate((Counter, LoopCounter))
    ]
    histograms = [
        kind("h" + str(i), "h", ["team"], registry=registry).labels("t")
        for i, kind in enumerate((Histogram, LoopHistogram))
    ]
    return {
        "kind of call": (each_call, lambda: kinds.of(snapshot, PATH, MODEL, IDENTITY)),
        "rule selections": (both_selects, lambda: engine.selections(info)),
        "counter inc": (counters[0].inc, counters[1].inc),
        "histogram observe": (
            lambda: histograms[0].observe(0.042),
            lambda: histograms[1].observe(0.042),
        ),
    }


def _nothing() -> None:
    pass


def compare(
    pairs: dict[str, tuple[Callable[[], object], Callable[[], object]]],
    number: int,
    repeat: int,
    setups: dict[str, tuple[Callable[[], object], Callable[[], object]]] | None = None,
) -> None:
    """Print, per pair, the least µs per call of ``before`` and ``after``, timed alternately;
    ``setups`` of a pair run (untimed) before each timing of its side."""
    print(f"least of {repeat} repeats of {number} calls, us per call")
    for name, (before, after) in pairs.items():
        least = {"before": float("inf"), "after": float("inf")}
        setup = (setups or {}).get(name, (_nothing, _nothing))
        for _ in range(repeat):  # alternately, so a busy moment hits both
            for label, run, prepare in (("before", before, setup[0]), ("after", after, setup[1])):
                prepare()
                seconds = timeit.timeit(run, number=number)
                least[label] = min(least[label], seconds / number * 1e6)
        print(
            f"  {name:18} before {least['before']:6.2f}  after {least['after']:6.2f}  "
            f"after / before {least['after'] / least['before']:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--number", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    compare(_pairs(), args.number, args.repeat)


if __name__ == "__main__":
    main()
