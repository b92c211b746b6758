"""Credentials found by structure: URL userinfo, connection strings, config and env entries.

Each parser has a table of positives with exact spans, and hard negatives (placeholders,
templates, prose, code) that must stay quiet. The URL's ``user:password@host`` is never an
e-mail address once the detectors are chained.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.password_tables import open_table
from detectors.pii import PresidioDetector
from detectors.registry import scan_all
from detectors.secrets import SecretsDetector

# (text before, secret, text after, entity type): the finding must span exactly the secret.
URL_USERINFO = [
    ("postgres://app:", "Autumn2024!", "@db.internal:5432/orders", E.PASSWORD),
    ("postgresql+psycopg2://scott:", "tiger-99", "@localhost/test", E.PASSWORD),
    ("mysql+pymysql://root:", "sunny-river-12", "@127.0.0.1:3306/shop", E.PASSWORD),
    ("mongodb+srv://admin:", "Winter2025", "@cluster0.ab1cd.mongodb.net/?w=1", E.PASSWORD),
    ("mongodb://u:", "p@ss:word1", "@mongo1:27017,mongo2:27017/db", E.PASSWORD),
    ("REDIS_URL=rediss://default:", "Xk9pLm2q", "@redis.example.io:6380", E.PASSWORD),
    ("amqp://guest:", "hunter22", "@rabbit:5672/vhost", E.PASSWORD),
    ("git remote add origin https://alice:", "tok3n-abc", "@github.com/acme/app.git", E.PASSWORD),
    ("ftp://ftpuser:", "Summer2023", "@ftp.example.org/pub", E.PASSWORD),
    ("amqp://app:", "C#8DZdMq", "@rabbit:5672/vhost", E.PASSWORD),
]

CONNECTION_STRINGS = [
    ("Server=tcp:sql.example.net,1433;User ID=sa;Password=", "Autumn2024!", ";Encrypt=True;"),
    ("Driver={ODBC Driver 18};Server=db;Uid=app;Pwd=", "sunny-river-12", ";"),
    ("jdbc:postgresql://db:5432/app?user=app&password=", "Winter2025#", "&ssl=true"),
    ("jdbc:sqlserver://db;user=sa;password=", "Pa55word!", ";"),
    ('"ConnectionStrings": {"Main": "Host=db;Username=app;Password=', "bluebird", ';"}'),
]

CONFIG_ENTRIES = [
    ("DB_PASSWORD=", "Autumn2024!", "\n", E.PASSWORD),
    ("SMTP_PASSWORD=", "sunshine", "\n", E.PASSWORD),
    ('DB_PASSWORD: "', "sunny-river-12", '"', E.PASSWORD),
    ("database:\n  password: ", "bluebird", "\n  user: app", E.PASSWORD),
    ('{"db": {"password": "', "sunny", '"}}', E.PASSWORD),
    ('[database]\npassword = "', "tiger", '"\n', E.PASSWORD),
    ("[db]\npasswd = ", "blue-moon-7", "\n", E.PASSWORD),
    ("client_secret: ", "correcthorse", "\n", E.GENERIC_SECRET),
    ("REDIS_SECRET=", "purplerain", "\n", E.GENERIC_SECRET),
    ("API_TOKEN=", "bluebird-42x", "\n", E.GENERIC_SECRET),
    ('"api_key": "', "letmeinplease", '"', E.GENERIC_SECRET),
    ('env:\n  - name: DB_PASSWORD\n    value: "', "sunny-river-12", '"\n', E.PASSWORD),
    ("env:\n- name: POSTGRES_PASSWORD\n  value: ", "Autumn2024", "\n", E.PASSWORD),
    ("  - name: 'GITHUB_TOKEN'\n    value: '", "hunter2hunter", "'\n", E.GENERIC_SECRET),
    ("  - name: CLIENT_SECRET\n    value: ", "bluebird", "\n", E.GENERIC_SECRET),
    ('  - name: "DB_PASSWORD"\n    value: ', "sunny", "\n", E.PASSWORD),
    ("DB_PASSWORD=", "$9JaMgOB&", "\n", E.PASSWORD),
    ("database:\n  password: ", "@hfXO5$wU9Eus", "\n  pool: 5", E.PASSWORD),
    ("SMTP_PASS=", "(x$Y2r)ZK2NSR", "", E.PASSWORD),
    ("Server=db;Uid=app;Password=", "%7QJ^(#q", ";", E.PASSWORD),
]

COMMAND_LINES_AND_PROSE = [
    ("mysql -u root -p'", "Autumn2024!", "' -h db", E.PASSWORD),
    ("mysqldump -u app -p", "sunny-river-12", " orders > dump.sql", E.PASSWORD),
    ("redis-cli -h cache -a ", "Autumn2024!", " ping", E.PASSWORD),
    ("curl -u admin:", "Autumn2024!", " https://jenkins.internal/api/json", E.PASSWORD),
    ("my password is ", "Autumn2024!", " and it doesn't work", E.PASSWORD),
    (
        "spring.datasource.url=jdbc:mysql://db/app\nspring.datasource.password=",
        "bluebird",
        "\n",
        E.PASSWORD,
    ),
    ("[client]\nuser=root\npassword=", "tigerlily", "\n", E.PASSWORD),
    ("redis-cli -h cache -a '", "Autumn2017#", "' ping", E.PASSWORD),
    ("curl -u app:'", "hE&QibJE#5S", "' https://api", E.PASSWORD),
    ("export POSTGRES_PASSWORD=", "%613rzEjM05", "\n", E.PASSWORD),
    ("but my password is ", "styleDemocrat", " and it worked", E.PASSWORD),
    ("but my password is ", "S+l2BNCy(", " and it worked", E.PASSWORD),
]

POSITIVES = (
    URL_USERINFO
    + [(b, s, a, E.PASSWORD) for b, s, a in CONNECTION_STRINGS]
    + CONFIG_ENTRIES
    + COMMAND_LINES_AND_PROSE
)
KINDS = ["url"] * len(URL_USERINFO) + ["connection"] * len(CONNECTION_STRINGS)
KINDS += ["config"] * len(CONFIG_ENTRIES) + ["cli-prose"] * len(COMMAND_LINES_AND_PROSE)


@pytest.mark.parametrize(
    ("before", "secret", "after", "entity_type"),
    POSITIVES,
    ids=[f"{kind}-{i}" for i, kind in enumerate(KINDS)],
)
def test_credential_found_with_exact_span(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, entity_type: str
) -> None:
    """The credential in a URL, connection string or config entry is reported with its span."""
    text = before + secret + after
    findings = secrets_detector.find(text)
    assert [(f.entity_type, f.start, f.end) for f in findings] == [
        (entity_type, len(before), len(before) + len(secret))
    ]


HARD_NEGATIVES = [
    # placeholders and templates
    "postgres://user:${DB_PASSWORD}@db:5432/app",
    "mysql://root:password@localhost/db",
    "postgres://USER:PASSWORD@HOST:PORT/DB",
    "postgres://app:<password>@db/orders and redis://:****@cache:6379",
    "mongodb://admin:{0}@mongo:27017",
    "amqp://guest:$(cat /run/secrets/amqp)@rabbit",
    "Server=db;User ID=sa;Password={0};",
    "Server=db;User ID=sa;Password=<your-password>;",
    "jdbc:mysql://db/app?user=app&password=?",
    "password: changeme",
    "password: ${DB_PASSWORD}",
    'password: "{{ .Values.db.password }}"',
    "password: {{ .Values.db.password }}",
    "password = <password>",
    "DB_PASSWORD=\nAPI_TOKEN=xxx\nSECRET=...",
    "DB_PASSWORD=your-password-here",
    "password: null\nsecret: false\ntoken: true",
    "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db, key: pw}",
    'env:\n  - name: DB_PASSWORD\n    value: "$(DB_PASSWORD)"',
    "env:\n  - name: LOG_LEVEL\n    value: debug",
    # prose and code
    "Set the password in the config file and restart the service.",
    "Password: see the vault entry for the staging database.",
    "The token expires after one hour; refresh it before calling the API.",
    "secret: the rotation job runs nightly",
    "user.password = hashed_password",
    "password = get_password()",
    "client_secret = settings.client_secret",
    "DB_PASSWORD=settings.db_password\nAPI_TOKEN=vault.read(path)\n",
    "password: get_password()",
    '{"get_token": get_custom_token, "password": read_password}',
    "masked as `<AWS_SECRET_ACCESS_KEY:3f9a1c2b04de>`, the first 12 hex digits",
    "def prompt(console, password: bool, credentials: _ProviderT, stream: IO) -> str:",
    "class Params(TypedDict):\n    client_secret: Required[str]\n",
    "S3FileSystem(access_key='test_dataset_limited_user', region='us-east-1')",
    "styles = {\n    Token:                      FG_DEFAULT,\n}",
    "env:\n  - name: DB_PASSWORD\n    value: <password>\n",
    "https://alice@github.com/acme/app.git and git@github.com:acme/app.git",
    "if user is None and password is None:\n    return",
    "The password is wrong! The password was incorrect. Password is required.",
    "mysql -u root -p -h db orders and mysql -P 3306 --password",
    'curl -u "$USER:$TOKEN" https://api.example.com and curl -u admin:<password> host',
    "password = secret_value\nuser.password=hashed_password",
    "Password is get_password() and the password is iPhone; DSN uses %(password)s and %s",
    "see https://example.com/docs/connection-strings?db=postgres for the syntax",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_placeholder_template_or_prose_is_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Placeholders, templates, prose and code produce no secret finding."""
    assert secrets_detector.find(text) == []


