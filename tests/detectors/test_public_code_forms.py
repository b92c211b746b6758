"""Credentials in more forms that public code writes them (the ``tuning5`` part, h100).

A URL's ``?private_token=`` and ``?psk=`` parameters and an ``x-...-key`` header with a short
value; a JDBC URL's ``;password=`` property; a row of pppd's ``chap-secrets`` or
``pap-secrets``; a ``ConvertTo-SecureString`` whose variable names a key (a
``GENERIC_SECRET``, not a password); the default an environment lookup falls back to
(``ENV.fetch("DB_PASSWORD") { "X" }``, ``process.env.DB_PASSWORD || "X"``). Each positive
has an exact span; the negatives are the same places with placeholders, references, words,
empty values and a user's name as its password. Every positive was missed, or reported
under the wrong type, before, but the four marked as guards (found before; the new rules
must not change them).
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

# (text before, secret, text after, entity type): the finding must span exactly the secret.
POSITIVES = [
    # URL parameters and headers that name a token or key, short values
    (
        "GET /api/v4/projects/35/repository/branches?private_token=",
        "D0w8E6YoFjEe",
        "&per_page=100 HTTP/1.1",
        E.GENERIC_SECRET,
    ),
    (
        "const res = await fetch(baseUrl + 'projects' + \"?private_token=",
        "QT8GzSig7t1NLOY",
        '&name=" + name)',
        E.GENERIC_SECRET,
    ),
    (
        'url: base + "/php/custom/middleware.php?psk=',
        "bnY2iXhaF5Q_n0gd41c_h--3",
        '&id_number=7&apifunction=create",',
        E.GENERIC_SECRET,
    ),
    (
        'curl -X POST http://localhost:8000/v1/messages \\\n  -H "x-api-key: ',
        "gKkzHz6r4FZRPln",
        '" \\\n',
        E.GENERIC_SECRET,
    ),
    # guard: a header named for a token was found before, by the assignment rules
    ("X-Auth-Token: ", "p7Qw2ZkL9xTb", "\nAccept: */*", E.GENERIC_SECRET),
    # a JDBC URL's properties
    (
        'DriverManager.getConnection("jdbc:derby://localhost:1527/pr2;user=pr2;password=',
        "doloremquemolestias",
        '");',
        E.PASSWORD,
    ),
    # guard: a password with a digit was found before, by the assignment rules
    (
        "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=",
        "Tr0ub4dor&3",
        ";encrypt=true",
        E.PASSWORD,
    ),
    # pppd's secrets files
    (
        "# /etc/ppp/chap-secrets\n# client        server  secret                  IP addresses\n"
        'portillomaria   l2tpd   "',
        "SeríaCapaz965",
        '"          *',
        E.PASSWORD,
    ),
    ("# /etc/ppp/pap-secrets\nalice  *  ", "s3cr3tPw", "  *\n", E.PASSWORD),
    # PowerShell: the variable names what the secure string holds
    (
        '$key = ConvertTo-SecureString "',
        "vgq+LhCxRHqdTuEl1c9OgC3HtsaG046qLutFk60sewg=",
        '" -AsPlainText -Force\nSet-SecureAPIKey -KeyName "OPENROUTER" -SecureKey $key',
        E.GENERIC_SECRET,
    ),
    (
        '$apiToken = (ConvertTo-SecureString "',
        "9fK2mQ7xLp3Rt",
        '" -AsPlainText -Force)',
        E.GENERIC_SECRET,
    ),
    # guard: a variable named for a key's password stays a PASSWORD
    ('$keyPassword = ConvertTo-SecureString "', "Autumn2024!", '" -AsPlainText -Force', E.PASSWORD),
    # guard: HAProxy's stats password that is not the user's name is still found
    ("listen stats\n    stats auth admin:", "Spring2024!", "\n", E.PASSWORD),
    # the default of an environment lookup
    ('  password: <%= ENV.fetch("DB_PASSWORD") { "', "V@4^od(oSHbSy", '" } %>', E.PASSWORD),
    ('  password: <%= ENV.fetch("DB_PASSWORD") { "', "dejalleva", '" } %>', E.PASSWORD),
    ('  password: <%= ENV["DB_PASSWORD"] || "', "Autumn2024", '" %>', E.PASSWORD),
    ("const pw = process.env.DB_PASSWORD || '", "sunny-river-12", "';", E.PASSWORD),
    ('const key = process.env.OPENAI_API_KEY ?? "', "9fK2mQ7xLp3RtZ8wQ1vB", '";', E.GENERIC_SECRET),
]

NEGATIVES = [
    # parameters and headers holding references, words and filter marks
    "      # In:  /foo?private_token=unfiltered&authenticity_token=unfiltered",
    "      # Out: /foo?private_token=[FILTERED]&authenticity_token=[FILTERED]",
    'AUTHENTICATION_URL="?private_token=$GITLAB_TOKEN"',
    "GET /api/v4/projects?private_token=YOUR_PRIVATE_TOKEN&per_page=100 HTTP/1.1",
    'wget -q "https://example.com/api?psk=<pre-shared-key>&id=1"',
    'curl -H "x-api-key: $ANTHROPIC_API_KEY" https://api.anthropic.com/v1/messages',
    'curl -H "X-API-Key: <your-api-key>" https://api.example.com',
    "X-Auth-Token: {{ vault_api_token }}",
    # JDBC properties that are references or empty
    'String url = "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=${DB_PASSWORD}";',
    "jdbc:derby://localhost:1527/pr2;user=pr2;password=;create=true",
    # secrets files without a secret, and tables that are no secrets file
    "# /etc/ppp/chap-secrets\n# client        server  secret                  IP addresses\n",
    '# /etc/ppp/chap-secrets\nbob  pptpd  *  *\ncarol pptpd "" *\ndave pptpd ${PPP_PASS} *',
    "client server secret IP\njovita97   l2tpd   Spring2016!   *",
    # secure strings from placeholders, variables and prompts
    '$key = ConvertTo-SecureString "<your api key>" -AsPlainText -Force',
    "$token = ConvertTo-SecureString $env:API_TOKEN -AsPlainText -Force",
    # a factory default whose password is the user's name, as sample configs leave it
    "stats enable\n    stats uri /_haproxy_stats\n"
    "    # stats auth admin:admin # Uncomment for basic auth",
    "userlist admins\n  user guest insecure-password guest",
    # lookups whose default is empty, a placeholder or absent
    '  password: <%= ENV.fetch("DB_PASSWORD") { "" } %>',
    '  password: <%= ENV.fetch("DB_PASSWORD") { "changeme" } %>',
    '  password: <%= ENV.fetch("DB_PASSWORD") { nil } %>',
    'const pw = process.env.DB_PASSWORD || "";',
    'const key = process.env.OPENAI_API_KEY ?? "your-api-key-here";',
    "const key = process.env.OPENAI_API_KEY;",
]


@pytest.mark.parametrize(("before", "secret", "after", "entity"), POSITIVES)
def test_credential_in_public_code_form_is_found_with_its_exact_span(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, entity: str
) -> None:
    """The credential is reported once, under its type, spanning exactly its value."""
    text = before + secret + after
    assert spans(secrets_detector, text) == [(entity, secret)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_public_code_form_without_a_secret_is_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Placeholders, references, words, filter marks and empty values in the same places
    stay quiet."""
    assert secrets_detector.find(text) == []
