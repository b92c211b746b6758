"""People the small NER model labels as organisations.

``en_core_web_sm`` tags a person's full name as ORG about as often as PERSON when the
sentence around it says little ("Follow up with Karen Mason in a couple of months", "The
cardholder Lydia Nkrumah says ...", "Christie Montoya lives at ..."), and more often for
names of other languages. Presidio asks only for the configured types, so those spans
were dropped unseen. A span the model calls an organisation has a person's shape when it
is two or three capitalised words, the first a known first name and the others surnames
or words on no list (:func:`people_read_as_organisations`); an organisation's form ("Ltd",
"Group"), a dictionary word ("Spring Sale", "Jasper Lake", "General Availability") or a
technology name in it keeps it an organisation. The spans found are judged afterwards by
:class:`detectors.ner_filter.NerFilter` like the model's PERSONs (trade names, code).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from core.scanning import Finding
from detectors.name_cues import CUED_SCORE
from detectors.name_tables import ORGANISATION_ENDS
from detectors.ner_lexicon import Lexicon

#: The spaCy label of an organisation.
ORG_LABEL = "ORG"
# Articles and particles of other languages that are first names as well ("El Capitan",
# "La Mer", "Van Halen"): a name of a thing more often than of a person.
_ARTICLES = frozenset({"el", "la", "le", "les", "los", "las", "il", "lo", "de", "du", "da",
                       "van", "von", "der", "den", "di", "del", "al", "san", "santa"})  # fmt: skip
# A capitalised word of letters, with a hyphen or apostrophe inside ("Ní-Bhriain", "O'Neil").
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[-'’](?=[^\W\d_]))*")


def people_read_as_organisations(
    text: str, spans: Iterable[tuple[int, int]], lexicon: Lexicon, taken: Sequence[Finding] = ()
) -> list[Finding]:
    """PERSON findings for the organisation ``spans`` of ``text`` (the model's ORG
    entities) that have a person's shape (module docstring) and overlap none of
    ``taken``."""
    found: list[Finding] = []
    for start, end in spans:
        if _person_shaped(text[start:end], lexicon) and all(
            end <= f.start or start >= f.end for f in [*taken, *found]
        ):
            found.append(Finding("PERSON", start, end, CUED_SCORE, "presidio"))
    return found


def _person_shaped(span: str, lexicon: Lexicon) -> bool:
    words = span.split(" ")
    if not 2 <= len(words) <= 3 or not all(_capitalised(word) for word in words):
        return False
    first, *rest = (word.lower() for word in words)
    return (
        first in lexicon.first_names
        and first not in _ARTICLES
        and not _also_a_thing(first, lexicon)
        and all(_surname(word, lexicon) for word in rest)
    )


def _also_a_thing(word: str, lexicon: Lexicon) -> bool:
    """Whether ``word`` is a name that is also a dictionary word or a technology's name
    ("Silver Phoenix", "Sierra Forest", "Ted Baker", "Jasper Lake"): what the model calls
    an organisation then is most often one, a brand or a codename."""
    return word in lexicon.english_names or word in lexicon.ambiguous


def _capitalised(word: str) -> bool:
    return _NAME_WORD.fullmatch(word) is not None and word[0].isupper() and not word.isupper()


def _surname(word: str, lexicon: Lexicon) -> bool:
    """Whether ``word`` (lower case) may be a surname: a known name that is no dictionary
    word, place, technology or street word ("Okafor"; "Bianchi" is on the list of first
    names only), or a word on no list ("Nkrumah"); never an organisation's form."""
    if word in ORGANISATION_ENDS or len(word) < 2 or _also_a_thing(word, lexicon):
        return False
    if lexicon.is_name(word):
        return not (
            word in lexicon.curated
            or word in lexicon.tech
            or word in lexicon.streets
            or word in lexicon.places
        )
    return lexicon.unknown(word)
