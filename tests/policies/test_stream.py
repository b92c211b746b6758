"""Streamed answers: hold-back catches split secrets, blocks end the stream, pseudonyms return."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

from core.inspection import Action, OutputBlocked, PassStream, StreamInspector
from detectors.errors import DetectionTimeout
from policies.inspector import PolicyInspector
from policies.model import Policy
from proxy.call.apis import Api
from proxy.call.sse import SSEEvent
from tests.policies.factories import (
    EMAIL,
    OPENAI_KEY,
    FailingScanner,
    call_info,
    chat,
    policy,
    real_scanner,
)

OUTPUT_RULES = """
name: stream
detection:
  stream: {holdback_chars: 16, max_hold_chars: 256}
rule_sets:
  - name: main
    rules:
      - id: redact-secrets
        direction: output
        action: redact
        match: {entities: [SECRETS]}
      - id: pseudo-email
        action: pseudonymise
        match: {entities: [EMAIL_ADDRESS]}
"""
BLOCKING = OUTPUT_RULES.replace("action: redact", "action: block")


def event(data: dict[str, Any], name: str | None = None) -> SSEEvent:
    return SSEEvent.build(json.dumps(data), event=name)


def chat_chunk(text: str | None = None, finish: str | None = None) -> SSEEvent:
    delta = {} if text is None else {"content": text}
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    return event({"id": "c1", "object": "chat.completion.chunk", "choices": [choice]})


def chat_stream(pieces: Sequence[str]) -> list[SSEEvent]:
    head = event(
        {
            "id": "c1",
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}],
        }
    )
    done = SSEEvent.build("[DONE]")
    return [head, *(chat_chunk(p) for p in pieces), chat_chunk(finish="stop"), done]


def chat_text(events: Sequence[SSEEvent]) -> str:
    text = ""
    for e in events:
        if e.data.startswith("{"):
            for choice in json.loads(e.data)["choices"]:
                text += choice["delta"].get("content") or ""
    return text


async def stream_for(
    rules: Policy, api: Api = Api.CHAT, body: Any = None, **kw: Any
) -> StreamInspector:
    scanner = kw.pop("scanner", None) or real_scanner()
    inspector = PolicyInspector(rules, scanner)
    inspection = await inspector.inspect_request(call_info(api, stream=True), body or chat("hi"))
    return inspection.output.stream()


async def run(stream: StreamInspector, events: Sequence[SSEEvent]) -> list[SSEEvent]:
    out: list[SSEEvent] = []
    for e in events:
        out.extend(await stream.feed(e))
    out.extend(await stream.finish())
    return out


async def feed_into(
    stream: StreamInspector, events: Sequence[SSEEvent], sent: list[SSEEvent]
) -> None:
    for e in events:
        sent.extend(await stream.feed(e))


SPLIT = [f"Your key: {OPENAI_KEY[:14]}", f"{OPENAI_KEY[14:]} keep it safe. ", "Bye now."]


async def test_secret_split_across_chunks_is_masked_and_never_sent() -> None:
    """A secret arriving in two chunks is recognised whole and masked; no fragment leaks."""
    stream = await stream_for(policy(OUTPUT_RULES))
    out = await run(stream, chat_stream(SPLIT))
    assert chat_text(out) == "Your key: <OPENAI_API_KEY> keep it safe. Bye now."
    raw = b"".join(e.raw for e in out)
    assert b"sk-proj" not in raw
    assert OPENAI_KEY[14:30].encode() not in raw
    assert stream.verdict.action is Action.REDACT
    assert stream.verdict.rules == ("redact-secrets",)
    assert stream.verdict.entity_counts == {"OPENAI_API_KEY": 1}


async def test_stream_ends_with_the_events_in_order() -> None:
    """Held-back text is released before the finishing chunk and [DONE]."""
    stream = await stream_for(policy(OUTPUT_RULES))
    out = await run(stream, chat_stream(["a " * 30]))
    assert chat_text(out) == "a " * 30
    assert out[-1].data == "[DONE]"
    finishes = [
        e for e in out if '"finish_reason": "stop"' in e.data or '"finish_reason":"stop"' in e.data
    ]
    assert finishes
    assert out.index(finishes[0]) == len(out) - 2


async def test_blocking_mid_stream_raises_output_blocked() -> None:
    """A blocking output rule stops the stream; the secret's text was never released."""
    stream = await stream_for(policy(BLOCKING))
    sent: list[SSEEvent] = []
    with pytest.raises(OutputBlocked) as caught:
        await feed_into(stream, chat_stream(["Fine so far, all good here. ", *SPLIT]), sent)
    assert caught.value.extra == {"rules": ["redact-secrets"], "entity_types": ["OPENAI_API_KEY"]}
    assert "sk-proj" not in chat_text(sent)
    assert chat_text(sent).startswith("Fine so far")


