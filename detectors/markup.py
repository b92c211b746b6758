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
  inline formatting tags (``<strong>``, ``<code>`` ...) and CDATA brackets removed; tags
  that end a line where a browser shows them (``</p>``, ``<br>``, ``<li>``, ``<tr>`` ...)
  become line breaks and a row's cells a Markdown row's (``<td>K</td><td>V</td>`` reads
  ``| K | V``);
* a word processor's curly quotes (U+2018/U+2019, U+201C/U+201D) around a value are
  written straight, as the author typed them;
* a string's backslash escapes are undone once (``\\"`` ``\\\\`` and a literal ``\\n``), as
  JSON inside JSON and notebook sources write them;
* Markdown emphasis marks around words are removed (``**X**``, ``_X_``; inline code keeps
  its backticks, which the detectors read as a value's delimiters);
* box-drawing and ASCII table borders are written as a Markdown table's (``║`` -> ``|``,
  ``+-----+`` -> ``|-----|``);
* a token a mail client or terminal wrapped is joined again: the line break after a run of
  base64 characters is removed when the next line is a full line of them (40 or more, alone
  on the line), and after such a full line when the next is the token's shorter last line;
  a value a wrap moved to the line after its key (``client_secret =`` then the token)
  joins the key's line.

Then, on that view, a key and value that a structure keeps apart are written as an
assignment: XML's ``<add key="K" value="V"/>``, ``<entry key="K">V</entry>`` and
``<ns:Password Type="...">V</ns:Password>`` read as ``K="V"`` (an element so named only if
its name says credential), and a YAML block scalar's first line joins its key
(``password: >-`` then ``  V`` reads as ``password: V``).

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
    r"|\*\*|__|[*_]\S|[║│┃]|^[ \t]*[+╔╠╚┌├└][-=+═─━╦╬╩┬┼┴]{3}|\n[ \t>]*[A-Za-z0-9+/_-]{40}"
    r"|[‘“][^\s‘’“”]{1,256}[’”]|[=:][ \t]*\r?\n[A-Za-z0-9+/_-]{16}",
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
# Tags that end a line or a table cell where a browser shows them: a value before "</p>"
# or "<br>" ends its line; "<td>K</td><td>V</td>" reads as the table row "| K | V".
_LINE_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|br|tr|table|thead|tbody|h[1-6]|blockquote|pre)(?:\s[^<>\n]{0,200})?/?>",
    re.IGNORECASE,
)
_CELL_TAG = re.compile(r"<(?P<end>/)?t[dh](?:\s[^<>\n]{0,200})?>", re.IGNORECASE)
# A word processor's curly quotes around a value, as the straight quotes the author typed
# (an apostrophe alone, as in "don't" typeset, is left as it is: no value stands in it).
_CURLY_QUOTED = re.compile(r"[‘“][^\s‘’“”]{1,256}[’”]")
_STRAIGHT = {"‘": "'", "’": "'", "“": '"', "”": '"'}
# A value a wrap moved to the line after its key: "client_secret =" then the token alone
# (the rest of a long token is joined by the rules below).
_VALUE_ON_NEXT_LINE = re.compile(
    r"(?m)^[ \t]*[\w.-]{1,64}[ \t]*[=:][ \t]*(\r?\n)(?=[A-Za-z0-9+/_-]{16,}={0,2}[ \t]*\r?$)"
)
_ESCAPE = re.compile(r"\\([\"\\/nrt])")
_UNESCAPED = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "r": "\r", "t": "\t"}
_STRONG = re.compile(r"(?<!\*)\*\*(?!\*)|(?<!_)__(?!_)")
# One mark on each side of a word or words on one line, not inside a word: _X_, *X*.
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])[^\n]{1,200}?(?<=[^\s*_])\1(?![\w*])")
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
# What a line may be while a wrapped token could still run through it (see open_wrap):
# the line being written (still all token characters), a full line, a line ending a run.
_GROWING_LINE = re.compile(rf"{_QUOTED}[A-Za-z0-9+/_=-]*[ \t\r]*")
_WHOLE_LINE = re.compile(rf"{_QUOTED}{_B64}{{40,}}={{0,2}}[ \t]*\r?")
_RUN_AT_LINE_END = re.compile(rf"(?<!{_B64}){_B64}{{16,}}[ \t]*\r?\Z")
#: How far back open_wrap follows full lines of a wrapped run (a stream's hold limit
#: forces a longer run out in parts anyway, as it does a long private key).
WRAP_REACH = 4096

