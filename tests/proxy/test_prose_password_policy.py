"""The default policy with the secrets detector: a password pasted in prose or on a command
line is blocked before it leaves, and prose about passwords is forwarded."""

from __future__ import annotations

import openai
import pytest

from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy

#: The default policy, with detection in-process and only the secrets detector (no spaCy).
SECRETS_ONLY = {"detectors": {"enabled": ["secrets"], "service": {"workers": 0}}}


async def chat(proxy: Proxy, text: str) -> str:
    reply = await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": text}]
    )
    return reply.choices[0].message.content or ""


@pytest.mark.parametrize(
    ("prompt", "password"),
    [
        ("the password for the staging db was changed to Winter2025# this morning", "Winter2025#"),
        ("why does `docker login -u bob -p S3cretPass registry.io` fail in CI?", "S3cretPass"),
        ("my colleague sent creds: deploy/Tr0ub4dor for the box, is that ok?", "Tr0ub4dor"),
    ],
)
async def test_default_policy_blocks_a_password_in_prose(
    start_proxy: StartProxy, fake: FakeUpstream, prompt: str, password: str
) -> None:
    """A password in a sentence or a command is blocked and never reaches the provider."""
    proxy = await start_proxy(SECRETS_ONLY, enforce=True)
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await chat(proxy, prompt)
    assert fake.requests == []
    assert caught.value.response.json()["error"]["code"] == "policy_violation"
    assert password not in caught.value.response.text
    assert proxy.sink.last.entity_types == ("PASSWORD",)


async def test_default_policy_forwards_prose_about_passwords(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A question about passwords with no password in it is forwarded."""
    proxy = await start_proxy(SECRETS_ONLY, enforce=True)
    await chat(proxy, "the password is incorrect although caps lock is off; the --password flag?")
    assert len(fake.requests) == 1
