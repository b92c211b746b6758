"""Wiring of the acceptable-use policy into the proxy: policy holder, detection service,
inspector, and their lifecycle (start the detector pool, swap it when a reloaded policy
needs other recognizers).

When a reloaded policy declares different custom recognizers, a new detection service is
started with them and swapped in; calls in flight finish on the old one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from aiohttp import web

from core.scanning import Finding
from detectors.service import ScanService
from detectors.settings import DetectorSettings
from policies.inspector import PolicyInspector
from policies.line_context import default_shapes_loaded
from policies.loader import PolicyError, PolicyHolder
from policies.model import Policy
from policies.scanning import with_policy_recognizers
from proxy.config.history import ConfigVersion, policy_content, rejected
from proxy.config.settings import Settings
from proxy.errors import StartupError
from proxy.fingerprint import Fingerprints
from proxy.metrics import Metrics
from proxy.services import SERVICES
from proxy.store.config_history import Trigger
from wire.apis.registry import WIRE_APIS, WireRegistry

log = structlog.get_logger("llm_proxy")


class ScannerSlot:
    """The detection service in use, replaceable while calls run."""

    def __init__(self, service: ScanService) -> None:
        self.current = service

    @property
    def settings(self) -> DetectorSettings:
        """The detector settings in use (cross-message scanning builds its detectors from them)."""
        return self.current.settings

    def scan(
        self,
        texts: Sequence[str],
        *,
        budget: float | None,
        caller: str | None = None,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> Coroutine[Any, Any, list[list[Finding]]]:
        """The scan of the service in use now (a plain call handing over its coroutine: no
        coroutine of its own to create and await on every call)."""
        return self.current.scan(
            texts, budget=budget, caller=caller, ner_chars=ner_chars, entities=entities
        )

    def cached(
        self,
        texts: Sequence[str],
        *,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> list[list[Finding]] | None:
        """The findings of ``texts`` when the service in use has every one cached, else None
        (:meth:`ScanService.cached <detectors.service.ScanService.cached>`)."""
        return self.current.cached(texts, ner_chars=ner_chars, entities=entities)


@dataclass(slots=True)
class Enforcement:
    """The policy file, the detection service and the inspector they make."""

    holder: PolicyHolder
    slot: ScannerSlot
    #: The inspector of the policy at start; :meth:`inspector_in_force` makes one for each
    #: later version from it (same scanner, metrics and fingerprint key).
    inspector: PolicyInspector
    settings: Settings
    metrics: Metrics

    def inspector_in_force(self) -> PolicyInspector:
        """The inspector of the active policy: the configuration snapshot holds it, so a
        call is inspected under the policy in force when it arrived."""
        return self.inspector.with_engine(self.holder.engine)

    async def reload(self) -> bool:
        """Reload the policy file now (SIGHUP); a bad file is rejected and logged."""
        return await self.holder.reload_off_loop()


def load_policy_holder(settings: Settings, metrics: Metrics | None = None) -> PolicyHolder:
    """The configured policy (or the shipped default); a bad file is a start-up error."""
    try:
        return PolicyHolder(settings.policy.file, metrics=metrics)
    except PolicyError as exc:
        raise StartupError(f"policy {exc.source}: {'; '.join(exc.problems)}") from None


def build_enforcement(
    settings: Settings, metrics: Metrics, wire: WireRegistry = WIRE_APIS
) -> Enforcement:
    holder = load_policy_holder(settings, metrics)
    service = _scan_service(with_policy_recognizers(settings.detectors, holder.policy), metrics)
    slot = ScannerSlot(service)
    # The data directory's key: what the event log stores and ``logs find-secret`` agree.
    fingerprints = Fingerprints.load(settings.data_dir)
    inspector = PolicyInspector(
        holder.engine, slot, metrics=metrics, fingerprints=fingerprints, wire=wire
    )
    return Enforcement(holder, slot, inspector, settings, metrics)


def _scan_service(settings: DetectorSettings, metrics: Metrics) -> ScanService:
    """A detection service whose every load of detectors is counted in ``metrics``."""
    return ScanService(settings, on_load=metrics.detector_loads_total.inc)


ENFORCEMENT = web.AppKey("enforcement", Enforcement)


async def enforcement_context(app: web.Application) -> AsyncIterator[None]:
    """Start the detector pool before serving, watch the policy file, stop at exit."""
    enforcement = app[ENFORCEMENT]
    services = app[SERVICES]
    # Read at scrape: 0 until the workers have loaded and warmed up (the listener is bound
    # only then), and again while a lost worker's replacement loads.
    enforcement.metrics.detector_pool_ready_workers.set_function(
        lambda: enforcement.slot.current.ready_workers
    )
    await enforcement.slot.current.start()
    # The streamed hold-back's shapes come from the secrets detector's rules (0.1-0.3 s to
    # build, in a thread): built now, so that the first streamed answer does not wait.
    await default_shapes_loaded()
    log.info(
        "policy_active",
        policy=enforcement.holder.policy.name,
        source=str(enforcement.holder.path or "shipped default pack"),
        detector_workers=enforcement.slot.current.settings.service.workers,
    )

    def on_reload(policy: Policy) -> None:
        wanted = with_policy_recognizers(enforcement.settings.detectors, policy)
        if wanted.fingerprint() != enforcement.slot.current.settings.fingerprint():
            services.tasks.spawn(_swap_service(enforcement, wanted), name="swap_detectors")

    enforcement.holder.add_reload_callback(on_reload)

    def on_outcome(trigger: str, policy: Policy | None, problems: list[str]) -> None:
        history = services.config_history
        if history is None:
            return
        source = str(enforcement.holder.path)
        when: Trigger = "file_change" if trigger == "file_change" else "sighup"
        if policy is None:
            history.record(rejected("policy", when, source, "; ".join(problems)))
        else:
            history.record(ConfigVersion("policy", when, source, True, policy_content(policy)))

    enforcement.holder.add_outcome_callback(on_outcome)
    # The policy file is polled by the proxy's one file watcher (``proxy.app``).
    services.tasks.spawn(_sample_detector_metrics(enforcement), name="detector_metrics")
    yield
    await enforcement.slot.current.close()


async def _sample_detector_metrics(enforcement: Enforcement, interval: float = 1.0) -> None:
    """Copy the detection service's cache counters and pool load into the metrics."""
    metrics = enforcement.metrics
    seen: dict[str, int] = {"hit": 0, "miss": 0}
    service = enforcement.slot.current
    while True:
        if enforcement.slot.current is not service:  # swapped: its counters start at zero
            service, seen = enforcement.slot.current, {"hit": 0, "miss": 0}
        stats = service.cache_stats
        for result, total in (("hit", stats.hits), ("miss", stats.misses)):
            if total > seen[result]:
                metrics.detector_cache_lookups_total.labels(result).inc(total - seen[result])
                seen[result] = total
        metrics.detector_pool_busy_workers.set(service.busy_workers)
        await asyncio.sleep(interval)


async def _swap_service(enforcement: Enforcement, settings: DetectorSettings) -> None:
    fresh = _scan_service(settings, enforcement.metrics)
    await fresh.start()
    old, enforcement.slot.current = enforcement.slot.current, fresh
    log.info("detectors_reloaded")
    try:
        await asyncio.sleep(enforcement.settings.detectors.service.budget_seconds or 5.0)
    finally:  # also when shutdown cancels this task: the old workers must not outlive it
        await old.close()  # after in-flight scans had their budget to finish
