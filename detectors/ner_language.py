"""Whether a span of an NER finding stands in a sentence of another language than English.

The model is English (``en_core_web_*``). On German, Dutch, French, Spanish, Italian,
Portuguese, Polish, Czech, Slovak, Slovenian, Croatian, Scandinavian, Finnish, Estonian,
Hungarian, Romanian, Turkish or Greeklish prose (and Indonesian, Vietnamese, Albanian,
Tagalog, Catalan, Basque, Baltic, Icelandic, Afrikaans, Irish, Azerbaijani) it reads
capitalised nouns and verbs as people and places ("Der Dienst", "Atención al Cliente",
"Spiega", "Hasło", "Jeg", "Møte", "Pengaturan"): staff write in those languages. Its
guesses there are worth little, so the NER filter keeps a PERSON or LOCATION in such a
sentence only on evidence of its own (a cue, known names, a place's shape, a greeting or
title of the language: :func:`opened_name`; see :mod:`detectors.ner_filter`).

The language is told cheaply, by function words: the sentence around the span (its own words
left out, so that "Ana de la Cruz" does not make its sentence Spanish; a short one with its
neighbours) is of another language when it holds at least two function words of those
languages (``data/function_words.txt``; a lowercase word with a letter no English word holds,
"haseł", "zespołu", counts as one) and more of them than English stop words, or one and no
English stop word at all.
No marker is an English stop word or dictionary word ("die", "son", "per" are not markers),
so English prose never counts as foreign however many names it holds.

A sentence written in another script than Latin (Cyrillic, Greek, Arabic, Hebrew, the scripts
of India, Thai, Chinese, Japanese, ...) is of another language whatever its words: the
model has not read those scripts and tags their words at random ("Використовуйте",
"Παράθυρο", "ไฟล์"). It is told by its letters: more of the sentence's letters, the span's
own left out, are of other scripts than Latin ones, so that a name in Cyrillic in an English
sentence ("ask Иван Петров") is judged as English prose is, and a Latin name in a Russian
sentence ("Привет, Anna") as a name in another language is.
"""

from __future__ import annotations

import re

from detectors.ner_lexicon import STOP_WORDS, load_terms
from detectors.ner_words import word_set

__all__ = [
    "FOREIGN_MARKERS",
    "GREETING_WORDS",
    "JOINERS",
    "foreign_sentence",
    "grammar_capitalised",
    "opened_name",
    "other_script",
    "sentence_window",
    "signed_off",
]

