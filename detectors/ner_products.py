"""Software named in prose: spans the model tags as people or places that are products.

The small English model tags product and service names as PERSON or LOCATION ("installs
Kong", "run Luigi locally", "Chakra or Mantine", "Graylog"). The NER filter
(:mod:`detectors.ner_filter`) asks these questions of a span:

* :func:`tech_prose`: its capitalised words, past a first word that may open a sentence,
  are all technology names (no first name or surname: "installs Kong", "Then Kong"); the
  NER gate (:mod:`detectors.ner_gate`) skips sentences on the same reading;
* :func:`used_as_product`: its words are technology names, also those that are a name or
  a place (``data/tech_ambiguous.txt``: "Ray", "Phoenix"), or words on no list at all
  ("Detekt"), and the text uses it as a product: before a product noun ("Ray workers"),
  after a verb that takes software ("run Luigi locally", "export to Ray"), or linked to a
  technology name ("replace Ray with Dask"); never a place ("Fort Westbury") nor a
  possessive ("disable Ray's account");
* :func:`linked_to_tech`: it is listed with a technology name ("Chakra or Mantine", "A, B";
  table cells "| Alpha | Linux |" link words like commas) or, a word on no list of names or
  places, between two acronyms ("MH, Babyl, and MMDF");
* :func:`compound`: one word that is two words or technology names run together
  ("Graylog" as "gray" + "log", "Buildkite") and no name or place.
"""

from __future__ import annotations

import re

from detectors.ner_lexicon import Lexicon, normalise
from detectors.ner_places import TOPONYM_ENDINGS, place_like
from detectors.ner_spelling import code_case
from detectors.ner_words import capitalised, word_set
from detectors.text_regions import EDGE_PUNCTUATION, is_identifier

__all__ = [
    "after_product_verb",
    "after_software_phrase",
    "before_software_noun",
    "compound",
    "linked_to_tech",
    "tech_prose",
    "used_as_product",
]

