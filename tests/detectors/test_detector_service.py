"""ScanService: worker pool, cache, crash recovery, time budget, fairness, NER size budget."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from detector_fakes import SLOW_SECONDS, ScriptedDetector, failing_factory, scripted_factory
from pool_fakes import HANG_SECONDS, FakeModel, hanging_factory, model_factory
from prometheus_client import CollectorRegistry, Histogram
from spacy.language import Language

from core.scanning import Finding
from detectors.errors import DetectionTimeout, DetectionUnavailable, DetectorConfigError
from detectors.scan_duration import histogram_observer
from detectors.service import ScanService
from detectors.settings import DetectorSettings, PiiSettings, ServiceSettings


def _settings(workers: int, **service: object) -> DetectorSettings:
    return DetectorSettings(
        enabled=("secrets",),  # the scripted factory ignores it; keeps preflight cheap
        service=ServiceSettings.model_validate({"workers": workers, **service}),
    )


def _types(results: list[list[Finding]]) -> list[list[str]]:
    return [[f.entity_type for f in r] for r in results]


async def test_in_process_scan_only_detects_new_texts() -> None:
    """Texts already scanned come from the cache; only new ones reach the detector."""
    service = ScanService(_settings(0), detector_factory=scripted_factory)
    async with service:
        assert _types(await service.scan(["a", "b", "a"])) == [["CALL_1"], ["CALL_1"], ["CALL_1"]]
        assert _types(await service.scan(["a", "b", "c"])) == [
            ["CALL_1"],
            ["CALL_1"],
            ["CALL_2"],
        ]
        assert service._detectors is not None
        detector = service._detectors[0]
        assert isinstance(detector, ScriptedDetector)
        assert detector.texts == ["a", "b", "c"]
        assert service.cache_stats.hits == 2


async def test_second_scan_of_same_text_does_not_reach_the_pool() -> None:
    """A repeated text is answered from the cache; the worker's call count proves it."""
    async with ScanService(_settings(1), detector_factory=scripted_factory) as service:
        assert _types(await service.scan(["hello"])) == [["CALL_1"]]
        assert _types(await service.scan(["hello"])) == [["CALL_1"]]
        assert _types(await service.scan(["other"])) == [["CALL_2"]]
        assert service.cache_stats.hits == 1


async def test_worker_crash_raises_unavailable_and_pool_recovers() -> None:
    """A dying worker fails its request with DetectionUnavailable; the next one works."""
    async with ScanService(_settings(1), detector_factory=scripted_factory) as service:
        with pytest.raises(DetectionUnavailable, match="crashed"):
            await service.scan(["before CRASH after"], budget=30)
        assert service.restarts == 1
        assert _types(await service.scan(["fine"], budget=30)) == [["CALL_1"]]


async def test_budget_exceeded_raises_timeout_and_nothing_is_cached() -> None:
    """Past its budget a request fails with DetectionTimeout; its stopped work is not cached."""
    async with ScanService(_settings(1), detector_factory=scripted_factory) as service:
        # That the timeout comes at the budget, not when the scan ends, is the hung scan's
        # test below (a 60 s scan under a budget): no wall-clock bound here.
        with pytest.raises(DetectionTimeout, match="budget"):
            await service.scan(["SLOW text"], budget=0.2)
        await asyncio.sleep(SLOW_SECONDS)
        assert service.cache_stats.size == 0


async def test_scan_past_its_budget_is_stopped_and_frees_the_worker() -> None:
    """A scan still running at its budget is killed; the next scan is answered at once."""
    async with ScanService(_settings(1), detector_factory=hanging_factory) as service:
        [[before]] = await service.scan(["warm up"], budget=30)
        with pytest.raises(DetectionTimeout):
            await service.scan(["HANG"], budget=0.5)
        # Answered within half the time the hung text holds its worker (no tighter bound:
        # a loaded machine starts the spare slowly); waiting for that worker times out.
        [[after]] = await service.scan(["next caller"], budget=HANG_SECONDS / 2)
        assert service.restarts == 1
        assert after.entity_type != before.entity_type  # a new process (the spare) answered


