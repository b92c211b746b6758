"""The call event built positionally (``event_of``) is the one the keyword constructor
builds, field for field, for calls of every shape."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.identity import Identity
from core.inspection import Action, AllowAll, Verdict
from proxy.call.apis import Api, Usage
from proxy.call.events import CallEvent, event_of
from proxy.call.record import CallRecord
from proxy.config.keys import KeySet
from proxy.config.register import Route
from proxy.config.settings import ModelEntry, ProviderConfig, parse_settings
from proxy.config.snapshot import ConfigSnapshot


def _keyword_event(call: CallRecord, latency: float) -> CallEvent:
    """The event as ``CallRecord.to_event`` built it with keywords before ``event_of``."""
    ident = call.identity
    verdict = call.verdict
    relay = call.relay
    return CallEvent(
        request_id=call.request_id,
        ts=call.ts,
        user=ident.user if ident else "",
        team=ident.team if ident else "",
        app=ident.app if ident else "",
        key_id=ident.key_id if ident else "",
        client_ip=call.client_ip,
        method=call.method,
        endpoint=call.endpoint,
        provider=call.route.provider_name if call.route else "",
        model=call.model,
        upstream_model=call.upstream_model,
        stream=call.stream,
        status_code=call.status,
        upstream_status=relay.upstream_status,
        decision=call.decision(verdict),
        rules=verdict.rules,
        entity_types=tuple(sorted(verdict.entity_counts)),
        entity_counts=dict(verdict.entity_counts),
        prompt=call.prompt.decode("utf-8", errors="replace"),
        prompt_forwarded=call.forwarded.decode("utf-8", errors="replace"),
        response=call.stored_response(relay.output),
        prompt_tokens=relay.usage.prompt_tokens,
        completion_tokens=relay.usage.completion_tokens,
        latency_ms=round(latency * 1000, 3),
        ttfb_ms=round(relay.ttfb * 1000, 3),
        error=call.error or relay.stream_error,
        content_mode=call.content_mode,
        client_request_id=call.client_request_id,
        cost=call.cost(),
    )


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> ConfigSnapshot:
    tmp = tmp_path_factory.mktemp("event_build")
    env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    settings = parse_settings({"data_dir": str(tmp)}, environ=env, base_dir=Path(tmp))
    return ConfigSnapshot.build(settings, env, keys=KeySet(), inspector=AllowAll())


def _route() -> Route:
    provider = ProviderConfig(kind="openai", base_url="http://127.0.0.1:9")  # type: ignore[arg-type]
    entry = ModelEntry(name="gpt-4o", provider="openai", upstream_model="gpt-4o-2024")
    return Route(entry=entry, provider_name="openai", provider=provider, listed=True)


def _plain(call: CallRecord) -> None:
    """An answered call with usage, by a virtual-key caller."""
    call.identity = Identity(user="ana", team="risk", app="bot", key_id="vk-1")
    call.api, call.route, call.model, call.upstream_model = Api.CHAT, _route(), "gpt-4o", "g-2"
    call.status, call.prompt, call.content_mode = 200, b'{"a":"\xff caf\xc3\xa9"}', "hash"
    call.client_request_id = "caller-id-0001"
    call.relay.upstream_status, call.relay.ttfb = 200, 0.01234567
    call.relay.usage, call.relay.output = Usage(230, 12), "the answer"


def _redacted_stream(call: CallRecord) -> None:
    """A redacted stream cut short, with findings in both directions."""
    _plain(call)
    call.stream, call.forwarded = True, b'{"a":"<EMAIL>"}'
    call.request_verdict = Verdict(Action.REDACT, ("r1", "r2"), {"EMAIL_ADDRESS": 2, "IBAN": 1})
    call.relay.verdict = Verdict(Action.FLAG, ("r2", "r3"), {"EMAIL_ADDRESS": 1, "PERSON": 1})
    call.relay.stream_error = "upstream_reset"
    call.stored_response = str.upper


def _refused(call: CallRecord) -> None:
    """A call refused before any routing: no identity, no route, an error."""
    call.status, call.error = 401, "missing_api_key"


def _blocked(call: CallRecord) -> None:
    """A call the policy blocked."""
    _plain(call)
    call.status, call.error = 403, "policy_violation"
    call.request_verdict = Verdict(Action.BLOCK, ("no-keys",), {"API_KEY": 1}, "blocked")
    call.relay.upstream_status, call.relay.usage = 0, Usage(0, 0)


@pytest.mark.parametrize("shape", [_plain, _redacted_stream, _refused, _blocked, None])
def test_event_of_builds_the_keyword_event_field_for_field(
    snapshot: ConfigSnapshot, shape: Any
) -> None:
    """Every field of the event ``to_event`` builds equals, in value and type, the field
    the keyword constructor sets from the same call."""
    call = CallRecord(
        request_id="0190a1b2c3d4e5f60718293a4b5c6d7e",
        ts=datetime(2026, 11, 30, 12, 0, 1, 234000, tzinfo=UTC),
        method="POST",
        endpoint="/v1/chat/completions",
        client_ip="10.0.0.7",
        snapshot=snapshot,
    )
    if shape is not None:
        shape(call)
    got, want = call.to_event(0.0456789), _keyword_event(call, 0.0456789)
    for f in dataclasses.fields(CallEvent):
        mine, theirs = getattr(got, f.name), getattr(want, f.name)
        assert (mine, type(mine)) == (theirs, type(theirs)), f.name
    assert got == want


def test_event_of_needs_one_value_per_field_and_builds_a_frozen_event() -> None:
    """Too few values are refused, and the event it builds cannot be changed."""
    count = len(dataclasses.fields(CallEvent))
    with pytest.raises(ValueError, match="30 fields, got 2 values"):
        event_of(("too", "few"))
    values = tuple(range(count))
    event = event_of(values)
    assert dataclasses.astuple(event) == values
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.user = "someone else"  # type: ignore[misc]