# A comma, slash or table rule ("| |" between two rows: the cells of one column), or a
# conjunction.
_LINK = (
    r"(?:[ \t]*(?:[,/]|\|(?:[ \t]*\n?[ \t]*\|)?)[ \t]*(?:(?:or|and)[ \t]+)?"
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
_PRODUCT_NOUNS = word_set(
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
    "dags shards replicas controller controllers namespace chart "
    # and what a product has, is or is used for ("Monix users", "the Defold shim", "a fresh
    # Calva install", "Granite Ridge support", "Delinea memory growth")
    "users support shim shims exporter exporters format quickstart install installs "
    "installation suite end-to-end health memory licensing pricing docs documentation "
    "hosts fleet box boxes runtime engine cache setup upgrade migration"
)
# Verbs whose object is software ("run Luigi", "deploy Phoenix"), and none that also takes
# a person ("ask", "call", "host", "replace X as on-call", "switch X to another team").
_PRODUCT_VERBS = word_set(
    "install installs installed installing uninstall reinstall deploy deploys deployed "
    "deploying redeploy run runs running rerun restart restarts restarted configure "
    "configures configured configuring upgrade upgraded downgrade self-host containerise "
    "containerize dockerise dockerize mock mocks mocked stub patch patched instrument "
    "benchmark compile lint provision scale shard migrate migrating integrate import "
    "export exports exported adopt adopts adopted adopting bump bumps bumped bumping "
    "upgrades upgrading downgrades downgrading evaluate evaluates evaluated evaluating "
    "decommission decommissioned deprecate deprecates deprecated fork forked embed embeds "
    "embedded benchmarks benchmarked benchmarking"
)
# What stands before software in a phrase about it ("support for Oozie", "a regression in
# Yunikorn", "experience with Flarum", "written in Crystal", "a self-hosted Kopia", "keeping
# Qubes in production"): a person is not supported, regressed in or self-hosted.
_SOFTWARE_BEFORE = re.compile(
    r"\b(?:(?:support|compatibility|integration|interop|regressions?|experience|familiarity|"
    r"proficiency|written|built|implemented|rewritten|replacement|stick|porting|ported|"
    r"migrating|migrated|switching|switched)[ \t]+(?:for|with|in|on|to|from|off)"
    r"|(?:build|boot|startup|start-up|load|response|query|compile)[ \t]+times[ \t]+(?:on|with)"
    r"|(?:cli|app|apps|backend|frontend|library|libraries|sdk|firmware|"
    r"tooling|scripts?)[ \t]+in"
    r"|on[ \t]+top[ \t]+of|alongside|(?:self-)?hosted|managed|legacy|fresh|native|vanilla|"
    r"upstream"
    # a release's bump ("a major bump of Zorin")
    r"|(?:major|minor|patch|version)[ \t]+(?:bump|upgrade)s?[ \t]+(?:of|to))"
    r"[ \t]+(?:the[ \t]+|a[ \t]+)?\Z",
    re.IGNORECASE,
)
# An item listed before the span after such a phrase, which the span shares ("experience
# with Yosemite or Sun Valley", "support for Quillon, Brevada and Zelkin").
_ITEM_BEFORE = re.compile(
    r"(?:[ \t]+[A-Z][\w.+#-]*(?:[ \t]+[A-Z][\w.+#-]*){0,2},?){1,3}"
    r"[ \t]+(?:or|and|nor)[ \t]+\Z"
)
# A tool a job ad or a brief asks for "or similar" ("3+ years with Zeek or similar").
_OR_SIMILAR = re.compile(r"[ \t]+or[ \t]+(?:similar|equivalent|comparable)\b", re.IGNORECASE)
# A choice of two at a question's start ("Doobie or Tahoe? We need ...", "ok so Defold or
# Denverton for the new internal tool?"): the other item, before or after the span.
_CHOICE_OPENS = r"(?:\A|[.!?][ \t]+|\n[ \t]*|\bso[ \t]+)"
_CHOICE_CLOSES = r"[ \t]*(?:\?|[ \t]for[ \t]+(?:the|a|an|our|my)\b)"
_CHOICE_BEFORE = re.compile(rf"{_CHOICE_OPENS}([A-Z][\w.+#-]*)[ \t]+or[ \t]+\Z")
_CHOICE_AFTER = re.compile(rf"[ \t]+or[ \t]+([A-Z][\w.+#-]*)(?={_CHOICE_CLOSES})")
_CHOICE_END = re.compile(_CHOICE_CLOSES)
_CHOICE_START = re.compile(rf"{_CHOICE_OPENS}\Z")
# What software has, after its name and "'s" ("Drush's scheduler", "Kopia's webhooks",
# "Phaser's new pricing page"); a person has a laptop, an account, a team.
_OWNED_BY_SOFTWARE = re.compile(
    r"['’]s?[ \t]+(?:(?:new|own|latest|default|built-in|official)[ \t]+)?(?:scheduler|"
    r"webhooks?|plugins?|plugin[ \t]+system|licensing|licen[cs]e|pricing|api|sdk|cli|runtime|"
    r"docs|documentation|changelog|release[ \t]+notes|maintainers|query[ \t]+planner|"
    r"defaults|source[ \t]+code|codebase|installer|config(?:uration)?[ \t]+(?:file|format))\b",
    re.IGNORECASE,
)
# Nouns only software stands before, which are no verbs ("Tom builds", "Anna logs in") and
# which no person or town is written before ("Grace Hopper users", "the Alder Lake
# exporter", "a Cascade Lake client"): they make even a name or a place shape a product.
_SOFTWARE_NOUNS = word_set(
    "quickstart shim shims exporter exporters sdk sdks api apis cli plugin plugins sidecar "
    "sidecars backend backends connector connectors adapter adapters runtime driver drivers "
    "end-to-end integration integrations binary binaries format operator"
)
# ... and "users" or a "fleet", which a town has too ("Tokyo users"): for a PERSON only.
_SOFTWARE_NOUNS_OF_PEOPLE = _SOFTWARE_NOUNS | word_set("users clients client fleet")
_WORD_BEFORE = re.compile(r"([A-Za-z][\w-]*)[ \t]+(?:(?:to|into|from|with|onto)[ \t]+)?\Z")
_DIRECT_OBJECT_OF = re.compile(r"\b([A-Za-z][\w-]*)[ \t]+\Z")
_POSSESSIVE = re.compile(r"['’]s?\b")
_PRODUCT_NOUN_AFTER = re.compile(r"[ \t]+([a-z]+(?:-[a-z]+)*)\b")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,5}")


