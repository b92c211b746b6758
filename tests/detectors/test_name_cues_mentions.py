"""Names that h53's cues left (issue 14, h59): mentions, first names that are also places,
dictionary words as surnames, a title before a name the model cut short, names common in
other countries that the technology vocabulary had taken; with the look-alikes that stay
quiet and the exact spans."""

from __future__ import annotations

import pytest

from core.scanning import Finding
from detectors.ner_filter import NerFilter
from detectors.ner_lexicon import shipped_lexicon
from detectors.pii import PresidioDetector
from detectors.text_regions import in_identifier


@pytest.fixture(scope="module")
def ner_filter() -> NerFilter:
    """The NER filter with the shipped lists."""
    return NerFilter()


def _cued(ner_filter: NerFilter, text: str) -> list[str]:
    return [text[f.start : f.end] for f in ner_filter.cued_names(text, [])]


def _people(pii: PresidioDetector, text: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PERSON"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a mention: the name without its "@", a word on no list where a request follows
        ("@Priya Natarajan can you review", ["Priya Natarajan"]),
        ("@Tomohiro can you approve my PR?", ["Tomohiro"]),
        ("thanks @Nico!", ["Nico"]),
        ("ping @Anthony when done", ["Anthony"]),  # a known first name anywhere
        ("@Martin can you check the logs", ["Martin"]),  # a first name that is also a place
        # a first name that is also a place, before a verb no place is the subject of
        ("Martin raised the issue with the vendor.", ["Martin"]),
        ("[10:42] Martin: can someone look at the failing job?", ["Martin"]),
        # a word on no list or a surname before a verb of people
        ("Varun presented the Q3 numbers.", ["Varun"]),
        ("Wang proposed option B.", ["Wang"]),
        # a dictionary word as the surname of a known first name
        ("cc Sebastian Pipping", ["Sebastian Pipping"]),
        ("Thanks Andreas Boll, see you", ["Andreas Boll"]),
        ("Hi Tom Monday works", ["Tom"]),  # a weekday is no surname
        ("Florence Nightingale wrote: hello", ["Florence Nightingale"]),  # a place, a word
        # a line that opens with a name and a date
        ("Yiming Jing 2024-03-14 approved", ["Yiming Jing"]),
        ("Sebastian Pipping, 12 March 2024", ["Sebastian Pipping"]),
        ("- Ann Lee, March 12, 2024: signed", ["Ann Lee"]),
        ("Tom 03/14/2024 ok", ["Tom"]),
        # a known first name after a preposition of another language
        ("A reunião com Adrian Aichner foi adiada para amanhã.", ["Adrian Aichner"]),
        ("Termin mit Jana Berger am Montag", ["Jana Berger"]),
        # a name common in other countries, no longer a technology
        ("can you ask Dmitry whether the vpn is still broken", ["Dmitry"]),
    ],
)
def test_names_are_cued(ner_filter: NerFilter, text: str, names: list[str]) -> None:
    """Mentions, first names that are places after a verb of a person, surnames that are
    words and names of other countries are cued with their exact spans."""
    assert _cued(ner_filter, text) == names


@pytest.mark.parametrize(
    "text",
    [
        "@Override\npublic void run() {}",  # annotations of code
        "@Autowired\nprivate Foo foo;",
        "@Autowired private Foo foo;",
        "npm i @Babel/core",  # a scoped package
        "write to ann@Example.com",  # an address
        "@Kubernetes can you explain this?",  # a technology
        "Hello Berlin!",  # a greeting to a place
        "Berlin has banned it.",  # a place as a subject
        "We moved from Jordan.",
        "From: Berlin Office <berlin@example.com>",  # a place's mailbox
        "Kafka presented the data.",  # a product before a verb of people
        "Release 2024-03-14",  # words and products before a date
        "Sprint Review 2024-03-14",
        "Kubernetes 2024-03-14",
        "Yiming 2024-03-14",  # one word before a date: a known first name only
        "Ich arbeite mit Docker Compose.",  # a product after a preposition of another language
        "On travaille avec Paris.",  # a place
    ],
)
def test_look_alikes_are_not_cued(ner_filter: NerFilter, text: str) -> None:
    """Annotations, packages, addresses, places and products stay uncued."""
    assert _cued(ner_filter, text) == []


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("@Priya Natarajan can you review", "Priya", False),
        ("thanks @Nico!", "Nico", False),
        ("npm i @Babel/core", "Babel", True),
        ("@app.route('/')", "app", True),
    ],
)
def test_a_mention_is_no_identifier(text: str, word: str, expected: bool) -> None:
    """The words after an '@' are judged as words; a scoped package or decorator is code."""
    start = text.index(word)
    assert in_identifier(text, start, start + len(word)) is expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("@Eric can you approve my PR?", "Eric"),
        ("@Priya Natarajan can you review the migration?", "Priya Natarajan"),
        ("Martin raised the issue with the vendor.", "Martin"),
        # a title or a role the model took into the name is left out of it
        ("Herr Agustín Martín Domingo hat den Termin abgesagt.", "Agustín Martín Domingo"),
        ("can you ask Dmitry whether the vpn is still broken", "Dmitry"),
        ("Yiming Jing 2024-03-14 approved", "Yiming Jing"),
    ],
)
def test_end_to_end(pii: PresidioDetector, text: str, name: str) -> None:
    """The detector reports exactly this PERSON."""
    assert _people(pii, text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "From: Berlin Office <berlin@example.com>",
        "Ship it to 12 Kingsley Road, Leeds.",
        "@Override\npublic String toString() { return name; }",
    ],
)
def test_no_person_end_to_end(pii: PresidioDetector, text: str) -> None:
    """A place's mailbox and an annotation are no PERSON."""
    assert _people(pii, text) == []


