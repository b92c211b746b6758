"""People in tables: the cells of a column of names, every row of it.

HR exports, on-call rotas, access reviews and customer lists are pasted as Markdown
tables, tab-separated or comma-separated lines. The small NER model finds a name in a
row now and then, rarely in every row, and the product rules of the NER filter read a
row's last cell as listed with the next row's first ("| GCC |\\n| Moxie |" is a column
of tools). :func:`table_names` reads such a text as a grid: consecutive lines with the
same number of cells (``|``, a tab or a comma between them, a comma inside a CSV cell's
double quotes none; a Markdown rule line "|---|:--:|" skipped). A column holds people

* when its header names them ("Assignee", "Reviewer", "Employee", "Mitarbeiter",
  "Prénom"); a header of people or things alike ("Name", "Contact", "Customer", "Nom")
  counts beside a column of people's details ("Role", "E-mail", "Team");
* when another cell of it is a PERSON already (found by the model or a cue) that has a
  name's shape itself, and no cell of it is one technology name: the header-less
  "Owners:\\n| Ann Lee | Owner |\\n| Bob Stone | Admin |"; then only cells opening with
  a known first name are names, unless two thirds of the column are people
  (:func:`_mostly_people`);
* when, without a header of people or things, two thirds of it are full names, one led
  by a known first name (:func:`_listed_people`): the rows of a table cut into NER
  windows or scanned in a stream, whose header and model's PERSONs lie elsewhere.

A column whose header names things ("Product", "Package", "City") or a "Name" beside
details of things ("Version", "Price") holds no person.

A cell of such a column is a name when it has a name's shape (:func:`_name_cell`): one to
four capitalised words, particles ("van Hoevel en van Zwindrecht", "bint", "al-Rashid")
and initials allowed, or "Last, First"; no digits, no technology word, stop word or
acronym opening it, not only dictionary words ("Platform Team") nor only places
("Lisbon"), no company form ending it ("Initech LLC": a cell of no person in any column).
The NER filter keeps what this module reports as a name (:func:`read_tables`): no product
link across cells, no address read into an id column before it ("3\\tAnn Lee"); and it
drops a PERSON in a column of things ("| Product |", "| Name | Version |") or in a cell of
a company.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from core.scanning import Finding
from detectors.name_cues import CUED_SCORE, NAME_WORD, PARTICLE, surname_word
from detectors.ner_lexicon import STOP_WORDS_NO_NAMES, Lexicon, normalise

__all__ = ["TableReading", "read_tables", "table_names"]

# Headers of a column of people whatever stands beside it ("Assignee", "Vorname").
_PEOPLE_HEADERS = frozenset({
    "owner", "owners", "assignee", "assignees", "assigned to", "reporter", "reviewer",
    "reviewers", "author", "authors", "employee", "employees", "employee name", "staff",
    "staff member", "member", "members", "team member", "manager", "line manager",
    "supervisor", "approver", "approved by", "requester", "requestor", "requested by",
    "submitted by", "prepared by", "signed by", "attendee", "attendees", "participant",
    "participants", "presenter", "speaker", "interviewer", "candidate", "applicant",
    "patient", "tenant", "beneficiary", "payee", "account holder", "cardholder",
    "signatory", "witness", "contact person", "contact name", "customer name",
    "client name", "person", "full name", "first name", "last name", "surname",
    "given name", "family name", "forename", "on call", "on-call", "engineer", "lead",
    "tech lead", "chair", "student", "teacher", "mitarbeiter", "mitarbeiterin", "vorname",
    "nachname", "ansprechpartner", "prénom", "nom de famille", "nom complet", "apellido",
    "apellidos", "nombre completo", "nome completo", "cognome", "responsable",
    "verantwoordelijke", "eigenaar", "voornaam", "achternaam", "medewerker",
})  # fmt: skip
# Headers of a column of people or of things ("| Name | Version |", "| Customer | Plan |").
_AMBIGUOUS_HEADERS = frozenset({
    "name", "names", "contact", "contacts", "customer", "customers", "client", "clients",
    "user", "users", "nom", "nombre", "nome", "naam", "who", "from", "to", "cc",
})  # fmt: skip
# Columns beside which an ambiguous header names people.
_DETAIL_HEADERS = frozenset({
    "role", "e-mail", "email", "email address", "e-mail address", "phone", "mobile",
    "department", "dept", "title", "team", "position", "job title", "rôle", "rolle",
    "abteilung", "poste", "puesto", "correo", "telefon", "téléphone", "teléfono",
    "start date", "hire date", "manager", "location", "office", "extension", "address",
    "home address", "postal address", "phone number", "mobile number", "date of birth", "dob",
    "birthday", "salary", "username", "user name", "login",
    # a customer's card or bank account ("Customer | Card | Exp", "name | iban | amount")
    "card", "card number", "iban", "account number", "bank account",
    # a person's identifiers and pay ("name|ssn|plan", "employee_id,ssn,name,gross,net")
    "ssn", "social security number", "national id", "national insurance number", "nino",
    "passport", "passport number", "tax id", "employee id", "employee number", "staff id",
    "payroll id", "gross", "net", "gross pay", "net pay", "pay", "wage", "bonus",
})  # fmt: skip
# Headers of a column of things: products, software, machines, places ("| Product |").
_THING_HEADERS = frozenset({
    "product", "products", "item", "items", "tool", "tools", "package", "packages",
    "library", "libraries", "service", "services", "component", "components", "module",
    "modules", "app", "application", "model", "sku", "plugin", "dependency", "crate", "gem",
    "image", "repo", "repository", "project", "framework", "city", "country", "town",
    "region", "vendor", "supplier", "company", "brand", "host", "hostname", "server",
    "cluster", "database", "language", "platform", "provider", "technology", "stack",
})  # fmt: skip
# Columns beside which "Name" names things ("| Name | Version |", "| Name | Price |").
_THING_DETAILS = frozenset({
    "version", "versions", "price", "cost", "license", "licence", "stock", "qty",
    "quantity", "size", "port", "ports", "type", "kind", "default", "value", "url",
    "homepage", "downloads", "stars", "release", "latest", "image", "tag", "path",
})  # fmt: skip
_HEADER_WORDS = (
    _PEOPLE_HEADERS | _AMBIGUOUS_HEADERS | _DETAIL_HEADERS | _THING_HEADERS | _THING_DETAILS
)
_HEADER_JOINERS = re.compile(r"[_\s]+")
# A Markdown table's rule line ("|---|:--:|", "--- | ---").
_RULE = re.compile(r"[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|?)+[ \t\r]*")
_SEPARATORS = ("|", "\t", ";", ",")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")  # in an amount ("1,250.00", "150.250,03")
# Particles of a name in a cell, beyond those of prose (PARTICLE): the conjunctions of double
# surnames ("van Hoevel en van Zwindrecht", "von und zu", "Puig i Cadafalch", "García y
# López", "Silva e Costa"), "bint", "binti", "ben", "abu", Scandinavian "af"/"av", Dutch
# "op", "tot". Between a cell's capitalised words; in prose most are plain words. Not "in"
# ("Ann Lee in Berlin" is a name and a place).
_CELL_PARTICLE = (
    rf"(?:{PARTICLE}|en|und|zu|zum|zur|vom|tot|op|y|e|i|bint|binti|ben|abu|af|av"
    r"|dei|degli|delle|lo|los|las)"
)
# A lowercase prefix glued to a name's word: "al-Rashid", "el-Amin", "d'Arc", "dell'Orto".
_GLUED = r"(?:al|el|ad|ud|ul|ibn)[-‐]|(?:d|dell|l)['’]"
_WORD = rf"(?:{_GLUED})?{NAME_WORD}"
_INITIAL = r"[A-ZÀ-ÖØ-Þ]\."  # "Robin H. Johnson", "J. R. Hartley"
# One to four words, particles or initials between them ("Ana de la Cruz"), initials
# before them.
_CELL_NAME = (
    rf"(?:{_INITIAL}[ \t]*)*{_WORD}"
    rf"(?:[ \t]+(?:(?:{_CELL_PARTICLE}|{_INITIAL})[ \t]*)*{_WORD}){{0,3}}"
)
_CELL = re.compile(rf"[ \t]*([\"']?)(?P<name>{_CELL_NAME})\1[ \t]*")
# "Last, First" (a CSV export's quoted "Lee, Ann", "van Gorp, Saar"): the name is the whole.
_INVERTED = re.compile(
    rf"[ \t]*([\"']?)(?P<name>(?P<last>(?:{_CELL_PARTICLE}[ \t]+)*{_CELL_NAME}),[ \t]*"
    rf"(?P<first>{_CELL_NAME}))\1[ \t]*"
)
_PARTICLE = re.compile(rf"{_CELL_PARTICLE}|{_INITIAL}")
_LEADING_PARTICLE = re.compile(_CELL_PARTICLE)
_GLUED_PREFIX = re.compile(_GLUED)


class _Cell(NamedTuple):
    start: int
    end: int


class _Grid(NamedTuple):
    """Rows of cells of one table; ``header`` the row naming the columns, if any."""

    header: list[_Cell] | None
    rows: list[list[_Cell]]


class TableReading(NamedTuple):
    """What the tables of a text say of the NER spans in them."""

    names: frozenset[tuple[int, int]]
    """The spans of the names in columns of people (:func:`table_names`)."""
    things: tuple[tuple[int, int], ...]
    """The cells of columns of things ("| Product |", "| Name | Version |") and the
    headers ("| Author |"): no person."""

    def holds_thing(self, start: int, end: int) -> bool:
        """Whether ``start:end`` lies in a cell of a column of things."""
        return any(a <= start and end <= b for a, b in self.things)


def table_names(text: str, lexicon: Lexicon, people: Sequence[Finding] = ()) -> list[Finding]:
    """PERSON findings for the names in the columns of people of the tables in ``text``
    (module docstring); ``people``: the PERSONs found so far, which make their column one
    of people."""
    found: list[Finding] = []
    tables = _tables(text)
    for grid in tables.grids:
        found += _grid_names(text, grid, lexicon, people, tables)
    return found


def read_tables(text: str, lexicon: Lexicon, people: Sequence[Finding]) -> TableReading:
    """The names :func:`table_names` finds in ``text`` and the cells of its columns of
    things, for the NER filter."""
    names: list[Finding] = []
    things: list[tuple[int, int]] = []
    tables = _tables(text)
    for grid in tables.grids:
        names += _grid_names(text, grid, lexicon, people, tables)
        for column in _thing_columns(text, grid):
            things += [(row[column].start, row[column].end) for row in grid.rows]
        things += [(c.start, c.end) for row in grid.rows for c in row if _organisation(text, c)]
        things += [
            (cell.start, cell.end)
            for cell in grid.header or ()
            if _header(text, cell) in _HEADER_WORDS  # "| Author | Title |"
        ]
    return TableReading(frozenset((f.start, f.end) for f in names), tuple(things))


def _grid_names(
    text: str, grid: _Grid, lexicon: Lexicon, people: Sequence[Finding], tables: _Tables
) -> list[Finding]:
    found: list[Finding] = []
    for column, strong, headed in _people_columns(text, grid, lexicon, people):
        for row in grid.rows:
            finding = tables.judged(text, row[column], lexicon, strong=strong)
            if finding is None and headed:
                finding = _unshaped_name(text, row[column], lexicon)
            if finding is not None:
                found.append(finding)
    return found


def _thing_columns(text: str, grid: _Grid) -> list[int]:
    """The columns of ``grid`` whose header names things, or "Name" beside details of
    things and of no person."""
    headers = [_header(text, cell) for cell in grid.header or ()]
    things = any(h in _THING_DETAILS for h in headers) and not any(
        h in _DETAIL_HEADERS for h in headers
    )
    return [
        column
        for column, header in enumerate(headers)
        if header in _THING_HEADERS or (things and header in _AMBIGUOUS_HEADERS)
    ]


class _Tables:
    """The grids of one text, and its cells judged so far (:func:`_judged`).

    The NER filter reads a text's tables twice, for its cues (:func:`table_names`) and for
    its checks (:func:`read_tables`): a 20 KB CSV export is cut into cells and its names
    are judged once, not twice."""

    __slots__ = ("_judged", "grids")

    def __init__(self, grids: tuple[_Grid, ...]) -> None:
        self.grids = grids
        # The lexicon last asked about and its cells' answers, replaced as one: a reader
        # with another lexicon never sees or fills the answers of this one.
        self._judged: tuple[Lexicon | None, dict[tuple[int, int, bool], Finding | None]] = (
            None,
            {},
        )

    def judged(self, text: str, cell: _Cell, lexicon: Lexicon, *, strong: bool) -> Finding | None:
        """:func:`_judged`, remembered per cell for the last lexicon asked about."""
        asked, answers = self._judged
        if asked is not lexicon:
            answers = {}
            self._judged = (lexicon, answers)
        key = (cell.start, cell.end, strong)
        if key not in answers:
            answers[key] = _judged(text, cell, lexicon, strong=strong)
        return answers[key]


def _tables(text: str) -> _Tables:
    """The tables of ``text`` (:func:`_grids`), read once for the last few texts."""
    if "\n" not in text or not any(s in text for s in _SEPARATORS):
        return _Tables(())
    return _read_tables(text)


# Texts whose tables are remembered: a text's normalised view and the text itself, each
# read by the cues and the checks of the NER filter one after the other.
@functools.lru_cache(maxsize=4)
def _read_tables(text: str) -> _Tables:
    return _Tables(tuple(_grids(text)))


def _grids(text: str) -> Iterator[_Grid]:
    """The tables of ``text``: runs of two or more lines cut into the same number (two or
    more) of cells by the same separator, Markdown rule lines left out; a first row of
    column names is the header."""
    if "\n" not in text or not any(s in text for s in _SEPARATORS):
        return
    rows: list[list[_Cell]] = []
    kind = ""
    ruled = False  # a rule line under the first row: it is the header
    at = 0
    for line in text.split("\n"):
        start, at = at, at + len(line) + 1
        if kind == "|" and _RULE.fullmatch(line):
            ruled = ruled or len(rows) == 1
            continue
        # the first of _SEPARATORS the line holds (spelt out: a generator costs more)
        separator = (
            "|"
            if "|" in line
            else "\t"
            if "\t" in line
            else ";"
            if ";" in line
            else ","
            if "," in line
            else ""
        )
        cells = _cells(line, start, separator) if separator else []
        if rows and separator == kind and len(cells) == len(rows[0]):
            rows.append(cells)
            continue
        if (
            rows
            and separator == kind == ","
            and len(rows[0]) < len(cells) <= len(rows[0]) + len(_DIGIT_COMMA.findall(line))
            and _names_columns(text, rows[0])
        ):
            # a CSV row whose later cells hold amounts with unquoted commas ("58380,Ann
            # Lee,1,250.00"): its first cells still stand under their headers; a line of
            # prose with commas is no such row
            rows.append(cells[: len(rows[0])])
            continue
        if len(rows) > 1:
            yield _headed(text, rows, ruled=ruled)
        rows, kind = ([cells], separator) if len(cells) > 1 else ([], "")
        ruled = False
    if len(rows) > 1:
        yield _headed(text, rows, ruled=ruled)


def _names_columns(text: str, row: list[_Cell]) -> bool:
    """Whether ``row`` is a header that names a column of people."""
    return any(_header(text, cell) in _PEOPLE_HEADERS for cell in row) or (
        any(_header(text, cell) in _DETAIL_HEADERS for cell in row)
        and any(_header(text, cell) in _AMBIGUOUS_HEADERS for cell in row)
    )


def _cells(line: str, start: int, separator: str) -> list[_Cell]:
    """The cells of ``line`` (at ``start`` in the text); a Markdown row's outer pipes are
    no separators."""
    first, last = 0, len(line.rstrip("\r"))
    if separator == "|":
        stripped = line.strip()
        if stripped.startswith("|"):
            first = line.index("|") + 1
        if stripped.endswith("|") and len(stripped) > 1:
            last = line.rindex("|")
    cells: list[_Cell] = []
    at = start + first
    for piece in _split(line[first:last], separator):
        end = at + len(piece)
        cells.append(_Cell(at, end))
        at = end + 1
    return cells


def _split(row: str, separator: str) -> list[str]:
    """``row`` cut at ``separator``; a CSV row's commas inside double quotes are no
    separators ('1,"Lee, Ann",Ops')."""
    if separator != "," or '"' not in row:
        return row.split(separator)
    # Every quote toggles (a doubled quote inside a quoted cell toggles twice): the pieces
    # between quotes alternate outside and inside, and only those outside are cut.
    pieces = [""]
    for index, part in enumerate(row.split('"')):
        if index:
            pieces[-1] += '"'
        if index % 2:
            pieces[-1] += part
        else:
            first, *rest = part.split(",")
            pieces[-1] += first
            pieces += rest
    return pieces


def _header(text: str, cell: _Cell) -> str:
    """A header cell as the header sets hold it ("**Full_Name:**" -> "full name")."""
    return _HEADER_JOINERS.sub(" ", text[cell.start : cell.end].lower()).strip(" *:\"'`")


def _headed(text: str, rows: list[list[_Cell]], *, ruled: bool) -> _Grid:
    """The grid of ``rows``, its first row the header if a rule line is under it or a
    cell of it names a column of people or their details."""
    names = {_header(text, cell) for cell in rows[0]}
    if ruled or names & _HEADER_WORDS:
        return _Grid(rows[0], rows[1:])
    return _Grid(None, rows)


def _people_columns(
    text: str, grid: _Grid, lexicon: Lexicon, people: Sequence[Finding]
) -> Iterator[tuple[int, bool, bool]]:
    """The columns of ``grid`` that hold people, each with whether a cell of it on no
    list of first names may be a name (``strong``) and whether its header says it holds
    people (``headed``): a header of people, an ambiguous one beside people's details; a
    column of no things in which a PERSON of ``people`` has a name's shape only for cells
    opening with a known first name."""
    headers = [_header(text, cell) for cell in grid.header or ()]
    details = any(h in _DETAIL_HEADERS for h in headers)
    seeds = {(p.start, p.end) for p in people if p.entity_type == "PERSON"}
    things = _thing_columns(text, grid)
    for column in range(len(grid.rows[0])):
        header = headers[column] if column < len(headers) else ""
        if column in things:
            continue
        if header in _PEOPLE_HEADERS or (details and header in _AMBIGUOUS_HEADERS):
            yield column, True, True
        elif seeds and _seeded(text, grid, column, seeds, lexicon):
            yield column, _mostly_people(text, grid, column, seeds, lexicon), False
        elif header in ("", *_AMBIGUOUS_HEADERS) and _listed_people(text, grid, column, lexicon):
            yield column, True, False


def _seeded(
    text: str, grid: _Grid, column: int, seeds: set[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """Whether a cell of ``column`` is a PERSON of ``seeds`` with a name's shape, and no
    cell of it is one technology name ("| Jenkins |\n| Travis |": a column of tools)."""
    seeded = False
    for row in grid.rows:
        name = _cell_name(text, row[column])
        if name is None:
            continue
        span, words = name
        if len(words) == 1 and _technology(normalise(words[0]), lexicon):
            return False
        seeded = seeded or (span in seeds and _name_cell(words, lexicon, strong=False))
    return seeded


def _mostly_people(
    text: str, grid: _Grid, column: int, seeds: set[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """Whether two or more, and at least two thirds, of the filled cells of ``column`` are
    people: a PERSON of ``seeds`` with a name's shape, or a name opening with a known first
    name. Then the column is as sure as one under a header of people: a window of a table
    whose header it cannot see, an export without one ("Oluwaseun Adeyemi\tFinance")."""
    people = filled = 0
    for row in grid.rows:
        cell = row[column]
        if not text[cell.start : cell.end].strip():
            continue
        filled += 1
        name = _cell_name(text, cell)
        if name is not None and (
            _name_cell(name[1], lexicon, strong=False)
            or (name[0] in seeds and _name_cell(name[1], lexicon, strong=True))
        ):
            people += 1
    return people >= 2 and 3 * people >= 2 * filled


def _listed_people(text: str, grid: _Grid, column: int, lexicon: Lexicon) -> bool:
    """Whether three or more, and at least two thirds, of the filled cells of a column
    without a header are full names, one of them at least led by a known first name: a
    window of a table whose header and whose model's PERSONs it cannot see. A full name
    here is written "Last, First" ('"Abenov, Yerlan"') or is two or more words led by a
    known first name and ending in a name or a word on no list ("Priya Natarajan", not
    "Summer Sale")."""
    people = filled = known = 0
    for row in grid.rows:
        cell = row[column]
        content = text[cell.start : cell.end].strip()
        if not content:
            continue
        filled += 1
        if filled - people > len(grid.rows) / 3:
            return False  # two thirds out of reach: "pkg1", "3.0", a column of tools
        name = _cell_name(text, cell) if " " in content else None
        if name is None or len(name[1]) < 2:
            continue
        (start, end), words = name
        last = normalise(words[-1])
        led = _name_cell(words, lexicon, strong=False) and (
            lexicon.is_name(last) or lexicon.unknown(last)
        )
        if led or ("," in text[start:end] and _name_cell(words, lexicon, strong=True)):
            people += 1
            known += led
    return known > 0 and people >= 3 and 3 * people >= 2 * filled


def _technology(word: str, lexicon: Lexicon) -> bool:
    """Whether ``word`` names a technology, also one that is a name ("jenkins")."""
    return word in lexicon.curated or word in lexicon.tech or word in lexicon.ambiguous


def _judged(text: str, cell: _Cell, lexicon: Lexicon, *, strong: bool) -> Finding | None:
    """The PERSON ``cell`` holds if it has a name's shape (:func:`_name_cell`)."""
    name = _cell_name(text, cell)
    if name is None or _organisation(text, cell) or not _name_cell(name[1], lexicon, strong=strong):
        return None
    return Finding("PERSON", *name[0], CUED_SCORE, "presidio")


