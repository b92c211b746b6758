"""Secrets named by their key: config entries, assignments, environment variables,
Kubernetes ``env`` entries, ``Bearer``/``Basic`` headers and "the API key is X".

The key (``password``, ``secret``, ``api_key``, ``token`` with up to four prefixes) says
what the value is; the value must still look like a credential and not like a type name,
an expression or a word of prose, so these rules are ``CONTEXTUAL``. A config line whose
whole value is words under a program's key (``replicationPassword: clearly one road wish``)
is a passphrase.
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.code_names import not_code_name
from detectors.letter_keys import random_letters
from detectors.password_prose import is_config_passphrase, is_word_chain, quoted_passphrase
from detectors.secret_rule import CONTEXTUAL, AnchoredPattern, Check, SecretRule
from detectors.secret_values import (
    all_of,
    either,
    is_code_like,
    is_expression,
    is_placeholder,
    is_scattered,
)

# What may follow a bare value that ends a config entry: the line's end, a comment, or the
# next entry of a connection string. Not "," or "}": after a bare name those are code
# (signatures "password: bool,", dicts "Token: FG_DEFAULT,").
_ENTRY_END = re.compile(r"[ \t]*(?:$|\r?\n|#|;|&)")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
# Our own masks ("<AWS_SECRET_ACCESS_KEY:3f9a1c2b04de>") and Markdown code around a value.
_MARKUP = re.compile(r"[<>`]")
# snake_case names: "access_key='test_dataset_limited_user'" is a label, not a token.
_SNAKE_NAME = re.compile(r"[a-z]+(?:_[a-z0-9]+)+")
# What may stand before NAME=value that sets a variable for a command.
_COMMAND_START = re.compile(
    r"(?:^|[;&|`(]|\$ |(?<![\w-])(?:export|env|sudo|set|-e|--env|--build-arg))[ \t]*$"
)


def _ends_entry(match: re.Match[str], text: str) -> bool:
    return _ENTRY_END.match(text, match.end()) is not None


def _config_entry(match: re.Match[str], text: str) -> bool:
    """True if a bare value is the whole value of a config entry rather than a word of prose:
    a YAML/INI ``key: value`` or an environment ``NAME=value`` that ends its line."""
    key_start = match.start("key")
    if _env_prefix(match, text):
        return True
    if not _ends_entry(match, text) or _MARKUP.search(match["bare"]):
        return False
    if match["sep"] != "value" and key_start > 0 and text[key_start - 1] in "\"'":
        return False  # {"get_token": get_custom_token}: a quoted key with a bare name is code
    return (
        match["sep"] in (":", "value")
        or _ENV_NAME.fullmatch(match["key"]) is not None
        or text.startswith(";", match.end())  # ADO.NET / ODBC "Password=...;"
        or _properties_line(match, text)
    )


def _argument(match: re.Match[str], text: str) -> bool:
    """A ``key=value`` argument of a command line: ``psql "host=db password=X sslmode=..."``,
    ``helm --set auth.password=X``, ``kubectl ... --from-literal=password=X``, ``vault kv
    put secret/app db_password=X``, ``java -Dssl.keyStorePassword=X``: "=" with no blanks
    around it, a blank (or the "=" of a flag, or "-D") before the key, a blank, a quote or
    the line's end after the value, no snake_case name as the value and no call's bracket
    before it on the line (``connect(host, password=pw)`` passes a name)."""
    key_start = match.start("key")
    before = text[key_start - 1] if key_start else ""
    if before in "\"'" and key_start >= 2 and text[key_start - 2] in " \t=":
        before = " "  # a quoted argument: --extra-vars "ansible_become_pass=X"
    system_property = before == "-" and match["key"].startswith("D")
    if (
        match["sep"] != "="
        or match.end("key") != match.start("sep")
        or match.end("sep") != match.start("bare")
        or not ((before and before in " \t=") or system_property)
        or _SNAKE_NAME.fullmatch(match["bare"]) is not None
        or _ARGUMENT_END.match(text, match.end()) is None
    ):
        return False
    line = text[text.rfind("\n", 0, key_start) + 1 : key_start]
    return "(" not in line


_ARGUMENT_END = re.compile(r"[ \t\r\n\"'`]|$")


def _connection_entry(match: re.Match[str], text: str) -> bool:
    """An entry of an ADO.NET/Npgsql connection string after another one, its value ending
    the string: ``"Host=db;Username=app;Password=)KEd*PeP7rr"`` (the value is all of it,
    brackets included)."""
    key_start = match.start("key")
    return (
        match["sep"] == "="
        and match.end("key") == match.start("sep")
        and match.end("sep") == match.start("bare")
        and text[max(0, key_start - 1) : key_start] == ";"
        and _CONNECTION_END.match(text, match.end()) is not None
    )


_CONNECTION_END = re.compile(r"[;\"'`]|[ \t]*(?:\r?\n|$)")


def _env_prefix(match: re.Match[str], text: str) -> bool:
    """An environment assignment for one command, ``PGPASSWORD=X psql ...``, ``export
    DB_PASSWORD=X && ...``, ``docker run -e DB_PASSWORD=X``: an upper-case name, "=" with no
    spaces, and the start of a command line (or an env flag) before it."""
    key_start = match.start("key")
    if (
        _ENV_NAME.fullmatch(match["key"]) is None
        or match["sep"] != "="
        or match.end("key") != match.start("sep")
        or match.end("sep") != match.start("bare")
    ):
        return False
    line = text[text.rfind("\n", 0, key_start) + 1 : key_start]
    return _COMMAND_START.search(line) is not None


def _env_string(match: re.Match[str], text: str) -> bool:
    """A string of a list that sets a variable, as ``docker inspect`` prints a container's
    ``Env`` (``["PATH=/usr/bin","POSTGRES_PASSWORD=X"]``): an upper-case name, "=" with no
    blanks, the string's quotes right around ``NAME=X``, and "[" or "," before it."""
    key_start = match.start("key")
    return (
        _ENV_NAME.fullmatch(match["key"]) is not None
        and match["sep"] == "="
        and match.end("key") == match.start("sep")
        and match.end("sep") == match.start("bare")
        and text[key_start - 1 : key_start] == '"'
        and text.startswith('"', match.end())
        and text[max(0, key_start - 40) : key_start - 1].rstrip()[-1:] in ("[", ",")
    )


