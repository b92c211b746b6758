"""Health endpoints, Prometheus metrics and the access log, which never carry secrets."""

from __future__ import annotations

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from structlog.testing import capture_logs

from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY, Proxy, StartProxy

SECRET_PROMPT = "my customer Jane Roe lives at 12 Secret Lane"


async def fetch(proxy: Proxy, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(proxy.url + path) as response:
        return response.status, await response.text()


async def test_health_and_readiness(start_proxy: StartProxy) -> None:
    """/healthz answers when the process is up and /readyz when it can serve."""
    proxy = await start_proxy()
    assert (await fetch(proxy, "/healthz"))[0] == 200
    status, body = await fetch(proxy, "/readyz")
    assert status == 200
    assert '"ready":true' in body.replace(" ", "")


async def test_not_ready_without_credentials_for_virtual_key_callers(
    start_proxy: StartProxy,
) -> None:
    """In virtual-key mode with no provider key anywhere, /readyz says why it is not ready."""
    proxy = await start_proxy(
        {"auth": {"mode": "virtual_keys"}},
        environ={"OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": ""},
    )
    status, body = await fetch(proxy, "/readyz")
    assert status == 503
    assert "no provider credential" in body


async def test_metrics_count_calls_tokens_and_latency(start_proxy: StartProxy) -> None:
    """After a call, /metrics shows it in the request, token and latency series."""
    proxy = await start_proxy()
    await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": SECRET_PROMPT}]
    )
    status, text = await fetch(proxy, "/metrics")
    assert status == 200
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    calls = [
        v
        for (name, labels), v in samples.items()
        if name == "llm_proxy_requests_total" and ("decision", "allow") in labels
    ]
    assert calls == [1.0]
    tokens = {
        dict(labels)["direction"]: v
        for (name, labels), v in samples.items()
        if name == "llm_proxy_tokens_total"
    }
    assert tokens == {"input": 12.0, "output": 5.0}
    assert any(name == "llm_proxy_upstream_ttfb_seconds_count" for name, _ in samples)


async def test_no_metric_label_carries_user_ids_keys_or_prompt_text(
    start_proxy: StartProxy,
) -> None:
    """Metric labels hold only bounded values: never user ids, keys or prompt text."""
    proxy = await start_proxy()
    await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": SECRET_PROMPT}]
    )
    _, text = await fetch(proxy, "/metrics")
    user = proxy.sink.last.user
    for forbidden in (CALLER_KEY, user, "Jane Roe", "Secret Lane"):
        assert forbidden not in text


async def test_invented_model_names_cannot_grow_metric_series_without_bound(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """Past a fixed number of distinct models, new names are counted as 'other'."""
    proxy = await start_proxy()
    proxy.services.model_label._limit = 3
    client = proxy.openai()
    for i in range(6):
        await client.embeddings.create(model=f"made-up-{i}", input="x")
    _, text = await fetch(proxy, "/metrics")
    assert 'model="made-up-2"' in text
    assert 'model="made-up-3"' not in text
    assert 'model="other"' in text


async def test_access_log_has_identity_and_numbers_but_no_prompt_or_key(
    start_proxy: StartProxy,
) -> None:
    """Each call writes one access log line with ids and timings, never content or keys."""
    proxy = await start_proxy()
    with capture_logs() as logs:
        stream = await proxy.openai().chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": SECRET_PROMPT}],
            stream=True,
        )
        async for _ in stream:
            pass
    calls = [line for line in logs if line["event"] == "call"]
    assert len(calls) == 1
    line = calls[0]
    assert line["status"] == 200
    assert line["model"] == "gpt-4o-mini"
    assert line["key_id"].startswith("pt-")
    assert line["completion_tokens"] == 5
    flat = repr(logs)
    assert CALLER_KEY not in flat
    assert "Jane Roe" not in flat
    assert "Hello from the fake" not in flat


async def test_passthrough_forwards_the_callers_key_and_records_only_a_fingerprint(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """In pass-through mode the caller's own key goes upstream; the event holds a fingerprint."""
    proxy = await start_proxy()
    await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
    )
    assert fake.last.headers["authorization"] == f"Bearer {CALLER_KEY}"
    event = proxy.sink.last
    assert event.key_id.startswith("pt-")
    assert CALLER_KEY not in repr(event)


async def test_metrics_can_move_to_their_own_listener(start_proxy: StartProxy) -> None:
    """With metrics.listen set, /metrics leaves the API listener and is served by its own app."""
    from aiohttp.test_utils import TestClient, TestServer

    from proxy.app import metrics_app

    proxy = await start_proxy({"metrics": {"listen": {"host": "127.0.0.1", "port": 0}}})
    status, _ = await fetch(proxy, "/metrics")
    assert status == 404
    async with TestClient(TestServer(metrics_app(proxy.metrics))) as client:
        response = await client.get("/metrics")
        assert response.status == 200
        assert "llm_proxy_build_info" in await response.text()
