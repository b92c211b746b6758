"""A labelled evaluation set for the detectors, generated with Faker from a fixed seed.

Positive samples are prompt-like sentences with one or two entities whose exact spans are
known; hard negatives are technical text that must produce no finding (UUIDs, git SHAs,
order numbers, version strings, Luhn-invalid card numbers, "sk-" in prose, ...). All
secrets are synthetic: random characters in each provider's published shape (GitHub tokens
with a valid CRC32 checksum, JWTs with a real HS256 signature over a random key).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import string
import urllib.parse
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers
from evalset.vocabulary import TOOLS  # bench/ is on sys.path, as for this module
from faker import Faker

SEED = 20240601
_ALNUM = string.ascii_letters + string.digits
_B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled entity: ``text[start:end]`` is of ``entity_type``."""

    entity_type: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sample:
    """One text with its labelled entities; ``group`` names the generator (for reports).

    ``neutral`` spans hold values that are neither labelled nor wrong to report (a company
    name, a date, a user name): a finding that lies mostly inside one is not scored."""

    text: str
    spans: tuple[Span, ...]
    group: str
    neutral: tuple[Span, ...] = ()

    @property
    def hard_negative(self) -> bool:
        """True for samples that must produce no finding."""
        return not self.spans


class _Builder:
    """Concatenates literal text and labelled values, recording offsets."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._spans: list[Span] = []
        self._neutral: list[Span] = []
        self._length = 0

    def text(self, literal: str) -> _Builder:
        self._parts.append(literal)
        self._length += len(literal)
        return self

    def entity(self, entity_type: str, value: str) -> _Builder:
        self._spans.append(Span(entity_type, self._length, self._length + len(value)))
        return self.text(value)

    def neutral(self, value: str) -> _Builder:
        self._neutral.append(Span("NEUTRAL", self._length, self._length + len(value)))
        return self.text(value)

    def build(self, group: str) -> Sample:
        return Sample("".join(self._parts), tuple(self._spans), group, tuple(self._neutral))


Builder = _Builder  # the public name, for the other generators under bench/


# --- value generators --------------------------------------------------------------------

_PHONE_LOCALES = {
    "en_US": "US",
    "en_GB": "GB",
    "de_DE": "DE",
    "fr_FR": "FR",
    "es_ES": "ES",
    "it_IT": "IT",
    "nl_NL": "NL",
    "en_IN": "IN",
    "pt_BR": "BR",
    "en_CA": "CA",
}


def _phone(fakers: dict[str, Faker], rng: random.Random) -> str:
    """A valid number in its locale's national or international format (no extension)."""
    while True:
        locale = rng.choice(list(_PHONE_LOCALES))
        raw = fakers[locale].phone_number().split("x")[0].strip()
        try:
            parsed = phonenumbers.parse(raw, _PHONE_LOCALES[locale])
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(parsed):
            continue
        style = rng.choice(
            [
                phonenumbers.PhoneNumberFormat.NATIONAL,
                phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                None,
            ]
        )
        return raw if style is None else phonenumbers.format_number(parsed, style)


def _grouped(value: str, rng: random.Random, size: int = 4) -> str:
    if rng.random() < 0.5:
        return value
    return " ".join(value[i : i + size] for i in range(0, len(value), size))


def _card(faker: Faker, rng: random.Random) -> str:
    number = faker.credit_card_number(rng.choice(["visa16", "mastercard", "discover"]))
    if rng.random() < 0.2:
        amex = faker.credit_card_number("amex")
        return f"{amex[:4]} {amex[4:10]} {amex[10:]}" if rng.random() < 0.5 else amex
    return _grouped(number, rng)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _luhn_invalid_card(rng: random.Random) -> str:
    while True:
        digits = rng.choice("456") + "".join(rng.choice(string.digits) for _ in range(15))
        if not _luhn_ok(digits):
            return _grouped(digits, rng)


def _rand(rng: random.Random, length: int, alphabet: str = _ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _base62(number: int) -> str:
    out = ""
    while number:
        number, rest = divmod(number, 62)
        out = _B62[rest] + out
    return out.rjust(6, "0")


def github_token(rng: random.Random, prefix: str = "ghp") -> str:
    """A syntactically valid classic GitHub token (random body, correct CRC32 checksum)."""
    body = _rand(rng, 30)
    return f"{prefix}_{body}{_base62(zlib.crc32(body.encode()))}"


def jwt(rng: random.Random, faker: Faker) -> str:
    """An HS256 JWT over a random key."""
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"sub": str(rng.randint(1, 10**6)), "name": faker.name(), "iat": 1_700_000_000}
    payload = _b64url(json.dumps(claims).encode())
    key = _rand(rng, 32).encode()
    signature = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


def private_key(rng: random.Random) -> str:
    """A PEM block with a random base64 body (not a real key)."""
    kind = rng.choice(["RSA ", "EC ", "OPENSSH ", ""])
    body = base64.b64encode(rng.randbytes(rng.choice([300, 600, 1200]))).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return (
        f"-----BEGIN {kind}PRIVATE KEY-----\n"
        + "\n".join(lines)
        + (f"\n-----END {kind}PRIVATE KEY-----")
    )


