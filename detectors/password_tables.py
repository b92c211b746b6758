"""Passwords in tables: a column headed "password" (Markdown, ``psql`` output, CSV, TSV) and
a two-column row whose first cell says "password" (a Markdown key/value table).

A table's header names the column; the value of each row is the cell in that column, so
no regular expression can say where it is. :class:`PasswordColumns` is a
:class:`~detectors.secret_rule.Matcher` that reads the rows and yields one match per cell.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass, replace

from detectors import entities as E
from detectors.credential_labels import LabelFinder, alternation, load_labels, triggers
from detectors.password_prose import is_config_passphrase, is_word_chain
from detectors.secret_rule import STRUCTURED, Check, SecretRule
from detectors.secret_values import is_expression, is_placeholder

# The words of other languages that name a password ("Senha", "Kennwort", "Mot de passe"),
# from data/credential_labels.txt: a wiki table is headed in its writer's language.
_LABELS = load_labels().password
# A header cell that names a password: "password", "Password", "db_password", "new pass".
_PASSWORD_CELL = re.compile(
    r"(?i)(?:[a-z0-9]{1,20}[ _.-])?(?:password|passwd|passphrase|pwd|pass|pw|pin|"
    + alternation(_LABELS)
    + ")"
)
# A header cell that names a token: "api key", "API_KEY", "access token", "secret", "key"
# (a column of keys per environment; its cells must still look random to count).
TOKEN_CELL = re.compile(
    r"(?i)(?:[a-z0-9]{1,20}[ _.-])?(?:api[ _-]?key|apikey|access[ _-]?key|secret[ _-]?key"
    r"|key|token|secret)s?"
)
_ANY_CELL = re.compile(
    "(?i)(?:" + _PASSWORD_CELL.pattern[4:] + ")|(?:" + TOKEN_CELL.pattern[4:] + ")"
)
# The rule under a header: Markdown's ("|---|:--:|", "|===|"), psql's ("-----+-----"), a
# MySQL client's or a grid table's box ("+-----+-----+", "+=====+"); box-drawing rules
# ("├───┼───┤") read as ASCII ones (_BOX_AS_ASCII).
_COLUMN_RULE = r":?(?:-+|=+):?"
_RULE_LINE = re.compile(
    rf"[ \t]*[|+]?[ \t]*{_COLUMN_RULE}[ \t]*(?:[|+][ \t]*{_COLUMN_RULE}[ \t]*)+[|+]?[ \t]*"
    r"|[ \t]*[|+]?[ \t]*:?-{3,}:?[ \t]*[|+]?[ \t]*"
)
# A table drawn with box-drawing characters, read as the ASCII table it draws (one character
# for one, so offsets stay): sides "│" as "|", junctions "┼" as "+", rules "─" as "-".
_BOX_SIDES = "│║┃"
_BOX_AS_ASCII = str.maketrans(
    {
        **dict.fromkeys(_BOX_SIDES, "|"),
        **dict.fromkeys("┌┬┐├┼┤└┴┘╔╦╗╠╬╣╚╩╝┏┳┓┣╋┫┗┻┛╞╪╡╟╫╢", "+"),
        **dict.fromkeys("─━", "-"),
        **dict.fromkeys("═", "="),
    }
)
_BOX_CHARACTER = re.compile("[" + "".join(chr(c) for c in _BOX_AS_ASCII) + "]")
# A header cell of CSV or TSV: a short name, not a value.
_HEADER_CELL = re.compile(r"[\"']?[A-Za-z][\w .-]{0,39}[\"']?")
_CELL = re.compile(r"(?P<value>[^\n]+)")
_MAX_ROWS = 500  # rows read below one header


@dataclass(frozen=True, slots=True)
class _Cell:
    start: int
    end: int


def _cells(text: str, start: int, end: int, delimiter: str) -> list[_Cell]:
    """The cells of the line ``text[start:end]``, trimmed of blanks and of the quotes or
    backticks that enclose a whole cell; the outer pipes of a Markdown row delimit no cell."""
    line = text[start:end]
    if delimiter == "|":
        stripped = line.strip()
        lead = line.find(stripped) if stripped else 0
        if stripped.startswith("|"):
            lead += 1
            stripped = stripped[1:]
        if stripped.endswith("|"):
            stripped = stripped[:-1]
        line, start = stripped, start + lead
    cells: list[_Cell] = []
    offset = 0
    for raw in line.split(delimiter):
        left = len(raw) - len(raw.lstrip())
        content = raw.strip()
        cell_start = start + offset + left
        cell_end = cell_start + len(content)
        if len(content) >= 2 and content[0] == content[-1] and content[0] in "\"'`":
            cell_start, cell_end = cell_start + 1, cell_end - 1
        cells.append(_Cell(cell_start, cell_end))
        offset += len(raw) + 1
    return cells


def _delimiter(line: str) -> str | None:
    # ";": what a spreadsheet writes as CSV where "," is the decimal mark
    for delimiter in ("|", "\t", ",", ";"):
        if delimiter in line:
            return delimiter
    return None


class PasswordColumns:
    """The cells of password columns, and of two-cell rows keyed "password", as matches of
    a pattern with one group, ``value``; with ``names=TOKEN_CELL``, of columns headed "api
    key", "token" or "secret"."""

    def __init__(self, names: re.Pattern[str] = _PASSWORD_CELL, *, foreign: bool = False) -> None:
        self._names = names
        self._hint = _TOKEN_HINTS if names is TOKEN_CELL else _PASSWORD_HINTS
        if foreign:  # headed in another language: "| Serviço | Usuário | Senha |"
            self._hint = _FOREIGN_HINTS

    @property
    def groupindex(self) -> Mapping[str, int]:
        """The one group, ``value``."""
        return _CELL.groupindex

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        """One match per password cell, in text order. Only lines with a cell that names a
        password (:class:`_Hints`) are read as headers, so text without one costs one search."""
        return _cells_of_tables(string, None, self._names, self._hint)


