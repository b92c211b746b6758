"""Credentials in what programs print: the name and the value are there, but not as ``k = v``.

People paste machine output into an AI tool to ask why something fails, and the output
names its credentials the way the program prints them:

* a REPL, debugger or shell prints a named expression's value on the next line:
  ``(Pdb) p self.token`` then ``'X'``, ``irb> ENV["API_TOKEN"]`` then ``=> "X"``,
  ``(gdb) print conn->password`` then ``$1 = 0x5555555592a0 "X"``, ``$ gh auth token`` then
  ``X``, ``> console.log(process.env.BOT_TOKEN)`` then ``X``;
* a name and its value as a pair: ActiveRecord's binds ``[["api_token", "X"], ...]``, a
  header list ``[("X-Api-Key", "X")]``;
* a SQL statement log: the value under a column that names a credential, ``INSERT INTO t
  ("name", "webhook_secret") VALUES ('slack', 'X')``, or bound to it afterwards (Hibernate's
  ``binding parameter [2] as [VARCHAR] - [X]``);
* a Kubernetes Secret's ``data:`` (``kubectl get secret -o yaml``): base64 values;
* names and values in columns (``vault kv get``): ``api_key      X``;
* a JSON object named by a credential that holds it under ``"value"`` (``terraform output
  -json``: ``"db_password": {"sensitive": false, "type": "string", "value": "X"}``).

The value must still pass the checks of a value named by its key (:mod:`token_contexts`):
a token random-looking, a UUID or long hex (the name says what it is), a password no
placeholder, variable or English word.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from core.scanning import Finding
from detectors import entities as E
from detectors.assigned_secrets import PASSWORD_KEY
from detectors.password_commands import command_value
from detectors.secret_rule import CONTEXTUAL, STRUCTURED, AnchoredPattern, Check
from detectors.secret_rule import SecretRule as Rule
from detectors.secret_values import all_of, is_placeholder, is_scattered
from detectors.token_contexts import LONG_HEX as _LONG_HEX
from detectors.token_contexts import PASSWORD_NAME, TOKEN_NAME, is_secret_name, not_a_word
from detectors.token_contexts import UUID_SHAPE as _UUID

_TOKEN = re.compile(r"(?i:" + TOKEN_NAME + r")")
_PASSWORD = re.compile(r"(?i:" + PASSWORD_NAME + r")")


def _named_token(generic: Check, name: str | int = "key") -> Check:
    """A token its name (the match's group ``name``) points to: a UUID or 32 hex digits or
    more (the name says it is a key, not a digest), else random-looking (``generic``);
    never a placeholder, and not under a name that makes it public ("public_key",
    "csrf_token")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if not is_secret_name(match[name]) or is_placeholder(value):
            return False
        if _UUID.fullmatch(value) is not None or _LONG_HEX.fullmatch(value) is not None:
            return True
        return generic(value, match, text)

    return check


# How the names of TOKEN_NAME and PASSWORD_NAME end.
_TOKEN_ENDS = ("key", "token", "secret")
_PASSWORD_ENDS = ("word", "wd", "phrase")


# --- a REPL's, debugger's or shell's echo ----------------------------------------------

# The prompt a line of a session starts with: pdb, ipdb, delve, gdb, lldb, Python, IPython,
# irb, pry, iex, a shell, node.
_PROMPT = (
    r"(?:\((?:Pdb|dlv|gdb|lldb)\)|i?pdb>|>>>|>>|In[ \t]*\[\d+\]:"
    r"|irb(?:\([^)\n]*\))?(?::\d+(?::\d+)?)?[>*]|\[\d+\][ \t]*pry\([^)\n]*\)>"
    r"|iex\(\d+\)>|[>$#%])"
)
# How the next line shows the value: "=> " (irb, pry), "$1 = 0x55d... " (gdb), "Out[3]: ".
_SHOWN = (
    r"(?:=>[ \t]*|\$\d+[ \t]*=[ \t]*(?:\([^)\n]*\)[ \t]*)?(?:0x[0-9a-fA-F]+[ \t]+)?"
    r"|Out\[\d+\]:[ \t]*)?"
)
_ECHO_TRIGGERS = (
    "(pdb)", "pdb>", "(dlv)", "(gdb)", "(lldb)", ">>", "in [", "irb", "pry(", "iex(", "$ ",
    "> ", "# ",
)  # fmt: skip


def _echo(name: str, ends: tuple[str, ...]) -> AnchoredPattern:
    """A prompt's line that ends with ``name`` (after a call's or an index's closing
    brackets), and the next line: the value alone, quoted or bare. Tried only where a
    name's end closes a line (a Markdown heading's "# " or a quote's "> " is no reason to
    look for a name in every line), back to the line's start."""
    return AnchoredPattern.build(
        r"(?:" + "|".join(ends) + r")[)\]}'\"]{0,4}[ \t]*\r?\n",
        r"(?m)^[ \t]*" + _PROMPT + r"[ \t]+"
        # the name is group 1, not "key": the hold-back reads a named group before the
        # value as a value-first phrase's
        r"[^\n]{0,200}?(?<![A-Za-z0-9])((?i:" + name + r"))"
        r"[)\]}'\"]{0,4}[ \t]*\r?\n[ \t]*" + _SHOWN + r"(?:\"(?P<dq>[^\"\n]{4,512})\""
        r"|'(?P<sq>[^'\n]{4,512})'|(?P<bare>[^\s\"'`]{8,512}))[ \t]*\r?$",
        _ECHO_WORDS,
        _ECHO_REACH,
    )


_ECHO_WORDS, _ECHO_REACH = 12, 240  # a prompt, a command and its arguments before the name


# --- a name and its value as a pair ----------------------------------------------------


def _pair(name: str, ends: tuple[str, ...]) -> AnchoredPattern:
    """``["api_token", "X"]``, ``("X-Api-Key", "X")``: a bracketed pair of a name and a
    value, tried where a name's end, its quote and a comma meet."""
    return AnchoredPattern.build(
        r"(?:" + "|".join(ends) + r")[\"'][ \t]*,[ \t]*[\"']",
        r"[\[(][ \t]*[\"'](?P<key>(?i:" + name + r"))[\"'][ \t]*,[ \t]*"
        r"(?:\"(?P<dq>[^\"\n]{1,512})\"|'(?P<sq>[^'\n]{1,512})')[ \t]*[\])]",
        0,
        40,
    )


def _pair_triggers(ends: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(end + quote + "," for end in ends for quote in "\"'")


# --- SQL statement logs ----------------------------------------------------------------

_INSERT = re.compile(
    r"(?i)\binsert[ \t]+into[ \t]+[\w.`\"\[\]]{1,128}[ \t]*\((?P<columns>[^()\n]{1,2000})\)"
    r"[ \t]*values[ \t]*\("
)
# One value of a VALUES list, and the comma or bracket after it.
_SQL_VALUE = re.compile(
    r"[ \t]*(?P<value>'(?:[^'\\\n]|\\.|'')*'|\"(?:[^\"\\\n]|\\.)*\"|[^,()'\"\n]*?)"
    r"[ \t]*(?P<end>[,)])"
)
# What a match of :class:`SqlColumns` is: a quoted value, or a bound one in brackets.
_SHOWN_VALUE = re.compile(
    r"'(?P<sq>[^'\n]{1,512})'|\"(?P<dq>[^\"\n]{1,512})\"|\[(?P<value>[^\]\n]{1,512})\]"
)
# Hibernate's log of a bound parameter: "binding parameter [2] as [VARCHAR] - [X]".
_BINDING = re.compile(
    r"(?i)binding[ \t]+parameter[ \t]+\[(?P<index>\d{1,3})\][ \t]+as[ \t]+\[\w+\][ \t]+-[ \t]+"
    r"(?=\[)"
)
_BINDINGS_REACH = 4000  # characters after the statement where its bindings are logged


@dataclass(frozen=True, slots=True)
class SqlColumns:
    """A :class:`~detectors.secret_rule.Matcher` for the values of the columns of an
    ``INSERT`` whose names ``column`` matches: each match is the quoted value (group ``sq``
    or ``dq``) in the VALUES list, or the value bound to a ``?`` there that Hibernate logs
    after the statement (group ``value``). A match has no ``key`` group: the column
    decides the rule."""

    column: re.Pattern[str]

    @property
    def groupindex(self) -> Mapping[str, int]:
        """The groups of a match: ``sq``, ``dq`` or (bound) ``value``."""
        return _SHOWN_VALUE.groupindex

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        """The values of the named columns, left to right."""
        for insert in _INSERT.finditer(string):
            names = [c.strip(' \t`"[]') for c in insert["columns"].split(",")]
            wanted = {i for i, name in enumerate(names) if self.column.fullmatch(name)}
            if not wanted:
                continue
            position, index = insert.end(), 0
            while index < len(names) and (value := _SQL_VALUE.match(string, position)):
                if index in wanted:
                    if value["value"] == "?":
                        yield from self._bound(string, value.end(), index + 1)
                    elif shown := _SHOWN_VALUE.fullmatch(string, *value.span("value")):
                        yield shown
                if value["end"] == ")":
                    break
                position, index = value.end(), index + 1

    @staticmethod
    def _bound(string: str, start: int, index: int) -> Iterator[re.Match[str]]:
        for binding in _BINDING.finditer(string, start, start + _BINDINGS_REACH):
            if int(binding["index"]) == index:
                shown = _SHOWN_VALUE.match(string, binding.end())
                if shown is not None:
                    yield shown
                return


# --- a Kubernetes Secret's data --------------------------------------------------------

_DATA_ENTRY = re.compile(
    r"(?m)^(?P<indent>[ \t]+)(?P<key>[\w.-]{1,253}):[ \t]+(?P<value>[A-Za-z0-9+/]{8,4096}={0,2})"
    r"[ \t]*\r?$"
)
_SECRET_KIND = re.compile(r"(?m)^kind:[ \t]*Secret[ \t]*\r?$")
#: How far before or after a ``data:`` entry its manifest's ``kind: Secret`` is looked for.
#: ``kubectl get secret -o yaml`` prints ``data:`` before ``kind:``: a stream holds an entry
#: until the characters after it have arrived (:func:`open_secret_data`).
SECRET_KIND_AFTER_CHARS = 4000
_DATA_BLOCK = re.compile(r"[ \t]*(?:binaryD|d)ata:[ \t]*\r?")
_MIN_DECODED = 4


def _decoded(value: str) -> str | None:
    try:
        text = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return text if text.isprintable() else None


def _in_secret_data(match: re.Match[str], text: str) -> bool:
    """The entry lies in the ``data:`` block of a manifest of ``kind: Secret``: the
    nearest line above it indented less is ``data:``."""
    return _near_secret_kind(match, text) and _under_data_block(match, text)


def _near_secret_kind(match: re.Match[str], text: str) -> bool:
    """A ``kind: Secret`` line is at most :data:`SECRET_KIND_AFTER_CHARS` characters
    before or after the entry."""
    reach = SECRET_KIND_AFTER_CHARS
    near = text[max(0, match.start() - reach) : match.end() + reach]
    return _SECRET_KIND.search(near) is not None


def _under_data_block(match: re.Match[str], text: str) -> bool:
    """The nearest line above the entry indented less is ``data:``."""
    return match.start() in _data_entry_lines(text)


# A line that is not blank (a line of blanks and "\r" is: its "\r" is no blank), and the
# blanks it starts with.
_LINE_INDENT = re.compile(r"(?m)^([ \t]*)[^ \t\n]")


@functools.lru_cache(maxsize=4)
def _data_entry_lines(text: str) -> frozenset[int]:
    """The starts of the lines of ``text`` whose nearest line above, not blank and indented
    less, is a ``data:`` line: one pass, keeping the lines that may enclose the next ones
    (each indented more than the one before it). The detector's rules ask it of each entry
    of a text in turn: a walk up from each one, through its siblings, cost the square of a
    data map's entries (215 ms for one scan of a 16 KB Secret)."""
    under: set[int] = set()
    enclosing: list[tuple[int, bool]] = []  # indentation, and whether a data: line
    for line in _LINE_INDENT.finditer(text):
        indent = len(line[1].expandtabs())
        while enclosing and enclosing[-1][0] >= indent:
            enclosing.pop()
        if enclosing and enclosing[-1][1]:
            under.add(line.start())
        start = line.start()
        end = text.find("\n", start)
        data = _DATA_BLOCK.fullmatch(text, start, len(text) if end < 0 else end) is not None
        enclosing.append((indent, data))
    return frozenset(under)


# A line break before a line indented less than a number of blanks (see _less_indented),
# or before blanks with a tab in them (whose width is counted in Python).
_LESS_INDENTED = "\n(?: {0,%d}[^ \t\n]| *\t)"
_LOOK_BACK_CHARS = 256


@functools.lru_cache(maxsize=32)
def _less_indented(indent: int) -> re.Pattern[str]:
    return re.compile(_LESS_INDENTED % (indent - 1))


def _under_data_line(text: str, start: int, indent: int) -> bool:
    """:func:`_under_data_block` for one line of ``text`` (starting at ``start``, indented
    by ``indent``): its nearest line above, not blank and indented less, is ``data:``.
    Looked for back from it in C, in spans that double (a stream asks this of one entry on
    each read: a pass over the whole text, or a walk up through a data map's entries, cost
    Python steps for each line of it)."""
    if indent <= 0 or start <= 0:
        return False
    pattern = _less_indented(indent)
    end = start - 1  # the line break before the line
    span = _LOOK_BACK_CHARS
    while True:
        low = max(0, end - span)
        for found in reversed(list(pattern.finditer(text, low, end))):
            line = found.start() + 1
            stop = text.find("\n", line)
            if _indented_less(text[line:stop], indent):
                return _DATA_BLOCK.fullmatch(text, line, stop) is not None
        if low == 0:
            break
        span *= 2
    first = text[: text.find("\n")]  # the text's first line: no line break before it
    return _indented_less(first, indent) and _DATA_BLOCK.fullmatch(first) is not None


def _indented_less(line: str, indent: int) -> bool:
    """Whether ``line`` is not blank and indented by fewer than ``indent`` blanks."""
    stripped = line.lstrip(" \t")
    return bool(stripped) and len(line[: len(line) - len(stripped)].expandtabs()) < indent


def kind_line_from(text: str, start: int) -> bool:
    """Whether ``text`` has a manifest's ``kind: Secret`` line from the line at ``start`` on:
    only such a line makes a ``data:`` entry a Secret's value, before or after it (a stream
    whose text has none since its last scan keeps that scan's findings of the entries:
    ``policies.stream``). A line still being written ("kind: Sec") is searched again from
    its start as it goes on."""
    return _SECRET_KIND.search(text, text.rfind("\n", 0, start) + 1) is not None


def open_secret_data(text: str, released: str) -> int | None:
    """Where a stream must hold ``text`` back (``released``: the end of the text let out
    before it) for a ``data:`` entry whose manifest may still turn out to be a Secret: from
    the value of the first entry that decodes to text while no ``kind: Secret`` is near it
    and fewer than :data:`SECRET_KIND_AFTER_CHARS` characters have followed it (``kubectl``
    prints ``kind:`` after ``data:``, and the whole answer masks the entries then). An
    entry released whole is past holding (only the hold's limit releases one)."""
    # Run on every read of every stream: most text has no data block.
    if "ata:" not in text and "ata:" not in released:
        return None
    whole, offset = released + text, len(released)
    for entry in _DATA_ENTRY.finditer(whole):
        if entry.end() <= offset or len(whole) - entry.end() >= SECRET_KIND_AFTER_CHARS:
            continue  # released, or its window has arrived: the scans have decided it
        decoded = _decoded(entry["value"])
        if decoded is None or len(decoded) < _MIN_DECODED:
            continue  # no value of a Secret's (nor "production" in a ConfigMap)
        indent = len(entry["indent"].expandtabs())
        if _near_secret_kind(entry, whole) or not _under_data_line(whole, entry.start(), indent):
            continue  # the scan decides it now
        return max(entry.start("value") - offset, 0)
    return None


def _secret_data(generic: Check, password: bool) -> Check:
    """A value of a Secret's ``data:`` that decodes to text: under a password's name
    (``password``, ``DB_PASSWORD``) anything but a placeholder is the password; under
    another name a token's (by :func:`_named_token` on the decoded value) or any random-
    looking decoded value ("username: YWRtaW4=" stays quiet)."""
    named = _named_token(generic)

    def check(value: str, match: re.Match[str], text: str) -> bool:
        key = match["key"]
        if (_PASSWORD.fullmatch(key) is not None) != password or not _in_secret_data(match, text):
            return False
        decoded = _decoded(value)
        if decoded is None or len(decoded) < _MIN_DECODED or is_placeholder(decoded):
            return False
        if password:
            return True
        if _TOKEN.fullmatch(key) is not None:
            return named(decoded, match, text)
        return generic(decoded, match, text)

    return check


# --- names and values in columns, JSON objects that wrap the value --------------------


def _listed(name: str) -> re.Pattern[str]:
    """``api_key      X``: a line of a name, two blanks or more and one value (``vault kv
    get``, ``heroku config`` without colons)."""
    return re.compile(
        r"(?m)^[ \t]*(?P<key>(?i:" + name + r"))[ \t]{2,}(?P<bare>[^\s\"'`]{4,512})[ \t]*\r?$"
    )


def _listed_triggers(ends: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(end + gap for end in ends for gap in ("  ", "\t"))


def _wrapped(name: str) -> re.Pattern[str]:
    """``"db_password": {"sensitive": false, "type": "string", "value": "X"}``."""
    return re.compile(
        r"\"(?P<key>(?i:" + name + r"))\"[ \t]*:[ \t]*\{[^{}]{0,300}?\"value\"[ \t]*:[ \t]*"
        r"\"(?P<dq>[^\"\n]{1,512})\""
    )


# --- comparisons, parenthesised and logfmt assignments, error and dump formats ----------


def _compared(name: str, ends: tuple[str, ...]) -> AnchoredPattern:
    """``client.token == "X"``, ``if api_key != 'X'``: a name compared with a literal (a
    test's assertion, a check in code), tried where a name's end, "==" or "!=" and a quote
    meet; the match starts in the anchor's word (no value-first phrase for the hold-back)."""
    return AnchoredPattern.build(
        r"(?:" + "|".join(ends) + r")[)\]'\"]{0,2}[ \t]*[=!]==?[ \t]*[\"']",
        r"(?<![A-Za-z0-9])(?P<key>(?i:" + name + r"))[)\]'\"]{0,2}[ \t]*[=!]==?[ \t]*"
        r"(?:\"(?P<dq>[^\"\n]{1,512})\"|'(?P<sq>[^'\n]{1,512})')",
        0,
        40,
    )


_COMPARED_TRIGGERS = ('== "', "== '", '!= "', "!= '", '=== "', "=== '")


def _bracketed(name: str) -> re.Pattern[str]:
    """``(api_key=X)``, ``[token=X]``: an assignment a log line puts in brackets, the
    value ending at the closing one."""
    return re.compile(r"[(\[](?P<key>(?i:" + name + r"))=(?P<bare>[^\s()\[\]\"'`,;]{4,512})[)\]]")


# logfmt's "bearer=X" and "key=X" among other "name=value" pairs of the same line.
_LOGFMT = re.compile(
    r"(?<![^ \t])(?P<key>(?i:bearer|key))=(?P<bare>[A-Za-z0-9._~+/-]{16,512}=*)(?=[ \t]|\r?$)",
    re.MULTILINE,
)
_LOGFMT_PAIR = re.compile(r"(?<![^ \t])[a-z_]{2,24}=[^\s=]")
_MIN_LOGFMT_PAIRS = 2


def _logfmt(generic: Check) -> Check:
    """A random-looking value of ``bearer=`` or ``key=`` on a line of two other
    ``name=value`` pairs or more (a log line, not an argument)."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        line = text[start : len(text) if end < 0 else end]
        return (
            len(_LOGFMT_PAIR.findall(line)) > _MIN_LOGFMT_PAIRS
            and is_scattered(value)
            and generic(value, match, text)
        )

    return check


def _validation_error(name: str) -> re.Pattern[str]:
    """pydantic's error: the field's name on a line, then ``input_value='X'``."""
    return re.compile(
        r"(?m)^[ \t]*(?P<key>(?i:" + name + r"))[ \t]*\r?\n[^\n]{0,200}?\binput_value="
        r"(?:'(?P<sq>[^'\n]{1,512})'|\"(?P<dq>[^\"\n]{1,512})\")"
    )


def _dumped(name: str) -> re.Pattern[str]:
    """PHP's ``var_dump``: ``["pass"]=>`` then ``string(12) "X"``; ``print_r``:
    ``[pass] => X``."""
    return re.compile(
        r"\[[\"']?(?P<key>(?i:" + name + r"))[\"']?\][ \t]*=>[ \t]*"
        r"(?:\r?\n[ \t]*string\(\d+\)[ \t]*\"(?P<dq>[^\"\n]{1,512})\""
        r"|(?P<bare>[^\s\"'`]{4,512})[ \t]*\r?$)",
        re.MULTILINE,
    )


# A dict's "auth" pair: {'auth': ('user', 'X')} (requests' keyword arguments printed).
_AUTH_ITEM = re.compile(
    r"[\"'](?:auth|basic_auth|http_auth)[\"'][ \t]*:[ \t]*[(\[][ \t]*"
    r"(?:\"[^\"\n]{1,128}\"|'[^'\n]{1,128}')[ \t]*,[ \t]*"
    r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})')[ \t]*[)\]]"
)
# redis: "AUTH X" in a client's or MONITOR's log.
_REDIS_AUTH = re.compile(
    r"(?<![\w-])AUTH[ \t]+(?P<bare>[^\s\"']{8,256})(?=[ \t]*(?:->|\r?$|\n))", re.MULTILINE
)
# redis-cli's array reply of a name and its value (CONFIG GET, HGETALL): '1) "requirepass"'
# then '2) "X"' on the next line. Tried where a password's name closes its element.
_REPLY_NAME = r"[\w.-]{0,40}pass|masterauth|" + PASSWORD_NAME
_ARRAY_REPLY = AnchoredPattern.build(
    r"(?:pass|auth|word|wd|phrase)\"[ \t]*\r?\n[ \t]*\d{1,4}\)",
    r"(?P<index>\d{1,4})\)[ \t]+\"(?P<key>(?i:" + _REPLY_NAME + r"))\"[ \t]*\r?\n"
    r"[ \t]*\d{1,4}\)[ \t]+\"(?P<dq>[^\"\n]{1,512})\"[ \t]*(?=\r?\n|$)",
    1,
    16,
)
_ARRAY_REPLY_TRIGGERS = ('pass"', 'auth"', 'word"', 'wd"', 'phrase"')


def _array_reply(password: Check) -> Check:
    """``password``, for the element after a name at an odd place of the reply (a name's
    place: the value after it is the value, not the next name)."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return int(match["index"]) % 2 == 1 and password(value, match, text)

    return check


# A WooCommerce-style key in a URL: ?consumer_key=ck_...
_CONSUMER_KEY = re.compile(
    r"[?&](?P<key>consumer_key)=(?P<value>[A-Za-z0-9._~%+/-]{16,256})(?=[&\s\"'<>#]|$)"
)


# --- a failed test's report ----------------------------------------------------------

# A line of a failed assertion's report that shows values: pytest's "E  AssertionError:
# assert 'A' == 'B'", Rust's "left: "A"" and "right: "B"", Go's "got X = "A", want "B"",
# JUnit's "expected: <A> but was: <B>", Jest's "Expected: "A"".
_REPORT_MARK = re.compile(
    r"\bassert(?:ion)?(?:Error)?\b[^\n]*?[=!]=|^[ \t]*(?:left|right)[ \t]*:|\bwant[ \t]+[\"']"
    r"|\b[Ee]xpected[ \t]*:?[ \t]*[<\"']|\b[Rr]eceived:",
    re.MULTILINE,
)
_REPORTED_VALUE = re.compile(
    r"'(?P<sq>[^'\s]{8,512})'|\"(?P<dq>[^\"\s]{8,512})\"|<(?P<value>[^<>\s]{8,512})>"
)
_REPORT_LINES_BEFORE, _REPORT_LINES_AFTER = 3, 2  # where the test names what it compares


@dataclass(frozen=True, slots=True)
class ReportedValues:
    """A :class:`~detectors.secret_rule.Matcher` for the values a failed test's report
    shows (a line with a :data:`_REPORT_MARK`) when the lines around it name a credential
    (``name``: the assertion ``assert client.token == ...``, the test
    ``issuesRefreshToken``): each match is one quoted or bracketed value of that line."""

    name: re.Pattern[str]

    @property
    def groupindex(self) -> Mapping[str, int]:
        """The groups of a match: ``sq``, ``dq`` or (bracketed) ``value``."""
        return _REPORTED_VALUE.groupindex

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        """The shown values, left to right. The lines are found by their marks' words
        (``str.find``: a regular expression's search through prose costs ten times more),
        then read whole."""
        lowered = string.lower()
        lines: set[tuple[int, int]] = set()
        for word in _REPORT_WORDS:
            at = lowered.find(word)
            while at >= 0:
                line_start = string.rfind("\n", 0, at) + 1
                line_end = string.find("\n", at)
                line_end = len(string) if line_end < 0 else line_end
                lines.add((line_start, line_end))
                at = lowered.find(word, line_end)
        for line_start, line_end in sorted(lines):
            if _REPORT_MARK.search(string, line_start, line_end) is None:
                continue
            start, end = line_start, line_end
            for _ in range(_REPORT_LINES_BEFORE):
                start = string.rfind("\n", 0, max(start - 1, 0)) + 1 if start else 0
            for _ in range(_REPORT_LINES_AFTER):
                after = string.find("\n", end + 1)
                end = len(string) if after < 0 else after
            if self.name.search(string, start, end) is not None:
                yield from _REPORTED_VALUE.finditer(string, line_start, line_end)


_REPORT_WORDS = ("assert", "left", "right", "want", "expected", "received")
_REPORT_TRIGGERS = ("assert", "left:", 'want "', "want '", "expected", "received:")
_REPORT_TOKEN = re.compile(r"(?i:token|secret|api_?key|apikey|access_?key)")
_REPORT_PASSWORD = re.compile(r"(?i:password|passwd|passphrase)")

# The case-sensitive words of every _REPORT_MARK alternative: a stream's text without one
# holds no report line.
_REPORT_MARK_HINT = re.compile("assert|left|right|want|xpected|eceived:")


def open_report(text: str, released: str) -> int | None:
    """Where a stream must hold ``text`` back (``released``: the end of the text let out
    before it) for a failed test's report: from a line that shows a value
    (:class:`ReportedValues`) while the lines after it that may still name the credential
    (:data:`_REPORT_LINES_AFTER`, JUnit's ``at ...TokenServiceTest``) have not all ended.
    A report line released whole is past holding (only the hold's limit releases one)."""
    # Run on every read of every stream: most text has no report word.
    line = released.rfind("\n") + 1  # the released start of the line being continued
    if _REPORT_MARK_HINT.search(text) is None and (
        line == len(released) or _REPORT_MARK_HINT.search(released, line) is None
    ):
        return None
    whole = released[line:] + text
    start = len(whole)
    for _ in range(_REPORT_LINES_AFTER + 1):  # the report line, then the lines after it
        start = whole.rfind("\n", 0, start)
        if start < 0:
            break
    start += 1
    before = start - (len(released) - line)  # where whole[start:] begins in text
    for mark in _REPORT_MARK.finditer(whole, start):
        line_start = whole.rfind("\n", start, mark.start()) + 1 or start
        line_end = whole.find("\n", mark.end())
        line_end = len(whole) if line_end < 0 else line_end
        if _REPORTED_VALUE.search(whole, line_start, line_end) is not None:
            return max(before + line_start - start, 0)
    # The line being written may become one (pytest's "assert 'A' =" before its "= 'B'").
    line_start = whole.rfind("\n", start) + 1 or start
    if _REPORT_MARK_HINT.search(whole, line_start) and _REPORTED_VALUE.search(whole, line_start):
        return max(before + line_start - start, 0)
    return None


# --- psql's report of a statement it could not parse ------------------------------------

# psql names the token it stopped at, then prints the statement from its start on the next
# line: ``ERROR:  syntax error at or near "X"`` above ``LINE 1: CREATE ROLE etl LOGIN
# PASSWORD X;`` (an unquoted password is such a token). The first place prints the value
# before the statement that names it; it is the password where the next line is the
# statement (psql's ``LINE n:``, cut to ``...`` at its start when long) and shows the same
# token after a password's keyword.
_PSQL_ECHO = re.compile(
    r"\bat or near \"(?P<dq>[^\"\s]{6,256})\"[ \t]*\r?\n"
    r"LINE \d+: [^\n]*?\b(?P<key>(?i:password|identified[ \t]+by))[ \t]*=?[ \t]*['\"]?"
    r"(?P=dq)(?![^\s;,)'\"])"
)
_PSQL_MARK = 'at or near "'
_PSQL_STATEMENT = "LINE "


def open_psql_echo(text: str, released: str) -> int | None:
    """Where a stream must hold ``text`` back (``released``: the end of the text let out
    before it) for psql's report: from the line that shows ``at or near "X"`` until the
    line after it, which may be the statement naming X as a password (:data:`_PSQL_ECHO`),
    has ended, or has begun as no ``LINE n:``."""
    # Run on every read of every stream: most text has no "at or near".
    line = released.rfind("\n") + 1  # the released start of the line being continued
    if _PSQL_MARK not in text and _PSQL_MARK not in released[line:] + text[: len(_PSQL_MARK)]:
        return None  # nor where the released text ends inside the mark
    whole = released[line:] + text
    current = whole.rfind("\n") + 1
    before = len(whole) - len(text)  # where text begins in whole
    if _PSQL_MARK in whole[current:]:
        return max(current - before, 0)  # the line being written shows the token
    if not current:
        return None
    previous = whole.rfind("\n", 0, current - 1) + 1
    written = whole[current:]
    statement = written.startswith(_PSQL_STATEMENT) or _PSQL_STATEMENT.startswith(written)
    if statement and _PSQL_MARK in whole[previous:current]:
        return max(previous - before, 0)  # the statement is being written below it
    return None


# --- a value printed again ---------------------------------------------------------

_MIN_REPEATED = 12  # characters: a found secret this long is no word printed twice
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/=-")


def with_repeats(text: str, findings: list[Finding]) -> list[Finding]:
    """``findings`` and every later place ``text`` holds one of their values again, whole
    (not inside a longer token), as the same finding: programs print a value twice (Django's
    SQL and its ``args=``, ``set -x`` echoing ``TOKEN=X`` then ``-H 'Authorization: Token
    X'``), and the second place has no name of its own. Values of :data:`_MIN_REPEATED`
    characters or more, with no blank; a private key block is reported where it stands.

    Only later places: a streamed answer has released an earlier one before the finding
    that names it arrives, and the streamed and the whole answer must mask the same (an
    earlier place is found only by a rule of its own whose stream holds it, as psql's ``at
    or near "X"`` above ``LINE 1: ... PASSWORD X``: :data:`_PSQL_ECHO`). A stream remembers
    the values it masked for the places its scans no longer reach (:func:`printed_again`)."""
    values = {
        text[f.start : f.end]
        for f in findings
        if f.entity_type != E.PRIVATE_KEY and f.end - f.start >= _MIN_REPEATED
    }
    if not values:
        return findings
    taken = [(f.start, f.end) for f in findings]
    extra: list[Finding] = []
    for finding in findings:
        value = text[finding.start : finding.end]
        if value not in values or any(ch.isspace() for ch in value):
            continue
        values.discard(value)
        extra.extend(_printed_at(text, value, finding, finding.end, taken))
    if not extra:
        return findings
    return sorted([*findings, *extra], key=lambda f: (f.start, f.end))


def repeatable(value: str, finding: Finding) -> bool:
    """Whether :func:`with_repeats` looks for ``value`` (found as ``finding``) again."""
    return (
        finding.entity_type != E.PRIVATE_KEY
        and len(value) >= _MIN_REPEATED
        and not any(ch.isspace() for ch in value)
    )


def printed_again(
    text: str, values: Mapping[str, Finding], findings: list[Finding], after: int = 0
) -> list[Finding]:
    """``findings`` of ``text`` and every place ``text`` prints one of ``values`` again
    (found earlier, before ``text``, as its finding), as :func:`with_repeats` does within
    one text: whole, not overlapping a finding of the detector that found them. A finding of another
    detector inside such a place is dropped, as a scan drops one inside a secret (a card's
    digits told as a password are the password, :func:`detectors.registry.scan_all`).
    Only places that end after ``after`` are looked for.

    For a stream, whose scans read the newest text and a bounded part of what it has
    released: the whole answer reads every later printing, however far from the first.
    What the stream released is decided: ``after`` is where its pending text begins (each
    read looked for every value in the whole window, a Secret's data map of 16K characters
    for each of its hundreds of values: issue 11)."""
    detectors = {f.detector for f in values.values()}
    taken = [(f.start, f.end) for f in findings if f.detector in detectors]
    extra: list[Finding] = []
    for value, finding in values.items():
        start = max(0, after - len(value) + 1)
        extra.extend(_printed_at(text, value, finding, start, taken))
    if not extra:
        return findings
    kept = [
        f
        for f in findings
        if f.detector in detectors or not any(e.start <= f.start and f.end <= e.end for e in extra)
    ]
    return sorted([*kept, *extra], key=lambda f: (f.start, f.end))


def _printed_at(
    text: str, value: str, finding: Finding, start: int, taken: list[tuple[int, int]]
) -> Iterator[Finding]:
    """``finding`` at each place from ``start`` where ``text`` prints ``value`` whole and
    free of ``taken`` (which each place found joins)."""
    at = text.find(value, start)
    while at >= 0:
        end = at + len(value)
        alone = (at == 0 or text[at - 1] not in _TOKEN_CHARS) and (
            end == len(text) or text[end] not in _TOKEN_CHARS
        )
        if alone and all(end <= s or at >= e for s, e in taken):
            yield dataclasses.replace(finding, start=at, end=end)
            taken.append((at, end))
        at = text.find(value, end)


def printed_secret_rules(
    generic: Check, prose_words: frozenset[str], english_words: frozenset[str]
) -> tuple[Rule, ...]:
    """The rules of this module; ``generic`` checks a random-looking token, a password
    must not be one of ``prose_words`` on a command line nor, under a bare field name, one
    of ``english_words``."""
    token = _named_token(generic)
    password = not_a_word(english_words, command_value(prose_words))
    return (
        Rule(
            E.GENERIC_SECRET,
            _echo(TOKEN_NAME, _TOKEN_ENDS),
            0.8,
            STRUCTURED,
            _ECHO_TRIGGERS,
            _named_token(generic, 1),
        ),
        Rule(
            E.PASSWORD,
            _echo(PASSWORD_NAME, _PASSWORD_ENDS),
            0.8,
            STRUCTURED,
            _ECHO_TRIGGERS,
            not_a_word(english_words, command_value(prose_words), 1),
        ),
        Rule(
            E.GENERIC_SECRET,
            _pair(TOKEN_NAME, _TOKEN_ENDS),
            0.8,
            STRUCTURED,
            _pair_triggers(_TOKEN_ENDS),
            token,
        ),
        Rule(
            E.PASSWORD,
            _pair(PASSWORD_NAME, _PASSWORD_ENDS),
            0.8,
            STRUCTURED,
            _pair_triggers(_PASSWORD_ENDS),
            password,
        ),
        Rule(
            E.GENERIC_SECRET,
            SqlColumns(_TOKEN),
            0.8,
            STRUCTURED,
            ("insert",),
            lambda value, match, text: generic(value, match, text) or _key_shaped(value),
        ),
        Rule(E.PASSWORD, SqlColumns(_PASSWORD), 0.8, STRUCTURED, ("insert",), _stored_password),
        Rule(
            E.GENERIC_SECRET,
            _DATA_ENTRY,
            0.8,
            STRUCTURED,
            ("kind: secret",),
            _secret_data(generic, password=False),
        ),
        Rule(
            E.PASSWORD,
            _DATA_ENTRY,
            0.8,
            STRUCTURED,
            ("kind: secret",),
            _secret_data(generic, password=True),
        ),
        Rule(
            E.GENERIC_SECRET,
            _listed(TOKEN_NAME),
            0.75,
            STRUCTURED,
            _listed_triggers(_TOKEN_ENDS),
            token,
        ),
        Rule(
            E.PASSWORD,
            _listed(PASSWORD_NAME),
            0.75,
            STRUCTURED,
            _listed_triggers(_PASSWORD_ENDS),
            password,
        ),
        Rule(E.GENERIC_SECRET, _wrapped(TOKEN_NAME), 0.8, STRUCTURED, ('"value"',), token),
        Rule(E.PASSWORD, _wrapped(PASSWORD_NAME), 0.8, STRUCTURED, ('"value"',), password),
        Rule(
            E.GENERIC_SECRET,
            _compared(TOKEN_NAME, _TOKEN_ENDS),
            0.75,
            STRUCTURED,
            _COMPARED_TRIGGERS,
            token,
        ),
        Rule(
            E.PASSWORD,
            _compared(PASSWORD_NAME, _PASSWORD_ENDS),
            0.75,
            STRUCTURED,
            _COMPARED_TRIGGERS,
            password,
        ),
        Rule(
            E.GENERIC_SECRET,
            _bracketed(TOKEN_NAME),
            0.75,
            STRUCTURED,
            ("key=", "token=", "secret="),
            token,
        ),
        Rule(
            E.PASSWORD,
            _bracketed(PASSWORD_KEY),
            0.75,
            STRUCTURED,
            ("word=", "wd=", "pass=", "pw=", "phrase="),
            password,
        ),
        Rule(E.GENERIC_SECRET, _LOGFMT, 0.7, CONTEXTUAL, ("bearer=", "key="), _logfmt(generic)),
        Rule(
            E.GENERIC_SECRET,
            _validation_error(TOKEN_NAME),
            0.75,
            STRUCTURED,
            ("input_value=",),
            token,
        ),
        Rule(
            E.PASSWORD,
            _validation_error(PASSWORD_NAME),
            0.75,
            STRUCTURED,
            ("input_value=",),
            password,
        ),
        Rule(E.GENERIC_SECRET, _dumped(TOKEN_NAME), 0.75, STRUCTURED, ("=>",), token),
        Rule(E.PASSWORD, _dumped(PASSWORD_KEY), 0.75, STRUCTURED, ("=>",), password),
        Rule(E.PASSWORD, _AUTH_ITEM, 0.8, STRUCTURED, ("auth",), command_value(prose_words)),
        Rule(
            E.PASSWORD,
            _REDIS_AUTH,
            0.7,
            CONTEXTUAL,
            ("auth ",),
            all_of(_not_a_mechanism, command_value(prose_words)),
        ),
        Rule(
            E.PASSWORD,
            _ARRAY_REPLY,
            0.8,
            STRUCTURED,
            _ARRAY_REPLY_TRIGGERS,
            _array_reply(password),
        ),
        Rule(E.GENERIC_SECRET, _CONSUMER_KEY, 0.75, CONTEXTUAL, ("consumer_key=",), generic),
        Rule(
            E.GENERIC_SECRET,
            ReportedValues(_REPORT_TOKEN),
            0.7,
            CONTEXTUAL,
            _REPORT_TRIGGERS,
            lambda value, match, text: (
                not is_placeholder(value)
                and (_key_shaped(value) or (is_scattered(value) and generic(value, match, text)))
            ),
        ),
        Rule(
            E.PASSWORD,
            ReportedValues(_REPORT_PASSWORD),
            0.7,
            CONTEXTUAL,
            _REPORT_TRIGGERS,
            command_value(prose_words),
        ),
        Rule(E.PASSWORD, _PSQL_ECHO, 0.8, STRUCTURED, ("at or near",), password),
    )


# A password column's value that is its hash: hex digits, or a crypt string ("$2b$12$...").
_STORED_HASH = re.compile(r"[0-9a-fA-F]{32,}|\$[0-9a-z]{1,8}\$\S+|\{[A-Z0-9-]+\}\S+")


def _stored_password(value: str, match: re.Match[str], text: str) -> bool:
    """A value under a password's column: no placeholder and no stored hash."""
    return (
        len(value) >= _MIN_DECODED
        and not is_placeholder(value)
        and _STORED_HASH.fullmatch(value) is None
    )


def _not_a_mechanism(value: str, match: re.Match[str], text: str) -> bool:
    """Not SMTP's or IMAP's ``AUTH`` mechanism ("CRAM-MD5", "PLAIN", "XOAUTH2"): capitals."""
    return value.upper() != value


def _key_shaped(value: str) -> bool:
    return _UUID.fullmatch(value) is not None or _LONG_HEX.fullmatch(value) is not None