URL_AS_EMAIL = [
    "git remote add origin https://alice:tok3n-abc@github.com/acme/app.git",
    "mongodb+srv://admin:sunny-river-12@cluster0.ab1cd.mongodb.net/?retryWrites=true",
    "ftp://ftpuser:Summer2023@ftp.example.org/pub",
    "clone https://deploy-bot@gitlab.example.com/team/app.git first",
    "or use the ssh remote git@github.com:acme/app.git instead",
]


@pytest.mark.parametrize("text", URL_AS_EMAIL)
def test_url_userinfo_is_never_an_email(
    pii: PresidioDetector, secrets_detector: SecretsDetector, text: str
) -> None:
    """The ``user:password@host`` of a URL is a credential (or nothing), never an e-mail."""
    [findings] = scan_all([pii, secrets_detector], [text])
    assert E.EMAIL_ADDRESS not in {f.entity_type for f in findings}


def test_presidio_alone_reports_the_userinfo_as_an_email(pii: PresidioDetector) -> None:
    """Without the chain's filter Presidio calls ``token@host`` an e-mail (why it exists)."""
    [findings] = pii.scan(["https://alice:Summer2023@ftp.example.org/pub"])
    assert E.EMAIL_ADDRESS in {f.entity_type for f in findings}


@pytest.mark.parametrize(
    "text",
    [
        "Mail john.doe@example.com about the outage.",
        "https://example.com/contact?to=john.doe@example.com",
        "mailto:jane.roe@example.org",
    ],
)
def test_real_email_next_to_urls_is_kept(
    pii: PresidioDetector, secrets_detector: SecretsDetector, text: str
) -> None:
    """An address in prose, in a URL's query or in a mailto: link is still an e-mail."""
    [findings] = scan_all([pii, secrets_detector], [text])
    assert E.EMAIL_ADDRESS in {f.entity_type for f in findings}