def test_common_first_names_are_no_technology() -> None:
    """A first name common in some country is no technology term, only an ambiguous one."""
    lexicon = shipped_lexicon()
    assert "dmitry" not in lexicon.tech
    assert "dmitry" in lexicon.ambiguous
    assert "kubernetes" in lexicon.tech


def _person_at(text: str, span: str) -> Finding:
    start = text.index(span)
    return Finding("PERSON", start, start + len(span), 0.85, "presidio")


@pytest.mark.parametrize(
    ("text", "span", "dropped"),
    [
        # a noun phrase of another language opened by its determiner or possessive
        ("vielen Dank für Ihre Nachricht.", "Ihre Nachricht", True),
        ("vielen Dank für Ihre Nachricht.", "Nachricht", True),
        ("Merci pour votre Commande.", "Commande", True),
        ("Sie haben mit Frau Weber gesprochen.", "Weber", False),
        ("Das Leben der Anderen", "Das", False),  # "Das" is a surname: not listed
        # software after a verb only software takes, even a name
        ("How do I configure Hudson to poll Subversion?", "Hudson", True),
        ("We install Sentry on every host.", "Sentry", True),
        ("Please configure Anna's laptop.", "Anna", False),  # a person's laptop
        ("Please ask Hudson about it.", "Hudson", False),
        # a technology where software fails or runs, not a name that is no technology
        ("| 4411 | Login fails on Safari | Bob Proulx |", "Safari", True),
        ("The page crashes on Ray when scaling.", "Ray", True),
        ("The page crashes on Maria's phone.", "Maria", False),
        ("I was waiting on Martin for the answer.", "Martin", False),
    ],
)
def test_look_alikes_of_names_are_dropped(
    ner_filter: NerFilter, text: str, span: str, dropped: bool
) -> None:
    """A phrase of another language after its determiner, software after a verb of software
    and a technology where software fails are no PERSON; names in the same places are."""
    finding = _person_at(text, span)
    assert ner_filter.apply(text, [finding]) == ([] if dropped else [finding])


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Sehr geehrte Frau Johnsen,\nvielen Dank für Ihre Nachricht.", ["Johnsen"]),
        ("| 4411 | Login fails on Safari | Bob Proulx |", ["Bob Proulx"]),
        ("How do I configure Hudson to poll Subversion every five minutes?", []),
    ],
)
def test_look_alikes_end_to_end(pii: PresidioDetector, text: str, names: list[str]) -> None:
    """Only the person is reported, with the exact span (the title left out)."""
    assert _people(pii, text) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "| ID | Summary | Assignee |\n|----|---------|----------|\n"
            "| 4411 | Login fails | Ragnar Hojland Espinosa |",
            ["Ragnar Hojland Espinosa"],
        ),
        ("| Name | Role |\n|------|------|\n| Hugues NAULET | Reviewer |", ["Hugues NAULET"]),
        ("| Service | Owner |\n|---|---|\n| Redis | Platform Team |", []),  # no person
        ("| Name | Version |\n|---|---|\n| Foobarix | 1.2 |", []),  # a package's name
        ("| Component | Status |\n|---|---|\n| Tomohiro | ok |", []),  # no column of people
    ],
)
def test_names_in_columns_of_people(ner_filter: NerFilter, text: str, names: list[str]) -> None:
    """The cells of a Markdown table's column of people are names with their exact spans; a
    "Name" column counts beside people's details only."""
    assert _cued(ner_filter, text) == names