# A structure that keeps a key from its value (see _structure_edits).
_ANY_STRUCTURE = re.compile(r"\b(?:key|name)=[\"']|<[\w:.-]+[ :]|:[ \t]*[|>][-+]?[1-9]?[ \t]*\r?\n")
_KEY_VALUE_ATTRIBUTES = re.compile(
    r"<[\w:.-]+\s+(?:[\w:.-]+=([\"'])[^\"'<>\n]*\1\s+){0,4}?(?:key|name)=([\"'])"
    r"(?P<key>[^\"'<>\s]{1,64})\2\s+value=(?=[\"'])",
    re.IGNORECASE,
)
_KEY_ELEMENT = re.compile(
    r"<(?P<tag>[\w:.-]+)\s+(?:key|name)=([\"'])(?P<key>[^\"'<>\s]{1,64})\2[^<>\n]{0,200}>"
    r"(?P<value>[^<>\n]{1,256})</(?P=tag)>",
    re.IGNORECASE,
)
# An element named for a credential, with a namespace or attributes (the plain
# <password>V</password> is read as it is).
_CREDENTIAL_ELEMENT = re.compile(
    r"<(?P<prefix>[\w.-]+:)?(?P<key>[\w.-]{0,40}(?:pass|pwd|secret|token|key)[\w.-]{0,40})"
    r"(?(prefix)(?:\s[^<>\n]{0,200})?|\s[^<>\n]{1,200})>"
    r"(?P<value>[^<>\n]{1,256})</(?P=prefix)?(?P=key)>",
    re.IGNORECASE,
)
# A YAML key whose value is a block scalar ("password: >-"): its first line joins the key.
_BLOCK_SCALAR = re.compile(
    r"(?m)^[ \t]*-?[ \t]*[\w.\-\"']+[ \t]*:[ \t]*"
    r"(?P<indicator>[|>][-+]?[1-9]?)[ \t]*\r?\n[ \t]+(?=\S)"
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
    for match in _LINE_TAG.finditer(text):
        yield match.start(), match.end(), "\n"
    for match in _CELL_TAG.finditer(text):
        yield match.start(), match.end(), "" if match["end"] else " | "
    for match in _CURLY_QUOTED.finditer(text):
        yield match.start(), match.start() + 1, _STRAIGHT[text[match.start()]]
        yield match.end() - 1, match.end(), _STRAIGHT[text[match.end() - 1]]
    for match in _VALUE_ON_NEXT_LINE.finditer(text):
        yield match.start(1), match.end(1), " "
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


def open_wrap(text: str) -> int | None:
    """Where a token the view may still join across line breaks starts, if the end of
    ``text`` (a streamed answer so far) could still continue it: the line being written is
    all token characters, and the line above is a full line of them or ends a run of 16.
    A stream holds that token until its next line rules the continuation out, so that it
    masks the token whole, as the whole answer's view does, never a wrapped piece alone."""
    line = text.rfind("\n") + 1
    if not line or _GROWING_LINE.fullmatch(text, line) is None:
        return None
    start = text.rfind("\n", 0, line - 1) + 1  # the line above
    if _WHOLE_LINE.fullmatch(text, start, line - 1) is None:
        run = _RUN_AT_LINE_END.search(text, start, line - 1)
        return None if run is None else run.start()
    floor = max(0, line - WRAP_REACH)
    while start > floor:  # up the full lines, to the line the token began on
        above = text.rfind("\n", 0, start - 1) + 1
        if _WHOLE_LINE.fullmatch(text, above, start - 1) is None:
            run = _RUN_AT_LINE_END.search(text, above, start - 1)
            return start if run is None else run.start()
        start = above
    return start


def _structure_edits(text: str) -> Iterator[Edit]:
    """Rewrites of keys and values a structure keeps apart, as an assignment."""
    for match in _KEY_VALUE_ATTRIBUTES.finditer(text):
        yield match.start(), match.end(), match["key"] + "="
    for pattern in (_KEY_ELEMENT, _CREDENTIAL_ELEMENT):
        for match in pattern.finditer(text):
            yield match.start(), match.start("value"), match["key"] + '="'
            yield match.end("value"), match.end(), '"'
    for match in _BLOCK_SCALAR.finditer(text):
        yield match.start("indicator"), match.end(), ""


def unmarked_view(text: str) -> NormalizedView | None:
    """The view of ``text`` without the markup of its layers, or None if it has none."""
    marks = _ANY_MARK.search(text) is not None or _DIFF.search(text) is not None
    if not marks and _ANY_STRUCTURE.search(text) is None:
        return None
    unmarked = _apply(text, _edits(text)) if marks else None
    base = text if unmarked is None else unmarked.text
    structured = _apply(base, _structure_edits(base))
    if structured is None:
        return unmarked
    if unmarked is None:
        return structured
    return NormalizedView(
        structured.text,
        tuple(unmarked.starts[start] for start in structured.starts),
        tuple(unmarked.ends[end - 1] for end in structured.ends),
        dropped_invisible=False,
    )


def _apply(text: str, edits: Iterator[Edit]) -> NormalizedView | None:
    """``text`` with ``edits`` made (an edit overlapping an earlier one is left out), or
    None if that changes nothing."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for start, end, replacement in sorted(edits):
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