# A name in Chinese characters: a family name and a given name of one to three characters,
# together ("林俊宇"), or apart, in either order ("苡菲 陳", "吳, 永昌").
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff]"
_HAN_CELL = re.compile(
    rf"[ \t]*([\"']?)(?P<name>{_HAN}{{2,4}}|{_HAN}{{1,3}}(?:,|，)?[ \t]*{_HAN}{{1,3}})\1[ \t]*"
)


def _unshaped_name(text: str, cell: _Cell, lexicon: Lexicon) -> Finding | None:
    """The PERSON a cell of a column headed as people's holds without a name's capitals:
    two to four words in capitals or in lower case ("MUBINA BILOLOV", "mandla dukada"),
    judged as if capitalised, or a name in Chinese characters. Only under such a header:
    elsewhere a line in capitals or in lower case is no name's evidence."""
    raw = text[cell.start : cell.end]
    han = _HAN_CELL.fullmatch(raw)
    if han is not None:
        span = han.span("name")
        return Finding("PERSON", cell.start + span[0], cell.start + span[1], CUED_SCORE, "presidio")
    if not (raw.isupper() or raw.islower()) or len(raw.split()) < 2:
        return None
    titled = raw.title()
    if len(titled) != len(raw):
        return None
    match = _CELL.fullmatch(titled) or _INVERTED.fullmatch(titled)
    if match is None or _organisation(text, cell):
        return None
    name = match["name"]
    words = name.split() if "," not in name else [*match["first"].split(), *match["last"].split()]
    if not _name_cell(words, lexicon, strong=True):
        return None
    start, end = match.span("name")
    return Finding("PERSON", cell.start + start, cell.start + end, CUED_SCORE, "presidio")


