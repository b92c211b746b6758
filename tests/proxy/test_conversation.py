"""``logs show`` rendering: stored masks shown as they are, and secrets a row still holds in
clear (rows written before masking at rest) masked at render time, multi-line ones whole."""

from __future__ import annotations

import json
from typing import Any

from proxy.cli.conversation import mask_secrets, render_record
from tests.proxy.test_secrets_at_rest import AWS_SECRET, CARD, PEM, PEM_LINES

_RECORD: dict[str, Any] = {
    "request_id": "r1",
    "ts": "2026-11-29T10:00:00+00:00",
    "user": "u",
    "team": "t",
    "app": "",
    "key_id": "k",
    "client_ip": "127.0.0.1",
    "method": "POST",
    "endpoint": "/v1/chat/completions",
    "model": "gpt-4o-mini",
    "provider": "openai",
    "stream": False,
    "status_code": 403,
    "upstream_status": 0,
    "decision": "block",
    "error": "policy_violation",
    "rules": ["block-secrets"],
    "entity_types": ["PRIVATE_KEY"],
    "entity_counts": {"PRIVATE_KEY": 1},
    "prompt_tokens": 0,
    "completion_tokens": 0,
    "latency_ms": 1.0,
    "ttfb_ms": 0.0,
    "content_mode": "full",
    "prompt_forwarded": "",
    "response": "",
}


def _record(content: str) -> dict[str, Any]:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}]}
    return {**_RECORD, "prompt": json.dumps(body)}


def test_an_old_row_with_a_pem_key_is_masked_whole() -> None:
    """A PEM key stored in clear (an old row) is shown as one mask, no line of it printed."""
    out = render_record(_record(f"why does ssh reject this?\n{PEM}\nthanks"))
    assert not any(line in out for line in PEM_LINES)
    assert "[PRIVATE_KEY]" in out
    assert "why does ssh reject this?" in out
    assert "thanks" in out


def test_an_old_row_with_a_card_number_is_masked() -> None:
    """A Luhn-valid card number stored in clear is masked; other long numbers are not."""
    out = render_record(_record(f"charge {CARD} and order 1234 5678 9012 3456"))
    assert CARD not in out
    assert "charge [CREDIT_CARD]" in out
    assert "order 1234 5678 9012 3456" in out


def test_stored_fingerprint_masks_are_shown_as_they_are() -> None:
    """A row masked at rest renders its masks unchanged."""
    out = render_record(_record("key <AWS_SECRET_ACCESS_KEY:3f9a1c2b04de> leaked"))
    assert "key <AWS_SECRET_ACCESS_KEY:3f9a1c2b04de> leaked" in out


def test_reveal_prints_what_the_row_holds() -> None:
    """``--reveal`` skips the render-time masking (a masked row still shows masks only)."""
    assert AWS_SECRET in render_record(_record(f"secret {AWS_SECRET}"), reveal=True)


def test_each_finding_in_one_text_gets_its_own_mask() -> None:
    """A key and a card number in one text are both masked, each by its type."""
    assert mask_secrets(f"k {PEM} c {CARD}") == "k [PRIVATE_KEY] c [CREDIT_CARD]"
