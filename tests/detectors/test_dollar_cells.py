"""A password cell that begins with "$" (:func:`detectors.password_tables._cell_value`): a
table's password column held "$e3$3D&c_" and every cell beginning with "$" was taken for a
variable. A cell is a variable or a stored hash only in their shapes (``$DB_PASS``,
``${PW}``, ``$(cat f)``, ``$env:PW``, ``$HOME/.pgpass``, ``$2b$12$...``); other cells that
begin with "$" are passwords like any other.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

HEADER = "| Service | Username | Password |\n|---------|----------|----------|\n| Jira | bob | "

TOLD = ["$e3$3D&c_", "$Xk9!mQ2v", "$$ecret#77"]

QUIET = [
    "$DB_PASS",
    "${JIRA_PASSWORD}",
    "$(cat /run/secrets/jira)",
    "$env:JIRA_PW",
    "$HOME/.jira-pw",
    "$2b$12$KIXQJbJ3q5Zl8Zl8Zl8Zl.uVx2Vj3kq",
]


@pytest.mark.parametrize("value", TOLD)
def test_password_cell_beginning_with_dollar(secrets_detector: SecretsDetector, value: str) -> None:
    """A cell in no variable's or hash's shape is reported whole."""
    assert spans(secrets_detector, HEADER + value + " |\n") == [(E.PASSWORD, value)]


@pytest.mark.parametrize("value", QUIET)
def test_variable_or_hash_cell_stays_quiet(secrets_detector: SecretsDetector, value: str) -> None:
    """A variable, a command's output or a stored hash in the password column is none."""
    assert spans(secrets_detector, HEADER + value + " |\n") == []
