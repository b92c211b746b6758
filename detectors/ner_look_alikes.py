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
  ("Login fails on Safari", "crashes on Ray", "greys out on Safari"), if the word is a
  technology term, also one that is a name (``data/tech_ambiguous.txt``): a person is
  seldom where software fails;
* software by what is said of it next ("Is Hudson still maintained", "Does Ada still make
  sense for firmware", "is Sencha still the thing", "Jackson is deprecated", "Jackson
  2.17.0", "bumped Jackson to 2.17.0", "Florence is the new vision model", "run Otto
  locally", "Grace Hopper crashed twice"): nobody is deprecated, still a choice, run
  locally or crashes without an object, and a person's name is not followed by a release
  number, nor is the name the model cut before one ("[Jasper] Lake 3.26.0"), nor runs
  across four hundred nodes, nor has a regression with it ("fixes a regression with El
  Capitan"); the alternative the same question offers ("... or has everyone moved to Codeium?"),
  unless a known place;
* software migrated from, to a technology name or a word on no list ("migrate the jobs from
  Rufus to Sidekiq", "migration checklist from Ada Lovelace to Javalin"),
  or to the span from one ("migration checklist from Mimikatz to El Capitan"; not a known
  place, nor a person named in full),
  or upgraded to ("after upgrading to Sonoma"); an environment named like a place
  ("Havana is production", "Capri is the staging cluster").

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
    r"works|worked|installed|deployed|hosted|gr[ae]y(?:s|ed)?[ \t]+out|blank|slow|"
    r"flicker(?:s|ing)?|glitch(?:es|y)?)[ \t]+(?:on|in|under)[ \t]+\Z",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s?\b")
# Verbs whose object is software and never a person.
_SOFTWARE_VERBS = frozenset({
    "install", "installs", "installed", "installing", "reinstall", "uninstall", "configure",
    "configures", "configured", "configuring", "reconfigure", "redeploy", "containerise",
    "containerize", "dockerise", "dockerize", "self-host", "provision", "recompile", "bump",
    "bumps", "bumped", "bumping",
})  # fmt: skip
# What is said of software only, right after its name ("Hudson is no longer maintained"),
# or after it in a question ("Is Hudson still maintained?"); not "Hudson maintained it".
_SOFTWARE_STATE = (
    r"(?:(?:still|now|no[ \t]+longer|not|being|officially|already)[ \t]+)?"
    r"(?:maintained|unmaintained|deprecated|archived|abandoned|open[- ]sourced|end-of-life|"
    r"discontinued|forked|vendored|pinned|read-only|decommissioned|sunset|sunsetted)\b"
)
_SOFTWARE_PREDICATE = re.compile(
    r"[ \t]+(?:is|was|are|were|has[ \t]+been|have[ \t]+been|will[ \t]+be|gets|got)[ \t]+"
    + _SOFTWARE_STATE,
    re.IGNORECASE,
)
_ASKED_STATE = re.compile(r"[ \t]+" + _SOFTWARE_STATE, re.IGNORECASE)
# A crash said of the span, no object after it ("Grace Hopper crashed twice last night",
# "Binary Ninja segfaulted on startup"); not "Ann crashed the car".
_CRASHED = re.compile(
    r"[ \t]+(?:crashed|crashes|segfault(?:ed|s)|panicked|keeps[ \t]+crashing)"
    r"(?=[ \t]*(?:[.,;:!?]|\Z|\n)|[ \t]+(?:again|twice|repeatedly|on[ \t]+startup|on[ \t]+boot|"
    r"during|after|when|whenever|every|overnight|\d|last[ \t]+night)\b)",
    re.IGNORECASE,
)
_ASKED_BEFORE = re.compile(r"\b(?:is|was|are|were)[ \t]+\Z", re.IGNORECASE)
# Whether a tool is still a choice, asked of it ("Does Ada still make sense for firmware",
# "is Sencha still the thing or ...", "Is Jakarta EE still worth learning"): asked of a
# choice of technology, not of someone.
_STILL_CHOSEN = re.compile(
    r"[ \t]+still[ \t]+(?:makes?[ \t]+sense|worth[ \t]+(?:it|learning|using|adopting|keeping)|"
    r"the[ \t]+(?:thing|way[ \t]+to[ \t]+go|standard|go-to)|a[ \t]+(?:good|safe|sane|"
    r"reasonable|solid)[ \t]+(?:choice|bet|option|pick))\b",
    re.IGNORECASE,
)
# The alternative offered in the same question ("is Sencha still the thing or has everyone
# moved to Codeium?", "still worth learning, or should a new team go straight to Tahoe?").
_STILL_CHOICE_ASKED = re.compile(_STILL_CHOSEN.pattern.replace(r"[ \t]+still", r"\bstill", 1), re.I)
_MOVED_TO_BEFORE = re.compile(
    r"\bor\b[^.?!\n]{0,40}?\b(?:moved|move|moving|switch(?:ed|ing)?|go(?:ne)?[ \t]+straight|"
    r"jump(?:ed)?)[ \t]+to[ \t]+\Z",
    re.IGNORECASE,
)
_STILL_ASKED_BEFORE = re.compile(r"\b(?:is|was|are|were|does|do|did)[ \t]+\Z", re.IGNORECASE)
# What software is, said of it ("Florence is the new vision model", "Otto is a CLI for ..."),
# not of a person's job ("Maria is our database admin").
_SOFTWARE_NOUN = re.compile(
    r"[ \t]+(?:is|was)[ \t]+(?:a|an|the|our|their)[ \t]+(?:[\w-]+[ \t]+){0,2}?"
    r"(?:library|framework|package|plugin|extension|sdk|api|cli|database|compiler|linter|"
    r"runtime|engine|daemon|crate|gem|orm|bundler|formatter|"
    r"(?:vision|language|embedding|speech|ml|llm|ai)[ \t]+model)"
    r"(?=[ \t]*(?:[.,;:!?)]|\Z|\n|(?:for|that|which|with|from|by|in|to|and|we)\b))",
    re.IGNORECASE,
)
# A regression or a compatibility with the span ("fixes a regression with El Capitan",
# "interop with Yosemite"): said of software only, whatever its name.
_REGRESSED_WITH = re.compile(
    r"\b(?:regressions?[ \t]+(?:with|in)|(?:compatibility|incompatibilit(?:y|ies)|"
    r"interop(?:erability)?)[ \t]+with)[ \t]+(?:the[ \t]+)?\Z",
    re.IGNORECASE,
)
# Where software is run ("run Otto locally", "run Lando in Docker").
_RUN_BEFORE = re.compile(r"\b(?:run|runs|running|ran)[ \t]+\Z", re.IGNORECASE)
_RUN_WHERE = re.compile(
    r"[ \t]+(?:locally|in[ \t]+(?:docker|a[ \t]+container|ci|production|staging|the[ \t]+"
    r"background|kubernetes|k8s)|on[ \t]+(?:localhost|kubernetes|k8s|docker)"
    # on or across machines ("run Lakefield across four hundred nodes", "on 3 hosts")
    r"|(?:on|across)[ \t]+(?:(?:all|our|the|every|\d+|[a-z]+(?:[ \t-]+(?:hundred|thousand))?)"
    r"[ \t]+)?(?:nodes|hosts|servers|machines|clusters|vms|pods|gpus|cores|boxes))\b",
    re.IGNORECASE,
)
# Migrated from the span to a technology name ("port the jobs from Rufus to Sidekiq").
_MIGRATED_FROM = re.compile(
    r"\b(?:migrat\w*|port|ports|ported|porting|convert\w*|rewrit\w*)\b[^.\n]{0,40}?"
    r"\bfrom[ \t]+\Z",
    re.IGNORECASE,
)
# Migrated from a word to the span ("our migration checklist from Mimikatz to"); people and
# towns are moved from one to another ("move from Hobbsport to Malawi"), and accounts are
# migrated to a person named in full ("from Quillon to Maria Lopez").
_MIGRATED_TO = re.compile(
    r"\b(?:migrat\w*|port|ports|ported|porting|convert\w*|rewrit\w*)\b[^.\n]{0,40}?"
    r"\bfrom[ \t]+([A-Za-z][\w.+#-]*)[ \t]+to[ \t]+\Z",
    re.IGNORECASE,
)
# Capitalised words that go on after a span the model cut short ("[Jasper] Lake 3.26.0").
_NAMED_ON = re.compile(r"(?:[ \t]+[A-Z][\w.+#-]*){1,2}(?=[ \t])")
# Upgraded to the span: a release, not a place or person ("after upgrading to Sonoma").
_UPGRADED_TO = re.compile(
    r"\b(?:upgrad\w*|downgrad\w*|updat(?:e|es|ed|ing))[ \t]+to[ \t]+\Z", re.IGNORECASE
)
# An environment of a deployment named like a place ("Havana is production").
_ENVIRONMENT = re.compile(
    r"[ \t]+is[ \t]+(?:the[ \t]+|our[ \t]+)?(?:"
    r"(?:staging|production|prod|dev|canary|qa|uat)(?:[ \t]+(?:cluster|environment|env|"
    r"database|db|server|region|instance|stack|site))?(?=[ \t]*(?:[.,;:!?)]|\Z|\n|and\b))"
    r"|(?:primary|replica|standby|failover)[ \t]+(?:cluster|database|db|server|region|"
    r"instance|node|site)\b)",
    re.IGNORECASE,
)
_TO_TARGET = re.compile(r"[ \t]+to[ \t]+([A-Za-z][\w.+#-]*)")
# A release number after the name, or "to"/"from" one ("Jackson 2.17.0", "Jackson to
# 2.17.0", "Jackson from v2", "minimum supported Lakefield is now 16.2.9", "Moldrath older
# than 4.2.1"): three numbers, or a "v" and a number. Not "x.y", which is a
# British clock time or a score as often ("Maria from 9.30", "Ann Lee 4.5").
_VERSION_AFTER = re.compile(
    r"[ \t]+(?:(?:to|from|is(?:[ \t]+now)?|older[ \t]+than|newer[ \t]+than|>=?|<=?|==)[ \t]+)?"
    r"(?:v?\d+\.\d+\.(?:\d+|x)\b|v\d+(?:\.\d+)*\b)"
)


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
    if _software_by_context(text, start, end, before, lexicon):
        return True
    if (
        _MOVED_TO_BEFORE.search(before)
        and _STILL_CHOICE_ASKED.search(text, max(0, start - 200), start)
        and normalise(text[start:end]) not in lexicon.places
    ):
        return True  # "is Sencha still the thing or has everyone moved to Codeium?"
    last = before.rstrip(" \t")[-4:].lower()
    if (
        last.endswith(("with", "in", "the"))
        and _REGRESSED_WITH.search(before)
        and not _POSSESSIVE.match(text, end)
        and normalise(text[start:end]) not in lexicon.places
    ):
        return True  # "fixes a regression with El Capitan"
    if _FAILS_ON.search(before) and not _POSSESSIVE.match(text, end):
        words = normalise(text[start:end]).split()
        return all(w in lexicon.ambiguous or lexicon.is_tech(w) for w in words)
    return False


def _software_by_context(text: str, start: int, end: int, before: str, lexicon: Lexicon) -> bool:
    """Whether what is said of the span, or where it is moved to, is said of software only
    (the fourth and fifth look-alikes of the module docstring)."""
    if _SOFTWARE_PREDICATE.match(text, end) or _VERSION_AFTER.match(text, end):
        return True
    named_on = _NAMED_ON.match(text, end)
    if named_on is not None and _VERSION_AFTER.match(text, named_on.end()):
        return True  # "What's new in [Jasper] Lake 3.26.0": the model cut the name
    if _CRASHED.match(text, end):
        return True
    if _SOFTWARE_NOUN.match(text, end):
        return True
    if _ASKED_BEFORE.search(before) and _ASKED_STATE.match(text, end):
        return True
    if _STILL_ASKED_BEFORE.search(before) and _STILL_CHOSEN.match(text, end):
        return True
    if _RUN_BEFORE.search(before) and _RUN_WHERE.match(text, end):
        return True
    if _UPGRADED_TO.search(before) or _ENVIRONMENT.match(text, end):
        return True
    source = (
        _MIGRATED_TO.search(text, max(0, start - 80), start)
        if before.rstrip(" \t")[-3:].lower() in (" to", "\tto")
        else None
    )
    if source is not None:
        word = normalise(source.group(1)).rstrip(".")
        span = normalise(text[start:end])
        words = span.split()
        person = words[0] in lexicon.first_names and all(lexicon.is_name(w) for w in words[1:])
        known = lexicon.is_name(word) or span in lexicon.places or (len(words) > 1 and person)
        if (lexicon.is_tech(word) or lexicon.unknown(word)) and not known:
            return True  # "migration checklist from Mimikatz to El Capitan"
    target = _TO_TARGET.match(text, end)
    if target is None or not _MIGRATED_FROM.search(before):
        return False
    word = normalise(target.group(1)).rstrip(".")
    # a technology name, or a capitalised word on no list ("from Ada Lovelace to Javalin")
    return (lexicon.is_tech(word) or lexicon.unknown(word)) and not lexicon.is_name(word)
