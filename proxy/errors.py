"""The proxy's small exception vocabulary and the one place errors become HTTP answers.

Every error a caller sees uses the OpenAI error shape
``{"error": {"message", "type", "code", "param"}}`` with a fitting status. Messages never
carry credentials or prompt text.
"""

from __future__ import annotations

import orjson
from aiohttp import web

# The exception classes policies raise too live below the proxy; the rendering stays here.
from core.errors import Forbidden, PolicyViolation, ProxyError
from proxy.call.request_ids import new_request_id

__all__ = [
    "BadRequest",
    "ExpectationFailed",
    "Forbidden",
    "ModelNotFound",
    "PayloadTooLarge",
    "PolicyViolation",
    "ProxyError",
    "RateLimited",
    "RequestTimeout",
    "ServiceUnavailable",
    "StartupError",
    "Unauthorized",
    "UnsupportedMediaType",
    "UpstreamError",
    "UpstreamTimeout",
    "error_response",
    "http_error",
    "http_error_response",
]


class StartupError(Exception):
    """The proxy cannot start with this configuration or state; ``str()`` says why."""


class BadRequest(ProxyError):
    status = 400
    type = "invalid_request_error"
    code = "invalid_request"


class Unauthorized(ProxyError):
    status = 401
    type = "invalid_request_error"
    code = "invalid_api_key"


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


class ExpectationFailed(ProxyError):
    """An ``Expect`` header asking what the proxy does not do (:mod:`proxy.expect`)."""

    status = 417
    type = "invalid_request_error"
    code = "expectation_failed"


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
    """Render ``error`` as the OpenAI error shape, with ``request_id`` (the recorded call's)
    as ``x-request-id``: every answer carries one (DESIGN §HTTP), so an error no call
    recorded (an admin refusal, a probe of /healthz) gets a fresh id of its own."""
    headers = dict(error.headers)
    headers["x-request-id"] = request_id or new_request_id()
    return web.Response(
        status=error.status,
        body=orjson.dumps(error.body()),
        content_type="application/json",
        headers=headers,
    )


def http_error(exc: web.HTTPException, shown: str) -> ProxyError:
    """aiohttp's own error ``exc`` (no route for the path, a method the route does not
    take, a body over ``client_max_size``) as a :class:`ProxyError`, status kept. A 404
    names the path as ``shown`` holds it: the caller's segments masked (h156)."""
    error = (
        ModelNotFound(f"Unknown path {shown}.", code="not_found")
        if exc.status == 404
        else ProxyError(exc.reason, code=f"http_{exc.status}")
    )
    error.status = exc.status
    return error


def http_error_response(exc: web.HTTPException, shown: str) -> web.Response:
    """aiohttp's own error ``exc`` answered in the OpenAI error shape (:func:`http_error`)."""
    return error_response(http_error(exc, shown))
