"""The proxy's structlog lines still carry a traceback when asked for one, and lines that
ask for none have no ``exception`` field."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator

import orjson
import pytest
import structlog

from proxy.logs import LineLogger, configure_logging


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    yield
    structlog.reset_defaults()
    configure_logging("info", sys.stderr)


@pytest.mark.parametrize("how", ["exception", "exc_info", "instance"])
def test_a_traceback_asked_for_is_in_the_line(how: str) -> None:
    """``log.exception``, ``exc_info=True`` and an exception instance each render the
    traceback into ``exception``; the access line without one has no such field."""
    stream = io.StringIO()
    configure_logging("info", stream)
    log = structlog.get_logger("llm_proxy")
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        if how == "exception":
            log.exception("failed")
        elif how == "exc_info":
            log.error("failed", exc_info=True)
        else:
            log.error("failed", exc_info=error)
    LineLogger("llm_proxy.access").info("call", status=200)
    failed, call = (orjson.loads(line) for line in stream.getvalue().splitlines())
    assert "RuntimeError: boom" in failed["exception"]
    assert "exc_info" not in failed
    assert "exception" not in call
    assert call["status"] == 200
