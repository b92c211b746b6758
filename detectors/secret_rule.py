"""One secret rule: what it matches with, how sure a match is, and the check its value must pass.

:class:`SecretRule` is a row of the table in :mod:`detectors.secret_rules`; its matcher is a
compiled pattern or an :class:`AnchoredPattern` (a pattern tried only near a literal
anchor). ``SPECIFIC``, ``STRUCTURED`` and ``CONTEXTUAL`` are the priorities that decide
which of two overlapping findings wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

Check = Callable[[str, re.Match[str], str], bool]
"""``check(value, match, text)``: True if the matched ``value`` is a real secret."""

SPECIFIC, STRUCTURED, CONTEXTUAL = 3, 2, 1

#: The anchors found in one lowercased text, by anchor pattern and flags.
AnchorCache = dict[tuple[str, int], list[tuple[int, int]]]

_VALUE_GROUPS = ("value", "dq", "sq", "dq2", "sq2", "bt", "app", "bare")


class Matcher(Protocol):
    """What a rule matches with: a compiled pattern, or an :class:`AnchoredPattern`."""

    @property
    def groupindex(self) -> Mapping[str, int]:
        """The pattern's named groups."""
        ...

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        """Non-overlapping matches, left to right."""
        ...


@dataclass(frozen=True, slots=True)
class AnchoredPattern:
    """``pattern``, tried only where it can start near a match of ``anchor``.

    ``anchor`` matches a literal part of every match in the lowercased text (the key word
    "pass", or "name:"). A pattern that may start at any word ("Autumn2024! is my
    password", a key with up to four prefixes before "password") otherwise costs an
    attempt at every word of every text. Here each anchor sends the pattern back ``words``
    whitespace-separated words (0: to the start of the anchor's own word), at most
    ``reach`` characters, and it is tried there at each position after a non-alphanumeric
    character (every pattern using this starts after a boundary), leftmost first.
    """

    anchor: re.Pattern[str]
    pattern: re.Pattern[str]
    words: int
    reach: int

    @classmethod
    def build(cls, anchor: str, pattern: str, words: int, reach: int) -> AnchoredPattern:
        """``anchor`` is a lowercase regular expression, ``pattern`` the rule's."""
        return cls(re.compile(anchor), re.compile(pattern), words, reach)

    @property
    def groupindex(self) -> Mapping[str, int]:
        """The named groups of ``pattern``."""
        return self.pattern.groupindex

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        """The matches of ``pattern`` around the anchors, left to right, not overlapping."""
        return self.finditer_lowered(string, lowered_in_place(string))

    def finditer_lowered(
        self, string: str, lowered: str, anchors: AnchorCache | None = None
    ) -> Iterator[re.Match[str]]:
        """:meth:`finditer`, given ``string`` lowercased by :func:`lowered_in_place` (the
        detector lowercases a text once for all its anchored rules) and, optionally, a
        cache of the anchors found in it: rules with the same anchor ("pass|pw", "key|token|
        secret") look for it once per text."""
        if anchors is None:
            found = [(a.start(), a.end()) for a in self.anchor.finditer(lowered)]
        else:
            key = (self.anchor.pattern, self.anchor.flags)
            cached = anchors.get(key)
            if cached is None:
                cached = anchors[key] = [
                    (a.start(), a.end()) for a in self.anchor.finditer(lowered)
                ]
            found = cached
        position = 0
        for anchor_start, anchor_end in found:
            if anchor_end <= position:
                continue
            floor = max(position, anchor_start - self.reach)
            start = anchor_start
            for word in range(self.words + 1):
                while word and start > floor and string[start - 1].isspace():
                    start -= 1
                while start > floor and not string[start - 1].isspace():
                    start -= 1
            endpos = anchor_end + _TAIL
            for candidate in range(start, anchor_start + 1):
                if candidate and string[candidate - 1].isalnum():
                    continue
                match = self.pattern.match(string, candidate, endpos)
                if match is not None:
                    position = match.end()
                    yield match
                    break


_TAIL = 600  # characters after an anchor: more than a key, a separator and a value take


def lowered_in_place(string: str) -> str:
    """``string`` lowercased character for character, so that offsets stay the same (a few
    characters lowercase to two: "İ")."""
    lowered = string.lower()
    if len(lowered) != len(string):
        lowered = "".join(ch.lower()[0] for ch in string)
    return lowered


@dataclass(frozen=True, slots=True)
class SecretRule:
    """One pattern. The finding's span is the first of the groups ``value``, ``dq``, ``sq``,
    ``dq2``, ``sq2`` (a second alternative's quotes), ``bt`` (backticks), ``app`` (an app
    password of four letter groups), ``bare`` that took
    part in the match, else the whole match."""

    entity_type: str
    pattern: Matcher
    score: float
    priority: int
    triggers: tuple[str, ...]  # lowercase substrings; the rule runs only if one occurs
    check: Check | None = None

    def value_span(self, match: re.Match[str]) -> tuple[int, int]:
        """Offsets of the secret value inside ``match``."""
        for name in _VALUE_GROUPS:
            if name in self.pattern.groupindex and match.start(name) >= 0:
                return match.span(name)
        return match.span()
