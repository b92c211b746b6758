"""Work a call no longer repeats: what is fixed per key, model or policy is made once, and a
change of the key, register or policy is still seen at once."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import structlog
from multidict import CIMultiDict, CIMultiDictProxy

from core.apis import ApiFamily
from core.identity import Identity
from core.inspection import ALLOW, Action
from policies.engine import SELECTIONS_KEPT, CallContext, PolicyEngine, Subject
from policies.model import Direction
from proxy.call.auth import Authenticator, fingerprint
from proxy.call.providers import upstream_url
from proxy.config.key_changes import create_key
from proxy.config.keys import KeyStore
from proxy.config.register import Register
from proxy.config.settings import RegisterConfig, parse_settings
from proxy.logs import UtcStamper
from tests.policies.factories import call_info, policy
from tests.proxy.test_keys import edit_keys_file


def _headers(key: str) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict({"Authorization": f"Bearer {key}"}))


def test_a_passthrough_key_gets_one_identity_and_each_key_its_own(tmp_path: Path) -> None:
    """The same pass-through key yields the very same identity (fingerprinted once); another
    key its own fingerprint, and each call still forwards its own credential header."""
    store = KeyStore(tmp_path / "keys.yaml")
    auth = Authenticator(store, "passthrough")
    first = auth.authenticate(_headers("sk-one-0123456789"), store.current)
    again = auth.authenticate(_headers("sk-one-0123456789"), store.current)
    other = auth.authenticate(_headers("sk-two-0123456789"), store.current)
    assert again.identity is first.identity
    assert first.identity.key_id == fingerprint("sk-one-0123456789")
    assert other.identity.key_id == fingerprint("sk-two-0123456789") != first.identity.key_id
    assert other.forward_credentials == (("authorization", "Bearer sk-two-0123456789"),)


def test_a_virtual_key_identity_follows_a_reload_of_its_entry(tmp_path: Path) -> None:
    """A virtual key's identity is made once per key entry, and an edited entry (new
    models) is seen by the next call after the reload."""
    keys_file = tmp_path / "keys.yaml"
    issued = create_key(keys_file, user="ann", team="red", models=("gpt-4o",))
    store = KeyStore(keys_file)
    store.reload()
    auth = Authenticator(store, "virtual_keys")
    first = auth.authenticate(_headers(issued.key), store.current).identity
    assert auth.authenticate(_headers(issued.key), store.current).identity is first
    assert first.allowed_models == frozenset({"gpt-4o"})
    edit_keys_file(keys_file, lambda data: data["keys"][0].update(models=["o1"]))
    store.reload()
    after = auth.authenticate(_headers(issued.key), store.current).identity
    assert after.allowed_models == frozenset({"o1"})


def test_an_open_register_validates_an_unlisted_model_once() -> None:
    """An open register resolves an unlisted model to the same entry on every call, one
    entry per model and API family."""
    providers = parse_settings({}, environ={}).providers
    register = Register(RegisterConfig(), providers)
    caller = Identity(user="u", team="t", app="", key_id="k")
    first = register.resolve("gpt-x", ApiFamily.OPENAI, caller)
    again = register.resolve("gpt-x", ApiFamily.OPENAI, caller)
    other = register.resolve("claude-x", ApiFamily.ANTHROPIC, caller)
    assert again.entry is first.entry
    assert (first.entry.name, first.entry.provider) == ("gpt-x", "openai")
    assert (other.entry.name, other.entry.provider) == ("claude-x", "anthropic")


PACK = policy(
    """
name: test
rule_sets:
  - name: main
    rules:
      - id: block-secrets-finance
        action: block
        match: {entities: [SECRETS], teams: [finance]}
      - id: redact-email-out
        action: redact
        direction: output
        match: {entities: [EMAIL_ADDRESS]}
"""
)


def test_a_rule_selection_is_made_once_per_context_and_direction() -> None:
    """Selecting twice for the same caller, model, register entry and direction gives the
    same selection; another team or direction gets the rules that apply to it."""
    engine = PolicyEngine(PACK)
    info = call_info(team="finance")
    finance = CallContext.of(info)
    selection = engine.select(finance, Direction.INPUT)
    same = CallContext(replace(info.identity), info.model, info.provider, info.entry)
    assert engine.select(same, Direction.INPUT) is selection
    assert "OPENAI_API_KEY" in selection.entity_types
    # An equal entry that is another object (a reloaded register): selected anew, alike.
    reloaded = engine.select(CallContext.of(call_info(team="finance")), Direction.INPUT)
    assert reloaded is not selection
    assert reloaded.entity_types == selection.entity_types
    assert not engine.select(CallContext.of(call_info(team="sales")), Direction.INPUT)
    assert engine.select(finance, Direction.OUTPUT).entity_types == {"EMAIL_ADDRESS"}


def test_the_selection_cache_starts_over_when_full_and_stays_right() -> None:
    """Past its bound the cache is emptied, and selections made after that are still
    those of their own context."""
    engine = PolicyEngine(PACK)
    for index in range(SELECTIONS_KEPT + 10):
        team = "finance" if index % 2 else f"team-{index}"
        selection = engine.select(CallContext.of(call_info(team=team)), Direction.INPUT)
        assert bool(selection) is (team == "finance")


def test_the_access_log_timestamp_reads_as_structlogs_iso_utc_stamp() -> None:
    """The stamper writes the time as ``TimeStamper(fmt="iso", utc=True)`` does: the same
    shape (a zero fraction left out too) and, within the same second, the same moment."""
    ours, theirs = UtcStamper(), structlog.processors.TimeStamper(fmt="iso", utc=True)
    for _ in range(200):
        before = theirs(None, "info", {})["timestamp"]
        stamp = ours(None, "info", {})["timestamp"]
        after = theirs(None, "info", {})["timestamp"]
        assert before <= stamp <= after
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z", stamp)
        parsed = datetime.fromisoformat(stamp)
        assert parsed.isoformat().replace("+00:00", "Z") == stamp


def test_the_upstream_url_is_the_same_url_each_time() -> None:
    """A provider's URL for a path is parsed once and is exactly the judged path."""
    first = upstream_url("http://127.0.0.1:9/v1/", "/chat/%2e%2e/completions")
    assert upstream_url("http://127.0.0.1:9/v1/", "/chat/%2e%2e/completions") is first
    assert first.raw_path == "/v1/chat/%2e%2e/completions"


NO_ENTITY_RULE = policy(
    """
name: test
rule_sets:
  - name: main
    rules:
      - id: block-secrets
        action: block
        match: {entities: [SECRETS]}
      - id: flag-long-prompts
        action: flag
        match: {min_text_chars: 10}
"""
)


def test_texts_without_findings_are_the_plain_allow_unless_a_rule_needs_none() -> None:
    """With only finding rules in scope, no findings decide the shared plain allow (what
    the event record takes without a merge); a rule that needs no findings still applies."""
    subject = Subject(Direction.INPUT, text_chars=50)
    only_findings = PolicyEngine(PACK).select(
        CallContext.of(call_info(team="finance")), Direction.INPUT
    )
    assert only_findings.evaluate(subject, ()).verdict is ALLOW
    mixed = PolicyEngine(NO_ENTITY_RULE).select(CallContext.of(call_info()), Direction.INPUT)
    decision = mixed.evaluate(subject, ())
    assert decision.verdict.action is Action.FLAG
    assert decision.verdict.rules == ("flag-long-prompts",)
