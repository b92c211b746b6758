"""Credentials people write without a key = value separator: the forms h54's probing found.

"log in with admin / X", "u: admin p: X", a dotted random password after ``-p``,
``lftp -u user,X``, ``sp_addlogin 'u', 'X'``, Redis ``AUTH X``, passwords passed by
position to a DB driver or to a function whose signature in the same text names the
parameter, "SSID X, key Y" and "wifi: X / Y", and
random-looking secrets after their name in prose ("the api key X is leaked"). Each table
has exact spans; the negatives are the same places with words, names, variables and
standards, and references to where a secret lives (``op://``, ``{cipher}``,
``${DB_PASSWORD:}``).
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

# (text before, secret, text after, entity type): the finding must span exactly the secret.
POSITIVES = [
    # a user and a password in words or by their initials
    ("login with admin / ", "Xk9#mQ2vLp", " if the SSO is down", E.PASSWORD),
    ("log in as deploy/", "hunter2024", "", E.PASSWORD),
    ("sign in with ops: ", "Tr0ub4dor&3", "", E.PASSWORD),
    ("u: admin p: ", "Xk9#mQ2vLp", "", E.PASSWORD),
    ("u: admin\np: ", "Sunny-River-12", "\n", E.PASSWORD),
    ("user=bob p=", "Tr0ub4dor", "", E.PASSWORD),
    # command lines and SQL
    ("lftp -u deploy,", "Xk9mQ2vLp7", " sftp://files.example.com", E.PASSWORD),
    ("lftp -u deploy,'", "pa ss;7", "' ftp.example.com", E.PASSWORD),
    ("EXEC sp_addlogin 'appuser', '", "Xk9mQ2vLp7", "'", E.PASSWORD),
    ("EXEC sp_addlogin N'app', N'", "Winter2024!", "'", E.PASSWORD),
    # a random password with a dot on a command line is no attribute of code
    ("docker login -u m.keller -p ", "bP.YjuNv0Y", " nas.home.lan", E.PASSWORD),
    # Redis
    ("AUTH ", "Xk9mQ2vLp7", "\n", E.PASSWORD),
    ("127.0.0.1:6379> AUTH default ", "s3cr3t-Redis", "\nOK", E.PASSWORD),
    ("redis-cli -h cache.internal AUTH ", "Xk9mQ2vLp7", " && redis-cli ping", E.PASSWORD),
    # a DB driver's positional password
    ('conn = pymysql.connect("db.internal", "app", "', "Xk9mQ2vLp7", '", "orders")', E.PASSWORD),
    ('conn = psycopg2.connect("dbname=orders", "app", "', "Xk9mQ2vLp7", '")', E.PASSWORD),
    ("$pdo = new PDO($dsn, 'app', '", "Xk9mQ2vLp7", "');", E.PASSWORD),
    ('c = DriverManager.getConnection(url, "sa", "', "Xk9mQ2vLp7", '");', E.PASSWORD),
    ("new Sequelize('orders', 'app', '", "Xk9mQ2vLp7", "', { dialect: 'mysql' });", E.PASSWORD),
    ('db = cx_Oracle.connect("scott", "', "tiger", '", "db:1521/orcl")', E.PASSWORD),
    # a call of a function whose signature names the parameter
    (
        'def connect(host, user, password):\n    ...\n\nconn = connect("db", "app", "',
        "Xk9mQ2vLp7",
        '")',
        E.PASSWORD,
    ),
    (
        "class Db:\n    def login(self, user: str, password: str) -> None: ...\n"
        'db.login("admin", "',
        "Tr0ub4dor&3",
        '")',
        E.PASSWORD,
    ),
    ("function auth(user, pw) { }\nauth('bob', '", "hunter2024", "');", E.PASSWORD),
    # a variable's default that is a real password, a value like a Maven token in capitals
    ("spring.datasource.password=", "${DB_PASSWORD:Winter2024!}", "", E.PASSWORD),
    ("DB_PASSWORD=", "@Xk9mQ2vLp@", "", E.PASSWORD),
    # a longer "for ..." phrase, an answer after a comma
    ("the password for user admin on the staging box is ", "Xk9mQ2vLp7", "", E.PASSWORD),
    ("I reset bob's password, it's now ", "Winter2024!", "", E.PASSWORD),
    # Wi-Fi
    ("SSID HomeNet, key ", "Xk9mQ2vLp7", "", E.PASSWORD),
    ("wifi: HomeNet / ", "Xk9mQ2vLp7", "", E.PASSWORD),
    ("WLAN GuestNet; key ", "Sunny-River-12", "", E.PASSWORD),
    # random-looking secrets after their name in prose
    ("the api key ", "9fK2mQ7xLp3vB8nZ4tR6", " is leaked", E.GENERIC_SECRET),
    ("rotated secret ", "Zq8Xw3Lm9Pv2Kt7Rn5Bd", " yesterday", E.GENERIC_SECRET),
    ("the access key ", "3f9a0c7b2e4d8f1a6c5b", " is revoked", E.GENERIC_SECRET),
    ("our secret key ", "7Hq2mZ9xKp4vL8nB3tR5", " was pushed to GitHub", E.GENERIC_SECRET),
]

NEGATIVES = [
    # words, providers and placeholders where the password would be
    "sign in with Google / GitHub",
    "log in with username/password",
    "login with SSO / SAML",
    "menu: file p: print",
    # lftp and sp_addlogin without a password, or with a variable
    "lftp -u deploy sftp://files.example.com",
    "lftp -u deploy,$PASS sftp://files.example.com",
    "EXEC sp_addlogin 'appuser', @passwd",
    # code that reads a password on a command line
    "docker login -u bot -p settings.registry_pw r.io",
    "mongosh -u admin -p config.DB_PASSWORD",
    # AUTH that is not Redis's, or names no password
    "AUTH failed",
    "AUTH <password>",
    "AUTH $REDIS_PASSWORD",
    "AUTH PLAIN AGFsaWNlAHNlY3JldA==",
    "AUTH CRAM-MD5",
    "The server replies to AUTH Xk9mQ2vLp7 with OK",
    # calls with names, empty strings and expressions in the password's place
    "mysqli_connect('localhost', 'root', '')",
    "$conn = new mysqli($servername, $username, $password);",
    'conn = MySQLdb.connect("localhost", "app", os.environ["DB_PW"])',
    'c = DriverManager.getConnection(url, "sa", "");',
    'def connect(host, user, password):\n    ...\nconn = connect(HOST, USER, os.environ["PW"])',
    'def run(cmd, password=None):\n    pass\nrun("ls -l")',
    'def connect(host, user, timeout):\n    ...\nconn = connect("db", "app", "Xk9mQ2vLp7")',
    # sentences that go on with words
    "the password for the admin account on the box is not set",
    "I forgot my password, it's annoying",
    # Wi-Fi standards and words
    "WiFi: 802.11ac / WPA2-Personal",
    "wifi 6 / 6E support",
    "The SSID HomeNet, key management WPA2",
    "Supports wifi / bluetooth",
    # where a secret lives, ciphertext and variables with an empty or placeholder default
    "spring.datasource.password=${DB_PASSWORD:}",
    "spring.mail.password=${MAIL_PASSWORD:#{null}}",
    "jwt.secret=${JWT_SECRET:change-me-in-prod}",
    "DB_PASSWORD=${DB_PASSWORD:-changeme}",
    "spring.datasource.password={cipher}AQBhZ3p0b2tlbjEyMzQ1Njc4OTA=",
    "spring.datasource.hikari.password=@db.password@",
    "spring.datasource.password=vault:secret/data/orders#password",
    "spring.datasource.password=sm://orders-db-password",
    "DB_PASSWORD=op://prod/orders-db/password",
    "password: ref+vault://secret/orders#/password",
    # names, paths and words after a secret's name in prose
    "the secret ingredient is love",
    "my token is broken and the api key expired",
    "rotate secret aws/prod/db-creds-2024 in Secrets Manager",
    "secret key base64encodedValue2 here",
    "the secret key SECRET_KEY_2024 is read from the environment",
]


@pytest.mark.parametrize(("before", "secret", "after", "entity"), POSITIVES)
def test_credential_is_found_with_its_exact_span(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, entity: str
) -> None:
    """The credential is reported once, under its type, spanning exactly its value."""
    text = before + secret + after
    found = spans(secrets_detector, text)
    assert found == [(entity, secret)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_lookalike_is_not_a_credential(secrets_detector: SecretsDetector, text: str) -> None:
    """Words, variables, SASL mechanisms and Wi-Fi standards in the same places stay quiet."""
    assert secrets_detector.find(text) == []
