"""Reading a call's request body: decoded, bounded in size and time, parsed once.

The pipeline reads the stream itself (aiohttp's own limit only guards other routes), so a
too large, stalled or undecodable body is refused in the OpenAI error shape.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from aiohttp import web
from aiohttp.compression_utils import HAS_BROTLI, HAS_ZSTD
from aiohttp.web_protocol import RequestPayloadError

from proxy.call.apis import Api
from proxy.call.multipart import FormBody, parse_form
from proxy.call.text_body import text_body
from proxy.config.settings import TimeoutsConfig
from proxy.errors import BadRequest, PayloadTooLarge, RequestTimeout, UnsupportedMediaType


def _decodable_encodings() -> frozenset[str]:
    """The ``Content-Encoding`` values aiohttp's request parser decodes here. It passes any
    other value (``compress``, ``gzip, br``) through undecoded, so those are refused."""
    names = {"identity", "gzip", "deflate"}
    if HAS_BROTLI:
        names.add("br")
    if HAS_ZSTD:
        names.add("zstd")
    return frozenset(names)


DECODABLE_ENCODINGS = _decodable_encodings()


def _decoded_encoding(request: web.Request) -> str:
    """The body's ``Content-Encoding``; one aiohttp does not decode gets 415."""
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in DECODABLE_ENCODINGS:
        raise UnsupportedMediaType(
            # Not the caller's value: a header is caller text, and may hold a key (h156).
            "This Content-Encoding is not supported; use one of "
            f"{', '.join(sorted(DECODABLE_ENCODINGS))}."
        )
    return encoding


def arrived_body(request: web.Request, limit: int) -> bytes | None:
    """The whole request body when all of it has arrived (a small body mostly comes in
    with the headers), decoded and within ``limit`` bytes as :func:`read_body` reads it;
    else None with nothing read, and :func:`read_body` reads it. A plain function: such a
    body needs no coroutine, no timer and no wait (issue 11)."""
    encoding = _decoded_encoding(request)
    content = request.content
    if not content.is_eof():
        return None
    try:
        body = content.read_nowait()  # all of it: the stream's end has arrived
    except RequestPayloadError:
        raise BadRequest(
            f"The request body could not be decoded (Content-Encoding: {encoding})."
        ) from None
    if len(body) > limit:
        raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
    return body


async def read_body(request: web.Request, limit: int, timeouts: TimeoutsConfig) -> bytes:
    """The request body, decoded, refusing more than ``limit`` bytes (after decompression).

    A body that stalls (or, when aiohttp fails to decode it at its very end, is never
    finished) gets 408 after ``timeouts.request_body_idle``; a trickle, after
    ``timeouts.request_body``.
    """
    encoding = _decoded_encoding(request)
    # The pieces joined once at the end: a body that came in one piece (most) is returned
    # as it is, not copied into a buffer and out again.
    parts: list[bytes] = []
    size = 0
    content = request.content
    try:
        # A small body mostly came in with the headers: what is already here is taken
        # without arming the two timers (a timer handle each, on every call), and without
        # parsing Content-Length: what is here is counted against the limit as it is read.
        while chunk := content.read_nowait():
            parts.append(chunk)
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
        if content.at_eof():
            return b"".join(parts)
        # More is to come: a declared size over the limit is refused before waiting for it.
        declared = request.content_length
        if declared is not None and declared > limit:
            raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
        async with asyncio.timeout(timeouts.request_body):
            while True:
                async with asyncio.timeout(timeouts.request_body_idle):
                    chunk = await content.readany()
                if not chunk:
                    return b"".join(parts)
                parts.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
    except RequestPayloadError:
        raise BadRequest(
            f"The request body could not be decoded (Content-Encoding: {encoding})."
        ) from None
    except TimeoutError:
        raise RequestTimeout("The request body did not arrive in time.") from None


#: Multipart bodies larger than this are parsed in a worker thread, off the event loop.
_FORM_PARSE_INLINE_BYTES = 256 * 1024


async def parse_body(request: web.Request, api: Api, raw: bytes) -> Any:
    """The JSON body for JSON APIs, a :class:`FormBody` for multipart uploads, a
    :class:`~proxy.call.text_body.TextBody` for text sent to a pass-through path, ``None``
    for bodiless calls and opaque bytes.

    SECURITY: a pass-through body is read by what it is, not by what its Content-Type says
    (h131): servers built on FastAPI (vLLM, LiteLLM, most OpenAI-compatible ones) parse a
    body sent with no Content-Type or as ``application/*+json`` as JSON, and a curl ``-d``
    body goes out as a form; a JSON body under any of them reached the provider unread, its
    ``model`` unchecked by the register. Every ``multipart/*`` body is read as a form.
    """
    if raw and api is Api.OTHER:
        return await _pass_through_body(request, raw)
    return api_body(api, raw)


def api_body(api: Api, raw: bytes) -> Any:
    """The body of a call to a served API (``api`` is not ``Api.OTHER``): a JSON object,
    else 400; ``None`` for a bodiless call. :func:`parse_body` without a coroutine: only a
    pass-through body may need a worker thread (issue 11)."""
    if not raw:
        return None
    body = _json(raw)
    if api is not Api.OTHER and not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object.")
    return body


async def _pass_through_body(request: web.Request, raw: bytes) -> Any:
    """A pass-through body: a multipart form, JSON, text (:class:`TextBody`: prose or form
    fields, h137), or ``None`` for opaque bytes (forwarded unread)."""
    content_type = request.content_type
    if content_type.startswith("multipart/"):
        header = request.headers.get("Content-Type", "")
        if len(raw) <= _FORM_PARSE_INLINE_BYTES:
            return parse_form(header, raw)
        return await asyncio.to_thread(parse_form, header, raw)
    if content_type == "application/json" or content_type.endswith("+json"):
        return _json(raw)
    if raw.lstrip()[:1] in _JSON_STARTS:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # not JSON after all (JSON lines, prose starting with a quote): text?
    return text_body(content_type, request.charset, raw)


#: The first byte of a JSON value that may hold text (an object, a list or a string).
_JSON_STARTS = frozenset((b"{", b"[", b'"'))


def _json(raw: bytes) -> Any:
    """``raw`` parsed as JSON; a body that is not JSON gets 400."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(
            f"The request body is not valid JSON ({exc.msg} at position {exc.pos})."
        ) from None


#: Bodies that may name a model (a tuple, not ``dict | FormBody``: that union is built anew
#: on every call).
_NAMING_BODIES = (dict, FormBody)
_MODEL_LESS = frozenset({Api.OTHER, Api.MODELS})


def model_named(api: Api, body: Any) -> str:
    """The model ``body`` names ("" when none); an API call that names none gets 400."""
    model = body.get("model") if isinstance(body, _NAMING_BODIES) else None
    if api not in _MODEL_LESS and not (isinstance(model, str) and model):
        raise BadRequest("You must provide a model parameter.", param="model")
    return model if isinstance(model, str) else ""
