"""Password columns whose header is ruled off by a box line: a MySQL client's ``+----+``, a
grid table's ``+====+``, Markdown's ``|===|`` and tables drawn with box-drawing characters
(``│ … │`` under ``├───┼───┤``) are read as the tables they draw, cell for cell; a box of
settings, placeholders or references holds no password, and a rule line is no row."""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.password_tables import open_table
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

PW = E.PASSWORD

RULED_OFF = [  # (text, the passwords of its password column)
    (
        "+--------+-------+-------------+\n| system | login | password    |\n"
        "+--------+-------+-------------+\n| NAS    | admin | Xk9#mQ01!vL |\n"
        "| fw     | root  | Zq8$wE4@tY  |\n+--------+-------+-------------+\n",
        ["Xk9#mQ01!vL", "Zq8$wE4@tY"],
    ),
    (
        "+------+----------+\n| host | password |\n+======+==========+\n"
        "| db1  | Tr0ub4dor&3 |\n+------+----------+\n",
        ["Tr0ub4dor&3"],
    ),
    ("| user | passwd |\n|======|========|\n| al | Winter2020! |\n", ["Winter2020!"]),
    (  # a grid table: a border between each two rows
        "+------+-------------+\n| user | password    |\n+======+=============+\n"
        "| al   | Xk9#mQ01!vL |\n+------+-------------+\n| bo   | Zq8$wE4@tY  |\n"
        "+------+-------------+\n",
        ["Xk9#mQ01!vL", "Zq8$wE4@tY"],
    ),
    (
        "┌──────┬──────────────┐\n│ user │ password     │\n├──────┼──────────────┤\n"
        "│ al   │ Sommer2024!  │\n│ bo   │ lbdyqh4Y9Skn │\n└──────┴──────────────┘\n",
        ["Sommer2024!", "lbdyqh4Y9Skn"],
    ),
    (
        "╔══════╦═════════════╗\n║ user ║ Kennwort    ║\n╠══════╬═════════════╣\n"
        "║ al   ║ Zomer#2024  ║\n╚══════╩═════════════╝\n",
        ["Zomer#2024"],
    ),
]

NO_PASSWORD = [
    # a box of password settings: the column says what a password must be
    "+---------+-----------------+\n| setting | password        |\n"
    "+---------+-----------------+\n| length  | 12 characters   |\n"
    "| expiry  | 90 days         |\n+---------+-----------------+\n",
    # placeholders and references in the password column
    "┌──────┬────────────┐\n│ user │ password   │\n├──────┼────────────┤\n"
    "│ al   │ ********   │\n│ bo   │ $DB_PASS   │\n│ cy   │ <redacted> │\n└──────┴────────────┘\n",
    # a heading underlined with "=", then a line that names a password
    "Password rotation\n=================\n\nrotate, password | every 90 days\n",
    # a Markdown table ended by a horizontal rule, then another table: not its rows
    "| user | password |\n|---|---|\n| al | ******** |\n---\n| release | 2.31.0 |\n",
    # a box of versions: no column names a password
    "+----------+---------+\n| package  | version |\n+----------+---------+\n"
    "| requests | 2.31.0  |\n+----------+---------+\n",
]


@pytest.mark.parametrize(("text", "passwords"), RULED_OFF)
def test_a_password_column_under_a_box_rule_is_found_exactly(
    secrets_detector: SecretsDetector, text: str, passwords: list[str]
) -> None:
    """Each cell of the password column of a box-ruled table is a PASSWORD finding with the
    cell's exact span (no border, side or blank), in the text as written."""
    assert spans(secrets_detector, text) == [(PW, pw) for pw in passwords]


@pytest.mark.parametrize("text", NO_PASSWORD)
def test_a_box_without_a_password_holds_none(secrets_detector: SecretsDetector, text: str) -> None:
    """Settings, placeholders, references, a setext heading and a box of versions: quiet."""
    assert spans(secrets_detector, text) == []


@pytest.mark.parametrize(("text", "passwords"), RULED_OFF)
def test_open_table_sees_a_box_table_until_its_bottom_border(
    text: str, passwords: list[str]
) -> None:
    """While the text ends after a row, open_table points at the header line's start; once
    the bottom border (or the last row) is followed by prose, the table is closed."""
    start = min(i for i in (text.find("| "), text.find("│ "), text.find("║ ")) if i >= 0)
    first_row = text.index("\n", text.index(passwords[0])) + 1
    assert open_table(text[:first_row]) == start
    assert open_table(text + "That was all of them.\n") is None
