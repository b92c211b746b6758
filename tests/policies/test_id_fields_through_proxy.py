"""Ids a caller writes in a body are read after their provider prefix (h156).

``previous_response_id``, a tool call's id and ``*_id`` fields of the provider's id shape
(``resp_…``, ``call_…``, ``file-…``) were skipped whole, so ``"resp_<AWS key id>"`` went to
the provider unread and rested in clear: the prefix's word characters hide a key from a
detector's word boundary. The part after the prefix is read now, and the prefix stays as
sent. The default policy through the real proxy, the official openai SDK, a fake upstream
recording what reaches it, the real embedded engine.
"""

from __future__ import annotations

from typing import Any

import openai
import pytest

from tests.fakes import FakeUpstream
from tests.policies.factories import AWS_KEY, OPENAI_KEY
from tests.policies.test_envelope_through_proxy import stored
from tests.proxy.conftest import Proxy

MODEL = "gpt-4o"
#: Ids of the shapes OpenAI issues: read, and passed as sent.
RESPONSE_ID = "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b"
CALL_ID = "call_hRbGMxQE3XBYkaqGmr3Ov1Kk"


def _tool_turn(call_id: str) -> Any:
    """A chat history whose assistant called a tool under ``call_id``, and its answer."""
    call = {"id": call_id, "type": "function", "function": {"name": "f", "arguments": "{}"}}
    return [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": call_id, "content": "ok"},
    ]


async def test_a_key_behind_resp_in_previous_response_id_is_blocked(
    recording_proxy: Proxy, fake: FakeUpstream
) -> None:
    """``previous_response_id: resp_<AWS key id>`` gets 403 naming the key's type; nothing
    reaches the provider and no row holds the key."""
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await recording_proxy.openai().responses.create(
            model=MODEL, input="hi", previous_response_id=f"resp_{AWS_KEY}"
        )
    assert caught.value.response.json()["error"]["entity_types"] == ["AWS_ACCESS_KEY_ID"]
    assert fake.requests == []
    assert all(AWS_KEY not in str(row) for row in await stored(recording_proxy))


async def test_a_key_behind_call_in_a_tool_call_id_is_blocked(
    recording_proxy: Proxy, fake: FakeUpstream
) -> None:
    """A key glued after ``call_`` as a tool call's id is found too: 403, nothing sent."""
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await recording_proxy.openai().chat.completions.create(
            model=MODEL, messages=_tool_turn(f"call_{OPENAI_KEY}")
        )
    assert caught.value.response.json()["error"]["entity_types"] == ["OPENAI_API_KEY"]
    assert fake.requests == []
    assert all(OPENAI_KEY not in str(row) for row in await stored(recording_proxy))


async def test_provider_issued_ids_are_forwarded_as_sent(
    recording_proxy: Proxy, fake: FakeUpstream
) -> None:
    """Ids of the provider's shapes are read and pass: the call goes upstream unchanged."""
    await recording_proxy.openai().responses.create(
        model=MODEL, input="hi", previous_response_id=RESPONSE_ID
    )
    assert fake.last.json["previous_response_id"] == RESPONSE_ID
    await recording_proxy.openai().chat.completions.create(
        model=MODEL, messages=_tool_turn(CALL_ID)
    )
    assert fake.last.json["messages"][2]["tool_call_id"] == CALL_ID
    assert fake.last.json["messages"][1]["tool_calls"][0]["id"] == CALL_ID
