"""Passwords in prose: "my password is X", "use X as the password", "X is my password",
"login admin / X", "user admin password X" (also a ``.netrc`` line).

A value in prose must look like a password and not like a word of prose: a digit, a
symbol inside it, mixed case, or a lowercase word of seven letters or more that is not one
of the words that follow "password is" in prose (``data/password_prose_words.txt``) and
does not end like an English participle, adjective or adverb (:func:`looks_like_password`).
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.secret_rule import CONTEXTUAL, AnchoredPattern, Check, SecretRule
from detectors.secret_values import is_expression, is_placeholder

# A value: quoted, in backticks, or bare. A bare value runs to the next blank, quote, ","
# or ";" and keeps a full stop after it ("my password is Autumn2024." masks "Autumn2024."):
# the streamed answer masks whole tokens, and the whole answer must mask the same.
VALUE = (
    r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'|`(?P<bt>[^`\n]{1,256})`"
    r"|(?P<bare>[^\s\"'`,;]{1,256}))"
)
# Where "use X as the new password" and "X is my old password" may start before their
# key: six words back (verb, value, "as", determiner, two adjectives), a value's length and
# the words around it.
_KEY_ANCHOR = "pass|pw"
_WORDS_BEFORE_KEY = 6
_VALUE_REACH = 256 + 64
_KEY = r"(?i:password|passwd|passphrase|passcode|pwd|pw)"
# "password is X", "password for the admin account was X", "password was changed to X".
# Longer verbs first: a regex alternation takes the first that fits, not the longest.
_VERB = (
    r"(?i:(?:is|was|has[ \t]+been|had[ \t]+been)[ \t]+(?:changed|set|reset|updated)[ \t]+to"
    r"|(?:changed|set|reset|updated)[ \t]+to|is[ \t]+now|is[ \t]+still|is|was"
    r"|will[ \t]+be|would[ \t]+be|should[ \t]+be)"
)
_FOR = r"(?:[ \t]+(?i:for|of|on|to)(?:[ \t]+[^\s:=,.;]{1,40}){1,4}?)?"
_DETERMINER = r"(?:(?i:the|my|your|our|his|her|their|its|a|an)[ \t]+)?(?:[\w-]{1,20}[ \t]+){0,2}"
# Suffixes of English participles, adjectives and adverbs: "the password is unchanged",
# "...is predictable", "...is definitely".
_PROSE_SUFFIXES = (
    "ed", "ing", "ly", "able", "ible", "ive", "ous", "ful", "less", "ness", "ment",
    "tion", "sion", "ity",
)  # fmt: skip


def looks_like_password(prose_words: frozenset[str]) -> Check:
    """``prose_words``: the shipped list and the English words together."""
    """A value in prose: a password's shape, not a word of the sentence around it."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if match["bare"] is None:  # quoted: the quotes delimit it
            return len(value) >= 4 and not is_placeholder(value) and not is_expression(value)
        value = value.rstrip(".!?:")  # "the password is wrong!": judge the word
        if len(value) < 6 or is_placeholder(value) or is_expression(value):
            return False
        if value[0] == "/" or "://" in value:
            return False  # a path, a URL
        if _prose_compound(value, prose_words):
            return False
        if any(ch.isdigit() for ch in value):
            return True
        if any(not (ch.isalnum() or ch in "_-") for ch in value[1:]):
            return True  # a symbol inside: "Tr0ub4dor&3", "S+l2BNCy("
        if len(value) >= 8 and value[0].islower() and not value.islower():
            return True  # camelCase: "styleDemocrat"
        return (
            value.isalpha()
            and value.islower()
            and len(value) >= 7
            and not (_prose_word(value, prose_words))
        )

    return check


def _prose_word(word: str, prose_words: frozenset[str]) -> bool:
    """An English word (or its plural); short ones also by their ending, which a password
    made of two words ("courtcapable") is too long to be caught by."""
    return (
        word in prose_words
        or (word.endswith("s") and word[:-1] in prose_words)
        or (len(word) <= 10 and word.endswith(_PROSE_SUFFIXES))
    )