# --- Tables, Windows and SQL commands, XML, and keys in other languages -----------------

TABLES = [  # (text before, secret, text after): the cell's span, without quotes or backticks
    (" login   | pass\n---------+---------\n svc_etl | ", "Qx8!vLm2", "\n(1 row)\n"),
    ("email,db_password,role\nana@example.org,", "bluebird7", ",admin\n"),
    ('user,password\n"ops","', "Lanterne Prune", '"\n'),
    ("host\tuser\tpwd\ndb01\troot\t", "Tr0ub4dor&3", "\n"),
    ("| Field | Value |\n|---|---|\n| host | db01 |\n| Password | ", "Kx9#mPq2", " |\n"),
    ("| user | password | notes |\n|:-|:-:|--|\n| admin | `", "Zk3!Lm9q", "` | rotate |\n"),
]
COMMANDS_AND_MARKUP = [
    ('$pw = ConvertTo-SecureString "', "Qx8!vLm2", '" -AsPlainText -Force'),
    ("ConvertTo-SecureString -String '", "Winter2022", "' -AsPlainText -Force | Set-Thing"),
    ("net user svc_backup ", "Hx7!pQ2w", " /add /domain"),
    ("CREATE USER 'etl'@'%' IDENTIFIED BY '", "Granit3-Owl", "';"),
    ("ALTER USER reporting IDENTIFIED WITH mysql_native_password BY '", "Pa55word!", "';"),
    ("SET PASSWORD FOR 'etl'@'%' = PASSWORD('", "Winter2022", "');"),
    ("<datasource>\n  <password>", "Zomer#2024", "</password>\n</datasource>"),
    ('<add key="SmtpPassword" value="', "mailpw-9921", '" />'),
    ("az login -u ops@contoso.example -p ", "Hx7!pQ2w", " --allow-no-subscriptions"),
    ("wpa_passphrase CafeGuest ", "Blumenkohl77", " > /etc/wpa.conf"),
    ('network={\n  ssid="CafeGuest"\n  psk="', "Blumenkohl77", '"\n}'),
    ("curl -d 'username=bob&password=", "Hx7!pQ2w", "&grant_type=password' https://idp"),
]
OTHER_LANGUAGES = [
    ("Passwort: ", "Sonne2024!", "\n"),
    ("db.wachtwoord=", "Zomer#2024", "\n"),
    ("contraseña: ", "Verano2024!", "\n"),
    ("mot de passe : ", "Soleil2024!", "\n"),
]
STRUCTURED_BEYOND = TABLES + COMMANDS_AND_MARKUP + OTHER_LANGUAGES


