"""Words on no list in a sentence about software: product names nobody listed.

Our lists hold some hundred thousand technology names, but new products appear every week
("Oozie", "Kopia", "Yunikorn"), and the small English model tags a capitalised word it does
not know as a person or a place. A person's or a town's name is mostly on our lists of
names and places (tens of thousands from many countries); a product's is mostly on none. So
one capitalised word on no list at all (:meth:`~detectors.ner_lexicon.Lexicon.unknown`), not
shaped as a place ("Kathyside", "Port Jessica"), is taken for a product when its sentence is
evidently about software (:func:`technical_sentence`):

* another word of it is a technology name of ours ("Kafka", "kubernetes") or is spelt as
  software is ("MassTransit", "Radare2", "Three.js", ``snake_case``);
* it holds a release number ("4.2.1", "v3");
* it holds a noun or verb of software that is no word of other prose ("backend", "plugin",
  "crashed", "deploys", "OOM", "the docs").

A sentence is read with the one before and the one after it ("We already put Adreno in front
of it." after the sentence about its install).

A span of other words is software where its shape is a product's, not a person's or a
town's, in such a sentence: a dictionary word and a landscape's ("Sapphire Rapids",
:func:`toponym_codename`; also after a phrase about software or a verb that takes it:
"experience with Granite Rapids", "decommission Granite Rapids"), or its last word the model
cut off ("faalt Granite [Ridge]", :func:`cut_codename`); a dictionary word that is no name
before a name ("Binary Ninja", "Raspberry Pi", :func:`worded_product`), as people are named
by a first name and a surname.

The NER filter asks this only when no cue says a name starts at the word ("Reviewed-by:",
"the technician ..."), and for a LOCATION only when no preposition of place stands before it
("moved to Sonoma", "offices in Ballarat") outside a sentence about a migration ("Migration
guide: moving from Zeek to Okteto").
"""

from __future__ import annotations

import re

from detectors.ner_language import sentence_window
from detectors.ner_lexicon import Lexicon, normalise
from detectors.ner_lists import evident_software
from detectors.ner_products import after_product_verb, after_software_phrase
from detectors.ner_words import word_set

__all__ = [
    "cut_codename",
    "technical_sentence",
    "toponym_codename",
    "unlisted_product",
    "worded_product",
]

# A stop before a blank, or a line break; a stop that ends a line ends one sentence, not two.
_SENTENCE_END = re.compile(r"[.!?](?=\s)(?:[ \t]*\n)?|\n")
_REACH = 200
_TOKEN = re.compile(r"[^\W_][\w.+#/'’-]*[\w+#]|[^\W_]")
_RELEASE = re.compile(r"\bv?\d+\.\d+\.\d+\b|\bv\d+(?:\.\d+)?\b")
# Nouns and verbs of software that other prose seldom uses.
_SOFTWARE_WORDS = word_set(
    "backend backends frontend cluster clusters config configs configured configuration "
    "plugin plugins api apis sdk sdks cli container containers containerised pipeline "
    "pipelines repo repos monorepo database databases cache caching queue queues pods pod "
    "latency throughput docs startup defaults proxy reverse-proxy exporter exporters "
    "integrations dashboards payloads scheduler webhooks licensing runtime framework "
    "frameworks library libraries dependency dependencies compile compiled benchmark "
    "benchmarks benchmarked schema schemas endpoint endpoints open-source self-hosted "
    "self-hosting crashed crashes crashing deploy deploys deployed redeploy nodes install "
    "installed installs upgrade upgraded upgrading downgrade migration migrating "
    "shader shaders sidecar daemon kubernetes k8s linux macos docker ci/cd ci cd oom "
    "build builds rebuild vendors vendor tooling changelog release releases version "
    "versions dev devs prod staging timeout timeouts ram cpu gpu ssd firmware sso crash "
    "restart restarts restarted bash one-liner feat chore refactor stack embedded prs"
)
# Words of landscapes that name chips, releases and products as often as places ("Snow
# Ridge", "Sierra Forest"), beside the street words of ``data/street_types.txt``.
_LANDSCAPE = word_set(
    "ridge ridges forest point range bridge lake lakes rapids valley peak peaks canyon creek "
    "falls springs harbor harbour bay cove hollow mesa summit glacier island islands"
)
# Work and skill "in" a tool ("shader work in Codeium"), after a word of its trade.
_SKILLS = word_set("work experience skills knowledge expertise development programming")
_SKILLED = word_set("shader game mobile web frontend backend data ml devops infra")
_MIGRATION = re.compile(r"\bmigrat\w*|\bmigrer\b|\bmigrieren\b", re.IGNORECASE)
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|near|from|to|into|of|around|outside|across|visit|visiting|based)[ \t]+"
    r"(?:the[ \t]+)?\Z",
    re.IGNORECASE,
)