def _secret_values(rng: random.Random, faker: Faker) -> dict[str, Callable[[], str]]:
    upper32 = string.ascii_uppercase + "234567"
    b64 = _ALNUM + "+/"
    url = _ALNUM + "-_"
    return {
        "OPENAI_API_KEY": lambda: rng.choice(
            [
                f"sk-proj-{_rand(rng, 74, url)}T3BlbkFJ{_rand(rng, 74, url)}",
                f"sk-{_rand(rng, 20)}T3BlbkFJ{_rand(rng, 20)}",
                f"sk-{_rand(rng, 48)}",
            ]
        ),
        "ANTHROPIC_API_KEY": lambda: f"sk-ant-api03-{_rand(rng, 93, url)}AA",
        "AWS_ACCESS_KEY_ID": lambda: rng.choice(["AKIA", "ASIA"]) + _rand(rng, 16, upper32),
        "GITHUB_TOKEN": lambda: rng.choice(
            [
                github_token(rng, rng.choice(["ghp", "gho", "ghu", "ghs", "ghr"])),
                f"github_pat_{_rand(rng, 22)}_{_rand(rng, 59)}",
            ]
        ),
        "GITLAB_TOKEN": lambda: f"glpat-{_rand(rng, 20, url)}",
        "SLACK_TOKEN": lambda: (
            f"xox{rng.choice('bp')}-{rng.randint(10**10, 10**12)}-{rng.randint(10**10, 10**12)}"
            f"-{_rand(rng, 24)}"
        ),
        "SLACK_WEBHOOK_URL": lambda: (
            f"https://hooks.slack.com/services/T{_rand(rng, 10, upper32)}/"
            f"B{_rand(rng, 10, upper32)}/{_rand(rng, 24)}"
        ),
        "STRIPE_API_KEY": lambda: (
            f"{rng.choice(['sk', 'rk'])}_{rng.choice(['live', 'test'])}_"
            + _rand(rng, rng.choice([24, 99]))
        ),
        "GOOGLE_API_KEY": lambda: "AIza" + _rand(rng, 35, url),
        "JWT": lambda: jwt(rng, faker),
        "PRIVATE_KEY": lambda: private_key(rng),
        "AWS_SECRET_ACCESS_KEY": lambda: _rand(rng, 40, b64),
        "PASSWORD": lambda: (
            _rand(rng, 6, string.ascii_letters)
            + rng.choice("!%&*+@^~")
            + _rand(rng, 4, string.digits)
        ),
        "GENERIC_SECRET": lambda: _rand(rng, rng.choice([24, 32, 40])),
    }


secret_values = _secret_values  # the public name, for the other generators under bench/


# --- samples -----------------------------------------------------------------------------

_PII_TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "EMAIL_ADDRESS": [
        ("Please forward the contract to ", " before Friday."),
        ("Reply to ", " with the signed form."),
        ("My work e-mail is ", ", use it for the invoice."),
        ("From: billing team <", ">\nSubject: overdue payment"),
        ('{"customer": {"id": 4411, "email": "', '"}}'),
    ],
    "PHONE_NUMBER": [
        ("Call the customer back on ", " tomorrow morning."),
        ("Her mobile is ", " if the line drops."),
        ("Support hotline: ", " (weekdays only)."),
        ("Rewrite this voicemail: hi, it's me again, ring me on ", ", thanks."),
        ("Tel.: ", "\nFax: none"),
    ],
    "CREDIT_CARD": [
        ("The customer paid with card ", " last week."),
        ("Refund the charge on ", ", it was a duplicate."),
        ("card_number,expiry\n", ",12/27"),
    ],
    "IBAN_CODE": [
        ("Wire the deposit to IBAN ", " by Monday."),
        ("Their account is ", ", please double-check it."),
    ],
    "US_SSN": [
        ("Employee SSN: ", ", keep it confidential."),
        ("His social security number is ", " per the form."),
    ],
    "IP_ADDRESS": [
        ("The login came from ", " at midnight."),
        ("Block traffic from ", " on the firewall."),
        ("nginx: connect() failed while connecting to upstream, client: ", ", server: api"),
    ],
    "PERSON": [
        ("Write a polite reminder to ", " about the overdue report."),
        ("Summarise the feedback ", " gave during the interview."),
        ("Draft a thank-you note for ", ", who led the migration."),
        ("Meeting notes: ", " agreed to own the rollout plan."),
    ],
    "LOCATION": [
        ("We are opening a new office in ", " next spring."),
        ("The shipment left ", " on Tuesday."),
    ],
}

_SECRET_TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "AWS_SECRET_ACCESS_KEY": [
        ("aws_secret_access_key = ", "\n"),
        ("[default]\nAWS_SECRET_ACCESS_KEY=", "\nregion = eu-west-1"),
    ],
    "PASSWORD": [
        ("DB_PASSWORD=", "\n"),
        ('config = {"user": "app", "password": "', '"}'),
        ("postgres://app:", "@db.internal:5432/orders"),
    ],
    "GENERIC_SECRET": [
        ('api_key = "', '"'),
        ("Authorization: Bearer ", "\n"),
        ("client_secret: ", "\n"),
    ],
}
_DEFAULT_SECRET_TEMPLATES = [
    ("Why does this fail? export KEY=", " then curl returns 401."),
    ("Here is my config:\n  token: ", "\nwhat is wrong?"),
    ("I pasted ", " into the settings page by mistake."),
]