def _properties_line(match: re.Match[str], text: str) -> bool:
    """An INI or Java properties line, ``spring.datasource.password=bluebird``: the key
    starts the line and "=" has no spaces around it (``password = value`` is code)."""
    key_start = match.start("key")
    line_start = text.rfind("\n", 0, key_start) + 1
    return (
        match["sep"] == "="
        and not text[line_start:key_start].strip()
        and match.end("key") == match.start("sep")
        and match.end("sep") == match.start("bare")
        # user.password=hashed_password names a column; signing.password=agree_box_style
        # is words a generator joined
        and (not _SNAKE_NAME.fullmatch(match["bare"]) or is_word_chain(match["bare"]))
    )


_HASHED_PSK = re.compile(r"[0-9a-fA-F]{64}")
# Names of a pre-shared key between machines (IPsec/IKE, a VPN), whose 64 hex digits are the
# key an admin generated, not a Wi-Fi passphrase's hash.
_MACHINE_PSK = re.compile(r"(?:^|_)(?:IPSEC|IKE|VPN|L2TP|STRONGSWAN|WIREGUARD|WG)(?:_|$)")


def _not_a_wifi_hash(value: str, match: re.Match[str], text: str) -> bool:
    """Not the 64 hex digits wpa_passphrase derives from a Wi-Fi passphrase (``WIFI_PSK=``):
    under a VPN's or IPsec's name they are the key itself."""
    return not _HASHED_PSK.fullmatch(value) or _MACHINE_PSK.search(match["key"]) is not None


# Postman's auth attributes name the value by a "key" beside it: bearer's "token", apikey's
# "value", oauth2's "accessToken"/"clientSecret".
_POSTMAN_ENTRY = AnchoredPattern.build(
    '"key"',
    r"\{[ \t\r\n]*\"key\"[ \t]*:[ \t]*\"(?P<key>value|token|accessToken|access_token"
    r"|clientSecret|client_secret|apiKey|api_key|secret)\"[ \t]*,[ \t\r\n]*"
    r"\"value\"[ \t]*:[ \t]*\"(?P<dq>[^\"\n]{8,256})\"",
    1,
    8,
)
# A JWT settings section's key: "Jwt": { "Key": "X" }, "JwtSettings": { "SigningKey": "X" }.
_JWT_SECTION_KEY = AnchoredPattern.build(
    '"jwt',
    r"\"(?i:jwt)\w{0,20}\"[ \t]*:[ \t]*\{[^{}]{0,300}?"
    r"\"(?P<key>(?i:(?:signing|secret|security|private)?key|secret))\"[ \t]*:[ \t]*"
    r"\"(?P<dq>[^\"\n]{8,256})\"",
    0,
    0,
)


def _terraform_default(name: str) -> AnchoredPattern:
    """A Terraform variable whose name holds ``name`` and its default's string (tried only
    where ``variable "`` is: "variable" alone is a word of every prose text)."""
    return AnchoredPattern.build(
        'variable[ \t]+"',
        r"(?<![\w-])variable[ \t]+\"(?P<key>[\w-]{0,40}(?i:" + name + r")[\w-]{0,40})\"[ \t]*\{"
        r"[^{}]{0,400}?(?<![\w-])(?P<sep>default)[ \t]*=[ \t]*\"(?P<dq>[^\"\n]{1,256})\"",
        0,
        0,
    )


