"""Secrets told by their kind (:mod:`detectors.secret_kinds`): a generated value with no
vendor prefix, named by what it is for ("the HMAC key", "refresh token", "TOTP seed"), given
to a signing call, carried by a signed URL, or set on openssl's command line; and the
look-alikes beside them that stay quiet (key ids, public keys, Fernet tokens, placeholders).
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secret_kinds import is_ciphertext
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

TOLD_BY_KIND = [
    ("Here's the HMAC key for the load tests: Vq3xT9mR2kLp8ZwN4bYc", "Vq3xT9mR2kLp8ZwN4bYc"),
    ("the jwt secret in dev is literally Qm7tR2vX9pLw3 so please rotate", "Qm7tR2vX9pLw3"),
    (
        "Shared secret (HMAC-SHA512): 3b8f1c9d2e7a4f60b5c1d8e9a2f3b4c5 — keep it in the vault",
        "3b8f1c9d2e7a4f60b5c1d8e9a2f3b4c5",
    ),
    (
        "oops, pasted my refresh token here: 1//0gHk2Lm9Qx7RtZp4Wv8NbYc3Ds6Fa",
        "1//0gHk2Lm9Qx7RtZp4Wv8NbYc3Ds6Fa",
    ),
    (
        "the refresh token of the mailer (tR4nQ8wZ2mXp6Lk9Vb3Hc7Jd) leaked into the log",
        "tR4nQ8wZ2mXp6Lk9Vb3Hc7Jd",
    ),
    ("The AES-256 key, hex: 9f2c7a1e4b8d3f6a0c5e2b7d9a1f4c8e", "9f2c7a1e4b8d3f6a0c5e2b7d9a1f4c8e"),
    ("TOTP seed: JX4QW2ZL7KMN3RTY", "JX4QW2ZL7KMN3RTY"),
    (
        "the 2fa secret is mfzw 4zlo n5xw 2zlp ojsw 4zdf q2ha ty7k for the shared login",
        "mfzw 4zlo n5xw 2zlp ojsw 4zdf q2ha ty7k",
    ),
    (
        "Ключ шифрования бэкапа: 7d1e9c3a5b2f8e4d6c0a9b1e3f5d7c2a",
        "7d1e9c3a5b2f8e4d6c0a9b1e3f5d7c2a",
    ),
    ("webhook secret → kP9xW3mZ7qR2tL5vN8bC4hJ6", "kP9xW3mZ7qR2tL5vN8bC4hJ6"),
]

KIND_NAMED_NOT_SECRET = [
    "the refresh token endpoint is https://oauth2.example.com/token",
    "our public signing key: MCowBQYDK2VwAyEAq3Vd9mW2xR7tL4pZ8nB6cY1hJ5kF0gS3aE7uQ2oI=",
    "the webhook secret is stored in Vault under kv/hooks, ask ops",
    "the KMS encryption key 1f0e9d8c-7b6a-4c5d-9e8f-0a1b2c3d4e5f was scheduled for deletion",
    "set the refresh token lifetime to 90 days and the access token to one hour",
    "the HMAC key is rotated every quarter by the RotateSigningKeys job",
    "example webhook secret: whsec_abcdefghijklmnop (from the docs)",
]

SIGNED_URLS = [
    (
        "https://d1.cloudfront.net/a.mp4?Expires=1700000000&Signature=Kq9x~Tm2vLp8Zw4bYc7tJ1h"
        "F6dS0aE5uQ3oI9wR2kM7nB4-&Key-Pair-Id=K2JCJMDEHXQW5F",
        "Kq9x~Tm2vLp8Zw4bYc7tJ1hF6dS0aE5uQ3oI9wR2kM7nB4-",
    ),
    (
        "https://bucket.s3.amazonaws.com/a.csv?X-Amz-Expires=900&X-Amz-Signature="
        "4f1a9c2e7b3d8f6a0e5c1b9d2a7f3e8c4b6d0a1f9e2c7b5d3a8f6e1c0b9d4a2f",
        "4f1a9c2e7b3d8f6a0e5c1b9d2a7f3e8c4b6d0a1f9e2c7b5d3a8f6e1c0b9d4a2f",
    ),
    (
        "https://acct.blob.core.windows.net/c/f.pdf?sv=2022-11-02&sp=r&sig=Zx3%2BqW9mR2kLp8%2FvN4bYc7tJ1hF6dS0aE5uQ%3D",
        "Zx3%2BqW9mR2kLp8%2FvN4bYc7tJ1hF6dS0aE5uQ%3D",
    ),
]

UNSIGNED_URLS = [
    "https://example.com/search?q=sig&sig=Zk9xT2pWbkRxY0xzR2hYcE1vQnNlUk5h",  # a search's word
    "https://example.com/docs?Signature=Kq9xTm2vLp8Zw4bYc7tJ1hF6dS0aE5uQ3oI9wR2kM7nB4",
    "https://acct.blob.core.windows.net/c/f.pdf?sv=2022-11-02&sp=r&sig=<SAS signature>",
    "the link has ?X-Amz-Signature=... at the end; I cut it before pasting",
    "https://example.com/docs?page=signature&section=verification-of-signatures",
]

KEY_ARGUMENTS = [
    (
        "const h = crypto.createHmac('sha256', 'b7Qm2xR9tL4pZ8nW3vK6');",
        "b7Qm2xR9tL4pZ8nW3vK6",
    ),
    (
        "f = Fernet(b'kQ2m9xR7tL4pZ8nW3vB6yC1hJ5dF0gS3aE7uQ2oI9w=')",
        "kQ2m9xR7tL4pZ8nW3vB6yC1hJ5dF0gS3aE7uQ2oI9w=",
    ),
    (
        'event = stripe.Webhook.construct_event(body, sig, "x7Kp2Qm9Lr4Tz8Wn3Vb6")',
        "x7Kp2Qm9Lr4Tz8Wn3Vb6",
    ),
    (
        'var hmacKey = []byte("3c9e1a7f5b2d8c4e6a0f9b1d3e5c7a2f")',
        "3c9e1a7f5b2d8c4e6a0f9b1d3e5c7a2f",
    ),
    (
        'ENCRYPTION_KEY = bytes.fromhex("a1b2c3d4e5f60718293a4b5c6d7e8f90")',
        "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    ),
    (
        "openssl enc -aes-128-cbc -K 00112233445566778899aabbccddeeff"
        " -iv 0f0e0d0c0b0a09080706050403020100 -in a",
        "00112233445566778899aabbccddeeff",
    ),
]

KEY_ARGUMENTS_QUIET = [
    "const h = crypto.createHmac('sha256', process.env.WEBHOOK_SECRET);",
    "f = Fernet(load_key())",
    "f = Fernet(b'<your fernet key>')",
    'var hmacKey = []byte(os.Getenv("HMAC_KEY"))',
    "openssl enc -aes-256-cbc -pbkdf2 -pass file:/run/secrets/backup -in dump.sql",
]


@pytest.mark.parametrize(("text", "value"), TOLD_BY_KIND)
def test_a_secret_told_by_its_kind_is_reported(
    secrets_detector: SecretsDetector, text: str, value: str
) -> None:
    """A generated value after the name of its kind is a secret, spanning the value."""
    assert spans(secrets_detector, text) == [(E.GENERIC_SECRET, value)]


@pytest.mark.parametrize("text", KIND_NAMED_NOT_SECRET)
def test_a_kind_named_without_its_value_stays_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """An endpoint, an id, a public key, a UUID, a store's path or a placeholder after the
    kind's name is no secret."""
    assert spans(secrets_detector, text) == []