async def test_cancelled_scan_is_stopped_and_frees_the_worker() -> None:
    """A scan whose caller went away is stopped too; the worker serves the next scan."""
    async with ScanService(_settings(1), detector_factory=hanging_factory) as service:
        hung = asyncio.create_task(service.scan(["HANG"], budget=None))
        while service.busy_workers == 0:
            await asyncio.sleep(0.01)
        hung.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await hung
        [[after]] = await service.scan(["next caller"], budget=HANG_SECONDS / 2)
        assert after.entity_type.startswith("PID_")
        assert service.restarts == 1


async def test_default_budget_comes_from_settings() -> None:
    """Without an explicit budget the configured one applies."""
    settings = _settings(1, budget_seconds=0.2)
    async with ScanService(settings, detector_factory=scripted_factory) as service:
        with pytest.raises(DetectionTimeout):
            await service.scan(["SLOW"])


async def test_detector_exception_raises_unavailable_without_restart() -> None:
    """A detector that raises fails the request; the pool keeps running."""
    async with ScanService(_settings(1), detector_factory=scripted_factory) as service:
        with pytest.raises(DetectionUnavailable, match="RuntimeError"):
            await service.scan(["FAIL"])
        assert service.restarts == 0
        assert _types(await service.scan(["ok"])) == [["CALL_2"]]


async def test_workers_that_cannot_start_fail_start() -> None:
    """If the worker initializer fails, start() raises DetectionUnavailable."""
    service = ScanService(_settings(1), detector_factory=failing_factory)
    with pytest.raises(DetectionUnavailable, match="failed to start"):
        await service.start()
    await service.close()


async def test_missing_model_fails_start_with_config_error() -> None:
    """A spaCy model that is not installed is reported before any worker starts."""
    settings = DetectorSettings(
        pii=PiiSettings(spacy_model="xx_no_such_model_sm"),
        service=ServiceSettings(workers=1),
    )
    service = ScanService(settings)
    with pytest.raises(DetectorConfigError, match="xx_no_such_model_sm"):
        await service.start()
    await service.close()


async def test_scan_before_start_is_an_error() -> None:
    """Scanning a service that was not started is a programming error."""
    service = ScanService(_settings(0), detector_factory=scripted_factory)
    with pytest.raises(RuntimeError, match="not started"):
        await service.scan(["x"])


async def test_duration_is_reported_with_direction() -> None:
    """Each scan reports its wall time and direction to the observer, cache hits too."""
    seen: list[tuple[float, str]] = []
    service = ScanService(
        _settings(0),
        detector_factory=scripted_factory,
        on_duration=lambda seconds, direction: seen.append((seconds, direction)),
    )
    async with service:
        await service.scan(["x"])
        await service.scan(["x"], direction="output")
    assert [d for _, d in seen] == ["input", "output"]
    assert all(s >= 0 for s, _ in seen)


async def test_histogram_observer_feeds_a_prometheus_histogram() -> None:
    """The histogram adapter observes into the direction-labelled series."""
    registry = CollectorRegistry()
    histogram = Histogram("detector_duration_seconds", "test", ["direction"], registry=registry)
    service = ScanService(
        _settings(0),
        detector_factory=scripted_factory,
        on_duration=histogram_observer(histogram),
    )
    async with service:
        await service.scan(["x"], direction="output")
    count = registry.get_sample_value("detector_duration_seconds_count", {"direction": "output"})
    assert count == 1


async def test_histogram_can_be_passed_directly() -> None:
    """A labelled histogram given as ``on_duration`` is adapted automatically."""
    registry = CollectorRegistry()
    histogram = Histogram("detector_duration_seconds", "test", ["direction"], registry=registry)
    service = ScanService(_settings(0), detector_factory=scripted_factory, on_duration=histogram)
    async with service:
        await service.scan(["x"])
    count = registry.get_sample_value("detector_duration_seconds_count", {"direction": "input"})
    assert count == 1


