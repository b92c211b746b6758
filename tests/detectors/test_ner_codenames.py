"""Names given to things by a naming convention ("clusters named after rivers, Danube and
Rhine") are no PERSON or LOCATION wherever the text uses them; people named after people,
and people beside such a list, keep their findings (issue 14, negatives5)."""

from __future__ import annotations

import pytest

from detectors.ner_codenames import convention_names
from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        "We run two Kubernetes clusters named after rivers, Danube and Rhine. Danube hosts "
        "the batch jobs, Rhine the public API.",
        "Our build agents are named after planets: Jupiter, Saturn and Neptune. Saturn needs "
        "a reboot.",
        "The test environments are named after composers, Mozart and Vivaldi; Vivaldi has the "
        "new schema.",
    ],
)
def test_conventional_names_are_no_one(pii: PresidioDetector, text: str) -> None:
    """The words a naming convention lists are no PERSON or LOCATION, later mentions too."""
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "We hired a colleague named Tom Baker, and Tom set up the servers named after "
            "planets: Mars and Venus.",
            [("PERSON", "Tom Baker"), ("PERSON", "Tom")],
        ),
        (
            "The twins were named after their grandparents, Anna and Tom. Anna called today.",
            [("PERSON", "Anna"), ("PERSON", "Tom"), ("PERSON", "Anna")],
        ),
    ],
)
def test_people_are_kept(pii: PresidioDetector, text: str, names: list[tuple[str, str]]) -> None:
    """A person beside a convention, and people something is named after, are reported."""
    assert named(pii, text) == names


def test_convention_names() -> None:
    """The capitalised words after 'named after <kind>,' up to the end of the sentence."""
    assert convention_names("Hosts are named after planets: Mars and Venus. Ask Tom.") == {
        "mars",
        "venus",
    }
    assert convention_names("a colleague named Tom") == frozenset()