def tech_prose(spelt: list[str], lexicon: Lexicon) -> bool:
    """Whether the capitalised words of a span (its words as written: ``spelt``), past a
    first word that may open a sentence, are all technology names ("installs Kong", "Then
    Kong"): prose about software, not a name. Names that are also technologies ("Jenkins")
    are kept."""
    words = [normalise(w).rstrip(".") for w in spelt]
    if spelt and capitalised(spelt[0]):
        first = words[0]
        if lexicon.opener(first) or lexicon.opener(re.split(r"[^\w]", first)[0]):
            words, spelt = words[1:], spelt[1:]
    return all(
        lexicon.is_tech(w) for w, w_spelt in zip(words, spelt, strict=True) if capitalised(w_spelt)
    )


def used_as_product(text: str, start: int, end: int, words: list[str], lexicon: Lexicon) -> bool:
    """Whether a span of technology names (also ambiguous ones) or unknown words stands
    where a text names software: before a product noun, after a verb that takes
    software, or linked to a technology name (module docstring)."""
    product = [lexicon.is_tech(w) or w in lexicon.ambiguous or lexicon.unknown(w) for w in words]
    if not any(product) or not all(
        p or w in lexicon.english or w in lexicon.curated
        for p, w in zip(product, words, strict=True)
    ):
        return False
    owned = _OWNED_BY_SOFTWARE.match(text, end) is not None
    # a place's shape on no list of places, with what software owns ("Lakefield's webhooks")
    # or as the object of a verb that takes software ("We benchmarked Graviton on ..."), is
    # software's: a town is visited, moved to, shipped to, never benchmarked
    if place_like(text, start, end, words, lexicon) and not (
        (owned or _direct_object(text, start)) and not any(w in lexicon.places for w in words)
    ):
        return False  # "Lake Annetteborough", "Fort Westbury"
    if _POSSESSIVE.match(text, end):
        return owned  # not "disable Ray's account"
    noun = _PRODUCT_NOUN_AFTER.match(text, end)
    if (noun is not None and noun.group(1) in _PRODUCT_NOUNS) or _OR_SIMILAR.match(text, end):
        return True
    if _offered_choice(text, start, end, lexicon):
        return True
    if after_product_verb(text, start):
        return True
    if after_software_phrase(text, start):
        return True
    before = _PRODUCT_BEFORE.search(text[max(0, start - 60) : start])
    after = _PRODUCT_AFTER.match(text, end)
    neighbours = [m.group(1) for m in (before, after) if m is not None]
    return any(_tech_neighbour(n, lexicon) for n in neighbours) or linked_to_tech(
        text, start, end, lexicon
    )


def _direct_object(text: str, start: int) -> bool:
    """Whether a verb that takes software stands right before ``start``, no preposition
    between ("benchmarked [Graviton]", not "export to [Lakefield]")."""
    direct = _DIRECT_OBJECT_OF.search(text, max(0, start - 30), start)
    return direct is not None and direct.group(1).lower() in _PRODUCT_VERBS


