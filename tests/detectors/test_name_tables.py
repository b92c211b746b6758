"""People in tables (issue 14, h71): every row of a column of people in a Markdown, TSV or
CSV table is a PERSON with its exact span; columns of tools, products and places stay
quiet."""

from __future__ import annotations

import pytest
from spacy.language import Language

from core.scanning import Finding
from detectors.ner_filter import NerFilter
from detectors.pii import PresidioDetector
from detectors.settings import PiiSettings


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


LEFTOVERS = [
    # "Last, First" in a CSV export's quoted cells, and in a Markdown cell
    (
        'id,name,email,team\n1,"Lee, Ann",ann@example.org,Ops\n'
        '2,"Stone, Bob",bob@example.org,SRE\n3,"van Gorp, Saar",saar@example.org,Legal',
        ["Lee, Ann", "Stone, Bob", "van Gorp, Saar"],
    ),
    (
        "| Employee | Dept |\n|---|---|\n| Okafor, Chidi | Ops |\n| Stone, Bob | SRE |",
        ["Okafor, Chidi", "Stone, Bob"],
    ),
    # a quoted cell with commas in it does not break its row: the table is still read
    (
        'name,address\nTendai Moyo,"1 Main St, Springfield"\nChidi Okafor,"2 Oak Ave, Salem"\n'
        'Yerlan Abenov,"3 Elm Rd, Dover"',
        ["Tendai Moyo", "Chidi Okafor", "Yerlan Abenov"],
    ),
    # particles and prefixes of double, Dutch, German, Arabic, Spanish, Catalan, Irish
    # and Scottish names, first names on no list
    (
        "| Name | Role |\n|---|---|\n| Tjeerd van Hoevel en van Zwindrecht | Owner |\n"
        "| Yerlan Coreth von und zu Coredo | Admin |\n| Bongani al-Rashid | Viewer |\n"
        "| Tendai bint Yusuf | Owner |\n| Chidi Puig i Cadafalch | Admin |\n"
        "| Oluwaseun García y López | Viewer |\n| Aigerim d'Arcy | Owner |\n"
        "| Tendai McAllister | Admin |\n| Chidi MacLeod | Viewer |\n| Yerlan O'Dwyer | Owner |",
        [
            "Tjeerd van Hoevel en van Zwindrecht",
            "Yerlan Coreth von und zu Coredo",
            "Bongani al-Rashid",
            "Tendai bint Yusuf",
            "Chidi Puig i Cadafalch",
            "Oluwaseun García y López",
            "Aigerim d'Arcy",
            "Tendai McAllister",
            "Chidi MacLeod",
            "Yerlan O'Dwyer",
        ],
    ),
    # "in" is no particle: the name ends before the place
    (
        "| Assignee | Status |\n|---|---|\n| Ann Lee in Berlin | open |\n| Bob Stone | done |",
        ["Ann Lee", "Bob Stone"],
    ),
    # initials inside and before a name
    (
        "| Name | Email |\n|---|---|\n| Adam D. Barratt | a@example.org |\n"
        "| Tendai M. Moyo | t@example.org |\n| J. R. Hartley | j@example.org |",
        ["Adam D. Barratt", "Tendai M. Moyo", "J. R. Hartley"],
    ),
    # no header: a column mostly of people is as sure as one under a header of people
    (
        "Oluwaseun Adeyemi\tFinance\t2021\nChidi Okafor\tSales\t2022\nTendai Moyo\tLegal\t2020\n"
        "Ann Lee\tOps\t2019",
        ["Oluwaseun Adeyemi", "Chidi Okafor", "Tendai Moyo", "Ann Lee"],
    ),
    # no header and no PERSON of the model: rows of a table whose header is elsewhere
    (
        'OPS-19,"Abenov, Oluwaseun",open\nOPS-20,"Natarajan, Bob",open\n'
        'OPS-21,"Okafor, Chidi",open\nOPS-22,"Stone, Priya",open',
        ["Abenov, Oluwaseun", "Natarajan, Bob", "Okafor, Chidi", "Stone, Priya"],
    ),
]


