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
* it lies in code (:mod:`detectors.text_regions`): a fenced block, an inline `code span`, a
  URL, a command line, the packages of an install command ("pip install ...") — but not a
  string literal in code that holds words ("name": "Ann Lee") nor the message of a log
  record ("ERROR: payment failed for customer Ann Lee"); or it is part of an identifier:
  snake_case, CamelCase with inner capitals ("FastAPI", but not "McDonald"), dotted names
  ("os.path"), paths, ``key=value``;
* it reads as a word of another kind (:mod:`detectors.ner_look_alikes`: "für Ihre
  Nachricht", "configure Hudson", "fails on Safari", "Jackson is deprecated", "bumped
  Jackson to 2.17.0");
* it names software (:mod:`detectors.ner_products`): its capitalised words are all
  technology names past a first word that may open a sentence ("installs Kong"); it is one
  word on no list that reads as two words ("Graylog") or stands where software does ("run
  Luigi locally", "Ray workers", "Chakra or Mantine", a table column of technology names),
  unless a cue says a name starts there ("the technician Jagdish",
  :func:`~detectors.name_cues.cue_starts`);
* it stands where software does whatever its words (:mod:`detectors.ner_lists`,
  :mod:`detectors.ner_unlisted`): an item of a list beside items spelt as software
  ("Exynos · Vermeer · Workato · lubridate"), before a noun only software takes ("Grace
  Hopper users"), an item of a list headed by software ("Our stack: ..."), one word on no
  list, a landscape codename ("Coffee Lake", also cut short: "Granite [Ridge]") or a word
  before a name ("Binary Ninja") in a sentence about software; a brand of a title and a
  word ("Dr Pepper");
* it is spelt as no name is (:mod:`detectors.ner_spelling`): written as code ("XPutImage",
  "Makefile.am", "io.BytesIO", "Kqueue-based"), a short acronym in a line that is not in
  capitals ("XS", "NSIG"), a dictionary word in a line in capitals ("WHAT DO I PRESS NOW");
* it is one word after a determiner ("the Envoy sidecar"), places such as "the Hague"
  excepted; before a version number ("Tornado 6.4"); an eponym before a noun of
  mathematics, computing, medicine or the laboratory ("Horn clauses", "Weibull
  distribution", "a Gaussian process", "Hölder's inequality", "Hodgkin lymphoma"; of two
  words "Monte Carlo sampler"), or two surnames joined by a hyphen alone ("Bellman-Ford");
  the Latin name of a microbe ("Bifidobacterium"); as a LOCATION, a word on no list opening
  a changelog entry or heading ("Fixup for ...", "Miscellania - ...");
* it is a codename: opened by a sprint, project or release ("Sprint Lisbon"), the first
  words of a listed term ("Jakarta EE"), a group in the plural ("Ember Knights"), or a name
  the text gives things by a convention ("clusters named after rivers, Danube and Rhine",
  :mod:`detectors.ner_codenames`);
* it stands in a sentence of another language (:mod:`detectors.ner_language`: "Der
  Dienst", "Atención al Cliente") without evidence of its own: a cue, a known first name
  leading it, or a known place or a place's shape;
* it holds a literal of code ("True", "Returns True"), or a lowercase code opens dictionary
  words that are no name ("al Insert" in a table of terminal capabilities);
* it is a verb from ``data/verbs.txt`` (or its third person: "Marks a set of nodes")
  opening a sentence and followed by a determiner, pronoun or preposition ("Deploy it",
  "Port the ..."); such a verb at the start of a longer span is cut off and the rest judged
  alone ("Compare Hasura");
* it is opened by a lowercase word that is no word or name ("gcc -Wwrite"), holds a
  lowercase word that is no particle ("Karpenter so Spot"), is single letters or the tail
  of a word ("OIDs"), a title alone ("Dott."), a date ("Thu Jun 15"), or a phrase of
  dictionary words, technology names and acronyms without a first name ("Callback Hell";
  for a LOCATION no place or street word: "Silicon Valley");

A PERSON that a table's column of people names (:mod:`detectors.name_tables`) is kept as
it is, and one in a column of things ("| Product |") is dropped. The filter also
corrects the type (:mod:`detectors.ner_places`): a PERSON that is part of an address
is a LOCATION, and a LOCATION made only of personal names ("hey Stephan") is a PERSON, as is
one made of words on no list after a cue ("my wife Danielle").

Presidio's own ``allow_list`` argument matches whole spans exactly, case-sensitively; it
cannot say "every word of this span is a product name" or look at the span's surroundings,
so the allow-list is applied here, after Presidio's per-entity score thresholds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from core.scanning import Finding
from detectors.name_cues import (
    cue_starts,
    cued_names,
    korean_name,
    lower_case_names,
    standing_chinese_names,
)
from detectors.name_tables import TableReading, read_tables, table_names
from detectors.ner_codenames import convention_names
from detectors.ner_language import (
    FOREIGN_MARKERS,
    GREETING_WORDS,
    JOINERS,
    foreign_sentence,
    grammar_capitalised,
    opened_name,
    signed_off,
)
from detectors.ner_lexicon import Lexicon, load_terms, normalise, shipped_lexicon
from detectors.ner_lists import listed_with_software, radar_item
from detectors.ner_look_alikes import look_alike
from detectors.ner_places import THE_PLACES, TITLES, place_like, retyped
from detectors.ner_products import (
    before_software_noun,
    compound,
    linked_to_tech,
    tech_prose,
    used_as_product,
)
from detectors.ner_spelling import acronym, code_shaped, shouted
from detectors.ner_unlisted import (
    cut_codename,
    toponym_codename,
    unlisted_product,
    worded_product,
)
from detectors.ner_words import WORD, lower_cased, span_words, word_set
from detectors.text_regions import (
    code_regions,
    in_identifier,
    in_log_message,
    in_text_literal,
    inside,
    quoted_value,
)

__all__ = ["FILTERED_TYPES", "NerFilter", "load_terms"]

#: The NER entity types this filter judges (ORGANIZATION and DATE_TIME are left alone:
#: a product name is an organisation's, and dates are not names).
FILTERED_TYPES = frozenset({"PERSON", "LOCATION", "NRP"})
# What the NER model reports that a name in a table may take the place of.
_MODEL_TYPES = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION"})

_FUNCTION_WORDS = word_set(
    "the a an this that these those my our your their its it them me us him her all any "
    "every each some to on in into onto from with for up out down over off through by at "
    "as how what why whether if and both against about across after before between under "
    "without within via per"
)
_DETERMINERS = word_set("the a an this that these those my our your their its each every any no")
# Verbs that are also first names: "Mark Twain" is not "Mark" + a name.
_ALSO_FIRST_NAMES = word_set("mark will bill pat sue rob jack grant drew chase don max wade")
# Lowercase words inside names ("Marc du Rivière", "Ludwig van Beethoven").
# Greetings that open a letter before a name; NER takes them for a first name ("Cher
# Monsieur Lefèvre", "Bonjour Monsieur Lefèvre").
_SALUTATIONS = word_set(
    "dear hi hello hey cher chère chers bonjour bonsoir salut liebe lieber liebes hallo "
    "caro cara cari gentile gentili querido querida estimado estimada hola beste geachte"
)
# Articles of German and Dutch as a sentence opens with them ("Der Server", "Het Team"):
# capitalised, no particle of a name ("van der Berg" writes it in lower case).
_ARTICLES = frozenset({"Der", "Die", "Dem", "Het"})
_PARTICLES = word_set(
    "de du des da das do dos di del della van von der den ter ten la le les y e bin ibn al el zu"
)
# A word joined by hyphens that no name is: an acronym before a word ("IT-Jour", "AD-Konto",
# "SMS-tjänsten"), or a part after a hyphen in lower case that is no particle ("Jour-fixe";
# names capitalise every part: "Bartolomé-Mur", "Rosa-Maria"; "Abd-el-Kader" keeps "el").
_COMPOUND_NOUN = re.compile(
    r"\b[A-Z]{2,}-[^\W\d_]|-(?!(?:el|al|de|da|di|du|la|le|ben|bin|ibn|van|von|der|den|ter|y)"
    r"(?:-|\Z))[a-zà-ÿ]"
)
# A hyphen and a lowercase word or an identifier's label right after a span: the span is the
# head of a compound noun ("Jobb-id 01c2...", "Kunden-ID", "Passwort-manager"); a double name
# capitalises its second part ("Rosa-Maria").
_COMPOUND_TAIL = re.compile(r"-(?:[a-zà-ÿ]|ID\b|Nr\b)")
# More particles and a capitalised word after a span that ends in a particle: the model cut a
# name short ("Jelle Coreth von [und zu Coredo]"), unlike a phrase ("Passagem de [turno]").
_NAME_GOES_ON = re.compile(rf"(?:[ \t]+(?:{'|'.join(sorted(JOINERS))}))*[ \t]+[^\W\d_a-z]")
_SENTENCE_START = re.compile(r"(?:\A|[.!?;:]\s|\n)[\s>*•\-–—\"'“(#\d.)]*\Z")
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z']+)")
_VERSION_AFTER = re.compile(r"[ \t]+v?\d+(?:\.(?:\d+|x))+\b|[ \t]+v\d+\b")
_WEEKDAYS = word_set(
    "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday "
    "saturday sunday"
)
# Weekdays in the plural are habits ("Summer Fridays"), never a surname.
_WEEKDAYS_PLURAL = word_set(
    "mondays tuesdays wednesdays thursdays fridays saturdays sundays weekdays weekends"
)
_CALENDAR_WORDS = _WEEKDAYS | word_set(
    "jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june "
    "july august september october november december"
)
_DAY_AFTER = re.compile(r"[ \t]+\d{1,2}(?:st|nd|rd|th)?\b")
# What follows a heading or a changelog entry's first word ("Fixup for 550b2f7",
# "Miscellania - This version ...").
_ENTRY_AFTER = re.compile(r"[ \t]+(?:[-–—][ \t]|for\b)")
# Literals of programming languages, as they are written ("Set the flag to True").
_CODE_LITERALS = frozenset({"True", "False", "None", "Null", "NULL", "NaN", "Nil"})
# Nouns after a name that make it an eponym, a term of mathematics or computing ("Horn
# clauses", "Weibull distribution", "Kalman filter"): the name of no one in the text.
_EPONYM_NOUN_AFTER = re.compile(
    r"[ \t]+(?:distributions?|clauses?|filters?|transforms?|chains?|theorems?|lemmas?|"
    r"conjectures?|inequalit(?:y|ies)|equations?|algorithms?|coefficients?|curves?|"
    r"polynomials?|integrals?|series|spaces?|numbers?|encoding|hashing|trees?|heaps?|"
    r"matri(?:x|ces)|normal[ \t]+form|notation|complexity|distance|metric|kernel|sampling|"
    r"estimator|test|statistic|correction|decomposition|interpolation|process(?:es)?|"
    r"noise|blur|elimination|mixture|priors?|posteriors?|sampler|quadrature|smoothing|"
    # and of medicine and the laboratory ("Hodgkin lymphoma", "Löwenstein-Jensen medium")
    r"medium|agar|broth|stains?|staining|syndrome|disease|lymphoma|sarcoma|carcinoma)\b"
    # a possessive before a noun of mathematics only ("Hölder's inequality"): "Maria's
    # test" is hers, no eponym
    r"|['’]s?[ \t]+(?:theorem|lemma|conjecture|inequality|equations?|law|principle|"
    r"constant|identity|formula|criterion|paradox|hypothesis|postulate|axiom|razor)\b"
    r"(?![ \t]+(?:firm|school|office|degree|student|practice|department))"
)
# The nouns of mathematics among them that follow an eponym of several words ("Monte Carlo
# sampler", "Box Muller transform"), never a person's two names.
_EPONYM_TERM_AFTER = re.compile(
    r"[ \t]+(?:distributions?|theorems?|lemmas?|conjectures?|inequalit(?:y|ies)|transforms?|"
    r"algorithms?|samplers?|sampling|simulations?|methods?|equations?|integrals?|"
    r"polynomials?|coefficients?|decomposition|interpolation|quadrature)\b"
)
# Dishes and foods named after a place or someone ("Dijon mustard", "Worcestershire sauce",
# "Buffalo wings", "Caesar salad"): the word names the dish, not a place or person here.
_FOOD_NOUN_AFTER = re.compile(
    r"[ \t]+(?:mustard|sauce|wings|ham|cheese|sausages?|vinegar|chowder|salad|pudding|"
    r"stew|gravy|fries|pastry|pasties|dressing|mayonnaise|relish|ketchup)\b"
)
# Nouns of goods after a name, with a word between at most ("Florence desk lamp", "Austin
# bar stool", the "Charlotte" dining table, "Sydney product lines"): a product of a range
# named after a person or a place, not someone. Singular nouns only: "Maria chairs the
# meeting" is hers.
_GOODS_NOUN_AFTER = re.compile(
    r"[\"'’”]?[ \t]+(?:[a-z]+[ \t]+)?(?:chair|armchair|stool|lamp|table|desk|sofa|couch|bed|"
    r"wardrobe|cabinet|dresser|bookcase|shelf|rug|mirror|mattress|cushion|vase|bench|"
    r"sponge|cake|biscuits?|product[ \t]+lines?|product[ \t]+range|collection|range|"
    r"edition)\b(?![ \t]+(?:of|the|a|an|with)\b)"
)
# Capitalised words of trades and services that end a company's name ("Victoria Freight",
# "Austin Couriers", "Royal Mail", "Jordan Logistics"): after a name or a place, a firm.
_TRADE_WORDS = frozenset({
    "freight", "couriers", "courier", "logistics", "mail", "post", "airways", "airlines",
    "motors", "foods", "bank", "insurance", "express", "transport", "haulage", "removals",
    "shipping", "deliveries", "travel", "tours", "pharmacy", "bakery", "hotels", "hotel",
    "brewery", "textiles", "furniture", "fashion", "telecom", "energy", "rail", "cargo",
    "parcels", "supplies", "stores", "farms", "dairy", "autos", "construction",
    "properties", "estates",
})  # fmt: skip
_TRADE_WORD_AFTER = re.compile(r"[ \t]+([A-Z][a-z]+)\b")
# Points of the compass: a list of them ("North, South, Midlands") names regions of a
# report, no place one can find.
_COMPASS = frozenset({
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "central", "midlands",
})  # fmt: skip
# "Max length", "Min value": an abbreviation before a measure, not the name Max.
_MEASURE_AFTER = re.compile(
    r"[ \t]+(?:length|size|width|height|weight|value|number|count|limit|speed|temperature|"
    r"capacity|amount|characters|retries|connections|age|price|duration|depth)\b"
)
# A field label of an invoice or a delivery note opened by a word that is also a name
# ("Bill to:", "Ship to:").
_LABEL_TO_AFTER = re.compile(r"[ \t]+to[ \t]*:")
# A word opening a line as the label of a header or a field ("Date: ...", "Reason: ...").
_LINE_OPENS = re.compile(r"(?:\A|\n)[ \t>*•-]*\Z")
_LABEL_COLON_AFTER = re.compile(r"[ \t]*:")
# Nouns of a project's iterations and codenames before a word ("Sprint Lisbon", "Project
# Chimera", "Operation Nightingale"): the word names the thing, not someone or a place.
_CODENAME_HEADS = word_set(
    "sprint sprints project operation release milestone iteration codename phase wave epic train"
)
# A capitalised word after a span, as a term of several words goes on ("Jakarta EE").
_TERM_AFTER = re.compile(r"[ \t]+([A-Z][\w.+#-]*)")
# Capitalised nouns of an organisation's things after one word ("Sales Team", "Line
# Manager", "Stock Levels", "Cyber Monday"): the word names a team, a role, a plan or an
# event, not someone (a person before "Team" is written "Anna's team" or "the team of ...").
_ORG_NOUN_AFTER = re.compile(
    r"[ \t]+(?:Teams?|Departments?|Dept|Managers?|Directors?|Officers?|Leads?|Ops|"
    r"Operations|Levels?|Tiers?|Plans?|Editions?|Portal|Desk|Cent(?:re|er)|Squad|Group|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# A capitalised word before or after a span, joined by a space or a conjunction ("Employee
# Stock Purchase", "Platinum and Diamond"); not by a comma alone, as the parts of an address
# are ("154 Charles Trail, Kathyside").
_TITLE_WORD_BEFORE = re.compile(r"\b([A-Z][a-z]+)[ \t]\Z")
# Two capitalised words joined by a hyphen ("Bellman-Ford", "Sarbanes-Oxley").
# A title right before a span, as a brand may open with one ("Dr Pepper", "Mr. Clean").
_TITLE_BEFORE = re.compile(r"\b(Dr|Mr|Mrs|Ms)\.?[ \t]\Z")
_HYPHEN_PAIR = re.compile(r"[A-Z][^\W\d_]+-[A-Z][^\W\d_]+(?:['’]s)?")
_TITLE_WORD_AFTER = re.compile(r"[ \t]([A-Z][a-z]+)\b")
_LISTED_BEFORE = re.compile(r"\b([A-Z][a-z]+),?[ \t]+(?:and|or|&)[ \t]+\Z")
_LISTED_AFTER = re.compile(r",?[ \t]+(?:and|or|&)[ \t]+([A-Z][a-z]+)\b")
# Nouns that end the name of a plan, a benefit or a service line ("Silver Tier", "First Line
# Support", "Summer Fridays"), after a first name that is also a word; no surname is one of
# them, unlike a rare word such as "Twain" after "Mark".
_THING_HEADS = _WEEKDAYS_PLURAL | word_set(
    "tier tiers plan plans edition editions package packages bundle bundles membership "
    "memberships access support services program programme scheme schemes level levels "
    "portal desk club rewards points team teams department policy leave benefits account "
    "accounts subscription subscriptions license licence seats add-on add-ons"
)
# Words that end a product's edition ("Summit Max", "Horizon Pro") after a dictionary word.
_EDITIONS = word_set("plus max pro lite mini ultra premium basic standard essentials air go")
# A holiday named after someone ("Valentine's Day", "New Year's Eve", "Mother's Day").
_HOLIDAY = re.compile(r"['’]s[ \t]+(?:Day|Eve)\Z")
# Endings of the Latin names of microbes and taxa ("Bifidobacterium", "Streptomyces",
# "Enterobacteriaceae"): no name or place ends so.
_TAXON_ENDINGS = (
    "bacterium", "bacter", "bacillus", "coccus", "cocci", "monas", "myces", "mycetes",
    "viridae", "virus", "aceae", "idae", "mycota", "phyta",
)  # fmt: skip


# A letter of Hangul, Thai, Georgian or the Arabic script (Persian and Arabic words), and a
# word as blanks and punctuation delimit it in those scripts (Thai marks are no \w).
_UNREAD_SCRIPT = re.compile(r"[\uac00-\ud7a3\u0e01-\u0e4e\u10d0-\u10ff\u0620-\u064a\u066e-\u06d3]")
_UNREAD_WORD = re.compile(r"[^\s.,:;!?()\[\]\"'«»“”„\u060c\u061b\u061f-]+")


def _free_of(finding: Finding, other: Finding) -> bool:
    return finding.end <= other.start or finding.start >= other.end


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
        of them the model cut short (see :func:`~detectors.name_cues.widened`), and the
        names in the tables' columns of people (:mod:`detectors.name_tables`) in the place
        of the model's spans they overlap (inside a cell, or across its edge: "Robert\\tAdmin");
        judged by :meth:`apply` like the model's.
        Empty if PERSON is not reported."""
        if "PERSON" not in self._reported:
            return []
        cued = cued_names(text, self._lexicon, findings)
        people = [f for f in [*findings, *cued] if f.entity_type == "PERSON"]
        tabled = [
            name
            for name in table_names(text, self._lexicon, people)
            if all(_free_of(name, f) or f.entity_type in _MODEL_TYPES for f in findings)
            and all(_free_of(name, c) for c in cued)
        ]
        return [*cued, *tabled]

    def apply(self, text: str, findings: Sequence[Finding]) -> list[Finding]:
        """``findings`` minus those that are not names or places, types corrected."""
        if not any(f.entity_type in FILTERED_TYPES for f in findings):
            return list(findings)
        regions = code_regions(text)
        starts: list[frozenset[int]] = []  # where cues say a name starts, read on demand
        people = [f for f in findings if f.entity_type == "PERSON"]
        tables: list[TableReading] = []  # what the text's tables say, read on demand

        def table() -> TableReading:
            if not tables:
                tables.append(read_tables(text, self._lexicon, people))
            return tables[0]

        def cued(start: int, end: int) -> Callable[[], bool]:
            def named() -> bool:
                if not starts:
                    starts.append(cue_starts(text, self._lexicon))
                return any(start <= at < end for at in starts[0])

            return named

        # names without capitals, found by reading them where they stand (lower-case names
        # after a cue, Chinese names amid other scripts), on demand
        lowered: list[frozenset[tuple[int, int]]] = []

        def lower_named() -> frozenset[tuple[int, int]]:
            if not lowered:
                found = [
                    *lower_case_names(text, self._lexicon),
                    *standing_chinese_names(text, self._lexicon),
                ]
                lowered.append(frozenset((f.start, f.end) for f in found))
            return lowered[0]

        conventional = convention_names(text)  # "clusters named after rivers: Danube, ..."
        kept: list[Finding] = []
        for finding in findings:
            if finding.entity_type not in FILTERED_TYPES:
                kept.append(finding)
                continue
            if conventional and set(span_words(text, finding.start, finding.end)) <= conventional:
                continue
            if finding.entity_type == "PERSON" and (finding.start, finding.end) in table().names:
                if not inside(regions, finding.start, finding.end):
                    kept.append(finding)  # a cell of a column of people
                continue
            if (
                finding.entity_type == "PERSON"
                and not text[finding.start : finding.start + 1].isupper()
                and (finding.start, finding.end) in lower_named()
            ):
                if not inside(regions, finding.start, finding.end):
                    kept.append(finding)  # "name: akanmu iyanda", "to 謝淑芬,": judged where read
                continue
            trimmed = self._without_leading_verb(text, finding)
            start, end = trimmed.start, trimmed.end
            in_code = inside(regions, start, end) and not (
                in_text_literal(text, start, end) or in_log_message(text, start, end)
            )
            named = cued(start, end)
            if in_code or self._noise(text, start, end, finding.entity_type, cued=named):
                continue
            judged = retyped(text, trimmed, self._lexicon, cued=named)
            if judged.entity_type == "PERSON" and table().holds_thing(judged.start, judged.end):
                continue  # "| Product |", "| Name | Version |", a header
            if foreign_sentence(text, judged.start, judged.end) and not self._evident(
                text, judged, cued=named
            ):
                continue  # "Der Dienst", "Atención al Cliente": the model reads English
            if judged.entity_type in self._reported:
                kept.append(judged)
        return kept

    def _evident(self, text: str, finding: Finding, *, cued: Callable[[], bool]) -> bool:
        """Whether a PERSON or LOCATION in a sentence of another language is one without
        the model's word for it: a cue says a name starts in it ("Hallo Frau Schneider",
        "Termin mit Jana Berger"), a known first name leads it and names or words on no list
        follow, its words are surnames after a first name the model left out, or it is known
        places or reads as a street, a town or another place ("Hauptstraße", "Madrid")."""
        words = [w for w in span_words(text, finding.start, finding.end) if w not in TITLES]
        if not words or text[finding.start : finding.end].split(maxsplit=1)[0] in _ARTICLES:
            return False  # "Der Server hat genug Speicher": an article, no particle
        lexicon = self._lexicon
        if _opened_by_function_word(words, lexicon):
            return False  # "Proč se ptá", "Dlaczego Outlook", "Nowa polityka"
        if finding.entity_type == "LOCATION":
            return all(w in lexicon.places for w in words) or place_like(
                text, finding.start, finding.end, words, lexicon
            )
        if finding.entity_type != "PERSON":
            return True
        span = text[finding.start : finding.end]
        if _UNREAD_SCRIPT.search(span) and not self._unread_words(span):
            return True  # "ฤทธิ์ชกร เดชวา", "김수빈": known names of a script without capitals
        parts = [p for w in words if w not in _PARTICLES for p in w.split("-") if p]
        if opened_name(text, finding.start, finding.end) and not (
            len(parts) == 1 and signed_off(text, finding.start)
        ):
            # "Pan Kowalski", "Cześć Agnieszka", "Pozdrawiam\nJan Nowak"; one word after a
            # sign-off and a comma only as a first name ("Cordiali saluti, Amministrazione")
            return True
        if len(words) == 1 and words[0] in FOREIGN_MARKERS and words[0] not in JOINERS:
            return cued()  # "Kaj je narobe?": a word of the language before a first name
        if parts and parts[0] in lexicon.first_names:
            # a first name, then names or words on no list ("Guus Sliepen", "Jan de Vries")
            return all(lexicon.is_name(p) or lexicon.unknown(p) for p in parts[1:]) or cued()
        if parts and all(lexicon.is_name(p) for p in parts):
            before = _TITLE_WORD_BEFORE.search(text[max(0, finding.start - 30) : finding.start])
            if before is not None and normalise(before.group(1)) in lexicon.first_names:
                return True  # "Anna [Schmidt]": the model cut the first name off
        return cued()

    def _without_leading_verb(self, text: str, finding: Finding) -> Finding:
        """The finding minus an imperative verb or a greeting NER took as a first name
        ("Compare Hasura", "Cher Monsieur Lefèvre")."""
        first = WORD.match(text, finding.start)
        if first is None or first.end() >= finding.end:
            return finding
        verb = normalise(first.group())
        greeting = verb in _SALUTATIONS or verb in GREETING_WORDS  # wherever it stands
        if not greeting and (
            verb in _ALSO_FIRST_NAMES
            or verb not in self._lexicon.verbs
            or not _SENTENCE_START.search(text[max(0, finding.start - 40) : finding.start])
        ):
            return finding
        rest = WORD.search(text, first.end(), finding.end)
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
        words = span_words(text, start, end)
        while words and words[0] in _DETERMINERS:
            words = words[1:]  # "the Gunicorn"
        if not words:
            return False
        if all(w in TITLES for w in words):
            return True  # a title alone ("Dott.", "Sig.ra") names nobody
        if all(len(w) < 2 and w.isascii() for w in words) or (
            start > 0 and text[start - 1].isalnum()
        ):
            return True  # letters ("If F (or A, E, G)"), or the tail of a word ("OIDs")
        if entity == "PERSON" and _COMPOUND_TAIL.match(text, end):
            return True  # the head of a compound ("Jobb-id", "Kunden-ID"); "Berlin-based" is
        if normalise(span) in lexicon.curated:
            return True
        title = _TITLE_BEFORE.search(text[max(0, start - 12) : start])
        if title is not None and normalise(f"{title.group(1)} {span}") in lexicon.curated:
            return True  # "a Dr Pepper": a brand of a title and a word
        if look_alike(text, start, end, lexicon):
            return True  # "für Ihre Nachricht", "configure Hudson", "fails on Safari"
        spelt = WORD.findall(span)
        if any(lower_cased(w) and w not in _PARTICLES for w in spelt[1:]):
            return True  # a phrase ("Karpenter so Spot"), not a name
        if any(grammar_capitalised(w) for w in spelt):
            return True  # "Bitte speichern Sie Ihre Arbeit", "Liebe Kolleginnen": grammar
        if len(spelt) > 1 and lower_cased(spelt[-1]) and not _NAME_GOES_ON.match(text, end):
            return True  # a particle stands before a surname, never last ("Passagem de turno")
        if any(_COMPOUND_NOUN.search(w) for w in spelt):
            return True  # "IT-Jour-fixe", "AD-Konto": a compound noun, not a double name
        if self._code_literal(spelt) or self._lowercase_led_phrase(spelt, words):
            return True
        if spelt and lower_cased(spelt[0]) and self._no_word(words[0].split("-")[0]):
            return True  # code opens it ("gcc -Wwrite", "kb Backspace"), no word or name
        if all(w in _CALENDAR_WORDS for w in words) and (
            _DAY_AFTER.match(text, end) or any(w in _WEEKDAYS for w in words)
        ):
            return True  # a date ("Thu Jun 15", "March 3")
        if all(w in lexicon.curated or w in lexicon.tech for w in words):
            return True
        if len(words) > 1 and words[0] in _CODENAME_HEADS:
            return True  # "Sprint Lisbon", "Project Chimera": a codename
        term = _TERM_AFTER.match(text, end)
        if term is not None and normalise(f"{span} {term.group(1)}") in lexicon.curated:
            return True  # "Jakarta EE": the span opens a listed technology term
        if tech_prose(spelt, lexicon):
            return True
        if in_identifier(text, start, end) and not (quoted_value(text, start, end) and cued()):
            return True  # a cue's quoted value is words ('"from":"Ann Lee"'), not the key's
        if code_shaped(text, start, end, spelt):
            return True
        if acronym(text, start, end, words, entity=entity, lexicon=lexicon, cued=cued):
            return True
        if len(words) > 1 and (
            _HOLIDAY.search(span) or self._dictionary_phrase(words, spelt, entity)
        ):
            return True
        if (
            entity == "PERSON"
            and len(words) > 1
            and self._thing_word(spelt[-1])
            and words[-1] not in lexicon.streets  # "Lopez Crossroad" is an address
            and not any(w in lexicon.first_names for w in words)
        ):
            return True  # a common noun ends it, no first name in it ("Northstar Insights")
        if (
            entity == "PERSON"
            and len(words) > 1
            and self._plural_thing(spelt[-1])
            and words[-1] not in lexicon.streets  # "Matthew Shores" is an address
        ):
            return True  # a group or a product, not someone ("Ember Knights", "Arcane Sages")
        if (
            entity == "PERSON"
            and len(words) == 2
            and words[1] in _EDITIONS
            and self._thing_word(spelt[0])
        ):
            return True  # a dictionary word and an edition: a product ("Summit Max")
        if entity == "PERSON" and self._unread_words(span) and not cued():
            return True  # "안녕하세요", "وارد کن.": words the English model cannot read
        if used_as_product(text, start, end, words, lexicon) and not cued():
            return True
        if self._software_context(text, start, end, words, entity) and not cued():
            return True
        if (
            unlisted_product(text, start, end, words, lexicon, entity=entity)
            and not place_like(text, start, end, words, lexicon)
            and not cued()
        ):
            return True  # "Bug: Clearbit fails when Oozie is configured as the backend"
        if toponym_codename(text, start, end, words, lexicon, entity=entity) and not cued():
            return True  # "the Sapphire Rapids exporter crashed"
        if (
            worded_product(text, start, end, words, lexicon, entity=entity)
            or cut_codename(text, start, end, lexicon, entity=entity)
        ) and not cued():
            return True  # "Binary Ninja recommends ...", "faalt Granite [Ridge] af en toe"
        if shouted(text, start, end, lexicon):
            return True
        if text[end - 2 : end] not in ("'s", "’s") and _FOOD_NOUN_AFTER.match(text, end):
            return True  # "Dijon mustard", "Worcestershire sauce": a dish, not "Anna's salad"
        if text[end - 2 : end] not in ("'s", "’s") and _GOODS_NOUN_AFTER.match(text, end):
            return True  # "Florence desk lamp", "Lincoln chair": a product, not someone
        if self._trade_name(text, end, spelt):
            return True  # "Victoria Freight", "Austin Couriers", "Royal Mail": a firm
        if "," in span and all(w in _COMPASS for w in words):
            return True  # "North, South,": a report's regions listed
        if (
            len(spelt) > 1
            and spelt[0].isupper()
            and len(spelt[0]) > 1
            and not all(w.isupper() for w in spelt)
            and words[0] in lexicon.english
            and words[0] not in lexicon.first_names
        ):
            return True  # "VAT Reg.", "IT Support": an acronym of a word opens it
        if entity == "PERSON" and len(words) == 2 and words[1] in _WEEKDAYS:
            return True  # "Ruby Tuesday", "Black Friday": a brand or a day, no surname
        if len(words) > 1:
            return bool(_EPONYM_TERM_AFTER.match(text, end))  # "Monte Carlo sampler"
        word = words[0]
        if word in lexicon.english or (compound(word, lexicon) and not cued()):
            return True
        if (
            word in lexicon.english_names
            and word not in lexicon.first_names
            and _LABEL_COLON_AFTER.match(text, end)
            and _LINE_OPENS.search(text[max(0, start - 40) : start])
        ):
            return True  # "Date: 2017-08-23": a dictionary word as a header's label
        if word in ("max", "min") and _MEASURE_AFTER.match(text, end):
            return True  # "Max length is 24": an abbreviation
        if _LABEL_TO_AFTER.match(text, end) and _SENTENCE_START.search(
            text[max(0, start - 40) : start]
        ):
            return True  # "Bill to: ...": an invoice's field
        before = text[max(0, start - 12) : start].split()
        if before and before[-1].lower() in _DETERMINERS and word not in THE_PLACES:
            return True
        if _VERSION_AFTER.match(text, end):
            return True
        if linked_to_tech(text, start, end, lexicon) and not cued():
            return True  # "Chakra or Mantine"; not "Regards, James" (a sign-off's comma)
        if self._eponym_pair(text, start, end) and not cued():
            return True  # "Bellman-Ford", "Floyd-Warshall", "Dodd-Frank"
        if word.endswith(_TAXON_ENDINGS) and len(word) > 7 and lexicon.unknown(word):
            return True  # "Bifidobacterium strains", "Streptomyces"
        possessive = end - 2 if text[end - 2 : end] in ("'s", "’s") else end  # "Occam's"
        eponym = _EPONYM_NOUN_AFTER.match(text, possessive)
        if eponym and not (eponym.group().startswith(("'", "’")) and word in lexicon.first_names):
            return True  # "Horn clauses", "Hölder's inequality"; not "Anna's law firm"
        if _ORG_NOUN_AFTER.match(text, end):
            return True  # "Dear Sales Team", "Line Manager approval", "Cyber Monday"
        if entity == "PERSON" and self._among_things(text, start, end):
            return True  # "Employee Stock Purchase Plan", "dislikes Platinum and Diamond"
        if entity == "LOCATION" and self._heading_word(text, start, end, word):
            return True
        return self._imperative(text, start, end, word)

    def _trade_name(self, text: str, end: int, spelt: list[str]) -> bool:
        """Whether a capitalised word of a trade ends the span or follows it ("Victoria
        Freight", "Austin Couriers"): a firm's name then."""
        if len(spelt) > 1 and spelt[-1][:1].isupper() and spelt[-1].lower() in _TRADE_WORDS:
            return True
        after = _TRADE_WORD_AFTER.match(text, end)
        return after is not None and after.group(1).lower() in _TRADE_WORDS

    def _unread_words(self, span: str) -> bool:
        """Whether a word of the span is written in Korean, Thai, Georgian or Persian letters
        (scripts without capitals the English model has not learnt: it tags their words of
        prose at random, "안녕하세요", "هیچ کلید") and is no known name: a given name,
        a surname, a Korean family name before a given name ("김민수")."""
        lexicon = self._lexicon
        return any(
            _UNREAD_SCRIPT.match(word)
            and not (lexicon.is_name(normalise(word)) or korean_name(word, lexicon))
            for word in _UNREAD_WORD.findall(span)
        )

    def _software_context(
        self, text: str, start: int, end: int, words: list[str], entity: str
    ) -> bool:
        """Whether the span stands where software does, whatever its words: before a noun
        only software takes ("Grace Hopper users"; a known place only as no PERSON), or as
        an item of a list of software (:mod:`detectors.ner_lists`; one that holds a name or
        reads as a place needs two evident items beside it) or of a technology radar."""
        lexicon = self._lexicon
        known_place = any(w in lexicon.places for w in words)
        if before_software_noun(text, end, entity=entity) and (
            entity == "PERSON" or not known_place
        ):
            return True
        strict = (
            known_place
            or any(lexicon.is_name(w) for w in words)
            or place_like(text, start, end, words, lexicon)
        )
        if radar_item(text, start, end):
            return True  # "Adopt: Ada Lovelace, KeyDB" in a technology radar
        return listed_with_software(text, start, end, lexicon, strict=strict)

    def _thing_word(self, word: str | None) -> bool:
        """Whether ``word`` is a dictionary word that is no name in any use ("Purchase",
        "Platinum"; not "Grace", "Hill")."""
        if word is None:
            return False
        lexicon = self._lexicon
        lowered = normalise(word)  # "Assassin's" is "assassin"
        return (
            lowered in lexicon.english
            and lowered not in lexicon.english_names
            and not lexicon.is_name(lowered)
        )

    def _eponym_pair(self, text: str, start: int, end: int) -> bool:
        """Whether the span is two surnames joined by a hyphen, alone: a term named after
        two people ("Bellman-Ford", "Jukes-Cantor", "Sarbanes-Oxley"). A person of a
        double-barrelled name is written with a first name or a title ("Rémy Grondin-Cordier",
        "Ms Smith-Jones"); hyphenated first names ("Jean-Luc") and places
        ("Baden-Württemberg") are no such pair."""
        if not _HYPHEN_PAIR.fullmatch(text, start, end):
            return False
        lexicon = self._lexicon
        parts = normalise(text[start:end]).split("-")
        if all(p in lexicon.first_names for p in parts) or any(p in lexicon.places for p in parts):
            return False
        before = text[max(0, start - 30) : start].split()
        previous = normalise(before[-1]).rstrip(".") if before else ""
        return previous not in TITLES and previous not in lexicon.first_names  # "Ms. Smith-Jones"

    def _plural_thing(self, word: str) -> bool:
        """Whether ``word`` is the plural of a dictionary noun and no name ("Knights",
        "Sages"; surnames of that shape, "Hills", "Banks", are on the name lists)."""
        lexicon = self._lexicon
        lowered = word.lower()
        if not lowered.endswith("s") or lowered.endswith("ss") or not self._thing_word(word):
            return False
        singulars = (lowered[:-1], lowered[:-2] if lowered.endswith("es") else "")
        return any(s in lexicon.english or s in lexicon.english_names for s in singulars if s)

    def _among_things(self, text: str, start: int, end: int) -> bool:
        """Whether one word stands inside a title-case phrase of dictionary words ("Employee
        Stock Purchase Plan") or in a list with one ("Platinum and Diamond"): a thing's name
        then, as a person is seldom listed with or written between common nouns."""
        before = text[max(0, start - 30) : start]
        title_before = _TITLE_WORD_BEFORE.search(before)
        title_after = _TITLE_WORD_AFTER.match(text, end)
        if title_before and title_after:
            opens = start - len(before) + title_before.start()  # capitalised as it opens?
            if (
                self._thing_word(title_before.group(1))
                and self._thing_word(title_after.group(1))
                and not _SENTENCE_START.search(text[max(0, opens - 40) : opens])
            ):
                return True
        listed_before = _LISTED_BEFORE.search(before)
        listed_after = _LISTED_AFTER.match(text, end)
        return any(
            self._thing_word(m.group(1)) for m in (listed_before, listed_after) if m is not None
        )

    def _heading_word(self, text: str, start: int, end: int, word: str) -> bool:
        """Whether a word on no list opens a sentence or line as a heading or a changelog
        entry does ("Fixup for 550b2f7", "Miscellania - ..."): no town is written so."""
        if not self._lexicon.unknown(word) or not _ENTRY_AFTER.match(text, end):
            return False
        return bool(_SENTENCE_START.search(text[max(0, start - 40) : start]))

    def _code_literal(self, spelt: list[str]) -> bool:
        """Whether the span holds a literal of code ("True", "None") and otherwise only
        dictionary words or verbs ("Returns True")."""
        if not any(w in _CODE_LITERALS for w in spelt):
            return False
        return all(
            w in _CODE_LITERALS or normalise(w) in self._lexicon.english or self._verb(normalise(w))
            for w in spelt
        )

    def _lowercase_led_phrase(self, spelt: list[str], words: list[str]) -> bool:
        """Whether a lowercase word opens the span and the rest are dictionary words that are
        no name or acronyms ("al Insert", "ho Cursor": a table of codes; "el NAS": an
        article and a device), unlike "van Dyke"."""
        if len(spelt) < 2 or len(spelt) != len(words) or not lower_cased(spelt[0]):
            return False
        lexicon = self._lexicon
        return all(
            (w in lexicon.english and w not in lexicon.english_names and not lexicon.is_name(w))
            or (written.isupper() and 1 < len(written) <= 4)  # "NAS" is no name after "el"
            for w, written in zip(words[1:], spelt[1:], strict=True)
        )

    def _dictionary_phrase(self, words: list[str], spelt: list[str], entity: str) -> bool:
        """Whether a span of several words is a phrase of dictionary words, technology
        names and acronyms ("Callback Hell", "Linux Kernel Archive", "LF Turn", "Single
        Sign-On"): at least one word that is no name at all, a first name only where it is
        also a dictionary word and a noun of a plan, benefit or service ends the span
        ("Silver Tier", "First Line Support", unlike "Mark Twain"), and for a LOCATION no
        word of a place or street ("Silicon Valley")."""
        lexicon = self._lexicon
        spelt = spelt[len(spelt) - len(words) :]  # without the determiners ("the Help Centre")
        if len(words) != len(spelt) or " ".join(words) in lexicon.places:
            return False  # "United States"
        headed = words[-1] in _THING_HEADS
        plain = False
        for word, written in zip(words, spelt, strict=True):
            if word in lexicon.first_names and not (headed and word in lexicon.english_names):
                return False
            if (
                entity == "LOCATION"
                and (word in lexicon.places or word in lexicon.streets)
                and word not in lexicon.curated
            ):
                return False
            is_acronym = written.isupper() and len(written) > 1 and not lexicon.is_name(word)
            if self._plain(word) or lexicon.is_tech(word) or is_acronym:
                plain = True
            elif word not in lexicon.english_names and word not in lexicon.curated:
                return False
        return plain

    def _plain(self, word: str) -> bool:
        """Whether ``word`` is a dictionary word, or dictionary and function words joined by
        hyphens ("sign-on", "add-on", "role-based")."""
        lexicon = self._lexicon
        parts = word.split("-")
        return (
            word in lexicon.english
            or word in _WEEKDAYS_PLURAL
            or (
                len(parts) > 1
                and all(
                    p in lexicon.english or p in lexicon.verbs or p in _FUNCTION_WORDS
                    for p in parts
                )
                and not all(p in _FUNCTION_WORDS for p in parts)
            )
        )

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


def _opened_by_function_word(words: list[str], lexicon: Lexicon) -> bool:
    """Whether a span opens with a function word of another language that is no particle of
    a name ("de", "van") nor a first name, and is no known place of several words ("Nowa
    Ruda"): a question word or an adjective the model took for a name ("Proč", "Nowa")."""
    first = words[0]
    return (
        first in FOREIGN_MARKERS
        and first not in JOINERS
        and first not in lexicon.first_names
        and not (len(words) > 1 and " ".join(words) in lexicon.places)
    )
