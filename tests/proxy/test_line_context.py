"""Context bound with ``structlog.contextvars`` reaches the access line's cheap path as it
reaches structlog's (the path skips the merge only while nothing was ever bound)."""

from __future__ import annotations

import contextvars
import io
import sys
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
import structlog
from structlog.contextvars import bind_contextvars

from proxy.logs import LineLogger, configure_logging


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    yield
    structlog.reset_defaults()
    configure_logging("info", sys.stderr)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


def _bound_then_logged(logger: Any) -> None:
    """Binds a context key in this (copied) context, then writes a line."""
    bind_contextvars(tenant="acme")
    logger.info("call", status=200)


def test_bound_context_is_merged_into_the_line_as_structlog_merges_it() -> None:
    """A key bound before the line is in it, at the place structlog's own line has it."""
    stream = io.StringIO()
    configure_logging("info", stream)
    contextvars.copy_context().run(_bound_then_logged, LineLogger("t"))
    contextvars.copy_context().run(_bound_then_logged, structlog.get_logger("t"))
    ours, structlogs = _lines(stream)
    assert ours["tenant"] == "acme"
    ours.pop("timestamp"), structlogs.pop("timestamp")
    assert list(ours.items()) == list(structlogs.items())