def _hard_negatives(rng: random.Random, faker: Faker) -> Iterator[tuple[str, str]]:
    """(group, text) pairs that contain no sensitive entity."""
    hexd = string.hexdigits.lower()[:16]
    year = rng.randint(2019, 2025)
    yield "uuid", f"Request {uuid.UUID(int=rng.getrandbits(128), version=4)} failed with 500."
    yield "git_sha", f"Fixed in commit {_rand(rng, 40, hexd)}, see the PR."
    yield "git_sha", f"Cherry-pick {_rand(rng, 7, hexd)} and {_rand(rng, 7, hexd)} onto main."
    yield "order_number", f"Order #{rng.randint(10**8, 10**10)} shipped on time."
    yield (
        "order_number",
        (
            f"Invoice INV-{year}-{rng.randint(0, 999999):06d} is overdue, "
            f"PO-{rng.randint(10000, 99999)}-{rng.randint(10, 99)}."
        ),
    )
    yield (
        "order_number",
        (
            f"Ticket JIRA-{rng.randint(100, 99999)} and order "
            f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}."
        ),
    )
    yield (
        "version",
        (
            f"Upgrade from {rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)} "
            f"to v{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"
            f"-rc.{rng.randint(1, 5)}."
        ),
    )
    yield (
        "version",
        (
            f"Pin numpy>={rng.randint(1, 2)}.{rng.randint(0, 26)}.{rng.randint(0, 9)} and "
            f"node {rng.randint(14, 22)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}."
        ),
    )
    yield "luhn_invalid", f"Test value {_luhn_invalid_card(rng)} should be rejected."
    yield (
        "sk_prose",
        rng.choice(
            [
                "Use sk-learn for the model and keep sk- prefixes out of logs.",
                "The key looks like sk-... followed by your project id.",
                "Set OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxx in your .env file.",
            ]
        ),
    )
    yield "hash", f"sha256:{_rand(rng, 64, hexd)} is the image digest."
    yield (
        "timestamp",
        (
            f"Started {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z, took {rng.randint(1, 999)} ms."
        ),
    )
    yield (
        "build_number",
        (
            f"Build {year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}.{rng.randint(1, 9)} "
            f"passed on port {rng.randint(1024, 65535)}."
        ),
    )
    yield (
        "random_id",
        (
            f"SKU {_rand(rng, 10, string.ascii_uppercase + string.digits)} in size XL, "
            f"batch {rng.choice(string.ascii_uppercase)}{rng.randint(100000, 999999)}."
        ),
    )
    yield (
        "numbers",
        rng.choice(
            [
                f"Revenue grew to {rng.randint(1, 999):,},{rng.randint(100, 999)} EUR "
                f"in Q{rng.randint(1, 4)}.",
                f"ISBN 978-{rng.randint(0, 9)}-{rng.randint(10, 99)}-{rng.randint(100000, 999999)}-"
                f"{rng.randint(0, 9)} is out of print.",
                f"Coordinates {rng.uniform(-80, 80):.4f}, {rng.uniform(-170, 170):.4f} "
                "are the depot.",
                f"Room {rng.randint(1, 9)}{rng.choice('ABC')}, "
                f"extension {rng.randint(1000, 9999)}, "
                f"at {rng.randint(1, 12)}:{rng.choice(['00', '15', '30', '45'])} pm.",
                f"Tracking number {rng.randint(10**11, 10**12 - 1)} via the carrier portal.",
            ]
        ),
    )
    yield (
        "base64_blob",
        f"The payload was {base64.b64encode(rng.randbytes(48)).decode()} (truncated).",
    )
    yield (
        "secret_lookalike",
        rng.choice(
            [
                f"Tokens look like ghp_{'x' * 36} and must never be committed.",
                "An AKIA prefix marks an AWS key; rotate them every 90 days.",
                "Paste the JWT (it starts with eyJ) into the debugger.",
                "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
                "Use password: ******** and token: <redacted> in the examples.",
                "api_key = os.getenv('OPENAI_API_KEY')",
                f"Stripe test keys start with sk_test_ and look like sk_test_{'X' * 24}.",
            ]
        ),
    )
    yield (
        "url",
        (
            f"See https://github.com/{faker.user_name()}/{faker.word()}/blob/main/"
            f"{_rand(rng, 40, hexd)}/README.md and "
            f"https://example.com/docs?page={rng.randint(1, 99)}"
        ),
    )
    yield (
        "code",
        rng.choice(
            [
                "password = os.environ['DB_PASSWORD']",
                'if not password: raise ValueError("password is required")',
                "token = request.headers.get('Authorization')",
                "max_tokens: 4096, temperature: 0.2, top_p: 0.9",
                "def check(password: str) -> bool: return len(password) >= 12",
            ]
        ),
    )