def open_table(text: str) -> int | None:
    """Where the header line of a password table starts if the end of ``text`` may still
    be in that table (its last line is one of the table's rows, or the start of the next
    one), else ``None``.

    A streamed answer is scanned with the last few hundred released characters only; a cell
    many rows below its header is a password only if the header is scanned with it.
    """
    tables: list[tuple[int, int]] = []
    for _ in _cells_of_tables(text, tables, _ANY_CELL, _ANY_HINTS):
        pass
    return next((start for start, end in reversed(tables) if end >= len(text)), None)


def _cells_of_tables(
    string: str,
    tables: list[tuple[int, int]] | None,
    names: re.Pattern[str],
    hints: _Hints,
) -> Iterator[re.Match[str]]:
    """:meth:`PasswordColumns.finditer` for header cells ``names`` matches, read from the
    lines where ``hints`` finds a header's key word; appends each column table's (header
    start, end) to ``tables`` if given. A box-drawn table is read as the ASCII one it draws
    (the whole answer's markup view reads it so too; a stream's hold-back must see it)."""
    position = 0
    drawn = False  # whether box-drawn lines were read as ASCII yet (once, at the first hint)
    for hint in hints.starts(_lowered(string)):
        if hint < position:
            continue
        if not drawn:
            string, drawn = _as_ascii(string), True
        line = _line(string, string.rfind("\n", 0, hint) + 1)
        position = line[1]
        delimiter = _delimiter(string[line[0] : line[1]])
        if delimiter is None:
            continue
        cells = _cells(string, *line, delimiter)
        named = [i for i, c in enumerate(cells) if _names(names, string, c)]
        below = _line(string, line[1] + 1) if line[1] < len(string) else None
        ruled = below is not None and _is_rule(string, below)
        if named and len(cells) >= 2 and (ruled or _is_first_header(string, line, cells)):
            first = below
            if ruled and below is not None:  # the rows start under the rule line
                first = _line(string, below[1] + 1) if below[1] < len(string) else None
            position = yield from _column(string, first, delimiter, named[0], len(cells))
            if tables is not None:
                tables.append((line[0], position))
        elif delimiter == "|" and named == [0] and len(cells) == 2:
            value = string[cells[1].start : cells[1].end]
            if not any(ch.isspace() for ch in value):  # not "the user's password"
                yield from _match(string, cells[1])  # | password | X |


# Where a header may name a password: the key word at the end of a cell of a delimited
# line, searched in the lowercased text (a literal start keeps the search fast); the whole
# cell is checked against _PASSWORD_CELL afterwards.
_PASSWORD_HINT = r"(?:pass(?:word|wd|phrase)?|pwd|pw|pin)"  # noqa: S105 - a pattern
_TOKEN_HINT = r"(?:key|apikey|token|secret)s?"  # noqa: S105 - the key word ending each TOKEN_CELL
_HINT_END = r"[\"'`]?[ \t]*(?:[|,;\t│║┃]|\r?$)"
_CELL_END = re.compile(r"(?m)" + _HINT_END)


