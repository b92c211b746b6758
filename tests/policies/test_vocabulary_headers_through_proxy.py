"""A vocabulary header (``User-Agent``, ``x-stainless-*``, API versions) is read when its
value is not of the vocabulary's shape (h149).

They were skipped whatever they held: ``User-Agent: my-app sk-proj-…`` or
``x-stainless-os: <key>`` reached the provider unread. The SDKs' own values still are not
read. The default policy through the real proxy, called with the official SDKs, against a
fake upstream that records what reaches it; the event log is the real embedded engine.
"""

from __future__ import annotations

from typing import Any

import anthropic
import openai
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict, CIMultiDictProxy

from proxy.call.envelope import envelope_of
from proxy.call.providers import UpstreamRequest, filter_request_headers
from proxy.config.register import Route
from proxy.config.settings import ModelEntry, ProviderConfig, ProviderKind
from tests.fakes import FakeUpstream
from tests.fuzzing import examples
from tests.policies.factories import AWS_KEY, EMAIL, OPENAI_KEY
from tests.policies.test_envelope_through_proxy import stored
from tests.proxy.conftest import Proxy

MODEL = "gpt-4o-mini"
HI: Any = [{"role": "user", "content": "hi"}]


@pytest.fixture
def proxy(recording_proxy: Proxy) -> Proxy:
    """See :func:`tests.policies.conftest.recording_proxy`."""
    return recording_proxy


async def _chat(proxy: Proxy, sdk: str, headers: dict[str, str]) -> None:
    """One chat call through ``sdk``'s client with ``headers`` set over the SDK's own."""
    if sdk == "openai":
        await proxy.openai().chat.completions.create(
            model=MODEL, messages=HI, extra_headers=headers
        )
    else:
        await proxy.anthropic().messages.create(
            model="claude-test-model", max_tokens=5, messages=HI, extra_headers=headers
        )


@pytest.mark.parametrize(
    ("sdk", "name", "value", "found"),
    [
        ("openai", "User-Agent", f"my-app/1.0 {OPENAI_KEY}", "OPENAI_API_KEY"),
        ("openai", "x-stainless-os", AWS_KEY, "AWS_ACCESS_KEY_ID"),
        ("anthropic", "anthropic-version", OPENAI_KEY, "OPENAI_API_KEY"),
        ("anthropic", "User-Agent", OPENAI_KEY, "OPENAI_API_KEY"),
    ],
    ids=["openai-user-agent", "openai-stainless-os", "anthropic-version", "anthropic-user-agent"],
)
async def test_a_key_in_a_vocabulary_header_is_blocked(  # noqa: PLR0917 (the table's columns)
    proxy: Proxy, fake: FakeUpstream, sdk: str, name: str, value: str, found: str
) -> None:
    """A key the caller sets in a header the SDKs write gets 403 naming its type; nothing
    goes upstream; the key is in no row."""
    with pytest.raises((openai.PermissionDeniedError, anthropic.PermissionDeniedError)) as caught:
        await _chat(proxy, sdk, {name: value})
    refused = caught.value
    assert isinstance(refused, openai.APIStatusError | anthropic.APIStatusError)
    error = refused.response.json()["error"]
    assert (error["code"], error["entity_types"]) == ("policy_violation", [found])
    assert value not in refused.response.text
    assert fake.requests == []
    assert all(value not in str(row) for row in await stored(proxy))


async def test_an_email_in_the_user_agent_goes_upstream_masked(
    proxy: Proxy, fake: FakeUpstream
) -> None:
    """What the policy pseudonymises in a prompt goes upstream masked in ``User-Agent``;
    the SDK's other headers go as the SDK wrote them."""
    await _chat(proxy, "openai", {"User-Agent": f"my-app/1.0 ({EMAIL})"})
    sent = fake.last.headers
    assert sent["User-Agent"].startswith("my-app/1.0 (<EMAIL_ADDRESS")
    assert EMAIL not in str(sent)
    assert sent["x-stainless-lang"] == "python"
    [row] = await stored(proxy)
    assert "pseudonymise" in row


