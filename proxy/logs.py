"""The proxy's own log: structlog, JSON lines on stderr.

Never log prompt text, response text or credentials here; the event log is where content
goes, under its access controls. Only ids, names, numbers and error codes belong in these
lines.

The access line (one per call) is held until the end of the event loop's pass and written
with the other lines of that pass in one ``write``: a write system call, and a wake-up of
whatever reads the pipe, per pass instead of per call. Every other line is written at once,
after the held ones, so the order of lines is kept. Held lines are written at the latest on
the next pass, before any line written at once, and at exit (a graceful stop, SIGTERM);
``kill -9`` loses at most the lines of the pass it interrupts. The access log is not the
audit log: every answered call is on disk in the event log's spool before it is answered.
"""

from __future__ import annotations

import asyncio
import atexit
import contextvars
import json
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson
import structlog
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError
from structlog._config import _CONFIG as _STRUCTLOG_CONFIG
from structlog.contextvars import _CONTEXT_VARS as _STRUCTLOG_CONTEXT_VARS
from structlog.processors import _json_fallback_handler as _json_fallback
from structlog.typing import Processor

from proxy.running_loop import running_loop_or_none


def configure_logging(level: str = "info", stream: TextIO | None = None) -> None:
    """Route structlog (and the stdlib loggers of our dependencies) to JSON lines."""
    numeric = logging.getLevelNamesMapping()[level.upper()]
    # One writer for every logger: the default factory built a new one per log line, since
    # loggers are not cached (tests reconfigure logging, and cached loggers would not follow).
    writer = LineWriter(stream or sys.stderr)
    replaced = _Latest.chain
    if replaced is not None:
        replaced.writer.flush()  # its held lines, before lines go elsewhere
    _register_exit_flush()
    stamper = UtcStamper()
    # ``default`` as JSONRenderer sets it unless told, named here so the access line's
    # fused render (LineLogger.info) passes the same one.
    renderer = structlog.processors.JSONRenderer(serializer=_dumps, default=_json_fallback)
    processors: list[Processor] = [
        _merge_contextvars,
        structlog.processors.add_log_level,
        stamper,
        _format_exc_info,
        renderer,
    ]
    wrapper = structlog.make_filtering_bound_logger(numeric)

    def factory(*args: Any) -> LineWriter:
        return writer

    structlog.configure(
        processors=processors,
        wrapper_class=wrapper,
        logger_factory=factory,
        cache_logger_on_first_use=False,
    )
    _Latest.chain = _Chain(processors, list(processors), wrapper, factory, writer, numeric, stamper)
    # Warnings and errors of the stdlib loggers (aiohttp, asyncio, ...) become JSON lines
    # too: without a handler Python printed them as plain text among the JSON lines.
    root = logging.getLogger()
    for previous in [h for h in root.handlers if isinstance(h, _JsonLines)]:
        root.removeHandler(previous)
    root.addHandler(_JsonLines(writer))
    # aiohttp's own access log would duplicate ours (and print raw request lines).
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.server").addFilter(_CLIENT_FAULTS)