@dataclass(frozen=True, slots=True)
class _Hints:
    """Where a header's key word ends a cell: the English words by ``english``, the words
    of other languages ("Senha", "Kennwort") by ``labels`` (one Aho-Corasick pass: a regex
    of ~70 words costs a tenth of a millisecond per 4 KB of code, where "pass" and "pin"
    let the rule run)."""

    english: re.Pattern[str] | None
    labels: LabelFinder | None

    def starts(self, lowered: str) -> list[int]:
        """The offsets of the key words in ``lowered``, in text order."""
        found = [] if self.english is None else [h.start() for h in self.english.finditer(lowered)]
        if self.labels is not None:
            found.extend(
                start
                for start, end in self.labels.find(lowered)
                if _CELL_END.match(lowered, end) is not None
            )
            found.sort()
        return found

    def first(self, lowered: str) -> int | None:
        """The offset of the first key word in ``lowered``, if any."""
        return next(iter(self.starts(lowered)), None)


# The words of other languages the English hint does not find ("password" is Italian too);
# their rule runs only in a text that holds one ("kennwort", "senha", "密码").
_FOREIGN_WORDS = tuple(w for w in _LABELS if re.fullmatch(_PASSWORD_HINT, w) is None)
_FOREIGN = LabelFinder(
    replace(
        load_labels(), password=_FOREIGN_WORDS, key=(), token=(), pin=(), user=(), credentials=()
    )
)
_PASSWORD_HINTS = _Hints(re.compile(r"(?m)" + _PASSWORD_HINT + _HINT_END), None)
_FOREIGN_HINTS = _Hints(None, _FOREIGN)
_TOKEN_HINTS = _Hints(re.compile(r"(?m)" + _TOKEN_HINT + _HINT_END), None)
_ANY_HINTS = _Hints(
    re.compile(r"(?m)(?:" + _PASSWORD_HINT + "|" + _TOKEN_HINT + ")" + _HINT_END), _FOREIGN
)


def _as_ascii(text: str) -> str:
    """``text`` with its box-drawing characters written as the ASCII table they draw."""
    return text if _BOX_CHARACTER.search(text) is None else text.translate(_BOX_AS_ASCII)


def _lowered(string: str) -> str:
    """``string`` lowercased character for character (offsets unchanged)."""
    lowered = string.lower()
    if len(lowered) != len(string):  # a few characters lowercase to two ("İ")
        lowered = "".join(ch.lower()[0] for ch in string)
    return lowered


def header_free(text: str, start: int = 0) -> int:
    """How far ``text``, in whole lines, holds no password table header: the start of the
    first line from ``start`` on with a header's key word (the hint every table search
    starts from), else the end of the last line ``text`` ends (after its line break).

    ``text[:start]`` must be known free already (an earlier answer for text this one
    continues) and ``start`` be 0 or a line's start: only the lines from there on are
    searched, so a text that grows is searched once. :func:`open_table` is ``None`` for
    any part of ``text`` that ends at a line break at or before the offset returned: a
    hint lies within one line and needs nothing before it.
    """
    rows = text.rfind("\n", start) + 1
    if rows <= start:
        return start
    hint = _ANY_HINTS.first(_lowered(text[start:rows]))
    if hint is None:
        return rows
    return text.rfind("\n", start, start + hint) + 1 or start


