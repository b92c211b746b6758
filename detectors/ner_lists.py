"""Lists of things: a span listed with software is software, as the list's other items are.

A text names several products at once in a list ("Our stack: Parca, Ventura, Statamic and
Pekko", "Compare Delta Lake, AssertJ and Mithril", "Tech stack: Exynos · Vermeer ·
Workato"), and the small English model tags the names it does not know in it as people and
places. A list holds things of one kind, so one item that is evidently software makes the
others software too, wherever the item stands in the list (the NER filter's neighbour test,
:func:`detectors.ner_products.linked_to_tech`, looks at the next item only, and only at names
on our lists). An item is evidently software by its spelling, which no name or place has
(:func:`evident_software`): capitals inside ("MassTransit", "OpenEBS"), a digit joined to
letters ("Radare2", "ggplot2", "ESP32"), a dotted name ("Three.js"), a lowercase word on no
list ("knitr", "gVisor"); or by being a technology name of ours ("Kafka").

A list is read within one sentence or line: items separated by commas, "·", "/" or "+",
the last one by "and", "or", "nor" or "vs"; an item is one to three words. The span must be
an item by itself (a determiner and a technical adjective may stand before it: "a
self-hosted Kopia"), so "Anna and Bob from Kafka support" is no list of software.

A list may also say what it holds before its colon ("Our stack: ...", "Tools we evaluated
last quarter: ...", "Renovate opened 9 PRs this week: ...", "We shortlisted three vendors:
..."): its items are software then whatever their names ("Grace Hopper", "Apollo Lake"),
as people and towns are listed under other heads ("Attendees:", "Our offices:"), unless the
head names people too ("Stack owners:", "Tools team:").
"""

from __future__ import annotations

import re

from detectors.ner_language import foreign_sentence
from detectors.ner_lexicon import Lexicon, normalise
from detectors.ner_places import TOPONYM_ENDINGS
from detectors.ner_spelling import code_case
from detectors.ner_words import word_set
from detectors.text_regions import is_identifier

__all__ = ["evident_software", "listed_with_software", "radar_item"]

# What ends the stretch of text a list is read in: a sentence end, a colon, a line break.
_LIST_EDGE = re.compile(r"[.!?;:](?=\s|\Z)|\n")
_ASIDE = re.compile(r"\([^()\n]*\)")
# Heads of a list of software, before its colon ("Our stack:", "Tools we evaluated:", "9 PRs
# this week:", "three vendors:"), and words of people that make the head theirs ("Stack
# owners:", "Tools team:", "Vendors' contacts:").
_SOFTWARE_HEADS = word_set(
    "stack stacks tools tooling toolchain dependencies deps libraries libs frameworks "
    "packages plugins extensions integrations vendors products prs pull-requests bumps "
    "upgrades databases runtimes"
)
_PEOPLE_HEADS = word_set(
    "owner owners maintainer maintainers team teams reviewer reviewers contact contacts "
    "people person attendees engineers developers authors members member lead leads "
    "staff users customers contributors assignees approvers experts speakers hires "
    "candidates champions admins administrators who whom by"
)
_HEAD_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# What separates the items of a list.
# A comma needs a blank after it: "Ann Lee,ann_lee,Finance" is a row of a CSV file.
_SEPARATOR = re.compile(
    r"[ \t]*,[ \t]+(?:(?:and|or|nor)[ \t]+)?|[ \t]*[·•+][ \t]*|[ \t]+/[ \t]+"
    r"|[ \t]+(?:and|or|nor|vs\.?|versus)[ \t]+"
)
# What may stand before an item: a determiner, then adjectives a product takes.
_ITEM_LEAD = re.compile(
    r"(?:(?:a|an|the|our|their|its)[ \t]+)?"
    r"(?:(?:self-hosted|hosted|managed|legacy|vanilla|upstream|plain|stock|open-source|"
    r"on-prem|cloud|embedded|patched)[ \t]+)?",
    re.IGNORECASE,
)
_ITEM = re.compile(r"[^\W_][\w.+#'’-]*(?:[ \t]+[^\W_][\w.+#'’-]*){0,2}")
# Words that open a place's name ("Port Jessica", "Lake Annetteborough").
_TOPONYM_HEADS = word_set("saint st north south east west new port lake mount fort san santa")
# The capitalised words ending a list's first piece, opening its last one (up to three).
_CAPITALISED_TAIL = re.compile(r"(?:[A-Z][\w.+#'’-]*[ \t]+){0,2}[A-Z][\w.+#'’-]*\Z")
_CAPITALISED_HEAD = re.compile(r"[A-Z][\w.+#'’-]*(?:[ \t]+[A-Z][\w.+#'’-]*){0,2}(?=[ \t]|\Z)")
# A digit joined to letters, as in a product's name ("Radare2", "O3DE", "Cocos2d").
_DIGIT_IN_WORD = re.compile(r"[^\W\d_]\d|\d[^\W\d_]")
# Letters and digits as prose writes them: quarters, halves, fiscal years, ordinals,
# amounts and times ("Q3", "H1", "FY24", "B2B", "3rd", "10k", "9am", "2x").
_PROSE_NUMBER = re.compile(
    r"(?i)q[1-4]|h[12]|fy\d{2,4}|b2[bc]|\d+(?:st|nd|rd|th|k|m|bn|am|pm|x|h|s|min|d|y)"
)
# A dotted name with a lowercase extension ("Three.js", "Sails.js", "Vert.x").
_DOTTED = re.compile(r"[^\W_]\.[a-z]{1,4}\Z")


