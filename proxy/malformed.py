"""What aiohttp answers itself, answered in the OpenAI error shape.

aiohttp refuses a request it cannot parse (a control byte in a header value, a bad request
line, a bad ``Content-Length``, a line over its limit) before any route or middleware sees
it, and answers an exception that escapes every handler, in both cases through
``RequestHandler.handle_error``: 400 or 500 in text/plain, the parser's message quoting the
offending bytes (``Invalid header value char: b'Authorization: Bearer sk-...'``), with no
``x-request-id`` and nothing recorded (h165). The caller's credential went back in the
answer, and through any intermediary that logs answers.

:class:`ShapedErrorHandler` replaces that method for the listeners the proxy makes
(:class:`proxy.server.ProxyRunner`): the answer is the error shape, its message naming the
kind of problem from the exception's type, never its text; no traceback; the connection is
closed. On the API listener a malformed request is a call all the same: recorded as a
refused one (api ``other``, path ``<UNREAD>``: it was never parsed, caller unknown), the
answer's ``x-request-id`` is that event's id, as an unrouted probe's is
(:mod:`proxy.call.unrouted`).
"""

from __future__ import annotations

import time
from http import HTTPStatus

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMethod, BadStatusLine, InvalidHeader, LineTooLong

from proxy.call.accounting import account
from proxy.call.record import CallRecord
from proxy.errors import ProxyError, error_response
from proxy.services import Services

#: What a request refused as unparseable says, by the parser's exception type: the kind of
#: problem only, since the parser's own message quotes the caller's bytes.
_PROBLEMS: tuple[tuple[type[BaseException], str], ...] = (
    (BadStatusLine, "The request line is not valid HTTP."),  # BadHttpMethod too
    (LineTooLong, "A request line or header is longer than the proxy accepts."),
    (InvalidHeader, "A request header is not valid HTTP."),
)
_UNPARSEABLE = "The request is not valid HTTP."


class MalformedRequest(ProxyError):
    """A request aiohttp could not parse."""

    status = 400
    type = "invalid_request_error"
    code = "malformed_request"


class HeaderTooLarge(MalformedRequest):
    """A request line or header over aiohttp's limit (``max_line_size``/``max_field_size``)."""

    status = HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.value
    code = "request_header_too_large"


def refusal(status: int, exc: BaseException | None) -> ProxyError:
    """The error answered for what aiohttp's ``handle_error`` was given: ``status`` 400 for
    a request it could not parse, 500 for an exception escaping the handlers, 504 for a
    handler timing out; ``exc`` is read for its type only."""
    if status == HTTPStatus.BAD_REQUEST:
        if isinstance(exc, LineTooLong):
            return HeaderTooLarge(_problem(exc))
        return MalformedRequest(_problem(exc))
    if status == HTTPStatus.GATEWAY_TIMEOUT:
        error = ProxyError("The request timed out in the proxy.", code="timeout")
    else:
        error = ProxyError("The proxy failed to answer the request.")
    error.status = status
    return error


def _problem(exc: BaseException | None) -> str:
    """The kind of parse failure ``exc`` is, in words of the proxy's own."""
    for kind, words in _PROBLEMS:
        if isinstance(exc, kind):
            return words
    return _UNPARSEABLE


def record_malformed(services: Services, request: web.BaseRequest, error: ProxyError) -> str:
    """Record a request refused before it was parsed as one call: status and code, the
    caller's address, no method, path or caller (none was read); its event's id."""
    call = CallRecord.arrived(services, request, parsed=False)
    call.status, call.error = error.status, error.code
    account(services, call, time.perf_counter() - call.started)
    return call.request_id


class ShapedErrorHandler(web.RequestHandler):
    """aiohttp's connection handler, answering what aiohttp refuses itself in the error
    shape. :class:`proxy.server.ProxyServer` makes its connections of the class
    :func:`shaped_errors` gives for its listener."""

    __slots__ = ()

    #: The services of the listener serving calls, whose refusals are recorded; None
    #: (the admin and metrics listeners) records nothing.
    services: Services | None = None

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """Answer ``status`` in the error shape, ``message`` (the parser's, quoting the
        caller's bytes) unused; closes the connection, as aiohttp's answer does."""
        if isinstance(exc, BadHttpMethod):
            # TLS or other non-HTTP traffic on the port: common on any public address.
            self.logger.debug("Error handling request", exc_info=exc)
        else:
            # The proxy's logging reduces a parse error to its type (proxy.logs).
            self.log_exception("Error handling request", exc_info=exc)
        if request.writer.output_size > 0:
            # An answer already started: aiohttp closes the connection on this error.
            raise ConnectionError("the answer is already started; the connection is closed")
        error = refusal(status, exc)
        recorded = None
        # An exception escaping the handlers happened in a call the pipeline records.
        if self.services is not None and error.status < HTTPStatus.INTERNAL_SERVER_ERROR:
            recorded = record_malformed(self.services, request, error)
        response = error_response(error, request_id=recorded)
        response.force_close()
        return response


def shaped_errors(services: Services | None) -> type[ShapedErrorHandler]:
    """The connection handler class of a listener: recording refused requests as calls
    with ``services`` (the API listener), or none (``None``). A class rather than an
    instance's attribute: aiohttp's handler has slots only."""
    if services is None:
        return ShapedErrorHandler
    members = {"__slots__": (), "services": services}
    return type("RecordingShapedErrorHandler", (ShapedErrorHandler,), members)
