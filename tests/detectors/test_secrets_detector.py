"""The secrets detector: exact spans for each secret type, and hard negatives."""

from __future__ import annotations

import pytest
from secret_samples import b64url, github_token, jwt_token, random_token

from detectors import entities as E
from detectors.secrets import SECRET_ENTITY_TYPES, SecretsDetector, find_private_keys
from detectors.settings import SecretsSettings

_URL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
_B64 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"
_UPPER32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

OPENAI_PROJECT = f"sk-proj-{random_token(40, _URL)}T3BlbkFJ{random_token(40, _URL, seed=2)}"
OPENAI_LEGACY = f"sk-{random_token(48)}"
ANTHROPIC = f"sk-ant-api03-{random_token(93, _URL)}AA"
AWS_ID = "AKIA" + random_token(16, _UPPER32)
AWS_SECRET = random_token(40, _B64)
GITHUB_CLASSIC = github_token("ghp")
GITHUB_APP = github_token("ghs", seed=3)
GITHUB_FINE = f"github_pat_{random_token(22)}_{random_token(59, seed=4)}"
GITLAB = f"glpat-{random_token(20, _URL)}"
SLACK_BOT = f"xoxb-123456789012-1234567890123-{random_token(24)}"
SLACK_HOOK = f"https://hooks.slack.com/services/T{random_token(10, _UPPER32)}/B{random_token(10, _UPPER32, seed=5)}/{random_token(24)}"  # noqa: E501
STRIPE_LIVE = f"sk_live_{random_token(24)}"
STRIPE_RESTRICTED = f"rk_test_{random_token(30)}"
GOOGLE = "AIza" + random_token(35, _URL)
JWT = jwt_token()
JWT_NONE = jwt_token({"alg": "none"}, signature="")
PEM_BODY = "\n".join(random_token(64, _B64, seed=i) for i in range(4))
PEM = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n-----END RSA PRIVATE KEY-----"
GENERIC = random_token(32)
NO_ALG_JWT = ".".join((b64url(b'{"typ": "JWT"}'), b64url(b"{}"), random_token(43)))

# (text before, secret, text after, entity type): the finding must span exactly the secret.
POSITIVES = [
    ("export OPENAI_API_KEY=", OPENAI_PROJECT, "\n", E.OPENAI_API_KEY),
    ("old key ", OPENAI_LEGACY, ", please rotate", E.OPENAI_API_KEY),
    ("ANTHROPIC_API_KEY='", ANTHROPIC, "'", E.ANTHROPIC_API_KEY),
    ("id ", AWS_ID, " in us-east-1", E.AWS_ACCESS_KEY_ID),
    ("aws_secret_access_key = ", AWS_SECRET, "\n", E.AWS_SECRET_ACCESS_KEY),
    ('"SecretAccessKey": "', AWS_SECRET, '"', E.AWS_SECRET_ACCESS_KEY),
    ("git clone with ", GITHUB_CLASSIC, " fails", E.GITHUB_TOKEN),
    ("installation token ", GITHUB_APP, ".", E.GITHUB_TOKEN),
    ("GH_TOKEN=", GITHUB_FINE, "", E.GITHUB_TOKEN),
    ("private-token: ", GITLAB, "", E.GITLAB_TOKEN),
    ("SLACK_BOT_TOKEN=", SLACK_BOT, "", E.SLACK_TOKEN),
    ("post to ", SLACK_HOOK, " on failure", E.SLACK_WEBHOOK_URL),
    ("stripe.api_key = '", STRIPE_LIVE, "'", E.STRIPE_API_KEY),
    ("restricted ", STRIPE_RESTRICTED, " works", E.STRIPE_API_KEY),
    ("maps key=", GOOGLE, "&callback=init", E.GOOGLE_API_KEY),
    ("Authorization: Bearer ", JWT, "", E.JWT),
    ("unsigned token ", JWT_NONE, " here", E.JWT),
    ("the JWT ", JWT, ". Is it valid?", E.JWT),
    ("key:\n", PEM, "\nthanks", E.PRIVATE_KEY),
    ("postgres://app:", "S3cr3t!pw", "@db.internal:5432/orders", E.PASSWORD),
    ("redis://:", "p4ssw0rd", "@cache:6379/0", E.PASSWORD),
    ("mongodb+srv://admin:", "pa@ss123", "@cluster0.example.net/db", E.PASSWORD),
    ("DB_PASSWORD=", "hunter2", "\n", E.PASSWORD),
    ('{"user": "app", "password": "', "correct-horse", '"}', E.PASSWORD),
    ("passwd: ", "Tr0ub4dor&3", "\n", E.PASSWORD),
    ("mysql --password=", "Xy7!kq9z", " -u root", E.PASSWORD),
    ("spring.datasource.password = ", "Sup3rS3cret", "", E.PASSWORD),
    ("client_secret = '", "abc123def456ghi", "'", E.GENERIC_SECRET),
    ("SECRET_KEY=", "dj4ng0-s3cr3t-k3y!", "\n", E.GENERIC_SECRET),
    ('api_key = "', GENERIC, '"', E.GENERIC_SECRET),
    ("access_token: ", GENERIC, "\n", E.GENERIC_SECRET),
    ("curl -H 'Authorization: Bearer ", GENERIC, "' https://api", E.GENERIC_SECRET),
    ("deepseek key ", f"sk-{random_token(32, '0123456789abcdef')}", " failed", E.GENERIC_SECRET),
]