async def test_pseudonyms_are_restored_when_a_placeholder_is_split() -> None:
    """A placeholder split across chunks of the answer is restored to the real value."""
    stream = await stream_for(policy(OUTPUT_RULES), body=chat(f"mail {EMAIL} please"))
    pieces = ["Mailed <EMAIL", "_ADDRESS", "_1> as asked", "."]
    out = await run(stream, chat_stream(pieces))
    assert chat_text(out) == f"Mailed {EMAIL} as asked."


async def test_restore_only_stream_when_no_output_rules() -> None:
    """Without output rules, text is released at once except a partial placeholder."""
    rules = policy(OUTPUT_RULES.replace("direction: output", "direction: input"))
    stream = await stream_for(rules, body=chat(f"mail {EMAIL}"))
    assert chat_text(await stream.feed(chat_chunk("Hi <EMAIL_"))) == "Hi "
    assert chat_text(await stream.feed(chat_chunk("ADDRESS_1>!"))) == f"{EMAIL}!"


async def test_nothing_to_do_is_a_pass_through() -> None:
    """With no output rules and no pseudonyms the stream inspector passes events through."""
    rules = policy(OUTPUT_RULES.replace("direction: output", "direction: input"))
    stream = await stream_for(rules)
    assert isinstance(stream, PassStream)


async def test_events_without_text_pass_byte_for_byte() -> None:
    """Events that carry no text are relayed unchanged, raw bytes included."""
    stream = await stream_for(policy(OUTPUT_RULES))
    ping = SSEEvent(raw=b': keepalive\ndata: {"type": "x"}\n\n', event=None, data='{"type": "x"}')
    assert await stream.feed(ping) == [ping]


async def test_hold_back_is_bounded() -> None:
    """Ordinary text is released with at most a small, bounded delay."""
    stream = await stream_for(policy(OUTPUT_RULES))
    fed = released = 0
    for _ in range(50):
        piece = "word " * 2
        fed += len(piece)
        released += len(chat_text(await stream.feed(chat_chunk(piece))))
        assert fed - released <= 16 + 8 + 10  # hold-back + one step + one piece
    assert released > 0


async def test_unfinished_word_is_held_until_max_hold() -> None:
    """A long unbroken token is held back as a unit, but never beyond max_hold_chars."""
    stream = await stream_for(policy(OUTPUT_RULES))
    held = "x" * 100
    assert chat_text(await stream.feed(chat_chunk("start " + held))) == "start "
    more = "y" * 300
    released = chat_text(await stream.feed(chat_chunk(more)))
    assert len("start " + held + more) - len("start ") - len(released) <= 256


async def test_stream_detector_failure_fails_closed() -> None:
    """When detection fails on a stream whose rules block, the stream is ended."""
    rules = policy(BLOCKING)
    inspector = PolicyInspector(rules, real_scanner())
    inspection = await inspector.inspect_request(call_info(stream=True), chat("hi"))
    inspection.output._scanner = FailingScanner(DetectionTimeout("slow"))  # type: ignore[attr-defined]
    stream = inspection.output.stream()
    with pytest.raises(OutputBlocked) as caught:
        await run(stream, chat_stream(["some text " * 5]))
    assert caught.value.extra["rules"] == ["detector_failed"]


def anthropic_stream(pieces: Sequence[str]) -> list[SSEEvent]:
    deltas = [
        event(
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}},
            "content_block_delta",
        )
        for p in pieces
    ]
    return [
        event({"type": "message_start", "message": {"id": "m"}}, "message_start"),
        event(
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
            "content_block_start",
        ),
        *deltas,
        event({"type": "content_block_stop", "index": 0}, "content_block_stop"),
        event({"type": "message_stop"}, "message_stop"),
    ]