def evident_software(item: str, lexicon: Lexicon, *, english: bool = True) -> bool:
    """Whether an item of a list names software by its spelling or our lists (module
    docstring): no person or place is spelt so. In a sentence of another language
    (``english`` false) a lowercase word on no list is one of its words ("voilà")."""
    words = item.split()
    if any(
        code_case(w)
        or is_identifier(w)
        or (_DIGIT_IN_WORD.search(w) and not _PROSE_NUMBER.fullmatch(w.strip(".,;:!?")))
        or _DOTTED.search(w)
        for w in words
    ):
        return True
    lowered = [normalise(w).rstrip(".") for w in words]
    if english and words[0][:1].islower() and all(lexicon.unknown(w) for w in lowered):
        return True  # "knitr", "gVisor": lowercase and on no list
    # a technology name of ours that is no plain word ("Please" and "Report" are on the
    # curated list as words the model mistakes for names, "Flask" is a word too)
    return all(lexicon.is_tech(w) and w not in lexicon.english for w in lowered) or (
        len(lowered) > 1 and lexicon.is_tech(" ".join(lowered))
    )


# A ring of a technology radar and its items ("Adopt: Cribl, Hangfire", "Hold: Authelia").
# Only items of one to three capitalised words, separated by commas ("Hold: Ann Lee will
# call back" is a sentence).
_RADAR_ITEM = r"[A-Z][\w.+#-]*(?:[ \t]+[A-Z][\w.+#-]*){0,2}"
_RING = re.compile(
    rf"(?im)^[ \t>*•-]*(?:adopt|trial|assess|hold)[ \t]*:[ \t]*"
    rf"((?-i:{_RADAR_ITEM}(?:[ \t]*,[ \t]*{_RADAR_ITEM})*))[ \t]*$"
)