def _env_default(key: str, anchor: str) -> AnchoredPattern:
    """The default that an environment lookup falls back to, which is the secret wherever
    the variable is unset: Ruby's ``ENV.fetch("DB_PASSWORD") { "X" }`` (in ERB too) and
    ``ENV["DB_PASSWORD"] || "X"``, Node's ``process.env.DB_PASSWORD || "X"`` (or ``??``).
    Python's ``os.getenv("DB_PASSWORD", "X")`` is a call's argument pair (token contexts)."""
    return AnchoredPattern.build(
        anchor,
        r"(?<![\w.])(?:ENV\.fetch\(|ENV\[|process\.env(?:\.|\[))[ \t]*(?P<q>[\"']?)"
        r"(?P<key>(?i:" + key + r"))(?P=q)[ \t]*[)\]]?[ \t]*(?P<sep>\{|\|\||\?\?)[ \t]*"
        r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})')",
        0,
        _KEY_REACH,
    )


_ENV_TRIGGERS = ("env.fetch", "env[", "process.env")


_TERRAFORM_DEFAULT_PASSWORD = _terraform_default(r"pass|pwd")
_TERRAFORM_DEFAULT_SECRET = _terraform_default(r"secret|token|api_?key")
# A value set apart in backticks after "password:": one word of letters, digits and
# symbols, not code (no brackets, no dots between names) and not a placeholder.
_DOC_VALUE = re.compile(r"[^\s()\[\]{}<>$%.]{4,64}")
# "$" before a name or a bracket reads a variable ("$DB_PW", "${pw}", "$(cat f)"); before a
# digit or a symbol it is a password's character ("**密码**: `$$0C2JJq`").
_VARIABLE_SIGIL = re.compile(r"\$(?=[A-Za-z_{(])")


def _doc_value(value: str) -> bool:
    """Whether a value set apart in backticks reads as one (see ``_DOC_VALUE``)."""
    return _VARIABLE_SIGIL.search(value) is None and bool(
        _DOC_VALUE.fullmatch(value.replace("$", "0"))
    )


def _same_name(key: str, value: str) -> bool:
    """True if ``value`` spells ``key``'s name (or its last words) in another case or
    style: ``secret_key_base: secret_key_base``, ``client_secret: clientSecret``,
    ``DB_PASSWORD=dbPassword``."""
    name, spelled = _NAME_MARKS.sub("", key).lower(), _NAME_MARKS.sub("", value).lower()
    return len(spelled) >= 4 and name.endswith(spelled)


_NAME_MARKS = re.compile(r"[_.\-$]")


def _yaml_tag(value: str, match: re.Match[str], text: str) -> bool:
    """``password: !vault |``: a YAML tag before the value (an encrypted block, a
    CloudFormation ``!Ref``), not the value."""
    return _TAG.fullmatch(value) is not None and _TAG_CONTENT.match(text, match.end()) is not None


_TAG = re.compile(r"![A-Za-z][\w:.-]*")
_TAG_CONTENT = re.compile(r"[ \t]+[|>\S]")


_BOLD_WORDS = re.compile(r"(\*\*|__)[^\W\d_]+(?:[ \t][^\W\d_]+)*\1[.,;:]?")
# A size after a key, not its value: kubectl describe's "DB_PASSWORD:  41801 bytes".
_BYTES = re.compile(r"[ \t]+bytes\b")
_BYTE_COUNT = re.compile(r"\d+[ \t]+bytes")


def _password_value(value: str, match: re.Match[str], text: str) -> bool:
    if match.lastgroup == "app":
        return _app_password(value, match)
    if len(value) < 4 or is_placeholder(value) or any(ch.isspace() for ch in value):
        return False
    if value.isdigit() and _BYTES.match(text, match.end()):
        return False  # kubectl describe secret's Data: "DB_PASSWORD:  41801 bytes", a size
    if _VARIABLE_NAME.fullmatch(value) or _POWERSHELL_ENV.fullmatch(value):
        return False
    if match.lastgroup == "bare" and _yaml_tag(value, match, text):
        return False
    if value.startswith(("$(", "${", "`")) and not any(ch in value[1:] for ch in ")}`"):
        return False  # a command substitution cut at its first space: "$(cat"
    if match.lastgroup == "bare" and value.endswith(("(", "[")):
        return False  # a call cut at its first quote: password=_optional("REDIS_PASSWORD")
    if match.lastgroup == "bare" and _BOLD_WORDS.fullmatch(value):
        return False  # Markdown's bold word: "**Password:** **required**"
    if match.lastgroup == "bare" and _same_name(match["key"], value):
        return False  # the key's own name as a variable: "client_secret: clientSecret"
    if match.lastgroup not in ("bare", "bt"):
        return True
    if match.lastgroup == "bt" and match["sep"] == ":" and _doc_value(value):
        return True  # Markdown's "User Postgres password: `cualpadres`": the value, set apart
    if match.lastgroup == "bare" and (
        _config_entry(match, text)
        or _argument(match, text)
        or _connection_entry(match, text)
        or _env_string(match, text)
    ):
        # The whole value of a config entry is the password, whatever it starts with, unless
        # it is an expression: "password: vault.read(path)", "password = settings.db_pw".
        # A variable's value is no expression when it is a generator's dotted words
        # ("RESTIC_PASSWORD=son.page.measure.until").
        return not is_expression(value) or (
            _ENV_NAME.fullmatch(match["key"]) is not None and is_word_chain(value, quoted=True)
        )
    # Unquoted values need to look like a password, not a word of prose or an expression.
    if is_code_like(value) or is_expression(value) or value[0] in "$%<@&*":
        return False
    has_symbol_or_digit = any(ch.isdigit() or not (ch.isalnum() or ch in "_.") for ch in value)
    mixed_case = any(c.islower() for c in value) and any(c.isupper() for c in value)
    return has_symbol_or_digit or (mixed_case and len(value) >= 8)


