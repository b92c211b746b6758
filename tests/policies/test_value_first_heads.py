"""Value-first phrases found by the phrases a position's first characters allow (looked up
once per head) are exactly those found by trying each phrase's prefixes at every position."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policies.holdback import open_token
from policies.value_first import (
    _QUOTES,
    _WORD_AND_BLANKS,
    ValueFirstPhrases,
    _back,
    _may_become_finding,
    default_phrases,
)
from tests.fuzzing import examples

_WORDS = st.sampled_from(
    [
        "hunter2",
        "Xk9#mQ2",
        '"two words"',
        "'a b'",
        "is",
        "was",
        "my",
        "the",
        "password",
        "pw",
        "use",
        "using",
        "as",
        "would",
        "be",
        "1234",
        "código",
        "de",
        "la",
        "puerta",
        "Passwort",
        "ist",
        "é",
        "wo",
        "u",
        "\n",
    ]
)
_SEPARATORS = st.sampled_from([" ", "  ", "\t", "\n", ", ", ": ", ""])
#: Phrases whose key is still to come once cut short: most texts end inside one.
_PHRASES = st.sampled_from(
    [
        "hunter2 is my password",
        "Xk9#mQ2 was the pw",
        "use 'two words' as the password",
        "would Xk9#mQ2!vL be a good pw",
        "1234 código de la puerta",
        "\n4711 door code",
    ]
)


def reference(phrases: ValueFirstPhrases, text: str, released: str) -> int | None:
    """The hold-back as written before the per-head lookup: every phrase's prefix tried at
    every position."""
    whole, offset = released + text, len(released)
    limit = open_token(whole)
    limit = len(whole) if limit is None else limit
    pending = offset
    lead = _back(whole, offset, phrases._lead) if phrases._lead else offset
    floor = max(0, limit - phrases.reach, min(pending, lead))
    words = whole[floor:limit].rsplit(maxsplit=phrases.words)
    if len(words) > phrases.words:
        floor += len(words[0])
        pending, lead = max(pending, floor), max(lead, floor)
    for start in phrases._starts.finditer(whole, min(pending, lead), limit):
        position = start.start()
        for phrase in phrases._phrases:
            if position < pending and phrase.lead is None:
                continue
            prefix = whole[position : position + phrase.depth]
            if prefix.isascii() and prefix not in phrase.prefixes:
                continue
            if phrase.follows is not None and whole[position] not in _QUOTES:
                word = _WORD_AND_BLANKS.match(whole, position)
                after = position if word is None else word.end()
                follow = whole[after : after + phrase.follow_depth]
                if follow and follow.isascii() and follow not in phrase.follows:
                    continue
            if _may_become_finding(phrase, whole, position, limit):
                return max(position - offset, 0)
    return None


@settings(max_examples=examples(600), deadline=None, database=None)
@given(st.lists(st.tuples(_WORDS, _SEPARATORS), max_size=12), st.data())
def test_heads_find_what_every_prefix_finds(
    words: list[tuple[str, str]], data: st.DataObject
) -> None:
    """For any text of phrase words cut anywhere into released and pending text, the held
    value starts where the per-phrase reference puts it."""
    whole = "".join(word + blank for word, blank in words)
    cut = data.draw(st.integers(0, len(whole)))
    phrases = default_phrases()
    assert phrases(whole[cut:], whole[:cut]) == reference(phrases, whole[cut:], whole[:cut])


def test_heads_find_the_samples_value() -> None:
    """A password before its key, with the key still to come, is held from the value on,
    by the lookup as by the reference; prose is not held."""
    phrases = default_phrases()
    for released, text in [
        ("Sure. ", "hunter2 is my "),
        ("Then ", "use Xk9#mQ2 as the "),
        ("", "The cat sat on the mat and "),
    ]:
        assert phrases(text, released) == reference(phrases, text, released)
    assert phrases("hunter2 is my ", "Sure. ") == 0
    assert phrases("The cat sat on the mat and ", "") is None
