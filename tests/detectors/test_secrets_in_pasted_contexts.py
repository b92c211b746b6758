"""Credentials in the places of the evaluation part ``tuning3`` that the rules missed.

Tokens named by a call's first argument (``addHeader("X-Api-Key", X)``, ``os.Setenv``,
``define('DB_PASSWORD', X)``), key/value objects (Postman, .NET ``<add key= value=>``),
``?key=`` parameters, session cookies, registry ``"auth"`` entries, token user names in
URLs (``oauth2:X@``), ``gh secret set --body``, table columns headed "api key", prose
("use this key X", "the token, the new one is X"), ``b"..."`` literals and Rust's ``&str``;
passwords of archives and keys (``zip -P``, ``7z -p``, ``ssh-keygen -N``, ``openssl enc
-k``, ``nmcli``), ``echo X | sudo -S``, HAProxy ``stats auth``, ``--password=X``, Go DSNs,
``NetworkCredential``, ``smtplib`` ``login``, ``key=value`` arguments (libpq, ``helm
--set``, ``--from-literal``, ``vault kv put``, ``-D`` properties), Wi-Fi QR codes and "the
key is X" about a Wi-Fi, lists of "user / password" lines and prose ("the password we set
is X", "user kiosk and pwd X", "created with password X", "Initial password: X", "the
admin is admin / X", "the zip is protected with X", a two-line ``.netrc``) and passwords
that start with "$" or "%" and a symbol follows (not variables). Each
positive has its exact span; the negatives are the same places holding ids, hashes, code,
placeholders and sentences.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

TOKEN = "kQ3xR8vLm2Tz9WpB4nYc7HdF"
HEX = "6e432a6ddf9e13822167400ffef535653834f581"
G, P = E.GENERIC_SECRET, E.PASSWORD

# (text before, secret, text after, entity type): the finding must span exactly the secret.
POSITIVES = [
    # tokens named by a call's first argument, an object's key or a header
    ('chain.request().newBuilder().addHeader("apikey", "', TOKEN, '").build()', G),
    ('_http.DefaultRequestHeaders.Add("X-Api-Key", "', TOKEN, '");', G),
    ('\tos.Setenv("PAYMENTS_API_KEY", "', TOKEN, '")', G),
    ('{"values": [{"key": "apiKey", "value": "', TOKEN, '", "enabled": true}]}', G),
    ('  <add key="ApiSecret" value="', TOKEN, '" />', G),
    ('{"auths": {"registry.example.com": {"auth": "', TOKEN, '"}}}', G),
    ("WARN Request rejected: Cookie: sessionid=", TOKEN, "; django_language=en", G),
    ('"GET /geocode/json?address=main+st&key=', TOKEN, ' HTTP/1.1" 403 None', G),
    ("http POST https://api.example.org/v1/jobs X-API-Key:", TOKEN, " name=nightly", G),
    ('SIGNING_SECRET = b"', TOKEN, '"', G),
    ('const API_TOKEN: &str = "', TOKEN, '";', G),
    # token user names in URLs
    ("git clone https://oauth2:", TOKEN, "@gitlab.example.com/platform/charts.git", G),
    ("index-url = https://__token__:", TOKEN, "@pypi.example.net/simple", G),
    # stored by name on a command line
    ('> gh secret set DEPLOY_KEY --body "', TOKEN, '" --repo acme/infra', G),
    ("+ aws ssm put-parameter --name /shop/prod/api-key --value ", HEX, " --type SecureString", G),
    # a table's column
    ("| service | url | api key |\n| billing | https://billing.example.com | ", TOKEN, " |", G),
    # prose
    ('Customer wrote: "I regenerated the token, the new one is ', TOKEN, ', still no data"', G),
    ("user: use this key ", TOKEN, " for the sandbox", G),
    ("user: the partner sent their staging key, it's ", TOKEN, " - how do I test it?", G),
    ("as discussed, here is your key for the reporting API: ", TOKEN, "\n\nRead only.", G),
    ('Run echo "::add-mask::$SIGNING_KEY"\nsigning key loaded: ', HEX, "\n", G),
    # passwords: call pairs, archives and keys, sudo, HAProxy, command lines
    ("define( 'DB_PASSWORD', '", "enimquis", "' );", P),
    ("zip -P ", "enimquis", " -r handover.zip docs/", P),
    ("7z a -p", "Spring2024!", " -mhe=on backup.7z ./exports", P),
    ("ssh-keygen -t ed25519 -N '", "eum-quidem-48", "' -f ~/.ssh/deploy", P),
    ("openssl enc -aes-256-cbc -in db.sql -out db.sql.enc -k ", "debitisdolores", "", P),
    ('nmcli dev wifi connect "Office-5G" password ', "providentdolorem", "", P),
    ("+ echo '", "enimquis", "' | sudo -S systemctl restart app", P),
    ("listen stats\n  stats auth admin:", "enimquis", "\n", P),
    ("mysql -u root --password=", "enimquis", ' -e "SHOW PROCESSLIST"', P),
    ('db, err := sql.Open("mysql", "nicole:', "enimquis", '@tcp(db:3306)/shop")', P),
    ('var cred = new NetworkCredential("wohlsson", "', "enimquis", '", "CORP");', P),
    ('server.login("hedlund@example.org", "', "enimquis", '")', P),
    # key=value arguments
    (
        'psql "host=db port=5432 dbname=orders user=lisa password=',
        "enimquis",
        ' sslmode=require"',
        P,
    ),
    ("helm upgrade --install cache bitnami/redis --set auth.password=", "enimquis", " --wait", P),
    ("kubectl create secret generic db --from-literal=password=", "enimquis", "\n", P),
    ("vault kv put secret/shop db_password=", "enimquis", "\n", P),
    ('Environment="JAVA_OPTS=-Djavax.net.ssl.keyStorePassword=', "enimquis", '"', P),
    # Wi-Fi
    ("Our Wi-Fi QR code encodes `WIFI:T:WPA;S:Office-71;P:", "enimquis", ";;` and", P),
    ("the Wi-Fi in the new office is called Guest-80 and the key is ", "debitisdolores", ", ok", P),
    # prose
    ("the temporary admin password we set is ", "Kontrast365", " for the night shift", P),
    ("our kiosk tablets log in with user kiosk and pwd ", "enimquis", ", after the update", P),
    ("the shared mailbox password ", "debitisdolores", " stopped working", P),
    ("the account was created with password ", "debitisdolores", ", they logged in", P),
    ("Username: uthomas. Initial password: ", "debitisdolores", " (change it)", P),
    ('"my login is gcywka@example.org and my password is ', "NocAni843", ', please"', P),
    ('they wrote "the jenkins admin is admin / ', "providentdolorem", '".', P),
    ("the zip from the client is protected with ", "enimquis", ", unzip says wrong password", P),
    ("the attached xlsx is encrypted with ", "chybitregion", ", call me for the rest", P),
    ("machine api.example.cz\n  login qtoman@example.net\n  password ", "nehetherec", "\n", P),
    # symbols after "$" or "%": a password, not a variable
    ("zip -P ", "$lLM^EpQ57M*bjB", " -r handover.zip docs/", P),
    ("sqlcmd -S sql01 -U sa -P ", "%83JtJ$+F2CG", ' -Q "SELECT 1"', P),
]

NEGATIVES = [
    # ids, hashes and keys that are no secret, near the words of one
    "Cache key: 0d3593ad699fc1f7cd5bb2e35cbf0f19-node-modules",
    "We log only the key's id (key_0d3593ad699fc1f7), never the key.",
    "The public keys are published at https://auth.example.com/.well-known/jwks.json, "
    "the current kid is 0d3593ad699fc1f7c4e2.",
    "Which of their 12 API keys made request req_bzjcU9kCTGRBI1aaaa?",
    "the idempotency key is 8f14e45fceea467fa0e63c3f5e0b1a2d",
    "the key of the object is 8f14e45f-ceea-467f-a0e6-3c3f5e0b1a2d, the request id",
    "Cookie: csrftoken=8f14e45fceea467fa0e63c3f5e0b1a2d; django_language=en",
    "https://cdn.example.com/upload?key=uploads/2024/file.png",
    "cosign verify --key cosign.pub registry.example.com/api:1.2.3",
    "the security token included in the request is expired",
    "| name | primary key |\n| users | id |",
    "aws ssm put-parameter --name /shop/prod/region --value eu-central-1",
    # placeholders, references, code and field names
    "ERROR 1045 (28000): Access denied for user 'app'@'db' (using password: YES)",
    '`{"username": "test", "password": "test"}` and `API_KEY = "dummy"`',
    "Terraform: `password = var.db_password` and `sensitive = true` in variables.tf.",
    'fields = ("password", "email")',
    'getattr(settings, "password", "default")',
    "conn = connect(host, password=dbpass)",
    "zip -P $ZIP_PASSWORD out.zip",
    "sqlcmd -S sql01 -U sa -P $HOME/.sqlpw -Q 'SELECT 1'",
    "the file is encrypted with AES256gcm and protected by Cloudflare2",
    "the archive is encrypted with the KMS key alias/backup2024",
    "WIFI:T:WPA;S:Office;P:<password>;;",
    "helm upgrade db bitnami/postgresql --set auth.existingSecret=db-credentials",
    "db_password: ENC[AES256_GCM,data:Tr3x==,iv:Qk9x==,tag:Zm9v==,type:str]",
    'WS_KEY: Final[bytes] = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"',  # RFC 6455's GUID
    # sentences and paths
    "See the kernel source file Documentation/admin-guide/LSM/Smack.rst.",
    "src / lib\ndocs / api",
    "Use read / write access.",
    "the password we use is complicated",
    "with password authentication disabled",
    "the shared mailbox password reset link expired",
    "the Wi-Fi key is on the fridge",
]


@pytest.mark.parametrize(("before", "secret", "after", "entity"), POSITIVES)
def test_pasted_credential_is_found_with_its_exact_span(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, entity: str
) -> None:
    """The credential is reported once, under its type, spanning exactly its value."""
    text = before + secret + after
    found = spans(secrets_detector, text)
    assert found == [(entity, secret)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_pasted_lookalike_is_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """Ids, hashes, placeholders, code and sentences in the same places stay quiet."""
    assert secrets_detector.find(text) == []


def test_listed_logins_are_each_a_password(secrets_detector: SecretsDetector) -> None:
    """Every "user / password" line below a line about accounts is a password."""
    text = (
        "here are the test accounts, make a markdown table:\n"
        "wblazkova / nárůststojící\ntichyslavomir / Rus-zpět-71\ndvorakova / Winter2021!\n"
    )
    found = spans(secrets_detector, text)
    assert found == [(P, "nárůststojící"), (P, "Rus-zpět-71"), (P, "Winter2021!")]


def test_a_lone_slash_line_is_no_login(secrets_detector: SecretsDetector) -> None:
    """One "name / value" line, or lines under no word about logins, stay quiet."""
    assert secrets_detector.find("accounts:\nwblazkova / nárůststojící\n") == []
    assert secrets_detector.find("the tree:\nsrc / main\ntests / unit\n") == []
