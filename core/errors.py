"""The errors a caller can be answered with, as plain exceptions.

An error carries the fields of the OpenAI error shape (status, type, code, message, param,
extra) so that whoever raises it decides what the caller sees; turning it into an HTTP
answer or a stream's error event happens in one place, ``proxy.errors``. Policies raise
:class:`PolicyViolation` (through ``core.inspection.PolicyBlocked``): their tests and the
pipeline read its status and code, so the vocabulary lives here, the rendering does not.
"""

from __future__ import annotations

from typing import Any


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


class Forbidden(ProxyError):
    status = 403
    type = "permission_error"
    code = "model_not_allowed"


class PolicyViolation(Forbidden):
    """A policy rule blocked the call. Carries rule ids and entity types, never values."""

    code = "policy_violation"