def _line(text: str, start: int) -> tuple[int, int]:
    """The line starting at ``start``, without its line break."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return start, end - 1 if end > start and text[end - 1] == "\r" else end


def _column(
    text: str,
    line: tuple[int, int] | None,
    delimiter: str,
    column: int,
    width: int,
) -> Generator[re.Match[str], None, int]:
    """The cells of ``column`` in the rows from ``line`` on that have the header's
    ``width`` (in a TSV, a row may lack its last cells: a sheet pasted as text drops the
    tabs of empty cells at the end of a row); a grid table's border between two rows
    (``+----+----+``) goes on to the next row. Returns the offset where the table ends."""
    for _ in range(_MAX_ROWS):
        if line is not None and line[1] < len(text) and _is_border(text, line):
            line = _line(text, line[1] + 1)
        if line is None or delimiter not in text[line[0] : line[1]]:
            break
        cells = _cells(text, *line, delimiter)
        if len(cells) != width and not (delimiter == "\t" and column < len(cells) < width):
            break
        yield from _match(text, cells[column])
        if line[1] >= len(text):
            return line[1]
        line = _line(text, line[1] + 1)
    return line[0] if line is not None else len(text)


def _match(text: str, cell: _Cell) -> Iterator[re.Match[str]]:
    if cell.end > cell.start:
        match = _CELL.match(text, cell.start, cell.end)
        if match is not None:
            yield match


def _names(names: re.Pattern[str], text: str, cell: _Cell) -> bool:
    return names.fullmatch(text, cell.start, cell.end) is not None


def _is_rule(text: str, line: tuple[int, int]) -> bool:
    return _RULE_LINE.fullmatch(text, line[0], line[1]) is not None


def _is_border(text: str, line: tuple[int, int]) -> bool:
    """A rule line drawn as a box's border (``+----+``, ``├────┼────┤``), not Markdown's."""
    return text[line[0] : line[1]].lstrip().startswith("+") and _is_rule(text, line)


def _is_header(text: str, cells: list[_Cell]) -> bool:
    """A CSV, TSV or Markdown header (a Markdown one pasted without its rule line): every
    cell a short name."""
    return all(_HEADER_CELL.fullmatch(text, c.start, c.end) is not None for c in cells)


def _is_first_header(text: str, line: tuple[int, int], cells: list[_Cell]) -> bool:
    """:func:`_is_header`, on the first line of its table: a row under a rule line or under
    another row ("| Password | required |" of a table of settings) heads no column."""
    if not _is_header(text, cells):
        return False
    if line[0] == 0:
        return True
    above = _line(text, text.rfind("\n", 0, line[0] - 1) + 1)
    delimiter = _delimiter(text[above[0] : above[1]])
    return delimiter is None or not (
        _is_rule(text, above) or len(_cells(text, *above, delimiter)) == len(cells)
    )


# A cell that says what state the password is in ("geändert", "expirée"), in the languages
# of data/credential_labels.txt.
_STATES = frozenset(word.lower() for word in load_labels().state)


def _cell_value(value: str, match: re.Match[str], text: str) -> bool:
    """A cell holds a password unless it is empty, a placeholder or a reference; a cell of
    words only if they are a passphrase, not a note ("ask reception", "printed on the
    visitor badge", "see vault")."""
    value = value.strip()
    if any(ch.isspace() for ch in value) and not is_config_passphrase(value):
        return False
    return (
        len(value) >= 3
        and not is_placeholder(value)
        and (not is_expression(value) or is_word_chain(value, quoted=True))
        and not _PASSWORD_CELL.fullmatch(value)  # a second header row
        and value[0] not in "%<"
        and (value[0] != "$" or _DOLLAR_REFERENCE.fullmatch(value) is None)
        and value.lower() not in _STATES
    )


# A cell that begins with "$" and is a variable (``$DB_PASS``, ``${PW}``, ``$(cat f)``,
# ``$env:PW``, ``$HOME/.pgpass``) or a crypt(3) hash (``$2b$12$...``), not a password that
# begins with "$" ("$e3$3D&c_": "$3" and "&" are no variable's shape).
_DOLLAR_REFERENCE = re.compile(
    r"\$(?:\{[^{}\n]*\}|\([^\n]*\)|[A-Za-z_]\w*(?::[A-Za-z_]\w*)?)(?:[/\\.:-]\S*)?"
    r"|\$(?:1|2[abxy]?|5|6|7|y|gy|apr1|argon2\w*|scrypt|pbkdf2[\w-]*)\$\S*"
)


# SQL's INSERT INTO users (name, email, password) VALUES ('a', 'b', 'X'), (...): a table
# whose header is the column list; a column that stores a hash names it ("password_hash").
_INSERT = re.compile(
    r"(?i:insert)[ \t]+(?i:into)[ \t]+[\w.`\"\[\]]{1,128}[ \t]*\((?P<cols>[^()\n]{1,500})\)"
    r"\s*(?i:values)\s*"
)
_ROW = re.compile(r"\((?P<row>(?:'(?:[^'\n]|'')*'|\"[^\"\n]*\"|[^()'\"\n])*)\)\s*,?\s*")
_SQL_VALUE = re.compile(r"\s*(?:'(?:[^'\n]|'')*'|\"[^\"\n]*\"|[^,]*)\s*(?:,|$)")
_SQL_LITERAL = re.compile(r"'(?P<sq>[^'\n]{1,256})'|\"(?P<dq>[^\"\n]{1,256})\"")
_STORED_COLUMN = re.compile(r"(?i)hash|digest|encrypt|crypt|salt|reset|expir|changed|policy")
# A stored password, not a password: bcrypt, argon2, crypt(3), Django's pbkdf2, a hex digest.
_STORED_VALUE = re.compile(
    r"\$(?:2[abxy]?|5|6|argon2\w*|scrypt)\$\S*|pbkdf2_sha\d+\$\S*|[0-9a-fA-F]{32,128}"
)


@dataclass(frozen=True, slots=True)
class InsertedPasswords:
    """A :class:`~detectors.secret_rule.Matcher`: the string in the password column of each
    row of an SQL ``INSERT ... VALUES``."""

    @property
    def groupindex(self) -> Mapping[str, int]:
        """The groups of a literal: ``sq`` and ``dq``, its quotes."""
        return _SQL_LITERAL.groupindex

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        """The literals, left to right."""
        for insert in _INSERT.finditer(string):
            names = [n.strip(' \t`"[]') for n in insert["cols"].split(",")]
            column = next(
                (
                    i
                    for i, name in enumerate(names)
                    if _PASSWORD_CELL.fullmatch(name) and not _STORED_COLUMN.search(name)
                ),
                None,
            )
            if column is None:
                continue
            position = insert.end()
            while (row := _ROW.match(string, position)) is not None:
                position = row.end()
                cell, start = 0, row.start("row")
                while start < row.end("row") and (value := _SQL_VALUE.match(string, start)):
                    if cell == column:
                        literal = _SQL_LITERAL.match(
                            string, start + len(value[0]) - len(value[0].lstrip())
                        )
                        if literal is not None and not _STORED_VALUE.fullmatch(
                            literal["sq"] or literal["dq"] or ""
                        ):
                            yield literal
                        break
                    cell, start = cell + 1, value.end()
                    if value.end() == value.start():
                        break


def table_rules(check: Check = _cell_value) -> tuple[SecretRule, ...]:
    """The rules for passwords in tables: columns headed "password", and the password column
    of an SQL ``INSERT``."""
    return (
        SecretRule(E.PASSWORD, PasswordColumns(), 0.8, STRUCTURED, ("pass", "pw", "pin"), check),
        SecretRule(
            E.PASSWORD,
            PasswordColumns(foreign=True),
            0.8,
            STRUCTURED,
            # "ww" (Dutch) is in every "www": a label that short is no trigger of its own
            tuple(w for w in triggers(_FOREIGN_WORDS) if len(w) > 2 or not w.isascii()),
            check,
        ),
        SecretRule(E.PASSWORD, InsertedPasswords(), 0.8, STRUCTURED, ("insert",), check),
    )


def token_table_rules(token: Check) -> tuple[SecretRule, ...]:
    """The rule for tokens in Markdown and TSV columns headed "api key", "token", "secret";
    ``token`` checks a cell's value (the generic check of a random-looking token)."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return TOKEN_CELL.fullmatch(value) is None and token(value, match, text)

    return (
        SecretRule(
            E.GENERIC_SECRET,
            PasswordColumns(TOKEN_CELL),
            0.8,
            STRUCTURED,
            _TOKEN_TABLE_TRIGGERS,
            check,
        ),
    )


# A header cell naming a token, then a Markdown or TSV delimiter: "api key |", "token\t"; a
# Markdown rule line (a header padded to its column's width, "| key        |"); in CSV a
# compound name ("client_secret,", ",api_token" ending the header) or a plain one between
# delimiters or ending the line ("service, owner, key", "name;key;created"): in code "key,"
# and "token," are everywhere, a delimiter on both sides much less so (and every cell of
# the line must still be a short name for it to head a table).
_TOKEN_TABLE_TRIGGERS = (
    *(w + end for w in ("key", "keys", "token", "tokens", "secret") for end in (" |", "|", "\t")),
    *(f"_{word}{end}" for word in ("key", "token", "secret") for end in (",", "\n", "\r")),
    *(
        f"{lead}{word}{end}"
        for word in ("key", "token", "secret")
        for lead, ends in (
            (",", (",", "\n", "\r")),
            (", ", (",", "\n", "\r")),
            (";", (";", "\n", "\r")),
        )
        for end in ends
    ),
    *("|-", "|:-", "| -", "| :-"),
)
