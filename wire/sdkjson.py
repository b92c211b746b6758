"""JSON as the callers' SDKs read it, so the proxy never relays what it could not inspect.

orjson is strict; Python's ``json`` (which the official SDKs use) also accepts ``NaN``,
``Infinity`` and lone surrogate escapes. An answer only the lenient parser reads would
otherwise pass output inspection unread while the SDK shows its text to the caller, so the
proxy parses answers with :func:`loads_like_clients` and writes rewritten ones with
:func:`dumps_like_clients`.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def loads_like_clients(data: str | bytes) -> Any:
    """The JSON value in ``data``: orjson first, Python's json when orjson refuses it.

    Raises :class:`ValueError` when neither can parse it (then no SDK can either).
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"not JSON: {type(exc).__name__}") from None


def dumps_like_clients(value: Any) -> bytes:
    """``value`` as JSON bytes; values orjson cannot write (NaN, lone surrogates) the way
    Python's json writes them."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(value, separators=(",", ":")).encode()


#: Whitespace JSON allows before a value (and the SDKs' ``json.loads`` skips).
_JSON_BLANKS = " \t\r\n"


def json_object(data: str) -> dict[str, Any] | None:
    """``data`` decoded the way the SDKs read it, when it is a JSON object; else ``None``.

    SECURITY: leading JSON whitespace is allowed, as the SDKs allow it: an SSE event whose
    data was ``" {...}"`` (``data:  {...}``) was read by the SDK and relayed uninspected.
    """
    if not data.lstrip(_JSON_BLANKS).startswith("{"):
        return None
    try:
        value = loads_like_clients(data)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
