"""Tokens and passwords named by what stands around them rather than by a ``key = value``.

Where people paste service credentials, the name and the value are often not an assignment:

* a call that takes a header's or variable's name and then its value:
  ``addHeader("X-Api-Key", "X")``, ``os.Setenv("PAYMENTS_API_KEY", "X")``,
  ``define('DB_PASSWORD', 'X')`` (here and in objects a token of letters alone that are
  no words passes too: ``config.set("cloudflare:apiToken", "sbfjFINCpwnfPilcPsnk")``);
* a UUID or long hex in a user and password pair (``'auth' => ['api', X]``, ``auth=(...)``):
  a key, not a password a person chose;
* a key/value object: Postman's ``{"key": "apiKey", "value": "X"}``, .NET's
  ``<add key="ApiSecret" value="X" />``;
* a URL's ``?key=`` or ``&auth=`` parameter, a session cookie in a ``Cookie:`` header,
  the ``"auth"`` of a registry login (``~/.docker/config.json``);
* the token of a URL whose user name says it is a token (``https://oauth2:X@gitlab...``,
  ``https://__token__:X@pypi...``, ``x-access-token``);
* the value a CLI stores under a secret's name: ``gh secret set NAME --body X``,
  ``aws ssm put-parameter --name /app/api-key --value X``;
* a table's column headed "api key", "token" or "secret";
* a key given to an SDK's client as a bare argument (:mod:`detectors.client_arguments`);
* prose: "use this key X", "the partner's staging key, it's X", "I regenerated the token,
  the new one is X", "here is your key for the reporting API: X", "signing key loaded: X",
  "the secret for the signer, don't share it: X", and a key of 12 to 15 characters right
  after its name ("the dashboard gave me the key WKvYprh6t2Xog5f").

Keys and tokens told by a label in another language ("der API-Schlüssel lautet X",
"klucz API: X") are :mod:`detectors.labelled_credentials`' rules, with the check here.

A token's value must still look random (the generic check: length, entropy, a digit) and,
where only prose names it, change character classes like a random string does; a hash, a
UUID or a prefixed id (``req_...``) named by nothing stays quiet.
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.client_arguments import client_argument_rules
from detectors.credential_labels import load_labels
from detectors.credential_phrases import load_tech_words
from detectors.labelled_credentials import PERSONAL, key_rules
from detectors.letter_keys import random_letters
from detectors.password_commands import BASIC_AUTH_PAIR, BASIC_AUTH_TRIGGERS, command_value
from detectors.password_tables import token_table_rules
from detectors.public_ids import has_public_shape
from detectors.secret_rule import CONTEXTUAL, SPECIFIC, STRUCTURED, AnchoredPattern, Check
from detectors.secret_rule import SecretRule as Rule
from detectors.secret_values import all_of, either, is_placeholder, is_scattered

_DQ_SQ = r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})')"
# A name that holds a token: "X-Api-Key", "apikey", "PAYMENTS_API_KEY", "x-auth-token",
# "ApiSecret", "client_secret", "Authorization" is left to the Bearer/Basic rules.
_TOKEN_NAME = (
    r"(?:[A-Za-z0-9]{1,24}[_.:-]){0,4}(?:api[_.-]?key|apikey|api[_.-]?secret|access[_.-]?key"  # noqa: S105
    r"|(?:access|auth|refresh|bearer|session|private|secret|service|app|client|api)?[_.-]?token"
    r"|(?:client|app|api|signing|webhook|shared|hmac|jwt|encryption)?[_.-]?secret|auth[_.-]?key"
    r"|secret[_.-]?key)"
)
_PASSWORD_NAME = r"(?:[A-Za-z0-9]{1,24}[_.-]){0,4}(?:password|passwd|passphrase|pwd)"  # noqa: S105 - a pattern
# Words of a name that make it no secret: "PUBLIC_KEY", "csrf_token", "page_token".
_NOT_SECRET_NAME = re.compile(
    r"(?i)public|publishable|csrf|xsrf|authenticity|page|next|cursor|sort|cache"
)


def _secret_name(name: str) -> bool:
    return _NOT_SECRET_NAME.search(name) is None


#: For :mod:`detectors.printed_secrets`: the names of a token and a password, whether a
#: name is not a public one, and the check of a password named by its key.
TOKEN_NAME, PASSWORD_NAME, is_secret_name = _TOKEN_NAME, _PASSWORD_NAME, _secret_name


def _named(check: Check) -> Check:
    """``check``, and the name in the match's ``key`` group is not a public one."""

    def named(value: str, match: re.Match[str], text: str) -> bool:
        return _secret_name(match["key"]) and check(value, match, text)

    return named


