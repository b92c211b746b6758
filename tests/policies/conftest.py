"""Fixtures for policy tests: the proxy fixtures, and a real detection service."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from detectors.service import ScanService
from detectors.settings import DetectorSettings
from tests.policies.factories import STAND_INS
from tests.proxy.conftest import fake, start_proxy

__all__ = ["fake", "scan_service", "start_proxy"]


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