@pytest.mark.parametrize(("before", "secret", "after"), STRUCTURED_BEYOND)
def test_password_in_table_command_markup_or_other_language_found_exactly(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """A password in a table's password column, a Windows or SQL command, XML, or under a
    key that says "password" in another language is one finding with its exact span."""
    findings = secrets_detector.find(before + secret + after)
    assert [(f.entity_type, f.start, f.end) for f in findings] == [
        (E.PASSWORD, len(before), len(before) + len(secret))
    ]


def test_every_row_of_a_password_column_is_found(secrets_detector: SecretsDetector) -> None:
    """Each row's cell in the password column is a finding; the table ends at a row of
    another width."""
    text = "user,password\nana,Hx7!pQ2w\nbob,Kx9#mPq2\n\nsee also,this,note\n"
    assert [text[f.start : f.end] for f in secrets_detector.find(text)] == [
        "Hx7!pQ2w",
        "Kx9#mPq2",
    ]


QUIET_STRUCTURES = [
    "| Option | Description |\n|---|---|\n| password | the user's password |",
    "| Setting | Default |\n|---|---|\n| password | (none) |\n| pin | required |",
    "user,password\nana,<password>\nbob,${BOB_PASSWORD}\n",
    "def login(user, password):\n    return user, password\n",
    "net user svc_backup * /add",
    "Each row is identified by its id; CREATE USER etl IDENTIFIED BY $ETL_PW;",
    "@property\ndef password(self) -> str | None:\n    return self._password",
    "<password>${DB_PASSWORD}</password> and <password></password>",
    "$secure = ConvertTo-SecureString $plain -AsPlainText -Force",
    "Passwort: ${PASSWORT}\nwachtwoord: <wachtwoord>",
]


@pytest.mark.parametrize("text", QUIET_STRUCTURES)
def test_tables_commands_and_markup_without_a_password_are_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Documentation tables, placeholders, variables and code in these structures give no
    finding."""
    assert secrets_detector.find(text) == []


def test_open_table_points_at_the_header_of_a_table_the_text_ends_in() -> None:
    """While the end of a text is still a row of a password table (or the start of the next
    one), open_table gives where its header starts; once the table has ended, None."""
    rows = "".join(f"| user{i:02d} | Xk9#mQ{i:02d}!vL |\n" for i in range(12))
    text = "intro\n| user | password |\n|---|---|\n" + rows
    header = text.index("| user |")
    assert open_table(text) == header
    assert open_table(text + "| zed | Zq8") == header
    assert open_table(text + "\nthat was all") is None
    assert open_table("the password is not in a table") is None
