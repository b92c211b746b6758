"""The stream's per-event fast paths (issue 11, h112) decide exactly what the general ones
decide: an event the SSE parser decoded is read for inspection inline in ``feed_all``, an
event built without its payload through ``PolicyStream._parse``; a rewritten payload is
copied along its changed paths by ``copy()``."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Sequence
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from core.inspection import OutputBlocked, Verdict
from core.sse import SSEEvent
from policies.inspector import PolicyInspector
from policies.loader import shipped_pack
from policies.stream_events import replaced
from proxy.call.sse import SSEParser
from tests.policies.factories import call_info, chat
from tests.policies.pattern_detection import pattern_scanner
from tests.policies.test_holdback_properties import FUZZ, PIECES, PROMPT
from tests.policies.test_stream_reads import grouped

#: Text with what JSON escapes or carries raw: quotes, backslashes, line breaks, U+2028,
#: non-ASCII; and pieces of answers with secrets, cards and e-mail addresses in them.
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from(["\n", "\r", "\u2028", '"', "\\", " ", "é", "中"]),
    max_size=10,
) | PIECES.map(lambda piece: piece[0])


def _chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"id": "c1", "object": "chat.completion.chunk", "choices": choices, **extra}


@st.composite
def chunk_payloads(draw: st.DrawFn) -> dict[str, Any] | str:
    """One event's data: an OpenAI chat chunk of any common shape, or not JSON."""
    kinds = ["content"] * 3 + ["role", "refusal", "tool", "two", "finish", "usage", "done"]
    kind = draw(st.sampled_from([*kinds, "comment"]))
    index = draw(st.integers(min_value=0, max_value=2))
    finish = draw(st.sampled_from([None, None, None, "stop"]))
    usage = draw(st.sampled_from([{}, {"usage": None}]))
    if kind == "content":
        choice = {"index": index, "delta": {"content": draw(TEXT)}, "finish_reason": finish}
        return _chunk([choice], **usage)
    if kind == "role":
        return _chunk([{"index": index, "delta": {"role": "assistant", "content": ""}}])
    if kind == "refusal":
        return _chunk([{"index": index, "delta": {"refusal": draw(TEXT)}, "finish_reason": finish}])
    if kind == "tool":
        call = {"index": draw(st.integers(0, 1)), "function": {"arguments": draw(TEXT)}}
        return _chunk([{"index": index, "delta": {"tool_calls": [call]}, "finish_reason": finish}])
    if kind == "two":
        first = {"index": 0, "delta": {"content": draw(TEXT)}, "finish_reason": None}
        second = {"index": 1, "delta": {"content": draw(TEXT)}, "finish_reason": finish}
        return _chunk([first, second])
    if kind == "finish":
        return _chunk([{"index": index, "delta": {}, "finish_reason": "stop"}])
    if kind == "usage":
        return _chunk([], usage={"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8})
    return "[DONE]" if kind == "done" else "not json"


def _wire(data: dict[str, Any] | str) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f"data: {text}\n\n".encode()


def _fields(events: Sequence[SSEEvent]) -> list[tuple[bytes, str | None, str]]:
    return [(event.raw, event.event, event.data) for event in events]


async def _sent(
    reads: Sequence[Sequence[SSEEvent]], prompt: dict[str, Any]
) -> tuple[list[list[tuple[bytes, str | None, str]]], Verdict]:
    """What the default policy sends for each read and at the end, and its verdict."""
    inspector = PolicyInspector(shipped_pack("default"), pattern_scanner())
    inspection = await inspector.inspect_request(call_info(stream=True), prompt)
    stream = inspection.output.stream()
    sent = []
    try:
        for read in reads:
            sent.append(_fields(await stream.feed_all(read)))
        sent.append(_fields(await stream.finish()))
    except OutputBlocked as blocked:
        return sent, blocked.verdict
    return sent, stream.verdict


@FUZZ
@given(
    st.lists(chunk_payloads(), min_size=1, max_size=14),
    st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=14),
    st.sampled_from([chat("Count to twenty, please."), PROMPT]),
)
def test_decoded_events_are_decided_as_undecoded_ones(
    loop: asyncio.Runner,
    datas: list[dict[str, Any] | str],
    sizes: list[int],
    prompt: dict[str, Any],
) -> None:
    """For any stream of chat chunks (content with escapes and unicode, roles, refusals,
    tool calls, two choices, finishes, usage, [DONE], not JSON) in any grouping into reads,
    the events sent for the parser's events (decoded, read inline) are those sent for the
    same events built without a payload (read by _parse), bytes, names and data."""
    parsed = SSEParser().feed(b"".join(map(_wire, datas)))
    assert len(parsed) == len(datas)
    assert all(event.payload is not None for event in parsed if event.data.startswith("{"))
    bare = [SSEEvent(event.raw, event.event, event.data) for event in parsed]
    fast = loop.run(_sent(grouped(parsed, sizes), prompt))
    general = loop.run(_sent(grouped(bare, sizes), prompt))
    assert fast == general


def _replaced_by_constructors(
    payload: dict[str, Any], replacements: dict[tuple[str | int, ...], str]
) -> dict[str, Any]:
    """The copy along each path made with list() and dict() (replaced before h112)."""
    result = dict(payload)
    for path, text in replacements.items():
        node: Any = result
        for key in path[:-1]:
            child = node[key]
            child = list(child) if isinstance(child, list) else dict(child)
            node[key] = child
            node = child
        node[path[-1]] = text
    return result


@st.composite
def payloads_with_paths(
    draw: st.DrawFn,
) -> tuple[dict[str, Any], dict[tuple[str | int, ...], str]]:
    """A chunk-like payload and replacements at the paths of its strings."""
    choices = draw(st.lists(chunk_payloads(), min_size=1, max_size=3))
    payload = _chunk([c for p in choices if isinstance(p, dict) for c in p["choices"]])
    paths: list[tuple[str | int, ...]] = []
    for position, choice in enumerate(payload["choices"]):
        for field, value in choice["delta"].items():
            if isinstance(value, str):
                paths.append(("choices", position, "delta", field))
            elif field == "tool_calls":
                paths.append(("choices", position, "delta", field, 0, "function", "arguments"))
    chosen = draw(st.lists(st.sampled_from(paths), unique=True)) if paths else []
    return payload, {path: draw(TEXT) for path in chosen}


@FUZZ
@given(payloads_with_paths())
def test_replaced_copies_as_the_constructors_did(
    case: tuple[dict[str, Any], dict[tuple[str | int, ...], str]],
) -> None:
    """A payload with strings replaced along any of its paths is what the list()/dict()
    copies made, and the decoded payload is left unchanged (it is shared)."""
    payload, replacements = case
    before = copy.deepcopy(payload)
    assert replaced(payload, replacements) == _replaced_by_constructors(payload, replacements)
    assert payload == before
