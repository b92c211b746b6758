"""Reading a text's tables once (h97, issue 14): the cells and judged names of a text are
remembered between the NER filter's two reads, and what is remembered never answers for
another text or another lexicon; quoted CSV cells keep their commas."""

from __future__ import annotations

import csv
import io

import pytest

from detectors.name_tables import _split, read_tables, table_names
from detectors.ner_lexicon import shipped_lexicon

CSV = (
    'id,name,email,department\n1,"Lee, Ann",ann@corp.io,Finance\n'
    '2,"Stone, Bob",bob@corp.io,Ops\n3,"Kowalski, Maria",maria@corp.io,Sales\n'
)


def _names(text: str, spans: object) -> list[str]:
    return sorted(text[start:end] for start, end in spans)  # type: ignore[attr-defined]


def test_both_reads_of_a_text_find_the_same_names() -> None:
    """table_names and read_tables report the same names, in either order of asking."""
    lexicon = shipped_lexicon()
    first = [(f.start, f.end) for f in table_names(CSV, lexicon)]
    reading = read_tables(CSV, lexicon, [])
    again = [(f.start, f.end) for f in table_names(CSV, lexicon)]
    assert _names(CSV, first) == ["Kowalski, Maria", "Lee, Ann", "Stone, Bob"]
    assert _names(CSV, reading.names) == _names(CSV, first) == _names(CSV, again)


def test_a_second_lexicon_is_not_answered_from_the_first() -> None:
    """A text read again with a lexicon that allows a name as a term judges that cell anew."""
    shipped = shipped_lexicon()
    allowing = shipped.with_allowed(["Kowalski"])
    assert len(table_names(CSV, shipped)) == 3
    assert _names(CSV, [(f.start, f.end) for f in table_names(CSV, allowing)]) == [
        "Lee, Ann",
        "Stone, Bob",
    ]
    assert len(table_names(CSV, shipped)) == 3


def test_another_text_is_not_answered_from_the_last() -> None:
    """A text of the same shape with other cells is read for its own names."""
    lexicon = shipped_lexicon()
    table_names(CSV, lexicon)
    other = CSV.replace('"Stone, Bob"', "Hardware")
    assert _names(other, [(f.start, f.end) for f in table_names(other, lexicon)]) == [
        "Kowalski, Maria",
        "Lee, Ann",
    ]


@pytest.mark.parametrize(
    "row",
    [
        '1,"Lee, Ann",Ops',
        '"a,b",,"c"',
        'x,"say ""hi, there""",y',
        '"open, never closed',
        'plain,"",end',
        '""',
        ',,"",,',
    ],
)
def test_quoted_csv_rows_split_as_a_csv_reader_reads_them(row: str) -> None:
    """A CSV row's cells are cut where Python's csv reader cuts them, quotes kept."""
    pieces = _split(row, ",")
    assert ",".join(pieces) == row
    (expected,) = csv.reader(io.StringIO(row))
    assert len(pieces) == len(expected)
