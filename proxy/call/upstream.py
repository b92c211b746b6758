"""The client side of a call to a provider: sending it through the one shared session, and
reading the answer's body as it arrives.

Every call goes through one pooled ``aiohttp.ClientSession`` (no cookie jar, redirects never
followed), waits at most ``timeouts.ttfb`` for the provider's response headers, connecting
included, and at most ``timeouts.idle`` for each next piece of the body. What is the same for
every call is made once, here: the client timeout and the watchdogs that time those waits
(one timer for all calls; see :mod:`proxy.call.watchdog`).
"""

from __future__ import annotations

import asyncio

import aiohttp

from proxy.call.providers import UpstreamRequest
from proxy.call.watchdog import Watchdog
from proxy.config.settings import TimeoutsConfig
from proxy.errors import UpstreamError, UpstreamTimeout


class UpstreamClient:
    """Sends calls to providers through one shared, pooled client session."""

    __slots__ = ("_idle", "_session", "_timeout", "_ttfb")

    def __init__(self, session: aiohttp.ClientSession, timeouts: TimeoutsConfig) -> None:
        self._session = session
        # aiohttp's own timeout bounds connecting only: the waits for the headers and for
        # each piece of the body are the watchdogs', the whole answer's the relay's (total).
        self._timeout = aiohttp.ClientTimeout(total=None, connect=timeouts.connect)
        self._ttfb = Watchdog(timeouts.ttfb)
        self._idle = Watchdog(timeouts.idle)

    async def send(
        self, method: str, upstream: UpstreamRequest, body: bytes
    ) -> aiohttp.ClientResponse:
        """The provider's response to ``method`` ``upstream`` with ``body``, once its
        headers are in; the body is left to read.

        Raises :class:`UpstreamTimeout` when no headers came within ``timeouts.ttfb`` (or the
        connection within ``timeouts.connect``) and :class:`UpstreamError` when the provider
        could not be reached. A cancelled call (the caller went away) stays cancelled.
        """
        task = self._ttfb.arm()
        try:
            return await self._session.request(
                method,
                upstream.url,
                params=upstream.params,
                headers=upstream.headers,
                data=body,
                timeout=self._timeout,
                allow_redirects=False,
            )
        except asyncio.CancelledError:
            if self._ttfb.fired(task):
                raise UpstreamTimeout("The provider did not answer in time.") from None
            raise
        except TimeoutError:  # connecting took longer than timeouts.connect
            raise UpstreamTimeout("The provider did not answer in time.") from None
        except aiohttp.ClientError as exc:
            raise UpstreamError(
                f"The provider could not be reached ({type(exc).__name__})."
            ) from None
        finally:
            self._ttfb.disarm(task)

    async def next_chunk(self, response: aiohttp.ClientResponse) -> bytes:
        """What has arrived of ``response``'s body since the last read, waiting for more when
        nothing has (``readany``); b"" at its end. Raises :class:`TimeoutError` when nothing
        came within ``timeouts.idle``, and the body's own errors as ``readany`` does."""
        content = response.content
        chunk = content.read_nowait()  # the body's error, if any, is raised here
        if chunk or content.is_eof():
            return chunk  # there already: no wait to time
        task = self._idle.arm()
        try:
            return await content.readany()
        except asyncio.CancelledError:
            if self._idle.fired(task):
                raise TimeoutError from None
            raise
        finally:
            self._idle.disarm(task)
