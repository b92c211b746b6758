"""What only looks like a credential's value after its label (issue 14, h133): a bold
label's last word with its colon, and a number held by a JSON key of another meaning. The
value a label really introduces is still reported over exactly its characters."""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

POSITIVES = [
    ("**Password:** Tr0ub4dor&3\n", "Tr0ub4dor&3"),
    ("The door PIN: 7294\n", "7294"),
]


@pytest.mark.parametrize(("text", "value"), POSITIVES)
def test_a_labelled_value_keeps_its_exact_span(
    secrets_detector: SecretsDetector, text: str, value: str
) -> None:
    """A password after a bold label and a PIN after its label are reported."""
    assert spans(secrets_detector, text) == [(E.PASSWORD, value)]


NEGATIVES = [
    "**Password policy:** minimum 12 characters, rotated yearly\n",
    "__Passphrase rules:__ four words or more\n",
    '{"cell_type": "code", "execution_count": 7294, "id": "c1"}\n',
    '{"type": "pin_reset", "attempts": 38215}\n',
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_a_label_or_another_keys_number_is_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A topic in bold and a counter under its own JSON key are no credentials."""
    assert secrets_detector.find(text) == []