async def test_anthropic_stream_split_secret_is_masked() -> None:
    """Anthropic text deltas are held back and masked; flushed text precedes the block stop."""
    stream = await stream_for(policy(OUTPUT_RULES), Api.MESSAGES, {"messages": []})
    out = await run(stream, anthropic_stream(SPLIT))
    text = "".join(
        json.loads(e.data)["delta"]["text"] for e in out if e.event == "content_block_delta"
    )
    assert text == "Your key: <OPENAI_API_KEY> keep it safe. Bye now."
    assert [e.event for e in out][-2:] == ["content_block_stop", "message_stop"]
    assert all(e.raw.startswith(b"event: ") for e in out)


def responses_stream(pieces: Sequence[str]) -> list[SSEEvent]:
    where = {"item_id": "msg_1", "output_index": 0, "content_index": 0}
    full = "".join(pieces)
    item = {"id": "msg_1", "type": "message", "content": [{"type": "output_text", "text": full}]}
    kinds: list[tuple[str, dict[str, Any]]] = [
        *(("response.output_text.delta", {**where, "delta": p}) for p in pieces),
        ("response.output_text.done", {**where, "text": full}),
        ("response.content_part.done", {**where, "part": {"type": "output_text", "text": full}}),
        ("response.output_item.done", {"output_index": 0, "item": item}),
        ("response.completed", {"response": {"id": "r", "output": [item]}}),
    ]
    return [event({"type": kind, **fields}, kind) for kind, fields in kinds]


async def test_responses_stream_masks_deltas_and_final_snapshots() -> None:
    """Responses deltas are masked and the full-text copies in the done events match."""
    stream = await stream_for(policy(OUTPUT_RULES), Api.RESPONSES, {"input": "hi"})
    out = await run(stream, responses_stream(SPLIT))
    expected = "Your key: <OPENAI_API_KEY> keep it safe. Bye now."
    payloads = [json.loads(e.data) for e in out]
    deltas = "".join(p["delta"] for p in payloads if p["type"] == "response.output_text.delta")
    assert deltas == expected
    by_type = {p["type"]: p for p in payloads}
    assert by_type["response.output_text.done"]["text"] == expected
    assert by_type["response.content_part.done"]["part"]["text"] == expected
    assert by_type["response.output_item.done"]["item"]["content"][0]["text"] == expected
    assert by_type["response.completed"]["response"]["output"][0]["content"][0]["text"] == expected
    assert b"sk-proj" not in b"".join(e.raw for e in out)


async def test_completions_stream_is_masked() -> None:
    """Legacy completion streams are held back and masked the same way."""
    stream = await stream_for(policy(OUTPUT_RULES), Api.COMPLETIONS, {"prompt": "hi"})

    def chunk(text: str, finish: str | None = None) -> SSEEvent:
        return event({"id": "x", "choices": [{"index": 0, "text": text, "finish_reason": finish}]})

    out = await run(
        stream, [*(chunk(p) for p in SPLIT), chunk("", "stop"), SSEEvent.build("[DONE]")]
    )
    text = "".join(
        c["text"] for e in out if e.data.startswith("{") for c in json.loads(e.data)["choices"]
    )
    assert text == "Your key: <OPENAI_API_KEY> keep it safe. Bye now."


async def test_responses_function_call_arguments_are_masked_in_deltas_and_snapshots() -> None:
    """A secret in streamed Responses tool-call arguments is masked, snapshots included."""
    stream = await stream_for(policy(OUTPUT_RULES), Api.RESPONSES, {"input": "hi"})
    arguments = json.dumps({"token": OPENAI_KEY, "note": "rotate it"})
    pieces = [arguments[:20], arguments[20:40], arguments[40:]]
    item = {"id": "fc_1", "type": "function_call", "name": "store", "arguments": arguments}
    events = [
        *(
            event({"type": "response.function_call_arguments.delta", "item_id": "fc_1", "delta": p})
            for p in pieces
        ),
        event(
            {
                "type": "response.function_call_arguments.done",
                "item_id": "fc_1",
                "arguments": arguments,
            }
        ),
        event({"type": "response.output_item.done", "item": item}),
    ]
    out = [json.loads(e.data) for e in await run(stream, events)]
    streamed = "".join(
        p["delta"] for p in out if p["type"] == "response.function_call_arguments.delta"
    )
    assert json.loads(streamed) == {"token": "<OPENAI_API_KEY>", "note": "rotate it"}
    by_type = {p["type"]: p for p in out}
    assert by_type["response.function_call_arguments.done"]["arguments"] == streamed
    assert by_type["response.output_item.done"]["item"]["arguments"] == streamed