def generate(seed: int = SEED, per_type: int = 40, negatives: int = 30) -> list[Sample]:
    """The evaluation set: ``per_type`` samples per entity type, ``negatives`` rounds of
    hard negatives (each round yields one sample per negative generator)."""
    rng = random.Random(seed)
    Faker.seed(seed)
    fakers = {locale: Faker(locale) for locale in _PHONE_LOCALES}
    iban_fakers = [Faker(loc) for loc in ("de_DE", "en_GB", "fr_FR", "es_ES", "it_IT", "nl_NL")]
    faker = fakers["en_US"]
    pii_values: dict[str, Callable[[], str]] = {
        "EMAIL_ADDRESS": lambda: rng.choice(list(fakers.values())).email(),
        "PHONE_NUMBER": lambda: _phone(fakers, rng),
        "CREDIT_CARD": lambda: _card(faker, rng),
        "IBAN_CODE": lambda: _grouped(rng.choice(iban_fakers).iban(), rng),
        "US_SSN": faker.ssn,
        "IP_ADDRESS": lambda: str(
            rng.choice([faker.ipv4_public, faker.ipv4_private, faker.ipv6])()
        ),
        "PERSON": faker.name,
        "LOCATION": lambda: str(rng.choice([faker.city, faker.country])()),
    }
    samples: list[Sample] = []
    for entity_type, make in pii_values.items():
        for _ in range(per_type):
            before, after = rng.choice(_PII_TEMPLATES[entity_type])
            samples.append(
                _Builder().text(before).entity(entity_type, make()).text(after).build(entity_type)
            )
    for entity_type, make in _secret_values(rng, faker).items():
        templates = _SECRET_TEMPLATES.get(entity_type, _DEFAULT_SECRET_TEMPLATES)
        for _ in range(per_type):
            before, after = rng.choice(templates)
            samples.append(
                _Builder().text(before).entity(entity_type, make()).text(after).build(entity_type)
            )
    for _ in range(negatives):
        for group, text in _hard_negatives(rng, faker):
            samples.append(Sample(text, (), f"negative:{group}"))
    return samples


def prompt_1kb(rng: random.Random, faker: Faker) -> str:
    """A ~1 KB prompt: prose with a name, an e-mail and a phone number in it."""
    parts = [
        f"Hi, I'm {faker.name()} from {faker.city()}.",
        faker.paragraph(nb_sentences=6),
        f"Reach me at {faker.email()} or {faker.phone_number()}.",
        faker.paragraph(nb_sentences=8),
    ]
    text = " ".join(parts)
    while len(text) < 1024:
        text += " " + faker.sentence()
    return text[:1024]


# --- evasions (a separate set: the figures above stay comparable) ---------------------------

_ZWSP = "\u200b"
# A PKCS#8 RSA-2048 header (SEQUENCE, version 0, rsaEncryption, OCTET STRING); the rest of
# the structure is random bytes: the shape of a real key, not a key.
_PKCS8_HEAD = bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7")
# An X.509 certificate header (SEQUENCE, tbsCertificate, [0] version 3): public.
_CERT_HEAD = bytes.fromhex("3082037730820260a003020102")
_SPKI_HEAD = bytes.fromhex("30820122300d06092a864886f70d01010105000382010f00")


def _fullwidth(value: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in value)


def _zwsp_inside(value: str, rng: random.Random) -> str:
    cut = rng.randrange(1, len(value))
    return value[:cut] + _ZWSP + value[cut:]


def _b64_lines(raw: bytes, width: int = 64) -> str:
    encoded = base64.b64encode(raw).decode()
    return "\n".join(encoded[i : i + width] for i in range(0, len(encoded), width))


def _evasion_positives(rng: random.Random, faker: Faker) -> Iterator[Sample]:
    """One sample per evasion kind: the labelled span is the value as written."""
    secrets = _secret_values(rng, faker)
    kind = rng.choice(["GITHUB_TOKEN", "AWS_ACCESS_KEY_ID", "SLACK_TOKEN", "STRIPE_API_KEY"])
    value = secrets[kind]()
    line = f"export CREDENTIAL={value}\n"
    for group, encoded in (
        ("base64", base64.b64encode(line.encode()).decode()),
        ("base64url", base64.urlsafe_b64encode(line.encode()).decode().rstrip("=")),
        ("hex", line.encode().hex()),
    ):
        yield (
            _Builder()
            .text("Can you decode this? ")
            .entity(kind, encoded)
            .text(" thanks")
            .build(f"evasion:{group}-secret")
        )
    key_id = secrets["AWS_ACCESS_KEY_ID"]()
    pair = f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {_rand(rng, 40)}\n"
    wrapped = _b64_lines(pair.encode(), 76)
    start = len("creds:\n")
    yield Sample(
        f"creds:\n{wrapped}\n",
        (
            Span("AWS_ACCESS_KEY_ID", start, start + len(wrapped)),
            Span("AWS_SECRET_ACCESS_KEY", start, start + len(wrapped)),
        ),
        "evasion:base64-aws-pair",
    )
    body = _b64_lines(_PKCS8_HEAD + rng.randbytes(1217))
    yield (
        _Builder()
        .text("ssh rejects it:\n")
        .entity("PRIVATE_KEY", body)
        .text("\n")
        .build("evasion:pem-body-alone")
    )
    kind = rng.choice(["GITHUB_TOKEN", "OPENAI_API_KEY", "GOOGLE_API_KEY", "AWS_ACCESS_KEY_ID"])
    value = secrets[kind]()
    yield (
        _Builder()
        .text("I pasted ")
        .entity(kind, _zwsp_inside(value, rng))
        .text(" by mistake.")
        .build("evasion:zwsp-secret")
    )
    yield (
        _Builder()
        .text("I pasted ")
        .entity(kind, _fullwidth(value))
        .text(" by mistake.")
        .build("evasion:fullwidth-secret")
    )
    card = faker.credit_card_number(rng.choice(["visa16", "mastercard", "discover"]))
    groups = [card[i : i + 4] for i in range(0, 16, 4)]
    for group, written in (
        ("dotted-card", ".".join(groups)),
        ("fullwidth-card", _fullwidth(" ".join(groups))),
        ("zwsp-card", _zwsp_inside(" ".join(groups), rng)),
    ):
        yield (
            _Builder()
            .text("Refund the charge on ")
            .entity("CREDIT_CARD", written)
            .text(", it was a duplicate.")
            .build(f"evasion:{group}")
        )
    email = faker.email()
    for group, written in (
        ("zwsp-email", _zwsp_inside(email, rng)),
        ("fullwidth-email", _fullwidth(email)),
    ):
        yield (
            _Builder()
            .text("Please forward the contract to ")
            .entity("EMAIL_ADDRESS", written)
            .text(" before Friday.")
            .build(f"evasion:{group}")
        )


