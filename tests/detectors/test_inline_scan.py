"""Small scans that need no NER run inline, in the proxy's process, with the same findings
as in a worker process; NER scans, big texts and configured patterns stay in the pool."""

from __future__ import annotations

import asyncio

import pytest

from core.scanning import Finding
from detectors.inline_scan import INLINE_CHARS
from detectors.service import ScanService
from detectors.settings import CustomSettings, DetectorSettings, ServiceSettings

#: No NER type among them: scans for these run the pattern detectors only.
PATTERNS = ("CREDIT_CARD", "IBAN_CODE", "US_SSN", "EMAIL_ADDRESS", "PHONE_NUMBER", "OPENAI_API_KEY")
TEXTS = [
    "The migration plan moves the billing service first, then the reporting jobs.",
    "Charge 4111 1111 1111 1111 and wire to DE89 3704 0044 0532 0130 00 today.",
    "Write to alice.smith@example.com or call +44 20 7946 0958; SSN 078-05-1120.",
    "Use sk-proj-aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3aB5cD7eF9gH1jK3 and AKIAIOSFODNN7EXAMPLQ.",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq98e\n",
    "John Smith from Paris, 4111-1111-1111-1111, exp 12/27",
]


def _settings(**extra: object) -> DetectorSettings:
    service = ServiceSettings(workers=1, spare_workers=0)
    return DetectorSettings.model_validate({"service": service.model_dump(), **extra})


def _spans(found: list[list[Finding]]) -> list[list[tuple[str, int, int, float]]]:
    return [[(f.entity_type, f.start, f.end, f.score) for f in text] for text in found]


@pytest.mark.slow
async def test_inline_and_worker_scans_find_the_same() -> None:
    """The same small texts scanned inline and in a worker process give the same
    findings; only the inline service scanned any of them inline."""
    async with (
        ScanService(_settings(), inline_chars=0) as pooled,
        ScanService(_settings()) as inline,
    ):
        in_worker = await asyncio.gather(*(pooled.scan([t], entities=PATTERNS) for t in TEXTS))
        here = await asyncio.gather(*(inline.scan([t], entities=PATTERNS) for t in TEXTS))
        assert [_spans(f) for f in here] == [_spans(f) for f in in_worker]
        assert any(f for [f] in here)
        assert (pooled.inline_scans, inline.inline_scans) == (0, len(TEXTS))

        # NER wanted, or more than INLINE_CHARS new characters: the worker pool.
        await inline.scan(["Alice Smith met Bob in Paris."])
        await inline.scan([TEXTS[0] * (INLINE_CHARS // len(TEXTS[0]) + 1)], entities=PATTERNS)
        assert inline.inline_scans == len(TEXTS)


@pytest.mark.slow
async def test_configured_patterns_never_run_inline() -> None:
    """With custom patterns configured (no time bound inline) every scan goes to the pool."""
    custom = CustomSettings.model_validate(
        {"regexes": [{"entity_type": "PROJECT_CODE", "pattern": r"PRJ-\d{4}"}]}
    )
    async with ScanService(_settings(custom=custom.model_dump())) as service:
        [found] = await service.scan(["see PRJ-1234"], entities=("PROJECT_CODE",))
        assert [f.entity_type for f in found] == ["PROJECT_CODE"]
        assert service.inline_scans == 0
