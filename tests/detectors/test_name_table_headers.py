"""The header of the table a text ends in (detectors.name_tables.open_header), which a
streamed answer keeps in its scan context while the table's rows go on."""

from __future__ import annotations

import pytest

from detectors.name_tables import open_header

MARKDOWN = "Reviews:\n| Change | Reviewer | Status |\n|---|---|---|\n"
CSV = "Export:\nchange,reviewer,status\n"
TSV = "change\treviewer\tstatus\n"
PRODUCTS = "| Product | Version |\n|---|---|\n"


@pytest.mark.parametrize(
    ("text", "header"),
    [
        (MARKDOWN + "| PR-1 | Moyo | ok |\n| PR-2 | Lee | o", MARKDOWN[9:]),
        (MARKDOWN + "| PR-1 | Moyo | ok |\n", MARKDOWN[9:]),
        (MARKDOWN, MARKDOWN[9:]),  # no row under it yet
        ("Reviews:\n| Change | Reviewer | Status |\n", MARKDOWN[9:40]),
        (CSV + "PR-1,Moyo,ok\nPR-2,Lee,ok\nPR-3,", CSV[8:]),
        (CSV, CSV[8:]),
        (TSV + "PR-1\tMoyo\tok\n", TSV),
        (PRODUCTS + "| Jenkins | 2 |\n", PRODUCTS),
    ],
)
def test_the_header_of_a_table_going_on(text: str, header: str) -> None:
    """The header row and its rule line are found while the table's rows reach the text's
    last line break, or before any row."""
    found = open_header(text)
    assert found is not None
    assert text[found[0] : found[1]] == header


@pytest.mark.parametrize(
    "text",
    [
        MARKDOWN + "| PR-1 | Moyo | ok |\n\nThat is all.\n",  # the table ended
        CSV + "PR-1,Moyo,ok\nThe rest, in short, is done, soon.\n",  # 4 cells: another table
        "I think, however, that we should\nwait",  # prose with commas: no header
        "| PR-1 | Moyo | ok |\n| PR-2 | Lee | ok |\n",  # rows without a header
        "no line break, at all",
        "",
    ],
)
def test_no_header_where_no_table_goes_on(text: str) -> None:
    """Text that does not end in a table with a header, or in a header alone, has none."""
    assert open_header(text) is None
