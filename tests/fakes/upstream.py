"""A fake upstream AI provider: a real aiohttp app on loopback that records every request.

One ``FakeUpstream`` serves both API families: OpenAI under ``/v1`` (plus Azure OpenAI's
``/openai/deployments/{deployment}/...``) and Anthropic's ``/v1/messages``.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from aiohttp import web
from aiohttp.typedefs import Handler
from multidict import CIMultiDict

from . import anthropic_api, openai_api
from .behaviour import Behaviour, TokenUsage
from .wire import BEHAVIOUR_KEY, BODY_KEY

__all__ = ["Behaviour", "FakeUpstream", "Recorded", "TokenUsage"]


@dataclass
class Recorded:
    """One request as the fake received it."""

    method: str
    path: str
    #: The request target's path as sent, still percent-encoded.
    raw_path: str
    query: dict[str, str]
    headers: CIMultiDict[str]
    body: bytes
    json: Any  # the parsed body, or None when it is not JSON


class FakeUpstream:
    """Fake OpenAI and Anthropic APIs on ``127.0.0.1`` at an ephemeral port.

    Use ``async with FakeUpstream() as fake:`` (or ``await fake.start()`` and
    ``await fake.close()``); point clients at ``fake.url`` (``fake.url + "/v1"`` for the
    OpenAI SDK) and inspect ``fake.requests`` afterwards.
    """

    def __init__(
        self, behaviour: Behaviour | None = None, *, shutdown_timeout: float = 1.0
    ) -> None:
        self.behaviour = behaviour if behaviour is not None else Behaviour()
        self.requests: list[Recorded] = []
        # Short, so a test that leaves a stream held does not stall teardown for a minute.
        self._shutdown_timeout = shutdown_timeout
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        """Return the base URL, like ``http://127.0.0.1:PORT``, once started."""
        if self._url is None:
            raise RuntimeError("FakeUpstream is not started")
        return self._url

    @property
    def last(self) -> Recorded:
        """Return the most recent request."""
        if not self.requests:
            raise LookupError("FakeUpstream has received no requests")
        return self.requests[-1]

    def clear(self) -> None:
        """Forget the recorded requests."""
        self.requests.clear()

    def make_app(self) -> web.Application:
        """Build the aiohttp application that records requests and serves both APIs."""
        app = web.Application(middlewares=[self._middleware])
        openai_api.add_routes(app.router)
        anthropic_api.add_routes(app.router)
        app.router.add_get("/v1/models", _models)
        openai_api.add_catch_all(app.router)
        return app

    async def start(self) -> str:
        """Serve on an ephemeral loopback port and return the base URL."""
        if self._runner is not None:
            raise RuntimeError("FakeUpstream is already started")
        runner = web.AppRunner(
            self.make_app(),
            handler_cancellation=True,
            shutdown_timeout=self._shutdown_timeout,
            access_log=None,
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self._url = f"http://{host}:{port}"
        return self._url

    async def close(self) -> None:
        """Stop serving; safe to call twice."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Record the request, then apply the delay and status knobs before the endpoint."""
        body = await request.read()
        parsed = _parse_json(body)
        self.requests.append(
            Recorded(
                method=request.method,
                path=request.path,
                raw_path=request.rel_url.raw_path,
                query=dict(request.query),
                headers=CIMultiDict(request.headers),
                body=body,
                json=parsed,
            )
        )
        behaviour = self.behaviour
        request[BEHAVIOUR_KEY] = behaviour
        request[BODY_KEY] = parsed if isinstance(parsed, dict) else {}
        if behaviour.delay_before_headers:
            await asyncio.sleep(behaviour.delay_before_headers)
        if behaviour.status is not None:
            if anthropic_api.is_anthropic(request):
                reply = anthropic_api.error_reply(behaviour, behaviour.status)
            else:
                reply = openai_api.error_reply(behaviour, behaviour.status)
            reply.headers.update(behaviour.error_headers)
            return reply
        if behaviour.raw_reply is not None:
            return web.Response(
                body=behaviour.raw_reply, headers={"Content-Type": behaviour.raw_content_type}
            )
        return await handler(request)


def _parse_json(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


async def _models(request: web.Request) -> web.StreamResponse:
    """List models in the shape of whichever API family is asking."""
    if anthropic_api.is_anthropic(request):
        return await anthropic_api.models(request)
    return await openai_api.models(request)