def technical_sentence(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether the sentence around ``text[start:end]``, the span aside, is evidently about
    software (module docstring)."""
    # the sentence and the one before and after it: "We already put Adreno in front of
    # it" follows the sentence that names the install
    sentence = sentence_window(
        text, start, end, ends=_SENTENCE_END, reach=_REACH, around=1, skip_blank=True
    )
    for piece in sentence:
        if _RELEASE.search(piece):
            return True
        for token in _TOKEN.findall(piece):
            word = normalise(token).rstrip(".")
            if word in _SOFTWARE_WORDS or (word in lexicon.tech and not lexicon.is_name(word)):
                return True
            if (
                (token[:1].isupper() or "." in token)
                and not (token.isalpha() and token.isupper())  # "PLEASE", "TODAY": shouting
                and evident_software(token, lexicon)
            ):
                return True
    return False


def unlisted_product(
    text: str, start: int, end: int, words: list[str], lexicon: Lexicon, *, entity: str
) -> bool:
    """Whether the span is one capitalised word on no list in a sentence about software
    (module docstring); a place shape is asked of the caller."""
    span = text[start:end]
    if len(words) != 1 or not lexicon.unknown(words[0]) or not span[:1].isupper():
        return False
    if span.isupper():
        return False  # a word in capitals: a shouted line's, or an acronym (ner_spelling)
    if entity == "LOCATION" and _place_before(text, start, end):
        return False
    return technical_sentence(text, start, end, lexicon)


# What stands around a street or a town's name in an address: a house number before it,
# a flat, suite or postcode after it ("12 Snow Ridge", "Snow Ridge Apt. 4", "Snow Ridge,
# CA 90210").
_NUMBER_BEFORE = re.compile(r"\d[\w/-]*[ \t,]*\Z")
_ADDRESS_AFTER = re.compile(r",?[ \t]*(?:apt|suite|unit|flat|no\.|#|\d|[A-Z]{2}[ \t]+\d)", re.I)


def toponym_codename(
    text: str, start: int, end: int, words: list[str], lexicon: Lexicon, *, entity: str
) -> bool:
    """Whether the span is a dictionary word and a word of streets or landscapes ("Alder
    Lake", "Sapphire Rapids", "Snow Ridge", "Sun Valley"), perhaps after a brand on no list
    ("Xeon Sapphire Rapids"), no known place, outside an address, in a sentence about
    software: a codename of a chip, a release or a product (vendors name them so), as a town
    is seldom named in such a sentence. The dictionary word may be a name too ("Ivy
    Bridge", "Sandy Bridge"), or a word on no list ("Elkhart Lake"); a street is named after
    someone by a surname that is no word ("Jones Rapids")."""
    if not 2 <= len(words) <= 3 or not (words[-1] in lexicon.streets or words[-1] in _LANDSCAPE):
        return False
    first = words[-2]
    # a word on no list too ("Elkhart Lake"): a surname or a name of a street is on our lists
    named = first in lexicon.english or first in lexicon.english_names or lexicon.unknown(first)
    if not named or first in lexicon.places:
        return False
    if len(words) == 3 and not lexicon.unknown(words[0]):
        return False
    if " ".join(words) in lexicon.places or " ".join(words[-2:]) in lexicon.places:
        return False
    before = text[max(0, start - 30) : start]
    if _NUMBER_BEFORE.search(before) or _ADDRESS_AFTER.match(text, end):
        return False
    if entity == "LOCATION" and _place_before(text, start, end):
        return False
    # "experience with Granite Rapids", "decommission Granite Rapids": software's
    return (
        after_software_phrase(text, start)
        or after_product_verb(text, start)
        or technical_sentence(text, start, end, lexicon)
    )


def cut_codename(text: str, start: int, end: int, lexicon: Lexicon, *, entity: str) -> bool:
    """Whether the span is the last word of a :func:`toponym_codename` the model cut ("Ridge"
    of "faalt Granite Ridge af en toe"): the capitalised word before it on the same line
    and the span make one."""
    before = _CAPITALISED_BEFORE.search(text, max(0, start - 30), start)
    if before is None or " " in text[start:end].strip():
        return False
    opens = before.start(1)
    words = [normalise(w) for w in text[opens:end].split()]
    return toponym_codename(text, opens, end, words, lexicon, entity=entity)


def worded_product(
    text: str, start: int, end: int, words: list[str], lexicon: Lexicon, *, entity: str
) -> bool:
    """Whether a PERSON of two words is a dictionary word that is no name, place, verb or
    street's word, then a name ("Binary Ninja", "Raspberry Pi", "High Sierra"), in a sentence
    about software: a product's name, as people are named by a first name and a surname and
    a word before a name is a role, a greeting or a verb ("Engineer Anna", "Ask Maria")."""
    if entity != "PERSON" or len(words) != 2 or len(text[start:end].split()) != 2:
        return False
    word, name = words
    if (
        word not in lexicon.english
        or lexicon.is_name(word)
        or word in lexicon.english_names
        or word in lexicon.places
        or word in lexicon.streets
        or word in lexicon.verbs
        or not lexicon.is_name(name)
        or name in lexicon.english
    ):
        return False
    return technical_sentence(text, start, end, lexicon)


_CAPITALISED_BEFORE = re.compile(r"(?<![\w.-])([A-Z][a-z]+)[ ]\Z")


def _place_before(text: str, start: int, end: int) -> bool:
    """Whether a preposition of place stands before the span ("moved to Sonoma"), outside a
    sentence about a migration ("migrating from Chainer to Casdoor")."""
    preposition = _PLACE_BEFORE.search(text[max(0, start - 30) : start])
    if preposition is None or after_software_phrase(text, start):
        return False  # "a regression in Rocket Lake": software
    at = max(0, start - 30) + preposition.start()
    head = [normalise(w).strip(".,;:") for w in text[max(0, at - 40) : at].split()[-2:]]
    if (
        preposition.group().split()[0].lower() == "in"
        and len(head) == 2
        and head[1] in _SKILLS
        and head[0] in _SOFTWARE_WORDS | _SKILLED
    ):
        return False  # "shader work in Codeium", "backend experience in Tuist": a tool
    left = text[max(0, start - _REACH) : start]
    ends = list(_SENTENCE_END.finditer(left))
    sentence = left[ends[-1].end() :] if ends else left
    return not _MIGRATION.search(sentence)