# How the names of _TOKEN_NAME and _PASSWORD_NAME end.
_TOKEN_ENDS = ("key", "token", "secret")
_PASSWORD_ENDS = ("word", "wd", "phrase")


def _pair_triggers(ends: tuple[str, ...], *follows: str) -> tuple[str, ...]:
    """The triggers of a pair rule: a name's end, its closing quote and what follows it
    (``key",``): a rule for code runs only where a name is quoted like that, since
    "key" alone is in most of it."""
    return tuple(end + quote + after for end in ends for quote in "\"'" for after in follows)


def _call_pair(name: str, anchor: tuple[str, ...]) -> AnchoredPattern:
    """``f("NAME", "X")``: a call whose first argument names the second (the opening
    bracket is checked by :func:`_first_argument`). Tried only where a name holding
    ``anchor`` ends a quoted string followed by a comma (a key word alone is everywhere in
    code)."""
    return AnchoredPattern.build(
        r"(?:" + "|".join(anchor) + r")[\"'][ \t]*,[ \t]*[bBrRuU@]?[\"']",
        r"[\"'](?P<key>(?i:" + name + r"))[\"'][ \t]*,[ \t]*" + _DQ_SQ + r"[ \t]*[,)]",
        0,
        40,
    )


def _first_argument(check: Check) -> Check:
    """``check``, and the name is a call's first argument: an opening bracket before it."""

    def first(value: str, match: re.Match[str], text: str) -> bool:
        head = text[max(0, match.start() - 8) : match.start()].rstrip(" \t")
        return head.endswith("(") and check(value, match, text)

    return first


def _object_pair(name: str) -> AnchoredPattern:
    """``{"key": "NAME", "value": "X"}`` and ``<add key="NAME" value="X" />``. The rule runs
    only where a name's end, a quote and "value" meet (its triggers), and the pattern is
    tried at ``key=`` and ``"key":``: the match starts at its anchor (a rule that starts
    words before its anchor would be held back as a value-first phrase in streams)."""
    return AnchoredPattern.build(
        r"(?:key|name)[\"']?[ \t]*[:=][ \t]*[\"']",
        r"(?<![\w-])[\"']?(?:key|name)[\"']?[ \t]*[:=][ \t]*[\"'](?P<key>(?i:" + name + r"))"
        r"[\"'][ \t]*,?[ \t]*[\"']?value[\"']?[ \t]*[:=][ \t]*" + _DQ_SQ,
        0,
        2,
    )


