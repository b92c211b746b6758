"""Codes and keys told after their label (:mod:`detectors.office_codes`) never reach a
streaming caller: cut anywhere, the chunks join to the non-streamed redaction and none
carries the value (the rules read nothing after the value, so holding the unfinished value
is enough)."""

from __future__ import annotations

import asyncio

import pytest

from detectors.secrets import SecretsDetector
from policies.inspector import PolicyInspector
from policies.loader import shipped_pack
from policies.scanning import DetectorScanner
from tests.policies.test_stream_value_first import assert_never_streamed

ANSWERS = [
    ("Sure. The door code changed, its 5100 now, so tell the team.", "5100"),
    ("Noted: the code for the board-room AV panel is 774806. Anything else?", "774806"),
    ("Your backup codes are f0fd1-061a2 and 4107 8968, keep them safe.", "f0fd1-061a2"),
    (
        "Here's the licence key: KFD3-ZP7G-XYYO-513Z, tied to the design pool.",
        "KFD3-ZP7G-XYYO-513Z",
    ),
    (
        "The API key the agency uses for the form is fe0e7b6ebb6cf8a1fa04 today.",
        "fe0e7b6ebb6cf8a1fa04",
    ),
]


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector."""
    return PolicyInspector(shipped_pack("default"), DetectorScanner([SecretsDetector()]))


@pytest.mark.parametrize(("answer", "value"), ANSWERS)
def test_an_office_code_split_anywhere_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position, the chunks join to the redaction, which masks the code, and
    no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)