def _cell_name(text: str, cell: _Cell) -> tuple[tuple[int, int], list[str]] | None:
    """The span of the name ``cell`` may hold and its words, the given names first ("Lee,
    Ann" -> "Ann", "Lee"); ``None`` if the cell is not capitalised words."""
    match = _CELL.fullmatch(text, *cell)
    if match is not None:
        return match.span("name"), match["name"].split()
    match = _INVERTED.fullmatch(text, *cell)
    if match is not None:
        return match.span("name"), [*match["first"].split(), *match["last"].split()]
    return None


# What a column of people says where it names nobody, and words of organisations.
_NOBODY = frozenset({
    "unassigned", "tbd", "tba", "tbc", "vacant", "nobody", "none", "open", "bank", "corp",
    "corporation", "inc", "ltd", "llc", "gmbh", "plc", "group", "team", "company",
    "holdings", "partners", "solutions", "systems", "labs", "technologies",
})  # fmt: skip
# The last word of an organisation's name ("Globex Corporation", "Stark Industries", "Hooli
# GmbH"); the two-letter ones only in capitals ("Spotify AB", not "Ann Ab").
ORGANISATION_ENDS = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "companies", "ltd",
    "limited", "llc", "llp", "lp", "plc", "gmbh", "mbh", "kg", "kgaa", "sarl", "sas", "srl",
    "spa", "bv", "nv", "oy", "oyj", "asa", "aps", "pty", "kk", "group", "holdings",
    "holding", "industries", "enterprises", "partners", "associates", "solutions", "systems",
    "technologies", "labs", "bank", "foundation", "trust", "university", "institute",
    "agency", "consulting", "services", "ventures", "capital", "international",
    "logistics", "manufacturing", "media", "pharmaceuticals", "software",
})  # fmt: skip
_ORGANISATION_CAPITALS = frozenset({"AG", "SA", "SE", "AB", "AS", "NV", "BV", "SL", "KG"})
_WORDS = re.compile(r"[^\W_]+")


