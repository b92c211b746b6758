"""The event loop the proxy serves on: uvloop when installed, unless the setting says not."""

from __future__ import annotations

import asyncio
import sys

import pytest

from proxy.config.settings import ConfigError, parse_settings
from proxy.errors import StartupError
from proxy.server import event_loop_factory, loop_kind


def test_the_setting_defaults_to_auto_and_names_only_known_loops() -> None:
    """``event_loop`` is ``auto`` unless configured; a loop it does not know is refused."""
    assert parse_settings({}, environ={}).event_loop == "auto"
    assert parse_settings({"event_loop": "asyncio"}, environ={}).event_loop == "asyncio"
    with pytest.raises(ConfigError, match="event_loop"):
        parse_settings({"event_loop": "trio"}, environ={})


def test_asyncio_turns_uvloop_off() -> None:
    """``asyncio`` gives no factory: asyncio's own loop, installed uvloop or not."""
    assert event_loop_factory("asyncio") is None


def test_without_uvloop_auto_falls_back_and_uvloop_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With uvloop not installed ``auto`` runs on asyncio, and ``uvloop`` stops the start
    with a reason that says how to install it."""
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop raises ImportError
    assert event_loop_factory("auto") is None
    with pytest.raises(StartupError, match=r"llm-proxy\[fast\]"):
        event_loop_factory("uvloop")


def test_with_uvloop_installed_auto_and_uvloop_run_on_it() -> None:
    """When the ``fast`` extra is installed, ``auto`` and ``uvloop`` make uvloop loops, and
    the start-up log names the loop (``make install`` installs the extra)."""
    for choice in ("auto", "uvloop"):
        factory = event_loop_factory(choice)
        assert factory is not None
        loop = factory()
        try:
            assert loop_kind(loop) == "uvloop"
        finally:
            loop.close()
    plain = asyncio.new_event_loop()
    try:
        assert loop_kind(plain) == "asyncio"
    finally:
        plain.close()
