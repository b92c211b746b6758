"""The access line's cheap path writes exactly what structlog writes, and follows every
reconfiguration: a new stream or level, ``capture_logs``, someone else's configuration."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator, MutableMapping
from typing import Any

import orjson
import pytest
import structlog
from structlog.testing import capture_logs

from proxy.logs import LineLogger, configure_logging

FIELDS: dict[str, Any] = {
    "request_id": "r-1",
    "status": 200,
    "stream": True,
    "rules": ["secrets.block"],
    "latency_ms": 12.5,
    "big": 2**70,  # orjson refuses it: the standard library's fallback renders it
    "error": "",
}


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    yield
    structlog.reset_defaults()
    configure_logging("info", sys.stderr)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


def test_the_line_is_structlogs_line_with_the_same_keys_in_the_same_order() -> None:
    """One call through each path gives the same JSON object, key order included."""
    stream = io.StringIO()
    configure_logging("info", stream)
    structlog.get_logger("llm_proxy.access").info("call", **FIELDS)
    LineLogger("llm_proxy.access").info("call", **FIELDS)
    ours, theirs = _lines(stream)
    assert list(ours) == list(theirs)
    ours.pop("timestamp"), theirs.pop("timestamp")
    assert ours == theirs == {**FIELDS, "event": "call", "level": "info"}


def test_a_new_configuration_takes_effect_for_a_logger_made_before_it() -> None:
    """A logger made under one configuration writes to the next one's stream, at its level."""
    first, second, third = io.StringIO(), io.StringIO(), io.StringIO()
    configure_logging("info", first)
    log = LineLogger("llm_proxy.access")
    log.info("call", n=1)
    configure_logging("info", second)
    log.info("call", n=2)
    configure_logging("warning", third)
    log.info("call", n=3)
    assert [line["n"] for line in _lines(first)] == [1]
    assert [line["n"] for line in _lines(second)] == [2]
    assert third.getvalue() == ""


def test_capture_logs_sees_the_line_and_the_stream_does_not() -> None:
    """Inside ``capture_logs`` the line is captured, not written; after it, written again."""
    stream = io.StringIO()
    configure_logging("info", stream)
    log = LineLogger("llm_proxy.access")
    with capture_logs() as captured:
        log.info("call", n=1)
    log.info("call", n=2)
    assert captured == [{"n": 1, "event": "call", "log_level": "info"}]
    assert [line["n"] for line in _lines(stream)] == [2]


def test_someone_elses_configuration_is_followed() -> None:
    """After a structlog configuration not made by configure_logging, the line goes through it."""
    configure_logging("info", io.StringIO())
    seen: list[dict[str, Any]] = []

    def keep(logger: Any, method: str, event: MutableMapping[str, Any]) -> str:
        seen.append(dict(event))
        return "kept"

    structlog.configure(processors=[keep], logger_factory=structlog.ReturnLoggerFactory())
    LineLogger("llm_proxy.access").info("call", n=1)
    assert seen == [{"n": 1, "event": "call"}]


def test_a_field_keyed_by_numbers_is_written_as_the_standard_library_writes_it() -> None:
    """A dict field with int keys (and one with a huge int beside them) still renders, the
    keys as JSON strings, on both paths: orjson's plain try refuses such keys."""
    stream = io.StringIO()
    configure_logging("info", stream)
    fields = {"by_status": {200: 3, 503: 1}, "nested": {"deep": {7: "x"}}, "big": {1: 2**70}}
    structlog.get_logger("llm_proxy.access").info("call", **fields)
    LineLogger("llm_proxy.access").info("call", **fields)
    for line in _lines(stream):
        assert line["by_status"] == {"200": 3, "503": 1}
        assert line["nested"] == {"deep": {"7": "x"}}
        assert line["big"] == {"1": 2**70}