def _organisation(text: str, cell: _Cell) -> bool:
    """Whether ``cell`` holds an organisation's name: its last word is a company form or
    the like ("Initech LLC", "Umbrella Group", "Smith & Co.")."""
    words = _WORDS.findall(text, cell.start, cell.end)
    return bool(words) and (
        words[-1].lower() in ORGANISATION_ENDS or words[-1] in _ORGANISATION_CAPITALS
    )


def _name_cell(spelt: Sequence[str], lexicon: Lexicon, *, strong: bool) -> bool:
    """Whether the words of a cell (as written: ``spelt``) have a name's shape: no stop
    word, technology word or acronym opening it, not only places, and a first word that
    is a known first name (if ``strong``, also a surname or a word on no list), the
    others names, places, words on no list or dictionary words that may be a surname."""
    words = [
        _GLUED_PREFIX.sub("", word, count=1) if word[0].islower() else word
        for word in spelt
        if not _PARTICLE.fullmatch(word)
    ]  # "al-Rashid" -> "Rashid"
    parts = [
        part
        for word in words
        for part in (normalise(word) if "'" in word or "’" in word else word.lower()).split("-")
        if part
    ]
    if not parts or _LEADING_PARTICLE.fullmatch(spelt[0]):
        return False  # "van Gorp" alone, "y Lopez": no given name
    first = parts[0]
    if words[0].isupper() and len(words[0]) > 1 and first not in lexicon.first_names:
        return False  # "TBD", "QA": an acronym
    if any(
        (p in STOP_WORDS_NO_NAMES and not lexicon.is_name(p)) or p in _NOBODY or lexicon.is_tech(p)
        for p in parts
    ):
        return False  # "Else Hande" is a name, "The Team" none
    if all(p in lexicon.places and not lexicon.is_name(p) for p in parts):
        return False  # "Lisbon", "New York"
    if not (
        first in lexicon.first_names
        or (strong and (lexicon.is_name(first) or lexicon.unknown(first)))
    ):
        return False
    return all(
        lexicon.is_name(p) or lexicon.unknown(p) or p in lexicon.places or surname_word(p, lexicon)
        for p in parts[1:]
    )


