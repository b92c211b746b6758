"""Names in the shapes real names take (bench/real_names.py): mailboxes, chat lines, action
items, CSV rows, greetings of other languages; with the look-alikes that stay quiet."""

from __future__ import annotations

import pytest

from core.scanning import Finding
from detectors.name_cues import widened
from detectors.ner_filter import NerFilter
from detectors.pii import PresidioDetector
from detectors.text_regions import in_identifier


@pytest.fixture(scope="module")
def ner_filter() -> NerFilter:
    """The NER filter with the shipped lists."""
    return NerFilter()


def _cued(ner_filter: NerFilter, text: str) -> list[str]:
    return [text[f.start : f.end] for f in ner_filter.cued_names(text, [])]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # the name of a mailbox, whatever precedes it
        ("On Tue, Mar 5, 2024 at 9:14 AM Zdenek Kvapil <zk@example.org> wrote:", ["Zdenek Kvapil"]),
        ('From: "Ilkka Tuohela" <it@example.org>', ["Ilkka Tuohela"]),
        (
            "cc: Tjark Oberle <t@example.org>, Ysolde Kvist <y@example.org>",
            ["Tjark Oberle", "Ysolde Kvist"],
        ),
        # a chat line's speaker after its time, and a known first name as speaker
        ("[10:42] Vitalik: can someone look at the failing job?", ["Vitalik"]),
        ("Christian: ok\nNico: deploying now", ["Christian", "Nico"]),
        # the subject of an action item or sentence (known first names)
        (
            "Action items:\n- Richard Hughes will follow up.\n- Luca Bruno to draft the FAQ.",
            ["Richard Hughes", "Luca Bruno"],
        ),
        ("Numbers are in; Chris raised concerns about churn.", ["Chris"]),
        # greetings of more languages and times of day
        ("Good morning Helge, the build is green again.", ["Helge"]),
        ("Beste Wouter,\nbedankt voor je reactie.", ["Wouter"]),
        ("Olá Joaquim, tudo bem?", ["Joaquim"]),
        # adding someone to a thread
        ("Adding Folkert Ubbink to the thread since she owns billing.", ["Folkert Ubbink"]),
        ("+Tobias for visibility", ["Tobias"]),
        ("cc Laurent Bigonville", ["Laurent Bigonville"]),  # at the end of the text
        # a row of a list: two words, or a known first name
        ("Alexey Mahotkin, alexey.mahotkin@example.org", ["Alexey Mahotkin"]),
        ("Tom; tom@example.org", ["Tom"]),
        # someone taken on, and the subject after a label
        ("we hired Guus Sliepen as a contractor", ["Guus Sliepen"]),
        ("summarise this bio: Bjorn Reese studied physics.", ["Bjorn Reese"]),
        # Italian and Spanish titles, dotted ones too
        ("Gentile Sig.ra Ferri, le scrivo per il contratto.", ["Ferri"]),
        ("La Dott.ssa Bianchi ha confermato.", ["Bianchi"]),
        ("Estimada Sra. Quiroga, le escribo.", ["Quiroga"]),
        # labels of people in HR, finance and meeting documents
        (
            "Employee: Wiebke Ostertag\nManager: Gaute Ruud\nStart: 2023-09-01",
            ["Wiebke Ostertag", "Gaute Ruud"],
        ),
        ("Approved by: Tjalling Kooistra", ["Tjalling Kooistra"]),
        (
            "Attendees: Ysolde Kvist, Tjark Oberle, Gaute Ruud",
            ["Ysolde Kvist", "Tjark Oberle", "Gaute Ruud"],
        ),
    ],
)
def test_names_in_real_shapes_are_cued(ner_filter: NerFilter, text: str, names: list[str]) -> None:
    """A name before an address in angle brackets, a chat speaker, the subject of an action
    item, a name after a greeting or an 'adding X to' is a PERSON with its exact span."""
    assert _cued(ner_filter, text) == names


