"""Markup a value was pasted through, and a view of the text without it.

A credential keeps its meaning under the layers text goes through before someone pastes it,
while the patterns that find it read a line as a program or a person first wrote it:
``requirepass X`` names a password, and so do ``-requirepass X`` in a diff hunk,
``> > requirepass X`` in a quoted mail, ``is <strong>X</strong>`` in an HTML mail,
``value=&quot;X&quot;`` in escaped XML, ``<password><![CDATA[X]]></password>`` and
``_password_: _X_`` in Markdown. The pattern detectors therefore also scan a view of each
text (when it differs from the text) where

* layers' line prefixes are removed: quote markers (``> > ``) and, in a text that holds a
  diff (a hunk header, ``diff --git``, ``--- a/`` or a ``diff`` code fence), the ``+`` or
  ``-`` of each changed line;
* HTML/XML character references are decoded (``&quot;`` ``&amp;`` ``&#39;`` ...) and
  inline formatting tags (``<strong>``, ``<code>`` ...) and CDATA brackets removed;
* a string's backslash escapes are undone once (``\\"`` ``\\\\`` and a literal ``\\n``), as
  JSON inside JSON and notebook sources write them;
* Markdown emphasis and inline-code marks around words are removed (``**X**``, ``_X_``,
  `` `X` ``);
* box-drawing and ASCII table borders are written as a Markdown table's (``║`` -> ``|``,
  ``+-----+`` -> ``|-----|``);
* a token a mail client or terminal wrapped is joined again: the line break after a run of
  base64 characters is removed when the next line is a full line of them (40 or more, alone
  on the line), and after such a full line when the next is the token's shorter last line.

Each character of the view maps to the span of the original it comes from (a removed mark
to nothing), so a finding in the view is reported over the value as the caller wrote it,
an escape inside it included. Cost: one regex search for any mark decides; a text without
one (most prompts) gets no view.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from detectors.normalize import NormalizedView

# Every mark some rule below rewrites; a text without one gets no view.
_ANY_MARK = re.compile(
    r"(?m)^[ \t]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);|</?[a-z]+[^<>\n]*>|<!\[CDATA\[|\\[\"\\n]"
    r"|\*\*|__|[*_`]\S|[║│┃]|^[ \t]*[+╔╠╚┌├└][-=+═─━╦╬╩┬┼┴]{3}|\n[ \t>]*[A-Za-z0-9+/_-]{40}",
    re.IGNORECASE,
)
_QUOTE_PREFIX = re.compile(r"(?m)^[ \t]*>(?:[ \t]*>)*[ \t]?")
_DIFF = re.compile(r"(?m)^(?:@@ -\d|diff --git |--- a/|\+\+\+ b/|```diff\b)")
_CHANGED_LINE_MARK = re.compile(r"(?m)^[-+](?![-+])")
_CHARACTER_REFERENCE = re.compile(
    r"&(?:quot|amp|lt|gt|apos|nbsp|#\d{1,6}|#x[0-9a-f]{1,6});", re.IGNORECASE
)
_INLINE_TAG = re.compile(
    r"</?(?:strong|b|em|i|u|s|code|tt|kbd|samp|mark|span|font|big|small)(?:\s[^<>\n]{0,200})?>"
    r"|<!\[CDATA\[|\]\]>",
    re.IGNORECASE,
)
_ESCAPE = re.compile(r"\\([\"\\/nrt])")
_UNESCAPED = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "r": "\r", "t": "\t"}
_STRONG = re.compile(r"\*\*|__")
# One mark on each side of a word or words on one line, not inside a word: _X_, *X*, `X`.
_EMPHASIS = re.compile(r"(?<![\w*`])([*_`])(?=[^\s*_`])[^\n]{1,200}?(?<=[^\s*_`])\1(?![\w*`])")
_BOX_BORDER = re.compile(r"(?m)^[ \t]*[+╔╠╚┌├└][-=+═─━╦╬╩┬┼┴╗╣╝┐┤┘]{3,}[ \t]*$")
_BOX_SIDE = re.compile(r"[║│┃]")
_B64 = r"[A-Za-z0-9+/_-]"
# A line break inside a wrapped token: after a run that ends its line, before a full line
# (a quote prefix of the next line goes with the break); after a full line, before the last.
_QUOTED = r"(?:[ \t]*>(?:[ \t]*>)*[ \t]?)?"
_WRAP_BEFORE_FULL_LINE = re.compile(
    rf"(?<={_B64}{{16}})[ \t]*\r?\n{_QUOTED}(?={_B64}{{40,}}={{0,2}}[ \t]*\r?$)", re.MULTILINE
)
_FULL_LINE = re.compile(
    rf"^{_QUOTED}({_B64}{{40,}})(\r?\n{_QUOTED})"
    rf"(?=({_B64}{{4,}}={{0,2}})[ \t]*\r?$)",
    re.MULTILINE,
)
_BORDER_AS_MARKDOWN = str.maketrans(
    {**dict.fromkeys("+╔╠╚┌├└╦╬╩┬┼┴╗╣╝┐┤┘", "|"), **dict.fromkeys("=═─━", "-")}
)

#: (start, end, replacement): ``text[start:end]`` is read as ``replacement``.
Edit = tuple[int, int, str]


def _edits(text: str) -> Iterator[Edit]:
    """Every rewrite of ``text`` the view makes, in no particular order; may overlap."""
    for match in _QUOTE_PREFIX.finditer(text):
        yield match.start(), match.end(), ""
    if _DIFF.search(text):
        for match in _CHANGED_LINE_MARK.finditer(text):
            yield match.start(), match.end(), ""
    for match in _CHARACTER_REFERENCE.finditer(text):
        yield match.start(), match.end(), html.unescape(match.group()).replace("\xa0", " ")
    for match in _INLINE_TAG.finditer(text):
        yield match.start(), match.end(), ""
    for match in _ESCAPE.finditer(text):
        yield match.start(), match.end(), _UNESCAPED[match.group(1)]
    for match in _STRONG.finditer(text):
        yield match.start(), match.end(), ""
    for match in _EMPHASIS.finditer(text):
        yield match.start(), match.start() + 1, ""
        yield match.end() - 1, match.end(), ""
    for match in _BOX_BORDER.finditer(text):
        yield match.start(), match.end(), match.group().translate(_BORDER_AS_MARKDOWN)
    for match in _BOX_SIDE.finditer(text):
        yield match.start(), match.end(), "|"
    for match in _WRAP_BEFORE_FULL_LINE.finditer(text):
        yield match.start(), match.end(), ""
    for match in _FULL_LINE.finditer(text):
        if _last_line_of(match.group(1), match.group(3)):
            yield match.start(2), match.end(2), ""


def _last_line_of(full: str, last: str) -> bool:
    """Whether ``last`` can end a token wrapped at ``full``'s width: no longer, and not a
    word (a sign-off such as "Thanks" after a key is no part of it)."""
    if len(last.rstrip("=")) > len(full):
        return False
    return (
        len(last) == len(full)
        or any(c.isdigit() for c in last)
        or not (last.isalpha() and (last.islower() or last.isupper() or last.istitle()))
    )


def unmarked_view(text: str) -> NormalizedView | None:
    """The view of ``text`` without the markup of its layers, or None if it has none."""
    if _ANY_MARK.search(text) is None:
        return None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for start, end, replacement in sorted(_edits(text)):
        if start < position:
            continue  # overlaps an earlier rewrite (a quote mark before a diff mark)
        pieces.append(text[position:start])
        starts.extend(range(position, start))
        ends.extend(range(position + 1, start + 1))
        if len(replacement) == end - start:  # a border: character for character
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
        else:
            starts.extend([start] * len(replacement))
            ends.extend([end] * len(replacement))
        pieces.append(replacement)
        position = end
    if position == 0:
        return None
    pieces.append(text[position:])
    starts.extend(range(position, len(text)))
    ends.extend(range(position + 1, len(text) + 1))
    view = "".join(pieces)
    if view == text:
        return None
    return NormalizedView(view, tuple(starts), tuple(ends), dropped_invisible=False)
