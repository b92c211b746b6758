"""The proxy's own log: every line JSON, dependencies' warnings included."""

from __future__ import annotations

import io
import logging

import orjson
from aiohttp.http_exceptions import BadHttpMessage

from proxy.logs import configure_logging


def test_dependency_warnings_are_json_lines_naming_their_logger() -> None:
    """A warning or error a dependency logs through the stdlib is one JSON line, with its
    logger's name and any traceback in a field, however often logging is configured."""
    stream = io.StringIO()
    configure_logging("info", stream)
    configure_logging("info", stream)  # again (a reload): still one line per record
    logging.getLogger("asyncio").warning("Executing %s took %.3f seconds", "task", 0.5)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("aiohttp.web").exception("Error in handler")
    first, second = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    assert (first["logger"], first["level"], first["event"]) == (
        "asyncio",
        "warning",
        "Executing task took 0.500 seconds",
    )
    assert (second["logger"], second["level"]) == ("aiohttp.web", "error")
    assert "RuntimeError: boom" in second["exception"]


def test_a_request_aiohttp_cannot_parse_is_one_line_without_its_bytes() -> None:
    """aiohttp's report of a malformed request (its message may quote the request) is one
    ``malformed_request`` line naming the error type only."""
    stream = io.StringIO()
    configure_logging("info", stream)
    error = BadHttpMessage("Invalid header value: b'Bearer sk-secret-value'")
    logging.getLogger("aiohttp.server").error(
        "Error handling request from %s", "10.0.0.1", exc_info=error
    )
    (line,) = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    assert (line["event"], line["error"]) == ("malformed_request", "BadHttpMessage")
    assert "sk-secret" not in stream.getvalue()
