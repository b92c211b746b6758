"""Spans the NER model tags as a person that read as something else by their neighbours.

Three look-alikes the real-name benchmark (``bench/real_names.py``) showed, each judged by a
word next to the span rather than by the span's own words, which can be names:

* a noun phrase of another language opened by its determiner or possessive ("für Ihre
  Nachricht", "votre Commande", "uw Bestelling"): German capitalises every noun, and the
  small English model takes two capitalised words for a name. Determiners that are also
  names or name particles ("Das", "Des", "Una", "Uma", "De", "La") are not listed;
* software after a verb that only software takes ("configure Hudson to poll", "install
  Sentry"), even a word that is also a name: nobody installs or configures a person;
* a browser, platform or runtime after a verb of failing or running and "on" or "in"
  ("Login fails on Safari", "crashes on Ray"), if the word is a technology term, also one
  that is a name (``data/tech_ambiguous.txt``): a person is seldom where software fails.

A possessive after the span keeps it ("configure Anna's laptop", "crashes on Maria's
phone"): it is a person's thing then.
"""

from __future__ import annotations

import re

from detectors.ner_lexicon import Lexicon, normalise

# Determiners and possessives of German, Dutch, French, Spanish, Portuguese and Italian
# that open a noun phrase and are no name or name particle.
_OTHER_DETERMINERS = frozenset({
    "ihre", "ihr", "ihren", "ihrem", "ihrer", "ihres", "eine", "einen", "einem", "einer",
    "eines", "meine", "meinen", "meinem", "unser", "unsere", "unseren", "unserem", "eure",
    "deine", "dieser", "diese", "diesen", "diesem", "jede", "jeden", "keine", "uw", "mijn",
    "onze", "deze", "dit", "het", "een", "votre", "vos", "notre", "nos", "cette", "ces",
    "une", "mes", "tes", "ses", "leur", "leurs", "los", "las", "sus", "nuestro", "nuestra",
    "vuestro", "esta", "este", "seu", "sua", "seus", "suas", "nosso", "nossa", "vostro",
    "vostra", "nostro", "nostra", "questo", "questa",
})  # fmt: skip
# The word before a span, and the words before it ("fails on ", "configure ").
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+\Z")
_FAILS_ON = re.compile(
    r"\b(?:fails?|failing|failed|crash(?:es|ed|ing)?|breaks?|broken|hangs?|freezes|runs?|"
    r"running|tested|reproducible|reproduces|renders?|rendering|supported|unsupported|"
    r"works|worked|installed|deployed|hosted)[ \t]+(?:on|in|under)[ \t]+\Z",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s?\b")
# Verbs whose object is software and never a person.
_SOFTWARE_VERBS = frozenset({
    "install", "installs", "installed", "installing", "reinstall", "uninstall", "configure",
    "configures", "configured", "configuring", "reconfigure", "redeploy", "containerise",
    "containerize", "dockerise", "dockerize", "self-host", "provision", "recompile",
})  # fmt: skip


def look_alike(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether the span ``text[start:end]`` is one of the look-alikes of the module
    docstring: by the word it opens with, or the words before it."""
    first = re.match(r"[^\W\d_]+", text[start:end])
    if first is not None and normalise(first.group()) in _OTHER_DETERMINERS:
        return True
    before = text[max(0, start - 40) : start]
    word = _WORD_BEFORE.search(before)
    if word is not None and normalise(word.group(1)) in _OTHER_DETERMINERS:
        return True
    if word is not None and normalise(word.group(1)) in _SOFTWARE_VERBS:
        return not _POSSESSIVE.match(text, end)  # "configure Anna's laptop": a person's
    if _FAILS_ON.search(before) and not _POSSESSIVE.match(text, end):
        words = normalise(text[start:end]).split()
        return all(w in lexicon.ambiguous or lexicon.is_tech(w) for w in words)
    return False
