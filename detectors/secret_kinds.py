"""Secrets told by their *kind*: values a program generated for another program, with no
vendor prefix to find them by, named by what they are for rather than by a ``key = value``.

* prose that names the kind, then the value after a short bridge: "the HMAC key for the
  test harness: X", "refresh token from cache: X", "the jwt secret on staging is literally
  X", "Shared secret (HMAC-SHA256): X", "TOTP seed: X", "ключ шифрования: X"; an
  authenticator's seed may be written in groups ("kqkk 3ave myjn mnyh");
* the signature of a signed URL (``X-Amz-Signature=``, an Azure SAS ``sig=``, CloudFront's
  ``Signature=``): whoever holds the link holds the access;
* the key a signing or encryption call is given as a literal (``crypto.createHmac('sha256',
  'X')``, ``Fernet(b'X')``, Stripe's ``construct_event(payload, header, 'X')``, a
  ``key='X'`` beside ``HS256`` in a traceback's locals), or a key name assigned a literal
  through a decoding call (``signingKey = []byte("X")``, ``ENCRYPTION_KEY =
  bytes.fromhex("X")``);
* a value told as the new, current or generated *one* of a secret named just before
  ("rotate secret_key_base. Current value for staging: X", "it needs a refresh token. I
  generated one with the service account:\nX");
* ``openssl enc -K <hex>``: the raw key on the command line;
* an app password the provider generated ("app password CywjZYXbPHnDoXSZbTeV");
* a triple-quoted value under a credential's key: TOML's and Python's
  ``password = '''X'''`` (and the same with double quotes).

And one shape that is no secret though it looks like one: a Fernet *token* (``gAAAAA...``)
is ciphertext, useless without the key (:func:`is_ciphertext`).
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.assigned_secrets import PASSWORD_KEY, SECRET_KEY, TOKEN_KEY
from detectors.letter_keys import random_letters
from detectors.secret_rule import CONTEXTUAL, STRUCTURED, AnchoredPattern, Check, SecretRule
from detectors.secret_values import is_placeholder, is_scattered, random_looking

# What a generated secret is for, as people name it ("webhook secret", "AES-256 key",
# "refresh token", "TOTP seed"); Russian "ключ шифрования" (encryption key) too.
_KIND = (
    r"(?i:refresh[ \t_-]?tokens?"
    r"|(?:hmac|jwt|signing|webhook|encryption|decryption|aes(?:-?(?:128|192|256))?|fernet"
    r"|shared|master|otp|totp|2fa|mfa)[ \t_-]+(?:keys?|secrets?|seeds?)"
    r"|(?:setup|this)[ \t]+key"  # an authenticator's "Enter this key instead: X"
    r"|ключ(?:а|ом)?[ \t]+(?:шифрования|подписи)|секретный[ \t]+ключ)"
)
_KIND_ANCHOR = r"token|key|secret|seed|ключ"
_KIND_TRIGGERS = (
    "refresh", "hmac", "jwt", "signing", "webhook", "encryption", "decryption", "aes",
    "fernet", "shared", "master", "otp", "2fa", "mfa", "ключ", "setup key", "this key",
)  # fmt: skip
# Words after the kind that make the phrase name something else: "refresh token endpoint",
# "the signing key id", "the webhook secret's rotation policy".
_NOT_THE_VALUE = (
    r"(?![ \t_-]*(?i:ids?|names?|endpoint|url|uri|header|field|type|length|format|rotation"
    r"|policy|hash|fingerprint|version|path|file|store|manager|variable)\b)"
)
# A word of the sentence between the kind and its value: no sentence end, no quote.
_WORD = r"[^\s.!?:;=\"'`()<>]{1,24}"
_BRIDGE = (
    r"(?:[ \t]*\([^()\n]{1,40}\))?"  # "Shared secret (HMAC-SHA256): X"
    r"(?:(?:[ \t]+" + _WORD + r"){0,8}?(?:[ \t]*\([^()\n]{1,40}\))?"  # "(please remove it)"
    r"(?:[ \t]*(?::|->|=>|→|=)[ \t]*(?:\r?\n[ \t]*)?"  # "...: X", "...:\nX"
    r"|[ \t]+(?i:is|was|are|it'?s)(?:[ \t]+(?i:literally|now|still|actually|just))?[ \t]+"
    r"(?:[:=][ \t]*)?"
    r"|[ \t]*\()"  # "refresh token of the sync service (X)"
    r"|[ \t]+)"  # "TOTP seed X": a blank alone only right after the kind
)
_VALUE = (
    r"(?:\"(?P<dq>[^\"\s]{12,256})\"|'(?P<sq>[^'\s]{12,256})'|`(?P<bt>[^`\s]{12,256})`"
    # an authenticator's seed in groups of four, as set-up pages show it
    r"|(?P<value>[a-z2-7]{4}(?:[ ][a-z2-7]{4}){3}(?:(?:[ ][a-z2-7]{4}){4})?"
    r"|[A-Z2-7]{4}(?:[ ][A-Z2-7]{4}){3}(?:(?:[ ][A-Z2-7]{4}){4})?)"
    r"|(?P<bare>[A-Za-z0-9][A-Za-z0-9_~+/.%-]{10,254}[A-Za-z0-9]={0,2}))(?![\w/+=~-])"
)
_KIND_PROSE = AnchoredPattern.build(
    _KIND_ANCHOR,
    r"(?<![\w.$/-])" + _KIND + r"(?![\w-])" + _NOT_THE_VALUE + _BRIDGE + _VALUE,
    1,  # back over "refresh", "AES-256", "shared" to the kind's first word
    32,
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_LONG_HEX = re.compile(r"[0-9a-fA-F]{32,}")
_GROUPED_SEED = re.compile(r"[a-zA-Z2-7]{4}(?: [a-zA-Z2-7]{4})+")
_RANDOM = random_looking(3.0)
_CAPITALISED_WORDS = re.compile(r"(?:[A-Z][a-z]{2,}){2,}\d{0,4}[^\w\s]{0,2}")
# Words before the kind that make it no secret: "the public signing key", "an example
# webhook secret", "a sample refresh token".
_NOT_SECRET_BEFORE = re.compile(
    r"(?i)\b(?:public|publishable|example|sample|dummy|fake|test[ \t]+vector)[ \t]+\S*[ \t]*$"
)


def _generated_value(value: str, match: re.Match[str], text: str) -> bool:
    """A value a program generated: an authenticator's grouped seed, 32 hex digits or more
    (keys are often hex), or a random-looking token whose character classes change like a
    random string's ("WsPrgJ9F1hk9R", not "the-staging-one" or "SessionTokenStore"); no
    UUID (an id: "the KMS key <uuid>"), no placeholder, no public or example key."""
    head = text[max(0, match.start() - 40) : match.start()]
    if _NOT_SECRET_BEFORE.search(head) is not None or is_placeholder(value):
        return False
    if _GROUPED_SEED.fullmatch(value) is not None:
        return any(ch in "234567" for ch in value)  # "test file that also runs": words
    if _UUID.fullmatch(value) is not None:
        return False
    if _LONG_HEX.fullmatch(value) is not None:
        return True
    if _CAPITALISED_WORDS.fullmatch(value) is not None:
        return False  # "LearnDropFirm": words a person joined, a password's rules judge it
    return is_scattered(value) and _RANDOM(value, match, text)


# A value told as "the new one", "the current value" or "one I generated" of a secret the
# sentences just before named: the reference, up to five words, then ":" or "is".
_ANOTHER = AnchoredPattern.build(
    r"one|value",
    r"(?<![\w-])(?i:(?:new|old|current|previous|generated|created|issued)[ \t]+(?:one|value))"
    r"(?![\w-]),?(?:[ \t]+" + _WORD + r"){0,5}?(?:[ \t]*:|[ \t]+(?i:is|was))[ \t]*(?:\r?\n[ \t]*)?"
    r"(?P<bare>[A-Za-z0-9][A-Za-z0-9_~+/.%-]{14,254}[A-Za-z0-9]={0,2})(?![\w/+=~-])",
    1,  # back over "new", "generated" to the reference's first word
    24,
)
_ANOTHER_TRIGGERS = tuple(
    f"{adjective} {noun}"
    for adjective in ("new", "old", "current", "previous", "generated", "created", "issued")
    for noun in ("one", "value")
)
# The secret named before the reference: its kind, or a credential's noun or key name
# ("secret_key_base", "webhook secret", "refresh token"); not a password (a person's, which
# the password rules judge), not an id, a name or a digest of one.
_SECRET_NAMED = re.compile(
    r"(?i)(?:" + _KIND + r"|(?:\w*[_-])?(?:secret|token|key)(?:[_-]\w+)?)s?\b" + _NOT_THE_VALUE
)
_DIGEST_NAMED = re.compile(r"(?i)\b(?:sha\d*|hash|digest|checksum|commit|fingerprint|nonce)\b")
# characters: the sentence before the reference (with the reference and its words, within
# the 256 characters a streamed answer keeps before what it holds back)
_NAMED_BEFORE = 120


def _another_of_a_secret(value: str, match: re.Match[str], text: str) -> bool:
    """A secret was named in the 120 characters before the reference (and no digest nor
    anything public since), and the value is a generated one (:func:`_generated_value`)."""
    head = text[max(0, match.start() - _NAMED_BEFORE) : match.start()]
    named = next(reversed(list(_SECRET_NAMED.finditer(head))), None)  # the nearest
    if named is None or _DIGEST_NAMED.search(head, named.start()) is not None:
        return False
    before = head[max(0, named.start() - 40) : named.start()]
    return _NOT_SECRET_BEFORE.search(before) is None and _generated_value(value, match, text)


# An app password (an app-specific password) the provider generated: random letters and
# digits of 16 or more, a generic secret like any generated key (a person's own password
# told as "my app password is Autumn2024!" stays the password rules'). Above them: the
# password rule in prose reports the same value.
_APP_PASSWORD = AnchoredPattern.build(
    r"password",
    r"(?<![\w-])(?i:app(?:lication)?(?:[ \t-]+specific)?[ \t-]+password)(?![\w-])"
    r"(?:[ \t]*:|[ \t]+(?i:is|was))?[ \t]+"
    r"(?P<bare>[A-Za-z0-9][A-Za-z0-9_-]{14,126}[A-Za-z0-9])(?![\w/+=~-])",
    2,  # back over "app", "application specific"
    24,
)


def _generated_password(value: str, match: re.Match[str], text: str) -> bool:
    """Random letters in both cases ("CywjZYXbPHnDoXSZbTeV"), or a random-looking token
    with a digit whose classes change like a random string's."""
    if random_letters(value):
        return True
    return any(ch.isdigit() for ch in value) and is_scattered(value) and _RANDOM(value, match, text)


