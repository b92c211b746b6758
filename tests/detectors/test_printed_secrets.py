"""Credentials in machine output people paste: what the evaluation part ``tuning7`` missed.

A REPL's or debugger's echo of a named expression, a name and value pair, a SQL log's
columns and bound parameters, a Kubernetes Secret's base64 ``data:``, a ``vault kv get``
listing, ``terraform output -json``, a comparison in a test, a bracketed or logfmt
assignment in a log line, pydantic's ``input_value``, PHP's ``var_dump``, a dict's ``auth``
pair, redis ``AUTH``, session cookies in ``curl --cookie``, short ``PHPSESSID`` values and
UUID session ids, session ids in URLs, HAR cookie objects, WooCommerce's ``consumer_key``.
Each positive has its exact span; the negatives are the same places holding ids, hashes,
masked values, public values, sizes and placeholders.
"""

from __future__ import annotations

import base64

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

TOKEN = "kQ3xR8vLm2Tz9WpB4nYc7HdF"
HEX = "6e432a6ddf9e13822167400ffef535653834f581"
UUID = "3f2b9c1e-7a4d-4e8b-9c2f-1d5e6a7b8c9d"
PASSWORD = "Sunny-River-42!"
B64_HEX = base64.b64encode(HEX.encode()).decode()
B64_TOKEN = base64.b64encode(TOKEN.encode()).decode()
G, P = E.GENERIC_SECRET, E.PASSWORD

# (text before, secret, text after, entity type): the finding must span exactly the secret.
POSITIVES = [
    # a REPL's, debugger's or shell's echo of a named expression
    ("(Pdb) p self.token\n'", TOKEN, "'\n(Pdb) p resp.status_code\n401", G),
    ('irb(main):004:0> ENV["SHOPIFY_ACCESS_TOKEN"]\n=> "', HEX, '"', G),
    ('(gdb) print conn->password\n$1 = 0x5555555592a0 "', PASSWORD, '"\n(gdb) c', P),
    ("> console.log(process.env.DISCORD_TOKEN)\n", TOKEN, "\nundefined", G),
    ("$ gh auth token\n", TOKEN, "\n$ gh api user", G),
    ('(dlv) print c.secret\n"', TOKEN, '"', G),
    # a name and its value as a pair
    ('  User Update (0.4ms)  [["api_token", "', HEX, '"], ["id", 35]]', G),
    ("headers = [['x-api-key', '", TOKEN, "'], ['accept', 'application/json']]", G),
    # SQL statement logs
    ('INSERT INTO "integrations" ("name", "webhook_secret") VALUES (\'slack\', \'', TOKEN, "')", G),
    (
        "insert into accounts (login, password) values (?, ?)\n"
        "binding parameter [1] as [VARCHAR] - [deploy]\n"
        "binding parameter [2] as [VARCHAR] - [",
        PASSWORD,
        "]",
        P,
    ),
    (
        "Hibernate: insert into api_clients (name, client_secret, id) values (?, ?, ?)\n"
        "binding parameter [1] as [VARCHAR] - [billing]\n"
        "binding parameter [2] as [VARCHAR] - [",
        TOKEN,
        "]\nbinding parameter [3] as [BIGINT] - [7]",
        G,
    ),
    # a Kubernetes Secret's data
    ("apiVersion: v1\ndata:\n  stripe: ", B64_TOKEN, "\nkind: Secret\ntype: Opaque", G),
    ("$ kubectl get secret app -o jsonpath='{.data.token}'\n", B64_HEX, "\n", G),
    # listings, wrapped JSON values
    ("====== Data ======\nKey         Value\n---         -----\napi_key     ", TOKEN, "\n", G),
    ('{\n  "db_password": { "sensitive": false, "type": "string", "value": "', PASSWORD, '" }', P),
    # comparisons, bracketed and logfmt assignments
    ('>       assert client.token == "', TOKEN, '"', G),
    ("ERROR request failed: 401 Unauthorized (api_key=", TOKEN, ")", G),
    ("WARNING tweepy.client: Rate limited; bearer=", TOKEN, " remaining=0 reset=1521858064", G),
    ("2024-02-29 23:33:58 key_id=23 key=", TOKEN, " route=/v1/search status=401", G),
    # error and dump formats
    ("1 validation error for Settings\napi_key\n  String too long [input_value='", TOKEN, "']", G),
    ('array(2) {\n  ["pass"]=>\n  string(15) "', PASSWORD, '"\n}', P),
    ("(Pdb) pp kwargs\n{'auth': ('deploy', '", PASSWORD, "'), 'timeout': 10}", P),
    ("[worker-3] DEBUG redis.connection: AUTH ", TOKEN, " -> OK", P),
    # a failed test's report of a compared credential
    ('--- FAIL: TestLoadConfig\n    config_test.go:31: got APIKey = "", want "', HEX, '"', G),
    (
        "org.opentest4j.AssertionFailedError: expected: <",
        TOKEN,
        "> but was: <null>\n\tat com.acme.auth.TokenServiceTest.issuesRefreshToken(T.java:58)",
        G,
    ),
    # session cookies and ids, URL keys
    ('$ curl -v --cookie "PHPSESSID=', "ueZCS2dfTTAShY4e", '" https://shop.example.com/cart', G),
    ("> Cookie: PHPSESSID=", "Evt7YUYrbAricGc", "", G),
    (
        "< HTTP/1.0 200 OK\n< Content-Type: application/json\n< Set-Cookie: session_id=",
        "B46E5804-D482-419D-A181-7F218CA27985",  # generic's entropy alone passed other UUIDs
        "; Path=/; HttpOnly\n< Server: Werkzeug/3.0.1 Python/3.12.2",
        G,
    ),
    ('"GET /login/callback?state=x1&session=', HEX, ' HTTP/1.1" 302 0', G),
    ('{ "name": "_session", "value": "', TOKEN, '", "httpOnly": true }', G),
    ('"GET /wc/v3/orders?consumer_key=', "ck_" + HEX, ' HTTP/1.1" 401', G),
    ('"GET /feeds/calendar.ics?key=', "LJ8e2V1HWRIf", ' HTTP/1.1" 200', G),
]