def _evasion_negatives(rng: random.Random, faker: Faker) -> Iterator[tuple[str, str]]:
    """(group, text) pairs that look encoded or disguised but hold nothing sensitive."""
    prose = faker.paragraph(nb_sentences=3).lower()
    yield "base64-prose", f"decode this: {base64.b64encode(prose.encode()).decode()}"
    config = json.dumps({"retries": rng.randint(1, 9), "region": "eu-west-1", "debug": False})
    yield "base64-json", f"the header was {base64.b64encode(config.encode()).decode()}"
    yield "hex-hash", f"sha512 {hashlib.sha512(rng.randbytes(16)).hexdigest()} matches."
    yield (
        "image",
        "logo: data:image/png;base64,"
        + base64.b64encode(b"\x89PNG\r\n\x1a\n" + rng.randbytes(300)).decode(),
    )
    yield "certificate", "our cert:\n" + _b64_lines(_CERT_HEAD + rng.randbytes(880))
    yield "public-key", "ssh public part:\n" + _b64_lines(_SPKI_HEAD + rng.randbytes(270))
    yield "fullwidth-prose", _fullwidth("please summarise the meeting notes for tomorrow.")
    yield (
        "cjk",
        f"订单号：{_fullwidth(str(rng.randint(10000, 99999)))}，已发货（预计三天）。",
    )
    yield "emoji", f"great work team 👩\u200d💻👨\u200d👩\u200d👧 {_ZWSP}see you soon"
    yield (
        "dotted-version",
        f"upgrade to {rng.randint(2019, 2025)}.{rng.randint(1, 12):02d}."
        f"{rng.randint(1, 28)}.{rng.randint(1, 9)} today",
    )


def generate_evasions(seed: int = SEED, rounds: int = 20) -> list[Sample]:
    """Encoded, unarmoured and disguised entities, and look-alikes that must stay silent:
    ``rounds`` samples of each kind, from a generator of their own (``generate`` is
    unchanged)."""
    rng = random.Random(seed + 1)
    faker = Faker("en_US")
    faker.seed_instance(seed + 1)
    samples: list[Sample] = []
    for _ in range(rounds):
        samples.extend(_evasion_positives(rng, faker))
        samples.extend(
            Sample(t, (), f"negative:evasion-{g}") for g, t in _evasion_negatives(rng, faker)
        )
    return samples


# --- credentials by structure (issue 14) ---------------------------------------------------

_SEASONS = ("Spring", "Summer", "Autumn", "Winter")


def human_password(rng: random.Random, faker: Faker) -> str:
    """A password a person picks: no entropy threshold catches these."""
    words = faker.words(3)
    return rng.choice(
        [
            f"{rng.choice(_SEASONS)}{rng.randint(2015, 2026)}{rng.choice(['!', '#', ''])}",
            f"{words[0]}-{words[1]}-{rng.randint(1, 99)}",
            f"{words[0].capitalize()}{words[1].capitalize()}{rng.randint(1, 999)}",
            f"{words[0]}{words[1]}",
            faker.password(length=rng.randint(8, 16)),
        ]
    )


def _userinfo_url(rng: random.Random, faker: Faker) -> tuple[str, str]:
    scheme, port, path = rng.choice(
        [
            ("postgres", 5432, "/orders"),
            ("postgresql+psycopg2", 5432, "/app"),
            ("mysql+pymysql", 3306, "/shop"),
            ("mysql", 3306, "/crm"),
            ("mongodb", 27017, "/events?authSource=admin"),
            ("mongodb+srv", 0, "/?retryWrites=true&w=majority"),
            ("redis", 6379, "/0"),
            ("rediss", 6380, ""),
            ("amqp", 5672, "/vhost"),
            ("https", 0, f"/{faker.user_name()}/{faker.word()}.git"),
            ("ftp", 21, "/pub"),
        ]
    )
    # No IP address as the host: it would be a finding of its own, right but unlabelled.
    host = rng.choice([f"db.{faker.domain_name()}", "localhost", "db", "github.com"])
    return f"{scheme}://{faker.user_name()}:", f"@{host}{f':{port}' if port else ''}{path}"


