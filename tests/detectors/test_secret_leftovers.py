"""Credentials in the places of the evaluation part ``tuning4`` that h79's rules left (h83).

A key of 12 to 15 characters right after its name in prose ("the key WKvYprh6t2Xog5f"); a
secret named several words before the colon that introduces it ("the secret for the staging
signer, don't share it: X"); a credential given in reply to a question that asks for it
("can you share the sandbox key?" then "sure: X"); a UUID or long hex in a user and password
pair (Guzzle's ``'auth' => ['api', X]``, Python's ``auth=(...)``), which is a key; a base64
token with "/" after a token user name in a URL; words a generator joined ("receive_happy_all")
after a password's name, and words that are a config line's whole value (``replicationPassword:
clearly one road wish``); letters alone, not words, under a token's name in a call or an object.
Each positive has its exact span; the
negatives are the same places holding names in code, ids, digests and sentences.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

UUID = "2ad8ae0e-d98c-4d70-a40e-4f9da6c3eebe"
HEX = "711841aae16629d95a0ea93245a44d3327662431"
G, P = E.GENERIC_SECRET, E.PASSWORD

# (text before, secret, text after, entity type): the finding must span exactly the secret.
POSITIVES = [
    # short keys right after their name in prose
    ("The dashboard gave me the key ", "WKvYprh6t2Xog5f", " and every call returns 403.", G),
    ("The dashboard gave me the key ", "bSijIzunWpzrCB", " and every call returns 403.", G),
    ("my api key ", "7RVhNwz0yDv40", " stopped working.", G),
    # the name several words before the colon, an apostrophe in one of them
    ("here's the secret for the staging signer, don't share it: ", HEX, "\nwhy?", G),
    ("the token we got from the vendor's portal last week: ", "kQ3xR8vLm2Tz9WpB4nYc", "\n", G),
    # a reply to a question that asks for the credential
    ("> can you share the sandbox key?\nsure: ", UUID, "\n> thanks!", G),
    ("[10:02] Ana: what's the staging token?\n[10:03] Bo: here you go - ", HEX, "\n", G),
    ("> can I get the staging token?\nok - ", "kQ3xR8vLm2Tz9WpB4nYc", "\n> thx", G),
    # a key in a user and password pair
    ("$client = new \\GuzzleHttp\\Client(['auth' => ['api', '", UUID, "']]);", G),
    ('requests.get(url, auth=("api", "', HEX, '"))', G),
    ("$c = new Client(['auth' => ['deploy', '", "Summer-Rain-42", "']]);", P),
    # letters alone under a token's name in a call or an object
    ('config.set("cloudflare:apiToken", "', "sbfjFINCpwnfPilcPsnk", '", { secret: false })', G),
    ('{"key": "apiKey", "value": "', "qWkeRtzUopLasDfgHj", '"}', G),
    # words a password generator joined, in prose and a properties file; words that are
    # the whole value of a config line
    ("ok the new password for the shared admin account is ", "receive_happy_all", " - ok?", P),
    ('I set my master password to "', "class.note.everybody.say.seven", '" - is that ok?', P),
    ("signing.keyId=9f46b3bf\nsigning.password=", "agree_box_style", "\n", P),
    ("auth:\n  replicationPassword: ", "clearly one road wish", "\nIs this right?", P),
    ("spring.datasource.password=", "MęskiUnia europejska873", "\nspring.jpa.show-sql=true", P),
    # a base64 token with "/" after a token user name
    (
        "git clone https://oauth2:",
        "ov0mI5Y/fYR0qL0yKZAXw71jumi3fH1W4C/UifzdmY8=",
        "@gitlab.example.com/a.git",
        G,
    ),
]

NEGATIVES = [
    # names in code, ids and plain words after "key" in prose
    "The dashboard gave me the key AccessTokenId and every call returns 403.",
    "set the key ForeignKeyName on the table",
    "the token getUserById2 is a function, not a credential",
    "the cache key a1B2c3D4e5F6g7 is derived from the path",
    "the key abcdef123456 is a commit",
    "the key DEADBEEF1234 is a constant",
    # long bridges to digests and public keys
    "the key differences between the two commits, in short: " + HEX,
    "here's the public key for the staging signer, share it freely: " + HEX,
    # replies that are not to a request for a credential
    "> can you share the sandbox URL?\nsure: https://sandbox.example.com/app",
    "> which commit broke the build?\nsure: " + HEX,
    "> can you share the public key?\nsure: " + HEX,
    "the sandbox key is ready\nsure: " + UUID,
    "> can you share the sandbox key?\nI think sure: " + UUID,
    "> can you share the sandbox key?\nsure: /etc/keys/sandbox-2024.pem\n",
    "> where is the api key stored?\nhere: vault/kv/prod/api-key-2024\n",
    "which key?\nsure: ENG-4521\n",
    "can you send the wifi password?\nsure: 2024-05-06\n",
    # a user and password pair holding a placeholder
    "$client = new Client(['auth' => ['api', getenv('API_KEY')]]);",
    # names in code and notes about a password where words would be one
    "user.password=hashed_password\n",
    "the password column is password_hash, salted",
    "the password is read_from_env at start-up",
    "the password hasher is django.contrib.auth",
    'I set my master password to "os.path.join" in the settings',
    "the password is http_basic_auth",
    "the password is snake_case_like",
    "  rootPassword: randomly generated\n",
    "  replicationPassword: changed every quarter\n",
    "Password: ask the ops team\n",
    "db_password: same as staging\n",
    "  rootPassword: see the vault entry\n",
    "  replicationPassword: at least twelve characters\n",
    # words in a token's place in a call or an object
    'config.set("cloudflare:apiToken", "ConfigurationManagerValue")',
    '{"key": "apiKey", "value": "ReplaceWithYourOwnKey"}',
    'os.Setenv("API_TOKEN", "readfromthevaultlater")',
    'addHeader("X-Api-Key", "YourApiKeyGoesHere")',
    'addHeader("X-Api-Key", "PLACEHOLDERapiKEYhere")',
    # a URL whose port and path hold an @
    "see https://token:8080/users/@me for the profile",
]


@pytest.mark.parametrize(("before", "secret", "after", "entity"), POSITIVES)
def test_left_credential_is_found_with_its_exact_span(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, entity: str
) -> None:
    """The credential is reported once, under its type, spanning exactly its value."""
    text = before + secret + after
    found = spans(secrets_detector, text)
    assert found == [(entity, secret)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_left_lookalike_is_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """Names in code, ids, digests and replies to other questions stay quiet."""
    assert secrets_detector.find(text) == []
