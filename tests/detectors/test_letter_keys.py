"""Keys made of letters alone, in a credential's place, are found exactly; names in code,
constants and schemes under the same names stay quiet (issue 14, h118)."""

from __future__ import annotations

import random
import string

import pytest

from detectors import entities as E
from detectors.letter_keys import random_letters
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

# (text before, key, text after): one row per kind of place; each was missed before.
FOUND = [
    ("refresh_token: ", "NjrbAnjPBGcUAm", "\n"),  # YAML
    ("SERVICE_TOKEN=", "QwHrTzKpLmNbVx", "\n"),  # .env
    ("    auth: {\n        REFRESH_TOKEN: '", "NjrbAnjPBGcUAm", "',\n    },"),  # JS object
    ('    private static final String API_KEY = "', "LFORUTZtfDER", '";'),  # Java constant
    ("x-api-key: ", "exLZIugnrsYNWd", ""),  # HTTP header
    ('{"api_token": "', "HxQpLmRtVbNcZwKj", '"}'),  # JSON
    ("API token: ", "HxQpLmRtVbNcZwKj", ""),  # a label in prose
    ("Cheia secretă a clientului: ", "TajFnzpSzedgqLPO", ". Unde o pun?"),  # in Romanian
]


@pytest.mark.parametrize(("before", "key", "after"), FOUND)
def test_a_key_of_letters_alone_in_a_credential_place_is_found_exactly(
    secrets_detector: SecretsDetector, before: str, key: str, after: str
) -> None:
    """A random key without a digit under a token's or key's name is a generic secret, and
    the finding covers the key alone."""
    assert spans(secrets_detector, before + key + after) == [(E.GENERIC_SECRET, key)]


QUIET = [
    "api_token: UserSessionManager",
    'API_KEY = "ThisIsNotARealSecret"',
    "refresh_token: KeyError",
    "API_KEY=NOT_SET",
    "x-api-key: REQUIRED",
    "token_type: Bearer",
    "TOKEN_CLASS = 'CancellationTokenSource'",
    "AUTH_TOKEN: XMLHttpRequest",
    "API_TOKEN=HTTPServerError",
    'private static final String API_KEY = "ApiKeyHeaderName";',
    "x-api-key: ApplicationJson",
    "token: AuthTokenService",
    'ACCESS_TOKEN_TYPE = "BearerToken"',
    '"refresh_token": "RefreshTokenGrant"',
    "api_key: DEFAULT_API_KEY_VALUE",
    "REFRESH_TOKEN: 'TokenRefreshInterval'",
]


@pytest.mark.parametrize("text", QUIET)
def test_names_constants_and_schemes_under_a_credential_name_are_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A type in humps, a constant in capitals, a scheme or a value that says it is none,
    under a key's or token's name, is no secret."""
    assert spans(secrets_detector, text) == []


RANDOM = [
    "NjrbAnjPBGcUAm",
    "LFORUTZtfDER",
    "exLZIugnrsYNWd",
    "oDiSmCiIQOQWVQKaTYHUpV",
    "hQUEoMeqrdCr",
    "KEpcjtwqjlArhdpzdLTRmbGlxXAFqieDP",
]
NAMES = [
    "UserSessionManager",
    "ThisIsNotARealSecret",
    "KeyError",
    "NOT_SET",
    "REQUIRED",
    "CHANGEME",
    "Bearer",
    "Basic",
    "HS256",
    "XMLHttpRequest",
    "HTTPServerError",
    "AbstractSingletonProxyFactoryBean",
    "getApiKeyFromEnv",
    "CancellationTokenSource",
    "iPhoneMacBook",
    "McDonaldsGmbH",
    "MyJIRAToken",
    "AWSSecretKey",
    "LearnDropFirm",
    "Py_ssize_t",
    "bBhHiIlLqQ",
    "GITHUB_TOKEN",
    "aws_secret_access_key",
]


@pytest.mark.parametrize("value", RANDOM)
def test_random_letters_read_as_a_key(value: str) -> None:
    """Letters whose humps are short and no words read as a random key."""
    assert random_letters(value)


@pytest.mark.parametrize("value", NAMES)
def test_names_in_humps_constants_and_schemes_do_not(value: str) -> None:
    """Words in humps, capitals, schemes, snake case and format letters are no key."""
    assert not random_letters(value)


def test_most_random_letter_strings_read_as_keys() -> None:
    """Nine in ten random strings of 12 to 40 letters of both cases read as a key (the rest
    happen to have long humps or words)."""
    rng = random.Random(118)
    keys = [
        "".join(rng.choice(string.ascii_letters) for _ in range(rng.randint(12, 40)))
        for _ in range(2000)
    ]
    assert sum(map(random_letters, keys)) >= 0.85 * len(keys)


def test_a_value_with_a_digit_or_sign_is_left_to_the_other_checks() -> None:
    """Only letters (and "-", "_") are judged here: a digit or another sign answers False."""
    assert not random_letters("NjrbAnjPB7cUAm")
    assert not random_letters("NjrbAnj+PBGcUAm")
    assert not random_letters("NjrbAnj")  # too short to tell
