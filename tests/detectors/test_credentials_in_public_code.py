"""Credentials in the forms public repositories write them (the ``tuning5`` part, h94).

Network-device configs (``enable secret``, ``username ... password 0``, ``snmp-server
community``, ``md5`` keys, TACACS+/RADIUS/IKE keys, Junos ``plain-text-password-value``, a
``line vty`` password), C ``#define`` constants of firmware, camelCase ``...Pass``/``PW``
keys, ``char pass[]``, ``requirepass`` as a flag, in ``sed`` and echoed, ``GRANT ...
IDENTIFIED BY``, ``ipmitool -P``, Postfix ``sasl_passwd`` lines, user/password call pairs and
password setters. Each positive has an exact span; the negatives are the same places with
placeholders, hashes, file paths, template expressions, names and prose.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secret_values import is_placeholder
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

# (text before, secret, text after, entity type): the finding must span exactly the secret.
POSITIVES = [
    # network devices
    ("hostname sw01\n!\nenable secret ", "^6vVH*^Owwb", "\n!\n", E.PASSWORD),
    ("username admin privilege 15 password 0 ", "Spring2024!", "\n", E.PASSWORD),
    ("snmp-server community ", "mollitia-culpa-11", " RO\n", E.PASSWORD),
    ("interface Gi0/1\n ip ospf message-digest-key 1 md5 ", "ImpeditFuga379", "\n", E.PASSWORD),
    ("ntp authentication-key 1 md5 ", "k3yMat3rial", " 7\n", E.PASSWORD),
    ("radius-server host 10.1.1.5 auth-port 1812 key ", "YwUUBVnk1hhojXBS", "\n", E.PASSWORD),
    (
        "set system login user ops authentication plain-text-password-value ",
        "%_*KEYh4)4y*M@",
        "\n",
        E.PASSWORD,
    ),
    ("set snmp community ", "iureomnis", " authorization read-only\n", E.PASSWORD),
    # firmware constants
    ('#define WIFI_SSID "home-12"\n#define WIFI_PASSWORD "', "Autumn2026", '"\n', E.PASSWORD),
    ('#define EXAMPLE_ESP_WIFI_PASS      "', "h9hcEC2J9cwfQ1oEENYhXg", '"\n', E.PASSWORD),
    ('#define WIFI_PASSWORD "', "anything she draw various age", '"   //\n', E.PASSWORD),
    (
        '#define FIREBASE_HOST "x.firebaseio.com"\n#define FIREBASE_AUTH "',
        "MdndZ6G42zJjnkxUkKxc8yVtsvzR05pIVINDoEiz",
        '"\n',
        E.GENERIC_SECRET,
    ),
    ('#define MQTT_KEY      "', "aio_gVsEXtoMZc4HtpEe", '"\n', E.GENERIC_SECRET),
    (
        'char ssid[] = "guest";\nchar pass[] = "',
        "Summer2022",
        '";   // network password',
        E.PASSWORD,
    ),
    # keys the assignment rules did not know
    ('            PlayerSettings.keystorePass = "', "7&Ot0lww", '";\n', E.PASSWORD),
    ('      bindPW = "', "WqsP8YSNdpOvp5oK", '"\n', E.PASSWORD),
    ('  replicaSetKey: "', "DoDJUYRahyqgsRhIPvHqoXTqTUAv", '"\n', E.GENERIC_SECRET),
    (
        "[Peer]\nPresharedKey = ",
        "b2m+oVFUXppZA2w/LdPAmQGzCa+7BDNEb5FVjjNb1U5O",
        "\n",
        E.GENERIC_SECRET,
    ),
    # directives written by scripts and flags
    (
        "sudo sed -i 's/# requirepass foobared/requirepass ",
        "l3Kw6ZaWNT18rTlLrHxAAw",
        "/' /etc/redis/redis.conf",
        E.PASSWORD,
    ),
    ('docker run -d redis:8 --requirepass "', "YHJ748MT@iJe", '"', E.PASSWORD),
    ('echo "bindpw ', "X@tslMr", '" >> /etc/nslcd.conf', E.PASSWORD),
    # command lines and formats
    (
        "# GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'%' IDENTIFIED BY '",
        "8_lbCyK!8j0",
        "';",
        E.PASSWORD,
    ),
    ("ipmitool -I lanplus -H 10.28.200.10 -U root -P ", "Spring2023", " sdr list", E.PASSWORD),
    (
        "cmdkey /add:fs01.corp.local /user:CORP\\svc /pass:",
        "M6;5ebVf?",
        "\nmstsc /v:fs01",
        E.PASSWORD,
    ),
    (
        "[email-smtp.eu-west-1.amazonaws.com]:587 smtpuser:",
        "JKxIDgva7l9A-MqwIJ0vCA",
        "\n",
        E.PASSWORD,
    ),
    (
        'echo "[smtp.gmail.com]:587 simona@example.com:',
        "ab99cf51b9179033b3a8",
        '" > /etc/postfix/sasl_passwd',
        E.PASSWORD,
    ),
    # calls that take a user and a password, and setters
    ('client.username_pw_set("perla", "', "Summer2016!", '")', E.PASSWORD),
    (
        'let res = client.get(url).basic_auth("rparadi", Some("',
        "Summer2021",
        '")).send()',
        E.PASSWORD,
    ),
    ('WiFi.begin("guest-home", "', "atsapiente", '");', E.PASSWORD),
    ('ssh.connect("10.0.0.7", 22, "ubuntu", "', "Summer2018#", '", timeout=30)', E.PASSWORD),
    (
        'Connection c = DriverManager.getConnection(\n    "jdbc:mysql://db:3306/app", "root", "',
        "magnineque",
        '");',
        E.PASSWORD,
    ),
    ('        f.setPassword("', "!91YsUunuJo@", '");', E.PASSWORD),
    # Terraform variables' defaults, pre-shared keys under environment names, DMVPN
    (
        'variable "db_password" {\n  type        = string\n  default     = "',
        "Winter2016",
        '"\n}',
        E.PASSWORD,
    ),
    (
        'variable "api_token" {\n  default = "',
        "kIqA9mh8xCaaqgEP7umKfA1C4l",
        '"\n}',
        E.GENERIC_SECRET,
    ),
    ('# vpn.env\nVPN_IPSEC_PSK="', "1dyJMKyhSe07KXAsNViBBA", '"\n', E.PASSWORD),
    ("interface Tunnel0\n ip nhrp authentication ", "oYahPCWg", "\n", E.PASSWORD),
    # a Postman export's auth entry, an appsettings JWT section
    (
        '"apikey": [\n    { "key": "value", "value": "',
        "95F0F288-91F7-45D1-AD19-C3BA4B555617",
        '", "type": "string" },\n    { "key": "key", "value": "X-Auth-Token" }\n]',
        E.GENERIC_SECRET,
    ),
    (
        '  "Jwt": { "Key": "',
        "2pToHC5koHVJUVcknRGKltosYjQbuFVRzdMfqG4c",
        '", "Issuer": "Lambda" }',
        E.GENERIC_SECRET,
    ),
    # seed rows of SQL migrations
    (
        "INSERT INTO users (username, email, password, role) VALUES ('admin', 'a@example.com', '",
        "I4+_9Tlx13T",
        "', 'ADMIN');",
        E.PASSWORD,
    ),
    (
        "INSERT INTO `accounts` (`id`, `login`, `pwd`) VALUES (1, 'ann', ''), (2, 'bob', '",
        "corrupti-expedita-27",
        "');",
        E.PASSWORD,
    ),
    # READMEs and playbook runs
    ("```\n\nUser Postgres password: `", "cualpadres", "`\n", E.PASSWORD),
    ("**Login:** admin / ", "perferendisea", "\n**Status:** WORKING", E.PASSWORD),
    (
        "### Test accounts (staging)\n* teacher: `a@example.org` / `********`\n"
        "* student: `zoran64@example.net` / `",
        "Summer2025",
        "`\n",
        E.PASSWORD,
    ),
    (
        'ansible-playbook -i hosts deploy.yml --extra-vars "ansible_become_pass=',
        "voluptastempora",
        '"',
        E.PASSWORD,
    ),
    # keys under "auth" and "_COOKIE", an API key as Basic auth's user, Telegram bot tokens
    (
        'provider "grafana" {\n  auth = "',
        "glsa_qCMPCC8YWng2VjXbfolopQux_fae2299",
        '"\n}',
        E.GENERIC_SECRET,
    ),
    ("      RABBITMQ_ERLANG_COOKIE: ", "lGaNfaNksstMZaUBrZMzwRHr", "\n", E.GENERIC_SECRET),
    (
        "requests.get(url, auth=HTTPBasicAuth('",
        "21191f0c-4f6a-47b4-aa3c-b8f8d64504df",
        "', '')).json()",
        E.GENERIC_SECRET,
    ),
    (
        "curl https://api.example.com/v1/lists -u ",
        "key-9f3c1a7e5b2d4c6a8e0f",
        ": -d x=1",
        E.GENERIC_SECRET,
    ),
    ('bot = telebot.TeleBot("', "56:AAibXbt7PTgNroq2h8u_QWlcAbRY7KXrlz", '")', E.GENERIC_SECRET),
    (
        "curl https://api.telegram.org/bot",
        "1234567890:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1",
        "/getMe",
        E.GENERIC_SECRET,
    ),
    ('controller.resetPassword("2b24d764-f8af-4ac5", "', "VitaeMagnam291", '");', E.PASSWORD),
]

NEGATIVES = [
    # hashed, default, placeholder and prose on device lines
    "enable secret 5 $1$abcd$efghijkl\nusername admin privilege 15 secret 9 $9$abcdefgh$ijkl",
    "snmp-server community public RO\nsnmp-server community private RW",
    "snmp-server community <community> RO\nsnmp-server community YOUR_COMMUNITY_STRING RO",
    '{"id": "C-01", "description": "Plaintext enable password (use \'enable secret\' instead)"}',
    "Set a password on the console, then:\n password is required on every line",
    # firmware placeholders
    '#define WIFI_SSID     "your-ssid"\n#define WIFI_PASSWORD "your-password"',
    '#define WIFI_SSID ""\n#define WIFI_PASSWORD ""',
    '#define WIFI_PASSWORD "WIFI_PASSWORD"\n#define API_KEY "API_KEY"',
    "#define Wifi_Password_Length 64\n#define API_Max_Retry 5",
    # references, expressions and names where a value goes
    "sudo sed -i 's/^# requirepass .*$/requirepass ${var.redis_password}/' redis.conf",
    "  command: redis-server --maxmemory 256mb --requirepass ${REDIS_PASSWORD}",
    "ipmitool -I lanplus -H <bmc-ip> -U <user> -P <pw> chassis power status",
    "xfreerdp /u:username /pth:21c3ddfb1fc3cdc1d758ab437be49ccd /v:10.0.0.5",
    "[smtp.gmail.com]:587 your_email@gmail.com:your_app_password",
    "[mail.isp.example]:587 username:password",
    "    mqtt_client.username_pw_set(MQTT_USERNAME, MQTT_PASSWORD)",
    "    ssh.connect(HOST, 22, USER, PASSWORD)",
    '          setPassword("");\n        signup.setPassword(passwordField.getText());',
    "      client_secret: clientSecret,\n      refresh_token: refreshToken,",
    "config :wicket, WicketWeb.Endpoint, secret_key_base: secret_key_base",
    '    redis = RedisConfig(\n        password=_optional("REDIS_PASSWORD") or None,\n    )',
    "<?php\n$password=$_POST['pass'];",
    "export GOOGLE_APPLICATION_CREDENTIALS=/path/to/your/service-account-key.json",
    "vault kv put secret/app/db password=@/dev/stdin",
    '        run: sshpass -p "${{ secrets.VM_PASSWORD }}" ssh deploy@host',
    '    test: ["CMD-SHELL", \'redis-cli -a "$$(cat /run/secrets/redis_password)" ping\']',
    "userPassword: {SSHA}6Iuo6iikTimBrFwxOUfLJMllPM3Z8yqm+rF23vG41umSwafoBif",
    'config.set("aws:secretKey", "ThisIsNotARealSecret")',
    '  secret_key_base: "development_secret_key_base_please_change_in_production"',
    "APP_KEY=base64:your-app-key",
    "define('DB_PASSWORD', 'local_db_password');",
    'auth: basic\n  "auth": "oauth2",\nauthentication: "ldap"',
    "requests.get(url, auth=HTTPBasicAuth(user, ''))\ncurl -u admin: http://localhost:8100/",
    "SESSION_COOKIE=sessionid",
    "cmdkey /add:fs01.corp.local /user:CORP\\svc /pass\ncmdkey /list",
    "INSERT INTO users (username, password_hash) VALUES ('admin', '$2b$12$abcdefghijklmnopq');",
    "INSERT INTO users (name, password) VALUES ('x', '5f4dcc3b5aa765d61d8327deb882cf99');",
    "INSERT INTO users (name, password) VALUES ($1, $2);",
    '{ "key": "value", "value": "{{apiKey}}", "type": "string" }',
    '"JwtSettings": {\n  "Secret": "<min 32-char random string>",\n  "Issuer": "Core"\n}',
    'variable "db_password" {\n  type = string\n  default = ""\n}\nvariable "region" {}',
    "WIFI_PSK=c4ad647b457e45b680c7189b89230c36c7f6093b7e96ef7fac7309d03eff37e4",
    "export AWS_SESSION_TOKEN=FwoGZXIvYXdzEJr//////////wEaDEXAMPLETOKENabc123",
    "Set `password: `null`` to disable it; the `password:` key takes a `string`.",
    "**Login:** see the vault / ask ops\n",
]


@pytest.mark.parametrize(("before", "secret", "after", "entity"), POSITIVES)
def test_credential_in_public_code_is_found_with_its_exact_span(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, entity: str
) -> None:
    """The credential is reported once, under its type, spanning exactly its value."""
    text = before + secret + after
    assert spans(secrets_detector, text) == [(entity, secret)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_public_code_lookalike_is_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """Hashes, defaults, placeholders, references, names and prose in the same places stay
    quiet."""
    assert secrets_detector.find(text) == []


@pytest.mark.parametrize(
    ("value", "placeholder"),
    [
        ("/run/secrets/db_password", True),
        ("${{ secrets.API_TOKEN }}", True),
        ("$$REDIS_PASSWORD", True),
        ("{SSHA}6Iuo6iikTimBrFwxOUfLJMllPM3Z8yqm", True),
        ("ThisIsNotARealSecret", True),
        ("yout-password", True),
        ("changeit2", False),
        ("Autumn2024!", False),
        ("ab/cd+ef9", False),
        ("Mariposa.raven77", False),
    ],
)
def test_values_that_are_no_secret_are_told_from_passwords(value: str, placeholder: bool) -> None:
    """References, expressions, escapes, hashes and values that say they are none are
    placeholders; passwords, even with a "/" or a default's word inside, are not."""
    assert is_placeholder(value) is placeholder
