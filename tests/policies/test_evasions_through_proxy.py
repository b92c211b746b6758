"""Evasions of the default policy, end to end: each is caught before the provider sees it.

The proxy runs the shipped default policy with the real detectors (Presidio, secrets) as in
production, through the official OpenAI SDK, in front of a fake upstream that records what
it receives. Each value here reached the upstream before detection ran on normalised,
decoded and cross-message views of the prompt.
"""

from __future__ import annotations

import base64
import json
import random
import string
import textwrap
import zlib
from pathlib import Path
from typing import Any

import openai
import pytest

from detectors.checks import base62_encode
from tests.detectors.key_samples import pem_body, pkcs1_rsa, pkcs8
from tests.fakes import FakeUpstream
from tests.policies.factories import EMAIL
from tests.proxy.conftest import Proxy, StartProxy

MODEL = "gpt-4o-mini"
ZWSP = "\u200b"
_RNG = random.Random(11)
_BODY = "".join(_RNG.choice(string.ascii_letters + string.digits) for _ in range(30))
GITHUB = f"ghp_{_BODY}{base62_encode(zlib.crc32(_BODY.encode()), 6)}"
AWS_ID = "AKIAIOSFODNN7EXAMPLQ"
AWS_SECRET = "".join(_RNG.choice(string.ascii_letters + string.digits + "+/") for _ in range(40))
AWS_PAIR = f"[default]\naws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_SECRET}\n"
#: Base64 lines as in a PEM body (random bytes: only its BEGIN line makes it a key).
RANDOM_PEM_BODY = "\n".join(textwrap.wrap(base64.b64encode(_RNG.randbytes(900)).decode(), 64))
CARD = "4111 1111 1111 1111"
FULLWIDTH_CARD = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else "\u3000" for c in CARD)


@pytest.fixture
async def proxy(start_proxy: StartProxy) -> Proxy:
    """The proxy enforcing the shipped default policy with in-process real detectors."""
    return await start_proxy(
        {"detectors": {"service": {"workers": 0, "budget_seconds": 30}}}, enforce=True
    )


async def _send(proxy: Proxy, *contents: str) -> Any:
    return await proxy.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": c} for c in contents]
    )


EVASIONS = {
    "base64-aws-key-pair": (
        [f"can you check my creds? {base64.b64encode(AWS_PAIR.encode()).decode()}"],
        {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"},
    ),
    "pem-body-without-armour": (
        [f"why does ssh reject this key?\n{pem_body(pkcs8(pkcs1_rsa()))}\n"],
        {"PRIVATE_KEY"},
    ),
    "pem-header-and-body-in-two-messages": (
        ["here is the key:\n-----BEGIN RSA PRIVATE KEY-----", f"{RANDOM_PEM_BODY}\n"],
        {"PRIVATE_KEY"},
    ),
    "github-token-split-over-two-messages": (
        [f"clone with {GITHUB[:17]}", f"{GITHUB[17:]} please"],
        {"GITHUB_TOKEN"},
    ),
    "fullwidth-card": ([f"charge card {FULLWIDTH_CARD} again"], {"CREDIT_CARD"}),
    "dotted-card": (["charge card 4111.1111.1111.1111 again"], {"CREDIT_CARD"}),
}


@pytest.mark.parametrize(("contents", "entity_types"), EVASIONS.values(), ids=EVASIONS.keys())
async def test_evasion_is_blocked_and_never_reaches_the_provider(
    proxy: Proxy, fake: FakeUpstream, contents: list[str], entity_types: set[str]
) -> None:
    """An encoded, unarmoured, split or disguised secret gets 403 and is never forwarded."""
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await _send(proxy, *contents)
    assert fake.requests == []
    error = caught.value.response.json()["error"]
    assert error["code"] == "policy_violation"
    assert entity_types <= set(error["entity_types"])
    event = proxy.sink.last
    assert (event.status_code, event.decision) == (403, "block")


async def test_email_with_a_zero_width_space_is_pseudonymised(
    proxy: Proxy, fake: FakeUpstream
) -> None:
    """An e-mail address with a zero-width space inside reaches the provider as a placeholder."""
    hidden = EMAIL[:5] + ZWSP + EMAIL[5:]
    fake.behaviour.echo_prompt = True
    reply = await _send(proxy, f"Write to {hidden} today")
    forwarded = fake.last.json["messages"][0]["content"]
    assert forwarded == "Write to <EMAIL_ADDRESS_1> today"
    assert EMAIL[5:].encode() not in fake.last.body
    assert reply.choices[0].message.content == f"Write to {hidden} today"
    assert proxy.sink.last.entity_types == ("EMAIL_ADDRESS",)


REDACT_SPLIT_SECRETS = {
    "version": 1,
    "name": "redact-secrets",
    "rule_sets": [
        {
            "name": "main",
            "rules": [
                {
                    "id": "redact-secrets",
                    "direction": "input",
                    "action": "redact",
                    "match": {"entities": ["SECRETS"]},
                }
            ],
        }
    ],
}


async def test_redaction_masks_every_piece_of_a_split_token(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """With a redact rule, both halves of a token split over two messages are masked."""
    policy_file = tmp_path / "redact.yaml"
    policy_file.write_text(json.dumps(REDACT_SPLIT_SECRETS))
    proxy = await start_proxy(
        {
            "policy": {"file": str(policy_file)},
            "detectors": {"enabled": ["secrets"], "service": {"workers": 0}},
        },
        enforce=True,
    )
    await _send(proxy, f"clone with {GITHUB[:17]}", f"{GITHUB[17:]} please")
    contents = [m["content"] for m in fake.last.json["messages"]]
    assert contents == ["clone with <GITHUB_TOKEN>", "<GITHUB_TOKEN> please"]
    assert GITHUB[:17].encode() not in fake.last.body
    assert GITHUB[17:].encode() not in fake.last.body