def _credential_positives(rng: random.Random, faker: Faker) -> Iterator[Sample]:
    """One sample per kind; the labelled span is the password or secret value."""
    user = faker.user_name()
    host = f"db.{faker.domain_name()}"
    before, after = _userinfo_url(rng, faker)
    intro = rng.choice(["Why does this fail? ", "DATABASE_URL=", "git remote add origin ", ""])
    kinds: list[tuple[str, str, str, str]] = [
        ("url-userinfo", intro + before, after + "\n", "PASSWORD"),
        (
            "ado-net",
            f"Server=tcp:{host},1433;Database=orders;User ID={user};Password=",
            ";Encrypt=True;",
            "PASSWORD",
        ),
        (
            "odbc",
            f"Driver={{ODBC Driver 18 for SQL Server}};Server={host};Uid={user};Pwd=",
            ";",
            "PASSWORD",
        ),
        (
            "jdbc",
            f"jdbc:postgresql://{host}:5432/app?user={user}&password=",
            "&ssl=true",
            "PASSWORD",
        ),
        (
            "dotenv",
            rng.choice(["DB_PASSWORD=", "SMTP_PASS=", "export POSTGRES_PASSWORD="]),
            "\n",
            "PASSWORD",
        ),
        ("yaml", f"database:\n  user: {user}\n  password: ", "\n  pool: 5", "PASSWORD"),
        ("json", f'{{"db": {{"user": "{user}", "password": "', '"}}', "PASSWORD"),
        ("ini-toml", '[database]\npassword = "', '"\nport = 5432', "PASSWORD"),
        ("k8s-env", 'env:\n  - name: DB_PASSWORD\n    value: "', '"\n', "PASSWORD"),
        ("yaml-secret", "oauth:\n  client_id: web\n  client_secret: ", "\n", "GENERIC_SECRET"),
        (
            "properties",
            "spring.datasource.username=app\nspring.datasource.password=",
            "\n",
            "PASSWORD",
        ),
        (
            "compose",
            "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ",
            "\n",
            "PASSWORD",
        ),
        (
            "cli",
            rng.choice([f"mysql -u {user} -p'", "redis-cli -h cache -a '", f"curl -u {user}:'"]),
            "' and then?",
            "PASSWORD",
        ),
        (
            "prose",
            "It says access denied but my password is ",
            " and it worked yesterday.",
            "PASSWORD",
        ),
    ]
    for group, prefix, suffix, entity_type in kinds:
        password = human_password(rng, faker)
        if group == "jdbc":  # a query parameter's "&" or "#" must be percent-encoded
            password = urllib.parse.quote(password, safe="")
        yield (
            _Builder()
            .text(prefix)
            .entity(entity_type, password)
            .text(suffix)
            .build(f"credential:{group}")
        )


def _credential_negatives(rng: random.Random, faker: Faker) -> Iterator[tuple[str, str]]:
    """(group, text): the same structures with placeholders, templates, or no value at all,
    and technical prose about credentials."""
    before, after = _userinfo_url(rng, faker)
    placeholder = rng.choice(
        [
            "${DB_PASSWORD}",
            "<password>",
            "****",
            "changeme",
            "{0}",
            "$(cat /run/secrets/db)",
            "your-password-here",
            "password",
            "xxx",
            "{{ .Values.db.password }}",
            "...",
        ]
    )
    yield "credential-placeholder-url", before + placeholder + after
    yield "credential-placeholder-ado", f"Server=db;User ID=sa;Password={placeholder};"
    yield "credential-placeholder-env", f"DB_PASSWORD={placeholder}\nAPI_TOKEN=\n"
    yield (
        "credential-placeholder-k8s",
        rng.choice(
            [
                f'env:\n  - name: DB_PASSWORD\n    value: "{placeholder}"\n',
                "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n"
                "        name: db\n        key: password\n",
            ]
        ),
    )
    yield (
        "credential-url-without-password",
        f"Clone https://{faker.user_name()}@github.com/{faker.user_name()}/app.git or use "
        f"git@github.com:{faker.user_name()}/app.git, see https://{faker.domain_name()}/docs",
    )
    yield (
        "credential-prose",
        rng.choice(
            [
                "Set the password in the config file and restart the service.",
                "Password: see the vault entry for the staging database.",
                "The token expires after one hour; refresh it before calling the API.",
                "Should the DB password live in Vault or in a Kubernetes secret?",
                "Rotate the client secret every 90 days and store it in the key vault.",
                "The connection string needs Server, Database, User ID and Password keys.",
                "The password is wrong! The password was incorrect twice.",
                "My password is too short, what is the minimum length?",
            ]
        ),
    )
    yield (
        "credential-code",
        rng.choice(
            [
                "password = os.environ['DB_PASSWORD']",
                "user.password = hashed_password",
                "client_secret = settings.client_secret",
                "password: str = Field(min_length=12)",
                'url = f"postgres://{user}:{password}@{host}/{db}"',
                "conn = psycopg2.connect(password=get_password())",
                "if user is None and password is None:\n    raise AuthError()",
                "mysql -u root -p -h db orders",
                'curl -u "$API_USER:$API_TOKEN" https://api.example.com/v1/items',
            ]
        ),
    )


