"""Tokens in a table's column headed for them (issue 14, h133): a CSV header naming a
client secret or token, and a Markdown column headed "key" padded to its width. Each cell
is reported over exactly its value; a key column of names, shortcuts or docs stays quiet."""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

UUID = "976f653e-e506-46cf-b175-a70dfd2b85ce"
URLSAFE = "yaMhQyFDBxwC-aCAnsiYfUL0szIqMton6tuTwMODnxU"
ID = "03012966-77a4-4ee0-bf3e-02b3b3d08e00"
G = E.GENERIC_SECRET

# (text, the values the findings must span, in order)
POSITIVES = [
    (f"service,client_id,client_secret\nbilling,{ID},{URLSAFE}\n", [URLSAFE]),
    (f"name,api_token,owner\nci,{URLSAFE},ops\n", [URLSAFE]),
    (
        "| env     | key                                  |\n"
        "|:--------|:-------------------------------------|\n"
        f"| staging | {UUID} |\n"
        f"| prod    | {URLSAFE} |\n",
        [UUID, URLSAFE],
    ),
]


@pytest.mark.parametrize(("text", "values"), POSITIVES)
def test_a_token_column_reports_each_cell_exactly(
    secrets_detector: SecretsDetector, text: str, values: list[str]
) -> None:
    """Each cell of the token column is reported as a secret spanning exactly its value."""
    assert spans(secrets_detector, text) == [(G, value) for value in values]


NEGATIVES = [
    "Shortcut | Key\n--- | ---\nCopy | Ctrl+C\nPaste | Ctrl+V\n",
    "| Key     | Value   |\n|---------|---------|\n| timeout | 30 |\n| name | deploy_settings |\n",
    f"service,client_id,client_secret\nbilling,{ID},<your client secret>\n",
    "| Field | Type |\n|---|---|\n| `api_key` | string |\n| `token_ttl` | int |\n",
    "def save(self, key, token):\n    return self.store(key_prefix, token)\n",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_a_key_column_of_names_or_placeholders_is_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Shortcuts, setting names, placeholders, field docs and code stay quiet."""
    assert secrets_detector.find(text) == []
