"""Values that document a credential's field instead of filling it, and Markdown emphasis
around a value.

API references and READMEs describe a header or a setting where a config would hold it:
``X-Api-Key: v2-required-header``, ``Password: **required**``, ``token: *optional*``,
``api_key: string (required)``. Every rule that reads a value after a credential's name
takes these in, and a finding on them blocks a call about the docs (issue 14). What marks
them: the value says whether the field is required or what type it has (``required``,
``optional``, ``string``, ``boolean``) and is otherwise only words of a field's description
(``header``, ``value``, ``field``) and a version (``v2``), with no random part.

An elided example is documentation too: ``sshpass -p 'sk-...'``, ``token: ghp_…`` show a
key's prefix and leave the rest out; a value of fewer than 12 letters and joiners before
an ellipsis opens nothing.

Emphasis is Markdown's, not the value's: ``Password: **Tr0ub4dor&3**`` holds the password
``Tr0ub4dor&3``; the finding's span leaves the asterisks out.
"""

from __future__ import annotations

import re

# Words that say what a field is rather than what it holds: whether it must be given and
# its type. None is a word Faker's or people's passphrases are made of (see the tests).
_MARKERS = frozenset((
    "required", "optional", "mandatory", "string", "integer", "boolean", "str", "int", "bool",
    "float", "uuid", "nullable", "readonly", "deprecated",
))  # fmt: skip
# Words that may stand beside a marker in a field's description.
_FIELD_WORDS = frozenset((
    "header", "headers", "field", "value", "param", "parameter", "query", "body", "type",
    "format", "if", "when", "not", "set", "auth", "only", "always", "default", "none", "or",
    "and", "a", "an", "the", "of", "in", "key", "token", "secret", "password",
))  # fmt: skip
_VERSION = re.compile(r"v\d{1,3}")
_WORD_SEPARATORS = re.compile(r"[-_ .,/|()]+")
# Markdown emphasis around the whole value: "**X**", "__X__", "*X*", "_X_", and the
# sentence's full stop or comma after it ("the password is **X**.").
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?P<inner>[^*_\s](?:.*[^*_\s])?)\1[.,;!?]?")


def strip_emphasis(value: str) -> tuple[int, int]:
    """The offsets of ``value`` without Markdown emphasis around it (``**X**`` -> ``X``);
    the whole value when it has none."""
    match = _EMPHASIS.fullmatch(value)
    if match is None:
        return 0, len(value)
    return match.span("inner")


# A key's prefix and an ellipsis: letters and joiners only, so "Hunter42..." (a password
# and a sentence's pause) is not one.
_ELIDED = re.compile(r"[A-Za-z_-]{0,11}(?:\.{3,}|…)")


def documents_a_field(value: str) -> bool:
    """True for a value that describes its field (``v2-required-header``, ``**required**``,
    ``string (optional)``): a word that says whether the field is required or its type, and
    only such words, a field's description words and a version besides; or an elided
    example (``sk-...``)."""
    if _ELIDED.fullmatch(value):
        return True
    start, end = strip_emphasis(value)
    words = [w for w in _WORD_SEPARATORS.split(value[start:end].lower()) if w]
    return (
        bool(words)
        and any(w in _MARKERS for w in words)
        and all(w in _MARKERS or w in _FIELD_WORDS or _VERSION.fullmatch(w) for w in words)
    )