def generate_credentials(seed: int = SEED, rounds: int = 20) -> list[Sample]:
    """Passwords in URLs, connection strings and config entries (human passwords, whatever
    their entropy), and the same structures holding placeholders: ``rounds`` samples of each
    kind, from a generator of their own (``generate`` is unchanged)."""
    rng = random.Random(seed + 2)
    faker = Faker("en_US")
    faker.seed_instance(seed + 2)
    samples: list[Sample] = []
    for _ in range(rounds):
        samples.extend(_credential_positives(rng, faker))
        samples.extend(Sample(t, (), f"negative:{g}") for g, t in _credential_negatives(rng, faker))
    return samples


# --- hard cases (issue 14): national phone formats, extensions, 12-19 digit cards, and ------
# --- technical prose, decimals, timestamps and ids that must stay quiet ---------------------

# National formats as people write them, without a country code ('#' is a random digit;
# a draw counts only if libphonenumber calls the number valid in that region).
_NATIONAL_PHONES: dict[str, tuple[str, ...]] = {
    "DE": ("0151 #### ####", "0171/#######", "0160-#######", "030 ########", "(089) #######",
           "040-########", "0221 #######", "0176 ########"),
    "GB": ("07911 ######", "07### ######", "020 7### ####", "0161 496 ####", "(0113) 496 ####",
           "0131 ### ####"),
    "FR": ("06 ## ## ## ##", "07 ## ## ## ##", "01.4#.##.##.##", "04-7#-##-##-##",
           "09 ## ## ## ##"),
    "NL": ("06-########", "06 #### ####", "020-#######", "010 ### ####", "(030) #######"),
    "ES": ("6## ### ###", "91 ### ## ##", "93# ### ###", "6########", "7## ## ## ##"),
    "IT": ("3## ### ####", "02 #### ####", "06 #### ####", "34#-#######", "011 #######"),
    "IN": ("098### #####", "9#### #####", "022 #### ####", "011-########", "080 ########"),
}  # fmt: skip
# US numbers with an extension or an international "001-" prefix, "00" + country code.
_PREFIXED_PHONES: tuple[tuple[str, str], ...] = (
    ("US", "###.###.####x###"),
    ("US", "+1-###-###-####x##"),
    ("US", "(###) ###-#### ext. ###"),
    ("US", "###-###-#### ext ####"),
    ("US", "001-###-###-####"),
    ("US", "001-###-###-####x###"),
    ("GB", "0044 20 7### ####"),
    ("DE", "0049 30 ########"),
    ("FR", "0033 6 ## ## ## ##"),
)
_PHONE_TEMPLATES = (
    ("Call me back on ", " after four."),
    ("Tel.: ", "\n"),
    ("Mobil: ", " (nur abends)"),
    ("Rewrite politely: the caller left ", " and wants an answer today."),
    ("contact,phone\nfront desk,", "\n"),
)
# (issuer, prefixes, lengths): every length from 12 to 19 is someone's card.
_CARD_ISSUERS: tuple[tuple[str, tuple[str, ...], tuple[int, ...]], ...] = (
    ("maestro", ("5018", "5020", "5038", "6304", "6759", "6761", "6763"), (12, 13, 19)),
    ("visa", ("4",), (13, 19)),
    ("diners", ("36", "38", "300", "305"), (14,)),
    ("amex", ("34", "37"), (15,)),
    ("unionpay", ("62",), (16, 17, 18, 19)),
    ("jcb", ("3528", "3589"), (16, 19)),
    ("discover", ("6011", "65"), (16, 19)),
    ("mastercard", ("51", "55", "2221", "2720"), (16,)),
)
_CARD_TEMPLATES = (
    ("Charge it to ", " please."),
    ("card: ", " exp 03/28"),
    ("The Maestro card ", " was declined at the till."),
    ('{"payment": {"pan": "', '", "cvv_checked": true}}'),
)
_VERBS = ("Port", "Migrate", "Move", "Deploy", "Wire", "Point", "Pin", "Rewrite", "Benchmark",
          "Profile", "Shard", "Mock", "Patch", "Containerise", "Upgrade", "Replace", "Split",
          "Monitor", "Secure", "Document")  # fmt: skip
_TECH_PROSE = (
    "Should we put {0} in front of the {1} cache?",
    "{v} the {0} service to {1} and deploy it on {2}.",
    "{0} or {1} for the {2} agents?",
    "Why does {0} keep restarting after I upgraded {1}?",
    "How do I get {0} to talk to {1} over mTLS?",
    "Can {0} read from {1} directly, or do we need {2} in between?",
    "{v} {0} before we switch the {1} workers to {2}.",
    "Is {0} still maintained, or should new projects use {1}?",
    "Our {0} bill doubled after moving the queue to {1}. Where do I look first?",
    "Write a short comparison of {0} and {1} for the architecture review.",
    "{v} everything that still depends on {0}; {1} replaces it next sprint.",
)


def _digits(pattern: str, rng: random.Random) -> str:
    return "".join(rng.choice(string.digits) if ch == "#" else ch for ch in pattern)


def _valid_phone(region: str, pattern: str, rng: random.Random) -> str:
    for _ in range(500):
        written = _digits(pattern, rng)
        base = written.split("x")[0].split(" ext")[0]
        if base.startswith("00"):  # "001-202-..." and "0044 20 ..." are international
            base = "+" + base[2:]
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(base, region)):
                return written
        except phonenumbers.NumberParseException:
            continue
    raise RuntimeError(f"no valid {region} number for {pattern!r} in 500 draws")