def test_scan_sync_uses_the_cache() -> None:
    """The synchronous path (CLI) detects new texts only."""
    service = ScanService(_settings(0), detector_factory=scripted_factory)
    assert _types(service.scan_sync(["a"])) == [["CALL_1"]]
    assert _types(service.scan_sync(["a", "b"])) == [["CALL_1"], ["CALL_2"]]


def test_scan_sync_needs_in_process_mode() -> None:
    """``scan_sync`` refuses to run when a pool is configured."""
    service = ScanService(_settings(1), detector_factory=scripted_factory)
    with pytest.raises(RuntimeError, match="in-process"):
        service.scan_sync(["a"])


@pytest.mark.slow
async def test_default_detectors_run_in_a_worker_process() -> None:
    """The real detectors load in a pool worker and find PII and secrets."""
    # No spare: it would load a second spaCy model that this scan never uses.
    settings = DetectorSettings(service=ServiceSettings(workers=1, spare_workers=0))
    async with ScanService(settings) as service:
        [findings] = await service.scan(
            ["Mail john.doe@example.com the key AKIAGYLW2FGSIORRGXT6"], budget=60
        )
    assert [f.entity_type for f in findings] == ["EMAIL_ADDRESS", "AWS_ACCESS_KEY_ID"]


def _model_settings(workers: int, **pii: object) -> DetectorSettings:
    return DetectorSettings(
        enabled=("presidio", "secrets"),  # the model factory's fake is named presidio
        pii=PiiSettings.model_validate({"chunk_chars": 1000, "chunk_overlap": 100, **pii}),
        service=ServiceSettings(workers=workers),
    )


async def test_small_scans_of_other_callers_are_not_queued_behind_a_large_one() -> None:
    """Units are served round-robin by caller: others' texts pass a 20-chunk text's chunks."""
    service = ScanService(_model_settings(0), detector_factory=model_factory)
    async with service:
        big = "Alice Smith wrote this line. " * 700  # ~20k chars: ~23 NER chunks
        small = [f"note {n} from Alice Smith" for n in range(3)]
        scans = [service.scan([big], caller="big", budget=30)]
        scans += [service.scan([t], caller=f"user-{n}", budget=30) for n, t in enumerate(small)]
        results = await asyncio.gather(*scans)
        assert service._detectors is not None
        model = service._detectors[0]
        assert isinstance(model, FakeModel)
    assert all(len(found) == 1 for [found] in results[1:])
    assert len(model.seen) > 20
    # At most one chunk of the big text ran before each small text was scanned.
    assert max(model.seen.index(text) for text in small) <= len(small)


async def test_ner_covers_only_ner_chars_and_patterns_cover_everything(nlp: Language) -> None:
    """With ner_chars, PII beyond it is not reported, a secret anywhere still is."""
    text = (
        "Please write to jane.roe@example.com about it. "
        + "The quarterly numbers are attached below. " * 500
        + "Deploy with AKIAGYLW2FGSIORRGXT6 and copy john.doe@example.com."
    )
    settings = DetectorSettings(
        pii=PiiSettings(chunk_chars=4000, chunk_overlap=400), service=ServiceSettings(workers=0)
    )
    async with ScanService(settings) as service:
        [limited] = await service.scan([text], ner_chars=5000)
        [full] = await service.scan([text])
    assert [f.entity_type for f in limited] == ["EMAIL_ADDRESS", "AWS_ACCESS_KEY_ID"]
    assert [f.entity_type for f in full] == ["EMAIL_ADDRESS", "AWS_ACCESS_KEY_ID", "EMAIL_ADDRESS"]
    assert full[-1].start == text.index("john.doe")