# Words of an environment name whose key is no secret: "PUBLIC_KEY", "STRIPE_PUBLISHABLE_KEY",
# "RECAPTCHA_SITE_KEY", "CACHE_KEY", "S3_OBJECT_KEY", "SSH_KEY" (a path or a public key).
_NOT_SECRET_KEY_WORDS = frozenset((
    "PUBLIC", "PUBLISHABLE", "PUB", "SITE", "PRIMARY", "FOREIGN", "SORT", "PARTITION", "HASH",
    "RANGE", "CACHE", "S3", "OBJECT", "BUCKET", "REDIS", "QUEUE", "ROUTING", "IDEMPOTENCY",
    "DEDUP", "LOOKUP", "INDEX", "SEARCH", "SSH", "GPG", "PGP", "DEPLOY", "HOST", "KMS", "ID",
))  # fmt: skip


def _secret_key_name(value: str, match: re.Match[str], text: str) -> bool:
    return not _NOT_SECRET_KEY_WORDS.intersection(match["key"].split("_"))


def _scattered(value: str, match: re.Match[str], text: str) -> bool:
    """A token whose classes change at least every third character: random, not a name
    ("db-creds-2024", "base64encodedValue2") after a noun in prose ("rotated secret X")."""
    return is_scattered(value)


def _signing_key(value: str, match: re.Match[str], text: str) -> bool:
    # 8+ characters: tutorials sign with 'secret' or 'shhhhh'; real keys are longer.
    return len(value) >= 8 and _password_value(value, match, text)


def _config_token(value: str, match: re.Match[str], text: str) -> bool:
    # A token in a config entry, however human ("API_TOKEN=bluebird-42"); 8+ characters
    # because real tokens are never shorter and short quoted strings are often labels.
    # Bare, it needs a character other than a letter: "token: AuthTokenService" is a type.
    quoted = match.lastgroup != "bare"
    return (
        len(value) >= 8
        and (
            quoted or (_config_entry(match, text) and not value.isalpha()) or random_letters(value)
        )
        and _password_value(value, match, text)
        and not is_code_like(value)
        and not _SNAKE_NAME.fullmatch(value)
        and (not _TYPE_NAME.fullmatch(value) or random_letters(value))  # "NjrbAnjPBGcUAm"
    )


# A type's name where a token would be: "_RSAPrivateKey", a quoted annotation.
_TYPE_NAME = re.compile(r"_?[A-Z][a-z]*(?:[A-Z]+[a-z]*)+")
# A variable's name where a secret would be: hmac_secret="HMAC_SECRET".
_VARIABLE_NAME = re.compile(r"[A-Z]+(?:_[A-Z]+)+")
# PowerShell's environment variable: API_KEY=$env:API_KEY.
_POWERSHELL_ENV = re.compile(r"(?i:\$env):[A-Za-z_]\w*")


def _app_password(value: str, match: re.Match[str]) -> bool:
    """Four groups of four lowercase letters (a Google app password, "abcd efgh ijkl mnop")
    as a config value: under a key with a prefix (``spring.mail.password``) or after "="
    with no blank before it, and no group a word of a sentence ("this will show here")."""
    config_key = any(ch in match["key"] for ch in "._-") or match["sep"] == "="
    return config_key and not any(group in _SENTENCE_WORDS for group in value.split())


_SENTENCE_WORDS = frozenset((
    "this", "that", "will", "have", "must", "your", "with", "from", "into", "here", "there",
    "when", "then", "than", "they", "them", "were", "been", "does", "done", "same", "also",
    "only", "just", "some", "more", "most", "very", "what", "which", "used", "uses", "user",
    "show", "shown", "hide", "need", "enter", "type", "word", "four", "five", "once", "each",
))  # fmt: skip
# A Google app password, unquoted: four groups of four letters that end the line.
_APP_PASSWORD_SHAPE = r"(?P<app>[a-z]{4}(?: [a-z]{4}){3})(?=[ \t]*(?:$|\r?\n|#))"  # noqa: S105

