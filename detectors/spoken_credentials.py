"""Passwords and PINs read out on a call, as a transcript writes them.

Voice bots and call-centre tools paste transcripts into AI tools, and a transcriber writes a
credential said aloud one character a word: "the pin for the company card is four seven oh
one", "the password is on a sticker its capital s u m m e r 2 0 2 4 hash". The run of
spelled characters (:data:`SPELLED_RUN`: single letters and digits, number words with "oh"
for zero, "capital"/"big"/"lower case" before a letter, "double"/"triple" before one, and
the names of marks: "hash", "at sign", "dash", "underscore") is the password; it is one only
after a cue (:func:`told_after_cue`):

* on its line, a word for what it is (password, passcode, PIN, pin number, a code that
  opens something: not a zip, area, error or promo code) and at most six words before a
  word that hands the value over ("is", "its", "changed to", "spelled", ":"); or
* alone at the start of a speaker's turn (after "yes", "sure", "got it"), when one of the
  three lines before it names such a credential ("can you spell it for me").

People read out phone numbers, order numbers and dates the same way: a phone, order or
card-number cue is no password cue, and a run without a cue is never reported. English
only: the part's other languages (Italian, Swahili, Maltese, Irish chat) read out no
credential in tuning16.

The run ends at the first word that is no spelled character, so a stream must hold a run
being written after a cue until that word or the line's end arrives
(:func:`open_spoken_run`, a hold-back shape of :mod:`policies.holdback`).
"""

from __future__ import annotations

import re
from typing import Final

from detectors import entities as E
from detectors.secret_rule import CONTEXTUAL, SecretRule

_LETTER = r"[a-z]"
_NUMBER_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|niner)"
_CASE = r"(?:capital|caps?|big|small|upper[ -]?case|lower[ -]?case)"
_MARK = (
    r"(?:hash(?:tag)?|pound(?:[ \t]+sign)?|at(?:[ \t]+sign)?|dollar(?:[ \t]+sign)?|dash"
    r"|hyphen|minus|underscore|dot|period|full[ \t]+stop|star|asterisk"
    r"|percent(?:[ \t]+sign)?|and[ \t]+sign|ampersand|exclamation(?:[ \t]+(?:mark|point))?"
    r"|bang|question[ \t]+mark|plus(?:[ \t]+sign)?|equals(?:[ \t]+sign)?"
    r"|(?:forward[ \t]+|back[ \t]*)?slash|colon|tilde|caret)"
)
#: One spelled character: a case word and its letter, a doubled or tripled character, a
#: mark's name, a number word, a letter or a digit.
_TOKEN = (
    rf"(?:{_CASE}[ \t]+{_LETTER}|(?:double|triple)[ \t]+(?:{_NUMBER_WORD}|{_LETTER}|\d)"
    rf"|{_MARK}|{_NUMBER_WORD}|{_LETTER}|\d)(?![\w'’-])"
)
# The last character may not be a bare "a", "i" or "at": "... four at the desk", "... one i
# think" end the run before them.
_LAST = rf"(?!(?:a|i|at)(?![\w'’-])){_TOKEN}"
_SEP = r"[ \t]*,?[ \t]+"
#: A run of at least four spelled characters (a PIN has four), not inside a word.
SPELLED_RUN = re.compile(rf"(?i)(?<![\w'’@.-])(?P<value>(?:{_TOKEN}{_SEP}){{3,}}{_LAST})")