# The query parameter that carries a signed URL's signature: S3's and GCS's by their names,
# CloudFront's "Signature" beside its "Key-Pair-Id" or "Expires". (An Azure SAS's "sig" is
# read after its "sv=" by detectors.token_contexts; a "sig=" alone is a search's word.)
_URL_SIGNATURE = re.compile(
    r"(?<=[?&])(?P<key>(?i:x-amz-signature|x-goog-signature)|Signature)="
    r"(?P<value>[A-Za-z0-9%~_.+/-]{20,1024}={0,2})(?=[&\s\"'<>#)\]]|$)"
)
_CLOUDFRONT = re.compile(r"[?&](?:Key-Pair-Id|Expires|Policy)=")
_URL_START = re.compile(r"\s(?=\S*\Z)")  # the blank before the URL's first character
_URL_END = re.compile(r"\s")


def _signature_value(value: str, match: re.Match[str], text: str) -> bool:
    """Random-looking (hex, base64, percent-encoded base64), not a placeholder; CloudFront's
    ``Signature`` only in a URL that carries its other parameters."""
    if match["key"] == "Signature":
        url_start = _URL_START.search(text, 0, match.start())
        url_end = _URL_END.search(text, match.end())
        url = text[url_start.end() if url_start else 0 : url_end.start() if url_end else None]
        if _CLOUDFRONT.search(url) is None:
            return False
    return not is_placeholder(value) and _RANDOM(value, match, text)


