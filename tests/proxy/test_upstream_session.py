"""The shared upstream session keeps no state of one caller for the next: no cookie jar."""

from __future__ import annotations

import openai
import pytest
from yarl import URL

from tests.fakes import FakeUpstream
from tests.proxy.conftest import StartProxy

pytestmark = pytest.mark.asyncio


async def test_a_cookie_an_upstream_sets_is_never_sent_on_a_later_call(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A cookie the provider sets on one caller's call (OpenAI's Cloudflare sets ``__cf_bm``)
    is not stored by the proxy's shared session and reaches no later call, another
    caller's included."""
    # A host name, not 127.0.0.1: a cookie jar ignores cookies from IP addresses.
    port = URL(fake.url).port
    proxy = await start_proxy(environ={"OPENAI_BASE_URL": f"http://localhost:{port}/v1"})
    fake.behaviour.status = 429
    fake.behaviour.error_headers = {"Set-Cookie": "__cf_bm=caller-one-state; Path=/"}
    with pytest.raises(openai.RateLimitError):
        await proxy.openai("sk-caller-one-0123456789").chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hello"}]
        )
    fake.behaviour.status = None
    answer = await proxy.openai("sk-caller-two-0123456789").chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hello"}]
    )
    assert answer.choices[0].message.content
    assert len(fake.requests) == 2
    assert "Cookie" not in fake.last.headers
