"""Config keys that name the token first, as Romance languages order the words
("token_api", "TOKEN_ACCESO", "jeton_acces"; tuning11, h169): a random-looking value is a
generic secret, as it is after "api_token"; an id, a URL, a file or a variable is not.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector


@pytest.fixture(scope="module")
def detector() -> SecretsDetector:
    """The secrets detector with its default rules."""
    return SecretsDetector()


POSITIVES = [  # (text before, secret, text after)
    ('{\n  "usuario": "integracao",\n  "token_api": "', "9f1c0d6e4b2a88c37e5d1f0a6b9c2e4d7a1f3b5c",
     '"\n}'),
    ("TOKEN_ACCESO=", "Qm7xT2vLp9RzK4wN8sJd3FhY6bGc1VtE", "\n"),
    ("jeton_acces: ", "ZpK3nV8qL1mT6wR9xB2cF5hJ7dS4gY0a_uEo", "\n"),
]  # fmt: skip


@pytest.mark.parametrize(("before", "secret", "after"), POSITIVES)
def test_token_named_first_is_a_generic_secret(
    detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """A random value under a key that starts with its token word is found exactly."""
    text = before + secret + after
    found = [(f.entity_type, text[f.start : f.end]) for f in detector.find(text)]
    assert found == [(E.GENERIC_SECRET, secret)]


NEGATIVES = [
    "TOKEN_ID=9f1c0d6e4b2a88c37e5d1f0a6b9c2e4d7a1f3b5c",  # an id names the token
    "TOKEN_API_URL=https://api.example.com/v1/oauth/token",  # where to get one
    "TOKEN_FILE=/run/secrets/token_api_prod_2024",  # where it is kept
    "token_api: ${TOKEN_API}",  # a variable
    '{"token_type": "Bearer", "tokens_used": 1234567890123}',
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_token_key_without_a_secret(detector: SecretsDetector, text: str) -> None:
    """A token key whose value is an id, a URL, a path or a variable stays quiet."""
    assert detector.find(text) == []
