"""Relay a call to its provider and the answer back: buffered JSON, SSE streams, raw bytes.

Streams are relayed event by event as they arrive, through the call's stream inspector; the
proxy never buffers a whole stream. Upstream failures map to 502 (unreachable, broken) and
504 (timeouts); once a stream has started they end it with an error event instead, sent
after the text the stream inspector held back (scanned as at a normal end).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence, Set
from dataclasses import dataclass
from functools import partial
from itertools import compress, repeat
from operator import attrgetter, is_
from time import monotonic
from typing import Any

import aiohttp
import structlog
from aiohttp import web

from core.inspection import ALLOW, OutputBlocked, OutputInspector, StreamInspector, Verdict
from proxy.call.apis import Api, StreamRecorder, Usage, event_payload, response_usage
from proxy.call.deadlines import Deadlines
from proxy.call.providers import UpstreamRequest, filter_response_headers
from proxy.call.sse import SSEEvent, SSEParser
from proxy.call.upstream import UpstreamClient
from proxy.config.settings import TimeoutsConfig
from proxy.errors import ProxyError, UpstreamError, UpstreamTimeout
from proxy.running_loop import running_loop
from wire.apis.protocol import WireApi
from wire.apis.registry import WIRE_APIS, WireRegistry
from wire.sdkjson import dumps_like_clients, loads_like_clients

log = structlog.get_logger("llm_proxy.relay")


class ClientGone(Exception):
    """The caller closed the connection while the answer was being sent."""


#: No usage reported (frozen: one for every call, not one made per call).
_NO_USAGE = Usage()

#: An event's bytes as they came (read in C, not a Python step per event).
_RAW = attrgetter("raw")
_PAYLOAD = attrgetter("payload")
#: Reads of this many events or more are looked at for usage-only chunks in C (see
#: StreamPipe.relay): below it, the look costs more than the loop.
_MANY_EVENTS = 10


@dataclass(slots=True)
class RelayOutcome:
    """What the relay learnt, filled in as it goes (also when it fails half-way)."""

    upstream_status: int = 0
    ttfb: float = 0.0  # seconds to the provider's response headers
    usage: Usage = _NO_USAGE
    output: str = ""
    verdict: Verdict = ALLOW
    #: Set when a stream ended early (upstream failure, block, timeout) after it started.
    stream_error: str = ""
    #: True once the answer's status line went to the caller: from then on an error can
    #: only cut the answer short, never replace it.
    started: bool = False


@dataclass(slots=True)  # not frozen: one per call, never hashed or replaced (issue 11)
class RelayJob:
    method: str
    upstream: UpstreamRequest
    body: bytes
    api: Api
    output: OutputInspector
    #: True when the proxy added ``stream_options.include_usage`` the caller did not ask for:
    #: the usage-only chunk is then consumed here, not relayed.
    strip_usage_chunk: bool
    request_id: str
    #: Called with the status just before a streamed answer's last byte is sent: the call
    #: must be recorded before the caller can see it complete (a crash in between would
    #: lose an answered call). Buffered answers are recorded before they are sent anyway.
    before_eof: Callable[[int], None] = lambda status: None
    #: The wire formats the proxy serves: how ``api``'s answers, streams and errors read.
    wire: WireRegistry = WIRE_APIS


class Relay:
    """Sends calls upstream through one shared, pooled client session."""

    def __init__(self, session: aiohttp.ClientSession, timeouts: TimeoutsConfig) -> None:
        self._upstream = UpstreamClient(session, timeouts)
        self._timeouts = timeouts
        #: Streams end by their call's deadline, all timed by one timer.
        self._deadlines = Deadlines(timeouts.total)

    async def forward(
        self, request: web.Request, job: RelayJob, outcome: RelayOutcome
    ) -> web.StreamResponse:
        """Forward ``job`` and answer ``request``. Raises :class:`ProxyError` before streaming."""
        deadline = running_loop().time() + self._timeouts.total  # no getpid (3.11)
        sent = time.perf_counter()
        upstream = await self._upstream.send(job.method, job.upstream, job.body)
        outcome.ttfb = time.perf_counter() - sent
        outcome.upstream_status = upstream.status
        try:
            content_type = upstream.content_type
            if upstream.status == 200 and content_type == "text/event-stream":
                return await self._relay_stream(request, job, upstream, outcome, deadline)
            if content_type == "application/json" or upstream.status >= 400:
                return await self._relay_json(job, upstream, outcome, deadline)
            return await self._relay_raw(request, job, upstream, outcome, deadline)
        finally:
            # close(), not release(): an unfinished answer must abort the upstream request
            # (a caller that went away cancels generation), never return to the pool.
            if not upstream.closed:
                upstream.close()

    async def _read_all(self, upstream: aiohttp.ClientResponse, deadline: float) -> bytes:
        parts: list[bytes] = []
        content = upstream.content
        # A small answer mostly came in with its headers: what is already here is taken
        # without arming the two timers (as read_body does for the request).
        while chunk := content.read_nowait():
            parts.append(chunk)
        if content.at_eof():
            return b"".join(parts)
        async with asyncio.timeout_at(deadline):
            while True:
                chunk = await self._upstream.next_chunk(upstream)
                if not chunk:
                    return b"".join(parts)
                parts.append(chunk)

    async def _relay_json(
        self,
        job: RelayJob,
        upstream: aiohttp.ClientResponse,
        outcome: RelayOutcome,
        deadline: float,
    ) -> web.StreamResponse:
        content = upstream.content
        try:
            # An answer that has all arrived (most small ones) is taken without a coroutine.
            raw = (
                content.read_nowait()
                if content.is_eof()
                else await self._read_all(upstream, deadline)
            )
        except TimeoutError:
            raise UpstreamTimeout("The provider stopped answering.") from None
        except aiohttp.ClientError as exc:
            raise UpstreamError(
                f"The provider broke the connection ({type(exc).__name__})."
            ) from None
        upstream.release()
        headers = filter_response_headers(upstream.headers)
        body: Any = None
        if upstream.content_type == "application/json":
            try:
                body = loads_like_clients(raw)
            except ValueError:
                body = None
        if upstream.status == 200 and body is not None:
            outcome.usage = response_usage(body, job.api, job.wire)
            verdict, rewritten = await job.output.inspect_body(body)
            outcome.verdict = verdict
            if rewritten is not None:
                raw = dumps_like_clients(rewritten)
        outcome.output = raw.decode("utf-8", errors="replace")
        headers["x-request-id"] = job.request_id
        return web.Response(status=upstream.status, body=raw, headers=headers)

    async def _relay_raw(
        self,
        request: web.Request,
        job: RelayJob,
        upstream: aiohttp.ClientResponse,
        outcome: RelayOutcome,
        deadline: float,
    ) -> web.StreamResponse:
        """Relay a body the proxy does not inspect (audio, files) chunk by chunk."""
        response = await _start_answer(request, job, upstream, outcome)
        try:
            async with asyncio.timeout_at(deadline):
                while True:
                    chunk = await self._upstream.next_chunk(upstream)
                    if not chunk:
                        break
                    await _write(response, chunk)
        except (TimeoutError, aiohttp.ClientError):
            # The status line is sent; all that is left is to cut the body short.
            if request.transport is not None:
                request.transport.close()
            return response
        job.before_eof(response.status)
        await response.write_eof()
        return response

    async def _relay_stream(
        self,
        request: web.Request,
        job: RelayJob,
        upstream: aiohttp.ClientResponse,
        outcome: RelayOutcome,
        deadline: float,
    ) -> web.StreamResponse:
        response = await _start_answer(request, job, upstream, outcome, cache_control="no-cache")
        parser = SSEParser()
        recorder = StreamRecorder(job.api, job.wire)
        inspector = job.output.stream()

        # The usage-only chunk the proxy asked for, read by the stream's format (looked up
        # once, not per event).
        usage_chunks = job.wire.for_api(job.api) if job.strip_usage_chunk else None
        pipe = StreamPipe(inspector, recorder, partial(_write, response), usage_chunks=usage_chunks)
        relay, send = pipe.relay, pipe.send

        error: ProxyError | None = None
        try:
            # The call's deadline, by the one timer of all streams (not a timer of its own).
            loop_now, now = running_loop().time(), monotonic()
            task = self._deadlines.arm_until(now + deadline - loop_now)
            try:
                try:
                    while True:
                        chunk = await self._upstream.next_chunk(upstream)
                        if not chunk:
                            break
                        await relay(parser.feed(chunk))
                    await relay(parser.close())
                except asyncio.CancelledError:
                    if not self._deadlines.fired(task):
                        raise
                    raise TimeoutError from None
                finally:
                    self._deadlines.disarm(task)
            except TimeoutError:  # the call's deadline, or the provider's silence (idle)
                error = UpstreamTimeout("The provider stopped answering.")
                outcome.stream_error = "timeout"
            except aiohttp.ClientError as exc:
                error = UpstreamError(f"The provider broke the stream ({type(exc).__name__}).")
                outcome.stream_error = "upstream_broken"
            # Also after an upstream failure: the text held back was produced before it, so
            # it is scanned and released as at a normal end (masked, or blocked) before the
            # error event. A torn last event is dropped, never relayed unscanned.
            await send(await inspector.finish())
            outcome.verdict = inspector.verdict
        except OutputBlocked as blocked:
            error, outcome.verdict = blocked, blocked.verdict
            # An upstream failure stays the recorded reason; the caller learns of the block.
            outcome.stream_error = outcome.stream_error or "output_blocked"
        except ClientGone:
            raise
        except Exception:
            # A bug of ours mid-stream (an inspector, a shape): end the stream with an error
            # event like any other failure; a second response would corrupt it.
            log.exception("internal_error", request_id=job.request_id)
            error = ProxyError("The proxy failed while relaying this answer.")
            outcome.stream_error = "internal_error"
        finally:
            outcome.usage = recorder.usage
            outcome.output = recorder.text
        # Once the stream has started, a failure can only end it with an error event.
        if error is not None:
            await _write(response, job.wire.stream_error(job.api, error.body()))
        job.before_eof(response.status)
        await response.write_eof()
        return response


class StreamPipe:
    """One streamed answer's way from the upstream to the caller: each read's events go to
    the output inspector together (one scan for all), what it sends goes to the caller in
    one write, and the recorder takes usage from the upstream's events and text from those
    sent. The relay drives it read by read; bench/stream_cost.py drives the same code."""

    __slots__ = ("_inspector", "_recorder", "_usage_chunks", "_write")

    def __init__(
        self,
        inspector: StreamInspector,
        recorder: StreamRecorder,
        write: Callable[[bytes], Awaitable[None]],
        *,
        usage_chunks: WireApi | None = None,
    ) -> None:
        self._inspector = inspector
        self._recorder = recorder
        self._write = write
        #: The format of the stream whose usage-only chunk the proxy asked for (then
        #: consumed here, not relayed); ``None`` when the caller asked for it.
        self._usage_chunks = usage_chunks

    async def relay(self, events: list[SSEEvent]) -> None:
        """Inspect, send and record the events of one upstream read."""
        recorder, usage_chunks = self._recorder, self._usage_chunks
        kept: list[SSEEvent] = events
        if usage_chunks is not None and len(events) < _MANY_EVENTS:
            kept = []
            usage_only = usage_chunks.usage_only
            for event in events:
                payload = event.payload  # event_payload(event): decoded by the parser
                if payload is None:
                    payload = event_payload(event)
                if payload is not None and usage_only(payload):
                    recorder.feed(event, text=False)
                else:
                    kept.append(event)
        elif usage_chunks is not None:
            # A read of many events (under load, a whole answer): its usage-only chunks
            # looked for in C, no Python step per event but the format's check of each
            # event's payload (decoded by the parser).
            payloads = list(map(_PAYLOAD, events))
            for index in compress(range(len(events)), map(is_, payloads, repeat(None))):
                payloads[index] = event_payload(events[index])  # not JSON: rarely an object
            objects = list(compress(range(len(events)), payloads))
            only = map(usage_chunks.usage_only, map(payloads.__getitem__, objects))
            dropped = list(compress(objects, only))
            if dropped:
                for index in dropped:
                    recorder.feed(events[index], text=False)
                # Deleted from a copy, the last first (a whole answer's read drops one
                # chunk: no Python step per event kept, nor a list search per event).
                kept = events.copy()
                for index in reversed(dropped):
                    del kept[index]
        if not kept:
            return
        try:
            sent = await self._inspector.feed_all(kept)
        except BaseException:
            recorder.feed_all(kept, text=False)
            raise
        if len(sent) == len(kept) and all(map(is_, sent, kept)):
            # Exactly the events received, none rewritten or held (nearly every read):
            # recorded in one call, their bytes go out in one write.
            recorder.feed_all(kept)
            await self._write(b"".join(map(_RAW, kept)))
            return
        upstream_ids = set(map(id, kept))
        if upstream_ids <= set(map(id, sent)):
            # Every event goes out as it came (usually): each is read once for both,
            # usage still in the upstream's order.
            await self.send(sent, upstream_ids)
            return
        recorder.feed_all(kept, text=False)
        await self.send(sent)

    async def send(self, events: Sequence[SSEEvent], upstream_ids: Set[int] = frozenset()) -> None:
        """Send ``events`` and record their text (and the usage of ``upstream_ids``)."""
        if upstream_ids:
            feed = self._recorder.feed
            for event in events:
                feed(event, usage=id(event) in upstream_ids)
        else:
            self._recorder.feed_all(events, usage=False)
        if events:
            await self._write(b"".join(map(_RAW, events)))


async def _start_answer(
    request: web.Request,
    job: RelayJob,
    upstream: aiohttp.ClientResponse,
    outcome: RelayOutcome,
    *,
    cache_control: str | None = None,
) -> web.StreamResponse:
    """Send the status line and headers of an answer relayed piece by piece."""
    response = web.StreamResponse(
        status=upstream.status, headers=filter_response_headers(upstream.headers)
    )
    response.headers["x-request-id"] = job.request_id
    if cache_control is not None:
        response.headers["Cache-Control"] = cache_control
    await _prepare(request, response)
    outcome.started = True
    return response


async def _prepare(request: web.Request, response: web.StreamResponse) -> None:
    try:
        await response.prepare(request)
    except ConnectionResetError as exc:
        raise ClientGone from exc


async def _write(response: web.StreamResponse, data: bytes) -> None:
    try:
        await response.write(data)
    except ConnectionResetError as exc:
        raise ClientGone from exc
