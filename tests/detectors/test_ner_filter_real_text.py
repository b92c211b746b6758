"""Noise found on real technical text (manual pages, READMEs, changelogs, docstrings; see
``bench/real_text_noise.py``): what is written as code, acronyms, phrases of dictionary
words, dates, clock times and release numbers are no person, place, phone or address."""

from __future__ import annotations

import pytest

from core.scanning import Finding
from detectors.ner_filter import NerFilter
from detectors.pii import PresidioDetector
from detectors.pii_filters import glued, ner_plausible, not_an_address


def _span(text: str, words: str, entity_type: str = "PERSON") -> Finding:
    start = text.index(words)
    return Finding(entity_type, start, start + len(words), 0.85, "presidio")


@pytest.fixture(scope="module")
def ner_filter() -> NerFilter:
    """The filter with the shipped lists and every NER type reported."""
    return NerFilter(entities=("PERSON", "LOCATION", "NRP"))


@pytest.mark.parametrize(
    ("text", "words", "entity_type"),
    [
        # written as code: capitals as code writes them, dotted names, attributes, calls
        (
            "integer overflow in XRecordGetContext() [CVE-2013-2063]",
            "XRecordGetContext",
            "LOCATION",
        ),
        ("Supports vanilla SGD, Adam and RAdam optimizers.", "RAdam", "PERSON"),
        ("It accepts file objects from open(), io.BytesIO, and sockets.", "BytesIO", "PERSON"),
        ("Add appropriate lib*_CFLAGS to Makefile.am's rules", "Makefile.am", "PERSON"),
        ("invalid parameters being given to XPutImage on Solaris 10", "XPutImage", "LOCATION"),
        ("clamps values to +Maxint before the shift", "Maxint", "PERSON"),
        ("Date: Fri Oct 29 15:13:16 2010 -0400", "Fri Oct", "PERSON"),
        # the head of a technical compound adjective
        ("Solaris /dev/poll selector. Kqueue-based selector.", "Kqueue", "LOCATION"),
        ("Message with Babyl-specific properties.", "Babyl", "LOCATION"),
        # acronyms that name no one, in a line in lower case
        ("No knowledge of XS is necessary to add an encoding.", "XS", "PERSON"),
        ("async/await style UDP sockets on every backend", "UDP", "LOCATION"),
        ("and so on for GB, TB, PB, EB, ZB and YB.", "EB", "LOCATION"),
        # phrases of dictionary words and technology names
        ("It avoids Callback Hell with async/await.", "Callback Hell", "PERSON"),
        ("downloaded from Linux Kernel Archive over https", "Linux Kernel Archive", "PERSON"),
        ("LF Turn soft labels off, LO Turn soft labels on", "LF Turn", "PERSON"),
        # dates
        ("Date: Thu Jun 15 03:03:13 2006 -0700", "Thu Jun", "PERSON"),
        ("released on Nov 30 with the fix", "Nov", "PERSON"),
        # letters, and the tail of a word
        ("If F (or A, E, G) is the conversion specifier", "F", "PERSON"),
        ("Fixed incorrect control OIDs for AuthZ Identity", "Ds", "PERSON"),
        # a table cell or list beside technology names or acronyms
        ("| Alpha | Linux | GCC |\n| Moxie | Bare metal | GCC |", "Alpha", "PERSON"),
        (
            "Read/write support for Maildir, mbox, MH, Babyl, and MMDF mailboxes.",
            "Babyl",
            "LOCATION",
        ),
        # a verb opening a docstring or a changelog entry, also in the third person
        ("Marks a set of nodes returned by get_ready as processed.", "Marks", "PERSON"),
        ("Returns the approximate size of the queue.", "Returns", "LOCATION"),
        ("* Revert the blacklist change.", "Revert", "PERSON"),
        # a span opened by a lowercase word on no list: code
        ("Needed to clear gcc -Wwrite-strings warnings in callers", "gcc -Wwrite", "PERSON"),
        ("kb Backspace key; kd Down arrow key", "kb Backspace", "LOCATION"),
        # operating systems the lists now know
        ("This port has been best tested on AIX, Cygwin, HP-UX and Linux.", "Cygwin", "PERSON"),
        ("Fix the build fail on Solaris introduced last week", "Solaris", "LOCATION"),
    ],
)
def test_real_text_noise_is_dropped(
    ner_filter: NerFilter, text: str, words: str, entity_type: str
) -> None:
    """Each kind of noise read on installed documentation is no name or place."""
    assert ner_filter.apply(text, [_span(text, words, entity_type)]) == []


