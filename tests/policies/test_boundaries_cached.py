"""Boundary windows a chat resends are looked up, not rebuilt and scanned: the same findings
as a scan from scratch, and no thread for a call whose windows are all cached."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.scanning import Finding
from policies import boundaries
from policies.boundaries import SEPARATORS, WindowScanner, _window, _window_texts
from policies.scanning import DetectorScanner
from tests.fuzzing import examples
from tests.policies.factories import secrets_detector
from tests.policies.test_boundaries import GITHUB

TEXTS = st.lists(st.text(alphabet="ab\n-", max_size=40), min_size=1, max_size=8)


@settings(max_examples=examples(300), deadline=None)
@given(texts=TEXTS, size=st.integers(1, 60))
def test_window_texts_are_the_windows_texts(texts: list[str], size: int) -> None:
    """The windows' texts, made without their segments, are exactly the windows' own, for
    every boundary and separator, in that order."""
    expected = [
        _window(texts, boundary, size, separator).text
        for boundary in range(len(texts) - 1)
        for separator in SEPARATORS
    ]
    assert _window_texts(texts, size) == expected


def _counting_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the functions sent to a thread from now on."""
    sent: list[str] = []
    to_thread: Callable[..., Awaitable[Any]] = asyncio.to_thread

    async def counted(function: Callable[..., Any], *args: Any) -> Any:
        sent.append(function.__name__)
        return await to_thread(function, *args)

    monkeypatch.setattr(asyncio, "to_thread", counted)
    return sent


async def test_a_resent_chat_is_decided_without_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first call scans its windows in a thread; the same texts again (history resent)
    find every window cached and get the same findings without one."""
    sent = _counting_threads(monkeypatch)
    scanner = DetectorScanner([secrets_detector()])
    texts = [f"history {n}: my token is {GITHUB[:12]}" for n in range(3)] + [GITHUB[12:]]
    alone: list[list[Finding]] = [[] for _ in texts]
    first = await boundaries.with_boundary_findings(scanner, texts, [[] for _ in texts])
    assert sent
    assert first[-1]  # the token's second half, found across the join
    sent.clear()
    again = await boundaries.with_boundary_findings(scanner, texts, alone)
    assert sent == []
    assert again == first


def test_the_window_scanner_scans_only_windows_it_has_not_seen() -> None:
    """Cached windows are not scanned again; new ones are, and their findings cached."""
    scanner = WindowScanner([secrets_detector()])
    windows = [f"token {GITHUB}", "nothing here"]
    keys, cached = scanner.cached(windows)
    assert cached == [None, None]
    found = scanner.fill(windows, keys, cached)
    assert found[0]
    assert found[1] == []
    assert scanner.cached(windows)[1] == [tuple(found[0]), ()]