#: Function words of the languages staff write in besides English (German, French, Spanish,
#: Dutch, Italian, Portuguese, Polish, Czech, Slovak, Slovenian, Croatian, Danish, Norwegian,
#: Swedish, Finnish, Estonian, Hungarian, Romanian, Turkish, Greek in Latin script; from
#: spaCy's stop word lists Indonesian and Malay, Vietnamese, Albanian, Tagalog, Catalan,
#: Basque, Lithuanian, Latvian, Icelandic, Afrikaans, Irish, Azerbaijani) that are no English
#: stop word or dictionary word (a test keeps it so): ``function_words.txt``.
FOREIGN_MARKERS = frozenset(" ".join(load_terms("function_words.txt")).split())
#: Markers that join the parts of a name ("Ana de la Cruz", "von und zu").
JOINERS = word_set("von und zu de la le van der den da di del della du des dos das el al af av")
_ENGLISH = frozenset(STOP_WORDS)
# Letters of other Latin alphabets that no English word holds, loanwords included ("café",
# "naïve" hold none): a lowercase word with one is a word of another language ("haseł",
# "zespołu", "kérem") and counts as a marker. Capitalised words are left out: names. Baltic,
# Albanian, Esperanto and Vietnamese letters too ("kļūda", "įrašas", "përdoruesi", "ĉiuj",
# "thư mục").
_FOREIGN_LETTERS = frozenset(
    "ąćęłńśźżřěůťďňľĺŕøåæőűşğıțșăâãõçðþß"
    + "āēīūķļņģėįųđơưĉĝĥĵŝŭë"
    + "".join(map(chr, range(0x1EA0, 0x1EFA)))
)
# Letters of the Latin alphabets (with their accented forms and Vietnamese's), and letters
# of every other script.
_LATIN_LETTERS = "A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATIN = re.compile(f"[{_LATIN_LETTERS}]")
_OTHER_SCRIPT = re.compile(f"[^\\W\\d_{_LATIN_LETTERS}]")
# A sentence of fewer letters than this is judged by its script with its neighbours.
_FEW_LETTERS = 24
# A word of prose: letters alone between spaces and punctuation, not a part of a domain,
# path or identifier ("example.de", "el.click()", "le_client" hold no French or Spanish).
_WORDS = re.compile(r"(?<![\w.@/-])[^\W\d_]+(?![\w@/-]|\.\w)")
# A sentence ends at a stop or a colon before a space ("Translate to English: <German>"),
# or at a line break; it is read up to this far on either side of the span (a long line is
# judged by its neighbourhood).
_SENTENCE_END = re.compile(r"[.!?:](?=\s)|\n")
_REACH = 240
# Greetings, sign-offs and titles of those languages after which a name follows, on the same
# line or the next ("Cześć Agnieszka", "Pan Kowalski", "Pozdrawiam\nJan Nowak").
_GREETINGS = load_terms("name_greetings.txt")
#: The greetings of one word, as the NER filter trims them off a span ("Cześć Agnieszka").
GREETING_WORDS = frozenset(g for g in _GREETINGS if " " not in g)
# Words German capitalises by its grammar alone, never a name: the pronouns of formal address
# ("Bitte speichern Sie Ihre Arbeit", "erhalten Sie"), wherever they stand in a sentence, and
# Spanish's "Usted"; and the plurals of people in both genders that open letters ("Liebe
# Kolleginnen und Kollegen", "Mitarbeiterinnen"): a name does not end in "-innen".
_ADDRESS_PRONOUNS = frozenset(
    {"Sie", "Ihnen", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihres", "Euch", "Euer", "Eure"}
    | {"Usted", "Ustedes"}
)
_GENDERED_PLURAL = re.compile(r"[A-ZÄÖÜ][a-zäöüß]{3,}innen")
_OPENERS = "|".join(
    re.escape(o).replace(r"\ ", r"[ \t]+")
    for o in sorted(_GREETINGS | load_terms("name_titles.txt"), key=len, reverse=True)
)
_OPENER_BEFORE = re.compile(rf"(?<!\w)(?i:{_OPENERS})\.?[ \t]*,?[ \t]*\n?[ \t]*\Z")
_OPENER_AT = re.compile(rf"(?i:{_OPENERS})(?!\w)\.?[ \t]*,?[ \t]*\n?[ \t]*(?=\w)")


def sentence_window(
    text: str,
    start: int,
    end: int,
    *,
    ends: re.Pattern[str],
    reach: int,
    around: int = 0,
    skip_blank: bool = False,
) -> tuple[str, str]:
    """The sentence around ``text[start:end]``, the span aside, as (the text before the span,
    the text after it), read up to ``reach`` characters on either side: from the end
    (``ends``) of the sentence ``around`` sentences before the span's, to the end of the one
    ``around`` sentences after it. ``skip_blank``: blanks alone between two ends, or between
    an end and the span, are no sentence (a blank line; "Done.\n[span]")."""
    left = text[max(0, start - reach) : start]
    right = text[end : end + reach]
    lefts: list[int] = []
    rights: list[int] = []
    edge = len(left)
    for m in reversed(list(ends.finditer(left))):
        if not skip_blank or left[m.end() : edge].strip():
            lefts.insert(0, m.end())
            edge = m.start()
    edge = 0
    for m in ends.finditer(right):
        if not skip_blank or right[edge : m.start()].strip():
            rights.append(m.start())
            if len(rights) > around:
                break  # the ends further on are not read
            edge = m.end()
    return (
        left[lefts[-1 - around] :] if len(lefts) > around else left,
        right[: rights[around]] if len(rights) > around else right,
    )


def foreign_sentence(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands in a sentence of another language than English;
    a sentence of fewer than three function words ("Nächster Termin am Donnerstag.",
    "Cordiali saluti, Amministrazione") is judged with its neighbours. A sentence mostly
    in letters of other scripts than Latin is of another language
    (:func:`other_script`)."""
    sentence = sentence_window(text, start, end, ends=_SENTENCE_END, reach=_REACH)
    foreign, english = _counts(*sentence)
    if foreign + english < 3:
        left = text[max(0, start - _REACH) : start]
        foreign, english = _counts(left, text[end : end + _REACH])
    # one marker is enough where no English word is ("Mit freundlichen Grüßen\nKatrin Vogel")
    if foreign > english and (foreign >= 2 or english == 0):
        return True
    other, latin = _letters(*sentence)
    if other + latin < _FEW_LETTERS:  # "Привет, [Anna]!": judged with its neighbours
        other, latin = _letters(text[max(0, start - _REACH) : start], text[end : end + _REACH])
    return other > latin


def other_script(*pieces: str) -> bool:
    """Whether more of the letters of ``pieces`` are of other scripts than Latin ones
    ("Файл не найден", "ファイルが見つかりません") than of Latin ones."""
    other, latin = _letters(*pieces)
    return other > latin


def _letters(*pieces: str) -> tuple[int, int]:
    """(letters of other scripts than Latin, Latin letters) in ``pieces``."""
    other = sum(len(_OTHER_SCRIPT.findall(piece)) for piece in pieces)
    return other, sum(len(_LATIN.findall(piece)) for piece in pieces)


def opened_name(text: str, start: int, end: int) -> bool:
    """Whether a greeting, sign-off or title of another language opens ``text[start:end]``
    or stands right before it ("Cześć Agnieszka", "Pan Kowalski", "Pozdrawiam\nJan Nowak")."""
    opener = _OPENER_AT.match(text, start, end)
    if opener is not None and opener.end() < end:
        return True
    return _OPENER_BEFORE.search(text, max(0, start - 40), start) is not None


def grammar_capitalised(word: str) -> bool:
    """Whether ``word``, as written, is capitalised by a language's grammar and is never a
    name: a German pronoun of formal address ("Sie", "Ihren") or a German plural of people
    ("Kolleginnen"). The English model reads such words as people ("Sie Ihre Arbeit")."""
    return word in _ADDRESS_PRONOUNS or _GENDERED_PLURAL.fullmatch(word) is not None


def signed_off(text: str, start: int) -> bool:
    """Whether a greeting or sign-off of another language stands before ``start`` with a
    comma or a line break between ("Cordiali saluti, Amministrazione", "Pozdrawiam\nJan"):
    a word of the language signs there as often as a name."""
    opener = _OPENER_BEFORE.search(text, max(0, start - 40), start)
    return opener is not None and any(sign in opener.group() for sign in ",\n")


def _counts(*pieces: str) -> tuple[int, int]:
    """(foreign markers, English stop words) among the words of ``pieces``; particles
    between capitalised words are left out: they join the parts of a name ("Jelle Coreth
    von und zu Coredo", "Ana de la Cruz") as often as they are prose."""
    foreign = english = 0
    for piece in pieces:
        words = _WORDS.findall(piece)
        lowered = [w.lower() for w in words]
        for index, word in enumerate(lowered):
            if word in FOREIGN_MARKERS:
                foreign += not _inside_name(words, lowered, index)
            elif not word.isascii() and word == words[index] and _foreign_letters(word):
                foreign += 1
            elif word in _ENGLISH:
                english += 1
    return foreign, english


def _foreign_letters(word: str) -> bool:
    """Whether ``word`` holds a letter of another alphabet than English's."""
    return not _FOREIGN_LETTERS.isdisjoint(word)


def _inside_name(words: list[str], lowered: list[str], index: int) -> bool:
    """Whether the marker at ``index`` is a particle in a run of them between two
    capitalised words ("von und zu", "de la"; not "einen" in "Quartalsende einen Bericht")."""
    before = index - 1
    while before >= 0 and lowered[before] in JOINERS and words[before].islower():
        before -= 1
    after = index + 1
    while after < len(words) and lowered[after] in JOINERS and words[after].islower():
        after += 1
    return (
        lowered[index] in JOINERS
        and words[index].islower()
        and before >= 0
        and after < len(words)
        and words[before][0].isupper()
        and words[after][0].isupper()
    )
