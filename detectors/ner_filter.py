"""Context-aware filtering of spaCy NER findings: names and places, not product names.

The small English model tags product and service names ("Redis", "Heroku", "Graylog"),
capitalised common words ("Invoice") and imperative verbs that open a sentence ("Port the
Flask service ...") as PERSON or LOCATION, street names as people and people as places.
:class:`NerFilter` drops a PERSON, LOCATION or NRP finding when

* it is on the allow-lists (:mod:`detectors.ner_lexicon`): the whole span or every word of
  it a technology name (kept by hand, or generated from package registries and other broad
  sources, never a first name, surname or place) or the policy's ``detection.allow_list``;
  or it is one word that is a plain English word or a compound of two ("Backstage",
  "Graylog");
* it lies in code: a fenced block, an inline `code span`, a URL, a command line, the
  packages of an install command ("pip install ...") — but not a string literal in code
  that holds words ("name": "Ann Lee") nor the message of a log record ("ERROR: payment
  failed for customer Ann Lee");
* it is part of an identifier: snake_case, CamelCase with inner capitals ("FastAPI", but
  not "McDonald"), dotted names ("os.path"), paths, ``key=value``;
* its capitalised words are all technology names (no first name or surname), past a first
  word that may open a sentence the NER gate skips ("installs Kong", "Then Kong"; see
  :func:`tech_word_at`, which the gate reads the same words with);
* it is one word on no list that reads as two words ("Graylog" as "gray" + "log") or stands
  where software does, unless a cue says a name starts there ("the technician Jagdish",
  :func:`~detectors.name_cues.cue_starts`);
* it is one word after a determiner ("the Envoy sidecar"), places such as "the Hague"
  excepted; before a version number ("Tornado 6.4"); coordinated with a technology name
  ("Chakra or Mantine", "Buf instead of protoc");
* it is a verb from ``data/verbs.txt`` (or its third person: "Marks a set of nodes")
  opening a sentence and followed by a determiner,
  pronoun or preposition ("Deploy it", "Port the ..."); such a verb at the start of a
  longer span is cut off and the rest judged alone ("Compare Hasura");
* its words are technology names, also those that are a name or a place
  (``data/tech_ambiguous.txt``: "Ray", "Phoenix"), or words on no list at all ("Detekt"),
  and the text uses it as a product: before a product noun ("Ray workers", "the Phoenix
  cluster"), after a verb that takes software ("run Luigi locally", "export to Ray"), or
  linked to a technology name ("replace Ray with Dask"); known names and places that are
  no technology ("John", "Paris") are never judged so, nor is "ask Ray";
* it is written in capitals inside a line in capitals ("WHAT DO I PRESS NOW") and is a
  dictionary word, whether or not some name is spelt the same (``data/english_names.txt``);
* it is written as code is (read on manual pages, READMEs and changelogs, see
  ``bench/real_text_noise.py``): capitals as code writes them ("XPutImage", "RAdam"), a
  dotted file name ("Makefile.am"), after an attribute's dot, a sign or "::", before a call
  or a technical compound adjective ("Kqueue-based"), opened by a lowercase word that is no
  word or name ("gcc -Wwrite"), or the tail of a word ("OIDs");
* it is a short acronym in a line that is not in capitals and no name ("XS", "NSIG"), as a
  LOCATION no known place, not after a locative word ("in the UK") nor in an address
  ("Kylefurt, MA 76024"); single letters; a date ("Thu Jun 15"); a phrase of dictionary
  words, technology names and acronyms without a first name ("Callback Hell"; for a
  LOCATION no place or street word: "Silicon Valley");
* it is a word on no list of names or places between two acronyms ("MH, Babyl, and MMDF");
  table cells ("| Alpha | Linux |") link words like commas;

and it corrects the type: a PERSON that is part of an address (next to a street word or a
house number, after a postcode, a toponym such as "North X" or "X-sur-Mer", a known place
that is no name) is a LOCATION, and a LOCATION made only of personal names ("hey Stephan")
is a PERSON, as is one made of words on no list after a cue ("my wife Danielle").

Presidio's own ``allow_list`` argument matches whole spans exactly, case-sensitively; it
cannot say "every word of this span is a product name" or look at the span's surroundings,
so the allow-list is applied here, after Presidio's per-entity score thresholds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from core.scanning import Finding
from detectors.name_cues import cue_starts, cued_names
from detectors.ner_lexicon import (
    STOP_WORDS_NO_NAMES,
    Lexicon,
    load_terms,
    normalise,
    shipped_lexicon,
)
from detectors.ner_look_alikes import look_alike
from detectors.text_regions import (
    EDGE_PUNCTUATION,
    code_regions,
    in_identifier,
    in_log_message,
    in_text_literal,
    inside,
    is_identifier,
)

__all__ = [
    "FILTERED_TYPES",
    "NerFilter",
    "capitalised",
    "load_terms",
    "word_at",
]

#: The NER entity types this filter judges (ORGANIZATION and DATE_TIME are left alone:
#: a product name is an organisation's, and dates are not names).
FILTERED_TYPES = frozenset({"PERSON", "LOCATION", "NRP"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[^\W\d_][\w.'’&-]*")
_FUNCTION_WORDS = _words(
    "the a an this that these those my our your their its it them me us him her all any "
    "every each some to on in into onto from with for up out down over off through by at "
    "as how what why whether if and both"
)
_DETERMINERS = _words("the a an this that these those my our your their its each every any no")
# Places and peoples written with "the" ("the Hague", "the Netherlands").
_THE_PLACES = _words(
    "netherlands philippines bahamas gambia hague congo sudan ukraine bronx caribbean "
    "balkans alps andes himalayas midlands maldives seychelles crimea arctic antarctic "
    "mediterranean sahara amazon thames rhine danube nile pacific atlantic vatican gulf "
    "uk us usa uae emirates riviera highlands lowlands ruhr americas dutch french british "
    "germans irish scots welsh"
)
# Verbs that are also first names: "Mark Twain" is not "Mark" + a name.
_ALSO_FIRST_NAMES = _words("mark will bill pat sue rob jack grant drew chase don max wade")
# Words that open a place name ("North Ericton", "Saint-Malo", "Port James").
_TOPONYM_HEADS = _words(
    "saint sainte st ste north south east west new port lake mount fort san santa são sankt "
    "bad lower upper great little"
)
# Glued German street types ("Kaulring", "Mielcarekallee", "Schenkstr.").
_STREET_ENDINGS = ("straße", "strasse", "str", "allee", "gasse", "weg", "ring", "platz", "damm")
# Street types written before the name ("rue Maillard", "chemin de Lacombe", "via Roma").
_STREET_HEADS = _words(
    "rue avenue boulevard bd chemin allée allee impasse quai cours route place via viale "
    "piazza corso strada vicolo largo calle avenida rua camino paseo plaza carrer travessa"
)
# Lowercase words inside names ("Marc du Rivière", "Ludwig van Beethoven").
_PARTICLES = _words(
    "de du des da das do dos di del della van von der den ter ten la le les y e bin ibn al el zu"
)
# Endings of place names ("Lapland", "Yorkshire", "Charlottesville", "Göttingen").
_TOPONYM_ENDINGS = (
    "land", "shire", "ville", "berg", "burg", "burgh", "borough", "bury", "town", "stad",
    "stadt", "mouth", "haven", "ford", "chester", "furt", "heim", "hausen", "dorf", "ingen",
    "port", "side", "view", "field", "fort", "ton",
)  # fmt: skip
_TITLES = _words(
    "mr mrs ms miss dr prof sir dame herr frau mme mlle m madame monsieur dott dott.ssa sig "
    "sig.ra sig.na "
    "sr sra srta ing dipl dipl.-ing univ univ.prof mag"
)
_SENTENCE_START = re.compile(r"(?:\A|[.!?;:]\s|\n)[\s>*•\-–—\"'“(#\d.)]*\Z")
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z']+)")
_STREET_AFTER = re.compile(r"[ \t]+([A-Z][A-Za-zß]*)")
_VERSION_AFTER = re.compile(r"[ \t]+v?\d+(?:\.(?:\d+|x))+\b|[ \t]+v\d+\b")
_HOUSE_NUMBER_BEFORE = re.compile(r"(?:^|[\s,])\d+[A-Za-z]?(?:-\d+)?,?[ \t]+\Z")
_POSTCODE_BEFORE = re.compile(r"(?:,|^)[ \t]*(?:[A-Z]{1,2}-)?\d{4,5}[ \t]+\Z", re.M)
_TOPONYM_JOINT = re.compile(r"-(?:sur|sous|la|le|les|lès|en|de|du|des|aux|am|an|im|bei)-", re.I)
_LINK = (
    r"(?:[ \t]*[,/|][ \t]*(?:(?:or|and)[ \t]+)?"
    r"|[ \t]+(?:or|and|nor|vs\.?|versus|than|instead[ \t]+of)[ \t]+)"
)
_LINKED_BEFORE = re.compile(r"([A-Za-z@][\w.+#/@-]*)" + _LINK + r"\Z")
_LINKED_AFTER = re.compile(_LINK + r"([A-Za-z@][\w.+#/@-]*)")
# Software is combined "with" another or moved "to", "into" it (a person is too, so
# these links only count for words that name a technology or none of our lists).
_PRODUCT_LINK = r"[ \t]+(?:with|to|into|onto)[ \t]+(?:the[ \t]+)?"
_PRODUCT_BEFORE = re.compile(r"([A-Za-z@][\w.+#/@-]*)" + _PRODUCT_LINK + r"\Z")
_PRODUCT_AFTER = re.compile(_PRODUCT_LINK + r"([A-Za-z@][\w.+#/@-]*)")
# Nouns that make the capitalised word before them a product ("Ray workers", "Luigi tasks").
_PRODUCT_NOUNS = _words(
    "api apis sdk sdks client clients plugin plugins extension extensions integration "
    "integrations server servers cluster clusters instance instances node nodes worker "
    "workers pipeline pipelines partition partitions topic topics queue queues broker "
    "brokers pod pods container containers image images deployment deployments dashboard "
    "dashboards alerts metrics tracing traces logs config configs configuration operator "
    "operators driver drivers connector connectors adapter adapters backend backends "
    "provider providers module modules library libraries package packages version versions "
    "release releases build builds runner runners scheduler schedulers endpoint endpoints "
    "webhook webhooks sidecar sidecars proxy proxies gateway gateways daemon daemons cli "
    "binary binaries bindings wrapper wrappers database databases schema schemas index "
    "indexes bucket buckets repo repos repository repositories framework migrations dag "
    "dags shards replicas controller controllers namespace chart"
)
# Verbs whose object is software ("run Luigi", "deploy Phoenix"), and none that also takes
# a person ("ask", "call", "host", "replace X as on-call", "switch X to another team").
_PRODUCT_VERBS = _words(
    "install installs installed installing uninstall reinstall deploy deploys deployed "
    "deploying redeploy run runs running rerun restart restarts restarted configure "
    "configures configured configuring upgrade upgraded downgrade self-host containerise "
    "containerize dockerise dockerize mock mocks mocked stub patch patched instrument "
    "benchmark compile lint provision scale shard migrate migrating integrate import "
    "export exports exported"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][\w-]*)[ \t]+(?:(?:to|into|from|with|onto)[ \t]+)?\Z")
_POSSESSIVE = re.compile(r"['’]s?\b")
_PRODUCT_NOUN_AFTER = re.compile(r"[ \t]+([a-z]+)\b")
_SHOUTED_LINE = re.compile(r"[^\n]*")


# Words that place the acronym after them ("in the UK", "offices across the EU").
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|from|to|across|within|throughout|near|around|outside|inside|at|visit|visited|"
    r"based|moved|relocated|headquartered)[ \t]+(?:the[ \t]+)?\Z",
    re.I,
)
# A town's name and a comma, or a postcode after: the acronym is a state or a country.
_TOWN_BEFORE = re.compile(r"[A-Z][a-z][\w'’.-]*,[ \t]*\Z")
_POSTCODE_AFTER = re.compile(r"[ \t]+\d{3,}")
# Capitals as code writes them: a run of capitals before a lowercase letter ("XPutImage",
# "HTTPServer", "RAdam") or two inner capitals ("XRecordGetContext"); names have at most
# one inner capital, after a prefix ("McDonald", "DeShawn").
_CODE_CASE = re.compile(r"[A-Z]{2,}[a-z]|[a-z][A-Z][^\W_]*[a-z][A-Z]")
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


_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,5}")
_WEEKDAYS = _words(
    "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday "
    "saturday sunday"
)
_CALENDAR_WORDS = _WEEKDAYS | _words(
    "jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june "
    "july august september october november december"
)
_DAY_AFTER = re.compile(r"[ \t]+\d{1,2}(?:st|nd|rd|th)?\b")


def _code_shaped(text: str, start: int, end: int, spelt: Sequence[str]) -> bool:
    """Whether the span is written as code is, or sits where code does: capitals as code
    writes them, a dotted file name, glued to an attribute, a call or a scope, or the head
    of a technical compound adjective."""
    span = text[start:end]
    if any(_CODE_CASE.search(word) for word in spelt) or _DOTTED_INSIDE.search(span):
        return True
    before = _CODE_BEFORE.search(text[max(0, start - 40) : start])
    if before is not None and normalise(before.group(1) or "") not in _TITLES:
        return True  # "Mr.Smith" is a title
    return bool(_CODE_AFTER.match(text, end) or _TECH_SUFFIX.match(text, end))


def capitalised(text: str) -> bool:
    """An upper-case letter, or a letter of a script without case (CJK, Arabic, ...)."""
    return any(ch.isupper() or (ch.isalpha() and not ch.islower()) for ch in text)


# Characters a word of ``_WORD`` runs on through: a word starting after one is no word start.
_WORD_JOINERS = frozenset(".'’&-_")


def word_at(text: str, start: int) -> str | None:
    """The word the filter reads starting at ``text[start]`` (lowercase, see
    :func:`~detectors.ner_lexicon.normalise`), or None if no word starts there: a span's
    capitalised words are the words at the starts of its capitalised tokens."""
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in _WORD_JOINERS):
        return None
    match = _WORD.match(text, start)
    return normalise(match.group()).rstrip(".") if match else None


def _span_words(text: str, start: int, end: int) -> list[str]:
    return [normalise(w).rstrip(".") for w in _WORD.findall(text[start:end])]


class NerFilter:
    """Drops NER findings that are evidently not a person or place (module docstring)."""

    def __init__(self, allow_list: Iterable[str] = (), *, entities: Iterable[str] = ()) -> None:
        """``allow_list`` extends the shipped lists; ``entities`` are the types reported
        (a finding relabelled to a type not among them is dropped)."""
        self._lexicon: Lexicon = shipped_lexicon().with_allowed(allow_list)
        self._reported = set(entities) or set(FILTERED_TYPES)

    def cued_names(self, text: str, findings: Sequence[Finding]) -> list[Finding]:
        """PERSONs the model missed after a cue ("Dear X", "Reviewed-by: X"; see
        :mod:`detectors.name_cues`) that overlap none of ``findings`` or widen a PERSON
        of them the model cut short (see :func:`~detectors.name_cues.widened`); judged by
        :meth:`apply` like the model's. Empty if PERSON is not reported."""
        if "PERSON" not in self._reported:
            return []
        return cued_names(text, self._lexicon, findings)

    def apply(self, text: str, findings: Sequence[Finding]) -> list[Finding]:
        """``findings`` minus those that are not names or places, types corrected."""
        if not any(f.entity_type in FILTERED_TYPES for f in findings):
            return list(findings)
        regions = code_regions(text)
        starts: list[frozenset[int]] = []  # where cues say a name starts, read on demand

        def cued(start: int, end: int) -> Callable[[], bool]:
            def named() -> bool:
                if not starts:
                    starts.append(cue_starts(text, self._lexicon))
                return any(start <= at < end for at in starts[0])

            return named

        kept: list[Finding] = []
        for finding in findings:
            if finding.entity_type not in FILTERED_TYPES:
                kept.append(finding)
                continue
            trimmed = self._without_leading_verb(text, finding)
            start, end = trimmed.start, trimmed.end
            in_code = inside(regions, start, end) and not (
                in_text_literal(text, start, end) or in_log_message(text, start, end)
            )
            named = cued(start, end)
            if in_code or self._noise(text, start, end, finding.entity_type, cued=named):
                continue
            judged = self._retyped(text, trimmed, cued=named)
            if judged.entity_type in self._reported:
                kept.append(judged)
        return kept

    def _without_leading_verb(self, text: str, finding: Finding) -> Finding:
        """The finding minus an imperative verb NER took as a first name ("Compare Hasura")."""
        first = _WORD.match(text, finding.start)
        if first is None or first.end() >= finding.end:
            return finding
        verb = normalise(first.group())
        if verb in _ALSO_FIRST_NAMES or verb not in self._lexicon.verbs:
            return finding
        if not _SENTENCE_START.search(text[max(0, finding.start - 40) : finding.start]):
            return finding
        rest = _WORD.search(text, first.end(), finding.end)
        if rest is None:
            return finding
        return Finding(
            finding.entity_type, rest.start(), finding.end, finding.score, finding.detector
        )

    def _noise(
        self, text: str, start: int, end: int, entity: str, *, cued: Callable[[], bool]
    ) -> bool:
        """Whether the span is evidently no name or place; ``cued()``: whether a cue says a
        name starts in it ("the technician Jagdish"), so that a word on no list is not
        judged a compound ("jag" + "dish") or a product (asked only then: it costs a pass
        of the cue patterns)."""
        lexicon = self._lexicon
        span = text[start:end]
        words = _span_words(text, start, end)
        while words and words[0] in _DETERMINERS:
            words = words[1:]  # "the Gunicorn"
        if not words:
            return False
        if all(w in _TITLES for w in words):
            return True  # a title alone ("Dott.", "Sig.ra") names nobody
        if all(len(w) < 2 and w.isascii() for w in words) or (
            start > 0 and text[start - 1].isalnum()
        ):
            return True  # letters ("If F (or A, E, G)"), or the tail of a word ("OIDs")
        if normalise(span) in lexicon.curated:
            return True
        if look_alike(text, start, end, lexicon):
            return True  # "für Ihre Nachricht", "configure Hudson", "fails on Safari"
        spelt = _WORD.findall(span)
        if any(w.islower() and w not in _PARTICLES for w in spelt[1:]):
            return True  # a phrase ("Karpenter so Spot"), not a name
        if spelt and spelt[0].islower() and self._no_word(words[0].split("-")[0]):
            return True  # code opens it ("gcc -Wwrite", "kb Backspace"), no word or name
        if all(w in _CALENDAR_WORDS for w in words) and (
            _DAY_AFTER.match(text, end) or any(w in _WEEKDAYS for w in words)
        ):
            return True  # a date ("Thu Jun 15", "March 3")
        if all(w in lexicon.curated or w in lexicon.tech for w in words):
            return True
        if self._tech_prose(spelt):
            return True
        if in_identifier(text, start, end) or _code_shaped(text, start, end, spelt):
            return True
        if self._acronym(text, start, end, words, entity):
            return True
        if len(words) > 1 and self._dictionary_phrase(words, spelt, entity):
            return True
        if self._used_as_product(text, start, end, words) and not cued():
            return True
        if self._shouted(text, start, end):
            return True
        if len(words) > 1:
            return False
        word = words[0]
        if word in lexicon.english or (self._compound(word) and not cued()):
            return True
        before = text[max(0, start - 12) : start].split()
        if before and before[-1].lower() in _DETERMINERS and word not in _THE_PLACES:
            return True
        if _VERSION_AFTER.match(text, end) or self._linked_to_tech(text, start, end):
            return True
        return self._imperative(text, start, end, word)

    def _acronym(self, text: str, start: int, end: int, words: list[str], entity: str) -> bool:
        """Whether the span is one short word in capitals, in a line that is not, that names
        no one ("XS", "NSIG", "GB"): as a PERSON unless it is a name, as a LOCATION unless
        it is a known place or follows a word that places it ("in the UK", "from NYC")."""
        span = text[start:end]
        if len(words) != 1 or not span.isupper() or not 2 <= len(span) <= 5 or "." in span:
            return False
        line_start = text.rfind("\n", 0, start) + 1
        line = _SHOUTED_LINE.match(text, line_start)
        if line is None or not any(ch.islower() for ch in line.group()):
            return False  # a line in capitals: a name is written so there too
        word = words[0]
        if entity == "PERSON":
            return not self._lexicon.is_name(word)
        if entity != "LOCATION" or word in self._lexicon.places:
            return False
        if _TOWN_BEFORE.search(text[max(0, start - 40) : start]) or _POSTCODE_AFTER.match(
            text, end
        ):
            return False  # a state in an address ("Kylefurt, MA 76024")
        return not _LOCATIVE_BEFORE.search(text[max(0, start - 24) : start])

    def _dictionary_phrase(self, words: list[str], spelt: list[str], entity: str) -> bool:
        """Whether a span of several words is a phrase of dictionary words, technology
        names and acronyms ("Callback Hell", "Linux Kernel Archive", "LF Turn"): no first
        name among them, at least one word that is no name at all, and for a LOCATION no
        word of a place or street ("Silicon Valley")."""
        lexicon = self._lexicon
        if len(words) != len(spelt) or " ".join(words) in lexicon.places:
            return False  # "United States"
        plain = False
        for word, written in zip(words, spelt, strict=True):
            if word in lexicon.first_names:
                return False
            if entity == "LOCATION" and (word in lexicon.places or word in lexicon.streets):
                return False
            acronym = written.isupper() and len(written) > 1 and not lexicon.is_name(word)
            if word in lexicon.english or lexicon.is_tech(word) or acronym:
                plain = True
            elif word not in lexicon.english_names and word not in lexicon.curated:
                return False
        return plain

    def _no_word(self, word: str) -> bool:
        """Whether ``word`` is no dictionary word, name, place or particle ("gcc", "kb")."""
        lexicon = self._lexicon
        return not (
            word in lexicon.english
            or word in lexicon.english_names
            or lexicon.is_name(word)
            or word in lexicon.places
            or word in _PARTICLES
        )

    def _tech_prose(self, spelt: list[str]) -> bool:
        """Whether the capitalised words of a span, past a first word that may open a
        sentence, are all technology names ("installs Kong", "Then Kong"): prose about
        software, not a name. Names that are also technologies ("Jenkins") are kept."""
        lexicon = self._lexicon
        words = [normalise(w).rstrip(".") for w in spelt]
        if spelt and capitalised(spelt[0]):
            first = words[0]
            if lexicon.opener(first) or lexicon.opener(re.split(r"[^\w]", first)[0]):
                words, spelt = words[1:], spelt[1:]
        return all(
            lexicon.is_tech(w)
            for w, w_spelt in zip(words, spelt, strict=True)
            if capitalised(w_spelt)
        )

    def _used_as_product(self, text: str, start: int, end: int, words: list[str]) -> bool:
        """Whether a span of technology names (also ambiguous ones) or unknown words stands
        where a text names software: before a product noun, after a verb that takes
        software, or linked to a technology name (module docstring)."""
        lexicon = self._lexicon
        product = [
            lexicon.is_tech(w) or w in lexicon.ambiguous or lexicon.unknown(w) for w in words
        ]
        if not any(product) or not all(
            p or w in lexicon.english or w in lexicon.curated
            for p, w in zip(product, words, strict=True)
        ):
            return False
        if self._place_like(text, start, end, words) or _POSSESSIVE.match(text, end):
            return False  # "Lake Annetteborough", "Fort Westbury", "disable Ray's account"
        noun = _PRODUCT_NOUN_AFTER.match(text, end)
        if noun is not None and noun.group(1) in _PRODUCT_NOUNS:
            return True
        verb = _WORD_BEFORE.search(text[max(0, start - 30) : start])
        if verb is not None and verb.group(1).lower() in _PRODUCT_VERBS:
            return True
        before = _PRODUCT_BEFORE.search(text[max(0, start - 60) : start])
        after = _PRODUCT_AFTER.match(text, end)
        neighbours = [m.group(1) for m in (before, after) if m is not None]
        return any(self._tech_neighbour(n) for n in neighbours) or self._linked_to_tech(
            text, start, end
        )

    def _tech_neighbour(self, neighbour: str) -> bool:
        word = normalise(neighbour.strip(EDGE_PUNCTUATION)).rstrip(".")
        return self._lexicon.is_tech(word) or is_identifier(neighbour)

    def _shouted(self, text: str, start: int, end: int) -> bool:
        """Whether the span is a dictionary word written in capitals in a line of capitals."""
        span = text[start:end]
        if not span.isupper():
            return False
        line_start = text.rfind("\n", 0, start) + 1
        line = _SHOUTED_LINE.match(text, line_start)
        others = _WORD.findall(
            text[line_start:start] + " " + text[end : line.end() if line else end]
        )
        lettered = [w for w in others if len(w) > 1]
        if len(lettered) < 3 or any(not w.isupper() for w in lettered):
            return False
        lexicon = self._lexicon
        return all(
            w in lexicon.english or w in lexicon.english_names or w in STOP_WORDS_NO_NAMES
            for w in _span_words(text, start, end)
        )

    def _compound(self, word: str) -> bool:
        """Whether ``word`` is two English words or technology names run together
        ("graylog", "buildkite") and no name or place."""
        lexicon = self._lexicon
        if len(word) < 6 or not word.isalpha() or lexicon.is_name(word) or word in lexicon.places:
            return False
        if word.endswith(_TOPONYM_ENDINGS):
            return False
        return any(
            self._part(word[:cut]) and self._part(word[cut:]) for cut in range(3, len(word) - 2)
        )

    def _part(self, piece: str) -> bool:
        """Whether ``piece`` can be half of a compound: a word, a name, a technology; of
        three letters only an English word ("log")."""
        lexicon = self._lexicon
        if len(piece) < 4:
            return piece in lexicon.english
        return piece in lexicon.english or piece in lexicon.tech or lexicon.is_name(piece)

    def _linked_to_tech(self, text: str, start: int, end: int) -> bool:
        """Whether the word is listed with a technology name ("Chakra or Mantine", "A, B"),
        or, if it is no name or place, between acronyms ("MH, Babyl, and MMDF")."""
        before = _LINKED_BEFORE.search(text[max(0, start - 60) : start])
        after = _LINKED_AFTER.match(text, end)
        neighbours = [m.group(1) for m in (before, after) if m is not None]
        if any(self._tech_neighbour(n) for n in neighbours):
            return True
        word = normalise(text[start:end]).rstrip(".")
        if self._lexicon.is_name(word) or word in self._lexicon.places or len(neighbours) < 2:
            return False
        # acronyms on both sides: one after a town could be its state ("Gilmoremouth, AK")
        return all(_ACRONYM.fullmatch(n.strip(EDGE_PUNCTUATION)) for n in neighbours)

    def _verb(self, word: str) -> bool:
        """Whether ``word`` is a verb of ``data/verbs.txt``, also in the third person
        ("Marks a set of nodes", "Returns the ...", as docstrings open)."""
        verbs = self._lexicon.verbs
        return word in verbs or (
            word.endswith("s")
            and (word[:-1] in verbs or (word.endswith("es") and word[:-2] in verbs))
        )

    def _imperative(self, text: str, start: int, end: int, word: str) -> bool:
        if not self._verb(word):
            return False
        if not _SENTENCE_START.search(text[max(0, start - 40) : start]):
            return False
        following = _NEXT_WORD.match(text, end)
        return following is not None and following.group(1).lower() in _FUNCTION_WORDS

    def _retyped(self, text: str, finding: Finding, *, cued: Callable[[], bool]) -> Finding:
        """The finding with its type corrected: addresses and places are LOCATIONs,
        a LOCATION made of personal names only, or of words on no list after a cue
        ("my wife Danielle"), is a PERSON."""
        if finding.entity_type == "PERSON":
            return self._address(text, finding) or finding
        if finding.entity_type != "LOCATION":
            return finding
        words = _span_words(text, finding.start, finding.end)
        if self._place_like(text, finding.start, finding.end, words):
            return finding
        if self._personal(text, finding) or (self._unlisted(text, finding) and cued()):
            return Finding("PERSON", finding.start, finding.end, finding.score, finding.detector)
        return finding

    def _address(self, text: str, finding: Finding) -> Finding | None:
        """The PERSON as a LOCATION if it is part of an address or a place."""
        lexicon = self._lexicon
        start, end = finding.start, finding.end
        words = _span_words(text, start, end)
        if not words:
            return None
        before = text[max(0, start - 12) : start].split()[-1:]
        if words[0] in _TITLES or (before and normalise(before[0]).rstrip(".") in _TITLES):
            return None  # "Madame Toerring", "Dr. Kesselring": a person, whatever the ending
        street = _STREET_AFTER.match(text, end)
        if street is not None and normalise(street.group(1)) in lexicon.streets:
            end = street.end()
        elif not self._place_like(text, start, end, words):
            return None
        return Finding("LOCATION", start, end, finding.score, finding.detector)

    def _place_like(self, text: str, start: int, end: int, words: list[str]) -> bool:
        """Whether the PERSON span reads as a street, a town or another place."""
        lexicon = self._lexicon
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
        if (
            len(words) == 1
            and words[0].endswith(_TOPONYM_ENDINGS)
            and not lexicon.is_name(words[0])
        ):
            return len(words[0]) > 6
        return all(w in lexicon.places and not lexicon.is_name(w) and len(w) > 3 for w in words)

    def _unlisted(self, text: str, finding: Finding) -> bool:
        """Whether the span could be a name: its first word a name or on no list, the
        others too or a place (surnames are places often: "Isa Paolini"); no common word."""
        lexicon = self._lexicon
        words = _span_words(text, finding.start, finding.end)
        parts = [p for w in words if w not in _TITLES for p in w.split("-") if p]
        return (
            bool(parts)
            and (lexicon.is_name(parts[0]) or lexicon.unknown(parts[0]))
            and all(
                lexicon.is_name(p) or lexicon.unknown(p) or lexicon.places_only(p) for p in parts
            )
        )

    def _personal(self, text: str, finding: Finding) -> bool:
        """Whether a LOCATION span is made of personal names and of no place."""
        lexicon = self._lexicon
        words = [w for w in _span_words(text, finding.start, finding.end) if w not in _TITLES]
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