def luhn_complete(partial: str) -> str:
    """``partial`` with the check digit that makes it Luhn-valid."""
    for check in string.digits:
        if _luhn_ok(partial + check):
            return partial + check
    raise AssertionError("unreachable: one check digit always fits")


def _long_card(rng: random.Random, length: int) -> str:
    """A Luhn-valid card of ``length`` digits from an issuer that uses that length."""
    prefix = rng.choice(rng.choice([p for _, p, lengths in _CARD_ISSUERS if length in lengths]))
    number = luhn_complete(prefix + _digits("#" * (length - len(prefix) - 1), rng))
    if rng.random() < 0.4:
        return " ".join(number[i : i + 4] for i in range(0, length, 4))
    return number


def _luhn_valid_digits(rng: random.Random, length: int) -> str:
    return luhn_complete(rng.choice("123456789") + _digits("#" * (length - 2), rng))


def _numeric_negatives(rng: random.Random) -> Iterator[tuple[str, str]]:
    """(group, text): floats, timestamps and ids, many of them Luhn-valid digit runs."""
    floats = [repr(rng.random()) for _ in range(4)]
    yield "decimal", f"The model's accuracy was {floats[0]} and the loss {floats[1]}."
    yield "decimal", f"array([{floats[0]}, {floats[1]}, {floats[2]}, {floats[3]}])"
    yield "decimal", f"mean    {floats[2]}\nstd     {floats[3]}\nmin     0.0\nmax     1.0"
    yield "decimal", f"lat={rng.uniform(-80, 80)!r}, lon={rng.uniform(-170, 170)!r}"
    seconds = rng.randint(1_300_000_000, 1_800_000_000)
    millis = seconds * 1000 + rng.randint(0, 999)
    yield "timestamp", f'{{"ts": {millis}, "level": "info", "msg": "cache warmed"}}'
    yield "timestamp", f"created={seconds} updated={seconds + rng.randint(1, 10**5)}"
    yield "timestamp", f"{millis} INFO worker started in {rng.randint(10, 999)} ms"
    yield "timestamp", f"Convert the epoch {seconds} and {millis} (ms) to UTC dates."
    yield "timestamp", f"time.time() printed {seconds}.{rng.randint(100000, 999999)}"
    yield "json-id", f'{{"id": {_luhn_valid_digits(rng, 16)}, "status": "shipped"}}'
    yield "json-id", f'{{"user_id": "{_luhn_valid_digits(rng, 19)}", "guild": 42}}'
    yield "json-id", f'{{"order_id": {_luhn_valid_digits(rng, 13)}, "items": 3}}'
    yield "url-id", f"GET /api/v1/orders/{_luhn_valid_digits(rng, 16)}/items returns 404"
    yield "url-id", f"https://example.com/invoices/{_luhn_valid_digits(rng, 15)}.pdf"
    yield "glued-id", f"build-{_luhn_valid_digits(rng, 16)}-linux-amd64.tar.gz"
    yield "glued-id", f"trace id tr{_luhn_valid_digits(rng, 16)}x in the gateway log"


def _tech_prose(rng: random.Random) -> str:
    tools = rng.sample(TOOLS, 3)
    return rng.choice(_TECH_PROSE).format(*tools, v=rng.choice(_VERBS))


def generate_hard_cases(seed: int = SEED, rounds: int = 20) -> list[Sample]:
    """Issue 14's classes, each from a generator of its own: national phone formats per
    region, extensions and international prefixes, Luhn-valid cards of 12 to 19 digits, and
    hard negatives (technical prose about products, decimals, timestamps, ids): ``rounds``
    samples of each kind (``generate`` is unchanged)."""
    rng = random.Random(seed + 3)
    samples: list[Sample] = []
    for _ in range(rounds):
        for region, patterns in _NATIONAL_PHONES.items():
            before, after = rng.choice(_PHONE_TEMPLATES)
            number = _valid_phone(region, rng.choice(patterns), rng)
            samples.append(
                Builder().text(before).entity("PHONE_NUMBER", number).text(after)
                .build(f"hard:phone-national-{region}")
            )  # fmt: skip
        region, pattern = rng.choice(_PREFIXED_PHONES)
        kind = "prefix-00" if pattern.startswith("00") else "extension"
        before, after = rng.choice(_PHONE_TEMPLATES)
        samples.append(
            Builder().text(before).entity("PHONE_NUMBER", _valid_phone(region, pattern, rng))
            .text(after).build(f"hard:phone-{kind}")
        )  # fmt: skip
        for length in rng.sample(range(12, 20), 4):  # every length about as often
            card = _long_card(rng, length)
            before, after = rng.choice(_CARD_TEMPLATES)
            samples.append(
                Builder().text(before).entity("CREDIT_CARD", card).text(after)
                .build(f"hard:card-{length}")
            )  # fmt: skip
        samples.extend(Sample(_tech_prose(rng), (), "negative:tech-prose") for _ in range(5))
        samples.extend(Sample(t, (), f"negative:{g}") for g, t in _numeric_negatives(rng))
    return samples