def radar_item(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is an item of a ring of a technology radar: a line opened
    by "Adopt:", "Trial:", "Assess:" or "Hold:" in a text with two such lines or more
    ("Adopt: Ada Lovelace, KeyDB\nTrial: Nushell, Gitpod"); its items are technologies
    however few they are, and whatever their names."""
    if ":" not in text:
        return False
    rings = list(_RING.finditer(text))
    return len(rings) >= 2 and any(m.start(1) <= start and end <= m.end(1) for m in rings)


def listed_with_software(
    text: str, start: int, end: int, lexicon: Lexicon, *, strict: bool = False
) -> bool:
    """Whether ``text[start:end]`` is an item of a list whose other items include one that
    is :func:`evident_software`, or, unless ``strict``, of three or more items, half of
    which or more hold no name or place of ours (nor does the span). ``strict`` (a span with
    a first name, or shaped as a place: "Jasper Lake") asks for two evident items."""
    edges = [m.end() for m in _LIST_EDGE.finditer(text, max(0, start - 300), start)]
    left = edges[-1] if edges else max(0, start - 300)
    stop = _LIST_EDGE.search(text, end, end + 300)
    right = stop.start() if stop is not None else min(len(text), end + 300)
    # asides in parentheses ("Genoa (cheapest), Xamarin (best docs)") are no items
    segment = _ASIDE.sub(lambda m: " " * len(m.group()), text[left:right])
    items: list[str] = []
    mine = -1
    at = 0
    separators = list(_SEPARATOR.finditer(segment))
    for index, separator in enumerate([*separators, None]):
        stop_at = separator.start() if separator is not None else len(segment)
        piece = segment[at:stop_at]
        lead = _ITEM_LEAD.match(piece.strip())
        body = piece.strip()[lead.end() if lead else 0 :].strip()
        # the list's first item ends its clause ("Compare [Authelia]"), its last one opens
        # the rest of the sentence ("and [Spacelift] for a team of eight")
        if index == 0 and len(separators) > 1 and (opening := _CAPITALISED_TAIL.search(body)):
            body = opening.group()
        elif separator is None and index > 1 and (closing := _CAPITALISED_HEAD.match(body)):
            body = closing.group()
        if left + at <= start and end <= left + stop_at:
            if body != text[start:end].strip():
                return False  # the span is part of a longer phrase: no item of a list
            mine = len(items)
        items.append(body if _ITEM.fullmatch(body) else "")
        if separator is not None:
            at = separator.end()
    if mine < 0 or len(items) < 2 or not items[mine]:
        return False
    others = [item for index, item in enumerate(items) if index != mine and item]
    if others and _software_head(text, left):
        return True  # "Our stack: Atlantis, Emerald Rapids and Contiki"
    english = not foreign_sentence(text, start, end)
    evident = sum(evident_software(item, lexicon, english=english) for item in others)
    if strict:
        return evident >= 2  # "Jasper Lake" among "KeyDB" and "LeakCanary"
    if evident:
        return True
    # a list of three or more words on no list of names or places, half of them at least:
    # things, as a list of people holds names we know ("Dioxus, Bullseye, Grails, Codeium")
    if not english or not _no_name(items[mine], lexicon):
        return False  # another language's words are on no list of ours either
    unnamed = sum(_no_name(item, lexicon) for item in others)
    return unnamed >= 2 and 2 * unnamed >= len(others)


def _software_head(text: str, left: int) -> bool:
    """Whether a colon ends the text before ``left`` (a list's start) after a head that names
    software and no people (module docstring): "Our stack:", "Tools we evaluated last
    quarter:", "Renovate opened 9 PRs this week:"."""
    if text[max(0, left - 1) : left] != ":":
        return False
    edges = [m.end() for m in _LIST_EDGE.finditer(text, max(0, left - 81), left - 1)]
    head = text[edges[-1] if edges else max(0, left - 81) : left - 1]
    words = {normalise(w).rstrip("'’") for w in _HEAD_WORD.findall(head)}
    return not words.isdisjoint(_SOFTWARE_HEADS) and words.isdisjoint(_PEOPLE_HEADS)


def _no_name(item: str, lexicon: Lexicon) -> bool:
    """Whether no word of ``item`` is a first name, surname or place of ours, nor shaped as
    a place ("Port Jessica", "Annetteborough")."""
    return not any(
        lexicon.is_name(w)
        or w in lexicon.places
        or w in lexicon.streets
        or w in _TOPONYM_HEADS
        or w.endswith(TOPONYM_ENDINGS)
        for w in (normalise(word).rstrip(".") for word in item.split())
    )
