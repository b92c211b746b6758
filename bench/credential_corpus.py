# ruff: noqa: E501 - the templates are data, kept one line per line of text where they fit
"""A third source of credentials in the places they really appear, and its score.

    .venv/bin/python bench/credential_corpus.py [--part a|b|both] [--repeat 4] [--mistakes N]

Written from knowledge of the tools (compose, Kubernetes, Helm, Terraform, Ansible, Spring,
Django, Rails, Laravel, npm, PyPI/pip, netrc, git, AWS, Azure, JDBC/ODBC/ADO.NET, SMTP,
curl/wget/HTTP headers and query strings, database and admin command lines, webhook, JWT,
OAuth and session secrets, chat and ticket prose in five languages) *before* reading the
secrets detectors, so that its phrasing is not theirs. About a third of the templates are
hard negatives of the same places: placeholders and templates (``${VAR}``, ``{{ ... }}``,
``<password>``, ``changeme``, ``****``), references to secret stores, UI strings, password
policies, hashes and ciphertext said to be such, public keys, documented example keys.

Labels: a value under a key or phrase that names a password (password, pass, pwd, -p,
PGPASSWORD, creds, Kennwort, mot de passe, contraseña, senha, a PIN) is ``PASSWORD``; one
under a key naming a secret, token or API key is ``GENERIC_SECRET``, unless it has a
provider's own shape (``AWS_ACCESS_KEY_ID``, ``GITHUB_TOKEN``, ``JWT``, ...), which is then its
kind. The base64 of ``user:password`` (``Authorization: Basic``, ``.npmrc`` ``_auth``) is a
``PASSWORD``: it holds one. User names, hosts, e-mails and person names are *neutral* (a finding on them is not
scored), since this corpus measures secrets.

Templates are split by their position in their family (even: part ``a``, for tuning; odd:
part ``b``, for checking only), so both parts cover every family with different phrasing.
Seeded: the same arguments give the same texts.
"""

from __future__ import annotations

import argparse
import base64
import random
import re
import string
import sys
import uuid
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script from anywhere

from eval_dataset import Builder, Sample
from evalset.compare import Ours
from evalset.scoring import Hit, mistakes, report, score

from detectors.checks import base62_encode
from detectors.entities import SECRET_ENTITY_TYPES
from detectors.settings import DetectorSettings

SEED = 5414
PARTS = ("a", "b")
PASSWORD = "PASSWORD"  # noqa: S105 - an entity type name
GENERIC_SECRET = "GENERIC_SECRET"  # noqa: S105 - an entity type name

Shape = Callable[[random.Random], str]

# --- values ------------------------------------------------------------------------------

_WORDS = (
    "autumn", "summer", "winter", "spring", "river", "sunny", "tiger", "lily", "falcon",
    "harbor", "maple", "rocket", "cobalt", "meadow", "orange", "pepper", "silver", "thunder",
    "violet", "walnut", "banjo", "copper", "dragon", "ember", "galaxy", "hazel", "island",
    "jasper", "kettle", "lemon", "marble", "nectar", "otter", "pirate", "quartz", "raven",
)  # fmt: skip
_FOREIGN = ("sommer", "schatz", "soleil", "fromage", "verano", "mariposa", "saudade",
            "gato", "hund", "bonjour", "sonne", "cerveza", "amizade")  # fmt: skip
_ALNUM = string.ascii_letters + string.digits
_HEX = "0123456789abcdef"


