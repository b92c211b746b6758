"""The ``Expect`` request header, answered before a route's handler runs.

aiohttp's default expect handler answers any expectation but ``100-continue`` with 417
``Unknown Expect: <the header's value>`` before the handler runs: the caller's text came
back in the answer, with no ``x-request-id``, and a ``/v1`` call so refused was recorded
nowhere (h163). Here:

* ``100-continue`` is honoured as aiohttp honours it (HTTP/1.1 only);
* on an API route (:func:`refusing_expectations`) any other expectation is refused with
  417 in the OpenAI error shape, without the value, and recorded as a refused call: the
  proxy reads the whole body before forwarding it, so no other expectation means anything
  to it, and one forwarded would be answered by the provider;
* on the operator's routes and the fallback route (:func:`expect_continue`) it is ignored,
  as RFC 9110 §10.1.1 allows: the handler answers (a path no route takes is then recorded
  as such, :mod:`proxy.call.unrouted`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.http import HttpVersion11

from proxy.call.paths import routed_api
from proxy.call.unrouted import record_unrouted
from proxy.errors import ExpectationFailed, error_response
from proxy.services import Services

#: aiohttp's expect handler: None lets the route's handler run.
ExpectHandler = Callable[[web.Request], Awaitable[web.StreamResponse | None]]

_CONTINUE = "100-continue"


async def expect_continue(request: web.Request) -> None:
    """Send ``100 Continue`` to an HTTP/1.1 caller that waits for it; ignore any other
    expectation."""
    if request.headers.get("Expect", "").lower() == _CONTINUE:
        await _send_continue(request)


def refusing_expectations(services: Services) -> ExpectHandler:
    """The expect handler of the API routes: ``100-continue`` honoured, any other
    expectation refused (417) and recorded."""

    async def handle(request: web.Request) -> web.StreamResponse | None:
        if request.headers.get("Expect", "").lower() == _CONTINUE:
            await _send_continue(request)
            return None
        error = ExpectationFailed(
            "The proxy meets no expectation but 100-continue; send the request without "
            "this Expect header."
        )
        # Refused on an API's route: counted under that API, as the pipeline's refusals are.
        api = routed_api(request.rel_url.raw_path, services.wire)
        return error_response(error, request_id=record_unrouted(services, request, error, api=api))

    return handle


async def _send_continue(request: web.Request) -> None:
    if request.version == HttpVersion11:
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        # As aiohttp's own handler: the interim answer is not the body's first bytes.
        request.writer.output_size = 0
