"""Run the tests on uvloop: ``PYTHONPATH=. pytest -p tests.uvloop_plugin tests/proxy/...``
(needs the ``fast`` extra). The proxy serves on uvloop when it is installed; this checks
that it behaves the same there. Not loaded by default."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping

import pytest
import uvloop


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> Mapping[str, object]:
    """Every async test (and async fixture) runs on a uvloop loop."""
    return {"uvloop": uvloop.new_event_loop}


@pytest.fixture(autouse=True)
async def on_uvloop(request: pytest.FixtureRequest) -> None:
    """Each async test really runs on uvloop (fails if the factory was not taken)."""
    if inspect.iscoroutinefunction(getattr(request.node, "function", None)):
        loop = asyncio.get_running_loop()
        assert type(loop).__module__.startswith("uvloop"), type(loop)