#: What a code is when it is no secret (as :mod:`detectors.office_codes` reads them).
_NOT_SECRET: Final = frozenset((
    "zip", "post", "postal", "area", "country", "dialling", "dialing", "error", "exit",
    "status", "return", "tax", "product", "promo", "promotional", "discount", "voucher",
    "coupon", "gift", "reference", "booking", "sort", "source", "qr", "bar", "swift", "bic",
    "branch", "confirmation", "tracking", "order", "invoice", "ticket", "case", "item",
    "sku", "account", "routing", "serial", "model", "part", "iban",
))  # fmt: skip
#: A word naming a credential; ``kind`` is the word before "code".
_CUE = re.compile(
    r"(?i)(?<![\w-])(?:pass[ \t]?words?|passcodes?|pass[ \t]codes?|passphrases?|pwd?"
    r"|pins?(?:[ \t]+(?:number|no|code))?|(?:(?P<kind>[\w-]+)[ \t]+)?codes?)(?![\w-])"
)
#: Words between a cue and the run that show it is a number of another kind.
_OTHER_NUMBER = re.compile(
    r"(?i)(?<![\w-])(?:phone|mobile|cell|number|order|tracking|ticket|case|invoice|zip"
    r"|postcode|extension|ext|serial|reference|ref|account|card[ \t]+number|date|dob"
    r"|birthday|social|ssn|iban)(?![\w-])"
)
#: The end of a cue's line before the run: at most six words, then a word handing the
#: value over and fillers ("uh", "like").
_HANDED_OVER = re.compile(
    r"(?i)^(?:[ \t,]+[^\s.?!;]+){0,6}?[ \t,]*"
    r"(?:(?<![\w'’])(?:is|was|are|'s|’s|its|it's|it’s|to|now|spelled|spelt|spells|goes"
    r"|reads|spell[ \t]+it|as)|[:=])"
    r"(?:[ \t,]+(?:uh|um|er|like|so|just|now|again|its|it's|it’s|basically))*[ \t,:]*\Z"
)
#: A speaker's turn up to the run: a time stamp, a label and words of assent.
_TURN_START = re.compile(
    r"(?i)^[ \t]*(?:\[[^\]\n]{0,24}\][ \t]*)?(?:[^\s:][^:\n]{0,30}:[ \t]*)?"
    r"(?:(?:yes|yeah|yep|sure|ok|okay|got[ \t]+it|right|so|its|it's|it’s|that's|thats"
    r"|again|uh|um|er|no[ \t]+problem|of[ \t]+course|sorry)[ \t,.!]*){0,3}\Z"
)
#: Characters before a run read for its cue: within what a stream scans again with a held
#: value (:data:`policies.holdback.CONTEXT_CHARS`, 256).
LOOK_BACK_CHARS: Final = 200
_TURN_LINES: Final = 3


def _is_cue(cue: re.Match[str]) -> bool:
    kind = cue["kind"]
    return kind is None or kind.lower() not in _NOT_SECRET


def told_after_cue(text: str, start: int) -> bool:
    """True if the spelled run at ``start`` of ``text`` follows a credential's cue: on its
    line, a cue and a word handing it over; or at the start of a turn, a cue in one of the
    three lines before."""
    floor = max(0, start - LOOK_BACK_CHARS)
    line = text.rfind("\n", floor, start) + 1
    before = text[max(line, floor) : start]
    cues = [cue for cue in _CUE.finditer(before) if _is_cue(cue)]
    if cues:
        rest = before[cues[-1].end() :]
        if _HANDED_OVER.match(rest) is not None and _OTHER_NUMBER.search(rest) is None:
            return True
    if line <= floor or _TURN_START.match(before) is None:
        return False
    above = text[floor : line - 1].split("\n")[-_TURN_LINES:]
    return any(
        _is_cue(cue) and _OTHER_NUMBER.search(row) is None
        for row in above
        for cue in _CUE.finditer(row)
    )


def _spoken(value: str, match: re.Match[str], text: str) -> bool:
    return told_after_cue(text, match.start("value"))


_TRIGGERS: Final = ("pass", "pin", "code", "pw")


def spoken_credential_rules() -> tuple[SecretRule, ...]:
    """The rule of this module: a spelled run after a credential's cue is a password."""
    return (SecretRule(E.PASSWORD, SPELLED_RUN, 0.7, CONTEXTUAL, _TRIGGERS, _spoken),)


# A run being written: spelled characters reaching the end of the text, then a word that
# needs the next one ("capital ", "double ", "and ") and at most a word being written.
_OPEN_RUN = re.compile(
    rf"(?i)(?<![\w'’@.-])(?:{_TOKEN}{_SEP})*"
    rf"(?:(?:{_CASE}|double|triple|and|question|exclamation|full|forward|back|dollar"
    rf"|percent|plus|equals|pound)[ \t]+)?[^\s]*\Z"
)
_OPEN_RUN_CHARS: Final = 600  # a run of 64 characters spelled with case words


def open_spoken_run(text: str) -> int | None:
    """Where a run of spelled characters after a credential's cue starts, if it reaches the
    end of ``text`` and may still go on: the rule's value ends at the first word that is no
    spelled character, so the run is held until that word or the line's end arrives."""
    # Run on every read of every stream: a substring test first.
    tail = max(0, len(text) - _OPEN_RUN_CHARS)
    near = text[max(0, tail - LOOK_BACK_CHARS) :].lower()
    if not any(trigger in near for trigger in _TRIGGERS):
        return None  # most texts: no word for a credential near the end
    run = _OPEN_RUN.search(text, tail)
    if run is None or run.start() == len(text) or not told_after_cue(text, run.start()):
        return None
    return run.start()