@pytest.mark.parametrize(("text", "value"), SIGNED_URLS)
def test_a_signed_urls_signature_is_reported(
    secrets_detector: SecretsDetector, text: str, value: str
) -> None:
    """The signature of a presigned S3 link or an Azure SAS grants access: it is reported."""
    assert (E.GENERIC_SECRET, value) in spans(secrets_detector, text)


@pytest.mark.parametrize("text", UNSIGNED_URLS)
def test_a_signature_parameter_without_a_signature_stays_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A placeholder or a word where the signature goes is nothing to report."""
    assert spans(secrets_detector, text) == []


@pytest.mark.parametrize(("text", "value"), KEY_ARGUMENTS)
def test_a_literal_key_given_to_a_signing_call_is_reported(
    secrets_detector: SecretsDetector, text: str, value: str
) -> None:
    """The literal a signing or encryption call is given, or a key decoded from a literal,
    is the key."""
    assert spans(secrets_detector, text) == [(E.GENERIC_SECRET, value)]


@pytest.mark.parametrize("text", KEY_ARGUMENTS_QUIET)
def test_a_key_read_from_elsewhere_stays_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A variable, a call or a placeholder in the key's place is no key."""
    assert spans(secrets_detector, text) == []


def test_a_triple_quoted_password_is_reported(secrets_detector: SecretsDetector) -> None:
    """TOML's triple-quoted string under ``password`` is the password, quotes excluded."""
    text = 'user = "grafana"\npassword = """k#7Lm;2pQ!x"""\n'
    assert spans(secrets_detector, text) == [(E.PASSWORD, "k#7Lm;2pQ!x")]


