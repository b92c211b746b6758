"""Hold-back shapes of values whose rule takes text after them into its match.

Most secrets rules end their match with the value, and the unfinished token or the open
quote of :mod:`policies.holdback` holds it while it is written. Some rules' matches go on
after the value: a closing element (``<password>correct horse battery</password>``), a
closing triple quote (``password = \"\"\"two words\"\"\"``), a bracket or comma after a quoted
value of several words (``setPassword("jdoe", "two words")``), an escaped quote
(``{\\"password\\": \\"two words\\"}``), the call's next argument (``HTTPBasicAuth("X", "")``:
an API key as Basic auth's user, with no password), the closing fence of a block on the
next line (an OpenVPN ``auth-user-pass`` file's two lines in a fenced block). A value with
blanks in it is then several tokens, and a closer after blanks or a line break is a token
of its own: without a shape here the stream released the value as soon as the next token
began, before the closer had made it a finding the whole answer masks.

Each shape holds such a value from its start while its closer may still arrive, and lets
it go once the closer has (the scan then sees the whole match) or can no longer come:
the line ended, or the value grew past the rules' longest (:data:`VALUE_CHARS`). So a hold
is bounded by one line of at most that many characters (two for a fenced block's), and text
without a ``<``, a triple quote or an escaped quote on its last line, a comma before an
open quote at its end or a fence before its last line break costs a substring test per
read.
"""

from __future__ import annotations

import re
from typing import Final

#: The longest value the rules closed after it take (``[^<\\n]{1,256}`` and the like).
VALUE_CHARS: Final = 256
#: How far before an element's opening tag the word naming its credential may be: a plist
#: names it in the ``<key>`` element before (``<key>password</key>\\n<string>``).
_NAMED_BEFORE_CHARS: Final = 96

# An element opened on the line being written, its content not closed yet: the content
# (no ``<``, no line end), then perhaps the closing tag being written (``</passw``).
_OPEN_ELEMENT = re.compile(
    r"<[\w.:-]{1,64}(?:[ \t][^<>\n]{0,128})?>"
    rf"(?P<value>[^<\n]{{1,{VALUE_CHARS}}})(?:<(?:/[\w.:-]{{0,64}})?)?\Z"
)
# A word that names a credential, in a tag, its attributes or the plist key before it: an
# over-approximation of the rules' keys (a held value that is none goes at its closer).
_CREDENTIAL_WORD = re.compile(r"(?i:pass|pwd|secret|token|key|auth|credential|cookie)")
#: The longest opening tag, and an element's longest text before its closing tag's end.
_TAG_CHARS: Final = 1 + 64 + 130
_ELEMENT_CHARS: Final = _TAG_CHARS + VALUE_CHARS + 66

# A triple-quoted value assigned (``password = \"\"\"two words``), its closing quotes
# perhaps being written.
_OPEN_TRIPLE_QUOTE = re.compile(
    rf"=[ \t]{{0,8}}(?P<quote>\"\"\"[^\"\n]{{0,{VALUE_CHARS}}}\"{{0,2}}"
    rf"|'''[^'\n]{{0,{VALUE_CHARS}}}'{{0,2}})\Z"
)
# An escaped quote opening a value after a separator (JSON inside a string, a log's
# escaped body): ``\\"password\\": \\"two words``, until its escaped quote closes it.
_OPEN_ESCAPED_QUOTE = re.compile(
    rf"[:=>,(\[{{][ \t]{{0,8}}(?P<quote>\\\"[^\"\\\n]{{0,{VALUE_CHARS}}}\\?)\Z"
)
_QUOTED_CHARS: Final = 8 + 3 + VALUE_CHARS + 2
#: The separator and blanks before a quote: ``=`` and up to eight of them.
_SEPARATOR_CHARS: Final = 9


def open_credential_element(text: str, released: str) -> int | None:
    """The content of an element naming a credential (``<password>``, ``<db:apiToken>``,
    ``<string name="db_password">``, a plist ``<string>`` after ``<key>password</key>``)
    whose closing tag has not arrived: the rule's match takes the closing tag, so a value
    of several words is held from its first until that tag is whole or the line ends."""
    # Run on every read of every stream: most text has no ">" at all. The element is held
    # from its opening tag (what of it is pending), so while it is open its ">" is in the
    # pending text; the tag's start may have gone out before its attributes came.
    if ">" not in text:
        return None
    whole = released[-_TAG_CHARS - _NAMED_BEFORE_CHARS :] + text
    offset = len(whole) - len(text)
    line = whole.rfind("\n") + 1
    found = _OPEN_ELEMENT.search(whole, max(line, len(whole) - _ELEMENT_CHARS))
    if found is None:
        return None
    named = whole[max(0, found.start() - _NAMED_BEFORE_CHARS) : found.start("value")]
    if _CREDENTIAL_WORD.search(named) is None:
        return None  # an element of prose or markup: nothing names a credential
    return max(found.start() - offset, 0)