#: A route to a provider other than Google's (whose key header is its credential).
ROUTE = Route(
    entry=ModelEntry(name=MODEL, provider="p"),
    provider_name="p",
    provider=ProviderConfig(kind=ProviderKind.OPENAI_COMPATIBLE, base_url="https://llm.test"),
    listed=True,
)


@pytest.mark.parametrize("sdk", ["openai", "anthropic"])
async def test_the_sdks_own_headers_are_not_read(
    proxy: Proxy, fake: FakeUpstream, sdk: str
) -> None:
    """Every header an official SDK sends, as it reaches the provider, is skipped: no
    inspection for a plain SDK call (the fast path)."""
    await _chat(proxy, sdk, {})
    # What the SDK sent, less what the proxy's client sets itself (Host, Content-Length, ...).
    headers = filter_request_headers(CIMultiDictProxy(CIMultiDict(fake.last.headers)))
    for set_by_the_client in ("Accept-Encoding", "Content-Length"):
        headers.popall(set_by_the_client, None)
    upstream = UpstreamRequest(url=fake.url, headers=headers, params=None)  # type: ignore[arg-type]
    assert envelope_of(upstream, ROUTE) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0.0.0"),
        ("Content-Type", "multipart/form-data; boundary=3f1e5c0a2b7d4e6f9a8b7c6d5e4f3a2b"),
        ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        ("anthropic-beta", "fine-grained-tool-streaming-2025-05-14,prompt-caching-2024-07-31"),
        ("x-stainless-arch", "other:x86_64"),
        ("Accept-Language", "en-US,en;q=0.9"),
    ],
)
def test_vocabulary_values_are_not_read(name: str, value: str) -> None:
    """Browsers', HTTP's and the SDKs' values of these headers are of the vocabulary's
    shape, a multipart boundary and a trace id included."""
    upstream = UpstreamRequest(
        url="https://api.example.com",  # type: ignore[arg-type]
        headers=CIMultiDict({name: value}),
        params=None,
    )
    assert envelope_of(upstream, ROUTE) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("User-Agent", "app sk-live-0123456789abcdefghijKLMNOP"),
        ("x-stainless-os", "Autumn2024!"),
        ("x-stainless-lang", EMAIL),
        ("User-Agent", "a " * 200),
        ("traceparent", f"00-{OPENAI_KEY}-01"),
        ("Content-Type", f"application/json; charset={AWS_KEY}"),
    ],
    ids=["long-run", "bang", "at", "long", "not-w3c", "not-boundary"],
)
def test_values_of_another_shape_are_read(name: str, value: str) -> None:
    """A long run of letters and digits, an ``!`` or ``@``, over 256 characters: read as
    ``Name: value``; so is a vocabulary header sent twice."""
    upstream = UpstreamRequest(
        url="https://api.example.com",  # type: ignore[arg-type]
        headers=CIMultiDict({name: value}),
        params=None,
    )
    envelope = envelope_of(upstream, ROUTE)
    assert envelope is not None
    assert envelope.view() == {"query": [], "headers": [f"{name}: {value}"]}
    twice = CIMultiDict([("User-Agent", "OpenAI/Python 1.54.0"), ("user-agent", value)])
    upstream = UpstreamRequest(url="https://api.example.com", headers=twice, params=None)  # type: ignore[arg-type]
    envelope = envelope_of(upstream, ROUTE)
    assert envelope is not None
    assert len(envelope.view()["headers"]) == 2


@given(
    name=st.sampled_from(["User-Agent", "x-stainless-os", "anthropic-beta", "Accept"]),
    before=st.text(max_size=40),
    run=st.text("abcXYZ0189", min_size=17, max_size=60),
    after=st.text(max_size=40),
)
@settings(max_examples=examples(200))
def test_any_value_with_a_long_run_is_read(name: str, before: str, run: str, after: str) -> None:
    """Whatever surrounds it, a value holding a run of 17 letters and digits (a key's
    shape) is read."""
    value = f"{before} {run} {after}"
    upstream = UpstreamRequest(
        url="https://api.example.com",  # type: ignore[arg-type]
        headers=CIMultiDict({name: value}),
        params=None,
    )
    envelope = envelope_of(upstream, ROUTE)
    assert envelope is not None
    assert envelope.headers == ((name, value),)
