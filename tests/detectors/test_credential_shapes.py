"""Credentials in the shapes and places of the evaluation part ``tuning4`` that the rules missed.

Tokens of letters alone, camelCase names (``apiSecret``, ``clientSecret``, ``apiToken``),
JSON inside a JSON string, XML token elements, Android string resources, property lists,
Gradle ``storePassword "X"`` lines, IPsec ``PSK``, ``pulumi config set``, short
``Authorization: Token`` values, a name on one line and the value on the next, "webhook
secret - X", a credentials file shown with ``cat``, ``SET PASSWORD``, "rotated it to X",
"the security PIN 386566", a UUID right after "key", base32 TOTP seeds, backup codes and
vendor-prefixed tokens (npm, PyPI, SendGrid, Shopify, Databricks, age, Google OAuth). Each
positive has its exact span; the negatives are the same places holding ids, digests, names
in code, placeholders and sentences.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

G, P = E.GENERIC_SECRET, E.PASSWORD
SENDGRID = "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"

# (text before, secret, text after, entity type): the finding must span exactly the secret.
POSITIVES = [
    # tokens of letters alone, camelCase names, JSON inside JSON
    ('  {"name": "Authorization", "value": "Bearer ', "rSYFYWkAwUCpxsGScdGWlYnMgBPjx", '"},', G),
    ("  clientSecret: '", "HdBvnBIiVfsavMrJMZmLwffgwujHJCA", "',", G),
    ('{"apiUrl":"https://api.example.com","apiSecret":"', "O8G8KlsEGgLtXZB/xy3KBA==", '"}', G),
    ("const String otpSecret = '", "GJ3SJXXYQ4BZCKTW", "';", G),
    ('config.set("cloudflare:apiToken", "', "AdlcgvGOgSNpSuEfOSTQJAhbH", '", {})', G),
    ('{"body":"{\\"username\\":\\"nygaard\\",\\"password\\":\\"', "NobisMaiores168", '\\"}"}', P),
    # markup and files
    ('    <string name="backend_secret">', "8-qmbaXCQx0mdAU2Y8t1dMjh", "</string>", G),
    ("<dict>\n\t<key>ClientSecret</key>\n\t<string>", "UjbMAILPtKpAwMAjijWosqJbt", "</string>", G),
    ("<clientSecret>", "kQ3xR8vLm2Tz9WpB4nYc7HdF", "</clientSecret>", G),
    ('    release {\n        storePassword "', "Autumn2024", '"\n        keyAlias "upload"', P),
    ('# /etc/ipsec.secrets\n%any %any : PSK "', "always-begin-eight-individual", '"', P),
    ("pulumi config set --secret dbPassword '", "Gf+=EEc9Wq?", "'", P),
    ('curl https://api.example.no/v3 -H "Authorization: Token ', "5n2f0opMSCXkhBx", '" -d x', G),
    ("Username: qa-bot\nPassword:\n", "RtJS14MTe;04D?", "\n", P),
    ("API key:\n", "EA2F327BF32F6B02CA25102F2BD9B52A", "\n(the new one from the portal)", G),
    ("webhook secret - ", "0a_YGLYovevvtDqr03ABGw", "", G),
    ("cat /etc/openvpn/auth.txt\noscieszka\n", "L#5QJ5iyT", "\nwhy does it say AUTH_FAILED?", P),
    ("SET PASSWORD FOR 'backup'@'localhost' = '", "nisicorporis", "';", P),
    # prose
    ("I rotated it to ", "_G8BSl9E7DlYciAr-mhchaNf", " this morning and the old one works.", G),
    ("Rotated. New one: ", "4mQ/EsJ+5gguTrgb2rNVpOrLQsNkofpS71/Fm9oFUxUj", "", G),
    ("Ticket #269474372: caller verified with the security PIN ", "386566", " and asked.", P),
    ("It fails. We use the key ", "7dd2da25-a7ca-4e0e-96ad-a7777ccc7e09", " on EU.", G),
    ("The reporter pasted their 2FA secret ", "3UVAWIVUW47G2MS3EFXHUQECCXWXD3LP", " into it.", G),
    ("The setup page for two-factor showed the key ", "AUZY3RTFOFTNAYFA", " and a QR code", G),
    ("the wifi password at the office is ", "Autumn2024", " btw, make a sign", P),
    ("FYI the Grafana admin login got changed to admin / ", "AdipisciLaboriosam93", " now", P),
    ("Anaida (Teams, 13:37): I reset the service account, it's now ", "N&EevPk!", ". Update it", P),
    ("the client secret they sent is\n", "LNsSDKLFUpwMzJKKcnGwuilXZvgCwCHVTsQCmG", "\nwhere?", G),
    ("The reporter pasted their 2FA secret ", "b6j4 abcj dye3 ef5u", " into it.", G),
    ("const String otpSecret = '", "jdkg mfm7 vher adqq", "';", G),
    ("401 for url: https://api.example.fi/v1/items?api_key=", "to1h8zUsG6tIc", "&page=2", G),
    ('echo "t=$CI_JOB_TOKEN api=$API_TOKEN"\nt=[MASKED] api=', "tVXAxOfxeU2vQg7PVX4wwR3U", "", G),
    ("creds.txt:\n```\ncoreyheffernan\n", "modiofficia", "\n```\nauth-user-pass creds.txt", P),
    ("creds.txt:\n```\njessicaburton\n", "M93)7Rzya!uqy", "\n```\nauth-user-pass creds.txt", P),
    # quoted where only a password goes: blanks, dots and brackets belong to it
    ('network={\n    psk="', "best.oil.sense.oil.many", '"\n}', P),
    ('%any %any : PSK "', "fly natural lay suggest article", '"', P),
    ("crypto isakmp key ", "b448cc8edf75863811da365253de27cb", " address 0.0.0.0 0.0.0.0", P),
    ('        storePassword "', "&5l)LWJqVz", '"', P),
    # vendor prefixes, wherever they stand
    ('new("', SENDGRID, '");', G),
    ('shop = Shop("', "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", '")', G),
    ('ApiClient("', "dapi76d622db007f6b5825a273f98f287416", '")', G),
    ("echo ", "npm_Ab3dE6gH9jK2mN5pQ8rS1tU4vW7xY0zA3bC6", " > .npmrc", G),
    ("x = ", "pypi-AgEIcHlwaS5vcmcLbjEgZDe-YzM601kC8Djaiam-9EhkZOlJ-C_EIm5gSLNwvnyuL_Azh", "", G),
    ("", "AGE-SECRET-KEY-1MPE99UH9PRFQVR0A24YWZKZD5JG2AG2W7PWZ9QTLXZDQJHMD8DJ777RFA5", "", G),
    ("curl -H 'X: ", "ya29.a0f0hnYUn6I-jT0m-dMxCRtSI30HPRZZkRnj1paKWaQUIpA9TSf33Xw2KYs", "'", G),
]  # fmt: skip

NEGATIVES = [
    # ids and digests named by "key"
    "restore cache: key node-modules-044bfceea6df2de9e3da55d063db87c7008fd5d7be3247a4 not found",
    "What is an idempotency key and why ours, 7dd2da25-a7ca-4e0e-96ad-a7777ccc7e09, failed",
    "the key for the record 7dd2da25-a7ca-4e0e-96ad-a7777ccc7e09 is missing",
    "the key HTTPSREDIRECTSTATUS is read at start-up",
    # names in code, public tokens
    'const nextPageToken = "CjkKEwj8dD9sk3lMnQ2x8sB5Q";',
    'csrfToken: "8f7d6c5b4a39281706f5e4d3c2b1a090"',
    "private readonly CancellationTokenSource tokenSource = new CancellationTokenSource();",
    "token: AuthenticationTokenServiceProvider",
    "<key>CFBundleVersion</key>\n<string>1.2.3</string>",
    "postgresql:\n  auth:\n    existingSecret: billing-secret\n",
    '<string name="api_key_hint">Enter your API key</string>',
    # placeholders and variables in the same places
    'storePassword System.getenv("STORE_PASSWORD")',
    '    keyPassword "${KEY_PASSWORD}"',
    "Authorization: Token YOUR_API_TOKEN_HERE",
    "Authorization: Bearer <token>",
    "API key:\n${API_KEY}\n",
    "API key:\ngetApiKey()\n",
    "Password:\nEnter your password below\n",
    "npm config set //registry.npmjs.org/:_authToken ${NPM_TOKEN}",
    "pulumi config set aws:region eu-west-1",
    "PSK authentication is configured on both ends.",
    "crypto isakmp key 6 $CISCO_KEY address 10.0.0.1",
    "SET PASSWORD FOR 'app'@'%' = PASSWORD(@new_password);",
    "backup codes: none generated yet",
    "cat /etc/hostname\nweb01\nubuntu\n",
    'echo "url=$BASE_URL key=$CACHE_KEY"\nurl=https://x.example.com key=node-modules-abc123def456',
    'echo "token=$CI_JOB_TOKEN"\ntoken=[MASKED]',
    "```\nline one\nline two\n```\nno OpenVPN here",
    "API_KEY=$env:API_KEY",
    "two-factor: the key will show here once you scan it",
    "the key is\nhello\n",
    "I reset the user account, it's now locked.",
    "I changed the admin login - now working again",
    "the login got changed to admin / root by the script",
    # prose and numbers
    "GPIO PIN 13 is high; the PIN 2024 rollout starts Monday.",
    "we rolled it to production-eu-west-1 today",
    "I rotated it to the new cluster yesterday.",
    "the npm_ prefix marks tokens that npm issued",
    "openssl rsa -passin env:KEY_PASS -in key.pem",
    "openssl enc -d -aes-256-cbc -pass file:/run/secrets/backup_pass -in backup.enc",
]  # fmt: skip


@pytest.mark.parametrize(("before", "secret", "after", "entity_type"), POSITIVES)
def test_credential_shapes_are_found_with_exact_spans(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, entity_type: str
) -> None:
    """A credential of these shapes and places is reported, spanning exactly the value."""
    text = before + secret + after
    found = {(f.entity_type, text[f.start : f.end]) for f in secrets_detector.find(text)}
    assert (entity_type, secret) in found, found


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alikes_in_the_same_places_stay_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Ids, digests, names in code, placeholders and prose in those places are no secret."""
    assert [text[f.start : f.end] for f in secrets_detector.find(text)] == []


def test_every_backup_code_is_a_password(secrets_detector: SecretsDetector) -> None:
    """Each code listed after "backup codes:" is reported on its own."""
    text = "backup codes: 11392230 6061 503966\nkeep them offline"
    found = spans(secrets_detector, text)
    assert found == [(P, "11392230"), (P, "6061"), (P, "503966")]


def test_openssl_pass_argument_reports_the_passphrase_only(
    secrets_detector: SecretsDetector,
) -> None:
    """``-pass pass:'X'`` reports X, not the ``pass:`` before it."""
    text = "openssl enc -aes-256-cbc -pbkdf2 -pass pass:'teacher detail fore' -in a.tar"
    found = spans(secrets_detector, text)
    assert found == [(P, "teacher detail fore")]


def test_a_vendor_token_where_a_password_goes_stays_a_password(
    secrets_detector: SecretsDetector,
) -> None:
    """The place names the kind: a SendGrid key as Django's e-mail password is a PASSWORD
    (the vendor rule only reports what no name around a value reports)."""
    text = f'EMAIL_HOST_PASSWORD = "{SENDGRID}"'
    found = spans(secrets_detector, text)
    assert found == [(P, SENDGRID)]
