"""The default policy lets a call that quotes AWS's documented example keys through, and
blocks the same call carrying a real key of their shape (issue 14, h82)."""

from __future__ import annotations

import pytest

from core.inspection import Action
from policies.inspector import PolicyInspector, RequestBlocked
from policies.scanning import DetectorScanner
from tests.policies.factories import call_info, chat, secrets_detector
from tests.policies.pattern_detection import cached_pack

DOCS_QUOTE = (
    "The AWS guide shows this credentials file, why does it fail?\n[default]\n"
    "aws_access_key_id = {id}\naws_secret_access_key = {secret}\n"
)
DOC_KEYS = {"id": "AKIAIOSFODNN7EXAMPLE", "secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
REAL_KEYS = {"id": "AKIAR4WQ7TNZ2XKCM5HJ", "secret": "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"}


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector."""
    return PolicyInspector(cached_pack(), DetectorScanner([secrets_detector()]))


async def test_quoting_the_documented_keys_is_allowed(inspector: PolicyInspector) -> None:
    """A prompt quoting AWS's documented example keys passes the default pack untouched."""
    inspection = await inspector.inspect_request(call_info(), chat(DOCS_QUOTE.format(**DOC_KEYS)))
    assert (inspection.verdict.action, inspection.body) == (Action.ALLOW, None)


async def test_real_keys_of_the_same_shape_are_blocked(inspector: PolicyInspector) -> None:
    """The same prompt with real keys of the examples' shapes is blocked by block-secrets."""
    with pytest.raises(RequestBlocked) as caught:
        await inspector.inspect_request(call_info(), chat(DOCS_QUOTE.format(**REAL_KEYS)))
    body = caught.value.body()["error"]
    assert body["rules"] == ["block-secrets"]
    assert body["entity_types"] == ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
