"""A kind of call (caller, model, path) is routed, given its content mode, upstream model and
rate limits once per configuration snapshot: kept while the snapshot holds, decided anew
after a reload, and a refused kind is refused every time."""

from __future__ import annotations

from pathlib import Path

import openai
import pytest
import yaml

from core.identity import Identity
from proxy.call.call_kinds import CallKinds, call_kind
from proxy.errors import ProxyError
from tests.fakes import FakeUpstream
from tests.proxy.conftest import StartProxy
from tests.proxy.test_config_reload import chat, reload_now
from wire.apis.registry import WIRE_APIS

CHAT = "/v1/chat/completions"
ALICE = Identity(user="alice", team="finance", app="", key_id="k1")


def _register(path: Path, upstream: str, *, team_limit: int | None = None) -> dict[str, object]:
    limits = {"teams": {"passthrough": {"requests_per_minute": team_limit}}} if team_limit else {}
    config: dict[str, object] = {
        "data_dir": str(path.parent / "data"),
        "auth": {"reload_interval": 0.05},
        "register": {
            "models": [{"name": "gpt-4o", "provider": "openai", "upstream_model": upstream}]
        },
        "limits": limits,
    }
    path.write_text(yaml.safe_dump(config))
    return config


async def test_a_kind_is_decided_once_per_snapshot(start_proxy: StartProxy) -> None:
    """Repeated calls of one caller and model get the kept kind, equal to a fresh decision;
    another identity object gets its own."""
    proxy = await start_proxy()
    snapshot = proxy.services.snapshot
    kinds = CallKinds(WIRE_APIS)
    first = kinds.of(snapshot, CHAT, "gpt-4o-mini", ALICE)
    assert kinds.of(snapshot, CHAT, "gpt-4o-mini", ALICE) is first
    assert first == call_kind(snapshot, CHAT, "gpt-4o-mini", ALICE, WIRE_APIS)
    bob = Identity(user="bob", team="sales", app="", key_id="k2")
    assert kinds.of(snapshot, CHAT, "gpt-4o-mini", bob) is not first


async def test_a_refused_kind_is_refused_every_time(start_proxy: StartProxy) -> None:
    """A model the register does not list is refused on every call, never kept."""
    proxy = await start_proxy({"register": {"models": [{"name": "gpt-4o", "provider": "openai"}]}})
    kinds = CallKinds(WIRE_APIS)
    for _ in range(2):
        with pytest.raises(ProxyError) as refused:
            kinds.of(proxy.services.snapshot, CHAT, "gpt-4o-mini", ALICE)
        assert refused.value.status == 404


async def test_a_reload_changes_the_kind_of_the_next_call(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """After a reload the same caller and model go upstream under the new register entry's
    model name and count against a rate limit the reload added."""
    path = tmp_path / "proxy.yaml"
    proxy = await start_proxy(_register(path, "gpt-4o-2024-08-06"), config_path=path)
    await chat(proxy, "gpt-4o")
    await chat(proxy, "gpt-4o")
    assert fake.last.json["model"] == "gpt-4o-2024-08-06"
    _register(path, "gpt-4o-2024-11-20", team_limit=1)
    await reload_now(proxy)
    await chat(proxy, "gpt-4o")
    assert fake.last.json["model"] == "gpt-4o-2024-11-20"
    with pytest.raises(openai.RateLimitError):
        await chat(proxy, "gpt-4o")


async def test_a_model_removed_by_a_reload_is_refused(
    start_proxy: StartProxy, tmp_path: Path
) -> None:
    """A kind kept under the old register does not outlive the model's removal."""
    path = tmp_path / "proxy.yaml"
    proxy = await start_proxy(_register(path, "gpt-4o"), config_path=path)
    await chat(proxy, "gpt-4o")
    path.write_text(path.read_text().replace("name: gpt-4o", "name: gpt-4.1"))
    await reload_now(proxy)
    with pytest.raises(openai.NotFoundError):
        await chat(proxy, "gpt-4o")
