"""PERSON and LOCATION on scientific prose, codenames and game titles (issue 14, hard negatives
of ``negatives5``): eponyms of mathematics, a technology term opened by a city, a sprint or
project named after a place, a group in the plural are no one; people and places in the
same shapes keep their findings, with exact spans."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        # an eponym adjective (listed), an eponym's possessive before a noun of mathematics, an
        # eponym of two words before one
        "The process noise is Gaussian, the measurement noise is Poisson-like.",
        "The residuals look Gaussian to me.",
        "Prove the triangle inequality, then show how Hölder's inequality generalises it.",
        "Is a Markov chain Monte Carlo sampler overkill here?",
        # two surnames joined by a hyphen, alone; an eponym's possessive before a principle
        "Rank these by CPU cost: Dijkstra, Bellman-Ford, Floyd-Warshall and A* search.",
        "Explain Occam's razor and Murphy's law with examples from software estimation.",
        # genera of biology (listed) and Latin names of microbes; a medium named after people
        "Describe the habitat of Quercus robur and how Armillaria root rot spreads.",
        "Compare Drosophila and Caenorhabditis as model organisms.",
        "Lactobacillus and Bifidobacterium strains were added to the yoghurt.",
        "Mycobacterium tuberculosis grows slowly on Löwenstein-Jensen medium.",
        # a technology term opened by a city's name
        "Projects on Jakarta EE 8 must move to Jakarta EE 10 before installing Helidon 4.",
        # a sprint named after a place
        "Sprint Lisbon closed with 31 points, Sprint Nairobi starts Monday.",
        # a group or a product in the plural, a product's possessive
        "Write store copy for our mobile game Shadowfall: Ember Knights.",
        "Moonblade Assassin's ultimate one-shots Arcane Sages on the Verdant Grove map.",
    ],
)
def test_eponyms_codenames_and_groups_are_no_names(pii: PresidioDetector, text: str) -> None:
    """Eponyms of mathematics, a term opened by a city, a codename and a plural group are no
    PERSON or LOCATION."""
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a person whose surname an eponym comes from, a possessive before a plain noun
        (
            "Ask Maria Gauss about the Gaussian process results.",
            [("PERSON", "Maria Gauss")],
        ),
        ("Maria's test results came back on Monday.", [("PERSON", "Maria")]),
        # double-barrelled names with a first name or a title, hyphenated first names,
        # a hyphenated place, a first name's possessive before "law"
        (
            "Please ask Anna Smith-Jones about the invoice.",
            [("PERSON", "Anna Smith-Jones")],
        ),
        ("Ms. Smith-Jones will attend the review.", [("PERSON", "Smith-Jones")]),
        ("Jean-Luc approved the budget.", [("PERSON", "Jean-Luc")]),
        (
            "We moved the office to Baden-Württemberg last year.",
            [("LOCATION", "Baden-Württemberg")],
        ),
        ("Anna's law firm called back.", [("PERSON", "Anna")]),
        # people beside genera, a first name that is also a genus
        (
            "Maria Koch reviewed the Drosophila results with Candida Smith.",
            [("PERSON", "Maria Koch"), ("PERSON", "Candida Smith")],
        ),
        # the city without the term
        (
            "The flight to Jakarta lands at noon; Jakarta is hot in July.",
            [("LOCATION", "Jakarta"), ("LOCATION", "Jakarta")],
        ),
        # a place's name as a first name, a word of a sprint as a surname
        ("Our team met Lisbon Smith at the sprint review.", [("PERSON", "Lisbon Smith")]),
        ("Sarah Sprint wrote the report.", [("PERSON", "Sarah Sprint")]),
        # a surname in the singular, and surnames in the plural that are on the lists
        ("Please ask Ember Knight about the invoice.", [("PERSON", "Ember Knight")]),
        (
            "Tom Banks approved the budget, and Ember Hills signed it.",
            [("PERSON", "Tom Banks"), ("PERSON", "Ember Hills")],
        ),
        # a street type in the plural is an address
        (
            "How do I change my address to 482 Matthew Shores, Angelahaven, MH 55852?",
            [("LOCATION", "Matthew Shores")],
        ),
    ],
)
def test_people_and_places_of_the_same_shape_are_kept(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """People and places shaped like eponyms, codenames or groups are reported, exact spans."""
    assert named(pii, text) == names
