"""Access lines are held to the end of the event loop's pass and written together: whole,
in the order the calls completed, before any line written at once, and at exit."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
import structlog

from proxy.logs import LineLogger, configure_logging
from tests.proxy.conftest import StartProxy

SECRET_PROMPT = "my card is 4111 1111 1111 1111, summarise the contract"

#: A loop stopped in the pass that held a line: its flush never runs, only the exit hook.
_STOP_IN_THE_PASS = """
import asyncio
from proxy.logs import LineLogger, configure_logging
configure_logging("info")
loop = asyncio.new_event_loop()
def last_pass():
    LineLogger("llm_proxy.access").info("call", request_id="held-at-stop")
    loop.stop()
loop.call_soon(last_pass)
loop.run_forever()
loop.close()
"""


class CountingStream(io.StringIO):
    """A text stream that counts its ``write`` calls (one system call each on a pipe)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


@pytest.fixture
def stream() -> Iterator[CountingStream]:
    """Log lines go to a counting stream for the test, to stderr again after it."""
    counting = CountingStream()
    configure_logging("info", counting)
    yield counting
    structlog.reset_defaults()
    configure_logging("info", sys.stderr)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


async def test_concurrent_calls_give_one_whole_line_each_in_fewer_writes(
    start_proxy: StartProxy, stream: CountingStream
) -> None:
    """100 concurrent calls give 100 access lines, each a whole JSON object, in the order
    the calls completed (recorded), written in fewer writes than lines, by the time every
    caller has its answer; no prompt text in them."""
    proxy = await start_proxy()
    client = proxy.openai()
    messages: Any = [{"role": "user", "content": SECRET_PROMPT}]
    await asyncio.gather(
        *(client.chat.completions.create(model="gpt-4o", messages=messages) for _ in range(100))
    )
    calls = [line for line in _lines(stream) if line["event"] == "call"]
    assert [line["request_id"] for line in calls] == [e.request_id for e in proxy.sink.events]
    assert len(calls) == 100
    assert all(text.endswith("\n") for text in stream.writes)  # no line split across writes
    assert len(stream.writes) < 100
    assert "4111 1111" not in stream.getvalue()  # (an id's hex digits may hold "4111")
    assert "contract" not in stream.getvalue()


async def test_held_lines_go_before_a_line_written_at_once(stream: CountingStream) -> None:
    """A warning logged after an access line in the same pass is written after it."""
    LineLogger("llm_proxy.access").info("call", request_id="first")
    structlog.get_logger("llm_proxy").warning("then_this")
    assert [line["event"] for line in _lines(stream)] == ["call", "then_this"]
    await asyncio.sleep(0)  # the pass ends: nothing is written twice
    assert [line["event"] for line in _lines(stream)] == ["call", "then_this"]


def test_without_a_running_loop_the_line_is_written_at_once(stream: CountingStream) -> None:
    """Outside an event loop (CLI commands, threads) an access line is written at once."""
    LineLogger("llm_proxy.access").info("call", request_id="now")
    assert [line["request_id"] for line in _lines(stream)] == ["now"]


def test_a_line_held_by_a_stopped_loop_goes_out_with_the_next_loops_pass(
    stream: CountingStream,
) -> None:
    """A line held in the last pass of a loop that stopped is written at the end of the
    next loop's first pass, before that pass's own line."""
    log = LineLogger("llm_proxy.access")
    loop = asyncio.new_event_loop()

    def last_pass() -> None:
        log.info("call", request_id="held-at-stop")
        loop.stop()

    loop.call_soon(last_pass)
    loop.run_forever()
    loop.close()
    assert stream.getvalue() == ""

    async def next_pass() -> None:
        log.info("call", request_id="next-loop")
        await asyncio.sleep(0)

    asyncio.run(next_pass())
    assert [line["request_id"] for line in _lines(stream)] == ["held-at-stop", "next-loop"]


def test_a_line_held_when_the_loop_stops_is_written_at_exit() -> None:
    """A line held in the loop's last pass is written when the process exits normally."""
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", _STOP_IN_THE_PASS], capture_output=True, text=True, check=True
    )
    assert "held-at-stop" in done.stderr


# SIGTERM to ``llm-proxy serve`` after a call, the call's line in its log: test_cli.py's
# test_zero_config_day_one_flow.
