"""A vendor's token prefix then filler is a documentation placeholder, under any key's name
(:mod:`detectors.token_placeholders`).

``.env.example`` files and READMEs write ``HEROKU_API_KEY=HRKU-AAxxxx...``: a rule that trusts
the key's name reported the value as a secret while the same value after a neutral
``value:`` stayed quiet. Real tokens under the same names are still found, spanning exactly
the token (random values drawn in the vendors' shapes, not issued credentials).
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from detectors.token_placeholders import is_prefixed_placeholder
from tests.detectors.spans import spans

_X58 = "x" * 58

PLACEHOLDER_LINES = [
    f"HEROKU_API_KEY=HRKU-AA{_X58}",
    "HEROKU_API_KEY=HRKU-AA…",
    "OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxx",
    "OPENAI_API_KEY=sk-proj-...",
    'api_key = "sk-<your key>"',
    "api_key = sk-<your key>",
    "API_KEY=sk-<your key>",
    "GITLAB_TOKEN=glpat-XXXXXXXXXXXXXXXXXXXX",
    "SLACK_BOT_TOKEN=xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX",
    "NPM_TOKEN=npm_000000000000000000000000000000000000",
    "STRIPE_SECRET_KEY=sk_live_your_key_here",
    'token: "hf_{your-token}"',
    "auth_token = gsk_[YOUR_GROQ_KEY]",
]

# (line, the token the line's key names): real tokens stay findings, spanning the token.
REAL_LINES = [
    (
        "HEROKU_API_KEY=HRKU-AA5e6kvYl0-E7rC1e7pEGEHfZkSAE0l43ywYMsHm5YhPIGTEB-aOZvzW3yt4",
        "HRKU-AA5e6kvYl0-E7rC1e7pEGEHfZkSAE0l43ywYMsHm5YhPIGTEB-aOZvzW3yt4",
    ),
    (
        "OPENAI_API_KEY=sk-proj-eeJjYNGJYIDGEOhU84NdwEFYXZ7cYOOqSjZn7JPwIlcqBD6f",
        "sk-proj-eeJjYNGJYIDGEOhU84NdwEFYXZ7cYOOqSjZn7JPwIlcqBD6f",
    ),
    ("GITLAB_TOKEN=glpat-a1xNvLDHl4gFIzstilo1", "glpat-a1xNvLDHl4gFIzstilo1"),
    (
        "NPM_TOKEN=npm_c1keqN5Z6Gif5teeCtDkaZWJzjDZZwdknGzw",
        "npm_c1keqN5Z6Gif5teeCtDkaZWJzjDZZwdknGzw",
    ),
    # a token whose random part has an "x" run or zeros in it is still random
    ("API_KEY=sk-xxxQ7fK2mZ9pLw4RtV8bN3cJ6hD1", "sk-xxxQ7fK2mZ9pLw4RtV8bN3cJ6hD1"),
]


@pytest.mark.parametrize("line", PLACEHOLDER_LINES)
def test_prefix_then_filler_under_a_key_name_stays_quiet(
    secrets_detector: SecretsDetector, line: str
) -> None:
    """A vendor prefix followed by x's, zeros, an ellipsis or a bracketed name is no secret."""
    assert spans(secrets_detector, line) == []


@pytest.mark.parametrize(("line", "token"), REAL_LINES)
def test_real_token_under_a_key_name_is_found_exactly(
    secrets_detector: SecretsDetector, line: str, token: str
) -> None:
    """A real token under the same key names is still reported, spanning the token."""
    found = spans(secrets_detector, line)
    assert [value for _, value in found] == [token]
    assert all(kind in E.SECRET_ENTITY_TYPES for kind, _ in found)


@pytest.mark.parametrize(
    ("value", "placeholder"),
    [
        ("HRKU-AAxxxx", True),
        ("sk-...", True),
        ("sk-proj-XXXX-XXXX", True),
        ("sk-<your", True),
        ("sk-x", False),  # too little filler to say
        ("SKtest", False),  # letters after a prefix with no separator are the value's own
        ("sk-proj-eeJjYNGJYIDGEOhU84Nd", False),
        ("Winter2024!", False),  # no known prefix
        ("xxxxsk-", False),
    ],
)
def test_is_prefixed_placeholder(value: str, placeholder: bool) -> None:
    """The judgement sees through a known prefix and only through one."""
    assert is_prefixed_placeholder(value) is placeholder
