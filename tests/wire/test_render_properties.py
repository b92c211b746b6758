"""``logs show`` renders any stored request or answer: the stored prompt is whatever JSON the
caller sent (the provider may have refused it, the proxy still logged it), so a responder
reading the record must never meet a traceback, whatever shape a field has."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given

from core.apis import Api
from proxy.cli.conversation import render_answer, render_request
from tests.policies.test_extract_properties import APIS, BODIES, FUZZ


@FUZZ
@given(APIS, BODIES)
@example(Api.CHAT, {"messages": [{"role": "assistant", "tool_calls": "call"}]})
@example(Api.CHAT, {"messages": [{"role": "assistant", "tool_calls": 3}]})
@example(Api.CHAT, {"messages": [{"role": "assistant", "tool_calls": [[1]]}]})
@example(Api.CHAT, {"messages": [{"tool_calls": [{"function": "f"}]}]})
@example(Api.RESPONSES, {"input": [{"role": "assistant", "tool_calls": {"id": "c"}}]})
def test_any_request_renders_as_lines(api: str, body: Any) -> None:
    """Any JSON request body of any API renders as lines of text, without error."""
    lines = render_request(json.dumps(body), api=api)
    assert all(isinstance(line, str) for line in lines)


@FUZZ
@given(APIS, BODIES)
@example(Api.CHAT, {"choices": [{"message": {"tool_calls": ["call"]}}]})
@example(Api.CHAT, {"choices": [{"message": {"tool_calls": [{"function": 1}]}}]})
def test_any_answer_renders_as_lines(api: str, body: Any) -> None:
    """Any JSON answer body of any API renders as lines of text, without error."""
    lines = render_answer(json.dumps(body), api=api)
    assert all(isinstance(line, str) for line in lines)


@pytest.mark.parametrize("tool_calls", ["call", 3, [[1]], [None], [{"function": "f"}], {"id": "c"}])
def test_odd_tool_calls_leave_the_message_readable(tool_calls: Any) -> None:
    """A message whose tool calls are not a list of call objects still shows its turn."""
    body = {"messages": [{"role": "assistant", "content": "hi", "tool_calls": tool_calls}]}
    lines = render_request(json.dumps(body), api=Api.CHAT)
    assert lines[:2] == ["[assistant]", "  hi"]