def _pick(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _word(rng: random.Random) -> str:
    return rng.choice(_WORDS + _FOREIGN)


def _human(rng: random.Random, symbols: str) -> str:
    """A password a person chose: words, years, digits, a symbol or two."""
    style = rng.randrange(9)
    sym = rng.choice(symbols)
    if style == 0:
        return f"{_word(rng).capitalize()}{rng.randint(2015, 2026)}{sym}"
    if style == 1:
        return f"{_word(rng)}-{_word(rng)}-{rng.randint(1, 99)}"
    if style == 2:
        return f"{_word(rng).capitalize()}{rng.randint(1, 999)}"
    if style == 3:
        leet = str.maketrans({"a": "@", "o": "0", "e": "3", "i": "1", "s": "$"})
        word = _word(rng).capitalize().translate(leet)
        return f"{word}{rng.randint(1, 99)}{sym}"
    if style == 4:
        return _pick(rng, _ALNUM + symbols, rng.randint(8, 14))
    if style == 5:
        return f"{_word(rng)}{rng.randint(100, 9999)}"
    if style == 6:
        return f"{_word(rng).capitalize()}.{_word(rng).capitalize()}.{rng.randint(1, 9)}"
    if style == 7:
        return f"{_word(rng).capitalize()}{sym}{_word(rng)}{rng.randint(10, 99)}"
    return f"{_word(rng)}{_word(rng).capitalize()}{sym}{rng.randint(1, 9)}"


def _b64(rng: random.Random, n: int, *, urlsafe: bool = False) -> str:
    raw = bytes(rng.randrange(256) for _ in range(n))
    if urlsafe:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return base64.b64encode(raw).decode()


def _jwt(rng: random.Random) -> str:
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    claims = (
        f'{{"sub":"{rng.randint(1000, 99999)}","iat":{rng.randint(1_600_000_000, 1_800_000_000)}}}'
    )
    payload = base64.urlsafe_b64encode(claims.encode()).decode().rstrip("=")
    return f"{header}.{payload}.{_b64(rng, 32, urlsafe=True)}"


def _github(rng: random.Random) -> str:
    """GitHub's 2021 format: prefix, 30 random characters, their CRC32 in base62."""
    body = _pick(rng, _ALNUM, 30)
    return rng.choice(("ghp_", "gho_")) + body + base62_encode(zlib.crc32(body.encode()), 6)


def _any(rng: random.Random) -> str:
    return rng.choice(_SHAPES_OF_ANY)(rng)


def _basic(rng: random.Random) -> str:
    user = rng.choice(("admin", "ci-bot", "deploy", "jenkins", "svc_report"))
    return base64.b64encode(f"{user}:{_human(rng, '!*-._')}".encode()).decode()


SHAPES: dict[str, Shape] = {
    "human": lambda r: _human(r, "!#%*-._?@$&+"),
    "safe": lambda r: _human(r, "!*-._"),  # fits unquoted in URLs, shells, key=value; strings
    "phrase": lambda r: " ".join(r.choice(_WORDS) for _ in range(r.randint(3, 5))),
    "pin": lambda r: _pick(r, string.digits, r.choice((4, 4, 5, 6))),
    "apppw": lambda r: " ".join(_pick(r, string.ascii_lowercase, 4) for _ in range(4)),
    "hex14": lambda r: _pick(r, _HEX, 14),
    "hex20": lambda r: _pick(r, _HEX, 20),
    "hex32": lambda r: _pick(r, _HEX, 32),
    "hex40": lambda r: _pick(r, _HEX, 40),
    "hex64": lambda r: _pick(r, _HEX, 64),
    "hex128": lambda r: _pick(r, _HEX, 128),
    "b64": lambda r: _b64(r, r.choice((24, 32, 48))),
    "b64_32": lambda r: _b64(r, 32),
    "b64url": lambda r: _b64(r, r.choice((24, 32, 40)), urlsafe=True),
    "uuid": lambda r: str(uuid.UUID(int=r.getrandbits(128), version=4)),
    "alnum": lambda r: _pick(r, _ALNUM, r.randint(24, 40)),
    "any": _any,
    "basic": _basic,
    "k8sb64": lambda r: base64.b64encode(_human(r, "!#%*-._?@$&+").encode()).decode(),
    "sas": lambda r: _b64(r, 32).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"),
    "azkey": lambda r: _b64(r, 64),
    "azsecret": lambda r: f"{_pick(r, _ALNUM, 3)}{r.randint(1, 9)}Q~{_pick(r, _ALNUM + '_.-', 34)}",
    "awssession": lambda r: "IQoJb3JpZ2luX2VjE" + _b64(r, 180),
    "npm": lambda r: "npm_" + _pick(r, _ALNUM, 36),
    "pypi": lambda r: "pypi-AgEIcHlwaS5vcmc" + _b64(r, 48, urlsafe=True),
    "django": lambda r: (
        "django-insecure-" * r.randrange(2)
        + _pick(r, string.ascii_lowercase + string.digits + "!@#%^&*(-_=+)", 50)
    ),
    "sendgrid": lambda r: f"SG.{_b64(r, 16, urlsafe=True)}.{_b64(r, 32, urlsafe=True)}",
    "whsec": lambda r: "whsec_" + _pick(r, _ALNUM, 32),
    "gocspx": lambda r: "GOCSPX-" + _pick(r, _ALNUM + "_-", 28),
    # provider kinds, labelled with their own entity type by ``«K:TYPE»``
    "AWS_ACCESS_KEY_ID": lambda r: "AKIA" + _pick(r, string.ascii_uppercase + "234567", 16),
    "AWS_SECRET_ACCESS_KEY": lambda r: _pick(r, _ALNUM + "/+", 40),
    "GITHUB_TOKEN": _github,
    "GITLAB_TOKEN": lambda r: "glpat-" + _pick(r, _ALNUM + "_-", 20),
    "SLACK_TOKEN": lambda r: (
        f"xoxb-{_pick(r, string.digits, 12)}-{_pick(r, string.digits, 13)}-" + _pick(r, _ALNUM, 24)
    ),
    "STRIPE_API_KEY": lambda r: "sk_live_" + _pick(r, _ALNUM, 24),
    "GOOGLE_API_KEY": lambda r: "AIza" + _pick(r, _ALNUM + "_-", 35),
    "OPENAI_API_KEY": lambda r: "sk-proj-" + _pick(r, _ALNUM + "_-", 48),
    "JWT": _jwt,
}
_SHAPES_OF_ANY = tuple(SHAPES[s] for s in ("human", "hex32", "b64", "uuid", "alnum", "b64url"))

# unlabelled fillers: ``«user»`` etc. are neutral (scored neither way), ``«~shape»`` is plain
_USERS = ("admin", "deploy", "svc_app", "jdoe", "m.keller", "ci-bot", "postgres", "appuser",
          "reporting", "backup", "ops", "grafana", "etl_loader", "web")  # fmt: skip
_HOSTS = ("db-prod-01.internal", "staging.acme.io", "10.20.3.17", "pg.eu-west-1.rds.local",
          "nas.home.lan", "build.corp.example.net", "mq01", "sql-fin.corp.local")  # fmt: skip
_DBS = ("orders", "billing", "analytics", "crm", "inventory", "payroll", "wiki", "ledger")
_NAMES = ("Priya", "Tom", "Lukas", "Chloé", "Marta", "Kenji", "Sam", "Olu")
_DOMAINS = ("acme.io", "example-corp.com", "contoso.net", "initech.dev")
FILLERS: dict[str, Callable[[random.Random], str]] = {
    "user": lambda r: r.choice(_USERS),
    "host": lambda r: r.choice(_HOSTS),
    "db": lambda r: r.choice(_DBS),
    "name": lambda r: r.choice(_NAMES),
    "domain": lambda r: r.choice(_DOMAINS),
    "email": lambda r: f"{r.choice(_USERS).replace('_', '.')}@{r.choice(_DOMAINS)}",
    "port": lambda r: str(r.choice((5432, 3306, 8080, 8443, 6379, 9000))),
}
_NEUTRAL = frozenset({"user", "host", "name", "email", "domain"})
_EXTRA_PLAIN: dict[str, Shape] = {
    "digits5": lambda r: _pick(r, string.digits, 5),
    "digits12": lambda r: _pick(r, string.digits, 12),
    "alnum5": lambda r: _pick(r, string.ascii_lowercase + string.digits, 5),
    "bcrypt": lambda r: "$2b$12$" + _pick(r, _ALNUM + "./", 53),
    "edpub": lambda r: "AAAAC3NzaC1lZDI1NTE5AAAAI" + _b64(r, 32).rstrip("="),
    "b64_64": lambda r: _b64(r, 64),
    "vault": lambda r: "\n          ".join(_pick(r, _HEX, 80) for _ in range(4)),
}

# --- templates ---------------------------------------------------------------------------
# «P:shape» PASSWORD, «S:shape» GENERIC_SECRET, «K:TYPE» a provider kind; «filler», «~shape».

FAMILIES: dict[str, tuple[str, ...]] = {
    "compose": (
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: «user»\n"
        "      POSTGRES_PASSWORD: «P:human»\n      POSTGRES_DB: «db»\n",
        "  redis:\n    image: bitnami/redis:7.2\n    environment:\n"
        "      - REDIS_PASSWORD=«P:safe»\n      - ALLOW_EMPTY_PASSWORD=no\n",
        '    environment:\n      MYSQL_ROOT_PASSWORD: "«P:human»"\n      MYSQL_DATABASE: «db»\n',
        "  grafana:\n    image: grafana/grafana:11.1.0\n    environment:\n"
        "      GF_SECURITY_ADMIN_PASSWORD: «P:safe»\n      GF_SERVER_ROOT_URL: https://«host»/\n",
        "  rabbitmq:\n    environment:\n      RABBITMQ_DEFAULT_USER: «user»\n"
        "      RABBITMQ_DEFAULT_PASS: «P:safe»\n",
        "  minio:\n    command: server /data\n    environment:\n      MINIO_ROOT_USER: «user»\n"
        "      MINIO_ROOT_PASSWORD: '«P:human»'\n",
        # negatives
        "    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}\n"
        "      POSTGRES_USER: ${POSTGRES_USER:-postgres}\n",
        "    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets:\n"
        "      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt\n",
        "    environment:\n      - MYSQL_ALLOW_EMPTY_PASSWORD=yes\n      - MYSQL_RANDOM_ROOT_PASSWORD=1\n",
        '    healthcheck:\n      test: ["CMD", "pg_isready", "-U", "«user»"]\n      interval: 10s\n'
        '    ports:\n      - "«port»:5432"\n',
    ),
    "kubernetes": (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: «db»-credentials\ntype: Opaque\n"
        "stringData:\n  username: «user»\n  password: «P:human»\n",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: «db»-db\ntype: Opaque\ndata:\n"
        "  password: «P:k8sb64»\n",
        '        env:\n          - name: DATABASE_PASSWORD\n            value: "«P:human»"\n'
        "          - name: LOG_LEVEL\n            value: info\n",
        "          - name: API_TOKEN\n            value: «S:alnum»\n",
        "kubectl create secret generic «db»-auth --from-literal=username=«user» "
        "--from-literal=password='«P:human»'",
        "users:\n- name: «user»\n  user:\n    token: «K:JWT»\n",
        "kubectl create secret docker-registry regcred --docker-server=«host» "
        "--docker-username=«user» --docker-password=«P:safe» --docker-email=«email»",
        # negatives
        "        env:\n          - name: DB_PASSWORD\n            valueFrom:\n"
        "              secretKeyRef:\n                name: db-credentials\n                key: password\n",
        "kubectl get secret «db»-credentials -o jsonpath='{.data.password}' | base64 -d",
        "  template:\n    metadata:\n      annotations:\n        checksum/secret: «~hex64»\n",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: «db»-credentials\ntype: Opaque\n"
        'stringData:\n  password: ""  # filled in by the external-secrets operator\n',
    ),
    "helm": (
        "postgresql:\n  auth:\n    username: «user»\n    password: «P:human»\n    database: «db»\n",
        'redis:\n  auth:\n    enabled: true\n    password: "«P:safe»"\n',
        "helm install «db» bitnami/mysql --set auth.rootPassword=«P:safe» --set auth.database=«db»",
        "helm upgrade --install grafana grafana/grafana --set adminPassword='«P:human»' -n monitoring",
        # negatives
        "  auth:\n    existingSecret: «db»-secret\n    secretKeys:\n"
        "      adminPasswordKey: postgres-password\n",
        "        - name: PGPASSWORD\n          value: {{ .Values.global.postgresql.auth.password | quote }}\n",
        '  password: ""  # set with --set auth.password=... or use existingSecret\n',
    ),
    "terraform": (
        'db_username = "«user»"\ndb_password = "«P:human»"\nregion      = "eu-west-1"\n',
        'provider "aws" {\n  region     = "us-east-1"\n  access_key = "«K:AWS_ACCESS_KEY_ID»"\n'
        '  secret_key = "«K:AWS_SECRET_ACCESS_KEY»"\n}\n',
        'resource "aws_db_instance" "main" {\n  engine              = "postgres"\n'
        '  username            = "«user»"\n  password            = "«P:human»"\n'
        "  skip_final_snapshot = true\n}\n",
        'provider "azurerm" {\n  features {}\n  client_id     = "«~uuid»"\n'
        '  client_secret = "«S:azsecret»"\n  tenant_id     = "«~uuid»"\n}\n',
        'provider "github" {\n  token = "«K:GITHUB_TOKEN»"\n  owner = "«user»"\n}\n',
        # negatives
        'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n',
        "  password = var.db_password\n  username = local.db_user\n",
        "  master_password = random_password.db.result\n",
        'resource "random_password" "db" {\n  length  = 24\n  special = true\n}\n',
    ),
    "ansible": (
        "# group_vars/all.yml\nmysql_root_password: «P:human»\nmysql_users:\n  - name: «user»\n"
        "    priv: '*.*:ALL'\n",
        "ansible_user: «user»\nansible_password: «P:human»\nansible_become_pass: «P:human»\n",
        'ansible-playbook site.yml -e "db_password=«P:safe»" -i inventory/prod',
        "[web]\n«host» ansible_user=«user» ansible_ssh_pass=«P:safe»\n",
        # negatives
        "db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          «~vault»\n",
        'mysql_root_password: "{{ vault_mysql_root_password }}"\n',
        "    password: \"{{ lookup('env', 'DB_PASSWORD') }}\"\n",
    ),
    "spring": (
        "spring.datasource.url=jdbc:postgresql://«host»:5432/«db»\n"
        "spring.datasource.username=«user»\nspring.datasource.password=«P:human»\n",
        "spring:\n  datasource:\n    url: jdbc:mysql://«host»:3306/«db»?useSSL=false\n"
        "    username: «user»\n    password: «P:human»\n",
        "spring.mail.host=smtp.gmail.com\nspring.mail.port=587\nspring.mail.username=«email»\n"
        "spring.mail.password=«P:apppw»\n",
        "jwt.secret=«S:b64»\njwt.expiration=86400000\n",
        "spring.security.oauth2.client.registration.github.client-id=«~hex20»\n"
        "spring.security.oauth2.client.registration.github.client-secret=«S:hex40»\n",
        # negatives
        "spring.datasource.password=${DB_PASSWORD}\nspring.datasource.username=${DB_USER:app}\n",
        "spring.datasource.password=\nspring.jpa.hibernate.ddl-auto=update\n",
        "spring:\n  datasource:\n    password: '{cipher}«~hex64»'\n",
    ),
    "django": (
        "SECRET_KEY = '«S:django»'\nDEBUG = False\nALLOWED_HOSTS = ['«host»']\n",
        "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n"
        "        'NAME': '«db»',\n        'USER': '«user»',\n        'PASSWORD': '«P:human»',\n"
        "        'HOST': '«host»',\n    }\n}\n",
        "EMAIL_HOST = 'smtp.sendgrid.net'\nEMAIL_HOST_USER = 'apikey'\n"
        "EMAIL_HOST_PASSWORD = '«P:sendgrid»'\n",
        # negatives
        "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n",
        "SECRET_KEY = get_random_secret_key()\n",
        "AUTH_PASSWORD_VALIDATORS = [\n    {'NAME': 'django.contrib.auth.password_validation."
        "MinimumLengthValidator', 'OPTIONS': {'min_length': 12}},\n]\n",
    ),
    "rails": (
        "production:\n  adapter: postgresql\n  database: «db»_production\n  username: «user»\n"
        "  password: «P:human»\n  host: «host»\n",
        "secret_key_base: «S:hex128»\naws:\n  access_key_id: «K:AWS_ACCESS_KEY_ID»\n"
        "  secret_access_key: «K:AWS_SECRET_ACCESS_KEY»\n",
        "config.action_mailer.smtp_settings = {\n  address: 'smtp.mailgun.org',\n"
        "  user_name: '«email»',\n  password: '«P:human»',\n  authentication: :plain\n}\n",
        # negatives
        'production:\n  <<: *default\n  password: <%= ENV.fetch("DATABASE_PASSWORD") %>\n',
        "  password: <%= Rails.application.credentials.dig(:db, :password) %>\n",
    ),
    "dotenv": (
        "APP_KEY=base64:«S:b64_32»\nAPP_DEBUG=false\nDB_CONNECTION=mysql\nDB_HOST=127.0.0.1\n"
        "DB_DATABASE=«db»\nDB_USERNAME=«user»\nDB_PASSWORD=«P:human»\n",
        "MAIL_MAILER=smtp\nMAIL_HOST=sandbox.smtp.mailtrap.io\nMAIL_USERNAME=«~hex14»\n"
        "MAIL_PASSWORD=«S:hex14»\n",
        "REDIS_HOST=«host»\nREDIS_PASSWORD=«P:safe»\nREDIS_PORT=6379\n",
        "OPENAI_API_KEY=«K:OPENAI_API_KEY»\nOPENAI_MODEL=gpt-4o-mini\n",
        "STRIPE_SECRET_KEY=«K:STRIPE_API_KEY»\nSTRIPE_WEBHOOK_SECRET=«S:whsec»\n",
        "NEXTAUTH_URL=https://«host»\nNEXTAUTH_SECRET=«S:b64_32»\n",
        # negatives
        "DB_PASSWORD=\nREDIS_PASSWORD=null\nMAIL_PASSWORD=null\n",
        "# .env.example - copy to .env and fill in\nDB_USERNAME=\nDB_PASSWORD=changeme\n",
        "DB_PASSWORD=xxxxxxxx\nAPI_KEY=xxxxxxxxxxxxxxxx\n",
        "SECRET_KEY=%(SECRET_KEY)s\nDATABASE_URL=%(DATABASE_URL)s\n",
    ),
    "registries": (
        "//registry.npmjs.org/:_authToken=«S:npm»\n",
        "@«db»:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken=«K:GITHUB_TOKEN»\n",
        "registry=https://«host»/repository/npm-group/\n_auth=«P:basic»\nalways-auth=true\n",
        "[pypi]\n  username = __token__\n  password = «S:pypi»\n",
        "[testpypi]\nrepository = https://test.pypi.org/legacy/\nusername = «user»\npassword = «P:human»\n",
        "[global]\nindex-url = https://«user»:«P:safe»@«host»/repository/pypi/simple\n",
        "pip install --extra-index-url https://__token__:«K:GITLAB_TOKEN»@gitlab.«domain»/api/v4/"
        "projects/42/packages/pypi/simple «db»-client",
        # negatives
        "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n",
        "[global]\nindex-url = https://pypi.org/simple\ntrusted-host = «host»\n",
        "twine upload -u __token__ -p $PYPI_TOKEN dist/*",
    ),
    "netrc_git": (
        "machine «host»\n  login «user»\n  password «P:safe»\n",
        "machine api.heroku.com login «email» password «S:uuid»\n",
        "https://«user»:«K:GITHUB_TOKEN»@github.com\n",
        "https://«user»:«P:safe»@bitbucket.org\n",
        "git clone https://oauth2:«K:GITLAB_TOKEN»@gitlab.com/«user»/«db».git",
        "git remote set-url origin https://«user»:«P:safe»@git.«domain»/«db».git",
        # negatives
        "git remote add origin git@github.com:«user»/«db».git",
        "git config --global credential.helper 'cache --timeout=3600'",
        "machine «host»\n  login «user»\n  password <your-password-here>\n",
    ),
    "aws": (
        "[default]\naws_access_key_id = «K:AWS_ACCESS_KEY_ID»\n"
        "aws_secret_access_key = «K:AWS_SECRET_ACCESS_KEY»\n",
        "export AWS_ACCESS_KEY_ID=«K:AWS_ACCESS_KEY_ID»\n"
        "export AWS_SECRET_ACCESS_KEY=«K:AWS_SECRET_ACCESS_KEY»\nexport AWS_SESSION_TOKEN=«S:awssession»\n",
        '{"Credentials": {"AccessKeyId": "«K:AWS_ACCESS_KEY_ID»", "SecretAccessKey": '
        '"«K:AWS_SECRET_ACCESS_KEY»", "Expiration": "2026-01-01T12:00:00Z"}}',
        # negatives
        "[profile «db»-deploy]\nregion = eu-central-1\nrole_arn = arn:aws:iam::«~digits12»:role/deploy\n"
        "source_profile = default\n",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    ),
    "azure": (
        "DefaultEndpointsProtocol=https;AccountName=«db»store;AccountKey=«S:azkey»;"
        "EndpointSuffix=core.windows.net",
        "https://«db»store.blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=co&sp=rl"
        "&se=2026-01-01T00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig=«S:sas»",
        "Endpoint=sb://«db»-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
        "SharedAccessKey=«S:b64_32»",
        "AZURE_CLIENT_ID=«~uuid»\nAZURE_CLIENT_SECRET=«S:azsecret»\nAZURE_TENANT_ID=«~uuid»\n",
        # negatives
        "DefaultEndpointsProtocol=https;AccountName=«db»store;AccountKey=<storage-account-key>;"
        "EndpointSuffix=core.windows.net",
        "AzureWebJobsStorage=UseDevelopmentStorage=true",
    ),
    "connection_strings": (
        "jdbc:sqlserver://«host»:1433;databaseName=«db»;user=«user»;password=«P:safe»;encrypt=true",
        "Server=tcp:«host»,1433;Initial Catalog=«db»;User ID=«user»;Password=«P:safe»;Encrypt=True;",
        "Driver={ODBC Driver 18 for SQL Server};Server=«host»;Database=«db»;Uid=«user»;Pwd=«P:safe»;",
        "jdbc:mysql://«host»:3306/«db»?user=«user»&password=«P:safe»&useSSL=true",
        "jdbc:oracle:thin:«user»/«P:safe»@//«host»:1521/ORCLPDB1",
        "Host=«host»;Port=5432;Database=«db»;Username=«user»;Password=«P:safe»",
        "mongodb+srv://«user»:«P:safe»@cluster0.«~alnum5».mongodb.net/«db»?retryWrites=true&w=majority",
        "DATABASE_URL=postgresql+psycopg2://«user»:«P:safe»@«host»:5432/«db»",
        "CELERY_BROKER_URL=redis://:«P:safe»@«host»:6379/0",
        "amqps://«user»:«P:safe»@«host»/prod",
        # negatives
        "Server=«host»;Database=«db»;Trusted_Connection=True;",
        "Server=«host»;Database=«db»;User Id=«user»;Password={0};",
        "postgresql://«user»@«host»:5432/«db»?sslmode=require",
        "jdbc:postgresql://«host»:5432/«db»?user=«user»&password=${DB_PASS}",
        "mongodb://«user»:<password>@«host»:27017/?authSource=admin",
    ),
    "smtp": (
        "SMTP_HOST=smtp.office365.com\nSMTP_PORT=587\nSMTP_USER=«email»\nSMTP_PASS=«P:human»\n",
        'server = smtplib.SMTP_SSL("smtp.«domain»", 465)\nserver.login("«email»", "«P:human»")',
        "const transporter = nodemailer.createTransport({ host: 'smtp.«domain»', port: 465, "
        "auth: { user: '«email»', pass: '«P:human»' } });",
        "global:\n  smtp_smarthost: 'smtp.gmail.com:587'\n  smtp_auth_username: '«email»'\n"
        "  smtp_auth_password: '«P:apppw»'\n",
        # negatives
        'server.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])',
        "  smtp_auth_password_file: /etc/alertmanager/smtp_password\n",
    ),
    "http": (
        "curl -u «user»:«P:safe» https://«host»/api/v2/status",
        'curl -H "Authorization: Bearer «S:b64url»" https://«host»/v1/items',
        "curl -H 'Authorization: Basic «P:basic»' https://«host»/rest/api/2/issue/ABC-12",
        'curl -H "X-API-Key: «S:hex32»" https://api.«domain»/v3/report',
        "GET /v1/export?format=csv&access_token=«S:alnum» HTTP/1.1\nHost: «host»\n",
        "https://api.openweathermap.org/data/2.5/weather?q=Berlin&units=metric&appid=«S:hex32»",
        "wget --user=«user» --password='«P:human»' https://«host»/builds/latest.tar.gz",
        "http --auth «user»:«P:safe» GET https://«host»/api/health",
        "Authorization: Bearer «K:JWT»",
        'r = requests.get(url, headers={"Authorization": "token «K:GITHUB_TOKEN»"})',
        "curl -X POST https://«host»/hooks -H 'X-Auth-Token: «S:uuid»' -d @payload.json",
        'resp = requests.get("https://«host»/search", params={"q": term, "api_key": "«S:hex32»"})',
        # negatives
        'curl -H "Authorization: Bearer $TOKEN" https://«host»/v1/items',
        'curl -u "$API_USER:$API_PASSWORD" https://«host»/api',
        "curl -H 'Authorization: Bearer <your-token>' https://api.«domain»/v1/me",
        "curl -sSL https://«host»/install.sh | sh -s -- --version 1.4.2",
        "If the server answers 401 Unauthorized, check that the Authorization header uses "
        "the Bearer scheme.",
        'curl -H "X-Request-ID: «~uuid»" https://«host»/healthz',
    ),
    "commands": (
        "sshpass -p '«P:human»' ssh «user»@«host»",
        "htpasswd -b -c /etc/nginx/.htpasswd «user» «P:safe»",
        "redis-cli -h «host» -p 6379 -a «P:safe» ping",
        "mysqladmin -u root -p«P:safe» status",
        "mysql -h «host» -u «user» --password=«P:safe» «db» < dump.sql",
        "PGPASSWORD=«P:safe» psql -h «host» -U «user» -d «db» -c 'select 1'",
        "docker login -u «user» -p «P:safe» «host»",
        "echo '«P:human»' | sudo -S systemctl restart nginx",
        "net use Z: \\\\«host»\\share /user:CORP\\«user» «P:safe»",
        "mongosh \"mongodb://«host»:27017\" -u «user» -p '«P:human»' --authenticationDatabase admin",
        "openssl pkcs12 -export -in cert.pem -inkey key.pem -out bundle.p12 -passout pass:«P:safe»",
        "vault login -method=userpass username=«user» password=«P:safe»",
        "rabbitmqctl add_user «user» «P:safe»",
        "ALTER USER «user» WITH PASSWORD '«P:human»';",
        "CREATE USER '«user»'@'%' IDENTIFIED BY '«P:human»';",
        'sqlcmd -S «host» -U sa -P «P:safe» -Q "SELECT @@VERSION"',
        # negatives
        "mysql -u root -p «db» < schema.sql",
        "docker run -d -p «port»:80 --name web nginx:1.25",
        "echo $REGISTRY_PASSWORD | docker login -u «user» --password-stdin «host»",
        "redis-cli -h «host» -p 6379 --askpass",
        "htpasswd -c /etc/nginx/.htpasswd «user»",
        "ssh -i ~/.ssh/id_ed25519 -p 2222 «user»@«host»",
        "psql -h «host» -U «user» -W «db»",
        "# .htpasswd (bcrypt hashes, not the passwords)\n«user»:«~bcrypt»\n",
    ),
    "app_secrets": (
        "GITHUB_WEBHOOK_SECRET=«S:hex40»",
        "JWT_SECRET=«S:any»",
        "const token = jwt.sign(payload, '«S:alnum»', { expiresIn: '1h' });",
        "app.config['JWT_SECRET_KEY'] = '«S:hex32»'",
        '{"web":{"client_id":"«~digits12»-«~alnum5».apps.googleusercontent.com","project_id":'
        '"«db»-prod","auth_uri":"https://accounts.google.com/o/oauth2/auth","client_secret":'
        '"«S:gocspx»","redirect_uris":["https://«host»/callback"]}}',
        "app.use(session({ secret: '«S:any»', resave: false, saveUninitialized: false }));",
        "app.secret_key = b'«S:hex32»'",
        'app.secret_key = "«S:any»"',
        "OAUTH_CLIENT_SECRET: «S:alnum»",
        "SLACK_SIGNING_SECRET=«S:hex32»\nSLACK_BOT_TOKEN=«K:SLACK_TOKEN»\n",
        'stripe.api_key = "«K:STRIPE_API_KEY»"',
        'const firebaseConfig = { apiKey: "«K:GOOGLE_API_KEY»", authDomain: "«db».firebaseapp.com" };',
        'client = OpenAI(api_key="«K:OPENAI_API_KEY»")',
        "webhook:\n  secret: «S:b64url»\n  url: https://«host»/hooks/deploy\n",
        # negatives
        "app.secret_key = os.urandom(24)",
        "JWT_SECRET=${JWT_SECRET:?JWT_SECRET must be set}",
        "app.use(session({ secret: process.env.SESSION_SECRET, resave: false }));",
        '  "client_secret": "YOUR_CLIENT_SECRET",',
        "const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { algorithm: 'HS256' });",
        "The webhook signature is an HMAC-SHA256 of the body; compare it with "
        "hmac.compare_digest, never with ==.",
        'api_key: "<YOUR_API_KEY>"',
        'password: "$(cat /run/secrets/db_password)"',
    ),
    "chat": (
        "the staging admin creds are «user» / «P:human»",
        "pw for the router is «P:human»",
        "hey, can you log into the NAS? user is admin, password «P:human»",
        'the guest wifi is «db»-guest, password is "«P:phrase»"',
        "I reset your account, temporary password is «P:human» - please change it after first login.",
        "Door code for the server room is «P:pin»",
        "my PIN is «P:pin», can you check why the card is blocked?",
        "root:«P:human» on «host», don't share",
        "api key for the staging env: «S:alnum»",
        "here's the token «S:b64url» it expires friday",
        "login: «user»\npass: «P:human»",
        "use «P:human» as the password for the jenkins admin",
        "Support ticket #«~digits5»\nCustomer reports they cannot log in. Username: «user». "
        "They gave us their password («P:human») so we could reproduce.",
        "[10:42] «name»: db creds for prod?\n[10:43] «name»: «user» / «P:human»\n",
        "the vpn shared secret is «S:alnum»",
        "«name», the new password for the shared mailbox is «P:human», I'll rotate it next week",
        "Das Passwort für den Router ist «P:human»",
        "Zugangsdaten für das Staging: Benutzer «user», Kennwort «P:human»",
        "PIN für die Alarmanlage: «P:pin»",
        "le mot de passe du wifi est «P:human»",
        "Identifiant : «user» / Mot de passe : «P:human»",
        "la contraseña del servidor es «P:human»",
        "usuario: «user» clave: «P:human»",
        "a senha do banco é «P:human»",
        "Segue o acesso: login «user», senha «P:human»",
        "Hallo «name», das neue Passwort lautet «P:human» (bitte nach dem Login ändern).",
        # negatives
        "Enter your password to continue",
        "Forgot your password? Click here to reset it.",
        "Passwords must be at least 12 characters and contain a number and a symbol.",
        "I forgot my password again, can you send me a reset link?",
        "Never paste your password into chat; use the password manager's share feature instead.",
        "The password is stored in 1Password under 'Staging DB'.",
        "Passwort vergessen? Hier zurücksetzen.",
        "Mot de passe oublié ? Cliquez ici.",
        "Introduce tu contraseña para continuar.",
        "Digite sua senha para acessar o sistema.",
        "password: ********",
        "The token expired, generate a new one in Settings > Developer settings > Personal "
        "access tokens.",
        "The SHA-256 checksum of the release tarball is «~hex64».",
        "Fixed in commit «~hex40», see the PR for details.",
        "Pulled image registry.«domain»/api@sha256:«~hex64»",
        "Add this public key to authorized_keys: ssh-ed25519 «~edpub» «user»@«host»",
        "Request id «~uuid» failed with 502 after 30 s.",
        "# tests/fixtures/users.yml (example data)\nalice:\n  password: example-password\n",
        "The password hash (bcrypt) in the users table is «~bcrypt»",
        "Set PGPASSWORD in your environment instead of passing -W every time.",
        '<input type="password" name="password" placeholder="Password" autocomplete='
        '"current-password" required>',
        "token_type: Bearer\nexpires_in: 3600\nscope: read write\n",
        "-----BEGIN PUBLIC KEY-----\n«~b64_64»\n-----END PUBLIC KEY-----",
        "The API key goes in the X-API-Key header; ask the platform team for one.",
        "password=changeme\n# TODO: set a real password before deploying",
    ),
}

_SLOT = re.compile(r"«([^»]+)»")


def render(template: str, rng: random.Random, group: str) -> Sample:
    """One text of ``template`` with fresh values, its labels and neutral spans."""
    out = Builder()
    at = 0
    for slot in _SLOT.finditer(template):
        out.text(template[at : slot.start()])
        at = slot.end()
        name = slot.group(1)
        if name[:2] in ("P:", "S:", "K:"):
            shape = name[2:]
            kind = {"P:": PASSWORD, "S:": GENERIC_SECRET}.get(name[:2], shape)
            out.entity(kind, SHAPES[shape](rng))
        elif name.startswith("~"):
            plain = {**SHAPES, **_EXTRA_PLAIN}[name[1:]]
            out.text(plain(rng))
        elif name in _NEUTRAL:
            out.neutral(FILLERS[name](rng))
        else:
            out.text(FILLERS[name](rng))
    out.text(template[at:])
    return out.build(group)


def templates(part: str) -> list[tuple[str, str]]:
    """(family, template) of ``part``: every other template of each family."""
    index = PARTS.index(part)
    return [(family, t) for family, ts in FAMILIES.items() for t in ts[index::2]]


def generate(part: str, repeat: int = 4) -> list[Sample]:
    """Each template of ``part`` filled ``repeat`` times; groups ``<part>:<family>`` or
    ``negative:<part>:<family>``; deterministic for a part and ``repeat``."""
    rng = random.Random(f"{SEED}:{part}")
    samples: list[Sample] = []
    for family, template in templates(part):
        negative = not any(s.group(1)[:2] in ("P:", "S:", "K:") for s in _SLOT.finditer(template))
        group = f"{'negative:' if negative else ''}{part}:{family}"
        samples.extend(render(template, rng, group) for _ in range(repeat))
    return samples


# --- scoring -----------------------------------------------------------------------------


def _secret_negatives(samples: Sequence[Sample], hits: Sequence[Sequence[Hit]]) -> str:
    negatives = [(s, h) for s, h in zip(samples, hits, strict=True) if s.hard_negative]
    flagged = sum(
        1 for _, found in negatives if any(x.entity_type in SECRET_ENTITY_TYPES for x in found)
    )
    return f"{flagged}/{len(negatives)} = {flagged / max(len(negatives), 1):.1%}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=(*PARTS, "both"), default="both")
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--min-score", type=float, default=0.4)
    parser.add_argument("--mistakes", type=int, default=0, help="print up to N per kind (part a)")
    args = parser.parse_args(argv)

    ours = Ours(DetectorSettings())
    for part in PARTS if args.part == "both" else (args.part,):
        samples = generate(part, args.repeat)
        hits = [[h for h in found if h.score >= args.min_score]
                for found in ours.scan([s.text for s in samples])]  # fmt: skip
        labelled = sum(1 for s in samples if s.spans)
        print(f"\n== credential corpus part {part}: {len(samples)} texts ({labelled} with labels, "
              f"{len(samples) - labelled} hard negatives, {len(templates(part))} templates)")  # fmt: skip
        report(score(samples, hits, SECRET_ENTITY_TYPES), None, SECRET_ENTITY_TYPES)
        print("hard negatives with a secret finding:", _secret_negatives(samples, hits))
        if args.mistakes and part == "a":
            shown: dict[tuple[str, str], int] = {}
            for entity, kind, group, value in sorted(mistakes(samples, hits)):
                key = (entity, kind)
                if entity in SECRET_ENTITY_TYPES and shown.get(key, 0) < args.mistakes:
                    shown[key] = shown.get(key, 0) + 1
                    print(f"  {kind:<15}{entity:<22}{group:<28}{value!r}")


if __name__ == "__main__":
    main()