# What the user part of a URL says when the password part is a token.
_TOKEN_USERS = (
    r"oauth2|__token__|x-access-token|x-oauth-basic|x-token-auth|gitlab-ci-token|oauth"  # noqa: S105
    r"|token|pat|apikey|api"
)
# A credential's name in prose, and what may stand between it and its value in the same
# sentence: "key, it's X", "token, the new one is X", "key for the reporting API: X".
# "key", "API key", and the names as identifiers write them: "api_key", "access-token"
_NOUN = r"(?:(?:api[ \t]+)|(?:api|access|auth|client)[_-])?(?:key|token|secret)s?"
NOT_SECRET_BEFORE = _NOT_NOUN_BEFORE = re.compile(
    r"(?i)(?:public|publishable|primary|foreign|sort|partition|cache|idempotency|ssh|gpg|pgp"
    r"|host|deploy|license|product|activation|registry|lookup|hash|map|dictionary|object"
    r"|routing|csrf|page|next|cursor|security|refresh"
    # an asymmetric key's id or fingerprint ("using RSA key <hex>"), a KMS key's id
    r"|rsa|dsa|ecdsa|ed25519|kms"
    # a database's or a map's key in an error: "Duplicate key <uuid>", "unique key X"
    r"|duplicate|unique|composite)"
    # and a word of what the key does between: "public signing key", "KMS encryption key"
    r"(?:[ \t]+(?:signing|encryption|verification|data|master|root|host))?[ \t]*:?[ \t]+$"
)
# A word of the sentence between a name and its value: no quote but an apostrophe inside it
# ("don't"), no sentence end, no bracket.
_WORD = r"(?:[^\s.!?:;=\"'`()<>’]|(?<=[A-Za-z])['’](?=[A-Za-z])){1,24}"
_BRIDGE = (
    # a note in brackets right after the name ("old key (from the backup): X")
    r"(?:[ \t]*\([^()\n]{1,40}\))?"
    # a comma, a colon or an arrow ("API key → X"), or a blank
    r"(?:[ \t]*(?:[,:]|->|=>|→|⇒)[ \t]*|[ \t]+)"
    r"(?:(?:it'?s|it’s|it[ \t]+is|here[ \t]+it[ \t]+is:?)[ \t]+"
    # "secret yesterday; the new one is X": a clause may end before the "is"
    r"|(?:[^\s.!?:;=\"'`()<>]{1,24}[,;]?[ \t]+){0,4}?(?:is|was|are|is[ \t]+now|=)[ \t]+"
    r"(?:[:=][ \t]*)?"
    # "key for the reporting API: X", "secret for the staging signer, don't share it: X",
    # "PAT for the DNS script → X"
    r"|(?:" + _WORD + r"[ \t]+){0,7}?" + _WORD + r"(?::|[ \t]*(?:->|=>|→|⇒))[ \t]+|)"
)
_PROSE_VALUE = (
    r"(?:\"(?P<dq>[^\"\s]{16,256})\"|'(?P<sq>[^'\s]{16,256})'|`(?P<bt>[^`\s]{16,256})`"
    r"|(?P<bare>[A-Za-z0-9][A-Za-z0-9_~+/-]{14,254}[A-Za-z0-9]={0,2}))(?![\w/+=-])"
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_PREFIXED_ID = re.compile(r"[a-z]{2,6}_[A-Za-z0-9]")
_LONG_HEX = re.compile(r"[0-9a-f]{32,}|[0-9A-F]{32,}")
# A TOTP seed as set-up pages show it: base32 capitals and digits 2-7, 16 to 64 of them.
_BASE32_SEED = re.compile(r"(?=[A-Z]*[2-7])[A-Z2-7]{16,64}")
# A name and a digest: a cache key or an artefact ("node-modules-<sha256>"), no secret.
_NAMED_DIGEST = re.compile(r"[a-z][a-z0-9]*(?:[-_.][a-z][a-z0-9]*)*[-_.:][0-9a-f]{16,}")


# Words that make a hex value a digest, whatever named it: "the key differences between
# the two commits: <sha1>".
_DIGEST_WORD = re.compile(
    r"(?i)\b(?:commit|sha(?:1|256|512)?|hash|digest|checksum|fingerprint|revision|build)(?:e?s)?\b"
)


# What may stand between a name and a UUID that is its key: nothing ("we use the key
# <uuid>": Heroku's and many services' keys are UUIDs), or the writer's own ("needs a token,
# mine is <uuid>", "the token, the new one is <uuid>"); "the token for the org, its id is
# <uuid>" names an id.
_UUID_BRIDGE = re.compile(
    r"(?i:(?:api[ \t]+)?key)[ \t]+[\"'`]?"
    r"|(?i:(?:api[ \t]+)?(?:key|token|secret|pat))[ \t]*,?[ \t]+"
    r"(?i:(?:mine|ours|yours|the[ \t]+new[ \t]+one|my[ \t]+one)[ \t]+is)[ \t]+[\"'`]?"
)


def _prose_token(generic: Check, names: frozenset[str]) -> Check:
    """A random-looking value a credential's name in prose points to: not a prefixed id
    (``req_...``), a name with a digest or an identifier made of words ("the key
    KeyError2Handler", "the token UserSession2Manager"), a UUID only right after the name
    or told as the writer's own (``_UUID_BRIDGE``), and not after a word that makes the key
    no secret ("cache key", "public key")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        head = text[max(0, match.start() - 32) : match.start()]
        if _NOT_NOUN_BEFORE.search(head) is not None or _NAMED_DIGEST.fullmatch(value):
            return False
        if _UUID.fullmatch(value) is not None:
            between = text[match.start() : match.start(match.lastgroup or 0)]
            return _UUID_BRIDGE.fullmatch(between) is not None
        if _LONG_HEX.fullmatch(value) is not None:
            between = text[match.start() : match.start(match.lastgroup or 0)]
            return _DIGEST_WORD.search(between) is None and generic(value, match, text)
        return (
            _PREFIXED_ID.match(value) is None
            and (is_scattered(value) or _BASE32_SEED.fullmatch(value) is not None)
            and not is_identifier(value, names)
            and generic(value, match, text)
        )

    return check


_IDENTIFIER_PART = re.compile(r"[A-Z][a-z]{2,}|^[a-z]{2,}(?=[A-Z0-9])")
_MIN_IDENTIFIER_PARTS = 2


def is_identifier(value: str, words: frozenset[str]) -> bool:
    """A name in code made of words ("KeyError2Handler", "getSecretValue2Async"): three
    camelCase parts or more that hold 70 % of its letters, two of them words (``words``:
    English words and technology names). Random keys are that in about 1 of 5,000 draws
    (random three-letter parts are seldom two words)."""
    parts = _IDENTIFIER_PART.findall(value)
    letters = sum(ch.isalpha() for ch in value)
    return (
        len(parts) >= 3
        and 10 * sum(len(part) for part in parts) >= 7 * letters
        and sum(part.lower() in words for part in parts) >= _MIN_IDENTIFIER_PARTS
    )


# "the dashboard gave me the key WKvYprh6t2Xog5f": a key of 12 to 15 letters and digits right
# after its name in prose, too short for the rule above (which wants 16).
_SHORT_PROSE_KEY = AnchoredPattern.build(
    r"key|token|secret",  # the anchor of the rules above: found once for all
    r"(?<![\w.$/-])(?i:" + _NOUN + r")[ \t]+(?P<bare>[A-Za-z0-9]{12,15})(?![\w/+=-]|\.\w)",
    0,
    8,
)
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")

# "X is the API key for staging", "X was our old access token": the value told first, then
# "is" and its name as a secret's - a key only with a word that makes it a credential's (not
# "X is the key", "X is the cache key"); a token or a secret alone.
_VALUE_BEFORE_NOUN = AnchoredPattern.build(
    r"key|token|secret",  # the anchor of the rules above: found once for all
    r"(?<![^\s(\[{,;:])" + _PROSE_VALUE + r"[ \t]+(?i:is|was)[ \t]+"
    r"(?i:the|my|our|your|their|its)[ \t]+"
    r"(?:(?i:new|old|current|staging|prod|production|test|live|sandbox)[ \t]+)?"
    r"(?i:(?:api|access|auth|secret|client|signing|bot|service)[ \t_-]?(?:key|token|secret)"
    r"|token|secret)(?![\w-])"
    # not a compound that names something else: "X is the token endpoint", "the secret name"
    r"(?![ \t]+(?i:ids?|names?|types?|class|field|header|endpoint|url|prefix|format|length"
    r"|hash|manager|store|version|file|path|variable|param(?:eter)?|column|policy)\b)",
    6,  # back over "X is the new API" to the value
    256 + 64,
)


def _told_first(generic: Check, names: frozenset[str]) -> Check:
    """A value told before its name: a UUID or a long hex (Heroku's and many services' keys
    are such), or a random-looking token that is no name in code made of words."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if _UUID.fullmatch(value) is not None or _LONG_HEX.fullmatch(value) is not None:
            return generic(value, match, text) or _UUID.fullmatch(value) is not None
        return (
            _PREFIXED_ID.match(value) is None
            and (is_scattered(value) or _BASE32_SEED.fullmatch(value) is not None)
            and not is_identifier(value, names)
            and generic(value, match, text)
        )

    return check


def _short_key(english_words: frozenset[str]) -> Check:
    """A short key in prose: both cases, classes that change like a random string's, not
    after a word that makes the key no secret, and not a name in code made of words
    ("the key AccessTokenId", "the token getUserById2")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if value.lower() == value or value.upper() == value or not is_scattered(value):
            return False
        head = text[max(0, match.start() - 32) : match.start()]
        return _NOT_NOUN_BEFORE.search(head) is None and not _worded(value, english_words)

    return check


def _worded(value: str, english_words: frozenset[str]) -> bool:
    """Half of the value's letters or more are English words of its camelCase parts, or
    letters alone whose every part of three letters or more has a vowel, as words do
    ("YourApiKeyGoesHere"; the word list lacks words that are also surnames: "Key")."""
    parts = _CAMEL_PART.findall(value)
    worded = sum(len(part) for part in parts if len(part) >= 3 and part.lower() in english_words)
    if 2 * worded >= sum(ch.isalpha() for ch in value):
        return True
    return value.isalpha() and all(
        _VOWEL.search(part) is not None for part in parts if len(part) >= 3
    )


_VOWEL = re.compile(r"[aeiouAEIOU]")


_MIN_NAMED_LETTERS = 16


def _named_letters(english_words: frozenset[str]) -> Check:
    """A token of letters alone under a token's name in a call or an object
    (``config.set("cloudflare:apiToken", "sbfjFINCpwnfPilcPsnk")``): 16 letters or more in
    both cases, not made of words ("ConfigurationManagerValue")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return (
            len(value) >= _MIN_NAMED_LETTERS
            and value.isalpha()
            and value.lower() != value
            and value.upper() != value
            and not _worded(value, english_words)
        )

    return check


_MIN_LABELLED_TOKEN = 20
# The word right after a key's label that makes the value the key's identifier, not the key:
# "Secret ID: <uuid>" (Azure lists a client secret's id beside its hidden value), "Key Id:".
_ID_AFTER_LABEL = re.compile(r"[ \t]*(?i:ids?|identifiers?|sids?|names?)(?![\w-])")


_CASE_FLIPS = re.compile(r"(?:[A-Za-z]*?[a-z][A-Z]){3}")
_UPPER_PAIR = re.compile(r"[A-Z]{2}")


def _random_letters(value: str) -> bool:
    """Letters whose case flips like a random string's ("EINmPKnqrHwN", "LqkcUHhfrCHvJVr"):
    three flips from lower to upper and capitals side by side twice, which names written
    in humps ("McDonaldsGmbH", "iPhoneMacBook") have not."""
    return _CASE_FLIPS.search(value) is not None and len(_UPPER_PAIR.findall(value)) >= 2


def _labelled_token(generic: Check, english_words: frozenset[str]) -> Check:
    """A token a label in any language points to ("der API-Schlüssel lautet X", "klucz API:
    X"): a UUID, long hex that no digest word names, or a random token (``generic``, or 12
    characters or more of letters and digits in both cases whose classes change like a
    random string's: a short key); not after a word that makes the key no secret, nor after
    a label and a word that makes the value its id ("Secret ID: X")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        head = text[max(0, match.start() - 32) : match.start()]
        if _NOT_NOUN_BEFORE.search(head) is not None or _NAMED_DIGEST.fullmatch(value):
            return False
        if _ID_AFTER_LABEL.match(match["bridge"] or "") is not None:
            return False  # "Secret ID: X": the id of a secret, not the secret
        if _UUID.fullmatch(value) is not None:
            return True
        if _LONG_HEX.fullmatch(value) is not None:
            return _DIGEST_WORD.search(match["bridge"] or "") is None
        if _PREFIXED_ID.match(value) is not None or _worded(value, english_words):
            return False  # an id, a name in code: "base64encodedValue2"
        if "/" in value and not is_scattered(value):
            return False  # a path: "aws/prod/db-creds-2024"
        if PERSONAL.fullmatch(value) is not None:
            return False  # a person's: "deserunt-optio-74", "CommodiIncidunt157"
        if len(value) >= _MIN_LABELLED_TOKEN:  # told by its label: random enough is enough
            return generic(value, match, text)
        return (
            is_scattered(value)
            and len(value) >= 12
            and value.isalnum()
            and value.lower() != value
            and value.upper() != value
            and (
                any(ch.isdigit() for ch in value)
                or _random_letters(value)
                or random_letters(value)  # "TajFnzpSzedgqLPO"
            )
        )

    return check


# The first string of a user and password pair: its user.
_PAIR_USER = re.compile(r"[\"'](?P<user>[^\"'\n]{1,128})[\"']")


def _key_shaped(value: str, match: re.Match[str], text: str) -> bool:
    """A UUID or 32 hex digits or more: an API key in a password's place, never a password
    a person chose (Guzzle's 'auth' => ['api', '<uuid>']); or any value paired with a key's
    public id as its user (Razorpay's auth=("rzp_live_…", X)): that key's secret."""
    if _UUID.fullmatch(value) is not None or _LONG_HEX.fullmatch(value) is not None:
        return True
    user = _PAIR_USER.search(match.group(0))
    return user is not None and has_public_shape(user["user"])


# A command line that stores a secret by name: the flag that carries the value.
_STORE_FLAG = r"(?<![\w-])--(?:body|value|secret-string|secret-value)(?:[ \t]+|=)"
_SECRET_WORD = re.compile(r"(?i)secret|token|api[_-]?key|password|credential|[_/-]key\b")


def _stored_secret(generic: Check) -> Check:
    """The value of ``--body``/``--value`` on a command line that names a secret before it."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        return _SECRET_WORD.search(line) is not None and generic(value, match, text)

    return check


_MIN_COOKIE = 16
# Django's "sessionid" and PHP's "PHPSESSID": lower-case letters and digits, whose classes
# change less often than a mixed-case token's.
_LOWER_SESSION_ID = re.compile(r"[a-z0-9]{26,128}")


def _cookie_value(generic: Check) -> Check:
    """A session cookie's value: random-looking, a UUID (many frameworks' session ids), or
    a short id of 12 to 15 letters and digits in both cases whose classes change like a
    random string's (PHP's ``PHPSESSID``)."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if any(ch.isspace() for ch in value):
            return False  # no cookie holds a blank: "Bearer X" is a header's value
        if _UUID.fullmatch(value) is not None:
            return True
        if len(value) < _MIN_COOKIE:
            return (
                value.isalnum()
                and value.lower() != value
                and value.upper() != value
                and is_scattered(value)
            )
        lower_id = _LOWER_SESSION_ID.fullmatch(value) is not None
        return (is_scattered(value) or lower_id) and generic(value, match, text)

    return check


# A session cookie's name: "sessionid", "PHPSESSID", "connect.sid", "_session", "remember_token".
_SESSION_COOKIE = r"[\w.-]{0,24}(?i:sess|sid|session|auth|jwt|token|remember)[\w.-]{0,24}"


def _session_id(generic: Check) -> Check:
    """A session id in a URL: a cookie's value (:func:`_cookie_value`), or 32 hex digits
    or more (Java's, PHP's, Rails' ids)."""
    cookie = _cookie_value(generic)

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return _LONG_HEX.fullmatch(value) is not None or cookie(value, match, text)

    return check


# A password's name alone, as a form field's: "password" in ("password", "email") is a
# list of field names; "DB_PASSWORD" names a constant whose value is the password.
_FIELD_NAME = re.compile(r"(?i)password|passwd|passphrase|pwd")


def _not_a_word(english_words: frozenset[str], check: Check, name: str | int = "key") -> Check:
    """``check``, and a value named by a bare field name (the match's group ``name``) is
    not an English word."""

    def not_word(value: str, match: re.Match[str], text: str) -> bool:
        if _FIELD_NAME.fullmatch(match[name]) and value.lower() in english_words:
            return False
        return check(value, match, text)

    return not_word


not_a_word = _not_a_word
#: A UUID, and 32 hex digits or more: a key's shapes when its name says it is a key.
UUID_SHAPE, LONG_HEX = _UUID, _LONG_HEX


def _url_token(value: str, match: re.Match[str], text: str) -> bool:
    """A token in a URL's password part: no placeholder, and a value with "/" in it random
    (base64), not a port and a path ("token:8080/users/@me")."""
    if "/" in value and (not is_scattered(value) or value.split("/", 1)[0].isdigit()):
        return False
    return not is_placeholder(value)


# Where an OAuth server sends its authorization code back: a redirect to a callback, or a
# response that carries the client's "state" with it.
_AUTHORIZATION_RESPONSE = re.compile(
    r"(?i)[/.](?:callback|oauth2?|authori[sz]e|redirect|signin-[a-z]+|cb)\b|[?&#]state="
)


def _authorization_response(value: str, match: re.Match[str], text: str) -> bool:
    """The ``code`` parameter is an OAuth authorization code: the URL it stands in (up to
    the blanks around it) is a redirect back to a client, not a promo or status code."""
    start = max(text.rfind(" ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
    end = len(text)
    for blank in (" ", "\n", "\t"):
        found = text.find(blank, match.end())
        if found != -1:
            end = min(end, found)
    return _AUTHORIZATION_RESPONSE.search(text, start, end) is not None


def token_context_rules(
    generic: Check, prose_words: frozenset[str], english_words: frozenset[str]
) -> tuple[Rule, ...]:
    """The rules of this module; ``generic`` checks a random-looking token, ``prose_words``
    are what a password on a command line is not (see :func:`command_value`), and a value
    named only by a field's name ("password") must not be one of ``english_words``."""
    password = _not_a_word(english_words, command_value(prose_words))
    # a token in a call or an object: random-looking, or letters that are no words
    token = _named(either(generic, _named_letters(english_words)))
    return (
        *token_table_rules(generic),
        *client_argument_rules(generic),
        Rule(
            E.GENERIC_SECRET,
            _call_pair(_TOKEN_NAME, _TOKEN_ENDS),
            0.8,
            STRUCTURED,
            _pair_triggers(_TOKEN_ENDS, ","),
            _first_argument(token),
        ),
        Rule(
            E.PASSWORD,
            _call_pair(_PASSWORD_NAME, _PASSWORD_ENDS),
            0.8,
            STRUCTURED,
            _pair_triggers(_PASSWORD_ENDS, ","),
            _first_argument(password),
        ),
        Rule(
            E.GENERIC_SECRET,
            _object_pair(_TOKEN_NAME),
            0.8,
            STRUCTURED,
            _pair_triggers(_TOKEN_ENDS, ",", " value"),
            token,
        ),
        Rule(
            E.PASSWORD,
            _object_pair(_PASSWORD_NAME),
            0.8,
            STRUCTURED,
            _pair_triggers(_PASSWORD_ENDS, ",", " value"),
            password,
        ),
        Rule(  # ?key=X, &auth=X (access_token=, api_key= are assignments of their own)
            E.GENERIC_SECRET,
            re.compile(
                r"[?&](?:key|auth)=(?P<value>[A-Za-z0-9._~%+/-]{12,256}=*)(?=[&\s\"'<>#]|$)"
            ),
            0.75,
            CONTEXTUAL,
            ("key=", "auth="),
            _cookie_value(generic),
        ),
        Rule(  # an OAuth authorization code on its way back: /callback?code=X&state=Y
            E.GENERIC_SECRET,
            re.compile(r"[?&#]code=(?P<value>[A-Za-z0-9._~%+/-]{16,512}=*)(?=[&\s\"'<>#]|$)"),
            0.75,
            CONTEXTUAL,
            ("code=",),
            all_of(_authorization_response, generic),
        ),
        Rule(  # the Telegram Bot API takes its token in the path: /bot<id>:<secret>/method
            E.GENERIC_SECRET,
            re.compile(
                r"(?i:api\.telegram\.org)/bot(?P<value>\d{1,12}:[A-Za-z0-9_-]{20,128})(?=[/\s\"'?]|$)"
            ),
            0.9,
            SPECIFIC,
            ("telegram",),
            lambda value, match, text: not is_placeholder(value),
        ),
        Rule(  # a session id in a URL (an access log's): ?session=X, &sid=X, ;jsessionid=X
            E.GENERIC_SECRET,
            re.compile(
                r"[?&;](?P<key>(?i:session|session_?id|sess_?id|sid|jsessionid|phpsessid))="
                r"(?P<value>[A-Za-z0-9._~%+/-]{12,256}=*)(?=[&\s\"'<>#]|$)"
            ),
            0.75,
            CONTEXTUAL,
            ("session", "sid="),
            _session_id(generic),
        ),
        Rule(  # Cookie: sessionid=X; other=Y
            E.GENERIC_SECRET,
            re.compile(
                # "Cookie:", "Set-Cookie:", curl's "--cookie 'a=b'" and "-b 'a=b'", prose's
                # "a cookie `session=X`", and a HAR's header {"name":"Cookie","value":"a=b"}
                r"(?:(?i:cookie)[ \t]*:|(?<![\w-])(?:--cookie|-b|(?i:cookie))[ \t]+[\"'`]?"
                r"|(?i:\"name\"[ \t]*:[ \t]*\"(?:set-)?cookie\"[ \t]*,"
                r"[ \t]*\"value\"[ \t]*:[ \t]*\"))"
                r"[ \t]*"
                r"(?:[^\s=;]{1,64}=[^\s;]{0,512};[ \t]*){0,8}?"
                r"(?P<key>" + _SESSION_COOKIE + r")="
                r"(?P<value>[A-Za-z0-9._~%+/-]{12,1024}=*)(?=[;\s\"'`]|$)"
            ),
            0.75,
            CONTEXTUAL,
            ("cookie", "-b "),
            _named(_cookie_value(generic)),
        ),
        Rule(  # a HAR's or a browser's cookie list: {"name": "_session", "value": "X"}
            E.GENERIC_SECRET,
            _object_pair(_SESSION_COOKIE),
            0.75,
            STRUCTURED,
            ('"value"',),
            _named(_cookie_value(generic)),
        ),
        Rule(  # ~/.docker/config.json: {"auths": {"registry": {"auth": "X"}}}
            E.GENERIC_SECRET,
            re.compile(
                r"\"(?:auth|identitytoken|registrytoken)\"[ \t]*:[ \t]*"
                r"\"(?P<value>[^\"\n]{16,1024})\""
            ),
            0.8,
            STRUCTURED,
            ('"auth"', "identitytoken", "registrytoken"),
            generic,
        ),
        Rule(  # https://oauth2:X@gitlab.example.com/...: the password part is a token
            E.GENERIC_SECRET,
            AnchoredPattern.build(
                r"://(?:" + _TOKEN_USERS + r"):",
                r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}://(?i:" + _TOKEN_USERS + r"):"
                # a base64 token may hold "/" (not escaped as %2F when pasted)
                r"(?P<value>[^\s/?'\"@][^\s?'\"@]{7,255})@[A-Za-z0-9._~%\[\]-]+",
                0,
                32,
            ),
            0.9,
            SPECIFIC,  # above the URL password rule, which reports the same span
            ("://",),
            _url_token,
        ),
        Rule(  # gh secret set NAME --body X, aws ssm put-parameter --name /x/api-key --value X
            E.GENERIC_SECRET,
            re.compile(
                _STORE_FLAG + r"(?:\"(?P<dq>[^\"\n]{8,256})\"|'(?P<sq>[^'\n]{8,256})'"
                r"|(?P<bare>[^\s\"'`]{8,256}))"
            ),
            0.75,
            CONTEXTUAL,
            ("--body", "--value", "--secret-"),
            _stored_secret(generic),
        ),
        Rule(  # "use this key X", "the token, the new one is X", "key for the API: X"
            E.GENERIC_SECRET,
            AnchoredPattern.build(
                # the anchor of the rule "the API key for staging is X": found once for both
                r"key|token|secret",
                # not a name in code ("key=", "keys()", "token[0]"), and a run of 16 letters
                # and digits follows on the line
                r"(?<![\w.$/-])(?i:"
                + _NOUN
                # not the name of the key's id: "the signing key id is X", "token ID: X"
                + r")(?![\w(\[=.-])(?![ \t]+(?i:ids?|identifiers?|sids?)\b)"
                r"(?=[^\n]{0,120}?[A-Za-z0-9+/=-]{16})" + _BRIDGE + _PROSE_VALUE,
                0,
                8,
            ),
            0.7,
            CONTEXTUAL,
            ("key", "token", "secret"),
            _prose_token(generic, english_words | load_tech_words()),
        ),
        Rule(  # "Linode PAT for the DNS script → X", "my PAT is X": a personal access token
            E.GENERIC_SECRET,
            re.compile(
                r"(?<![\w.$/-])(?:PATs?|(?i:personal[ \t]+access[ \t]+tokens?))(?![\w(\[=.-])"
                r"(?![ \t]+(?i:ids?|identifiers?|names?)\b)"
                r"(?=[^\n]{0,120}?[A-Za-z0-9+/=-]{16})" + _BRIDGE + _PROSE_VALUE
            ),
            0.7,
            CONTEXTUAL,
            ("pat",),
            _prose_token(generic, english_words | load_tech_words()),
        ),
        Rule(  # a key in a user and password pair: above the password rule, same span
            E.GENERIC_SECRET,
            BASIC_AUTH_PAIR,
            0.85,
            SPECIFIC,
            BASIC_AUTH_TRIGGERS,
            _key_shaped,
        ),
        Rule(
            E.GENERIC_SECRET,
            _VALUE_BEFORE_NOUN,
            0.7,
            CONTEXTUAL,
            (" is the ", " was the ", " is my ", " is our ", " was our ", " is your "),
            _told_first(generic, english_words | load_tech_words()),
        ),
        Rule(
            E.GENERIC_SECRET,
            _SHORT_PROSE_KEY,
            0.7,
            CONTEXTUAL,
            ("key ", "token ", "secret ", "keys ", "tokens ", "secrets "),
            _short_key(english_words),
        ),
        # after the English rules: where both report a span, theirs wins
        *key_rules(
            load_labels(),
            _labelled_token(generic, english_words),
            prose_words | english_words,
        ),
    )
