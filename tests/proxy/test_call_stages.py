"""The small stages pipeline.py is told in: request ids, the outgoing body, bound metric
series and the log renderer."""

from __future__ import annotations

import io
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
import structlog
from prometheus_client import CollectorRegistry

from proxy.call.apis import Api
from proxy.call.outgoing import outgoing_body
from proxy.call.record import new_request_id
from proxy.config.register import Route
from proxy.config.settings import ModelEntry, ProviderConfig
from proxy.logs import configure_logging
from proxy.metrics import Metrics


def _route(name: str = "gpt-4o", upstream: str | None = None, kind: str = "openai") -> Route:
    provider = ProviderConfig(kind=kind, base_url="http://127.0.0.1:9")  # type: ignore[arg-type]
    entry = ModelEntry(name=name, provider="openai", upstream_model=upstream)
    return Route(entry=entry, provider_name="openai", provider=provider, listed=True)


def test_request_ids_are_uuidv7_in_time_order_and_unique() -> None:
    """Request ids are RFC 9562 version-7 UUIDs carrying the current millisecond, unique."""
    before = time.time_ns() // 1_000_000
    ids = [new_request_id() for _ in range(2000)]
    after = time.time_ns() // 1_000_000
    assert len(set(ids)) == len(ids)
    for value in ids[:50]:
        parsed = uuid.UUID(value)
        assert len(value) == 32
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122
        assert before <= parsed.int >> 80 <= after
    assert [i[:12] for i in ids] == sorted(i[:12] for i in ids)


def test_an_unchanged_body_is_forwarded_re_encoded_from_what_was_judged() -> None:
    """A body with a duplicate key goes out as the parsed value the policy saw, not as sent."""
    raw = b'{"model": "gpt-4o", "messages": [], "model": "gpt-4o"}'
    body = orjson.loads(raw)
    out = outgoing_body(raw, body, None, _route(), Api.CHAT, model="gpt-4o", stream=False)
    assert out.body == orjson.dumps(body)
    assert out.body != raw
    assert not out.strip_usage_chunk


def test_the_policy_rewrite_and_the_upstream_model_are_what_goes_out() -> None:
    """A redacted body is forwarded with the register's upstream model in place of the alias."""
    body = {"model": "fast", "messages": [{"role": "user", "content": "mail a@b.example"}]}
    judged = {**body, "messages": [{"role": "user", "content": "mail <EMAIL_ADDRESS>"}]}
    route = _route("fast", upstream="gpt-4o-mini")
    out = outgoing_body(b"{}", body, judged, route, Api.CHAT, model="fast", stream=False)
    sent = orjson.loads(out.body)
    assert sent["model"] == "gpt-4o-mini"
    assert sent["messages"] == judged["messages"]
    assert list(sent) == list(body)  # the model keeps its place
    assert body["model"] == "fast"  # the caller's parsed body is not changed


@pytest.mark.parametrize(
    ("options", "added"),
    [
        (None, True),
        ({"include_usage": False}, True),
        ({"include_usage": True}, False),
        ("not an object", False),
    ],
)
def test_stream_usage_is_asked_for_only_when_the_caller_did_not(options: Any, added: bool) -> None:
    """An OpenAI stream asks for usage (and strips the extra chunk) unless the caller did."""
    body: dict[str, Any] = {"model": "gpt-4o", "messages": [], "stream": True}
    if options is not None:
        body["stream_options"] = options
    out = outgoing_body(b"{}", body, None, _route(), Api.CHAT, model="gpt-4o", stream=True)
    sent = orjson.loads(out.body)
    assert out.strip_usage_chunk is added
    if added:
        assert sent["stream_options"] == {**(options or {}), "include_usage": True}
    else:
        assert sent.get("stream_options") == options


def test_a_bodiless_call_forwards_the_raw_bytes() -> None:
    """A pass-through call whose body is not JSON is forwarded byte for byte."""
    out = outgoing_body(b"\x00raw", None, None, _route(), Api.OTHER, model="", stream=False)
    assert out.body == b"\x00raw"


def test_bound_series_are_the_labelled_series() -> None:
    """``Metrics.bound`` hands back the series ``labels()`` would, once per label set."""
    metrics = Metrics(CollectorRegistry())
    first = metrics.bound(metrics.tokens_total, "team", "gpt-4o", "openai", "input")
    first.inc(3)
    again = metrics.bound(metrics.tokens_total, "team", "gpt-4o", "openai", "input")
    again.inc(2)
    other = metrics.bound(metrics.tokens_total, "team", "gpt-4o", "openai", "output")
    other.inc(1)
    assert again is first
    sample = metrics.registry.get_sample_value
    labels = {"team": "team", "model": "gpt-4o", "provider": "openai"}
    assert sample("llm_proxy_tokens_total", {**labels, "direction": "input"}) == 5
    assert sample("llm_proxy_tokens_total", {**labels, "direction": "output"}) == 1


def test_log_lines_render_what_orjson_refuses_as_the_standard_library_would() -> None:
    """Log lines stay JSON for values orjson cannot or would render differently."""
    stream = io.StringIO()
    configure_logging("info", stream)
    try:
        when = datetime(2026, 1, 2, tzinfo=UTC)
        structlog.get_logger("test").info("odd", big=2**70, when=when, counts={1: 2})
        structlog.get_logger("test").info("plain", n=1, names=["a"])
    finally:
        configure_logging("info", io.StringIO())
    odd, plain = (json.loads(line) for line in stream.getvalue().splitlines())
    assert odd["big"] == 2**70
    assert odd["when"] == repr(when)
    assert odd["counts"] == {"1": 2}
    assert (plain["event"], plain["n"], plain["names"]) == ("plain", 1, ["a"])
