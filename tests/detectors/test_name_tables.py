"""People in tables (issue 14, h71): every row of a column of people in a Markdown, TSV or
CSV table is a PERSON with its exact span; columns of tools, products and places stay
quiet."""

from __future__ import annotations

import pytest

from core.scanning import Finding
from detectors.ner_filter import NerFilter
from detectors.pii import PresidioDetector


@pytest.fixture(scope="module")
def ner_filter() -> NerFilter:
    """The NER filter with the shipped lists."""
    return NerFilter()


def _people(pii: PresidioDetector, text: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PERSON"]


PEOPLE = [
    # the lead's table: the last row ends in a technology name
    (
        "| Name | Role |\n|---|---|\n| Ann Lee | Owner |\n| Bob Stone | Admin |\n"
        "| Maria Kowalski | Terraform |\n",
        ["Ann Lee", "Bob Stone", "Maria Kowalski"],
    ),
    # no header: the model's "Ann Lee" makes the column one of people
    ("Owners:\n| Ann Lee | Owner |\n| Bob Stone | Admin |", ["Ann Lee", "Bob Stone"]),
    # alignment rows, a name column among others, a single first name
    (
        "| Ticket | Assignee | Status |\n|:---|:---:|---:|\n| OPS-12 | Priya Natarajan | open |\n"
        "| OPS-13 | Jonas Berger | done |\n| OPS-14 | Ann | open |",
        ["Priya Natarajan", "Jonas Berger", "Ann"],
    ),
    # an on-call rota: two columns of people beside technology names
    (
        "| Week | Service | On-call | Reviewer |\n|---|---|---|---|\n"
        "| 12 | Kafka | Ann Lee | Bob Stone |\n| 13 | Redis | Maria Kowalski | Ann Lee |",
        ["Ann Lee", "Bob Stone", "Maria Kowalski", "Ann Lee"],
    ),
    # a header of another language, no outer pipes
    (
        "Mitarbeiter | Abteilung\n--- | ---\nJana Berger | Vertrieb\nLukas Meier | Einkauf",
        ["Jana Berger", "Lukas Meier"],
    ),
    # TSV with a header line, an id column before the names
    (
        "id\temployee\tdepartment\n3\tAnn Lee\tFinance\n4\tBob Stone\tSales\n"
        "5\tMaria Kowalski\tLegal",
        ["Ann Lee", "Bob Stone", "Maria Kowalski"],
    ),
    # the model's spans across a tab ("Robert\tAdmin"), a first name that is a stop word,
    # particles of other languages
    (
        "id\temployee\tsystem\n0\tSaar van Gorp\tOwner\n1\tClémence Robert\tAdmin\n"
        "2\tElse Hande\tRedis\n3\tValentim das Neves\tViewer\n",
        ["Saar van Gorp", "Clémence Robert", "Else Hande", "Valentim das Neves"],
    ),
    # CSV with a header line, quoted cells
    (
        'id,full_name,start_date\n1,"Ann Lee",2024-01-02\n2,Bob Stone,2024-02-03\n'
        "3,Maria de la Cruz,2024-03-04",
        ["Ann Lee", "Bob Stone", "Maria de la Cruz"],
    ),
    # a header that names people is no person itself
    (
        "| Author | Title |\n|---|---|\n| Martin Fowler | Refactoring |\n| Kent Beck | TDD |",
        ["Martin Fowler", "Kent Beck"],
    ),
    # "Name" beside people's details; Windows line ends
    (
        "team,email,owner\r\nOps,ann@example.org,Ann Lee\r\nSRE,bob@example.org,Bob Stone\r\n",
        ["Ann Lee", "Bob Stone"],
    ),
    (
        "name,email,team\nAnn Lee,ann@example.org,Ops\nBob Stone,bob@example.org,SRE",
        ["Ann Lee", "Bob Stone"],
    ),
]


@pytest.mark.parametrize(("text", "names"), PEOPLE)
def test_every_row_of_a_column_of_people(
    pii: PresidioDetector, text: str, names: list[str]
) -> None:
    """Each row's name in a column of people is a PERSON, with its exact span."""
    assert _people(pii, text) == names


QUIET = [
    "| Tool |\n|---|\n| GCC |\n| Moxie |\n| Clang |",  # a column of tools
    "| GCC | Moxie |\n| Clang | Zig |",  # a grid of tools, no header
    "| Name | Version |\n|---|---|\n| Flask | 3.0 |\n| Moxie | 1.2 |",  # packages
    "| Product | Price | Stock |\n|---|---|---|\n| Aeron Chair | 1200 | 4 |\n"
    "| Pixel Buds | 99 | 12 |",
    "| City | Country |\n|---|---|\n| Lisbon | Portugal |\n| Paris | France |",
    "| Name | Role | Email |\n|---|---|---|",  # headers only
    "| Service | Owner |\n|---|---|\n| billing | Payments Team |\n| search | TBD |",
    "package,version,license\nrequests,2.31,Apache-2.0\nFlask,3.0,BSD",
    "region,city,population\nEurope,Berlin,3600000\nEurope,Paris,2100000\nAsia,Tokyo,14000000",
    "host\tport\tservice\ndb01\t5432\tPostgres\ncache01\t6379\tRedis",
]


@pytest.mark.parametrize("text", QUIET)
def test_tables_without_people_stay_quiet(pii: PresidioDetector, text: str) -> None:
    """Tables of tools, packages, products, places and teams, and a header alone, hold
    no PERSON."""
    assert _people(pii, text) == []


def test_a_person_does_not_make_tools_names(pii: PresidioDetector) -> None:
    """A column in which the model found a person names no technology in its other rows."""
    text = "Owners:\n| Ann Lee | Owner |\n| Terraform | Admin |\n| Kubernetes | Viewer |"
    assert _people(pii, text) == ["Ann Lee"]


@pytest.mark.parametrize(
    ("text", "seed", "names"),
    [
        # an ambiguous header alone: a column of people once a PERSON stands in it, and
        # then only cells opening with a known first name
        (
            "| Customer | Plan |\n|---|---|\n| Acme Corp | Pro |\n| Ann Lee | Free |\n"
            "| Bob Stone | Pro |",
            "Ann Lee",
            ["Ann Lee", "Bob Stone"],
        ),
        ("| Name | Notes |\n|---|---|\n| Zorblax | beta |\n| Bob Stone | ok |", "", []),
        # a PERSON in a column with a technology name in it makes no column of people
        ("| Name | Notes |\n|---|---|\n| Jenkins | ci |\n| Ann Lee | ok |", "Ann Lee", []),
        # a header of people takes a surname or a word on no list too
        (
            "| Reviewer | PR |\n|---|---|\n| Okonkwo | #12 |\n| Stone | #13 |",
            "",
            ["Okonkwo", "Stone"],
        ),
    ],
)
def test_how_sure_a_column_is(
    ner_filter: NerFilter, text: str, seed: str, names: list[str]
) -> None:
    """A header of people takes any name-shaped cell; a PERSON found in a column without
    one makes the cells opening with a known first name names, unless the column lists
    a technology."""
    at = text.find(seed)
    found = [Finding("PERSON", at, at + len(seed), 0.85, "presidio")] if seed else []
    assert [text[f.start : f.end] for f in ner_filter.cued_names(text, found)] == names
