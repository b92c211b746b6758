"""Credentials in pasted machine output that the evaluation part ``tuning7`` still missed or
misread: a URL's userinfo password holding a raw "/", redis-cli's array reply of a
password's name and value, ``docker inspect``'s ``Env`` strings, a variable set to a
generator's dotted words in a log line, a webhook secret of words told by its name.
The negatives: kubectl's byte counts under a password's name, a URL whose host starts with
``login.``, a port before a path with "@", placeholders and names in code in the same places.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

P = E.PASSWORD

# (text before, password, text after): the finding must span exactly the password.
POSITIVES = [
    # userinfo with a raw "/": the password runs to the last "@" before the host
    (
        "REDIS_URL:  rediss://:",
        "RJ49MedS01gR7XncxVCOT8EtWKhzlqHW/sC9z5urGLpzqqgyF",
        "@ec2-18-49.compute-1.amazonaws.com:6380",
    ),
    ("git clone https://deploy:", "gh/xY7k2q", "@git.example.com/org/repo.git"),
    # redis-cli's array reply: the element after a password's name
    ('$ redis-cli CONFIG GET requirepass\n1) "requirepass"\n2) "', "MG7IPwH_xyF_F8D81sB0", '"'),
    ('127.0.0.1:6379> CONFIG GET masterauth\n1) "masterauth"\n2) "', "ohY7-kq2Lp", '"\n'),
    # docker inspect's Env: a variable's string in a JSON list, whatever its words
    (
        '["PATH=/usr/local/bin:/usr/bin:/bin","POSTGRES_PASSWORD=',
        "quasidolorum",
        '","PGDATA=/var/lib/postgresql/data"]',
    ),
    ('"Env": [\n  "MYSQL_ROOT_PASSWORD=', "nortesabe", '",\n  "MYSQL_USER=app"\n]'),
    # a variable set to a generator's dotted words, in a log line
    (
        "Apr 27 10:00:03 backup-01 restic[62]: using RESTIC_PASSWORD=",
        "son.page.measure.until",
        " for repo s3:s3.amazonaws.com/backups",
    ),
    # a webhook's secret of words, told by its name
    ("X-GitHub-Event: push\nwebhook secret in our settings: ", "until_family_some_attack", "\n"),
    ("webhook secret in our settings: ", "LearnDropFirm", ""),
]

NEGATIVES = [
    # kubectl describe secret: sizes under the names, not values
    "Data\n====\nDB_PASSWORD:  41801 bytes\nSTRIPE_KEY:   73 bytes\n",
    "Data\n====\nreplication-password:  5394 bytes\n",
    # a URL whose host starts with "login." is no "login X / Y"
    "POST https://login.example.co/oauth2/v2.0/token\nclient_id: 84bb7f9b\n",
    "GET https://login.microsoftonline.com/common/oauth2/v2.0/authorize 200",
    # a port before a path holding "@" is no userinfo
    "npm config set registry http://localhost:4873/@myorg/pkg",
    "open http://host:3000/users/@bob/settings",
    "pip install git+ssh://github.com:acme/tools.git@v1.2.0",
    # redis: a list of field names, and an empty password
    '127.0.0.1:6379> LRANGE fields 0 -1\n1) "email"\n2) "password"\n3) "createdAt"\n',
    '127.0.0.1:6379> CONFIG GET requirepass\n1) "requirepass"\n2) ""\n',
    # Env strings holding placeholders, and code assigning an expression
    '["POSTGRES_PASSWORD=${DB_PASSWORD}", "POSTGRES_PASSWORD=changeme"]',
    "    DB_PASSWORD=settings.db.password\n",
    # a webhook secret named, its value a reference
    "webhook secret in our settings: from-env-var\n",
]


@pytest.mark.parametrize(("before", "secret", "after"), POSITIVES)
def test_pasted_password_is_found_with_its_exact_span(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The password is reported once, as a PASSWORD, spanning exactly its value."""
    assert spans(secrets_detector, before + secret + after) == [(P, secret)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_pasted_lookalike_is_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """Sizes, URLs, ports, field names and references in the same places stay quiet."""
    assert secrets_detector.find(text) == []
