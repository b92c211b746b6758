"""The proxy's small exception vocabulary and the one place errors become HTTP answers.

Every error a caller sees uses the OpenAI error shape
``{"error": {"message", "type", "code", "param"}}`` with a fitting status. Messages never
carry credentials or prompt text.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web


class StartupError(Exception):
    """The proxy cannot start with this configuration or state; ``str()`` says why."""


class ProxyError(Exception):
    """An error answered to the caller. Subclasses fix the status, type and code."""

    status = 500
    type = "server_error"
    code = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.param = param
        self.headers = headers or {}
        #: Additional machine-readable fields placed inside the ``error`` object.
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "message": self.message,
            "type": self.type,
            "code": self.code,
            "param": self.param,
        }
        error.update(self.extra)
        return {"error": error}


class BadRequest(ProxyError):
    status = 400
    type = "invalid_request_error"
    code = "invalid_request"


class Unauthorized(ProxyError):
    status = 401
    type = "invalid_request_error"
    code = "invalid_api_key"


class Forbidden(ProxyError):
    status = 403
    type = "permission_error"
    code = "model_not_allowed"


class PolicyViolation(Forbidden):
    """A policy rule blocked the call. Carries rule ids and entity types, never values."""

    code = "policy_violation"


class ModelNotFound(ProxyError):
    status = 404
    type = "invalid_request_error"
    code = "model_not_found"


class RequestTimeout(ProxyError):
    status = 408
    type = "invalid_request_error"
    code = "request_timeout"


class PayloadTooLarge(ProxyError):
    status = 413
    type = "invalid_request_error"
    code = "request_too_large"


class UnsupportedMediaType(ProxyError):
    status = 415
    type = "invalid_request_error"
    code = "unsupported_content_encoding"


class RateLimited(ProxyError):
    status = 429
    type = "rate_limit_error"
    code = "rate_limit_exceeded"


class UpstreamError(ProxyError):
    """The provider could not be reached or broke the connection."""

    status = 502
    type = "upstream_error"
    code = "upstream_unreachable"


class UpstreamTimeout(UpstreamError):
    status = 504
    code = "upstream_timeout"


class ServiceUnavailable(ProxyError):
    status = 503
    type = "server_error"
    code = "service_unavailable"


def error_response(error: ProxyError, *, request_id: str | None = None) -> web.Response:
    """Render ``error`` as the OpenAI error shape."""
    headers = dict(error.headers)
    if request_id:
        headers["x-request-id"] = request_id
    return web.Response(
        status=error.status,
        body=orjson.dumps(error.body()),
        content_type="application/json",
        headers=headers,
    )


def stream_error_event(error: ProxyError, *, anthropic: bool = False) -> bytes:
    """An SSE event ending a stream that already started, in the OpenAI streaming error form;
    for Anthropic streams an ``error`` event with ``"type": "error"`` (what its SDKs raise on:
    they ignore unnamed events, so the caller would take a cut answer for a whole one)."""
    if anthropic:
        return b"event: error\ndata: " + orjson.dumps({"type": "error", **error.body()}) + b"\n\n"
    return b"data: " + orjson.dumps(error.body()) + b"\n\n"