@pytest.mark.parametrize(
    ("before", "secret", "after", "entity_type"),
    POSITIVES,
    ids=[f"{p[3]}-{i}" for i, p in enumerate(POSITIVES)],
)
def test_secret_found_with_exact_span(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, entity_type: str
) -> None:
    """Each secret is reported once, with its type and exact offsets."""
    text = before + secret + after
    findings = secrets_detector.find(text)
    assert [(f.entity_type, f.start, f.end) for f in findings] == [
        (entity_type, len(before), len(before) + len(secret))
    ]
    assert findings[0].detector == "secrets"
    assert 0.5 <= findings[0].score <= 1.0


HARD_NEGATIVES = [
    "request 3f2b8c1e-9d4a-4b7e-8f6a-1c2d3e4f5a6b failed",
    "fixed in 9fceb02d0ae598e95dc970b74767f19372d61af8 and a1b2c3d",
    "digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "order #4529-8812-3301 and INV-2024-000123 shipped",
    "upgrade to 3.11.4 or v2.0.0-rc.1",
    "card 4111 1111 1111 1112 declined",
    "we use sk-learn, sk-1234 is a placeholder, keys look like sk-...",
    "Set OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxx in .env",
    f"tokens look like ghp_{'x' * 36}",
    f"typo in ghp_{random_token(36)}",  # a classic token with a wrong checksum
    "An AKIA prefix marks an AWS key",
    "paste the JWT (it starts with eyJ) into the debugger",
    "eyJhbGciOiJIUzI1NiJ9.not-base64!.sig",
    NO_ALG_JWT,  # header without "alg"
    "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
    "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
    "-----END PUBLIC KEY-----",
    "password: must be at least 12 characters long",
    "password = os.environ['DB_PASSWORD']",
    "password=${DB_PASSWORD} and password: ******** and password: <password>",
    "if not password: raise ValueError('password is required')",
    "def check(password: str) -> bool: return len(password) >= 12",
    "self.password = password",
    'api_key = "your-api-key-here"',
    "token = request.headers.get('Authorization')",
    "max_tokens: 4096, token_count = 123456789012345678",
    "https://user@example.com/path and http://example.com:8080/x?q=1",
    "Basic authentication is disabled; bearer tokens are preferred.",
    "private token: AuthTokenService;  api_key = settings.OpenAiApiKeyProvider",
    "commit_sha = 9fceb02d0ae598e95dc970b74767f19372d61af8",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negative_has_no_finding(secrets_detector: SecretsDetector, text: str) -> None:
    """Look-alikes, placeholders, code and prose produce no finding."""
    assert secrets_detector.find(text) == []


def test_provider_key_in_assignment_is_reported_as_provider_key(
    secrets_detector: SecretsDetector,
) -> None:
    """A specific key inside a generic credential context is reported once, specifically."""
    text = f'api_key = "{GITHUB_CLASSIC}"'
    assert [f.entity_type for f in secrets_detector.find(text)] == [E.GITHUB_TOKEN]


def test_aws_secret_found_next_to_key_id_without_keyword(
    secrets_detector: SecretsDetector,
) -> None:
    """An AWS secret in a credentials CSV is recognised by the key id beside it."""
    text = f"Access key ID,Secret access key\n{AWS_ID},{AWS_SECRET}\n"
    found = {(f.entity_type, text[f.start : f.end]) for f in secrets_detector.find(text)}
    assert found == {(E.AWS_ACCESS_KEY_ID, AWS_ID), (E.AWS_SECRET_ACCESS_KEY, AWS_SECRET)}


def test_truncated_private_key_is_reported_to_its_last_line() -> None:
    """A PEM block without its END line still counts, up to its last base64 line."""
    text = f"-----BEGIN OPENSSH PRIVATE KEY-----\n{PEM_BODY}\n\nwhat is wrong with it?"
    assert list(find_private_keys(text)) == [(0, text.index("\n\nwhat"))]


def test_private_key_in_json_string_is_found() -> None:
    """A key with escaped newlines (service-account JSON) is found whole."""
    body = PEM_BODY.replace("\n", "\\n")
    key = f"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n"
    text = f'{{"private_key": "{key}"}}'
    start = text.index("-----BEGIN")
    end = text.index("-----END PRIVATE KEY-----") + len("-----END PRIVATE KEY-----")
    assert list(find_private_keys(text)) == [(start, end)]


def test_truncated_private_key_in_json_string_is_found_to_its_last_line() -> None:
    """A key without END line in a JSON string (escaped newlines) ends at the closing quote."""
    body = PEM_BODY.replace("\n", "\\n")
    text = f'{{"private_key": "-----BEGIN PRIVATE KEY-----\\n{body}"}}'
    assert list(find_private_keys(text)) == [(text.index("-----BEGIN"), len(text) - 2)]


def test_several_secrets_in_one_text_are_sorted_by_offset(
    secrets_detector: SecretsDetector,
) -> None:
    """Findings come back in text order."""
    text = f"{STRIPE_LIVE} then {AWS_ID} then {GOOGLE}"
    types = [f.entity_type for f in secrets_detector.find(text)]
    assert types == [E.STRIPE_API_KEY, E.AWS_ACCESS_KEY_ID, E.GOOGLE_API_KEY]


def test_disabled_types_are_not_reported() -> None:
    """Entity types listed in ``disabled`` are never reported."""
    detector = SecretsDetector(SecretsSettings(disabled=(E.PASSWORD, E.PRIVATE_KEY)))
    assert detector.find(f"DB_PASSWORD=hunter2\n{PEM}") == []


def test_min_score_drops_weaker_rules() -> None:
    """Raising ``min_score`` leaves out the context-based rules."""
    detector = SecretsDetector(SecretsSettings(min_score=0.85))
    text = f"DB_PASSWORD=hunter2 {GITHUB_CLASSIC}"
    assert [f.entity_type for f in detector.find(text)] == [E.GITHUB_TOKEN]


def test_scan_returns_one_list_per_text(secrets_detector: SecretsDetector) -> None:
    """``scan`` keeps the order and count of its input."""
    results = secrets_detector.scan(["nothing here", GOOGLE, ""])
    assert [len(r) for r in results] == [0, 1, 0]


def test_every_reported_type_is_in_the_secret_set() -> None:
    """Each entity type in POSITIVES is covered by SECRET_ENTITY_TYPES (and vice versa)."""
    assert {p[3] for p in POSITIVES} == SECRET_ENTITY_TYPES