def _offered_choice(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether the span is one of two items offered as a choice at a question's start ("A or
    B?", "A or B for the new tool?") and the other is no name or place either: people are
    seldom offered so, without a word more, and two words on no list side by side are
    products as often as not."""
    before = text[max(0, start - 60) : start]
    other = _CHOICE_BEFORE.search(before)
    if other is None or not _CHOICE_END.match(text, end):
        after = _CHOICE_AFTER.match(text, end)
        if after is None or not _CHOICE_START.search(before):
            return False
        other = after
    word = normalise(other.group(1)).rstrip(".")
    return (lexicon.unknown(word) or lexicon.is_tech(word)) and not (
        lexicon.is_name(word) or word in lexicon.places
    )


def _tech_neighbour(neighbour: str, lexicon: Lexicon) -> bool:
    """Whether the word listed beside a span is software: a technology name, an identifier,
    or capitals as code writes them ("SGD, Adam and RAdam")."""
    bare = neighbour.strip(EDGE_PUNCTUATION)
    word = normalise(bare).rstrip(".")
    return lexicon.is_tech(word) or is_identifier(neighbour) or code_case(bare)


def linked_to_tech(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether the word is listed with a technology name ("Chakra or Mantine", "A, B"),
    or, if it is no name or place, between acronyms ("MH, Babyl, and MMDF")."""
    before = _LINKED_BEFORE.search(text[max(0, start - 60) : start])
    after = _LINKED_AFTER.match(text, end)
    neighbours = [m.group(1) for m in (before, after) if m is not None]
    if any(_tech_neighbour(n, lexicon) for n in neighbours):
        return True
    word = normalise(text[start:end]).rstrip(".")
    if lexicon.is_name(word) or word in lexicon.places or len(neighbours) < 2:
        return False
    # acronyms on both sides: one after a town could be its state ("Gilmoremouth, AK")
    return all(_ACRONYM.fullmatch(n.strip(EDGE_PUNCTUATION)) for n in neighbours)


def compound(word: str, lexicon: Lexicon) -> bool:
    """Whether ``word`` is two English words or technology names run together
    ("graylog", "buildkite") and no name or place."""
    if len(word) < 6 or not word.isalpha() or lexicon.is_name(word) or word in lexicon.places:
        return False
    if word.endswith(TOPONYM_ENDINGS):
        return False
    return any(
        _part(word[:cut], lexicon) and _part(word[cut:], lexicon) for cut in range(3, len(word) - 2)
    )


def _part(piece: str, lexicon: Lexicon) -> bool:
    """Whether ``piece`` can be half of a compound: a word, a name, a technology; of
    three letters only a dictionary word ("log", "max": "Maxheap")."""
    if len(piece) < 4:
        return piece in lexicon.english or piece in lexicon.english_names
    return piece in lexicon.english or piece in lexicon.tech or lexicon.is_name(piece)


def before_software_noun(text: str, end: int, *, entity: str) -> bool:
    """Whether a noun that only software stands before follows the span ("Grace Hopper
    users", "the Alder Lake exporter"): as a PERSON, also "users" and "client"."""
    noun = _PRODUCT_NOUN_AFTER.match(text, end)
    if noun is None:
        return False
    nouns = _SOFTWARE_NOUNS_OF_PEOPLE if entity == "PERSON" else _SOFTWARE_NOUNS
    return noun.group(1) in nouns


def after_software_phrase(text: str, start: int) -> bool:
    """Whether a phrase about software stands right before ``start`` ("support for", "a
    regression in", "a self-hosted"), which no person or town follows, or before the items
    listed before it ("experience with Yosemite or [Sun Valley]")."""
    if _SOFTWARE_BEFORE.search(text[max(0, start - 40) : start]) is not None:
        return True
    if not text[max(0, start - 5) : start].rstrip(" \t").endswith(("or", "and", "nor")):
        return False
    listed = _ITEM_BEFORE.search(text[max(0, start - 80) : start])
    if listed is None:
        return False
    opens = max(0, start - 80) + listed.start()
    return _SOFTWARE_BEFORE.search(text[max(0, opens - 40) : opens] + " ") is not None


def after_product_verb(text: str, start: int) -> bool:
    """Whether a verb whose object is software stands right before ``start`` ("deploy",
    "decommission", "adopt"; "export to")."""
    verb = _WORD_BEFORE.search(text[max(0, start - 30) : start])
    return verb is not None and verb.group(1).lower() in _PRODUCT_VERBS
