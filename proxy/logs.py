"""The proxy's own log: structlog, JSON lines on stderr.

Never log prompt text, response text or credentials here; the event log is where content
goes, under its access controls. Only ids, names, numbers and error codes belong in these
lines.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import structlog
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError


def configure_logging(level: str = "info", stream: TextIO | None = None) -> None:
    """Route structlog (and the stdlib loggers of our dependencies) to JSON lines."""
    numeric = logging.getLevelNamesMapping()[level.upper()]
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(stream or sys.stderr),
        cache_logger_on_first_use=False,
    )
    # Warnings and errors of the stdlib loggers (aiohttp, asyncio, ...) become JSON lines
    # too: without a handler Python printed them as plain text among the JSON lines.
    root = logging.getLogger()
    for previous in [h for h in root.handlers if isinstance(h, _JsonLines)]:
        root.removeHandler(previous)
    root.addHandler(_JsonLines(stream or sys.stderr))
    # aiohttp's own access log would duplicate ours (and print raw request lines).
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.server").addFilter(_CLIENT_FAULTS)


class _JsonLines(logging.StreamHandler):  # type: ignore[type-arg]
    """Stdlib log records as the same JSON lines as structlog's, with the logger's name."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.setFormatter(
            structlog.stdlib.ProcessorFormatter(
                processors=[
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.JSONRenderer(),
                ],
                foreign_pre_chain=[
                    structlog.stdlib.add_logger_name,
                    structlog.processors.add_log_level,
                    structlog.processors.TimeStamper(fmt="iso", utc=True),
                    structlog.processors.format_exc_info,
                ],
            )
        )


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
