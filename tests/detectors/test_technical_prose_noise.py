"""PERSON and LOCATION on technical prose (issue 14, hard negatives of ``negatives3``): software
named by what is said of it next, a release number after it, a verb only software takes;
people in the same shapes keep their findings, with exact spans."""

from __future__ import annotations

import pytest

from core.scanning import Finding
from detectors.ner_filter import NerFilter
from detectors.ner_lexicon import shipped_lexicon
from detectors.ner_look_alikes import look_alike
from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        'Squash these: "fix lint", "Bump Jackson to 2.17.0", "Revert Guava upgrade".',
        "Is Hudson still maintained, or should everything run on Jenkins by now?",
        "Jackson is deprecated in our stack, use Gson.",
        "Changelog entry needed: bumped Phoenix to 1.4.2, dropped Python 3.8.",
        "Give me a checklist for upgrading Phoenix from 1.2.3 to 1.4.0.",
        "Florence is the new vision model; can we fine-tune it with LoRA?",
        "Write a README section explaining how to run Otto locally with Vagrant.",
        "Migrate the nightly jobs from Rufus to Kubernetes CronJobs and keep the retries.",
        "After upgrading to Sonoma the Docker builds got slower.",
        "Capri is the staging cluster; Havana is production.",
    ],
)
def test_software_in_technical_prose_is_no_name(pii: PresidioDetector, text: str) -> None:
    """A name-like product before a release number or a state only software has is no finding."""
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Please ask Jackson to send the report to Maria Garcia.", ["Jackson", "Maria Garcia"]),
        ("Hudson maintained the build server until March.", ["Hudson"]),
        ("Maria Garcia from 9.30 to 11, then the review.", ["Maria Garcia"]),
        ("Is Hudson still in the office?", ["Hudson"]),
        ("Move the tickets from Rufus to Maria before Friday.", ["Rufus", "Maria"]),
        ("Please run Otto through the onboarding checklist.", ["Otto"]),
    ],
)
def test_people_in_the_same_shapes_are_found(
    pii: PresidioDetector, text: str, names: list[str]
) -> None:
    """People before a clock time, as a subject of "maintained", or asked about stay PERSONs."""
    assert named(pii, text) == [("PERSON", name) for name in names]


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Bump Jackson to 2.17.0 today", "Jackson", True),
        ("Jackson 2.17.0 fixes it", "Jackson", True),
        ("Jackson from v2 to v3", "Jackson", True),
        ("Jackson is no longer maintained", "Jackson", True),
        ("Phoenix will be read-only from Friday.", "Phoenix", True),
        ("Phoenix will be decommissioned in May.", "Phoenix", True),
        ("Maria will be offline on Friday.", "Maria", False),
        ("Was Hudson officially deprecated?", "Hudson", True),
        ("bumped Hudson", "Hudson", True),
        ("Jackson to 2.17 tomorrow", "Jackson", False),  # "x.y" reads as a time as often
        ("Ann Lee 4.5 hours", "Lee", False),
        ("Hudson maintained it", "Hudson", False),
        ("Is Hudson in?", "Hudson", False),
        ("bumped Hudson's ticket", "Hudson", False),
        ("Florence is the new vision model; fine-tune it", "Florence", True),
        ("Otto is a CLI for deploying apps.", "Otto", True),
        ("Maria is our database admin.", "Maria", False),
        ("Maria is the new engineer.", "Maria", False),
        ("how to run Otto locally with Vagrant", "Otto", True),
        ("Please run Otto through the checklist.", "Otto", False),
        ("Migrate the jobs from Rufus to Kubernetes CronJobs.", "Rufus", True),
        ("Move the tickets from Rufus to Maria.", "Rufus", False),
        ("Migrate the account from Rufus to Okafor.", "Rufus", False),
        ("After upgrading to Sonoma the builds got slower", "Sonoma", True),
        ("We are moving to Sonoma next year", "Sonoma", False),
        ("Capri is the staging cluster; Havana is production.", "Havana", True),
        ("Capri is the staging cluster; Havana is production.", "Capri", True),
        ("Maria is the primary contact for it.", "Maria", False),
        ("Maria is in production planning.", "Maria", False),
    ],
)
def test_look_alike_software(text: str, word: str, expected: bool) -> None:
    """The look-alike rules for software read the words right before and after the span."""
    start = text.index(word)
    assert look_alike(text, start, start + len(word), shipped_lexicon()) is expected


