"""The access line's fused run of the configured processors writes, byte for byte, the line
structlog's own run of them writes, for awkward values too."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import structlog

from proxy.logs import LineLogger, configure_logging


@dataclass
class _Opaque:
    name: str


class _Rendered:
    """Renders itself for structlog (``__structlog__``), not by ``repr``."""

    def __structlog__(self) -> dict[str, str]:
        return {"rendered": "by itself"}


AWKWARD: list[dict[str, Any]] = [
    {"request_id": "r-1", "rules": [], "entity_types": [], "error": ""},
    {"user": "Zoë \u201cquoted\u201d \\ back\nslash", "team": "\u00e9quipe", "app": "\U0001f600"},
    {"status": None, "latency_ms": 0.1 + 0.2, "ttfb_ms": 1e-7, "stream": False},
    {"big": 2**70, "negative": -(2**64)},  # orjson refuses these: the stdlib renders the line
    {
        "when": datetime(2026, 11, 30, 14, 5, 6, 7, tzinfo=UTC),
        "thing": _Opaque("x"),
        "own": _Rendered(),
    },
    {"nested": {"a": [1, {"b": None}], "c": (1, 2)}, "surrogate": "\ud800"},
    {"exc_info": False, "level": "overridden"},
]


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    yield
    structlog.contextvars.clear_contextvars()
    structlog.reset_defaults()
    configure_logging("info", sys.stderr)


def _without_timestamp(line: str) -> str:
    """The line with its timestamp's value blanked (orjson writes no blanks, the stdlib one)."""
    return re.sub(r'("timestamp": ?)"[^"]*"', r'\1""', line)


@pytest.mark.parametrize("fields", AWKWARD)
@pytest.mark.parametrize("bound", [False, True])
def test_the_fused_line_is_structlogs_line(fields: dict[str, Any], bound: bool) -> None:
    """Same fields, with or without context variables bound: the same bytes, timestamp aside."""
    stream = io.StringIO()
    configure_logging("info", stream)
    if bound:
        structlog.contextvars.bind_contextvars(request_id="bound", tenant="t")
    structlog.get_logger("llm_proxy.access").info("call", **fields)
    LineLogger("llm_proxy.access").info("call", **dict(fields))
    theirs, ours = stream.getvalue().splitlines()
    assert _without_timestamp(ours) == _without_timestamp(theirs)
