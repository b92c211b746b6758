"""A private key longer than the stream's hold limit is masked whole: the part released
when the limit forces text out, and every line after it up to the END line."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest

from policies.inspector import PolicyInspector
from tests.detectors.key_samples import pem_body, pkcs1_rsa
from tests.policies.pattern_detection import default_pack_inspector
from tests.policies.test_holdback_properties import redacted, streamed

#: A 4096-bit RSA key: about 3,200 characters, three times the default max_hold_chars.
BODY = pem_body(pkcs1_rsa(bits=4096))
KEY = f"-----BEGIN RSA PRIVATE KEY-----\n{BODY}\n-----END RSA PRIVATE KEY-----"


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    return default_pack_inspector()


@pytest.mark.parametrize("chunk", [7, 64, 500])
def test_a_key_longer_than_the_hold_limit_leaks_no_line(
    inspector: PolicyInspector, loop: asyncio.Runner, chunk: int
) -> None:
    """Streamed in chunks of any size, no line of a 4096-bit key's body reaches the caller,
    and the text around it is delivered."""
    answer = f"Here is the key you asked for:\n{KEY}\nKeep it safe."
    assert len(KEY) > 3 * 1024
    pieces = [answer[i : i + chunk] for i in range(0, len(answer), chunk)]
    joined = "".join(loop.run(streamed(inspector, pieces)))
    for line in BODY.splitlines():
        assert line not in joined
    assert joined.startswith("Here is the key you asked for:")
    assert joined.endswith("Keep it safe.")
    assert BODY.splitlines()[5] not in loop.run(redacted(inspector, answer))


def test_a_token_longer_than_the_hold_limit_is_masked_and_the_stream_ends(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """A 3,000-character JWT streamed in small chunks is forced out in parts by the hold
    limit; the stream still ends (a finding reaching back into released text once made the
    cut search loop for ever) and the token's signature is not delivered."""
    payload = base64.urlsafe_b64encode(json.dumps({"sub": "x" * 2200}).encode()).decode()
    token = f"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{payload.rstrip('=')}.{'s' * 43}"
    answer = f"Use this token: {token} and then call the API."
    assert len(token) > 3000
    pieces = [answer[i : i + 50] for i in range(0, len(answer), 50)]
    joined = "".join(loop.run(asyncio.wait_for(streamed(inspector, pieces), timeout=60)))
    assert "s" * 43 not in joined
    assert joined.endswith("and then call the API.")
