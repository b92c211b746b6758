"""Error answers never repeat what the caller wrote where a key may sit (h156).

A caller's path, headers and model name are its own text: an ``AzureOpenAI`` client sends
its key as a deployment name, a misconfigured client a key as a header's value. The proxy's
error messages name the route's fixed words and the API's own values, never the caller's.
Through the real proxy, raw aiohttp as the caller, a fake upstream recording what reaches
it, the real embedded engine for the rows.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from proxy.config.key_changes import create_key
from tests.fakes import FakeUpstream
from tests.policies.factories import AWS_KEY, OPENAI_KEY
from tests.policies.test_envelope_through_proxy import stored
from tests.proxy.conftest import Proxy, StartProxy
from tests.proxy.test_register import register_config

CHAT: Any = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
#: A password no detector finds on its own: what the policy passes in a path segment.
PASSWORD = "Tr0ub4dor!3xQ"


async def _answer(
    proxy: Proxy, method: str, path: str, headers: dict[str, str] | None = None, **kw: Any
) -> tuple[int, str]:
    """The status and body text of one raw call to ``path``."""
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.request(method, f"{proxy.url}{path}", **kw) as response,
    ):
        return response.status, await response.text()


@pytest.mark.parametrize(
    "path",
    [
        f"/openai/deployments/{OPENAI_KEY}/chat/completions?api-version=2024-10-21",
        f"/{AWS_KEY}",
        f"/v2/{AWS_KEY}/models",
    ],
    ids=["azure-deployment", "alone", "under-another-version"],
)
async def test_an_unrouted_path_is_answered_without_the_callers_segments(
    start_proxy: StartProxy,
    fake: FakeUpstream,
    clickhouse_url: str,
    store_database: str,
    path: str,
) -> None:
    """A path no route serves gets 404 naming the path with the caller's segments masked:
    the key is in neither the answer nor any row, and nothing goes upstream."""
    store = {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05}
    proxy = await start_proxy({"store": store}, event_log=True)
    status, body = await _answer(proxy, "POST", path, json=CHAT)
    assert status == 404
    assert OPENAI_KEY not in body
    assert AWS_KEY not in body
    assert "<UNREAD>" in body
    assert fake.requests == []
    assert all(
        AWS_KEY not in str(row) and OPENAI_KEY not in str(row) for row in await stored(proxy)
    )


async def test_an_unrouted_azure_path_still_names_its_route_words(
    start_proxy: StartProxy,
) -> None:
    """The 404 keeps the route's fixed words, so a caller can see which path it sent."""
    proxy = await start_proxy()
    status, body = await _answer(proxy, "GET", f"/openai/deployments/{OPENAI_KEY}/chat/completions")
    assert status == 404
    assert "/deployments/<UNREAD>/chat/completions" in body


async def test_an_unsupported_content_encoding_is_not_repeated(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A key sent as Content-Encoding gets 415 naming the encodings the proxy takes, not
    the value sent."""
    proxy = await start_proxy()
    headers = {"Authorization": "Bearer sk-caller", "Content-Encoding": AWS_KEY}
    status, body = await _answer(
        proxy, "POST", "/v1/chat/completions", headers, data=b'{"model": "gpt-4o"}'
    )
    assert status == 415
    assert AWS_KEY not in body
    assert AWS_KEY.lower() not in body
    assert "gzip" in body
    assert fake.requests == []


async def test_a_path_a_closed_register_refuses_is_not_repeated(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A model-less path the closed register does not let through gets 403
    ``path_not_allowed`` without the path's segments, even one the policy passed."""
    proxy = await start_proxy(register_config(fake))
    issued = create_key(proxy.settings.keys_file, user="ann", team="research")
    proxy.services.keys.reload()
    headers = {"Authorization": f"Bearer {issued.key}"}
    status, body = await _answer(proxy, "POST", f"/v1/batches/{PASSWORD}/cancel", headers)
    assert status == 403
    assert '"path_not_allowed"' in body
    assert PASSWORD not in body
    assert fake.requests == []


async def test_a_model_the_key_is_not_entitled_to_is_not_repeated(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A key limited to some models naming another (here a key pasted as the model) gets 403
    ``model_not_entitled`` without the name sent."""
    proxy = await start_proxy()
    issued = create_key(proxy.settings.keys_file, user="ann", team="red", models=("gpt-4o",))
    proxy.services.keys.reload()
    headers = {"Authorization": f"Bearer {issued.key}"}
    status, body = await _answer(
        proxy, "POST", "/v1/chat/completions", headers, json={**CHAT, "model": AWS_KEY}
    )
    assert status == 403
    assert '"model_not_entitled"' in body
    assert AWS_KEY not in body
    assert fake.requests == []


async def test_a_model_the_key_is_not_entitled_to_rests_as_judged(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """The refused name the row and the access line read is the name as judged: one that
    reads as no model's (a password) rests as its fingerprint, not in clear."""
    proxy = await start_proxy()
    issued = create_key(proxy.settings.keys_file, user="ann", team="red", models=("gpt-4o",))
    proxy.services.keys.reload()
    headers = {"Authorization": f"Bearer {issued.key}"}
    status, _ = await _answer(
        proxy, "POST", "/v1/chat/completions", headers, json={**CHAT, "model": PASSWORD}
    )
    assert status == 403
    event = proxy.sink.last
    assert event.error == "model_not_entitled"
    assert event.model.startswith("<UNLISTED_MODEL:")
    assert PASSWORD not in event.model


async def test_a_listed_model_the_key_is_not_entitled_to_keeps_its_name(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A register's model name a key may not use rests in clear: which models staff try is
    the register's evidence."""
    proxy = await start_proxy()
    issued = create_key(proxy.settings.keys_file, user="ann", team="red", models=("gpt-4o",))
    proxy.services.keys.reload()
    headers = {"Authorization": f"Bearer {issued.key}"}
    status, body = await _answer(
        proxy, "POST", "/v1/chat/completions", headers, json={**CHAT, "model": "gpt-4o-mini"}
    )
    assert status == 403
    assert '"model_not_entitled"' in body
    assert proxy.sink.last.model == "gpt-4o-mini"