_QUOTED = r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'|`(?P<bt>[^`\n]{1,256})`)"
# Calls whose argument is a key: Node's createHmac(algorithm, key), Python's Fernet(key),
# Stripe's construct_event(payload, signature header, endpoint secret).
_KEY_ARGUMENT = re.compile(
    r"(?<![\w])(?:createHmac\([ \t]*[\"'][\w-]{2,12}[\"'][ \t]*,|Fernet\("
    r"|construct_?[eE]vent\([^,()\n]{1,80},[^,()\n]{1,80},)[ \t]*b?" + _QUOTED
)
_KEY_ARGUMENT_TRIGGERS = ("createhmac(", "fernet(", "construct_event(", "constructevent(")
# The key of an HMAC-signed JWT as a keyword: ``key='X'`` / ``secret='X'`` where an HMAC
# algorithm (HS256/384/512) or JWT is named on its line or the line before (a traceback's
# locals under PyJWT's error, a call's keywords). An RS/ES key is a PEM block or a variable,
# not a bare literal. (The key given by position, ``jwt.decode(token, 'X')``, is
# detectors.assigned_secrets' signing call.) Only what comes before the key is read: a
# streamed answer decides the key before the rest of its line has arrived.
_JWT_KEY = re.compile(
    r"(?<![\w.])(?i:key|secret|secret_key|signing_key|jwt_secret)[ \t]*=[ \t]*b?" + _QUOTED
)
_JWT_KEY_TRIGGERS = ("hs256", "hs384", "hs512", "jwt")
_HMAC_ALGORITHM = re.compile(r"\bHS(?:256|384|512)\b|(?i:\bpy)?jwt\b|(?i:jwt)[._]")