# A bare value: to the next blank, quote, "," or ";", or an "&" that starts the next
# "key=" of a form body ("password=X&grant_type=password").
# A ";" inside a value joins what follows it unless a blank, another ";" or the next "key="
# does: "DB_PASSWORD=q3;rN7Q$$", "ansible_password=gp2;QE1P#" (not "Password=X;Database=").
_BARE = r"[^\s\"'`,;](?:[^\s\"`,;&]|&(?![\w.-]{1,64}=)|;(?![$\w.-]{1,64}=)(?=[^\s;\"'`])){0,255}"
# A type annotation between a name and "=": "str", "Optional[str]", "dict[str, str]",
# "str | None", Rust's "&str" and "&'static str", "Option<String>"; no blank inside a
# name ("X-API-Key:kQ3x name=nightly" is a header and an argument, not an annotation).
_TYPE = r"[A-Za-z_][\w\[\].<>]{0,40}"
_ANNOTATION = (
    r":[ \t]*(?:&(?:'[a-z]+[ \t]+)?)?" + _TYPE + r"(?:[ \t]*[,|][ \t]*" + _TYPE + r"){0,4}"
    r"[ \t]*=(?!=)"
)
# Python's b"", r"", u"" and C#'s @"" before a quoted value.
_STRING_PREFIX = r"(?:(?:[bBrRuU]{1,2}|@)(?=[\"']))?"


def _assignment(key: str, anchor: str) -> AnchoredPattern:
    """``key = value`` in code, config, env files, JSON, YAML, CLI flags; ``anchor`` is the
    literal part of every key (see :class:`AnchoredPattern`)."""
    pattern = (
        # config['KEY'] =, C's "char pass[] ="
        # Markdown's bold label: "**Password**: X", "**Password:** X"
        r"(?<![A-Za-z0-9])(?P<key>(?i:" + key + r"))(?:\\?[\"']\]?|\[\d*\]|\*\*)?[ \t]*"
        r"(?P<sep>" + _ANNOTATION + r"|:=|=>|[:=])(?:(?<=:)\*\*)?[ \t]*" + _STRING_PREFIX + r""
        # a quoted value as a list's one item: Go's http.Header as JSON {"X-Api-Key":["X"]}
        r"(?:\[[ \t]*(?=\\?[\"'][^\"'\n]{1,256}\\?[\"'][ \t]*\]))?"
        # a JSON string inside a JSON string, as logs hold it: {\"password\":\"X\"}
        r"(?:\\\"(?P<dq2>[^\"\\\n]{1,256})\\\"|"
        r"\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'|`(?P<bt>[^`\n]{1,256})`|"
        + _APP_PASSWORD_SHAPE
        + r""
        r"|(?:base64:)?(?P<bare>" + _BARE + r"))"  # Laravel's APP_KEY=base64:...
    )
    return AnchoredPattern.build(anchor, pattern, 0, _KEY_REACH)


def _name_value(key: str) -> AnchoredPattern:
    """A Kubernetes/compose ``env`` entry: ``- name: DB_PASSWORD`` then ``value: "..."``."""
    pattern = (
        r"(?<![A-Za-z0-9])name:[ \t]*[\"']?(?P<key>(?i:" + key + r"))[\"']?[ \t]*\r?\n"
        r"[ \t]*(?P<sep>value)[ \t]*:[ \t]*"
        r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'"
        r"|(?P<bare>" + _BARE + r"))"
    )
    return AnchoredPattern.build("name:", pattern, 0, 0)


