"""Render a logged call as a readable conversation for ``llm-proxy logs show``.

The stored prompt is the request body; this turns chat, Anthropic, Responses, completion
and embedding requests into role-labelled turns with tool calls, followed by the answer.

Spans the policy blocked, redacted or pseudonymised are already stored as fingerprint
masks (``<AWS_SECRET_ACCESS_KEY:3f9a1c2b04de>``) and are shown as they are. As a second
line of defence (rows written before masking at rest, values no rule covered), secrets and
card numbers found at render time are masked as ``[TYPE]`` unless ``reveal`` is set: each
text is scanned whole before it is split into lines, so a multi-line PEM key is masked
whole. A responder should learn *what kind* of secret was sent, not copy it into a ticket.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from detectors.checks import luhn_valid
from detectors.secrets import SecretsDetector

Mask = Callable[[str], str]

_RULE = "─" * 72


def render_record(record: dict[str, Any], *, reveal: bool = False) -> str:
    mask: Mask = _unchanged if reveal else mask_secrets
    lines = [
        f"request   {record['request_id']}",
        f"time      {record['ts']}",
        f"caller    user={record['user']} team={record['team']} app={record['app'] or '-'} "
        f"key={record['key_id']} ip={record['client_ip']}",
        f"call      {record['method']} {record['endpoint']}  model={record['model']} "
        f"provider={record['provider']} stream={record['stream']}",
        f"outcome   status={record['status_code']} upstream={record['upstream_status']} "
        f"decision={record['decision']}" + (f" error={record['error']}" if record["error"] else ""),
        f"rules     {', '.join(record['rules']) or '-'}",
        f"findings  {_findings(record)}",
        f"usage     prompt={record['prompt_tokens']} completion={record['completion_tokens']} "
        f"latency={record['latency_ms']:.0f}ms ttfb={record['ttfb_ms']:.0f}ms",
        f"content   mode={record['content_mode']}",
    ]
    if "prompt" not in record:
        lines.append("(prompt and answer not shown: your role may read metadata only)")
        return "\n".join(lines) + "\n"
    lines += ["", _RULE, "REQUEST", _RULE]
    lines += render_request(record["prompt"], mask=mask)
    if record.get("prompt_forwarded"):
        lines += ["", "(the policy rewrote the request before it was forwarded)"]
    lines += ["", _RULE, "ANSWER", _RULE]
    lines += render_answer(record["response"], mask=mask)
    return "\n".join(lines) + "\n"


def _findings(record: dict[str, Any]) -> str:
    counts = record.get("entity_counts") or {}
    if not counts:
        return ", ".join(record.get("entity_types") or ()) or "-"
    return ", ".join(f"{name}×{n}" for name, n in sorted(counts.items()))


def _unchanged(text: str) -> str:
    return text


#: 13 to 19 digits, single spaces or dashes between them (Luhn-checked before masking).
_CARD = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")


def mask_secrets(text: str) -> str:
    """``text`` with every secret and Luhn-valid card number replaced by ``[TYPE]``;
    overlapping findings are masked as one span."""
    spans = [(f.start, f.end, f.entity_type) for f in SecretsDetector().scan([text])[0]]
    spans += [(m.start(), m.end(), "CREDIT_CARD") for m in _CARD.finditer(text) if luhn_valid(m[0])]
    pieces: list[str] = []
    position = 0
    for start, end, entity_type in sorted(spans):
        if end <= position:
            continue
        pieces.append(text[position : max(start, position)])
        if start >= position:
            pieces.append(f"[{entity_type}]")
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _raw(text: str, mask: Mask) -> list[str]:
    return mask(text).splitlines()


def render_request(prompt: str, *, mask: Mask = _unchanged) -> list[str]:
    """The request as turns; the raw text when it is not a request body we know. ``mask``
    is applied to each whole text before it is split into lines."""
    body = _parse(prompt)
    if not isinstance(body, dict):
        return _raw(prompt, mask) or ["(empty)"]
    lines: list[str] = []
    system = body.get("system")
    if system:
        lines += _turn("system", _content_text(system), mask)
    instructions = body.get("instructions")
    if isinstance(instructions, str):
        lines += _turn("instructions", instructions, mask)
    for message in body.get("messages") or ():
        if isinstance(message, dict):
            lines += _message(message, mask)
    if "input" in body:
        value = body["input"]
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            for item in value:
                lines += _message(item, mask)
        else:
            lines += _turn("input", _content_text(value), mask)
    if "prompt" in body:
        lines += _turn("prompt", _content_text(body["prompt"]), mask)
    return lines or _raw(prompt, mask)


def _message(message: dict[str, Any], mask: Mask) -> list[str]:
    role = str(message.get("role") or message.get("type") or "?")
    lines = _turn(role, _content_text(message.get("content")), mask)
    for call in message.get("tool_calls") or ():
        function = (call or {}).get("function") or {}
        arguments = mask(str(function.get("arguments", "")))
        lines.append(f"  → tool call {function.get('name')}({arguments})")
    if role == "tool":
        lines[0] = f"[tool result {message.get('tool_call_id', '')}]"
    return lines


def _turn(role: str, text: str, mask: Mask) -> list[str]:
    return [f"[{role}]", *(f"  {line}" for line in (mask(text).splitlines() or [""]))]


def _content_text(content: Any) -> str:
    """Text of a content value: a string, or a list of parts/blocks of any API shape."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(_part_text(part) for part in content)
    return "" if content is None else json.dumps(content, ensure_ascii=False)


def _part_text(part: Any) -> str:
    if isinstance(part, str):
        return part
    if not isinstance(part, dict):
        return json.dumps(part)
    kind = part.get("type", "")
    if "text" in part and isinstance(part["text"], str):
        return str(part["text"])
    if kind in ("image_url", "image", "input_image"):
        return "[image]"
    if kind in ("input_audio", "audio"):
        return "[audio]"
    if kind == "tool_use":
        return f"→ tool call {part.get('name')}({json.dumps(part.get('input'))})"
    if kind == "tool_result":
        return f"[tool result {part.get('tool_use_id', '')}] {_content_text(part.get('content'))}"
    return json.dumps(part, ensure_ascii=False)


def render_answer(response: str, *, mask: Mask = _unchanged) -> list[str]:
    """The answer's text and tool calls; the raw text for streams and unknown shapes."""
    body = _parse(response)
    if not isinstance(body, dict):
        return _raw(response, mask) or ["(empty)"]
    if "error" in body and isinstance(body["error"], dict):
        return [f"[error] {mask(str(body['error'].get('message', '')))}"]
    lines: list[str] = []
    for choice in body.get("choices") or ():
        message = (choice or {}).get("message")
        if isinstance(message, dict):
            lines += _message(message, mask)
        elif isinstance((choice or {}).get("text"), str):
            lines += _turn("completion", choice["text"], mask)
    if body.get("type") == "message":  # Anthropic
        lines += _turn("assistant", _content_text(body.get("content")), mask)
    for item in body.get("output") or ():  # Responses API
        if isinstance(item, dict) and item.get("type") == "message":
            lines += _turn("assistant", _content_text(item.get("content")), mask)
    if body.get("object") == "list" and "data" in body:
        lines.append(f"[embeddings] {len(body['data'])} vector(s)")
    return lines or _raw(response, mask)