def _jwt_key(value: str, match: re.Match[str], text: str) -> bool:
    """A literal key of 8 characters or more with no blank, random (``key=`` names many
    things: a cache's, a map's), after an HMAC algorithm or JWT named on its line or the one
    before; not a placeholder nor a variable's name in capitals."""
    if not _literal_key(value, match, text) or any(ch.isspace() for ch in value):
        return False
    random = is_scattered(value) or _LONG_HEX.fullmatch(value) is not None
    if not random or not _RANDOM(value, match, text):
        return False  # "user:42:profile", "session-cache-v2"
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : match.start()]
    return _HMAC_ALGORITHM.search(before[-240:]) is not None


# A secret's key assigned a literal through a call that decodes it into bytes.
_DECODING_CALL = (
    r"(?:\[\]byte|bytes\.fromhex|(?:base64\.)?(?:urlsafe_)?b64decode|Buffer\.from"
    r"|Convert\.FromBase64String|Encoding\.UTF8\.GetBytes|Base64\.decode64|bytearray)"
)
_DECODED_LITERAL = AnchoredPattern.build(
    "key|token|secret",
    r"(?<![A-Za-z0-9])(?P<key>(?i:"
    + SECRET_KEY
    + "|"
    + TOKEN_KEY
    + r"))[ \t]*(?::=|=)[ \t]*"
    + _DECODING_CALL
    + r"\([ \t]*b?"
    + _QUOTED,
    0,
    128,
)
_DECODED_TRIGGERS = (
    "[]byte(", "fromhex(", "b64decode(", "buffer.from(", "frombase64string(", "getbytes(",
    "decode64(", "bytearray(",
)  # fmt: skip
_MIN_KEY = 8  # tutorials sign with 'secret' or 'shhhhh'; real keys are longer


def _literal_key(value: str, match: re.Match[str], text: str) -> bool:
    """A key of 8 characters or more, not a placeholder nor a variable's name in capitals."""
    return len(value) >= _MIN_KEY and not is_placeholder(value) and not value.isupper()


# ``openssl enc -aes-256-cbc -K <hex> -iv <hex>``: the raw key in hex.
_OPENSSL_RAW_KEY = re.compile(
    r"(?<![\w-])openssl[ \t][^\n]{0,200}?[ \t]-K[ \t]+(?P<value>[0-9a-fA-F]{32,128})(?![\w-])"
)