# A key's prefixes and the name before its anchor take at most 4 * 25 + 12 characters.
_KEY_REACH = 128
# "password" in the languages of the tuning sets' locales and their neighbours: a config
# file or a note written in Dutch, German, Spanish, French, Italian users' own words.
_FOREIGN_KEY_WORDS = (
    r"passwort|kennwort|wachtwoord|contrase(?:ñ|n)a|senha|mot[ _-]?de[ _-]?passe|passord"
    r"|l(?:ö|o)senord|salasana|has(?:ł|l)o|heslo|jelsz(?:ó|o)|adgangskode|密码|口令"
    r"|parola(?:[ _-]?d[ _'’-]?ordine)?"  # Italian's "parola d'ordine", Turkish, Romanian
)
_FOREIGN_ANCHOR = (
    "wort|wachtwoord|contrase|senha|senord|salasana|has[łl]o|heslo|jelsz|adgangskode"
    "|mot[ _-]?de[ _-]?passe|parola|密码|口令"
)
_FOREIGN_TRIGGERS = (
    "wort", "wachtwoord", "contrase", "senha", "senord", "salasana", "hasło", "haslo", "heslo",
    "jelsz", "adgangskode", "parola", "密码", "口令",
)  # fmt: skip
_PASSWORD_ANCHOR, _SECRET_ANCHOR, _TOKEN_ANCHOR = (
    "pass|pw|pswd|p/w|" + _FOREIGN_ANCHOR,
    "secret",
    "key|token|credential",
)
_PASSWORD_TRIGGERS = ("pass", "pw", "pswd", "p/w", *_FOREIGN_TRIGGERS)
_PREFIXES = r"(?:[A-Za-z0-9]{1,24}[_.-]){0,4}"
PASSWORD_KEY = (
    _PREFIXES
    + r"(?:[A-Za-z]{0,12}password|passwd|pass[ _-]?phrase|"
    + _FOREIGN_KEY_WORDS
    # camelCase names that end in "Pass" or "PW" (Unity's "keystorePass", "keyaliasPass",
    # an LDAP client's "bindPW"), and the directives "bindpw" and "rootpw"
    + r"|(?-i:[a-z][a-z0-9]{1,15}(?:Pass|PW|Pw))|bindpw|rootpw"
    + r"|pswd|pwd|pass|pw|p/w)"
)
# A camelCase name's head before "Secret" or "Token": "apiSecret", "clientSecret",
# "otpSecret", "apiToken"; not a name whose token is public ("nextPageToken", "csrfToken")
# nor one that names a secret object rather than holds a secret ("existingSecret: db-creds",
# Helm's and operators' references).
CAMEL_HEAD = (
    r"(?-i:(?!(?:page|next|prev|csrf|xsrf|cursor|sync|continuation|cancellation|public"
    r"|publishable|cache|sort|existing|external|sealed|kubernetes|k8s|vault|use|create"
    r"|mount|from|target|source|image|pull|tls|ssl|cert|ref)[A-Z])"
    r"[a-z][a-z0-9]{0,15}(?:[A-Z][a-z0-9]{1,15}){0,2}(?=[ST]))"
)
_SECRET_KEY = (
    _PREFIXES + r"(?:" + CAMEL_HEAD + r")?secret(?:[_.-]?key)?(?:[_.-]?base)?"
)  # Rails' secret_key_base
# What a key is for when its value is a secret (not "public", "site", "sort", "ssh").
_KEY_WORDS = (
    r"(?:account|shared[_.-]?access|app|master|signing|encryption|hmac|private|license"
    r"|subscription|functions?|client|webhook|session|cookie|jwt|cipher|aes"
    # MongoDB's replica set key file content (Bitnami "replicaSetKey"), WireGuard's
    # "PresharedKey"
    r"|replica[_.-]?set|pre[_.-]?shared)"
)
# An Azure storage account's key under the names apps give it ("StorageKey",
# "AZURE_STORAGE_KEY", "storage_account_key"); a web app's "storageKey" names a
# localStorage entry ("theme"), so only a random-looking value counts here.
_STORAGE_KEY = _PREFIXES + r"storage[_.-]?(?:account[_.-]?)?key"
# Spoken or written as words: "API key: X", "license key = X" (each trigger costs a look
# through every text: the four names people write most).
_SPACED_KEY = r"(?:api|access|secret|license)[ \t]key"
_SPACED_KEY_TRIGGERS = ("api key", "access key", "secret key", "license key")
# A secret's name in prose, the value right after it: "my api key X", "rotated secret X".
_NOUN_KEY = r"(?:api|access)[ \t]key|secret(?:[ \t]key)?"
_TOKEN_KEY = (
    _PREFIXES + r"(?:api[_.-]?key|apikey|access[_.-]?key|(?:access|auth|refresh|bearer|session"
    r"|private|secret|id)?[_.-]?token|" + CAMEL_HEAD + r"token|credentials?"
    # the noun first, as Portuguese, Spanish, French and Italian name it: "token_api",
    # "token-acesso", "token_d_acces"
    r"|token[_.-](?:api|acc?ess?o|d[_.'-]?acc[eè]s)"
    # keys that hold a key: Azure "AccountKey=", "SharedAccessKey=", Laravel "APP_KEY=",
    # "ENCRYPTION_KEY", "HMAC_KEY", "PRIVATE_KEY", "Ocp-Apim-Subscription-Key", ...
    r"|" + _KEY_WORDS + r"[_.-]?key)"
)

#: The keys of a secret and of a token or key, for rules of other modules (``#define``).
SECRET_KEY, TOKEN_KEY = _SECRET_KEY, _TOKEN_KEY


# A config line whose whole value is words: YAML's plain scalar and a properties value run
# to the line's end ("replicationPassword: clearly one road wish").
_LINE_WORDS = AnchoredPattern.build(
    _PASSWORD_ANCHOR,
    r"(?<![A-Za-z0-9])(?P<key>(?i:" + PASSWORD_KEY + r"))(?::[ \t]+|=)"
    r"(?P<value>[^\W_][^\s\"'`#]*(?:[ \t][^\s\"'`#]+){1,7})[ \t]*(?=\r?\n|$)",
    0,
    _KEY_REACH,
)
# Where a key is a program's name, not a word of notes ("Password: ask the ops team"): it
# holds a separator or a camelCase hump ("replicationPassword", "signing.password"). The
# stream holds such a line's words until it ends (policies.holdback_neighbours).
MACHINE_KEY = re.compile(r"[._-]|[a-z][A-Z]")


# An anti-forgery token's name: "csrf_token", "_xsrf", "authenticity_token" (Rails).
_ANTI_FORGERY = re.compile(r"(?i)csrf|xsrf|authenticity")
_NAME_CHARACTER = re.compile(r"[\w.-]")


def _not_anti_forgery(value: str, match: re.Match[str], text: str) -> bool:
    """The token is not a form's anti-forgery token (``csrf_token=...`` in a form body): a
    nonce the server checks against the session it issued it to, useless without that
    session's cookie, which a credential rule reports on its own. The whole name counts,
    prefixes the key pattern started after included ("csrf_" before "token")."""
    start = match.start("key")
    while start and _NAME_CHARACTER.match(text, start - 1):
        start -= 1
    return _ANTI_FORGERY.search(text, start, match.end("key")) is None


