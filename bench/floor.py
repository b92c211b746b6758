"""The floor: the least an aiohttp reverse proxy can do, to measure llm-proxy against.

Forwards every request to one upstream through one pooled ClientSession, copies status,
content type and body back, and relays streamed bodies chunk by chunk as they arrive.
No auth, no policy, no logging. bench/versus_floor.py runs it beside the proxy.

Usage: .venv/bin/python bench/floor.py --upstream http://127.0.0.1:9000 --port 8090
[--loop uvloop]
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

SESSION = web.AppKey("session", aiohttp.ClientSession)
UPSTREAM = web.AppKey("upstream", str)
_HOP = {"host", "content-length", "transfer-encoding", "connection"}


async def forward(request: web.Request) -> web.StreamResponse:
    """Send the request upstream and relay the answer as it arrives."""
    headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
    body = await request.read()
    url = request.app[UPSTREAM] + request.rel_url.path_qs
    async with request.app[SESSION].request(
        request.method, url, data=body, headers=headers
    ) as upstream:
        content_type = upstream.headers.get("Content-Type", "application/json")
        if not content_type.startswith("text/event-stream"):
            payload = await upstream.read()
            return web.Response(
                body=payload, status=upstream.status, headers={"Content-Type": content_type}
            )
        response = web.StreamResponse(status=upstream.status)
        response.content_type = "text/event-stream"
        await response.prepare(request)
        async for chunk in upstream.content.iter_any():
            await response.write(chunk)
        await response.write_eof()
        return response


async def session(app: web.Application) -> AsyncIterator[None]:
    app[SESSION] = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    yield
    await app[SESSION].close()


def make_app(upstream: str) -> web.Application:
    app = web.Application()
    app[UPSTREAM] = upstream.rstrip("/")
    app.cleanup_ctx.append(session)
    app.router.add_route("*", "/{path:.*}", forward)
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    args = parser.parse_args()
    loop = None
    if args.loop == "uvloop":  # as the proxy's event_loop setting, for an honest ratio
        import uvloop

        loop = uvloop.new_event_loop()
    app = make_app(args.upstream)
    web.run_app(app, host="127.0.0.1", port=args.port, access_log=None, loop=loop)
