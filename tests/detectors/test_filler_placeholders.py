"""A value whose secret part is filler is a documentation placeholder, whatever comes before
the filler (:func:`detectors.secret_values.is_filler_placeholder`, issue 14).

``.env.example`` files and READMEs write a key's place with a vendor's lead, a URL or a
key's name and then ``xxxx``, ``XXXXXXXX-XXXXXXXX``, zeros, an ellipsis or ``<your key>``:
``AccountKey=xxxx...``, Slack's own ``.../T00000000/B00000000/XXXX...``. Where the lead was no
known prefix (:mod:`detectors.token_placeholders`) a rule that trusts the key's name reported
it. Real values under the same names stay findings (random values drawn in the vendors'
shapes, not issued credentials), and so do a cut real key and a password before filler.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secret_values import is_filler_placeholder
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

_X24 = "x" * 24
_GROUPS = "XXXXXXXX-XXXXXXXX"
_ZEROS = "0" * 24

PLACEHOLDER_LINES = [
    f'client = Client(api_key="store;AccountKey={_X24}")',
    f'client = Client(api_key="store;AccountKey={_GROUPS}")',
    f'client = Client(api_key="store;AccountKey={_ZEROS}")',
    'client = Client(api_key="store;AccountKey=...")',
    'client = Client(api_key="store;AccountKey=\u2026")',
    "SLACK_WEBHOOK=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    f"SERVICE_API_KEY=https://hooks.slack.com/services/{_X24}",
    "SERVICE_API_KEY=https://hooks.slack.com/services/<your key>",
    f"auth:\n  api_token: https://discord.com/api/webhooks/{_ZEROS}\n",
    "auth:\n  api_token: https://discord.com/api/webhooks/...\n",
    f"SERVICE_API_KEY=Nzk1NA.{_GROUPS}",
    f"SERVICE_API_KEY=Nzk1NA.{_ZEROS}",
    "SERVICE_API_KEY=Nzk1NA.\u2026",
    "SERVICE_API_KEY=Nzk1NA.<your key>",
    f"TEAMS_TOKEN=acme13.webhook.office.com/{_GROUPS}",
    f"MAILCHIMP_API_KEY=fc0f7c-us{_X24}",
    f"MAILCHIMP_API_KEY=fc0f7c-us{_ZEROS}",
    "MAILCHIMP_API_KEY=fc0f7c-us...",
    f"SERVICE_API_KEY=-----BEGIN{_X24}",
    f"SERVICE_API_KEY=-----BEGIN{_GROUPS}",
]

# (line, the value the line's key names): real values stay findings, spanning the value.
_AZURE_KEY = (
    "xfDRZWTLHNvi5xKmZ3n9Ys2n80HZ7hJ/guTx/IoXWjMTwoUFWm1nP7dBcGXfeZ2zYpiVrOt8sh1jxMixstFQew=="
)
_SLACK_HOOK = "https://hooks.slack.com/services/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"
_CUT_KEY = "a8f5f167f44f4964e6c998dee827110c..."
REAL_LINES = [
    # the argument's whole value, as before
    (f'client = Client(api_key="store;AccountKey={_AZURE_KEY}")', f"store;AccountKey={_AZURE_KEY}"),
    (f"SLACK_WEBHOOK={_SLACK_HOOK}", _SLACK_HOOK),
    (
        "MAILCHIMP_API_KEY=019ca42c1eb498da5686dbe7960e660b-us21",
        "019ca42c1eb498da5686dbe7960e660b-us21",
    ),
    # a cut real key shows 32 of its characters: that is no placeholder
    (f"api_key: {_CUT_KEY}", _CUT_KEY),
    # letters and digits before the filler are somebody's password
    ("password=Summer2024xxxxxxxx", "Summer2024xxxxxxxx"),
    # a bracket closing round a variable's default: the default is the secret
    (
        "JWT_SECRET_KEY: ${JWT_SECRET_KEY:-V7PVzA0V9haMkGoAFUjL4uU3EF5RUuoT}",
        "${JWT_SECRET_KEY:-V7PVzA0V9haMkGoAFUjL4uU3EF5RUuoT}",
    ),
    # a password before the prose's ellipsis is still the password
    ("the password is hunter2...", "hunter2..."),
]


@pytest.mark.parametrize("line", PLACEHOLDER_LINES)
def test_filler_after_a_lead_under_a_key_name_stays_quiet(
    secrets_detector: SecretsDetector, line: str
) -> None:
    """A lead (a vendor's, a URL, a key's name) then filler is no secret under any key name."""
    assert spans(secrets_detector, line) == []


@pytest.mark.parametrize(("line", "value"), REAL_LINES)
def test_real_values_beside_filler_classes_are_found_exactly(
    secrets_detector: SecretsDetector, line: str, value: str
) -> None:
    """Real keys, webhooks, cut keys and passwords under the same names are still reported."""
    found = spans(secrets_detector, line)
    assert [text for _, text in found] == [value]
    assert all(kind in E.SECRET_ENTITY_TYPES for kind, _ in found)


@pytest.mark.parametrize(
    ("value", "elided", "placeholder"),
    [
        ("store;AccountKey=xxxxxxxx", True, True),
        ("Nzk1NA.00000000", True, True),
        ("Nzk1NA.0000000", True, False),  # seven zeros: too little filler to say
        ("Nzk1NA.…", True, True),
        ("Nzk1NA.…", False, False),  # a password's ellipsis is the prose's
        ("fc0f7c-us<your", True, True),
        ("${KEY:-V7PVzA0V9haMkGoAFUjL}", True, False),  # the bracket holds the secret
        ("xxxxxxxxxxxx", True, False),  # all filler: is_placeholder's to judge
        ("a8f5f167f44f4964...", True, False),  # a run with digits before it: a cut key
        ("Winter2024XXXXXXXX", False, False),
        ("AbCdEfGhIjKlMn00000000", True, False),  # 14 letters: could be a secret's
    ],
)
def test_is_filler_placeholder(value: str, elided: bool, placeholder: bool) -> None:
    """Filler counts only at the end, 8 characters or elided, after no secret-like run."""
    assert is_filler_placeholder(value, elided=elided) is placeholder
