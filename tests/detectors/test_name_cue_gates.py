"""The cue gates of ``detectors.name_cues`` (h61) change what the cues cost, never what they
find: every cue yields exactly the matches its pattern's ``finditer`` yields, on texts made
to sit at the gates' edges (a cue word in capitals, after a tab, inside a longer word, at a
line's start, letters that fold to ASCII only under ``re.IGNORECASE``) and on seeded
random mixes."""

from __future__ import annotations

import random
import re

import pytest

# The gates are private: what they must keep is the equality with the ungated patterns.
from detectors.name_cues import (
    _CUES,
    _FOREIGN_PREPOSITION,
    _FOREIGN_WORDS,
    _cue_matches,
    _prefixes,
)

# The cues' patterns with the ideographs' class, as they read the text as written.
_CUE_PATTERNS = tuple(re.compile(cue) for cue in _CUES)

# The cue of a preposition of another language has run, since h59, only on texts holding
# one of its words between blanks (" mit "): a gate by design, not an equivalence.
_FOREIGN = next(i for i, p in enumerate(_CUE_PATTERNS) if p.pattern == _FOREIGN_PREPOSITION)


def _gated(text: str) -> list[tuple[int, int, int]]:
    return [(index, m.start(), m.end()) for index, m in _cue_matches(text, len(_CUE_PATTERNS))]


def _ungated(text: str) -> list[tuple[int, int, int]]:
    return [
        (index, m.start(), m.end())
        for index, pattern in enumerate(_CUE_PATTERNS)
        if index != _FOREIGN or any(f" {word} " in text for word in _FOREIGN_WORDS)
        for m in pattern.finditer(text)
    ]


EDGES = [
    "Dear Kimberly Smith,\nthanks for the call.",
    "DEAR KIMBERLY,\tHI Anna!",
    "hello\tAnna, cheers\nTom",
    "Mrs. Okonkwo met Dr Victoria Smith and Sig.ra Rossi; Srta Ana; Dott.ssa Bianchi.",
    "Full name: Lise Uphuis / Email: lise@example.org\nFULL\tNAME:Ann Lee",
    "fullname: Ann, name's Bob, my name is Felicitas Stolze, signed by Tom",
    "the form said \"display_name\": \"Ann Lee\", 'full_name'='Bo Li'",
    "my neighbor Jagdish and my neighbour Pleun, the caller, Semra Staude, phoned",
    "ask Lara about it, looping\tin Ivo to the thread; cc Pleun, +Maren: see",
    "me\tand Shivansh have\tmet; the technician Jagdish arrived. I & Ana went",
    "Per the thread: Ann Lee said no. That Bruno confirmed it. Chris is on leave",
    "we HIRED Guus Sliepen as lead, then INTRODUCED Ana to the team",
    "To: Ann Lee <ann@example.org>\nOn Tue, 9:14 AM Bo Li <bo@example.org> wrote:",
    "Ann Lee, ann@example.org; Bo Li; bo@example.org",
    "Termin mit Jana Berger, a reunião com Adrian Aichner, by Emilie, FROM\tEugen:",
    "was disabled BY Pleun; is reviewed\tby Ann. Yiming Jing 2024-03-14 approved",
    # letters that fold to an ASCII letter only under IGNORECASE (long s, dotted and
    # dotless i, the Kelvin sign): the cue word is not in str.lower() of the text
    "THANKſ Anna, and Hİ Bob; hı Carl, then aſk Dora about it",
    "\u212aind regards,\nBo Li; DEAR Kıra",
    "Ǆ ǅ ß ẞ Σσς: Dear Ōno-Kōsuke, from Søren:",
]


@pytest.mark.parametrize("text", EDGES)
def test_gated_cues_match_as_their_patterns_do(text: str) -> None:
    """Each cue finds the same matches in an edge case as its pattern alone does."""
    assert _gated(text) == _ungated(text)


def test_edge_cases_do_match() -> None:
    """The edge cases exercise the cues: most of them hold a match (else equality is empty)."""
    assert sum(bool(_ungated(text)) for text in EDGES) == len(EDGES)


_PIECES = [
    *(w for w in ("Dear", "hi", "HELLO", "thanks", "Cheers", "Best", "oi", "hoi", "yours")),
    *("Mr", "Mrs.", "Dr", "Prof", "Herr", "Sig.ra", "Mlle"),
    *("name:", "Name is", "called", "signed", "author:", '"owner":', "customer", "user"),
    *("colleague", "son", "partner", "message from", "email", "ping", "cc", "add", "+"),
    *("me and", "I &", "they\tand", "engineer", "said", "wrote", "joined", "met", "hired"),
    *("by", "with", "from", "for", "to", "and", "or", "mit", "com", "@", "<", ">", ":", ";"),
    *("Ann", "Lee", "Bo", "Li", "Jagdish", "Pleun", "Kafka", "the", "issue", "ſ", "İ", "ı"),
    *("ann@example.org", "2024-03-14", "[10:42]", "-", "|", ",", ".", "!", "?", "\n", "\t"),
    *("that", "That", "will", "presented", "raised", "has", "is on leave", ">", "*", "•"),
]


def test_gated_cues_match_as_their_patterns_do_on_random_mixes() -> None:
    """On 3000 seeded random mixes of cue words, names and punctuation, each cue finds the
    same matches as its pattern alone does."""
    rng = random.Random(61)
    for _ in range(3000):
        pieces = rng.choices(_PIECES, k=rng.randint(4, 30))
        text = "".join(p + rng.choice(("", " ", " ", "  ", "\t")) for p in pieces)
        assert _gated(text) == _ungated(text), text


@pytest.mark.parametrize(
    ("alternatives", "prefixes"),
    [
        (("neighbou?r",), ("neighbo",)),
        ((r"Sig\.ra", "Sig", r"Dott\.ssa"), ("Sig", "Dott")),
        ((r"loop[ \t]+in", r"looping[ \t]+in"), ("loop",)),
        (("signed", "signed by", "name is"), ("signed", "name is")),
        (("full_?name",), ("full",)),
    ],
)
def test_prefixes_are_the_literal_starts(
    alternatives: tuple[str, ...], prefixes: tuple[str, ...]
) -> None:
    """A gate's words are the literal starts of the alternatives, none starting another."""
    assert sorted(_prefixes(alternatives)) == sorted(prefixes)
    for alternative in alternatives:
        assert any(re.match(re.escape(p), alternative.replace("\\", "")) for p in prefixes)
