"""Personal data as office staff write it (helpdesk tickets, booking mails, handover notes,
chat among colleagues): codes in capitals are no one, names after the conventions of
office prose are found with their exact spans."""

from __future__ import annotations

import pytest

from core.scanning import Finding
from detectors.ner_filter import NerFilter
from detectors.pii import PresidioDetector


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
        # a first name in capitals in a line of small letters, no cue before it: an acronym
        ("the user typed the PIN wrong three times; SIM blocked. PUK requested.", "PUK", "PERSON"),
        ("Your TAN arrives by text message.", "TAN", "PERSON"),
        # a code of six capitals or more that is on no list: a booking reference
        ("Hi, I have a booking with you, reference NAMEBW, for Monday.", "NAMEBW", "PERSON"),
        ("Booking confirmation – reference AQGGFE. Check-in at 3 pm.", "AQGGFE", "PERSON"),
        ("Hi, I have a booking with you, reference KDPNKD, for Monday.", "KDPNKD", "LOCATION"),
    ],
)
def test_capitals_in_a_line_of_small_letters_are_no_one(
    ner_filter: NerFilter, text: str, words: str, entity_type: str
) -> None:
    """Acronyms and reference codes in capitals are no person or place."""
    assert ner_filter.apply(text, [_span(text, words, entity_type)]) == []


@pytest.mark.parametrize(
    ("text", "words", "entity_type"),
    [
        ("Ask KIM about the contract.", "KIM", "PERSON"),  # a cue: a name starts here
        ("The form was signed by DUPONT yesterday.", "DUPONT", "PERSON"),  # a surname
        ("Our offices in the UK will close early.", "UK", "LOCATION"),
        ("We flew to NAIROBI on Monday.", "NAIROBI", "LOCATION"),  # a known place
        ("BOOKING REF NAMEBW FOR ANNA", "NAMEBW", "PERSON"),  # a line in capitals
    ],
)
def test_names_and_places_in_capitals_are_kept(
    ner_filter: NerFilter, text: str, words: str, entity_type: str
) -> None:
    """A cued name, a surname, a known or placed place and a line in capitals keep their
    span."""
    finding = _span(text, words, entity_type)
    assert ner_filter.apply(text, [finding]) == [finding]


def test_a_booking_reference_is_no_finding(pii: PresidioDetector) -> None:
    """A booking mail's reference code and a SIM's PUK give no finding at all."""
    text = (
        "Booking confirmation – reference AQGGFE. Hotel check-in 2016-05-12, 2 nights.\n"
        "The user typed the PIN wrong three times; SIM blocked. PUK requested from the carrier."
    )
    assert [(f.entity_type, text[f.start : f.end]) for f in pii.find(text)] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a chat line's speaker before the time it spoke at; places do not speak
        ("Florencia 10:42: door code changed btw\nRose 10:43: ok ta", "Florencia"),
        ("Florencia 10:42: door code changed btw\nRose 10:43: ok ta", "Rose"),
        # a welcome that names the company first
        ("Welcome to Uche Ltd, Joy!\n\nHere is everything you need.", "Joy"),
        # a clause after a comma or a dash, opened by its subject
        ("the key expired, Gloria is generating a new one in the dashboard", "Gloria"),
        ("the secret is in the vault – Irpa said the developers need it", "Irpa"),
        # whose a thing is
        ("The account is in Luisa's name. Please quote it when ordering.", "Luisa"),
        # a one-word place of the model that owns a person's things is that person
        ("the supplier is 22 and the account is in Comfort's name. Please quote it.", "Comfort"),
        # the title of a note about someone, an action item's owner
        ("Handover notes – Gitau (leaving 2019-06-02)\n- open tickets", "Gitau"),
        ("Onboarding checklist for Eylaugur Svarfdal\n1. Collect badge", "Eylaugur Svarfdal"),
        ("Action points:\n* Sylvia: renew the licence\n* Nenna: book room", "Sylvia"),
        # a signature alone on the last line, a trade at the end of a note
        ("Hi Sharon,\n\nSure, it is in the vault.\n\nAbigael", "Abigael"),
        ("rang the alarm company, old code deleted. engineer Catalina", "Catalina"),
        # a call's note opened by its time, a caller's header, a sign-off's comma
        ("19:31:51 – Lyngar from the agency phoned: she'll send the link", "Lyngar"),
        ("Ticket CS248098\nCaller: Loise Okumu\nIssue: forgot Wi-Fi password", "Loise Okumu"),
        ("Hi Sarah, the meeting is at 10. Regards, James", "James"),
        # after a preposition, before a date or at the line's end; after an honorific
        ("Purchase order PO-17463 approved by Hugues Delcourt on 2015-08-31.", "Hugues Delcourt"),
        ("Minutes of the call\nAttendees: Hon Aggrey Muthoni", "Aggrey Muthoni"),
        # the second item of a list of two after a header of people
        ("Attendees: Hon Aggrey Muthoni, Richard Mutisya\n- Payment run", "Richard Mutisya"),
        # a Spanish greeting
        ("Buenos días Gladys, la contraseña es nueva. Saludos", "Gladys"),
        ("Buenas tardes Florine, gracias por la llamada.", "Florine"),
    ],
)
def test_names_of_office_prose_found_with_exact_span(
    pii: PresidioDetector, text: str, name: str
) -> None:
    """A name after a convention of office prose is a PERSON with its exact span."""
    start = text.index(name)
    spans = [(f.entity_type, f.start, f.end) for f in pii.find(text)]
    assert ("PERSON", start, start + len(name)) in spans


@pytest.mark.parametrize(
    "text",
    [
        "Deploy 10:42: started\nStandup 09:30: notes",  # no one speaks at a time
        "Welcome to the team, everyone!",
        "The cache expired, Redis is rebuilding it now.",
        "Is Monix a reasonable replacement for El Capitan on embedded boards?",
        "Make sure Kafka's name resolution works before the upgrade.",
        "Release notes – Kubernetes 1.30\n- faster scheduling",
        "Thanks, Kafka and Redis are fine.",
        "The build finished.\n\nDone",
        "We migrated to Postgres\nand kept Redis.",
        "To: Kafka, Redis\nSubject: the upgrade",
    ],
)
def test_office_prose_cues_stay_quiet_on_things(pii: PresidioDetector, text: str) -> None:
    """The same conventions before software, words and places name no one."""
    assert [(f.entity_type, text[f.start : f.end]) for f in pii.find(text)] == []