NEGATIVES = [
    # echoes of no secret
    "(Pdb) p self.token\nNone\n(Pdb) p self.token_id\n'" + UUID + "'",
    "> console.log(crypto.randomUUID())\n" + UUID,
    "$ git rev-parse HEAD\n" + HEX,
    "# Access token\nThe token is issued by the identity provider.",
    # pairs, SQL, listings of ids and hashes
    '[["checksum", "' + HEX + '"], ["id", 35]]',
    "INSERT INTO documents (title, sha256) VALUES ('report', '" + HEX + "');",
    "INSERT INTO tokens (id, token_hash) VALUES ('" + UUID + "', '" + HEX + "');",
    "accessor            " + TOKEN + "\nentity_id           " + UUID,
    # a Secret's public entries, a ConfigMap's data, a Secret described
    "apiVersion: v1\ndata:\n  username: YWRtaW4=\nkind: Secret\n",
    "apiVersion: v1\ndata:\n  BUILD_SHA: " + HEX + "\nkind: ConfigMap\n",
    "Name: app-secrets\nType:  Opaque\n\nData\n====\nSTRIPE_KEY:   41 bytes\n",
    # failed tests' reports of no credential
    "FAILED tests/test_client.py::test_request_id - AssertionError: assert '"
    + TOKEN
    + "' == 'req_"
    + TOKEN
    + "'",
    "thread 'tests::nonce_is_random' panicked: assertion `left != right` failed\n"
    '  left: "' + TOKEN + '"\n right: "' + TOKEN + '"',
    'expected: "sk_live_********abcd"\n     got: "sk_live_****************"',
    # masked, empty and next-field values
    "  - Token: gho_************************************\n  - Token scopes: 'repo'",
    "Credentials(access_key='AKIA****************', secret_key='****', token=None)",
    "access_key     ****************OEWE shared-credentials-file",
    "{Addr::8080 DBHost:db DBUser:app APIKey: Debug:true}",
    # comparisons and log lines of ids
    'assert resp.request_id == "' + TOKEN + '"',
    'assert client.token == "<redacted>"',
    "2024-02-29 key_id=23 key=user:42:profile route=/v1/search",
    "java.lang.IllegalStateException: Duplicate key " + UUID + " (attempted merging values)",
    "Found credentials in shared credentials file: ~/.aws/credentials",
    "< Set-Cookie: _ga=GA1.1.1234567.1700000000; Path=/",
    '"GET /api/orders/' + UUID + '?expand=items HTTP/1.1" 200',
]