@pytest.fixture(scope="module")
def ner_filter() -> NerFilter:
    """The filter with the shipped lists and every NER type reported."""
    return NerFilter(entities=("PERSON", "LOCATION", "NRP"))


def _kept(ner_filter: NerFilter, text: str, words: str, entity_type: str) -> list[str]:
    start = text.index(words)
    finding = Finding(entity_type, start, start + len(words), 0.85, "presidio")
    return [text[f.start : f.end] for f in ner_filter.apply(text, [finding])]


@pytest.mark.parametrize(
    ("text", "words", "entity_type"),
    [
        # literals of code, alone or after a verb
        ("Set quitting attribute to True. Raises BdbQuit next.", "True", "PERSON"),
        ("Test whether a path exists. Returns True for broken links.", "Returns True", "PERSON"),
        # a lowercase code opening dictionary words (a table of terminal capabilities)
        ("exit key al Insert one line AL Insert", "al Insert", "PERSON"),
        ("half line down ho Cursor home hu Move", "ho Cursor", "PERSON"),
        # eponyms: a name before a noun of mathematics or computing
        ("duality engine for constrained Horn clauses", "Horn", "LOCATION"),
        ("alpha is the shape parameter. Weibull distribution. alpha is", "Weibull", "PERSON"),
        # capitals after a lowercase letter, as code writes them
        ("a tool to generate and parse MacOSX .plist files", "MacOSX", "PERSON"),
        # listed beside a word written as code
        ("Currently supports vanilla SGD, Adam and RAdam.", "Adam", "PERSON"),
        # a verb opening a changelog entry, before a preposition
        ("• Harden against exploited kernel flaws.", "Harden", "PERSON"),
        # two words run together, one a three-letter word that is also a name
        ("in O(len(x)) time. Maxheap variant of _siftdown", "Maxheap", "PERSON"),
        # a cell of a table column of technology names, the rows on lines of their own
        ("| MIPS64 | Linux | GCC |\n| Moxie | Bare metal | GCC |", "Moxie", "PERSON"),
        # a word on no list opening a changelog entry or a heading
        ("+0100\n\n  Fixup for 550b2f76401c2 which broke bold fonts.", "Fixup", "LOCATION"),
        ("on your system.\n\nMiscellania - This version is based on", "Miscellania", "LOCATION"),
    ],
)
def test_technical_words_are_dropped(
    ner_filter: NerFilter, text: str, words: str, entity_type: str
) -> None:
    """Code literals, code tables, eponyms, code capitals and changelog verbs are no name."""
    assert _kept(ner_filter, text, words, entity_type) == []


@pytest.mark.parametrize(
    ("text", "words", "entity_type"),
    [
        ("Please invite True Jackson to the call.", "True Jackson", "PERSON"),
        ("Ask Maria van Dyke about the invoice.", "Maria van Dyke", "PERSON"),
        ("Ask al Hassan about the invoice.", "al Hassan", "PERSON"),
        ("The letter from de Gaulle was signed.", "de Gaulle", "PERSON"),
        ("Horn called about the invoice.", "Horn", "PERSON"),
        ("Please ask Adam and Maria about it.", "Adam", "PERSON"),
        ("Harden will review the contract.", "Harden", "PERSON"),
        ("Maxwell sent the invoice.", "Maxwell", "PERSON"),
        ("Contact DeShawn McDonald today.", "DeShawn McDonald", "PERSON"),
        ("| Owner | Deputy |\n| Maria | Hassan |", "Hassan", "PERSON"),
        ("Ship to:\nKylefurt: main office", "Kylefurt", "LOCATION"),
        ("We met in Zorbatown - the old harbour.", "Zorbatown", "LOCATION"),
    ],
)
def test_names_in_the_same_shapes_are_kept(
    ner_filter: NerFilter, text: str, words: str, entity_type: str
) -> None:
    """Names that look like those shapes keep their findings with exact spans."""
    assert _kept(ner_filter, text, words, entity_type) == [words]
