"""A request no route takes, recorded as a refused call.

Every ``/v1`` path has the pipeline's handler; any other path (``/v2/...``, an
``AzureOpenAI`` client's ``/openai/deployments/...``, a scanner's ``/.env``) falls to the
fallback route and is answered 404. Such a request is a call to the proxy all the same: an
incident responder asking "who probed our proxy with odd paths" must find it in the event
log, with the status, the refusal and the caller, as the access log line shows it. It rests
as a refused call (decision ``reject``): the path as :func:`unread_view` renders it (caller
segments ``<UNREAD>``), no body (never read), no credential (the caller's identity only, as
an authenticated call's is: a key id, never the key).

The operator's own paths are not calls: ``/healthz``, ``/readyz`` and ``/metrics`` (a
method they do not take, or ``/metrics`` moved to a listener of its own) and, on the
listener serving the admin API, its space are answered without an event. ``/admin`` on a
public listener that serves no admin API is a probe like any other, and recorded.
"""

from __future__ import annotations

import time

from aiohttp import web

from core.identity import Identity
from proxy.call.accounting import account
from proxy.call.apis import Api
from proxy.call.record import CallRecord
from proxy.errors import ProxyError
from proxy.services import Services

#: Paths the operator's tools poll: answered, never recorded as calls.
OPERATOR_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def record_unrouted(
    services: Services, request: web.Request, error: ProxyError, *, api: Api = Api.OTHER
) -> str:
    """Record ``request``, refused with ``error``, as one call; its event's request id.
    ``api`` is the API its path routes to, for a call refused on an API's route before its
    handler ran (an unknown ``Expect``); a path no route takes has none."""
    call = CallRecord.arrived(services, request, identity=_caller(services, request))
    call.api = api
    call.status, call.error = error.status, error.code
    account(services, call, time.perf_counter() - call.started)
    return call.request_id


def _caller(services: Services, request: web.Request) -> Identity | None:
    """Who sent ``request``, when its key says so (a virtual key's user, a pass-through
    key's fingerprint); None for a caller with no key or an unknown one: a probe is
    recorded whoever sent it."""
    try:
        return services.authenticator.authenticate(request.headers, services.snapshot.keys).identity
    except ProxyError:
        return None
