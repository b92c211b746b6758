"""Addresses and places among NER findings: the type a PERSON or LOCATION span really has.

The small English model tags street names as people ("Oak Crescent", "Kaulring") and
people as places ("hey Stephan"). :func:`retyped` corrects the type: a PERSON that is part
of an address (next to a street word or a house number, after a postcode or a street type
written first, a toponym such as "North X" or "X-sur-Mer", a known place that is no name)
is a LOCATION, and a LOCATION made only of personal names is a PERSON, as is one made of
words on no list after a cue ("my wife Danielle"). :func:`place_like` is the test for a
street, a town or another place that the filter also asks before judging a span a product.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.scanning import Finding
from detectors.ner_lexicon import Lexicon, normalise
from detectors.ner_words import span_words, word_set

__all__ = ["THE_PLACES", "TITLES", "TOPONYM_ENDINGS", "place_like", "retyped"]

#: Places and peoples written with "the" ("the Hague", "the Netherlands").
THE_PLACES = word_set(
    "netherlands philippines bahamas gambia hague congo sudan ukraine bronx caribbean "
    "balkans alps andes himalayas midlands maldives seychelles crimea arctic antarctic "
    "mediterranean sahara amazon thames rhine danube nile pacific atlantic vatican gulf "
    "uk us usa uae emirates riviera highlands lowlands ruhr americas dutch french british "
    "germans irish scots welsh"
)
#: Titles before a name ("Dr.", "Madame", "Sig.ra"): what follows is a person.
TITLES = word_set(
    "mr mrs ms miss dr prof sir dame herr frau mme mlle m madame monsieur dott dott.ssa sig "
    "sig.ra sig.na "
    "sr sra srta ing dipl dipl.-ing univ univ.prof mag"
)
#: Endings of place names ("Lapland", "Yorkshire", "Charlottesville", "Göttingen").
TOPONYM_ENDINGS = (
    "land", "shire", "ville", "berg", "burg", "burgh", "borough", "bury", "town", "stad",
    "stadt", "mouth", "haven", "ford", "chester", "furt", "heim", "hausen", "dorf", "ingen",
    "port", "side", "view", "field", "fort", "ton",
)  # fmt: skip
# Words that open a place name ("North Ericton", "Saint-Malo", "Port James").
_TOPONYM_HEADS = word_set(
    "saint sainte st ste north south east west new port lake mount fort san santa são sankt "
    "bad lower upper great little"
)
# Glued German street types ("Kaulring", "Mielcarekallee", "Schenkstr.").
_STREET_ENDINGS = ("straße", "strasse", "str", "allee", "gasse", "weg", "ring", "platz", "damm")
# Street types written before the name ("rue Maillard", "chemin de Lacombe", "via Roma").
_STREET_HEADS = word_set(
    "rue avenue boulevard bd chemin allée allee impasse quai cours route place via viale "
    "piazza corso strada vicolo largo calle avenida rua camino paseo plaza carrer travessa"
)
_STREET_AFTER = re.compile(r"[ \t]+([A-Z][A-Za-zß]*)")
_HOUSE_NUMBER_BEFORE = re.compile(r"(?:^|[\s,])\d+[A-Za-z]?(?:-\d+)?,?[ \t]+\Z")
_POSTCODE_BEFORE = re.compile(r"(?:,|^)[ \t]*(?:[A-Z]{1,2}-)?\d{4,5}[ \t]+\Z", re.M)
_TOPONYM_JOINT = re.compile(r"-(?:sur|sous|la|le|les|lès|en|de|du|des|aux|am|an|im|bei)-", re.I)


def retyped(text: str, finding: Finding, lexicon: Lexicon, *, cued: Callable[[], bool]) -> Finding:
    """The finding with its type corrected: addresses and places are LOCATIONs,
    a LOCATION made of personal names only, or of words on no list after a cue
    ("my wife Danielle"), is a PERSON."""
    if finding.entity_type == "PERSON":
        return _address(text, finding, lexicon) or finding
    if finding.entity_type != "LOCATION":
        return finding
    words = span_words(text, finding.start, finding.end)
    if place_like(text, finding.start, finding.end, words, lexicon):
        return finding
    if _personal(text, finding, lexicon) or (_unlisted(text, finding, lexicon) and cued()):
        return Finding("PERSON", finding.start, finding.end, finding.score, finding.detector)
    return finding


def _address(text: str, finding: Finding, lexicon: Lexicon) -> Finding | None:
    """The PERSON as a LOCATION if it is part of an address or a place."""
    start, end = finding.start, finding.end
    words = span_words(text, start, end)
    if not words:
        return None
    before = text[max(0, start - 12) : start].split()[-1:]
    if words[0] in TITLES or (before and normalise(before[0]).rstrip(".") in TITLES):
        return None  # "Madame Toerring", "Dr. Kesselring": a person, whatever the ending
    street = _STREET_AFTER.match(text, end)
    if street is not None and normalise(street.group(1)) in lexicon.streets:
        end = street.end()
    elif not place_like(text, start, end, words, lexicon):
        return None
    return Finding("LOCATION", start, end, finding.score, finding.detector)


def place_like(text: str, start: int, end: int, words: list[str], lexicon: Lexicon) -> bool:
    """Whether the span (its words ``words``) reads as a street, a town or another place."""
    last = words[-1].rsplit("-", 1)[-1]
    if words[-1] in lexicon.streets or last in lexicon.streets:
        return True
    if last.endswith(_STREET_ENDINGS) and not lexicon.is_name(last) and len(last) > 6:
        return True  # "Kaulring", "Schenkstr."
    before = text[max(0, start - 30) : start]
    previous = before.split()[-1:] or [""]
    if normalise(previous[0]).rstrip(",") in _STREET_HEADS:
        return True  # "rue Maillard", "chemin de Lacombe"
    if _POSTCODE_BEFORE.search(before):
        return True  # "46555 Waren"
    if _HOUSE_NUMBER_BEFORE.search(before) and len(words) > 1:
        return True
    if len(words) > 1 and words[0] in _TOPONYM_HEADS:
        return True
    if _TOPONYM_JOINT.search(text[start:end]):
        return True
    if len(words) == 1 and words[0].endswith(TOPONYM_ENDINGS) and not lexicon.is_name(words[0]):
        return len(words[0]) > 6
    return all(w in lexicon.places and not lexicon.is_name(w) and len(w) > 3 for w in words)


def _unlisted(text: str, finding: Finding, lexicon: Lexicon) -> bool:
    """Whether the span could be a name: its first word a name or on no list, the
    others too or a place (surnames are places often: "Isa Paolini"); no common word."""
    words = span_words(text, finding.start, finding.end)
    parts = [p for w in words if w not in TITLES for p in w.split("-") if p]
    return (
        bool(parts)
        and (lexicon.is_name(parts[0]) or lexicon.unknown(parts[0]))
        and all(lexicon.is_name(p) or lexicon.unknown(p) or lexicon.places_only(p) for p in parts)
    )


def _personal(text: str, finding: Finding, lexicon: Lexicon) -> bool:
    """Whether a LOCATION span is made of personal names and of no place."""
    words = [w for w in span_words(text, finding.start, finding.end) if w not in TITLES]
    parts = [p for w in words for p in w.split("-") if p]
    if not parts or any(p in lexicon.places for p in parts):
        return False
    if text[max(0, finding.start - 6) : finding.start].lower().endswith((" in ", " near ")):
        return False  # "a meeting in Laurent"
    if parts[0] not in lexicon.first_names:
        return False
    if all(lexicon.is_name(p) for p in parts):
        return True
    # a first name and words that are no common word or place ("Hans-Erich Kaul-Döring")
    rest = parts[1:]
    return not any(p in lexicon.english or p in lexicon.streets for p in rest)
