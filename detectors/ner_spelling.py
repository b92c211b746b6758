"""Spans whose spelling says they are no name: written as code, short acronyms, shouting.

Read on manual pages, READMEs and changelogs (``bench/real_text_noise.py``): the model tags
identifiers written as code ("XPutImage", "RAdam", "Makefile.am", "io.BytesIO"), acronyms
("XS", "NSIG", "GB") and dictionary words in a line written in capitals ("WHAT DO I PRESS
NOW") as people and places. The NER filter (:mod:`detectors.ner_filter`) asks these three
questions of every PERSON, LOCATION or NRP span.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from detectors.ner_lexicon import STOP_WORDS_NO_NAMES, Lexicon, normalise
from detectors.ner_places import TITLES
from detectors.ner_words import WORD, span_words

__all__ = ["acronym", "code_case", "code_shaped", "shouted"]

# Capitals as code writes them: a run of capitals before a lowercase letter ("XPutImage",
# "HTTPServer", "RAdam") or after one ("MacOSX", "libXML"), or two inner capitals
# ("XRecordGetContext"); names have at most one inner capital, after a prefix ("McDonald",
# "DeShawn").
_CODE_CASE = re.compile(r"[A-Z]{2,}[a-z]|[a-z][A-Z]{2,}|[a-z][A-Z][^\W_]*[a-z][A-Z]")
# A lowercase letter after a dot inside the span: a file or dotted name ("Makefile.am").
_DOTTED_INSIDE = re.compile(r"[^\W_]\.[a-z]")
# Code before or after the span: an attribute ("io.BytesIO"), a call ("XPutImage()"), a
# scope ("B::Deparse"), an arrow.
_CODE_BEFORE = re.compile(r"(?:([A-Za-z_]\w*)\.|::|->|(?<![\w.])[+-])\Z")
_CODE_AFTER = re.compile(r"\(|::|->|\.[a-z_]")  # not a degree: "Ann Lee B.Sc."
# A technical compound adjective after the span ("Kqueue-based", "Babyl-specific").
_TECH_SUFFIX = re.compile(
    r"-(?:based|specific|style|compatible|like|enabled|aware|powered|backed|driven|only|"
    r"formatted|format|encoded|compliant|friendly|native|agnostic|capable|supported|"
    r"dependent|independent|centric|oriented|flavou?red|specified|defined)\b"
)
_LINE = re.compile(r"[^\n]*")
# Words that place the acronym after them ("in the UK", "offices across the EU").
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|from|to|across|within|throughout|near|around|outside|inside|at|visit|visited|"
    r"based|moved|relocated|headquartered)[ \t]+(?:the[ \t]+)?\Z",
    re.I,
)
# A town's name and a comma, or a postcode after: the acronym is a state or a country.
_TOWN_BEFORE = re.compile(r"[A-Z][a-z][\w'’.-]*,[ \t]*\Z")
_POSTCODE_AFTER = re.compile(r"[ \t]+\d{3,}")
# The label of a reference code right before a word in capitals: "reference NAMEBW",
# "booking ref: AQGGFE", "PNR KDPNKD", "voucher code SPRING".
_REFERENCE_BEFORE = re.compile(
    r"\b(?:reference|ref|booking|confirmation|pnr|locator|voucher|coupon|promo|order|ticket|"
    r"case|invoice|tracking|serial)\.?(?:[ \t]*(?:number|no\.?|nr\.?|#|id|code))?[ \t]*[:#]?"
    r"[ \t]*\Z",
    re.I,
)


def code_case(word: str) -> bool:
    """Whether ``word`` has capitals as code writes them and no name does ("RAdam")."""
    return _CODE_CASE.search(word) is not None


def code_shaped(text: str, start: int, end: int, spelt: Sequence[str]) -> bool:
    """Whether the span (its words as written: ``spelt``) is written as code is, or sits
    where code does: capitals as code writes them, a dotted file name, glued to an
    attribute, a call or a scope, or the head of a technical compound adjective."""
    span = text[start:end]
    if any(code_case(word) for word in spelt) or _DOTTED_INSIDE.search(span):
        return True
    before = _CODE_BEFORE.search(text[max(0, start - 40) : start])
    if before is not None and normalise(before.group(1) or "") not in TITLES:
        return True  # "Mr.Smith" is a title
    return bool(_CODE_AFTER.match(text, end) or _TECH_SUFFIX.match(text, end))


def acronym(
    text: str,
    start: int,
    end: int,
    words: list[str],
    *,
    entity: str,
    lexicon: Lexicon,
    cued: Callable[[], bool] = lambda: False,
) -> bool:
    """Whether the span is one word in capitals, in a line that is not, that names no one:
    a code after a reference's label (the booking reference "reference NAMEBW"), or a short
    acronym ("XS", "NSIG", "GB", "PUK"). In a line of small letters a first name alone is
    not written in capitals, so one counts only where a cue says a name starts ("Ask KIM
    about ..."; ``cued()``); a surname alone may be (the French way: "DUPONT"). As a
    LOCATION a known place, or one after a word that places it ("in the UK", "from NYC"),
    stays a place."""
    span = text[start:end]
    if len(words) != 1 or not span.isupper() or len(span) < 2 or "." in span:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line = _LINE.match(text, line_start)
    if line is None or not any(ch.islower() for ch in line.group()):
        return False  # a line in capitals: a name is written so there too
    if _REFERENCE_BEFORE.search(text, max(line_start, start - 32), start):
        return True
    if len(span) > 5:
        return False
    word = words[0]
    if entity == "PERSON":
        if word in lexicon.surnames:
            return False
        return not lexicon.is_name(word) or not cued()
    if entity != "LOCATION" or word in lexicon.places:
        return False
    if _TOWN_BEFORE.search(text[max(0, start - 40) : start]) or _POSTCODE_AFTER.match(text, end):
        return False  # a state in an address ("Kylefurt, MA 76024")
    return not _LOCATIVE_BEFORE.search(text[max(0, start - 24) : start])


def shouted(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether the span is a dictionary word written in capitals in a line of capitals."""
    span = text[start:end]
    if not span.isupper():
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line = _LINE.match(text, line_start)
    others = WORD.findall(text[line_start:start] + " " + text[end : line.end() if line else end])
    lettered = [w for w in others if len(w) > 1]
    if len(lettered) < 3 or any(not w.isupper() for w in lettered):
        return False
    return all(
        w in lexicon.english or w in lexicon.english_names or w in STOP_WORDS_NO_NAMES
        for w in span_words(text, start, end)
    )