class UtcStamper:
    """Adds ``timestamp``: the time in UTC, ISO 8601 with microseconds and a ``Z``, exactly as
    ``structlog.processors.TimeStamper(fmt="iso", utc=True)`` writes it, at a fraction of
    its cost (it built an aware datetime and formatted all of it for every line; here the
    part up to the second is formatted once a second)."""

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def __call__(self, logger: Any, method: str, event_dict: Any) -> Any:
        second, micros = divmod(time.time_ns() // 1000, 1_000_000)
        if second != self._second:
            moment = datetime.fromtimestamp(second, UTC)
            self._prefix, self._second = moment.strftime("%Y-%m-%dT%H:%M:%S"), second
        # isoformat() leaves out a zero fraction; so does this.
        fraction = f".{micros:06d}" if micros else ""
        event_dict["timestamp"] = f"{self._prefix}{fraction}Z"
        return event_dict


#: Held lines are written at once when they reach this many characters (a pass of the loop
#: that completes some hundreds of calls).
HOLD_CHARS = 64 * 1024


#: The context the flush runs in: it reads no context variable, and a copy of the call's
#: context for each pass (``call_soon``'s default) cost 1.1 of its 1.7 us.
_FLUSH_CONTEXT = contextvars.Context()


class LineWriter:
    """Log lines to a stream: what structlog's ``WriteLogger`` does (``msg`` writes and
    flushes a line at once), and :meth:`later`, for the access line: held, and written
    with the other lines held in the same pass of the event loop, in one ``write``."""

    def __init__(self, stream: TextIO, *, hold_chars: int = HOLD_CHARS) -> None:
        self.stream = stream
        self._hold_chars = hold_chars
        # Lines come from the loop and from other threads (the event log's writer).
        self._lock = threading.Lock()
        self._held: list[str] = []
        self._held_chars = 0
        #: The loop a flush is scheduled on (None: none is); a loop stopped before running
        #: it leaves the held lines to the next loop's flush.
        self._flush_loop: asyncio.AbstractEventLoop | None = None

    def msg(self, message: str) -> None:
        """Write ``message`` as a line now, after the lines held."""
        with self._lock:
            if self._held:
                message = self._take() + message
            self._write(message + "\n")

    # structlog calls the method named after the level.
    log = debug = info = warn = warning = err = error = critical = exception = fatal = msg

    def later(self, message: str) -> None:
        """Write ``message`` as a line at the end of this pass of the running event loop
        (at once on a thread that runs none)."""
        loop = running_loop_or_none()
        if loop is None:
            self.msg(message)
            return
        with self._lock:
            self._held.append(message)
            self._held_chars += len(message)
            if self._flush_loop is not loop:
                self._flush_loop = loop
                loop.call_soon(self.flush, context=_FLUSH_CONTEXT)
            elif self._held_chars >= self._hold_chars:
                self._write(self._take())

    def flush(self) -> None:
        """Write the lines held, if any."""
        with self._lock:
            self._flush_loop = None
            if self._held:
                self._write(self._take())

    def _take(self) -> str:
        """The held lines as one text (lock held); none are held after."""
        text = "\n".join(self._held) + "\n"
        self._held = []
        self._held_chars = 0
        return text

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


class _ExitFlush:
    """Whether the exit hook that writes the held lines is registered (once per process)."""

    registered = False


def _register_exit_flush() -> None:
    if _ExitFlush.registered:
        return
    _ExitFlush.registered = True
    atexit.register(_flush_at_exit)


def _flush_at_exit() -> None:
    """Write the lines held by the writer in force (a stop that ended the loop before its
    next pass); a stream already closed (a test's capture) has nobody to read them."""
    chain = _Latest.chain
    if chain is not None and not chain.writer.stream.closed:
        chain.writer.flush()


def _merge_contextvars(logger: Any, method: str, event_dict: Any) -> Any:
    """``structlog.contextvars.merge_contextvars``, asked only once anything was ever bound
    (``bind_contextvars`` makes each of its context variables there; until then it walked
    every context variable of the call's context to find none of its own)."""
    if not _STRUCTLOG_CONTEXT_VARS:
        return event_dict
    return structlog.contextvars.merge_contextvars(logger, method, event_dict)


def _format_exc_info(logger: Any, method: str, event_dict: Any) -> Any:
    """``structlog.processors.format_exc_info``, asked only when the line has ``exc_info``
    (without it, it pops nothing and adds nothing: the access line never has one)."""
    if "exc_info" not in event_dict:
        return event_dict
    return structlog.processors.format_exc_info(logger, method, event_dict)


@dataclass(frozen=True, slots=True)
class _Chain:
    """What :func:`configure_logging` configured last, to tell whether it is still in force."""

    #: The list structlog holds (``capture_logs`` changes its content in place).
    processors: list[Processor]
    #: Its content as configured.
    configured: list[Processor]
    wrapper: type[Any]
    factory: Any
    writer: LineWriter
    level: int
    #: The configured stamper, for :meth:`LineLogger.info`'s run of the chain in one frame.
    stamper: UtcStamper

    def in_force(self) -> bool:
        """structlog still runs exactly this configuration.

        Asked on every access line: it reads structlog's configuration object itself, where
        ``structlog.get_config()`` built a dictionary of it each time (0.6 of the check's
        1 us); a private name, so a structlog that renames it fails at import, not here.
        tests/proxy/test_line_logger.py reconfigures it every way the check must follow."""
        config = _STRUCTLOG_CONFIG
        return (
            config.default_processors is self.processors
            and self.processors == self.configured
            and config.default_wrapper_class is self.wrapper
            and config.logger_factory is self.factory
            and config.default_context_class is dict
        )


class _Latest:
    """The configuration :func:`configure_logging` made last (None: never called)."""

    chain: _Chain | None = None


class LineLogger:
    """``info`` for lines written on every call (the access line), through the processors
    :func:`configure_logging` set up, without structlog's per-line wrapper: the lazy proxy
    building a bound logger and the filtering and dispatch layers took about half of an
    access line's 10 us. The line is the same JSON, keys in the same order.

    Whenever another structlog configuration is in force (``capture_logs`` in tests,
    anything else that reconfigures), the line goes through structlog as usual.
    """

    def __init__(self, name: str) -> None:
        self._structlog = structlog.get_logger(name)

    def info(self, event: str, **fields: Any) -> None:
        """Write ``event`` with ``fields`` at level info."""
        chain = _Latest.chain
        if chain is None or not chain.in_force():
            self._structlog.info(event, **fields)
            return
        if chain.level > logging.INFO:
            return
        line: Any = fields
        line["event"] = event
        # The chain configure_logging made (in_force: the very same processors), each step
        # as its processor does it, in its order; none of them drops a line.
        if _STRUCTLOG_CONTEXT_VARS:
            line = structlog.contextvars.merge_contextvars(chain.writer, "info", line)
        line["level"] = "info"  # add_log_level
        line = chain.stamper(chain.writer, "info", line)
        if "exc_info" in line:
            line = structlog.processors.format_exc_info(chain.writer, "info", line)
        # JSONRenderer(serializer=_dumps, default=_json_fallback), without its frame and the
        # keyword dict each of its two calls built (0.6 of the line's 5.6 us).
        chain.writer.later(_dumps(line, _json_fallback))


#: Values orjson would render other than the standard library does go to ``default`` (repr).
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
#: Keys other than ``str`` (an int-keyed dict in a field), written as the standard library
#: writes them. Only on a second try: with this option orjson builds a key object for every
#: key of every dict, 26 allocations and about 0.7 us of an access line's 1.3 us.
_ORJSON_ANY_KEYS = _ORJSON_OPTIONS | orjson.OPT_NON_STR_KEYS


def _dumps(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    """A log line as JSON: orjson (about 8x faster per access line than ``json.dumps``),
    then orjson taking keys of any type, then the standard library for what orjson refuses
    (integers over 64 bits). JSONRenderer passes only ``default``."""
    try:
        return orjson.dumps(value, default=default, option=_ORJSON_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        pass
    try:
        return orjson.dumps(value, default=default, option=_ORJSON_ANY_KEYS).decode()
    except TypeError:
        return json.dumps(value, default=default)


class _JsonLines(logging.StreamHandler):  # type: ignore[type-arg]
    """Stdlib log records as the same JSON lines as structlog's, with the logger's name,
    after the access lines :class:`LineWriter` holds."""

    def __init__(self, writer: LineWriter) -> None:
        super().__init__(writer.stream)
        self._writer = writer
        self.setFormatter(
            structlog.stdlib.ProcessorFormatter(
                processors=[
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.JSONRenderer(serializer=_dumps),
                ],
                foreign_pre_chain=[
                    structlog.stdlib.add_logger_name,
                    structlog.processors.add_log_level,
                    structlog.processors.TimeStamper(fmt="iso", utc=True),
                    structlog.processors.format_exc_info,
                ],
            )
        )

    def emit(self, record: logging.LogRecord) -> None:
        self._writer.flush()
        super().emit(record)


class _ClientFaults(logging.Filter):
    """aiohttp logs a request it cannot parse, or a body it cannot decompress (also while
    discarding the body of a call already answered), as an error with a traceback. Anyone
    can send those at will (issue 9 fuzz run): each is one line here instead, naming the
    error's type only, since aiohttp's message may quote the request's bytes."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError | RequestPayloadError):
            structlog.get_logger("llm_proxy").info("malformed_request", error=type(error).__name__)
            return False
        return True


#: Stateless, so one instance serves every (re)configuration; adding it twice is a no-op.
_CLIENT_FAULTS = _ClientFaults()