def open_closing_quote(text: str, released: str) -> int | None:
    """A value in a triple quote (``password = \"\"\"two words``) or an escaped one
    (``\\"password\\": \\"two words``) whose closing quotes have not arrived: the open-quote
    shape does not see either as a quote opened, so a value of several words is held from
    its quote until the closing one arrives or the line ends."""
    # Run on every read of every stream: most text has neither quote. The value is held
    # from its quote, so while it is open the quote is in the pending text.
    if '\\"' not in text and '"""' not in text and "'''" not in text:
        return None
    # The separator before the quote may have been released.
    whole = released[-_SEPARATOR_CHARS:] + text
    offset = len(whole) - len(text)
    start = max(whole.rfind("\n") + 1, len(whole) - _QUOTED_CHARS)
    for pattern in (_OPEN_ESCAPED_QUOTE, _OPEN_TRIPLE_QUOTE):
        found = pattern.search(whole, start)
        if found is not None:
            return max(found.start("quote") - offset, 0)
    return None


# A quoted argument of a call or item of a list, closed, then a comma and the next one
# opened and not closed yet (or not begun): ``HTTPBasicAuth("X", "``, ``auth=('X' , ``.
_OPEN_NEXT_ARGUMENT = re.compile(
    rf"[(\[,][ \t]*(?P<argument>\"[^\"\n]{{1,{VALUE_CHARS}}}\"|'[^'\n]{{1,{VALUE_CHARS}}}')"
    rf"[ \t]*,[ \t]*(?:\"[^\"\n]{{0,{VALUE_CHARS}}}|'[^'\n]{{0,{VALUE_CHARS}}})?\Z"
)
#: An argument's longest text from the bracket or comma before it to the end.
_ARGUMENTS_CHARS: Final = 2 * (VALUE_CHARS + 2) + 2 * _SEPARATOR_CHARS + 2


def open_next_argument(text: str, released: str) -> int | None:
    """A quoted argument of a call (or item of a list) followed by a comma and the next
    argument, not closed yet: a rule that takes that argument into its match (an API key
    as Basic auth's user and an empty password, ``HTTPBasicAuth("X", "")``) makes the first
    a finding only once it has closed, and the opening quote after the blank ended the
    first's token, which went out. So the first is held from its quote until the next one
    closes, or its line ends."""
    # Run on every read of every stream: most text has no comma near its end, or what
    # follows its last comma is no quote being written.
    comma = text.rfind(",", max(0, len(text) - VALUE_CHARS - _SEPARATOR_CHARS))
    if comma < 0:
        return None
    rest = text[comma + 1 :].lstrip(" \t")
    if rest and (rest[0] not in "\"'" or rest.find(rest[0], 1) > 0 or "\n" in rest):
        return None  # a word after the comma, or the next argument closed, or a line ended
    whole = released[-_ARGUMENTS_CHARS:] + text
    offset = len(whole) - len(text)
    start = max(whole.rfind("\n") + 1, len(whole) - _ARGUMENTS_CHARS)
    found = _OPEN_NEXT_ARGUMENT.search(whole, start)
    return None if found is None else max(found.start("argument") - offset, 0)


# A fenced block's two lines (a user name, a value) and the line after them, which may
# still become the closing fence: blanks and at most two backticks so far.
_OPEN_FENCE = re.compile(
    r"```[^\n`]{0,16}\r?\n[ \t]*[^\s`]{1,64}[ \t]*\r?\n"
    rf"[ \t]*(?P<value>[^\s`]{{3,{VALUE_CHARS}}})[ \t]*\r?\n[ \t]*`{{0,2}}\Z"
)
#: A fenced block's text from its opening fence to the end: the fence and its language,
#: the first line, the value's line, the line being written.
_FENCED_CHARS: Final = 3 + 16 + 2 + 64 + 2 * _SEPARATOR_CHARS + VALUE_CHARS + 4 + 2 + 2


def open_fenced_value(text: str, released: str) -> int | None:
    """The second and last line of a fenced block whose closing fence may be the next line
    (an OpenVPN credentials file, ``auth-user-pass``: a user name, then the password): the
    rule takes the fence into its match, and the line break released the line before the
    fence arrived. Held from the line's value until the next line shows it is no fence."""
    # Run on every read of every stream: most reads end inside a line, and most line
    # ends have no fence two lines above.
    body = text.rstrip(" \t`")
    if not body.endswith("\n"):
        return None
    whole = released[-_FENCED_CHARS:] + text
    if "```" not in whole:
        return None
    offset = len(whole) - len(text)
    found = _OPEN_FENCE.search(whole, max(0, len(whole) - _FENCED_CHARS))
    return None if found is None else max(found.start("value") - offset, 0)


def closed_quoted_words(text: str) -> int | None:
    """A quoted value of several words whose closing quote has just arrived, nothing but
    blanks after it yet: a rule that takes the bracket or comma after the quote
    (``setPassword("jdoe", "two words")``, ``["password", "two words"]``) makes it a
    finding only once that has arrived, and the unfinished token holds only its last word.
    Held from its opening quote until the next character that is no blank."""
    # Run on every read of every stream: most reads end in no quote.
    body = text.rstrip(" \t")
    if not body or body[-1] not in "\"'`":
        return None
    close = len(body) - 1
    start = body.rfind(body[-1], max(0, close - VALUE_CHARS - 1), close)
    if start < 0:
        return None
    value = body[start + 1 : close]
    if "\n" in value or (" " not in value and "\t" not in value):
        return None  # no quoted value on one line, or one token, which the token shape holds
    return start
