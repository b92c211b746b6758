"""Render a logged call as a readable conversation for ``llm-proxy logs show``.

The stored prompt is the request body; the wire format of the call's endpoint (see
:mod:`wire.apis.render`) turns it into role-labelled turns with tool calls, followed by the
answer. Bodies of endpoints no format serves are read with every format's fields.

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
from typing import Any

from core.apis import Api
from detectors.checks import luhn_valid
from detectors.secrets import SecretsDetector
from wire.apis.registry import WIRE_APIS, WireRegistry
from wire.apis.render import Mask, unchanged

_RULE = "─" * 72


def render_record(
    record: dict[str, Any], *, reveal: bool = False, wire: WireRegistry = WIRE_APIS
) -> str:
    """The whole record: the call's metadata, then its request and answer as turns."""
    mask: Mask = unchanged if reveal else mask_secrets
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
    served = wire.for_path(str(record["endpoint"]))
    api = served.api if served is not None else Api.OTHER
    lines += render_request(record["prompt"], api=api, mask=mask, wire=wire)
    if record.get("prompt_forwarded"):
        lines += ["", "(the policy rewrote the request before it was forwarded)"]
    lines += ["", _RULE, "ANSWER", _RULE]
    lines += render_answer(record["response"], api=api, mask=mask, wire=wire)
    return "\n".join(lines) + "\n"


def _findings(record: dict[str, Any]) -> str:
    counts = record.get("entity_counts") or {}
    if not counts:
        return ", ".join(record.get("entity_types") or ()) or "-"
    return ", ".join(f"{name}×{n}" for name, n in sorted(counts.items()))


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


def render_request(
    prompt: str, *, api: str = Api.OTHER, mask: Mask = unchanged, wire: WireRegistry = WIRE_APIS
) -> list[str]:
    """The request to ``api`` as turns; the raw text when it is not a request body we know.
    ``mask`` is applied to each whole text before it is split into lines."""
    body = _parse(prompt)
    if not isinstance(body, dict):
        return _raw(prompt, mask) or ["(empty)"]
    return wire.render_request(api, body, mask) or _raw(prompt, mask)


def render_answer(
    response: str, *, api: str = Api.OTHER, mask: Mask = unchanged, wire: WireRegistry = WIRE_APIS
) -> list[str]:
    """The answer's text and tool calls; the raw text for streams and unknown shapes."""
    body = _parse(response)
    if not isinstance(body, dict):
        return _raw(response, mask) or ["(empty)"]
    if "error" in body and isinstance(body["error"], dict):
        return [f"[error] {mask(str(body['error'].get('message', '')))}"]
    return wire.render_answer(api, body, mask) or _raw(response, mask)
