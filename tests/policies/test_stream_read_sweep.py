"""Streamed through the detection service (which scans each window only for the types it
is asked for), an answer read in pieces of any size from 1 to 4096 characters joins to
exactly the non-streamed redaction, and no masked value reaches the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from detectors.service import ScanService
from detectors.settings import DetectorSettings
from policies.inspector import PolicyInspector
from tests.policies.pattern_detection import PATTERN_ENTITIES, cached_pack
from tests.policies.test_holdback_properties import ASSIGNMENTS, SECRETS, redacted, streamed

#: Prose without a digit around each value: windows before and after it are digit-free.
PROSE = "Sure, here it is. Keep it safe and tell nobody"
ANSWERS = [
    *(f"{PROSE}: {secret} and that is all.\n{PROSE}." for secret in SECRETS),
    *(f"{PROSE}.\n{text}\n{PROSE}." for text, _ in ASSIGNMENTS),
    f"{PROSE}. Card {SECRETS[5]}, IBAN {SECRETS[8]}, SSN {SECRETS[9]}; {PROSE}.",
]
READ_SIZES = (1, 2, 5, 13, 64, 257, 4096)


@pytest.fixture
async def inspector() -> AsyncIterator[PolicyInspector]:
    """The default pack over the real service: secrets and Presidio's pattern recognizers."""
    settings = DetectorSettings.model_validate(
        {
            "enabled": ["secrets", "presidio"],
            "pii": {"entities": list(PATTERN_ENTITIES)},
            "service": {"workers": 0, "budget_seconds": 30},
        }
    )
    async with ScanService(settings) as service:
        yield PolicyInspector(cached_pack(), service)


async def test_every_read_size_gives_the_whole_answers_redaction(
    inspector: PolicyInspector,
) -> None:
    """For each answer cut into pieces of each size, the pieces sent join to the
    non-streamed redaction, which masks the values."""
    for answer in ANSWERS:
        whole = await redacted(inspector, answer)
        for size in READ_SIZES:
            pieces = [answer[i : i + size] for i in range(0, len(answer), size)]
            assert "".join(await streamed(inspector, pieces)) == whole, (size, answer)
    masked = await redacted(inspector, ANSWERS[-1])
    for value in (SECRETS[5], SECRETS[8], SECRETS[9]):  # card, IBAN, SSN
        assert value not in masked