def test_a_fernet_token_is_ciphertext_not_a_key(secrets_detector: SecretsDetector) -> None:
    """A Fernet token under ``token =`` is encrypted data; the key that opens it is not in
    the text."""
    token = (
        "gAAAAABlQm2xR9tL4pZ8nW3vK6bY1hJ5dF0gS3aE7uQ2oI9wC4eV8rT1yU6iO3pA5sD7fG0hJ2kL4z"
        "X6cV8bN1mQ3wE5rT7yU9iO"
    )
    assert is_ciphertext(token)
    assert spans(secrets_detector, f"  token = b'{token}'") == []
    assert not is_ciphertext("kQ2m9xR7tL4pZ8nW3vB6yC1hJ5dF0gS3aE7uQ2oI9w=")


SEEDS_AND_PRINTOUTS = [
    ('[totp]\nissuer = "Acme"\nseed = "KZ4XQ7MB2LRT6PWN"\n', E.GENERIC_SECRET, "KZ4XQ7MB2LRT6PWN"),
    (
        "pyotp: error while loading seed 'MZXW6YTBOI2DQZLP' for user ops",
        E.GENERIC_SECRET,
        "MZXW6YTBOI2DQZLP",
    ),
    (
        'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key())"\n'
        "Tq8xW2mZ7rK4pL9vN3bY6cH1jF5dS0aG8eU2iO7wQ4k=",
        E.GENERIC_SECRET,
        "Tq8xW2mZ7rK4pL9vN3bY6cH1jF5dS0aG8eU2iO7wQ4k=",
    ),
    (
        "ran `openssl rand -base64 32` → Zk3q9WmX7tR2pL8vN4bY6cH1jF5dS0aG8eU2iO7wQ4k=",
        E.GENERIC_SECRET,
        "Zk3q9WmX7tR2pL8vN4bY6cH1jF5dS0aG8eU2iO7wQ4k=",
    ),
    (
        "##[debug]Evaluating: secrets.LDAP_PASSWORD\n##[debug]=> 'winter-harbor-41'\n",
        E.PASSWORD,
        "winter-harbor-41",
    ),
    ('ldap:\n  bindCredentials: "hV7#pq2!Lm"\n', E.PASSWORD, "hV7#pq2!Lm"),
    (
        "env={java.naming.security.principal=cn=app, java.naming.security.credentials=Pa55;wrd!}",
        E.PASSWORD,
        "Pa55;wrd!",
    ),
]

SEEDS_AND_PRINTOUTS_QUIET = [
    'random:\n  seed = "42"\n',
    "the seed SEEDFORTHEMODELRUN was fixed for the benchmark",  # capitals with no 2-7
    "##[debug]Evaluating: secrets.LDAP_PASSWORD\n##[debug]=> '***'\n",
    'ldap:\n  bindCredentials: "${LDAP_BIND_PASSWORD}"\n',
    "python -c 'import secrets; print(secrets.token_urlsafe(32))'\n(prints a new value each run)",
]


@pytest.mark.parametrize(("text", "entity", "value"), SEEDS_AND_PRINTOUTS)
def test_seeds_generator_output_and_bind_passwords_are_reported(
    secrets_detector: SecretsDetector, text: str, entity: str, value: str
) -> None:
    """A base32 seed named "seed", what a key generator printed, a secret a CI debug log
    evaluated, an LDAP bind password: reported, spanning the value."""
    assert spans(secrets_detector, text) == [(entity, value)]


@pytest.mark.parametrize("text", SEEDS_AND_PRINTOUTS_QUIET)
def test_their_look_alikes_stay_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """A number or a word as a seed, a masked value, a variable, words after a generator."""
    assert spans(secrets_detector, text) == []


# Rules of other modules this part tuned (detectors/token_contexts.py, secret_values.py,
# data/credential_labels.txt).
NAMED_ELSEWHERE = [
    # padded base64 after a key's name in prose: the padding is the value's
    ("the API key for the staging signer: LPcveeYiPL32gywdkK1KKg==", "LPcveeYiPL32gywdkK1KKg=="),
    # Django's and PHP's session ids: lower case and digits
    (
        "Cookie: sessionid=k3v9xq2m7ht0pz4wr8nb1yd6cf5js2ga; lang=en",
        "k3v9xq2m7ht0pz4wr8nb1yd6cf5js2ga",
    ),
    # .NET appSettings under an HMAC secret's name
    ('<add key="HmacSecret" value="7c2e9a4f1b8d3e6a0c5f2b9d" />', "7c2e9a4f1b8d3e6a0c5f2b9d"),
]

