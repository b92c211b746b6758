"""Fixtures for policy tests: the proxy fixtures, a real detection service, and one event
loop per module for the tests that drive inspectors from synchronous (hypothesis) code."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from detectors.service import ScanService
from detectors.settings import DetectorSettings
from tests.policies.factories import STAND_INS
from tests.proxy.conftest import Proxy, StartProxy, fake, start_proxy
from tests.proxy.test_secrets_at_rest import default_inspector

__all__ = ["fake", "loop", "recording_proxy", "scan_service", "start_proxy"]


@pytest.fixture
async def recording_proxy(
    start_proxy: StartProxy, clickhouse_url: str, store_database: str, tmp_path: Path
) -> Proxy:
    """An open register, the default policy with the real secrets detector, recording to
    the embedded engine (rows flushed every 50 ms)."""
    return await start_proxy(
        {"store": {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05}},
        event_log=True,
        inspector=default_inspector(tmp_path / "data"),
    )


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.Runner]:
    """One event loop for every test and example of a module (``loop.run(coroutine)``), for
    tests that drive inspectors from synchronous code such as hypothesis examples."""
    with asyncio.Runner() as runner:
        yield runner


@pytest.fixture
async def scan_service() -> AsyncIterator[ScanService]:
    """The detectors' scan service, in-process, with the secrets detector and PII stand-ins."""
    settings = DetectorSettings.model_validate(
        {
            "enabled": ["secrets", "custom"],
            "custom": STAND_INS.model_dump(),
            "service": {"workers": 0, "budget_seconds": 5},
        }
    )
    async with ScanService(settings) as service:
        yield service