def _triple_quoted(key: str, anchor: str) -> AnchoredPattern:
    """``key = \"\"\"X\"\"\"`` or ``'''X'''``: TOML's and Python's triple-quoted strings."""
    return AnchoredPattern.build(
        anchor,
        r"(?<![A-Za-z0-9])(?P<key>(?i:" + key + r"))[ \t]*=[ \t]*"
        r"(?:\"\"\"(?P<dq>[^\"\n]{1,256})\"\"\"|'''(?P<sq>[^'\n]{1,256})''')",
        0,
        128,
    )


def _not_placeholder(value: str, match: re.Match[str], text: str) -> bool:
    return len(value) >= 4 and not is_placeholder(value)


# An authenticator's seed named "seed" (``seed = "X"`` under ``[totp]``, pyotp's "loading
# seed 'X'"): base32 capitals with a digit 2-7 and a letter, 16 to 64 of them.
_SEED = re.compile(
    r"(?<![\w-])(?i:(?:t?otp|2fa|mfa|totp)[_ -]?)?(?i:seed)[\"']?[ \t]*(?:[:=][ \t]*)?"
    r"(?:\"(?P<dq>[A-Z2-7]{16,64})\"|'(?P<sq>[A-Z2-7]{16,64})'|(?P<bare>[A-Z2-7]{16,64}))"
    r"(?![\w-])"
)


def _base32_seed(value: str, match: re.Match[str], text: str) -> bool:
    """Base32 with a letter and a digit of its alphabet: no word in capitals, no number."""
    return any(ch in "234567" for ch in value) and any(ch.isalpha() for ch in value)


# What a secret generator prints, right after the command that ran it (on the next line or
# after an arrow): Fernet's and Django's key generators, Python's secrets module, openssl
# rand, rails secret, Laravel's key:generate --show.
_GENERATED = re.compile(
    r"(?:Fernet\.generate_key\(\)|get_random_secret_key\(\)|secrets\.token_(?:urlsafe|hex)"
    r"\(\d*\)|openssl[ \t]+rand[ \t]+-(?:base64|hex)[ \t]+\d+|rails[ \t]+secret"
    r"|key:generate[ \t]+--show)[^\n]{0,60}?(?:[ \t]*(?:→|->|=>)[ \t]*|\r?\n[ \t]*)"
    r"(?P<value>[A-Za-z0-9_+/-]{16,256}={0,2})(?![\w/+=~-])"
)
_GENERATED_TRIGGERS = (
    "generate_key()", "get_random_secret_key()", "secrets.token_", "openssl rand",
    "rails secret", "key:generate",
)  # fmt: skip
# GitHub Actions' step debug log prints what an expression evaluated to, a secret's value
# included: "##[debug]Evaluating: secrets.SMTP_PASSWORD" then "##[debug]=> 'X'".
_ACTIONS_DEBUG = re.compile(
    r"##\[debug\]Evaluating: secrets\.(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n"
    r"[^\n]{0,40}##\[debug\]=> '(?P<sq>[^'\n]{1,256})'"
)
_PASSWORD_NAME = re.compile(r"(?i)pass|pwd|pw$")