@pytest.mark.parametrize(
    "text",
    [
        "commit 3f9a2c1\nAuthor: Build Bot <ci@example.org>",  # a role, not a name
        "Note: this is slow\nRedis: cache\nStatus: done",  # labels and products as speakers
        "Kafka will retry the message; Terraform created the bucket.",  # products as subjects
        "9:14 AM <ops@example.org> wrote:",  # no name before the address
        "Support Team <help@example.org>",  # words, not a name
        "Good morning team, the build is green again.",
        "Adding Redis to the stack for caching.",
        "1+Bob",  # a sum, not a mention
        "Acme Corp, sales@acme.com",  # one word before an address: a company's as often
        "Zalando <sales@example.com>",
        "Acme Support <sales@example.com>",
        "cc Kubernetes",
        "we hired Terraform to manage it",
        "Present: Redis, Kafka and Postgres",  # a label followed by products
        "Approved by: Finance Team",
        "Manager: Kubernetes operator",
        "Sr. Developer wanted",  # "Sr." is "senior" as often as "señor"
    ],
)
def test_look_alikes_are_not_cued(ner_filter: NerFilter, text: str) -> None:
    """Header labels, products, roles and words in the same places name nobody."""
    assert _cued(ner_filter, text) == []


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Joe Hansen,joe.hansen@example.org,Finance", "Hansen", False),
        ("Kay Sievers;kay@example.org;+1 202 555 0147", "Sievers", False),
        ("user=Ann,role=admin", "Ann", True),
        ("see os.path.join,Foo", "os.path.join", True),
    ],
)
def test_a_csv_field_is_judged_alone(text: str, word: str, expected: bool) -> None:
    """A comma or semicolon ends the word judged for code: a name next to an address in a
    CSV row is no identifier, a key=value field still is."""
    start = text.index(word)
    assert in_identifier(text, start, start + len(word)) is expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("name,email,department\nJoe Hansen,joe.hansen@example.org,Finance", "Joe Hansen"),
        (
            "On Tue, 9:14 AM Samanta Navarro <sn@example.org> wrote:\n> see attached",
            "Samanta Navarro",
        ),
        ("[10:42] Gioele: can someone look at the failing job?", "Gioele"),
        (
            "Action items:\n- Richard Hughes will follow up with legal about the contract.",
            "Richard Hughes",
        ),
    ],
)
def test_real_shapes_end_to_end(pii: PresidioDetector, text: str, name: str) -> None:
    """The detector reports these names as PERSON with their exact spans."""
    people = [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PERSON"]
    assert people == [name]


def test_a_cue_widens_a_name_the_model_cut_short(ner_filter: NerFilter) -> None:
    """A cued name holding a shorter PERSON of the model takes its place; one holding
    another entity type, or equal to the model's span, does not."""
    text = "Dear Alejandro Colomar,\n\nthanks"
    start = text.index("Colomar")
    short = Finding("PERSON", start, start + len("Colomar"), 0.85, "presidio")
    cued = ner_filter.cued_names(text, [short])
    assert [text[f.start : f.end] for f in cued] == ["Alejandro Colomar"]
    assert widened([short], cued) == cued
    date = Finding("DATE_TIME", start, start + len("Colomar"), 0.85, "presidio")
    assert ner_filter.cued_names(text, [date]) == []
    whole = Finding("PERSON", 5, start + len("Colomar"), 0.85, "presidio")
    assert ner_filter.cued_names(text, [whole]) == []


def test_a_cue_widens_over_a_place_the_model_split_off(ner_filter: NerFilter) -> None:
    """A cued name holding a shorter PERSON and a LOCATION of the model ("Michel Le" and
    "Bihan") takes the place of both; a LOCATION of its very span stays."""
    text = "Michel Le Bihan, michel.le.bihan@example.org"
    first = Finding("PERSON", 0, len("Michel Le"), 0.85, "presidio")
    place = Finding("LOCATION", text.index("Bihan"), text.index(","), 0.85, "presidio")
    cued = ner_filter.cued_names(text, [first, place])
    assert [text[f.start : f.end] for f in cued] == ["Michel Le Bihan"]
    assert widened([first, place], cued) == cued
    text = "Dr. Berlin called."
    assert [text[f.start : f.end] for f in ner_filter.cued_names(text, [])] == ["Berlin"]
    same = Finding("LOCATION", 4, 10, 0.85, "presidio")
    assert ner_filter.cued_names(text, [same]) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dear Alejandro Colomar,\n\nWe confirm your appointment on 12 May.", "Alejandro Colomar"),
        ("Signed-off-by: Héctor Orón Martínez <hector@example.org>", "Héctor Orón Martínez"),
        # after a title an ending of streets or towns ("-ring", "-field") is a surname's
        ("Madame Toerring a appelé ce matin.", "Toerring"),
        ("Sehr geehrte Frau Kesselring,\nvielen Dank.", "Kesselring"),
    ],
)
def test_whole_names_end_to_end(pii: PresidioDetector, text: str, name: str) -> None:
    """The whole name is one PERSON, not the part the model found nor a street."""
    people = [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PERSON"]
    assert people == [name]
