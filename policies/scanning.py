"""The one thing the policy needs from detection: findings for a batch of texts, in time.

The proxy's detection service (process pool, scan cache, time budget) satisfies
:class:`~core.scanning.Scanner`. :class:`DetectorScanner` runs plain
:class:`~core.scanning.Detector` objects in a worker thread, for the command line and tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from time import perf_counter
from typing import Protocol

from core.scanning import Detector, Finding, Scanner
from core.telemetry import PolicyMetrics
from detectors.custom import CustomDetector
from detectors.errors import DetectionError, DetectionTimeout, DetectionUnavailable
from detectors.registry import scan_all
from detectors.secrets import shared_secrets_detector
from detectors.settings import CustomSettings, DetectorSettings
from policies.model import Policy


class DetectorScanner:
    """Runs synchronous detectors off the event loop, in a thread, over whole texts.

    Meant for the model-free detectors (:func:`policy_detectors`): ``caller``,
    ``ner_chars`` and ``entities`` are accepted and ignored.
    """

    def __init__(
        self, detectors: Sequence[Detector], *, default_budget: float | None = None
    ) -> None:
        self._detectors = tuple(detectors)
        self._default_budget = default_budget

    def _scan(self, texts: Sequence[str]) -> list[list[Finding]]:
        return scan_all(self._detectors, texts)

    async def scan(
        self,
        texts: Sequence[str],
        *,
        budget: float | None,
        caller: str | None = None,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> list[list[Finding]]:
        """Findings per text; see :class:`~core.scanning.Scanner`."""
        limit = budget if budget is not None else self._default_budget
        try:
            async with asyncio.timeout(limit):
                return await asyncio.to_thread(self._scan, list(texts))
        except TimeoutError:
            raise DetectionTimeout(f"detection took longer than {limit} s") from None
        except DetectionError:
            raise
        except Exception as exc:
            # A detector bug must reach the policy as "could not decide", not as a 500.
            raise DetectionUnavailable(f"{type(exc).__name__} in a detector") from exc


def with_policy_recognizers(settings: DetectorSettings, policy: Policy) -> DetectorSettings:
    """``settings`` with the policy's custom recognizers and allow-list added to its own.

    The detection service must be built (and rebuilt on a policy reload) from these, so
    the entity types the policy declares are actually detected.
    """
    custom = CustomSettings(
        regexes=(*settings.custom.regexes, *policy.recognizers.regexes),
        keywords=(*settings.custom.keywords, *policy.recognizers.keywords),
    )
    allow_list = (*settings.pii.allow_list, *policy.detection.allow_list)
    pii = settings.pii.model_copy(update={"allow_list": allow_list})
    return settings.model_copy(update={"custom": custom, "pii": pii})


def policy_detectors(policy: Policy) -> list[Detector]:
    """The cheap, model-free detectors for ``policy``: secrets and its custom recognizers."""
    detectors: list[Detector] = [shared_secrets_detector()]
    custom = CustomDetector(policy.recognizers)
    if not custom.empty:
        detectors.append(custom)
    return detectors


class CacheRead(Protocol):
    """A scanner's ``cached`` method (the proxy's detection service has one): what its
    ``scan`` would return when every text is cached (counted as cache hits), else None
    with nothing counted."""

    def __call__(
        self,
        texts: Sequence[str],
        *,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> list[list[Finding]] | None: ...


def read_cached(
    scanner: Scanner,
    texts: Sequence[str],
    *,
    direction: str,
    metrics: PolicyMetrics | None,
    ner_chars: int | None = None,
    entities: Collection[str] | None = None,
    started: float | None = None,
) -> list[list[Finding]] | None:
    """The findings of ``texts`` when a scanner with a ``cached`` method (:class:`CacheRead`)
    holds them all, observed in ``metrics`` as a scan begun at ``started``; else None, and
    its ``scan`` then reuses this read's keys. A plain function: a cache hit (most prompts
    and their model names) awaits nothing, so it needs no coroutine (issue 11)."""
    if started is None:
        started = perf_counter()
    # Not an isinstance() of a runtime Protocol: that costs more than the shortcut saves.
    cached: CacheRead | None = getattr(scanner, "cached", None)
    found = None if cached is None else cached(texts, ner_chars=ner_chars, entities=entities)
    if found is None or len(found) != len(texts):
        return None
    if metrics is not None:
        metrics.detector_duration_seconds.labels(direction).observe(perf_counter() - started)
    return found


async def timed_scan(
    scanner: Scanner,
    texts: Sequence[str],
    *,
    budget: float | None,
    direction: str,
    metrics: PolicyMetrics | None,
    caller: str | None = None,
    ner_chars: int | None = None,
    entities: Collection[str] | None = None,
    cached_first: bool = False,
) -> list[list[Finding]]:
    """``scanner.scan`` with its duration observed in ``metrics``.

    ``cached_first``: texts that may well be cached (a prompt and its model name, an
    answer) are read from the cache of a scanner that has a ``cached`` method
    (:class:`CacheRead`, the proxy's detection service) first, without its scan's
    coroutines; on a miss its ``scan`` reuses the keys of that read. Not for texts that
    are mostly new (stream windows)."""
    started = perf_counter()
    if cached_first:
        found = read_cached(
            scanner,
            texts,
            direction=direction,
            metrics=metrics,
            ner_chars=ner_chars,
            entities=entities,
            started=started,
        )
        if found is not None:
            return found
    try:
        results = await scanner.scan(
            texts, budget=budget, caller=caller, ner_chars=ner_chars, entities=entities
        )
    finally:
        if metrics is not None:
            metrics.detector_duration_seconds.labels(direction).observe(perf_counter() - started)
    if len(results) != len(texts):
        raise DetectionUnavailable(
            f"the scanner returned {len(results)} results for {len(texts)} texts"
        )
    return results