def _secret_named(password: bool) -> Check:
    """An evaluated secret whose name says a password (``password``) or not, masked
    values (``***``) left out."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        named = _PASSWORD_NAME.search(match["key"]) is not None
        return named == password and not is_placeholder(value) and set(value) != {"*"}

    return check


# The password of an LDAP bind under the names of its clients: passport-ldapauth's and
# GitLab's "bindCredentials", JNDI's "java.naming.security.credentials".
_BIND_CREDENTIALS = AnchoredPattern.build(
    "credentials",
    r"(?<![\w-])(?P<key>(?i:bind[_.-]?credentials|(?:java\.naming\.)?security\.credentials))"
    r"[\"']?[ \t]*[:=][ \t]*"
    r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'|(?P<bare>[^\s,}\"']{1,256}))",
    0,
    40,
)


_FERNET_TOKEN = re.compile(r"gAAAAA[A-Za-z0-9_+/-]{50,}={0,2}")


def is_ciphertext(value: str) -> bool:
    """A Fernet token (version byte 0x80 and a timestamp's zero high bytes, so ``gAAAAA``,
    then the rest in base64): data encrypted with a key, not the key. A whole token holds
    at least 73 bytes (100 characters); one cut short in a log or a traceback is still no
    key, and a random key starts ``gAAAAA`` once in 64**6 draws."""
    return _FERNET_TOKEN.fullmatch(value) is not None


# Postfix's SMTP client credentials written inline as a static map:
# "smtp_sasl_password_maps = static:user@example.com:X" (the password after the last colon).
_POSTFIX_STATIC = re.compile(
    r"(?<![\w-])(?:smtp|lmtp)_sasl_password_maps[ \t]*=[ \t]*static:[^\s:]{1,128}:"
    r"(?P<bare>\S{1,256})"
)


def secret_kind_rules() -> tuple[SecretRule, ...]:
    """The rules of this module (see its docstring)."""
    rule = SecretRule
    return (
        rule(E.GENERIC_SECRET, _KIND_PROSE, 0.75, CONTEXTUAL, _KIND_TRIGGERS, _generated_value),
        rule(E.GENERIC_SECRET, _ANOTHER, 0.7, CONTEXTUAL, _ANOTHER_TRIGGERS, _another_of_a_secret),
        rule(
            E.GENERIC_SECRET,
            _APP_PASSWORD,
            0.75,
            STRUCTURED,
            ("app password", "app-password", "specific password"),
            _generated_password,
        ),
        rule(
            E.GENERIC_SECRET,
            _URL_SIGNATURE,
            0.75,
            CONTEXTUAL,
            ("signature=",),
            _signature_value,
        ),
        rule(
            E.GENERIC_SECRET,
            _KEY_ARGUMENT,
            0.8,
            CONTEXTUAL,
            _KEY_ARGUMENT_TRIGGERS,
            _literal_key,
        ),
        rule(E.GENERIC_SECRET, _DECODED_LITERAL, 0.8, CONTEXTUAL, _DECODED_TRIGGERS, _literal_key),
        rule(E.GENERIC_SECRET, _JWT_KEY, 0.8, CONTEXTUAL, _JWT_KEY_TRIGGERS, _jwt_key),
        rule(E.GENERIC_SECRET, _OPENSSL_RAW_KEY, 0.8, CONTEXTUAL, ("openssl",), None),
        rule(
            E.PASSWORD,
            _triple_quoted(PASSWORD_KEY, "pass|pw"),
            0.8,
            CONTEXTUAL,
            ('"""', "'''"),
            _not_placeholder,
        ),
        rule(
            E.GENERIC_SECRET,
            _triple_quoted(SECRET_KEY + "|" + TOKEN_KEY, "key|token|secret|credential"),
            0.8,
            CONTEXTUAL,
            ('"""', "'''"),
            _not_placeholder,
        ),
        rule(E.GENERIC_SECRET, _SEED, 0.75, CONTEXTUAL, ("seed",), _base32_seed),
        rule(E.GENERIC_SECRET, _GENERATED, 0.75, CONTEXTUAL, _GENERATED_TRIGGERS, _RANDOM),
        rule(
            E.PASSWORD,
            _ACTIONS_DEBUG,
            0.8,
            CONTEXTUAL,
            ("evaluating: secrets.",),
            _secret_named(password=True),
        ),
        rule(
            E.GENERIC_SECRET,
            _ACTIONS_DEBUG,
            0.8,
            CONTEXTUAL,
            ("evaluating: secrets.",),
            _secret_named(password=False),
        ),
        rule(
            E.PASSWORD,
            _POSTFIX_STATIC,
            0.8,
            CONTEXTUAL,
            ("sasl_password_maps",),
            _not_placeholder,
        ),
        rule(
            E.PASSWORD,
            _BIND_CREDENTIALS,
            0.8,
            CONTEXTUAL,
            ("credentials",),
            _not_placeholder,
        ),
    )
