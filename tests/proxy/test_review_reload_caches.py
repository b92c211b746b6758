"""Review of the per-call caches keyed by configuration (issue 11: call kinds, rule
selections, a Caller per key entry): a reload of keys, register or policy reaches the very
next call of a caller whose call kind, identity and rule selection are already cached.

Each test first calls twice with the caller (so everything that is kept is kept), changes
one file, runs only that file's reload (what its file watcher runs: a SIGHUP reloads all
three, which would hand out new identities and so hide a cache that outlived a register or
policy reload), and calls again through the real proxy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai
import pytest
import yaml

from proxy.app import reload_keys
from proxy.call.enforcement import ENFORCEMENT
from proxy.config.key_changes import create_key
from proxy.config.reload import ConfigReloader
from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy
from tests.proxy.test_keys import edit_keys_file

MESSAGES: Any = [{"role": "user", "content": "a plain question"}]
POLICY = """
version: 1
name: review
rule_sets:
  - name: teams
    rules:
{rules}
"""
FLAG_BLUE = "      - {id: flag-blue, action: flag, match: {teams: [blue]}}"
BLOCK_RED = "      - {id: block-red, action: block, match: {teams: [red]}}"
#: Detection that starts in-process at once: the rules here need no findings.
NO_SCANNING = {"enabled": ["secrets"], "service": {"workers": 0}}


class Place:
    """The configuration, policy and keys files of one proxy, and the proxy."""

    def __init__(self, tmp_path: Path) -> None:
        self.config = tmp_path / "proxy.yaml"
        self.policy = tmp_path / "policy.yaml"
        self.keys = tmp_path / "data" / "keys.yaml"
        self.keys.parent.mkdir(mode=0o700)
        self.proxy: Proxy

    def write_config(self, models: list[dict[str, Any]]) -> dict[str, Any]:
        config = {
            "data_dir": str(self.keys.parent),
            "auth": {"reload_interval": 60},  # reloads happen when the test says
            "detectors": NO_SCANNING,
            "policy": {"file": str(self.policy), "reload_interval": 60},
            "register": {"models": models},
        }
        self.config.write_text(yaml.safe_dump(config))
        return config

    def write_policy(self, *rules: str) -> None:
        self.policy.write_text(POLICY.format(rules="\n".join(rules)))

    def edit_key(self, change: Callable[[dict[str, Any]], None]) -> None:
        edit_keys_file(self.keys, lambda data: change(data["keys"][0]))

    async def reload_all(self) -> None:
        """What SIGHUP runs: keys, configuration, policy."""
        for reload in self.proxy.services.reloaders:
            await reload()

    async def reload_keys(self) -> None:
        await reload_keys(self.proxy.services)

    async def reload_register(self) -> None:
        await self.proxy.services.reloaders[1]()  # the ConfigReloader's (see the fixture)

    async def reload_policy(self) -> None:
        await self.proxy.app[ENFORCEMENT].reload()

    async def chat(self, key: str, model: str = "gpt-a") -> None:
        await self.proxy.openai(key).chat.completions.create(model=model, messages=MESSAGES)

    async def warm(self, key: str, model: str = "gpt-a") -> None:
        """Two accepted calls: whatever is kept per caller, model or entry is kept now."""
        await self.chat(key, model)
        await self.chat(key, model)


MODELS = [{"name": "gpt-a", "provider": "openai"}, {"name": "gpt-b", "provider": "openai"}]


@pytest.fixture
async def place(start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path) -> Place:
    place = Place(tmp_path)
    place.write_policy(FLAG_BLUE)
    config = place.write_config(MODELS)
    place.proxy = await start_proxy(config, config_path=place.config, enforce=True)
    config_reload = place.proxy.services.reloaders[1]
    assert isinstance(getattr(config_reload, "__self__", None), ConfigReloader)
    return place


def _key(place: Place, team: str, models: tuple[str, ...] = ()) -> str:
    return create_key(place.keys, user="ann", team=team, models=models).key


async def test_a_key_revoked_by_a_reload_is_refused_on_the_next_call(
    place: Place, fake: FakeUpstream
) -> None:
    """A key whose Caller and call kind are cached is refused with 401 by the first call
    after the reload that removed it, and that call never reaches the provider."""
    key = _key(place, "red")
    await place.reload_all()
    await place.warm(key)
    forwarded = len(fake.requests)
    place.keys.write_text("keys: []\n", encoding="utf-8")
    await place.reload_keys()
    with pytest.raises(openai.AuthenticationError):
        await place.chat(key)
    assert len(fake.requests) == forwarded


async def test_a_key_disabled_by_a_reload_is_refused_on_the_next_call(place: Place) -> None:
    """A cached key entry disabled in the keys file is refused by the next call (401)."""
    key = _key(place, "red")
    await place.reload_all()
    await place.warm(key)
    place.edit_key(lambda entry: entry.update(disabled=True))
    await place.reload_keys()
    with pytest.raises(openai.AuthenticationError):
        await place.chat(key)


async def test_a_model_taken_from_a_key_is_refused_on_the_next_call(place: Place) -> None:
    """A key's entitlement narrowed by a reload refuses the model it no longer holds on the
    next call (its kind for that model was cached), and still serves the one it keeps."""
    key = _key(place, "red", ("gpt-a", "gpt-b"))
    await place.reload_all()
    await place.warm(key, "gpt-b")
    place.edit_key(lambda entry: entry.update(models=["gpt-a"]))
    await place.reload_keys()
    with pytest.raises(openai.APIStatusError) as refused:
        await place.chat(key, "gpt-b")
    assert refused.value.status_code in {403, 404}
    assert place.proxy.sink.last.error == "model_not_entitled"
    await place.chat(key, "gpt-a")


async def test_a_key_moved_to_a_blocked_team_is_blocked_on_the_next_call(place: Place) -> None:
    """A key whose team the keys file changes from one a rule flags to one a rule blocks is
    blocked (403 policy_violation) by the next call: its cached identity and rule selection
    do not outlive the entry."""
    place.write_policy(FLAG_BLUE, BLOCK_RED)
    key = _key(place, "blue")
    await place.reload_all()
    await place.warm(key)
    assert place.proxy.sink.last.decision == "flag"
    place.edit_key(lambda entry: entry.update(team="red"))
    await place.reload_keys()
    with pytest.raises(openai.PermissionDeniedError):
        await place.chat(key)
    assert (place.proxy.sink.last.team, place.proxy.sink.last.decision) == ("red", "block")


async def test_a_rule_added_by_a_policy_reload_applies_to_the_next_call(place: Place) -> None:
    """A caller whose calls no rule matched (its empty selection cached) is blocked by the
    next call after a policy reload adds a rule for its team."""
    key = _key(place, "red")
    await place.reload_all()
    await place.warm(key)
    assert place.proxy.sink.last.decision == "allow"
    place.write_policy(FLAG_BLUE, BLOCK_RED)
    await place.reload_policy()
    with pytest.raises(openai.PermissionDeniedError) as blocked:
        await place.chat(key)
    assert isinstance(blocked.value.body, dict)
    assert blocked.value.body["code"] == "policy_violation"


async def test_a_rule_removed_by_a_policy_reload_no_longer_blocks(place: Place) -> None:
    """A caller blocked on every call (its selection cached) is served by the next call
    after a policy reload removes the rule."""
    place.write_policy(BLOCK_RED)
    key = _key(place, "red")
    await place.reload_all()
    for _ in range(2):
        with pytest.raises(openai.PermissionDeniedError):
            await place.chat(key)
    place.write_policy(FLAG_BLUE)
    await place.reload_policy()
    await place.chat(key)
    assert place.proxy.sink.last.decision == "allow"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda m: m.update(approved=False), id="unapproved"),
        pytest.param(lambda m: m.update(name="gpt-c"), id="removed"),
    ],
)
async def test_a_model_unapproved_by_a_register_reload_is_refused_on_the_next_call(
    place: Place, fake: FakeUpstream, change: Callable[[dict[str, Any]], None]
) -> None:
    """A model whose call kind is cached for the caller is refused by the next call after
    a register reload unapproves or removes it, and that call is not forwarded."""
    key = _key(place, "red")
    await place.reload_all()
    await place.warm(key)
    forwarded = len(fake.requests)
    models = [dict(m) for m in MODELS]
    change(models[0])
    place.write_config(models)
    await place.reload_register()
    with pytest.raises(openai.APIStatusError) as refused:
        await place.chat(key)
    assert refused.value.status_code in {403, 404}
    assert place.proxy.sink.last.error in {"model_not_approved", "model_not_found"}
    assert len(fake.requests) == forwarded