@pytest.mark.parametrize(("before", "secret", "after", "entity"), POSITIVES)
def test_printed_credential_is_found_with_its_exact_span(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, entity: str
) -> None:
    """The credential is reported once, under its type, spanning exactly its value."""
    text = before + secret + after
    assert spans(secrets_detector, text) == [(entity, secret)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_printed_lookalike_is_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """Ids, hashes, masked values, sizes and placeholders in the same places stay quiet."""
    assert secrets_detector.find(text) == []


def test_a_value_printed_again_is_found_again(secrets_detector: SecretsDetector) -> None:
    """A found secret that the output prints a second time, with no name there, is reported
    at both places."""
    text = (
        "LINE 1: CREATE ROLE etl LOGIN PASSWORD " + TOKEN + ";\n"
        'psql:migrate.sql:13: ERROR:  syntax error at or near "' + TOKEN + '"'
    )
    assert spans(secrets_detector, text) == [(P, TOKEN), (P, TOKEN)]


def test_a_value_printed_before_its_name_is_not_found_there(
    secrets_detector: SecretsDetector,
) -> None:
    """Only later places are repeats: a stream has released an earlier one before the name
    arrives, and a stream and the whole text must find the same."""
    text = (
        "$ echo " + TOKEN + " | wc -c\n25\n"
        "$ psql -c \"CREATE ROLE etl LOGIN PASSWORD '" + TOKEN + "'\""
    )
    assert [start for _, start, _ in _starts(secrets_detector, text)] == [text.rindex(TOKEN)]


#: psql's reports of a statement it could not parse, the token it stopped at named a
#: password by the statement on the next line: (report, password).
PSQL_REPORTS = [
    (
        'psql:migrate.sql:13: ERROR:  syntax error at or near "' + TOKEN + '"\n'
        "LINE 1: CREATE ROLE etl LOGIN PASSWORD " + TOKEN + ";\n"
        "                                       ^",
        TOKEN,
    ),
    (
        'ERROR:  syntax error at or near "Winter2024x"\r\n'
        "LINE 3: ...tabase TO app; ALTER USER app WITH PASSWORD Winter2024x VALID UNTIL",
        "Winter2024x",
    ),
]


@pytest.mark.parametrize(("report", "password"), PSQL_REPORTS)
def test_psql_names_the_token_it_stopped_at_on_the_next_line(
    secrets_detector: SecretsDetector, report: str, password: str
) -> None:
    """The token psql shows above the statement that names it a password is the password
    there too, before its name (h221; the stream holds the line, policies.holdback)."""
    first, last = report.index(password), report.rindex(password)
    assert _starts(secrets_detector, report) == [
        (P, first, first + len(password)),
        (P, last, last + len(password)),
    ]


@pytest.mark.parametrize(
    "report",
    [
        'ERROR:  syntax error at or near "FROMM"\nLINE 1: SELECT * FROMM users WHERE id = 1;',
        'ERROR:  syntax error at or near "' + TOKEN + '"\nLINE 1: SELECT ' + TOKEN + " FROM t;",
        'ERROR:  syntax error at or near "password"\nLINE 1: ALTER USER app PASSWORD password;',
        'ERROR:  syntax error at or near "secret"\nLINE 1: ALTER USER app PASSWORD secret;',
        'ERROR:  syntax error at or near "Sunny"\nLINE 1: ALTER USER a PASSWORD Sunny-River-42!;',
    ],
)
def test_psql_reports_of_no_password_are_quiet(
    secrets_detector: SecretsDetector, report: str
) -> None:
    """A token the statement does not name a password, a word or part of a longer token
    after ``PASSWORD`` is no finding above the statement."""
    first = report.index('"') + 1
    assert all(start != first for _, start, _ in _starts(secrets_detector, report))


def _starts(detector: SecretsDetector, text: str) -> list[tuple[str, int, int]]:
    return [(f.entity_type, f.start, f.end) for f in detector.find(text)]


def test_a_value_inside_a_longer_token_is_not_a_repeat(secrets_detector: SecretsDetector) -> None:
    """The found value inside a longer run of token characters (another id that contains
    it) is not reported a second time."""
    text = "API_TOKEN=" + TOKEN + "\nrequest id: req_" + TOKEN + "x9\n"
    assert spans(secrets_detector, text) == [(G, TOKEN)]


def test_a_failed_assertion_shows_the_compared_tokens(secrets_detector: SecretsDetector) -> None:
    """pytest's report of ``assert client.token == X``: the literal and both values its
    ``E`` line shows are each a token."""
    actual = "tcjCjbu3UoBx6FoEE7dys4DNae5pgAkZ"
    text = (
        '>       assert client.token == "' + TOKEN + '"\n'
        "E       AssertionError: assert '" + actual + "' == '" + TOKEN + "'"
    )
    assert spans(secrets_detector, text) == [(G, TOKEN), (G, actual), (G, TOKEN)]
