"""The hold-back shape of passwords written before their key: "hunter2 is my password",
"Autumn2024! was the old pw", "use Xk9#mQ2 as the password".

The shapes of :mod:`policies.holdback` hold what could still grow into a match by its own
look. Here the value is complete when the words that make it a secret start to arrive,
and a streamed answer would release it with the next word. So the value is held while
the text after it could still be the rest of such a phrase, and goes as soon as that
text rules it out ("hunter2 is my favourite ..." goes at "favourite"), or at once when
the detector's own check says it is no password whatever follows ("The cat is my ...").

The phrases are not listed here a second time: they are the secrets detector's rules
whose match may begin words before their anchor (an :class:`AnchoredPattern` with
``words > 0``) and must go on after their value by more than a closing quote
(:func:`value_comes_first`). Each is tried as a *partial* match (the ``regex`` module's
``partial=True``: a match that reaches the end of the text and could go on) at the
positions the detector would try, up to ``words`` words before the unfinished token,
which holds the key being written. A phrase whose value follows a lead word ("use X as
the password") is also tried just before the pending text: the lead word goes out while
the value is being written, as any word does, and is read again from the released text.

Trying a partial match costs microseconds, so a position is tried only where the text
starts like the phrase can (its first few characters, found once by partial matches of
every ASCII prefix): every word for "X is my password", only "use", "wit", ... for
"use X as the password".

Why the stdlib's private regex parser (``re._parser``): where a rule's value lies in its
match (how much a match must read before and after it, how many non-blanks may precede
it) is read from the rule's own pattern, so a rule added to the secrets detector is held
back without being declared a second time here. A declared flag per rule could be
forgotten, and a forgotten value-first rule leaks its password in streamed answers.
``re._parser`` (``sre_parse`` before Python 3.11) is what ``re.compile`` itself runs, so
it reads exactly the syntax the rules are written in; being private, a change in a later
Python fails loudly (at the import, or in the margin tests of
``tests/policies/test_stream_value_first.py``), not silently.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from re import _parser  # type: ignore[attr-defined]  # no stubs for the private module
from typing import Any

import regex

from detectors.labelled_credentials import ClosedLabelPattern, LabelPattern
from detectors.secret_rule import AnchoredPattern, SecretRule
from detectors.secrets import shared_secrets_detector
from policies.holdback import open_token

#: Characters a match must read after its value for the value to come first (a blank and
#: a word, more than a closing quote), or before it for the phrase to lead with a word.
_WORD_AROUND_VALUE = 2
#: The prefixes a phrase can start with are collected up to this many characters, while
#: there are at most ``_MAX_PREFIXES`` of them ("use", "wit", not every possible value).
_PREFIX_CHARS = 3
_MAX_PREFIXES = 512
#: The answers :meth:`ValueFirstPhrases._starting` keeps (a few bytes each; prose starts
#: its words with a few thousand different three-letter heads).
_HEADS_KEPT = 65_536
_ASCII = tuple(map(chr, range(32, 127)))
#: A value of letters and digits, which every unquoted value of the rules can be; and
#: what ends one: the rest of its word and the blanks after it.
_PROBE = "Xk9mQ2vLp7"
_QUOTES = frozenset("\"'`")
_WORD_AND_BLANKS = re.compile(r"\S*\s*")
_REPEATS = (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT)
#: The groups :meth:`SecretRule.value_span` takes for the value.
_VALUE_GROUPS = ("value", "dq", "sq", "dq2", "sq2", "bt", "app", "bare")
#: How far back on its line the label of a value closed by a later word is looked for: a
#: label, six words of the sentence, "is" and the value.
CLOSING_REACH = 320
#: The fewest characters from a label to the unfinished token: "pw ist abcde ".
_MIN_CLOSING = 12


@dataclass(frozen=True, slots=True)
class _Phrase:
    """One value-first rule, its pattern compiled for partial matching."""

    rule: SecretRule
    partial: Any  # a regex.Pattern (the module ships no type information)
    prefixes: frozenset[str]  # the ASCII texts of up to ``depth`` characters it starts with
    depth: int
    #: At most how many characters other than blanks come before its value ("use "), or
    #: ``None`` if the value starts the match: then it is tried in pending text only.
    lead: int | None
    #: What the text after an unquoted value and its blanks can start with ("is", "was"),
    #: ``None`` if not known; and how many characters of it are known.
    follows: frozenset[str] | None
    follow_depth: int


@dataclass(frozen=True, slots=True)
class _Closing:
    """One rule whose value follows its label and is closed by a word after it ("ist
    harumaliquid und"), its closer compiled for partial matching."""

    rule: SecretRule
    pattern: ClosedLabelPattern
    closer: Any  # a regex.Pattern


@dataclass(frozen=True, slots=True)
class _Lookahead:
    """One rule whose value a lookahead closes with a word after blanks (``sqlplus u/X as
    sysdba``, ``AUTH X -> OK``, ``#define PW X // note``), compiled for partial matching."""

    rule: SecretRule
    partial: Any  # a regex.Pattern


class ValueFirstPhrases:
    """A :class:`policies.holdback.ContextShape`: where the value of a phrase whose key
    may still follow starts, or ``None``; likewise a value told after its label that a
    word still to come may close (:meth:`_closed_later`), and one that a lookahead's word
    after it, still being written, may close (:meth:`_closed_by_lookahead`)."""

    def __init__(self, rules: Iterable[SecretRule]) -> None:
        phrases = []
        closing = []
        lookaheads = []
        for rule in rules:
            pattern = rule.pattern
            if isinstance(pattern, ClosedLabelPattern):
                closer = regex.compile(pattern.closer.pattern, pattern.closer.flags)
                closing.append(_Closing(rule, pattern, closer))
            elif (
                isinstance(pattern, LabelPattern)
                and pattern.words == 0
                and closed_after_value(pattern.pattern)
            ):
                # held by nothing here: it would leak its value in streamed answers
                shown = pattern.pattern.pattern[:80]
                raise ValueError(f"a value that later words close needs a closer: {shown}")
            compiled = _value_first_pattern(pattern)
            margins = None if compiled is None else value_margins(compiled)
            if margins is None or margins.after < _WORD_AROUND_VALUE:
                plain = (
                    pattern
                    if isinstance(pattern, re.Pattern)
                    else getattr(pattern, "pattern", None)
                )
                if isinstance(plain, re.Pattern) and closed_by_lookahead_word(plain):
                    lookahead = regex.compile(plain.pattern, plain.flags)
                    lookaheads.append(_Lookahead(rule, lookahead))
                continue
            assert compiled is not None
            partial = regex.compile(compiled.pattern, compiled.flags)
            prefixes = _prefixes(partial)
            depth = max(map(len, prefixes), default=0)
            solid = margins.solid_before
            if solid is None:  # no bound: an anchored phrase's reach (a plain one has one)
                solid = pattern.reach if isinstance(pattern, AnchoredPattern) else 0
            lead = solid if margins.before >= _WORD_AROUND_VALUE else None
            follows = None if lead is not None else _follows(rule, partial)
            follow_depth = max(map(len, follows or ()), default=0)
            phrases.append(_Phrase(rule, partial, prefixes, depth, lead, follows, follow_depth))
        self._phrases = tuple(phrases)
        self._closing = tuple(closing)
        self._lookaheads = tuple(lookaheads)
        #: Where a word of some lookahead rule is, found in C: nearly no line has one.
        words = sorted({re.escape(word) for la in lookaheads for word in la.rule.triggers})
        self._lookahead_words = re.compile("|".join(words), re.IGNORECASE) if words else None
        anchored = [p.rule.pattern for p in phrases if isinstance(p.rule.pattern, AnchoredPattern)]
        #: How far before its anchor a match may start, in words and in characters.
        self.words = max((pattern.words for pattern in anchored), default=0)
        self.reach = max((pattern.reach for pattern in anchored), default=0)
        self._lead = max((p.lead for p in phrases if p.lead is not None), default=0)
        # Where some phrase may start: after a boundary (the detector tries a pattern only
        # there), at a character a phrase starts with or any beyond ASCII (not probed).
        firsts = "".join(sorted({re.escape(p[0]) for phrase in phrases for p in phrase.prefixes}))
        self._starts = re.compile(rf"(?<![^\W_])[{firsts}\x80-\U0010ffff]")
        self._depth = max((phrase.depth for phrase in phrases), default=0)
        #: The phrases that lead with words: the only ones that may start in the released
        #: text (one that starts with its value there would have released it already).
        self._leaders = tuple(p for p in self._phrases if p.lead is not None)
        #: Where some leader may start in ASCII text, found in C: nearly no word of prose
        #: starts like "use", "echo" or "is" (issue 11).
        self._leader_heads = _leader_heads(self._leaders)
        #: ``_starting``'s answers by the ``_depth`` ASCII characters a position starts with.
        self._by_head: dict[str, tuple[tuple[_Phrase, ...], tuple[_Phrase, ...]]] = {}

    def _starting(self, head: str) -> tuple[tuple[_Phrase, ...], tuple[_Phrase, ...]]:
        """The phrases a match of which may start with ``head`` (``_depth`` ASCII
        characters): those whose prefixes hold its first ``depth`` characters; and those
        of them that lead with words."""
        found = self._by_head.get(head)
        if found is None:
            every = tuple(p for p in self._phrases if head[: p.depth] in p.prefixes)
            found = (every, tuple(p for p in every if p.lead is not None))
            if len(self._by_head) < _HEADS_KEPT:  # bounded: any text may come
                self._by_head[head] = found
        return found

    @property
    def rules(self) -> tuple[SecretRule, ...]:
        """The value-first rules, in the detector's order."""
        return tuple(phrase.rule for phrase in self._phrases)

    @property
    def closing_rules(self) -> tuple[SecretRule, ...]:
        """The rules whose value a word after it closes, in the detector's order."""
        return tuple(closing.rule for closing in self._closing)

    @property
    def lookahead_rules(self) -> tuple[SecretRule, ...]:
        """The rules whose value a lookahead's word after it closes, in the detector's
        order."""
        return tuple(lookahead.rule for lookahead in self._lookaheads)

    def __call__(self, text: str, released: str) -> int | None:
        whole, offset = released + text, len(released)
        # The unfinished token (held anyway) may be the key being written; the phrase
        # starts at most ``words`` complete words before it.
        limit = open_token(whole)
        limit = len(whole) if limit is None else limit
        closed = self._closed_later(whole, offset, limit) if self._closing else None
        first = self._value_first(whole, offset, limit)
        if closed is None or (first is not None and first < closed):
            closed = first
        words = self._lookahead_words
        if words is not None and limit < len(whole) and words.search(whole) is not None:
            word = self._closed_by_lookahead(whole, offset, limit)
            if word is not None and (closed is None or word < closed):
                closed = word
        return closed

    def _closed_by_lookahead(self, whole: str, offset: int, limit: int) -> int | None:
        """Where, in the pending text (from ``offset``), a value starts that the word being
        written (from ``limit``, after blanks) may close as its rule's lookahead reads it
        (``sqlplus scott/X a…`` before ``as sysdba``): the value ended with the blank before
        that word, which would release it before the word has shown what it is."""
        if limit == 0 or whole[limit - 1] not in " \t" or whole[-1].isspace():
            return None  # a word glued to what is before it, or blanks
        # (Called only when some rule's word is in the text: nearly no read.)
        line = whole.rfind("\n", 0, limit) + 1
        lowered = whole[line:limit].lower()
        for lookahead in self._lookaheads:
            rule = lookahead.rule
            if not any(trigger in lowered for trigger in rule.triggers):
                continue  # nearly every line: none of the rule's words
            for match in lookahead.partial.finditer(whole, line, partial=True):
                if not match.partial:
                    continue  # complete before the end: the scan sees it
                start, end = rule.value_span(match)
                if (start, end) == match.span() or not offset < end <= limit:
                    break  # no value closed before the word, or one released already
                check = rule.check
                if check is None or check(whole[start:end], match, whole):
                    return max(start - offset, 0)
        return None

    def _closed_later(self, whole: str, offset: int, limit: int) -> int | None:
        """Where a value told after its label starts, in the pending text (from
        ``offset``), if the words still to come may close it ("ist harumaliquid u…"):
        once they are whole the scan sees the match, once they rule it out it goes. The
        value is the last whole word before the unfinished token; its label is looked for
        on its line, at most :data:`CLOSING_REACH` back."""
        end = len(whole[:limit].rstrip())
        start = max(whole.rfind(" ", 0, end), whole.rfind("\t", 0, end)) + 1
        line = max(whole.rfind("\n", 0, start) + 1, start - CLOSING_REACH)
        if start < offset or start - line < _MIN_CLOSING:
            return None  # released already, or no room for a label and "is" before it
        lowered = None
        for closing in self._closing:
            pattern = closing.pattern
            # Per read of every stream: the cheap tests first, the labels last.
            if pattern.value.fullmatch(whole, start, end) is None:
                continue
            closer = closing.closer.match(whole, end, partial=True)
            if closer is None or closer.end() < len(whole):
                continue  # ruled out, or complete before the end: the scan sees it
            lowered = whole[line:start].lower() if lowered is None else lowered
            for label_start, label_end in pattern.finder.find(lowered):
                if not pattern.kinds & pattern.finder.kinds(lowered[label_start:label_end]):
                    continue
                head = pattern.head.match(whole, line + label_start, end)
                if head is None:
                    continue
                check = closing.rule.check
                if check is None or check(whole[start:end], head, whole):
                    return start - offset
        return None

    def _value_first(self, whole: str, offset: int, limit: int) -> int | None:
        """Where the value of a phrase whose key may still follow starts."""
        # A phrase that leads with words may start in the released text, just before the
        # pending text (it holds the value); one that starts with its value may not.
        pending = offset
        lead = _back(whole, offset, self._lead) if self._lead else offset
        # Nor does any start more than ``words`` words (``reach`` characters) before it.
        floor = max(0, limit - self.reach, min(pending, lead))
        words = whole[floor:limit].rsplit(maxsplit=self.words)
        if len(words) > self.words:
            floor += len(words[0])
            pending, lead = max(pending, floor), max(lead, floor)
        first = min(pending, lead)
        # In the released text only a phrase that leads with words may start (another's
        # value would have been released: nothing to hold): only where one of them may
        # start is a position tried (every word start was, ~1 us each, per read).
        released = min(pending, limit)
        if first < released:
            position = self._leader_before(whole, first, released, limit)
            if position is not None:
                return max(position - offset, 0)  # the leftmost
        for start in self._starts.finditer(whole, max(first, pending), limit):
            position = start.start()
            if self._may_start(whole, position, limit, early=False):
                return max(position - offset, 0)  # the leftmost
        return None

    def _leader_before(self, whole: str, first: int, released: int, limit: int) -> int | None:
        """The first position from ``first`` to ``released`` (the released text) where a
        phrase that leads with words may still become a finding."""
        if self._leader_heads is None:
            return None
        starts = self._starts
        if not whole[first : released + self._depth].isascii():
            # Beyond ASCII no prefix rules a leader out: every word start is tried.
            for start in starts.finditer(whole, first, released):
                if self._may_start(whole, start.start(), limit, early=True):
                    return start.start()
            return None
        # Nearly all text: only where a leader's prefix is, found in C (the first
        # characters skipped fast), is a word start tried (every one was, ~1 us each).
        search = self._leader_heads.search
        found = search(whole, first)
        while found is not None and (position := found.start()) < released:
            if starts.match(whole, position) and self._may_start(
                whole, position, limit, early=True
            ):
                return position
            found = search(whole, position + 1)
        return None

    def _may_start(self, whole: str, position: int, limit: int, *, early: bool) -> bool:
        """Whether a phrase that may start at ``position`` may still become a finding
        (``early``: the position is in the released text, where only leaders may)."""
        head = whole[position : position + self._depth]
        # Nearly every position: the phrases its first characters allow, looked up at
        # once (each phrase's own prefix check, as below, made once per text).
        known = len(head) == self._depth and head.isascii()
        if known:
            every, leaders = self._starting(head)
            candidates = leaders if early else every
        else:
            candidates = self._leaders if early else self._phrases
        for phrase in candidates:
            if not known:
                prefix = whole[position : position + phrase.depth]
                if prefix.isascii():
                    if prefix not in phrase.prefixes:
                        continue
                elif (start := _ascii_start(prefix)) and start not in phrase.prefixes:
                    # The characters before the first beyond ASCII must still start a
                    # match: ``prefixes`` holds every ASCII start of one up to ``depth``
                    # (German prose was tried by every phrase at nearly every word).
                    continue
            if phrase.follows is not None and whole[position] not in _QUOTES:
                # An unquoted value is one word: what follows it must start the rest.
                word = _WORD_AND_BLANKS.match(whole, position)
                after = position if word is None else word.end()
                follow = whole[after : after + phrase.follow_depth]
                if follow and follow.isascii() and follow not in phrase.follows:
                    continue
            if _may_become_finding(phrase, whole, position, limit):
                return True
        return False


def _ascii_start(text: str) -> str:
    """The characters of ``text`` before its first one beyond ASCII."""
    for index, char in enumerate(text):
        if not char.isascii():
            return text[:index]
    return text


def _leader_heads(leaders: Sequence[_Phrase]) -> re.Pattern[str] | None:
    """Where, in ASCII text, some of ``leaders`` is tried at a word start (``None`` if
    none ever is): its next ``depth`` characters are one of the leader's prefixes (fewer
    only at the text's end). A trie, whose first characters the regular expression engine
    skips to in C."""
    trie: dict[str, Any] = {}
    for phrase in leaders:
        for prefix in phrase.prefixes:
            node = trie
            for char in prefix:
                node = node.setdefault(char, {})
            node[_HERE if len(prefix) == phrase.depth else _TEXT_END] = {}
    return re.compile(_trie_pattern(trie)) if trie else None


#: Trie keys beside characters: a prefix ends here, or ends here at the text's end.
_HERE, _TEXT_END = "", r"\Z"


def _trie_pattern(node: dict[str, Any]) -> str:
    """A pattern matching the texts of a character trie: at each character only the
    branches under it are tried (an alternation of hundreds of prefixes would try each at
    every word)."""
    branches = [
        key if key in (_HERE, _TEXT_END) else re.escape(key) + _trie_pattern(child)
        for key, child in sorted(node.items())
    ]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _value_first_pattern(pattern: object) -> re.Pattern[str] | None:
    """The regular expression of a rule that may be a value-first phrase (whether it must
    read on after its value, :func:`value_margins` tells): an anchored one whose match may
    start words before its anchor; or a plain one that leads with words and whose value
    ends its match but a lookahead must still see words after it
    (``ConvertTo-SecureString "X"(?=[ \t]+-AsPlainText)``): the unfinished token released
    the value before they arrived. (Plain rules that take the words after their value into
    the match are not held here yet: none leaked on the evaluation texts, but two do when
    written so, see the xfail in tests/policies/test_stream_lookahead_phrases.py.)"""
    if isinstance(pattern, AnchoredPattern):
        return pattern.pattern if pattern.words else None
    if not isinstance(pattern, re.Pattern):
        return None
    margins = value_margins(pattern)
    taken = value_margins(pattern, lookaheads=False).after
    leads = margins.before >= _WORD_AROUND_VALUE and margins.solid_before is not None
    return pattern if leads and taken < _WORD_AROUND_VALUE else None


@functools.cache
def default_rules() -> tuple[SecretRule, ...]:
    """The rules of the default secrets detector: the one the detection runs when its
    settings are the defaults (:func:`detectors.secrets.shared_secrets_detector`)."""
    return shared_secrets_detector().rules


@functools.cache
def default_phrases() -> ValueFirstPhrases:
    """The value-first phrases of :func:`default_rules`."""
    return ValueFirstPhrases(default_rules())


def _back(text: str, end: int, solid: int) -> int:
    """Where the text before ``end`` holding ``solid`` characters other than blanks
    (and the blanks around them) starts."""
    # Once per upstream read of every stream: one match in C over the text before ``end``
    # read backwards (a word at a time in Python cost ~300 bytecodes a read). ``\s`` is
    # ``str.isspace``'s blanks, every code point alike (checked).
    if end <= solid:
        return 0  # no more than ``solid`` characters before ``end``: all of them (most reads)
    back = _solid_back(solid).match(text[end - 1 :: -1])
    assert back is not None, "the pattern matches the empty text"
    return end - back.end()


@functools.cache
def _solid_back(solid: int) -> re.Pattern[str]:
    """Blanks, then up to ``solid`` characters other than blanks each with the blanks
    after it: :func:`_back`'s reading of a reversed text (one per phrase set's lead)."""
    return re.compile(rf"\s*(?:\S\s*){{0,{solid}}}")


def _prefixes(partial: Any, before: str = "") -> frozenset[str]:
    """The ASCII texts of up to :data:`_PREFIX_CHARS` characters that a match of
    ``partial`` can start with (after ``before``), as long as there are few of them."""
    viable: set[str] = set()
    level = [""]
    for _ in range(_PREFIX_CHARS):
        grown = []
        for text in (head + char for head in level for char in _ASCII):
            if partial.match(before + text, partial=True) is not None:
                grown.append(text)
                if len(grown) > _MAX_PREFIXES:
                    return frozenset(viable)
        viable.update(grown)
        level = grown
    return frozenset(viable)


def _follows(rule: SecretRule, partial: Any) -> frozenset[str] | None:
    """What the text after an unquoted value and its blanks can start with, learnt from
    :data:`_PROBE`; ``None`` if the probe is no value of the rule, or a value may end
    inside a word (directly followed by something other than a blank)."""
    probe = partial.match(_PROBE + " ", partial=True)
    if probe is None or rule.value_span(probe) != (0, len(_PROBE)):
        return None
    for char in _ASCII:
        glued = None if char.isspace() else partial.match(f"{_PROBE}{char} ", partial=True)
        if glued is not None and rule.value_span(glued) == (0, len(_PROBE)):
            return None
    follows = _prefixes(partial, _PROBE + " ")
    # More blanks may follow the first: those texts are judged from their next word.
    return frozenset(f for f in follows if not f[0].isspace()) if follows else None


def _may_become_finding(phrase: _Phrase, text: str, position: int, limit: int) -> bool:
    """True if ``phrase``, tried at ``position``, may still become a finding once more
    text arrives, with a value that starts before ``limit``, the unfinished token."""
    match = phrase.partial.match(text, position, partial=True)
    if match is None or match.end() < len(text):
        return False  # no match there, or one complete before the end: the scan sees it
    start, end = phrase.rule.value_span(match)
    if (start, end) == match.span():
        # No value group has closed: the value has not started, is the unfinished token
        # (held anyway), is an open quote (``open_quote`` holds it), or has several words
        # of which the text before the unfinished token makes a value.
        cut = phrase.partial.match(text, position, limit, partial=True)
        return cut is not None and phrase.rule.value_span(cut) != cut.span()
    check = phrase.rule.check
    # Judge the value as the detector will ("The cat is my ..." is no password).
    return check is None or bool(check(text[start:end], match, text))


def closed_by_lookahead_word(pattern: re.Pattern[str]) -> bool:
    """True if a lookahead right after one of ``pattern``'s value groups may read blanks
    and then a word of two characters or more (``(?=@|[ \t]+as[ \t])``, ``(?=[ \t]*->)``):
    the value is a finding only once that word has arrived, and its first character alone
    ends the value's token."""
    parsed = _parsed(pattern.pattern, pattern.flags)
    named = {pattern.groupindex[name] for name in _VALUE_GROUPS if name in pattern.groupindex}
    return any(
        _word_after_blanks(branch)
        for body in _lookaheads_after(parsed, [], named)
        for branch in _branches(body)
    )


def _lookaheads_after(items: Any, following: list[Any], named: set[int]) -> Iterator[Any]:
    """The bodies of the lookaheads that directly follow a group of ``named`` in the parsed
    sequence ``items`` (``following``: what follows that sequence in its parents)."""
    for index, (op, av) in enumerate(items):
        rest = [*items[index + 1 :], *following]
        if op is _parser.SUBPATTERN:
            if av[0] in named:
                yield from _next_lookaheads(rest)
            yield from _lookaheads_after(av[3], rest, named)
        elif op is _parser.BRANCH:
            for branch in av[1]:
                yield from _lookaheads_after(branch, rest, named)
        elif op in _REPEATS:
            yield from _lookaheads_after(av[2], rest, named)
        elif op is _parser.ATOMIC_GROUP:
            yield from _lookaheads_after(av, rest, named)


def _next_lookaheads(items: list[Any]) -> Iterator[Any]:
    """The bodies of the lookaheads ``items`` starts with (past other assertions)."""
    for op, av in items:
        if op is _parser.ASSERT and av[0] == 1:
            yield av[1]
        elif op not in (_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT):
            return


def _branches(body: Any) -> list[Any]:
    """The alternatives of a parsed sequence that is one alternation, else itself."""
    if len(body) == 1 and body[0][0] is _parser.BRANCH:
        return list(body[0][1][1])
    return [body]


def _word_after_blanks(branch: Any) -> bool:
    """True if the parsed ``branch`` starts with blanks (or may) and then reads a word of
    two characters or more that is not a line's end."""
    index = 0
    while index < len(branch) and _blank_item(*branch[index]):
        index += 1
    return index > 0 and _word(branch[index:])


def _word(items: Any) -> bool:
    """True if the parsed ``items`` (or one of their alternatives) read two characters or
    more that are not only a line's end."""
    if len(items) == 1 and items[0][0] is _parser.SUBPATTERN:
        return _word(items[0][1][3])
    if len(items) == 1 and items[0][0] is _parser.BRANCH:
        return any(_word(branch) for branch in items[0][1][1])
    return items.getwidth()[1] >= 2 and not _line_end_only(items)


def _blank_item(op: Any, av: Any) -> bool:
    """True if a parsed item matches blanks only (one, or a repeat of them)."""
    if op is _parser.LITERAL:
        return chr(av).isspace() and chr(av) not in "\r\n"
    if op is _parser.IN:
        return _blanks_only(av)
    return op in _REPEATS and all(_blank_item(*item) for item in av[2])


def _line_end_only(items: Any) -> bool:
    """True if the parsed ``items`` match only line breaks, blanks and the text's end."""
    for op, av in items:
        if op is _parser.LITERAL and not chr(av).isspace():
            return False
        if op is _parser.IN and not _blanks_only(av):
            return False
        if op in _REPEATS and not _line_end_only(av[2]):
            return False
        if op is _parser.SUBPATTERN and not _line_end_only(av[3]):
            return False
        if op is _parser.BRANCH and not all(_line_end_only(b) for b in av[1]):
            return False
        if op in (_parser.NOT_LITERAL, _parser.ANY, _parser.CATEGORY):
            return False
    return True


def closed_after_value(pattern: re.Pattern[str]) -> bool:
    """True if a match of ``pattern`` must go on after its value (one of the value groups
    :meth:`SecretRule.value_span` reads) by more than a closing quote: a word after the
    value closes it."""
    return value_margins(pattern, _VALUE_GROUPS).after >= _WORD_AROUND_VALUE


def value_comes_first(pattern: re.Pattern[str]) -> bool:
    """True if a match of ``pattern`` must go on after one of its named groups (the value,
    in the detector's rules) by more than a closing quote: its key may follow its value.
    A rule whose value ends the match ("password is X") is held by the unfinished-token
    and open-quote shapes."""
    return value_margins(pattern).after >= _WORD_AROUND_VALUE


@dataclass(frozen=True, slots=True)
class ValueMargins:
    """Where the value lies in a rule's match, over the pattern's named groups."""

    before: int  # the most characters a match must read before one (minimum widths)
    after: int  # the most it must read after one
    solid_before: int | None  # at most how many non-blank ones before one (None: no bound)


def value_margins(
    pattern: re.Pattern[str], groups: Iterable[str] | None = None, *, lookaheads: bool = True
) -> ValueMargins:
    """:class:`ValueMargins` of ``pattern``, from the parsed pattern, over its named
    groups (or those of ``groups`` it has); with ``lookaheads``, what a lookahead after a
    group must see counts as read after it."""
    names = pattern.groupindex if groups is None else set(groups) & set(pattern.groupindex)
    named = {pattern.groupindex[name] for name in names}
    every = _every_group_margins(pattern.pattern, pattern.flags, lookaheads=lookaheads)
    margins = [(before, after, solid) for group, before, after, solid in every if group in named]
    if not margins:
        return ValueMargins(0, 0, None)
    solids = [solid for _, _, solid in margins]
    return ValueMargins(
        max(before for before, _, _ in margins),
        max(after for _, after, _ in margins),
        None if None in solids else max(s for s in solids if s is not None),
    )


@functools.lru_cache(maxsize=1024)
def _parsed(pattern: str, flags: int) -> Any:
    """``pattern`` parsed (read, never changed): each rule's pattern is asked about several
    times at start-up (value groups, lookaheads), and a parse costs ~1 ms of it (h183)."""
    return _parser.parse(pattern, flags)


@functools.lru_cache(maxsize=1024)
def _every_group_margins(
    pattern: str, flags: int, *, lookaheads: bool
) -> tuple[tuple[int, int, int, int | None], ...]:
    """Each capturing group's number and :func:`_group_margins` in ``pattern``: one walk
    of the parsed pattern per rule, whichever of its groups are asked about."""
    return tuple(_group_margins(_parsed(pattern, flags), 0, 0, 0, lookaheads=lookaheads))


#: The most a parsed sequence's least width can be (``SubPattern.getwidth`` caps at it).
_WIDTH_CAP = _parser.MAXREPEAT - 1


def _group_margins(
    items: Any,
    preceding: int,
    following: int,
    solid: int | None,
    *,
    lookaheads: bool,
) -> Iterator[tuple[int, int, int, int | None]]:
    """For each capturing group in the parsed sequence ``items`` (which at least
    ``preceding`` characters precede, ``following`` follow, and at most ``solid`` non-blank
    ones precede): its number, the least a match reads before and after it, the most
    non-blank before."""
    # The widths of what precedes and follows each item are sums of the items' own (as
    # ``getwidth`` adds them), kept as the walk goes: slicing the sequence at each item
    # and measuring the slices made a start-up's shapes quadratic in a pattern's length.
    widths = [_parser.SubPattern(items.state, [item]).getwidth()[0] for item in items]
    total = sum(widths)
    # Where each lookahead of the sequence starts (the least width before it) and the
    # least it must see: what a lookahead after a value must see counts as read after it
    # (``(?=[ \t]+-AsPlainText)``: the value is a finding only once that has arrived,
    # though the match does not take it).
    ahead = [
        (index, sum(widths[:index]), av[1].getwidth()[0])
        for index, (op, av) in enumerate(items)
        if lookaheads and op is _parser.ASSERT and av[0] == 1  # a lookahead (-1: behind)
    ]
    read = 0  # the least width of the items before this one
    head: int | None = 0  # at most how many non-blank characters they match
    for index, (op, av) in enumerate(items):
        before = preceding + min(read, _WIDTH_CAP)
        start = read + widths[index]  # where the items after this one start
        rest = min(total - start, _WIDTH_CAP)
        for at, width_before, seen in ahead:
            if at > index:
                rest = max(rest, min(width_before - start, _WIDTH_CAP) + seen)
        after = following + rest
        solid_before = None if solid is None or head is None else solid + head
        read = start
        if head is not None:
            own = _solid_width([(op, av)])
            head = None if own is None else head + own
        if op is _parser.SUBPATTERN:
            if av[0] is not None:
                yield av[0], before, after, solid_before
            children = [av[3]]
        elif op is _parser.BRANCH:
            children = av[1]
        elif op in _REPEATS:
            children = [av[2]]
        elif op is _parser.ATOMIC_GROUP:
            children = [av]
        else:
            continue  # a literal, a class, or a lookaround (which holds no value)
        for child in children:
            yield from _group_margins(child, before, after, solid_before, lookaheads=lookaheads)


def _solid_width(items: Any) -> int | None:
    """At most how many characters other than blanks the parsed sequence ``items``
    matches (``None``: no bound)."""
    total = 0
    for op, av in items:
        width: int | None
        if op is _parser.LITERAL:
            width = 0 if chr(av).isspace() else 1
        elif op in (_parser.NOT_LITERAL, _parser.ANY):
            width = 1
        elif op is _parser.IN:
            width = 0 if _blanks_only(av) else 1
        elif op is _parser.SUBPATTERN:
            width = _solid_width(av[3])
        elif op is _parser.ATOMIC_GROUP:
            width = _solid_width(av)
        elif op is _parser.BRANCH:
            widths = [_solid_width(branch) for branch in av[1]]
            width = None if None in widths else max(w for w in widths if w is not None)
        elif op in _REPEATS:
            inner = _solid_width(av[2])
            unbounded = inner is None or av[1] == _parser.MAXREPEAT
            width = 0 if inner == 0 else None if unbounded or inner is None else av[1] * inner
        elif op in (_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT):
            width = 0
        else:
            width = None  # a back reference: no bound
        if width is None:
            return None
        total += width
    return total


def _blanks_only(members: Any) -> bool:
    """True if a parsed character class matches blanks only (``[ \\t]``, ``\\s``)."""
    return all(
        (op is _parser.LITERAL and chr(arg).isspace())
        or (op is _parser.CATEGORY and arg is _parser.CATEGORY_SPACE)
        for op, arg in members
    )
