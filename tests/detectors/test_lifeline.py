"""Worker processes and the parent-death signal: it follows the thread that forked a worker,
so workers are started from the launcher's own thread, never a shared executor's."""

from __future__ import annotations

import asyncio

from detector_fakes import scripted_factory

from detectors.service import ScanService
from detectors.settings import DetectorSettings, ServiceSettings


async def test_spawned_worker_outlives_the_default_executor_threads() -> None:
    """A spawned worker keeps serving after the event loop's default executor (the threads
    ``asyncio.to_thread`` uses) has shut down; its parent-death signal did not fire."""
    settings = DetectorSettings(
        enabled=("secrets",),
        service=ServiceSettings(workers=1, spare_workers=0, start_method="spawn"),
    )
    async with ScanService(settings, detector_factory=scripted_factory) as service:
        await asyncio.get_running_loop().shutdown_default_executor()
        await asyncio.sleep(0.2)  # a SIGKILL from the kernel would have landed by now
        findings = await service.scan(["hello"])
        assert [[f.entity_type for f in texts] for texts in findings] == [["CALL_1"]]
        assert service.restarts == 0