def _config_words(value: str, match: re.Match[str], text: str) -> bool:
    """Words that are a config entry's whole value: the key starts its line (after blanks
    or a list mark) and is a program's name, and the words are a passphrase."""
    line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
    return (
        line.strip() in ("", "-")
        and MACHINE_KEY.search(match["key"]) is not None
        and _BYTE_COUNT.fullmatch(value) is None
        and is_config_passphrase(value)
    )


_FLAG_VALUE = (
    r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'|(?P<bare>[A-Za-z0-9._~+/=-]{8,256}))"
)


def assigned_secret_rules(generic: Check) -> tuple[SecretRule, ...]:
    """The rules for secrets named by a key; ``generic`` checks a random-looking token."""
    rule = SecretRule
    return (
        rule(
            E.PASSWORD,
            _assignment(PASSWORD_KEY, _PASSWORD_ANCHOR),
            0.8,
            CONTEXTUAL,
            _PASSWORD_TRIGGERS,
            either(_password_value, quoted_passphrase),  # 'password: "correct horse 9"'
        ),
        rule(
            E.PASSWORD,
            _LINE_WORDS,
            0.75,
            CONTEXTUAL,
            _PASSWORD_TRIGGERS,
            _config_words,
        ),
        rule(
            E.PASSWORD,
            _name_value(PASSWORD_KEY),
            0.8,
            CONTEXTUAL,
            ("pass", "pw"),  # Kubernetes env names are English: no foreign triggers to try
            either(_password_value, quoted_passphrase),
        ),
        rule(
            E.GENERIC_SECRET,
            _name_value(_SECRET_KEY + "|" + _TOKEN_KEY),
            0.8,
            CONTEXTUAL,
            ("secret", "key", "token", "credential"),
            _password_value,
        ),
        rule(
            E.GENERIC_SECRET,
            _assignment(_SECRET_KEY, _SECRET_ANCHOR),
            0.8,
            CONTEXTUAL,
            ("secret",),
            _password_value,
        ),
        rule(
            E.GENERIC_SECRET,
            _assignment(_TOKEN_KEY, _TOKEN_ANCHOR),
            0.75,
            CONTEXTUAL,
            ("key", "token", "credential"),
            all_of(_not_anti_forgery, either(generic, _config_token)),
        ),
        rule(
            E.GENERIC_SECRET,
            # Tried only at its keywords: case-insensitive, the pattern alone is tried at
            # every position of the text (~0.2 ms on 4 KB of Python holding "token").
            AnchoredPattern.build(
                r"bearer|token|basic|api-?key",
                r"(?i:\b(?:bearer|token|basic|api-?key))[ \t]+(?P<value>[A-Za-z0-9._~+/-]+=*)",
                0,
                0,
            ),
            0.75,
            CONTEXTUAL,
            ("bearer", "token", "basic", "api-key", "apikey"),
            all_of(generic, not_code_name),  # "the token UserSession2Manager"
        ),
        rule(
            E.GENERIC_SECRET,
            _assignment(_STORAGE_KEY, "storage"),
            0.75,
            CONTEXTUAL,
            ("storage",),
            generic,
        ),
        rule(  # in prose without a separator: "the api key X is leaked", "rotated secret X"
            E.GENERIC_SECRET,
            AnchoredPattern.build(
                _NOUN_KEY,
                r"(?<![\w.-])(?i:" + _NOUN_KEY + r")[ \t]+(?P<value>[A-Za-z0-9._~+/-]{8,256}=*)",
                0,
                0,
            ),
            0.75,
            CONTEXTUAL,
            ("api key", "access key", "secret"),
            all_of(generic, _scattered),
        ),
        rule(  # an environment name for a key: OPENAI_KEY=X, MAILGUN_KEY: X; RabbitMQ's
            # RABBITMQ_ERLANG_COOKIE: X (the cluster's shared secret)
            E.GENERIC_SECRET,
            _assignment(r"(?-i:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:KEY|COOKIE))", "_key|_cookie"),
            0.75,
            CONTEXTUAL,
            ("_key", "_cookie"),
            all_of(_secret_key_name, generic),
        ),
        rule(  # a pre-shared key under an environment name: VPN_IPSEC_PSK="X", WIFI_PSK="X"
            # (a Wi-Fi one not of 64 hex digits: wpa_passphrase's hash of one)
            E.PASSWORD,
            _assignment(r"(?-i:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_PSK)", "_psk"),
            0.75,
            CONTEXTUAL,
            ("_psk",),
            all_of(either(_password_value, quoted_passphrase), _not_a_wifi_hash),
        ),
        rule(  # Terraform: variable "db_password" { ... default = "X" }
            E.PASSWORD,
            _TERRAFORM_DEFAULT_PASSWORD,
            0.75,
            CONTEXTUAL,
            ('variable "',),
            _password_value,
        ),
        rule(
            E.GENERIC_SECRET,
            _TERRAFORM_DEFAULT_SECRET,
            0.75,
            CONTEXTUAL,
            ('variable "',),
            _password_value,
        ),
        rule(  # ENV.fetch("DB_PASSWORD") { "X" }, process.env.DB_PASSWORD || "X"
            E.PASSWORD,
            _env_default(PASSWORD_KEY, _PASSWORD_ANCHOR),
            0.75,
            CONTEXTUAL,
            _ENV_TRIGGERS,
            _password_value,
        ),
        rule(  # ENV.fetch("API_KEY") { "X" }, process.env.API_TOKEN ?? "X"
            E.GENERIC_SECRET,
            _env_default(_SECRET_KEY + "|" + _TOKEN_KEY, _SECRET_ANCHOR + "|" + _TOKEN_ANCHOR),
            0.75,
            CONTEXTUAL,
            _ENV_TRIGGERS,
            all_of(_password_value, either(generic, _config_token)),
        ),
        rule(  # a Postman export's auth entry: {"key": "token", "value": "X", ...}
            E.GENERIC_SECRET,
            _POSTMAN_ENTRY,
            0.75,
            CONTEXTUAL,
            ('"key"',),
            generic,
        ),
        rule(  # ASP.NET's appsettings: "Jwt": { "Key": "X", "Issuer": ... }
            E.GENERIC_SECRET,
            _JWT_SECTION_KEY,
            0.75,
            CONTEXTUAL,
            ('"jwt',),
            generic,
        ),
        rule(  # a credential under "auth": Terraform's provider "grafana" { auth = "X" },
            # FIREBASE_AUTH=X, a registry's "auth": "X"; random-looking ("auth: basic" is none)
            E.GENERIC_SECRET,
            _assignment(r"(?:[A-Za-z0-9]{1,24}[_.-]){0,3}auth", r"auth(?![a-z0-9])"),
            0.75,
            CONTEXTUAL,
            ("auth",),
            generic,
        ),
        rule(  # "API key: X", "license key = X"
            E.GENERIC_SECRET,
            AnchoredPattern.build(
                _SPACED_KEY,
                r"(?<![\w.-])(?i:" + _SPACED_KEY + r")[ \t]*[:=][ \t]*"
                r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'|`(?P<bt>[^`\n]{1,256})`"
                r"|(?P<bare>[A-Za-z0-9._~+/=-]{8,256}))",
                0,
                0,
            ),
            0.75,
            CONTEXTUAL,
            _SPACED_KEY_TRIGGERS,
            generic,
        ),
        rule(  # command-line flags: --api-key X, --token X, --client-secret X
            E.GENERIC_SECRET,
            re.compile(
                r"(?<![\w-])--(?:[a-z0-9]{1,20}-){0,3}(?:api-?key|token|secret|access-key"
                r"|secret-key|auth-key|license-key)[ \t]+" + _FLAG_VALUE
            ),
            0.75,
            CONTEXTUAL,
            ("-key", "-token", "-secret"),
            generic,
        ),
        rule(  # "the API key for staging is X", "our client secret was X": random-looking
            E.GENERIC_SECRET,
            AnchoredPattern.build(
                "key|token|secret",
                r"(?<![\w.-])(?i:(?:api|access|secret|private|license|client|auth|access)"
                r"[ \t_-]?(?:key|token|secret)|token|secret)"
                r"(?:(?:[ \t]+(?i:for|of|on|to)(?:[ \t]+[^\s:=,.;]{1,40}){1,4}?)?"
                r"[ \t]+(?i:is|was|is[ \t]+now)[ \t]+(?:[:=][ \t]*)?"
                # "the API key for staging: X"
                r"|[ \t]+(?i:for|of|on|to)(?:[ \t]+[\w-]{1,40}){1,4}?[ \t]*:[ \t]*)"
                # in backquotes, no blank: "the token on start: `jupyter lab --X.token=Y
                # --port 8890`" is a command, whose option's value the option's rule finds
                r"(?:\"(?P<dq>[^\"\n]{8,256})\"|'(?P<sq>[^'\n]{8,256})'|`(?P<bt>[^`\s]{8,256})`"
                r"|(?P<bare>[A-Za-z0-9._~+/=-]{8,256}))",
                1,
                64,
            ),
            0.75,
            CONTEXTUAL,
            ("key", "token", "secret"),
            generic,
        ),
        rule(  # the key a signing call is given: jwt.sign(payload, 'X'), hmac.new(b'X', ...)
            E.GENERIC_SECRET,
            re.compile(
                r"(?<![\w.])(?:(?i:jwt|jsonwebtoken)\.(?:sign|verify|encode|decode)"
                # the payload whole: a literal dict or list holds commas of its own
                r"\((?:[^,(){}\[\]\n]|\{[^{}\n]{0,200}\}|\[[^\[\]\n]{0,200}\]){1,120},"
                r"|hmac\.new\()[ \t]*b?"
                r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'|`(?P<bt>[^`\n]{1,256})`)"
            ),
            0.8,
            CONTEXTUAL,
            ("jwt.", "jsonwebtoken.", "hmac.new"),
            _signing_key,
        ),
    )