def open_header(text: str) -> tuple[int, int] | None:
    """The lines of the header of the table ``text`` ends in: ``(start, end)`` of its header
    row with a Markdown rule line under it, if the table's rows reach the last line break
    of ``text`` or no row is under the header yet; else ``None``. A header is what
    :func:`table_names` reads as one: a first row with a rule line under it or a cell
    naming a column ("Reviewer", "Name", "Version").

    A streamed answer keeps these lines in its scan context while the table goes on: the
    window of its last rows is then read under the header, as the whole answer is.
    """
    rows = text.rfind("\n") + 1
    line = text[text.rfind("\n", 0, max(rows - 1, 0)) + 1 : rows]
    if rows == 0 or not any(s in line for s in _SEPARATORS):
        return None  # the last line is no row, header or rule line (most prose)
    last: _Grid | None = None
    for last in _grids(text[:rows]):  # noqa: B007 (the last table is the one going on)
        pass
    going_on = last is not None and text.find("\n", last.rows[-1][-1].end) + 1 == rows
    if last is not None and last.header is not None and going_on:
        start = text.rfind("\n", 0, last.header[0].start) + 1
        return start, text.rfind("\n", 0, last.rows[0][0].start) + 1
    return None if going_on else _lone_header(text, rows)


# Longer cells are read as no column's name ("| **Employee_Name:** |" is 21 characters).
_HEADER_CELL_CHARS = 40


def _lone_header(text: str, rows: int) -> tuple[int, int] | None:
    """The last line of ``text[:rows]`` (or the one above a rule line ending it) if it is a
    header with no row under it yet: ``(start, rows)``."""
    end = rows - 1
    start = text.rfind("\n", 0, end) + 1
    if _RULE.fullmatch(text, start, end) and start > 0:
        end = start - 1
        start = text.rfind("\n", 0, end) + 1
        ruled = True
    else:
        ruled = False
    line = text[start:end]
    separator = next((s for s in _SEPARATORS if s in line), "")
    cells = _cells(line, start, separator) if separator else []
    if len(cells) < 2 or (ruled and separator != "|"):
        return None
    if ruled or any(
        cell.end - cell.start <= _HEADER_CELL_CHARS and _header(text, cell) in _HEADER_WORDS
        for cell in cells
    ):
        return start, rows
    return None
