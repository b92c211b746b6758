"""CPU of the plain call's per-call pieces (issue 11, h99), a base commit's code against the
working tree's, in one process: each base module is loaded from ``git show BASE:path`` beside
the current one, each pair timed alternately, the least of several repeats kept
(:func:`per_call_decisions.compare`), so others' load on a shared machine moves the ratio little.

Pieces, on bench/call_path.py's plain call (a 1 KB one-message chat prompt):

- prompt walk: ``walk_request`` of the chat body, as the chat module calls it;
- usage: ``usage_from`` of an OpenAI answer's usage object (with its details);
- cost: ``CallRecord.cost`` of an answered call (before h106 it priced the route per call
  with ``price_of``; since, the price is the call kind's, set on the record with the route);
- API kind: ``WireRegistry.api_for_path`` of the chat path;
- scan look-up: ``ScopedCache.lookup`` of the prompt, a cache hit;
- access line: ``LineLogger.info`` of the access line's fields, to /dev/null (each side's
  ``configure_logging`` made before its timing, so each runs its own cheap path);

Usage: .venv/bin/python bench/per_call_pieces.py [--base REV] [--number 20000] [--repeat 7]
(h106's pieces, usage and cost, against the commit before them: ``--base e8e5f69``)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from call_path import BODY  # noqa: E402
from per_call_decisions import compare  # noqa: E402

from detectors import scan_lookup  # noqa: E402
from detectors.cache import ScanCache  # noqa: E402
from proxy import logs  # noqa: E402
from proxy.call import pricing, record  # noqa: E402
from proxy.config.register import Route  # noqa: E402
from proxy.config.settings import ModelEntry, PricingConfig, ProviderConfig  # noqa: E402
from wire.apis import registry, usage, walk  # noqa: E402
from wire.apis.openai_chat import OpenAIChat  # noqa: E402

#: The commit before h99's changes.
BASE = "de833b2"


def at(rev: str, module: types.ModuleType) -> types.ModuleType:
    """``module`` as its source was at ``rev``, loaded beside the current one."""
    path = Path(module.__file__ or "").relative_to(ROOT)
    source = subprocess.run(  # noqa: S603 - git, on this tree's own paths
        ["git", "show", f"{rev}:{path}"],  # noqa: S607 - the git of the checkout, wherever it is
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    twin = types.ModuleType(f"{module.__name__}__at_{rev}")
    twin.__file__ = str(path)
    sys.modules[twin.__name__] = twin  # dataclasses look their module up
    exec(compile(source, str(path), "exec"), twin.__dict__)  # noqa: S102 - our own source
    return twin


Pairs = dict[str, tuple[Callable[[], object], Callable[[], object]]]

#: The access line's fields (proxy/call/accounting.py) for a plain call.
ACCESS = {
    "request_id": "0b6a3f2c9d1e4f5a8b7c6d5e4f3a2b1c",
    "method": "POST",
    "path": "/v1/chat/completions",
    "status": 200,
    "upstream_status": 200,
    "user": "pt-1f2e3d4c",
    "team": "passthrough",
    "app": "",
    "key_id": "pt-1f2e3d4c",
    "model": "gpt-4o-mini",
    "provider": "openai",
    "stream": False,
    "decision": "allow",
    "rules": [],
    "entity_types": [],
    "prompt_tokens": 260,
    "completion_tokens": 42,
    "latency_ms": 3.25,
    "ttfb_ms": 2.5,
    "error": "",
}


def _access_lines(base: str) -> tuple[Pairs, Pairs]:
    """The access line through each side's LineLogger, and each side's configuration."""
    devnull = open(os.devnull, "w")  # noqa: SIM115 - open for the process's life
    old = at(base, logs)
    loggers = [module.LineLogger("llm_proxy.access") for module in (old, logs)]
    return (
        {
            "access line": (
                lambda: loggers[0].info("call", **ACCESS),
                lambda: loggers[1].info("call", **ACCESS),
            )
        },
        {
            "access line": (
                lambda: old.configure_logging("info", devnull),
                lambda: logs.configure_logging("info", devnull),
            )
        },
    )


def _costs(base: str) -> Pairs:
    """``CallRecord.cost`` of an answered plain call on each side (shipped prices)."""
    provider = ProviderConfig(kind="openai", base_url="http://127.0.0.1:9")  # type: ignore[arg-type]
    entry = ModelEntry(name="gpt-4o-mini", provider="openai")
    route = Route(entry=entry, provider_name="openai", provider=provider, listed=True)
    pricing_config = PricingConfig()
    calls = []
    for module in (at(base, record), record):
        call: Any = module.CallRecord("r", None, "POST", "/v1/chat/completions", "", None)
        call.route, call.upstream_model = route, entry.target_model
        call.relay.upstream_status = 200
        call.relay.usage = usage.usage_from({"prompt_tokens": 260, "completion_tokens": 42})
        if "price" in module.CallRecord.__dataclass_fields__:
            call.price = pricing.price_of(route, entry.target_model, pricing_config)
        calls.append(call)
    old = calls[0]
    if "price" in old.__dataclass_fields__:  # a base that already has the kind's price
        return {"cost": (old.cost, calls[1].cost)}
    return {"cost": (lambda: old.cost(pricing_config), calls[1].cost)}


def _pairs(base: str) -> Pairs:
    import orjson  # noqa: PLC0415

    body = orjson.loads(BODY)
    chat = OpenAIChat()
    parts = registry.WIRE_APIS._parts
    roles = chat.request_roles
    old_walk = at(base, walk)
    answer_usage = {
        "prompt_tokens": 260,
        "completion_tokens": 42,
        "total_tokens": 302,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
    }
    old_usage = at(base, usage)
    old_registry = at(base, registry).WireRegistry(registry.default_apis())
    path = "/v1/chat/completions"
    prompt = [body["messages"][0]["content"]]
    caches = [
        module.ScopedCache(ScanCache(100), "fingerprint", model=True)
        for module in (at(base, scan_lookup), scan_lookup)
    ]
    for cache in caches:
        _, _, missing = cache.lookup(prompt, 5000, None)
        cache.store(missing, [[]], {})
    return {
        "prompt walk": (
            lambda: old_walk.walk_request(body, roles, parts),
            lambda: walk.walk_request(body, roles, parts),
        ),
        "usage": (
            lambda: old_usage.usage_from(answer_usage),
            lambda: usage.usage_from(answer_usage),
        ),
        "API kind": (
            lambda: old_registry.api_for_path(path),
            lambda: registry.WIRE_APIS.api_for_path(path),
        ),
        "scan look-up": (
            lambda: caches[0].lookup(prompt, 5000, None),
            lambda: caches[1].lookup(prompt, 5000, None),
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=BASE, help="the commit to compare against")
    parser.add_argument("--number", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    lines, setups = _access_lines(args.base)
    compare({**_pairs(args.base), **_costs(args.base), **lines}, args.number, args.repeat, setups)


if __name__ == "__main__":
    main()
