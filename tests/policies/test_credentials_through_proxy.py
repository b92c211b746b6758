"""Passwords in connection strings and config, end to end: the default policy blocks them.

The proxy runs the shipped default policy with the real detectors (Presidio, secrets),
through the official OpenAI SDK, in front of a fake upstream that records what it receives.
A URL's ``user:password@host`` is reported as a credential, never as an e-mail address
(which the default policy would only pseudonymise, half of it).
"""

from __future__ import annotations

from typing import Any

import openai
import pytest

from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy

MODEL = "gpt-4o-mini"


@pytest.fixture
async def proxy(start_proxy: StartProxy) -> Proxy:
    """The proxy enforcing the shipped default policy with in-process real detectors."""
    return await start_proxy(
        {"detectors": {"service": {"workers": 0, "budget_seconds": 30}}}, enforce=True
    )


async def _send(proxy: Proxy, content: str) -> Any:
    return await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": content}]
    )


CREDENTIALS = {
    "postgres-url": (
        "Why does this fail? DATABASE_URL=postgres://app:Autumn2024!@db.internal:5432/orders",
        "PASSWORD",
    ),
    "git-remote-userinfo": (
        "git push fails: remote is https://alice:sunny-river-12@github.com/acme/app.git",
        "PASSWORD",
    ),
    "ado-net": (
        "Server=tcp:sql.example.net,1433;User ID=sa;Password=bluebird;Encrypt=True; "
        "times out, why?",
        "PASSWORD",
    ),
    "kubernetes-env": (
        'Fix my deployment:\nenv:\n  - name: DB_PASSWORD\n    value: "sunny-river-12"\n',
        "PASSWORD",
    ),
    "yaml-client-secret": ("oauth:\n  client_id: web\n  client_secret: correcthorse\n", None),
}


@pytest.mark.parametrize(("content", "entity_type"), CREDENTIALS.values(), ids=CREDENTIALS.keys())
async def test_credential_is_blocked_and_never_reaches_the_provider(
    proxy: Proxy, fake: FakeUpstream, content: str, entity_type: str | None
) -> None:
    """A password in a URL, connection string or config entry gets 403 and is not forwarded."""
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await _send(proxy, content)
    assert fake.requests == []
    error = caught.value.response.json()["error"]
    assert error["code"] == "policy_violation"
    types = set(error["entity_types"])
    assert "EMAIL_ADDRESS" not in types
    assert entity_type is None or entity_type in types
    assert types & {"PASSWORD", "GENERIC_SECRET"}
    event = proxy.sink.last
    assert (event.status_code, event.decision) == (403, "block")


async def test_connection_string_with_a_placeholder_passes(
    proxy: Proxy, fake: FakeUpstream
) -> None:
    """A templated connection string (``${DB_PASSWORD}``) holds no secret and is forwarded."""
    content = "Is DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/orders the right syntax?"
    await _send(proxy, content)
    assert fake.last.json["messages"][0]["content"] == content
