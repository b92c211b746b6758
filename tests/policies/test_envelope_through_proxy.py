"""A credential in a call's query string or a header is judged as one in its body (h137).

``?api_key=sk-…`` and ``X-Debug: sk-…`` reached the provider unread, on inspected paths and
pass-through ones alike. The default policy through the real proxy, called with the official
SDKs and raw aiohttp, against a fake upstream that records what reaches it; the event log is
the real embedded ClickHouse engine.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import anthropic
import openai
import pytest
from multidict import CIMultiDict, MultiDict
from structlog.testing import capture_logs

from proxy.call.envelope import envelope_of
from proxy.call.providers import UpstreamRequest
from proxy.config.register import Route
from proxy.config.settings import ModelEntry, ProviderConfig, ProviderKind
from proxy.store import open_client
from tests.fakes import FakeUpstream
from tests.policies.factories import EMAIL, OPENAI_KEY
from tests.proxy.conftest import CALLER_KEY, Proxy
from tests.proxy.test_event_log import flush

MODEL = "gpt-4o-mini"
HI: Any = [{"role": "user", "content": "hi"}]


@pytest.fixture
def proxy(recording_proxy: Proxy) -> Proxy:
    """See :func:`tests.policies.conftest.recording_proxy`."""
    return recording_proxy


async def stored(proxy: Proxy) -> list[tuple[Any, ...]]:
    """Every recorded call's row, all columns."""
    await flush(proxy)
    store = proxy.settings.store
    client = open_client(store)
    try:
        return [
            tuple(row)
            for row in client.query(f"SELECT * FROM {store.database}.requests").result_rows
        ]
    finally:
        client.close()


def assert_blocked_unsent(
    error: openai.APIStatusError | anthropic.APIStatusError, fake: FakeUpstream
) -> None:
    """403 naming the rule and the key's type, never the key; nothing went upstream."""
    body = error.response.json()["error"]
    assert (error.status_code, body["code"]) == (403, "policy_violation")
    assert (body["rules"], body["entity_types"]) == (["block-secrets"], ["OPENAI_API_KEY"])
    assert OPENAI_KEY not in error.response.text
    assert fake.requests == []


async def test_a_key_in_the_query_string_of_a_chat_call_is_blocked(
    proxy: Proxy, fake: FakeUpstream
) -> None:
    """``?api_key=<key>`` on an inspected path gets 403; the row and access line hold the
    path without its query, and the key nowhere."""
    with capture_logs() as logs, pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().chat.completions.create(
            model=MODEL, messages=HI, extra_query={"api_key": OPENAI_KEY}
        )
    assert_blocked_unsent(caught.value, fake)
    [row] = await stored(proxy)
    assert "/v1/chat/completions" in row
    assert OPENAI_KEY not in str(row)
    assert OPENAI_KEY not in repr(logs)


async def test_a_key_in_a_custom_header_is_blocked(proxy: Proxy, fake: FakeUpstream) -> None:
    """``X-Debug: <key>`` gets 403, through the openai and the anthropic SDK."""
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().chat.completions.create(
            model=MODEL, messages=HI, extra_headers={"X-Debug": OPENAI_KEY}
        )
    assert_blocked_unsent(caught.value, fake)
    with pytest.raises(anthropic.PermissionDeniedError) as denied:
        await proxy.anthropic().messages.create(
            model="claude-test-model",
            max_tokens=5,
            messages=[{"role": "user", "content": "hi"}],
            extra_headers={"X-Debug": OPENAI_KEY},
        )
    assert_blocked_unsent(denied.value, fake)
    assert all(OPENAI_KEY not in str(row) for row in await stored(proxy))


async def test_a_labelled_password_in_a_header_is_blocked(proxy: Proxy, fake: FakeUpstream) -> None:
    """A header is read with its name: ``X-Db-Password: Autumn2024!`` is a labelled
    password, as in a prompt."""
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().chat.completions.create(
            model=MODEL, messages=HI, extra_headers={"X-Db-Password": "Autumn2024!"}
        )
    assert caught.value.response.json()["error"]["entity_types"] == ["PASSWORD"]
    assert fake.requests == []


@pytest.mark.parametrize("where", ["query", "header"])
async def test_a_key_sent_to_a_pass_through_path_is_blocked(
    proxy: Proxy, fake: FakeUpstream, where: str
) -> None:
    """A pass-through path (``GET /v1/files``, no body at all) is judged too."""
    params = {"after": OPENAI_KEY} if where == "query" else {}
    headers = {"Authorization": f"Bearer {CALLER_KEY}"}
    if where == "header":
        headers["X-Trace-Token"] = OPENAI_KEY
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{proxy.url}/v1/files", params=params, headers=headers) as sent,
    ):
        text = await sent.text()
    assert (sent.status, fake.requests) == (403, [])
    assert OPENAI_KEY not in text


async def test_an_email_in_a_header_is_forwarded_as_the_policy_masks_it(
    proxy: Proxy, fake: FakeUpstream
) -> None:
    """What the policy pseudonymises in a prompt (an e-mail address) goes upstream masked in
    a header too; the caller's other headers and query go unchanged."""
    await proxy.openai().chat.completions.create(
        model=MODEL,
        messages=HI,
        extra_headers={"X-End-User": EMAIL, "X-Team": "search"},
        extra_query={"trace": "on"},
    )
    sent = fake.last.headers
    assert sent["X-End-User"].startswith("<EMAIL_ADDRESS")
    assert EMAIL not in str(sent)
    assert sent["X-Team"] == "search"
    assert fake.last.query == {"trace": "on"}
    [row] = await stored(proxy)
    assert "pseudonymise" in row


async def test_clean_query_and_headers_go_unchanged(proxy: Proxy, fake: FakeUpstream) -> None:
    """A list call's paging parameters and a caller's own header reach the provider as sent."""
    await proxy.openai().files.list(extra_query={"limit": "20"}, extra_headers={"X-Team": "a"})
    assert (fake.last.query, fake.last.headers["X-Team"]) == ({"limit": "20"}, "a")


def _route(base_url: str) -> Route:
    provider = ProviderConfig(kind=ProviderKind.OPENAI_COMPATIBLE, base_url=base_url)
    entry = ModelEntry(name="gemini-2.0-flash", provider="google")
    return Route(entry=entry, provider_name="google", provider=provider, listed=True)


@pytest.mark.parametrize(
    ("base_url", "read"),
    [
        ("https://generativelanguage.googleapis.com/v1beta/openai", False),
        ("https://llm.example.com/v1", True),
    ],
    ids=["google", "another"],
)
def test_googles_key_is_its_credential_on_a_google_route_only(base_url: str, read: bool) -> None:
    """``key=`` and ``x-goog-api-key`` are relayed unread to Google (its credential, as
    ``Authorization`` is OpenAI's); to any other provider they are read."""
    upstream = UpstreamRequest(
        url=_route(base_url).provider.base_url,  # type: ignore[arg-type]
        headers=CIMultiDict({"x-goog-api-key": OPENAI_KEY, "Accept": "application/json"}),
        params=MultiDict({"key": OPENAI_KEY, "api-version": "2024-10-21"}),
    )
    envelope = envelope_of(upstream, _route(base_url))
    if not read:
        assert envelope is None
        return
    assert envelope is not None
    assert envelope.view() == {
        "query": [f"key={OPENAI_KEY}"],
        "headers": [f"x-goog-api-key: {OPENAI_KEY}"],
    }