QUIET_ELSEWHERE = [
    "gpg: Signature made 2024-05-10 using RSA key 4A3F9C2E81B7D6E05F1A2B3C",
    "Incident: KMS key 2f4c2983-6544-4cff-b0e3-6de24ca6c6c5 was scheduled for deletion",
    "Cookie: sessionid=abcdefghijklmnopqrstuvwxyzabcdef",  # no digit: a placeholder
    '<add key="HmacSecret" value="" />',
    "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example",  # the docs' seed
    "jwt.io signs its sample with the secret your-256-bit-secret by default",
]


@pytest.mark.parametrize(("text", "value"), NAMED_ELSEWHERE)
def test_secrets_named_by_key_or_prose_are_reported(
    secrets_detector: SecretsDetector, text: str, value: str
) -> None:
    """A key's value, padding included; a lower-case session id; an HMAC secret's entry."""
    assert spans(secrets_detector, text) == [(E.GENERIC_SECRET, value)]


@pytest.mark.parametrize("text", QUIET_ELSEWHERE)
def test_key_ids_and_published_examples_stay_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A GPG key id, a KMS key id, a cookie of letters, an empty entry, a standard's seed."""
    assert spans(secrets_detector, text) == []


@pytest.mark.parametrize(
    ("text", "password"),
    [
        ("Пароль от архива: Tr0ub4dor-88", "Tr0ub4dor-88"),
        ("Salam! SMTP parolu Yay2024! olacaq.", "Yay2024!"),
    ],
)
def test_a_password_labelled_in_russian_or_azerbaijani_is_reported(
    secrets_detector: SecretsDetector, text: str, password: str
) -> None:
    """ "Пароль" and "parol(u)" label a password as "password" does."""
    assert spans(secrets_detector, text) == [(E.PASSWORD, password)]


def test_a_russian_password_word_without_a_value_stays_quiet(
    secrets_detector: SecretsDetector,
) -> None:
    """ "Пароль от архива отправлю отдельно" (I'll send it separately) holds no password."""
    assert spans(secrets_detector, "Пароль от архива отправлю отдельно.") == []


def test_words_a_person_joined_are_no_generated_secret(secrets_detector: SecretsDetector) -> None:
    """A webhook secret a person made of capitalised words is not reported as a generated
    one (the password rules judge such a value)."""
    text = "webhook secret in our settings: LearnDropFirm"
    assert (E.GENERIC_SECRET, "LearnDropFirm") not in spans(secrets_detector, text)


LISTS_UNDER_A_HEADING = [
    (
        "Subject: Backup codes for the ops account\n\nCodes (each works once):\n"
        "5820 1937\nd41c7-9a0e2\n",
        ["5820 1937", "d41c7-9a0e2"],
    ),
    (
        "relayhost = [smtp.example.org]:587\n"
        "smtp_sasl_password_maps = static:alerts@example.org:Winter-Lamp-77\n",
        ["Winter-Lamp-77"],
    ),
]

LISTS_UNDER_A_HEADING_QUIET = [
    "Backup codes are stored offline.\n\nPromo codes for the fair:\n5820 1937\nd41c7-9a0e2\n",
    "Backup codes are stored offline.\n\nTracking numbers:\n5820 1937\nd41c7-9a0e2\n",
    "smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n",
]


@pytest.mark.parametrize(("text", "passwords"), LISTS_UNDER_A_HEADING)
def test_codes_under_their_heading_and_postfix_static_maps_are_passwords(
    secrets_detector: SecretsDetector, text: str, passwords: list[str]
) -> None:
    """A list of backup codes introduced by "Codes:" under a subject naming them, and the
    password of Postfix's inline static map, are passwords."""
    assert spans(secrets_detector, text) == [(E.PASSWORD, p) for p in passwords]


@pytest.mark.parametrize("text", LISTS_UNDER_A_HEADING_QUIET)
def test_other_code_lists_and_map_files_stay_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Promo codes or tracking numbers after a sentence about backup codes, and a map kept
    in a file, hold no password."""
    assert spans(secrets_detector, text) == []


def test_an_authenticators_setup_key_is_reported(secrets_detector: SecretsDetector) -> None:
    """ "Enter this key instead:" then a seed in groups: the seed."""
    text = "Can't scan the QR code? Enter this key instead: kq3v mxz7 pl2d wr4n\n"
    assert spans(secrets_detector, text) == [(E.GENERIC_SECRET, "kq3v mxz7 pl2d wr4n")]
