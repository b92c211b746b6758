"""Credentials in the places of ``bench/credential_corpus.py`` that the rules missed.

Dotted word passwords ("Mariposa.raven77"), keys that hold a key (``AccountKey=``,
``SharedAccessKey=``, ``APP_KEY=base64:``), app passwords of four letter groups, ``.npmrc``
``_auth``, Oracle ``user/password@``, ``net use``, signing keys given to ``jwt.sign`` and
``hmac.new``, "the API key for X: ...", keys named by what they are for (``HMAC_KEY``,
``Ocp-Apim-Subscription-Key``, "API key = ...", ``--api-key``, ``Api-Key`` headers), Vault
tokens with a dot, ``plink -pw``, ``psexec -p``, ``chpasswd``, ``requirepass``,
``auth=("user", "X")``, passwords and PINs written in German, French,
Spanish and Portuguese, door and alarm codes. Each table has exact spans; the negatives
are the same places with code, placeholders, tags and sentences.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secret_values import is_dotted_words, is_expression
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

# (text before, secret, text after, entity type): the finding must span exactly the secret.
POSITIVES = [
    # words joined by dots that end in a number
    ("      RABBITMQ_DEFAULT_PASS: ", "Mariposa.raven77", "\n", E.PASSWORD),
    ('ansible-playbook site.yml -e "db_password=', "Falcon.summer18", '" -i prod', E.PASSWORD),
    ("rabbitmqctl add_user ci-bot ", "Saudade.falcon42", "", E.PASSWORD),
    ("They gave us their password (", "Lemon.Schatz.9", ") to reproduce.", E.PASSWORD),
    # keys that hold a key
    (
        "DefaultEndpointsProtocol=https;AccountName=wiki;AccountKey=",
        "Fzc6jca3QpUmMrhsCuek1PVFkMgrGFBasdEnUBz0E7jrZHJQI3lNTHcojNGYrf05hDaLrz1P9X3FjgHzeTJkQg==",
        ";EndpointSuffix=core.windows.net",
        E.GENERIC_SECRET,
    ),
    (
        "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=",
        "QpFt6Sz/ryPOsILomHkwy9Us9EdWN7Pt5clsrZiEvzQ=",
        "",
        E.GENERIC_SECRET,
    ),
    (
        "APP_KEY=base64:",
        "NLSaCjTf2vkw9CO389ZJ2YbVHtP1P7qJnesyqpnRm9U=",
        "\nAPP_DEBUG=false",
        E.GENERIC_SECRET,
    ),
    ("ENCRYPTION_KEY=", "9f2c4e1ab7d35f60c8e2a94b1d7f3e05", "\n", E.GENERIC_SECRET),
    # app passwords of four letter groups
    ("spring.mail.password=", "nrgq phsn bfny qcnj", "\n", E.PASSWORD),
    ("SMTP_PASSWORD=", "abcd efgh ijkl mnop", "", E.PASSWORD),
    # base64 of user:password in .npmrc
    (
        "registry=https://npm.acme.io/\n_auth=",
        "YWRtaW46d2ludGVyOTM2MQ==",
        "\nalways-auth=true",
        E.PASSWORD,
    ),
    # Oracle
    ("jdbc:oracle:thin:ops/", "Violet872", "@//db:1521/ORCLPDB1", E.PASSWORD),
    ("sqlplus -s sys/", "Orcl#2024", " as sysdba", E.PASSWORD),
    # net use
    ("net use Z: \\\\nas\\share /user:CORP\\keller ", "violet1434", "", E.PASSWORD),
    ("net use \\\\srv\\ipc$ ", "S3cr3t!x", " /user:admin", E.PASSWORD),
    # signing keys
    (
        "const t = jwt.sign(payload, '",
        "uVZoX2D9ruyXx97gf8cLZltmg5GOGSFvZRa",
        "', { expiresIn: '1h' });",
        E.GENERIC_SECRET,
    ),
    ('jwt.encode(claims, "', "my-signing-key-2024", '", algorithm="HS256")', E.GENERIC_SECRET),
    ('sig = hmac.new(b"', "k3y-0f-the-webhook", '", body, hashlib.sha256)', E.GENERIC_SECRET),
    # "the API key for X: ..."
    ("api key for the staging env: ", "BZK8aXPcIQ1GhqdPKFn0k4sF1tyUP1AJ", "", E.GENERIC_SECRET),
    # keys named by what they are for, spoken keys, headers and flags
    ("HMAC_KEY=", "9f2c4e1ab7d35f60c8e2a94b1d7f3e05", "\n", E.GENERIC_SECRET),
    ("Ocp-Apim-Subscription-Key: ", "9f2c4e1ab7d35f60c8e2a94b1d7f3e05", "", E.GENERIC_SECRET),
    ("API key = ", "9f2c4e1ab7d35f60c8e2a94b1d7f3e05", "", E.GENERIC_SECRET),
    ("access key: ", "Zk9xT2pWbkRxY0xzR2hYcE1vQnNlUk5h", "", E.GENERIC_SECRET),
    ("license key: ", "ABCD1-EFGH2-IJKL3-MNOP4", "", E.GENERIC_SECRET),
    ("Authorization: Api-Key ", "9f2c4e1ab7d35f60c8e2a94b1d7f3e05", "", E.GENERIC_SECRET),
    (
        "vendor-cli sync --api-key ",
        "9f2c4e1ab7d35f60c8e2a94b1d7f3e05",
        " --dry-run",
        E.GENERIC_SECRET,
    ),
    ("X-Vault-Token: ", "hvs.CAESIJZk9xT2pWbkRxY0xzR2hYcE1vQnNlUk5h", "", E.GENERIC_SECRET),
    ("OPENAI_KEY=", "Zk9xT2pWbkRxY0xzR2hYcE1vQnNlUk5h", "\n", E.GENERIC_SECRET),
    (
        "secret_key_base: ",
        "9f2c4e1ab7d35f60c8e2a94b1d7f3e059f2c4e1ab7d35f60",
        "\n",
        E.GENERIC_SECRET,
    ),
    ("app.config['SECRET_KEY'] = '", "Zk9xT2pWbkRxY0xzR2hYcE1vQnNlUk5h", "'", E.GENERIC_SECRET),
    ("settings['DB_PASSWORD'] = '", "Autumn2024!", "'", E.PASSWORD),
    (
        "https://acct.blob.core.windows.net/c?sv=2022-11-02&sp=rl&se=2026-01-01&sig=",
        "Zk9xT2pWbk%2BRxY0xzR2hYcE1vQnNlUk5h%3D",
        "",
        E.GENERIC_SECRET,
    ),
    # more command lines, server directives and Python auth tuples
    ("plink -ssh admin@host -pw ", "Autumn2024!", "", E.PASSWORD),
    ("psexec \\\\host -u admin -p ", "Autumn2024!", " cmd", E.PASSWORD),
    ("echo 'deploy:", "Autumn2024!", "' | sudo chpasswd", E.PASSWORD),
    ("bind 127.0.0.1\nrequirepass ", "Autumn2024!", "\n", E.PASSWORD),
    ('requests.get(url, auth=("admin", "', "Autumn2024!", '"))', E.PASSWORD),
    ("aiohttp.BasicAuth('svc', '", "Autumn2024!", "')", E.PASSWORD),
    # other languages
    ("Das Passwort für den Router ist ", "maple8833", "", E.PASSWORD),
    ("Hallo Tom, das neue Passwort lautet ", "Sommer2023!", " (bitte ändern).", E.PASSWORD),
    ("le mot de passe du wifi est ", "Soleil#42", "", E.PASSWORD),
    ("la contraseña del servidor es ", "Verano_2022", "", E.PASSWORD),
    ("a senha do banco é ", "Island2017-", "", E.PASSWORD),
    ("usuario: grafana clave: ", "F@lc0n43$", "", E.PASSWORD),
    ("Segue o acesso: login deploy, senha ", "Violet_thunder58", "", E.PASSWORD),
    ("Zugangsdaten: Benutzer ops, Kennwort ", "Hund2023!", "", E.PASSWORD),
    ("PIN für die Alarmanlage: ", "632430", "", E.PASSWORD),
    # door and alarm codes
    ("Door code for the server room is ", "4821", "", E.PASSWORD),
    ("the alarm code: ", "0417", ".", E.PASSWORD),
]

NEGATIVES = [
    "db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          6338643965\n",
    "Resources:\n  Db:\n    Properties:\n      MasterUserPassword: !Ref DbPassword\n",
    "password: this will show here\n",
    "spring.mail.password=${MAIL_PASSWORD}\n",
    "dtype = np.float64\npassword = hashlib.sha256\n",
    "password = settings.db_pw22\n",
    "AccountKey=<storage-account-key>;EndpointSuffix=core.windows.net",
    "APP_KEY=\nAPP_DEBUG=true\n",
    "jwt.sign(payload, 'shhhhh')",
    "jwt.sign(payload, process.env.JWT_SECRET, { algorithm: 'HS256' })",
    "the api key for prod: see the vault",
    "Das Passwort ist abgelaufen.",
    "la contraseña es incorrecta",
    "Mot de passe oublié ?",
    "A senha é obrigatória.",
    "net use Z: \\\\nas\\share /user:CORP\\keller /persistent:no",
    "net use Z: \\\\srv\\d * /user:admin",
    "sqlplus /nolog",
    "_auth=${NPM_AUTH}",
    "The door code changed last week, ask facilities.",
    # a changelog line: "private key for ... (Name) [#1](https:" is no "key for X: value"
    "* support unencrypted PKCS#8 private key for RSA (Daiki Ihara) "
    "[#26898](https://github.com/nodejs/node/pull/26898)",
    # names of things where a key's value would be: types, annotations, variables
    "    def encode_private(self, private_key: ed25519.Ed25519PrivateKey, f: _FragList):",
    'def _sign(backend: "Backend", private_key: "_RSAPrivateKey", data: bytes) -> bytes:',
    '    hmac_key="HMAC_KEY",\n    hmac_secret="HMAC_SECRET",',
    "        private_key = ed25519.Ed25519PrivateKey.from_private_bytes(secret)",
    "ssh_key: ~/.ssh/id_ed25519.pub",
    "--api-key $API_KEY",
    "PUBLIC_KEY=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n",
    "STRIPE_PUBLISHABLE_KEY=pk_live_Zk9xT2pWbkRxY0xz\n",
    "CACHE_KEY=user:42:profile:v2:abc\n",
    "https://example.com/search?q=sig&sig=Zk9xT2pWbkRxY0xzR2hYcE1vQnNlUk5h",
    "# requirepass foobared\n",
    "rootpw {SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n",
    "plink -ssh admin@host -pw %PLINK_PW%",
    "requests.get(url, auth=(user, password))",
    'requests.get(url, auth=("admin", os.environ["PW"]))',
    # the storage emulator's published account key
    "account_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/"
    "KBHBeksoGMGw=='",
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
    """Code, placeholders, YAML tags and sentences in the same places stay quiet."""
    assert secrets_detector.find(text) == []


@pytest.mark.parametrize(
    ("value", "expression"),
    [
        ("Mariposa.raven77", False),
        ("Saudade.falcon42", False),
        ("np.float64", True),
        ("hashlib.sha256", True),
        ("self.pw22", True),
        ("settings.db_pw", True),
    ],
)
def test_dotted_words_are_told_from_code(value: str, expression: bool) -> None:
    """Words joined by dots ending in a number read as a password, attributes as code."""
    assert is_dotted_words(value) is not expression
    assert is_expression(value) is expression
