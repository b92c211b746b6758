"""The proxy's transport alone: what llm-proxy's own aiohttp server and client work costs a
call, without the pipeline between them (issue 11).

``bench/floor.py`` is the least an aiohttp pass-through can do; the proxy is the floor plus
its pipeline (auth, body parsing, policy, the event, metrics, the access line) plus its own
way of using aiohttp around that pipeline. This server is the last part only, built from the
proxy's own transport modules so that it changes when they do: the request body read as
:func:`proxy.call.request_body.read_body` reads it, the caller's headers filtered and the
request id and credential added as :func:`proxy.call.providers.build_upstream` does, the
call sent and its body read through :class:`proxy.call.upstream.UpstreamClient` on a
session made as ``proxy.app`` makes it, the provider's headers filtered back with
``x-request-id`` added, a JSON answer as one ``web.Response`` and a stream written read by
read as it came. No authentication, parsing, inspection, recording or metrics, and no
total deadline around an answer's body (the relay's: a few microseconds a call, one timer
for all streams; the waits for headers and for each piece are the client's, so timed here).

``bench/call_path.py --transport`` runs it beside the floor and the proxy: transport ÷ floor
says what the proxy's use of aiohttp costs (1.0 means nothing beyond the floor's), and proxy
÷ transport what the pipeline does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from proxy.call.providers import (
    UpstreamRequest,
    filter_request_headers,
    filter_response_headers,
    upstream_url,
)
from proxy.call.record import new_request_id
from proxy.call.request_body import read_body
from proxy.call.upstream import UpstreamClient
from proxy.config.settings import TimeoutsConfig

CLIENT = web.AppKey("client", UpstreamClient)
BASE_URL = web.AppKey("base_url", str)
TIMEOUTS = TimeoutsConfig()
#: The proxy's default body limit (``Settings.max_body_bytes``); only compared against.
MAX_BODY_BYTES = 32 * 1024 * 1024


async def forward(request: web.Request) -> web.StreamResponse:
    """Send the call upstream as the proxy's transport does, and relay the answer."""
    request_id = new_request_id()
    body = await read_body(request, MAX_BODY_BYTES, TIMEOUTS)
    headers = filter_request_headers(request.headers)
    headers.add("x-request-id", request_id)
    headers.extend((("Authorization", request.headers.get("Authorization", "")),))
    path = request.rel_url.raw_path.removeprefix("/v1")
    upstream = UpstreamRequest(upstream_url(request.app[BASE_URL], path), headers, None)
    client = request.app[CLIENT]
    answer = await client.send(request.method, upstream, body)
    try:
        if answer.content_type == "text/event-stream":
            return await _relay_stream(request, client, answer, request_id)
        return await _relay_buffered(client, answer, request_id)
    finally:
        if not answer.closed:
            answer.close()


async def _relay_buffered(
    client: UpstreamClient, answer: aiohttp.ClientResponse, request_id: str
) -> web.Response:
    """A buffered answer: what came with the headers taken at once, the rest read after."""
    content = answer.content
    parts: list[bytes] = []
    while chunk := content.read_nowait():
        parts.append(chunk)
    while not content.at_eof() and (chunk := await client.next_chunk(answer)):
        parts.append(chunk)
    answer.release()
    headers = filter_response_headers(answer.headers)
    headers["x-request-id"] = request_id
    return web.Response(status=answer.status, body=b"".join(parts), headers=headers)


async def _relay_stream(
    request: web.Request,
    client: UpstreamClient,
    answer: aiohttp.ClientResponse,
    request_id: str,
) -> web.StreamResponse:
    """A stream: the status line and filtered headers, then each read written as it came."""
    response = web.StreamResponse(
        status=answer.status, headers=filter_response_headers(answer.headers)
    )
    response.headers["x-request-id"] = request_id
    response.headers["Cache-Control"] = "no-cache"
    await response.prepare(request)
    while chunk := await client.next_chunk(answer):
        await response.write(chunk)
    await response.write_eof()
    return response


async def _session(app: web.Application) -> AsyncIterator[None]:
    """The upstream session as ``proxy.app`` makes it (pool, no cookie jar, decompression)."""
    connector = aiohttp.TCPConnector(limit=1000, limit_per_host=0, ttl_dns_cache=300)
    session = aiohttp.ClientSession(
        connector=connector, auto_decompress=True, cookie_jar=aiohttp.DummyCookieJar()
    )
    app[CLIENT] = UpstreamClient(session, TIMEOUTS)
    yield
    await session.close()


def make_app(upstream: str) -> web.Application:
    """The transport-only server in front of ``upstream`` (an OpenAI-style base without
    ``/v1``, as ``bench/floor.py`` takes it)."""
    app = web.Application()
    app[BASE_URL] = upstream.rstrip("/") + "/v1"
    app.cleanup_ctx.append(_session)
    app.router.add_route("*", "/v1/chat/completions", forward)
    return app