@pytest.mark.parametrize(
    ("text", "words", "entity_type"),
    [
        # names with one inner capital after a prefix, and a title glued to a name
        ("Escalated to Ronald McDonald yesterday.", "Ronald McDonald", "PERSON"),
        ("Please call DeShawn about the outage.", "DeShawn", "PERSON"),
        ("Forward this to Mr.Kowalski before noon.", "Kowalski", "PERSON"),
        # a hyphenated name, an era: the hyphen alone makes no compound adjective
        ("Jean-Pierre approved the change.", "Jean-Pierre", "PERSON"),
        # acronyms that are places, in capitals lines, names in capitals
        ("Our offices in the UK will close early.", "UK", "LOCATION"),
        ("We relocated to the UAE last spring.", "UAE", "LOCATION"),
        ("Ask KIM about the contract.", "KIM", "PERSON"),
        # phrases with a first name or a place word, a real place
        ("Escalate to Grant Hill before Friday.", "Grant Hill", "PERSON"),
        ("The team moved to Silicon Valley in 2019.", "Silicon Valley", "LOCATION"),
        ("Changelog credit: thanks to Jane Doe for the fix.", "Jane Doe", "PERSON"),
        ("Ship it to the Hague office.", "Hague", "LOCATION"),
        # a place of dictionary words, a name before a degree
        ("I am in United States Virgin Islands until May.", "United States", "LOCATION"),
        (
            "The invitation came from Janusz Dörschner B.A. at Dehmel.",
            "Janusz Dörschner B",
            "PERSON",
        ),
        # a town before a state's code, a state's code in an address
        ("sent to 5709 Smith Common, Kylefurt, MA 76024?", "Kylefurt", "LOCATION"),
        ("at 87190 Nancy Course, North Mario, LA 59104", "LA", "LOCATION"),
        ("Suite 871, Kennethland, MO, USA", "MO", "LOCATION"),
        # a first name that is a month, without a day after it
        ("April Jones approved the budget.", "April Jones", "PERSON"),
        ("Ask June about the invoice.", "June", "PERSON"),
        # a name ending in "s" that is no verb, a verb's name not before a function word
        ("Charles approved the change.", "Charles", "PERSON"),
        ("Marks Spencer signed the contract.", "Marks Spencer", "PERSON"),
        # a lowercase word that is a name or a dictionary word opens the span
        ("It pages Jenkins at night", "pages Jenkins", "PERSON"),
        ("Reported by van Dijk", "van Dijk", "PERSON"),
        # a name listed with people, not with technologies
        ("Reviewed by Anna, Ben and Carla.", "Ben", "PERSON"),
        ("| Ann Lee | Finance | Berlin |", "Ann Lee", "PERSON"),
    ],
)
def test_names_and_places_are_kept(
    ner_filter: NerFilter, text: str, words: str, entity_type: str
) -> None:
    """Names and places beside the noise's shapes pass the filter unchanged."""
    finding = _span(text, words, entity_type)
    assert ner_filter.apply(text, [finding]) == [finding]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bug found and analysed nicely by John Lilley in the lzf decompressor.", "John Lilley"),
        ("Changelog: thanks to Jane Doe for the XPutImage fix.", "Jane Doe"),
    ],
)
def test_credits_in_changelogs_are_found(pii: PresidioDetector, text: str, name: str) -> None:
    """A real name in a changelog's credit is still a PERSON, with its exact span."""
    start = text.index(name)
    spans = [(f.entity_type, f.start, f.end) for f in pii.find(text)]
    assert ("PERSON", start, start + len(name)) in spans


@pytest.mark.parametrize(
    "text",
    [
        "commit 8287ebd7b752 Date: Mon Jan 7 14:42:53 2019 -0800 c_client: fix typo",
        "Changes in 1.2.7.2 (13 Apr 2013) - Change check for a four-byte type",
        "The modules B::CC and B::C compile perl to C.",
        "Upgrade to doxygen version 1.8.1.2 format.",
    ],
)
def test_git_dates_and_release_numbers_have_no_finding(pii: PresidioDetector, text: str) -> None:
    """Clock times, release numbers and Perl module names are no phone or IP address."""
    assert [(f.entity_type, text[f.start : f.end]) for f in pii.find(text)] == []


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("Date: Tue Feb 16 10:37:21 2010 -0500", "21 2010 -0500", True),  # a clock's seconds
        ("Call 10:30 or later: 415 555 0199", "415 555 0199", False),  # ": " before it
        ("Tel:4155550199 anytime", "4155550199", False),  # a label, not a time
    ],
)
def test_a_phone_after_a_clock_time_is_glued(text: str, value: str, expected: bool) -> None:
    """A digit run right after "hh:mm:" is the seconds of a clock time, not a phone."""
    start = text.index(value)
    assert glued(text, start, start + len(value)) is expected


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("B::CC 1.00_01 B::Concise", "B::CC", True),
        ("Changes in 1.2.7.2 (13 Apr 2013)", "1.2.7.2", True),
        ("XFree86 version 4.3.99.16 was merged", "4.3.99.16", True),
        ("bump to 4.3.0.1", "4.3.0.1", True),
        ("ssh admin@10.0.0.5 and check", "10.0.0.5", False),
        ("the server at 192.168.1.10 is down", "192.168.1.10", False),
        ("listen on fe80::1 only", "fe80::1", False),
        ("a version of the host 10.1.2.3 answers", "10.1.2.3", False),
    ],
)
def test_not_an_address(text: str, value: str, expected: bool) -> None:
    """IPv6 shapes without a digit and dotted quads after a version word are no address."""
    start = text.index(value)
    assert not_an_address(text, start, start + len(value)) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(".exit Exit", False), ("'Queue Empty", False), ("J. Smith", True), ("Ann Lee", True)],
)
def test_a_name_opens_with_a_letter(value: str, expected: bool) -> None:
    """An NER span that opens with a dot or a quote is no name."""
    assert ner_plausible(value) is expected