def _prose_compound(value: str, prose_words: frozenset[str]) -> bool:
    """ "base64-encoded", "bcrypt-hashed", "SHA256", "UTF-8": words about a password."""
    last = value.rsplit("-", 1)[-1].lower()
    if "-" in value and last.isalpha() and _prose_word(last, prose_words):
        return True
    letters = [ch for ch in value if ch.isalpha()]
    return (
        len(value) <= 8
        and bool(letters)
        and all(ch.isupper() for ch in letters)
        and (value.replace("-", "").isalnum())
    )


def prose_rules(words: frozenset[str]) -> tuple[SecretRule, ...]:
    """The rules for passwords in prose; ``words``: what a password in prose is not."""
    looks = looks_like_password(words)
    rule = SecretRule
    triggers = ("pass", "pw")
    return (
        rule(  # "my password is X", "the password for the admin account was changed to X"
            E.PASSWORD,
            AnchoredPattern.build(
                _KEY_ANCHOR,
                r"(?<![\w.-])" + _KEY + _FOR + r"[ \t]+" + _VERB + r"[ \t]+(?:[:=][ \t]*)?" + VALUE,
                0,
                0,
            ),
            0.7,
            CONTEXTUAL,
            triggers,
            looks,
        ),
        rule(  # "use X as the password", "try X as your new password"
            E.PASSWORD,
            AnchoredPattern.build(
                _KEY_ANCHOR,
                r"(?<![\w-])(?i:use|using|try|tried|typed|type|enter|entered|set|with)[ \t]+"
                + VALUE
                + r"[ \t]+(?i:as)[ \t]+"
                + _DETERMINER
                + _KEY
                + r"\b",
                _WORDS_BEFORE_KEY,
                _VALUE_REACH,
            ),
            0.7,
            CONTEXTUAL,
            triggers,
            looks,
        ),
        rule(  # "X is my password", "X was the old password"
            E.PASSWORD,
            AnchoredPattern.build(
                _KEY_ANCHOR,
                r"(?<![^\s(\[{,;:])"
                + VALUE
                + r"[ \t]+(?i:is|was)[ \t]+"
                + _DETERMINER
                + _KEY
                + r"\b",
                _WORDS_BEFORE_KEY,
                _VALUE_REACH,
            ),
            0.7,
            CONTEXTUAL,
            triggers,
            looks,
        ),
        rule(  # "login admin / X", "creds: deploy/X", "credentials are root:X"
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])(?i:creds|credentials|logins?|user/pass(?:word)?|u/p"
                r"|username/password)[ \t]*(?:[:=-]|(?i:is|are))?[ \t]*"
                r"[\w.@+-]{1,64}[ \t]*[/:|][ \t]*(?!/)" + VALUE
            ),
            0.7,
            CONTEXTUAL,
            ("cred", "login", "u/p", "/pass"),
            looks,
        ),
        rule(  # "user admin password X", .netrc "machine h login alice password X"
            E.PASSWORD,
            AnchoredPattern.build(
                _KEY_ANCHOR,
                r"(?<![\w-])(?i:login|user(?:name)?|user[ \t]?id)[ \t]*[:=]?[ \t]*"
                r"[^\s:=/,;()\"']{1,64}[ \t]+" + _KEY + r"[ \t]+" + VALUE,
                4,  # "user id : alice password"
                _VALUE_REACH,
            ),
            0.7,
            CONTEXTUAL,
            triggers,
            looks,
        ),
        rule(  # a line that is "password X": .netrc, a credentials note
            E.PASSWORD,
            re.compile(r"(?m)^[ \t]*" + _KEY + r"[ \t]+" + VALUE + r"[ \t]*$"),
            0.7,
            CONTEXTUAL,
            triggers,
            looks,
        ),
    )