@pytest.mark.parametrize(("text", "names"), LEFTOVERS)
def test_names_of_every_shape_in_a_column_of_people(
    pii: PresidioDetector, text: str, names: list[str]
) -> None:
    """Inverted names, names with particles or prefixes and columns without a header are
    PERSONs with their exact spans."""
    assert _people(pii, text) == names


ORGANISATIONS = [
    (
        "| Name | Email | Team |\n|---|---|---|\n| Stark Industries | t@stark.example | Sales |\n"
        "| Ann Lee | ann@example.org | Ops |\n| Hooli GmbH | h@hooli.example | Ops |\n"
        "| Spotify AB | s@spotify.example | Ops |\n| Wayne Enterprises | b@wayne.example | Ops |\n"
        "| Globex Corporation Europe | g@globex.example | Sales |",
        ["Ann Lee"],
    ),
    (
        "customer,owner,plan\nGlobex Corporation,Ann Lee,Pro\nInitech LLC,Bob Stone,Free\n"
        "Umbrella Group,Maria Kowalski,Pro\nSmith & Co.,Jonas Berger,Free",
        ["Ann Lee", "Bob Stone", "Maria Kowalski", "Jonas Berger"],
    ),
]


@pytest.mark.parametrize(("text", "names"), ORGANISATIONS)
def test_organisations_in_a_column_of_people_are_no_person(
    pii: PresidioDetector, text: str, names: list[str]
) -> None:
    """A cell ending in a company form ("Inc", "GmbH", "AB", "Industries") is no PERSON,
    in a column of people or beside one."""
    assert _people(pii, text) == names


@pytest.mark.parametrize("organisation", ["Wayne Enterprises", "Initech LLC", "Pied Piper Inc"])
def test_the_model_s_person_in_an_organisation_cell_is_dropped(
    ner_filter: NerFilter, organisation: str
) -> None:
    """A PERSON the model finds in a table cell ending in a company form is dropped."""
    text = f"| Customer | Owner |\n|---|---|\n| {organisation} | Ann Lee |\n| Acme | Bob Stone |"
    at = text.index(organisation)
    model = [Finding("PERSON", at, at + len(organisation), 0.85, "presidio")]
    assert ner_filter.apply(text, model) == []


HEADERLESS_QUIET = [
    '"Paris, France",2100000\n"Berlin, Germany",3600000\n"Madrid, Spain",3300000',
    "| June | 12 |\n| August | 14 |\n| April | 9 |\n| May | 3 |",
    '"Widget, large",4.99\n"Widget, small",2.99\n"Gadget, blue",9.99',
    "| Jenkins | ci |\n| Travis | ci |\n| Ann Lee | ok |\n| Bob Stone | ok |",
]


@pytest.mark.parametrize("text", HEADERLESS_QUIET)
def test_headerless_columns_of_things_stay_quiet(pii: PresidioDetector, text: str) -> None:
    """Columns without a header of places, months, products or tools hold no PERSON from
    the table reading (a column with a technology name in it is none of people)."""
    found = _people(pii, text)
    assert not {"Paris, France", "June", "August", "Widget, large", "Jenkins", "Travis"} & set(
        found
    )


def test_a_table_cut_into_windows_is_read_in_each(nlp: Language) -> None:
    """A long CSV export cut into NER windows, its header in the first only, reports every
    row's name as the whole text does."""
    firsts = ["Oluwaseun", "Chidi", "Tendai", "Bongani", "Yerlan", "Ann", "Priya", "Jonas"]
    lasts = ["Adeyemi", "Okafor", "Moyo", "Dlamini", "Abenov", "Lee", "Stone", "Berger"]
    names = [f"{lasts[i % 8]}, {firsts[(3 * i) % 8]}" for i in range(100)]
    text = "ticket,assignee,status\n" + "\n".join(
        f'OPS-{i},"{name}",open' for i, name in enumerate(names)
    )
    windowed = PresidioDetector(PiiSettings(chunk_chars=600, chunk_overlap=100), nlp=nlp)
    assert len(text) > 3 * 600
    assert _people(windowed, text) == names
