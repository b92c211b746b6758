"""What a matched secret value must look like: the checks rules combine.

Placeholders and templates (``****``, ``${DB_PASSWORD}``), code that reads a secret
(``settings.db_pw``), random-looking tokens, and the combinators (:func:`all_of`,
:func:`either`) that build a rule's :data:`~detectors.secret_rule.Check` from them.
"""

from __future__ import annotations

import itertools
import re

from detectors.checks import char_classes, shannon_entropy
from detectors.secret_rule import Check

# A value that is a placeholder, template or variable rather than a credential.
_PLACEHOLDER = re.compile(
    r"""(?ix)^(?:
        [*x•.#_\-?]+                                  # ****, xxxx, ...., ----
      | <[^>]*> | \[[^\]]*\] | \{[^}]*\} | \(.*\)    # <password>, [secret], {token}
      | \$\{[A-Za-z_][\w.]*\} | \$\(.*\)              # ${VAR}, $(cmd)
      | \$(?-i:[A-Z_][A-Z0-9_]*|[a-z_][a-z0-9_]*|[a-z]+(?:[A-Z][a-z]+)+)  # $VAR, $pw, $dbPass
      | %\(\w+\)[sd]? | %[sd] | %[A-Za-z_]+%          # %(pw)s, %s, %PW%
      | \{\{.*\}\} | \{%.*%\}                         # templates
      | (?:your|my|the|some|enter|new|old|dummy|example|sample|fake|test|default|db)?
        [_-]?(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|key|value|credentials?)s?
        (?:[_-]?(?:here|goes[_-]?here|placeholder|example))?
      | null|none|nil|true|false|undefined|empty|changeme|change[_-]?me|redacted|hidden
      | masked|required|optional|string|str|bytes|int|env|todo|tbd|placeholder|example
      | yes|no|on|off|test|testing|foo|bar|baz|foobar
      | sample|dummy|secret|replace[_-]?me|fill[_-]?(?:me[_-]?)?in|n/a|\?|%s|\.\.\..*
      | ändern|aendern|cambiar|wijzigen|changer|modifier|alterar|trocar|cambiare  # "change"
      | modificare|zmień|zmien|zmienić|ändra                    # in other languages (h160)
    )$""",
)
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)your|example|placeholder|here|xxxx|changeme|dummy|sample|insert|replace|redacted"
)
_CODE_LIKE = re.compile(
    r"""^(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+   # self.password, ed25519.Key
        |.*[()\[\]{}].*)$""",
    re.VERBOSE,
)
# A dotted name, a call or a PowerShell cmdlet ("$pw = ConvertTo-SecureString ..."): code
# that reads a secret, not the secret.
_EXPRESSION = re.compile(
    r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$|\$?[A-Za-z_][\w.]*[(\[].*[)\]]$"  # $_POST['pw']
    r"|(?:Get|Set|New|Read|Import|Export|ConvertTo|ConvertFrom|Invoke|Add|Remove|Unprotect"
    r"|Protect)-[A-Z][A-Za-z]+$"
)


# Words joined by dots and ending in a number: a password people make ("Mariposa.raven77",
# "Tiger.Lily.7"), not an attribute, unless its first part names a module or an object code
# reads attributes of, or its last part a type ("np.float64", "hashlib.sha256", "self.pw2").
_DOTTED_WORDS = re.compile(r"[A-Za-z]{3,}(?:\.[A-Za-z]{2,}){0,3}(?:\.\d{1,4}|[A-Za-z]\d{2,})")
_RECEIVERS = frozenset((
    "self", "this", "cls", "super", "os", "sys", "numpy", "torch", "jnp", "pandas", "hashlib",
    "base64", "ctypes", "struct", "config", "settings", "env", "environ", "args", "opts",
    "options", "cfg", "conf", "params", "request", "req", "ctx", "context", "app", "secrets",
    "vault", "process", "math", "string", "codecs", "zlib", "binascii", "data", "user",
    "props", "state", "window", "document", "module", "exports", "models", "types", "typing",
))  # fmt: skip
_TYPE_NAME = re.compile(r"(?i)(?:u?int|float|complex|sha|md|utf|ucs|crc|latin|ascii|base)\d+$")


# A random part makes a dotted value a token ("hvs.CAESIJ4kQm...", a Vault token), not code:
# 20+ characters where digits and letters alternate at least four times (a name such as
# "Ed25519PrivateKey" has one run of digits).
_RANDOM_PART = re.compile(r"(?=[^.]*[a-z])(?=[^.]*[A-Z])[\w-]{20,}")
_DIGIT_LETTER = re.compile(r"\d(?=[A-Za-z])|[A-Za-z](?=\d)")


def _has_random_part(value: str) -> bool:
    return any(
        _RANDOM_PART.fullmatch(part) and len(_DIGIT_LETTER.findall(part)) >= 4
        for part in value.split(".")
    )


def is_dotted_words(value: str) -> bool:
    """True for words joined by dots that end in a number and read as a password
    ("Mariposa.raven77", "Lemon.Schatz.9"), not as code ("np.float64", "self.pw22")."""
    return (
        "." in value
        and _DOTTED_WORDS.fullmatch(value) is not None
        and value.split(".", 1)[0].lower() not in _RECEIVERS
        and _TYPE_NAME.search(value) is None
    )


def is_scattered(value: str) -> bool:
    """True if the classes of ``value``'s letters and digits (lower, upper, digit) change at
    least every third character: random ("9fK2mQ7x", "bP.YjuNv0Y"), not a name or code
    ("db-creds-2024", "base64encodedValue2", "self.pw22")."""
    classes = [ch.isdigit() + 2 * ch.isupper() for ch in value if ch.isalnum()]
    return 3 * sum(a != b for a, b in itertools.pairwise(classes)) >= len(value)


def is_expression(value: str) -> bool:
    """True for code that reads a secret rather than the secret: ``settings.db_pw``,
    ``vault.read(path)``."""
    return (
        _EXPRESSION.match(value) is not None
        and not is_dotted_words(value)
        and not _has_random_part(value)
    )


# Credentials published for everyone to use: the storage emulator's (Azurite, Azure Storage
# Emulator) account key for "devstoreaccount1", in Microsoft's docs and many test suites;
# and protocol constants held under a key's name: WebSocket's handshake GUID (RFC 6455).
_PUBLISHED = frozenset((
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
))  # fmt: skip


# Keys printed in vendors' documentation for readers to copy, marked by a capital "EXAMPLE"
# at the end: AWS's "AKIAIOSFODNN7EXAMPLE" and "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" on
# every page of its docs (gitleaks' default AWS rule allows ".+EXAMPLE$" for the same reason).
# No issued key ends so; reporting them blocks every call that quotes the docs.
_DOCUMENTED_EXAMPLE_ENDS = ("EXAMPLE", "EXAMPLEKEY")


# AWS's session-token examples carry the word in the middle ("AQoEXAMPLEH4aoAH0gNCAPy...",
# "...wEaDEXAMPLETOKEN..."): seven capitals a random token of this length never spells.
_EXAMPLE_INSIDE_MIN = 20


# Secrets that standards and tools print for every reader: the TOTP seed of Google
# Authenticator's key-URI documentation, RFC 4226/6238's test secret ("12345678901234567890")
# in base32, RFC 4231's first HMAC test key, jwt.io's default HS256 secret.
_STANDARD_EXAMPLES = frozenset((
    "JBSWY3DPEHPK3PXP", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "0b" * 20, "your-256-bit-secret",
))  # fmt: skip


def is_documented_example(value: str) -> bool:
    """True for a key from a vendor's documentation: ``AKIAIOSFODNN7EXAMPLE``, any value of
    more than 10 characters ending in a capital ``EXAMPLE`` or ``EXAMPLEKEY``, a value of
    20 or more with a capital ``EXAMPLE`` inside (AWS's session-token examples), and the
    test secrets of standards and tools (``_STANDARD_EXAMPLES``)."""
    return (
        (len(value) > 10 and value.endswith(_DOCUMENTED_EXAMPLE_ENDS))
        or (len(value) >= _EXAMPLE_INSIDE_MIN and "EXAMPLE" in value)
        or value in _STANDARD_EXAMPLES
    )


# Where a secret lives rather than the secret: Spring Cloud Config ciphertext ("{cipher}..."),
# Maven resource filtering ("@db.password@"), secret manager references (1Password
# "op://vault/item/field", vals "ref+vault://...", Bank-Vaults "vault:path#key", Spring
# Cloud GCP "sm://name").
_REFERENCE = re.compile(
    r"\{cipher\}.*|@[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)*@|(?:op|ref\+\w+|sm)://\S+"
    r"|vault:[\w/.-]+(?:#[\w/.-]*)?"
    # a file that holds it: GOOGLE_APPLICATION_CREDENTIALS=/path/to/key.json, a Docker or
    # Kubernetes secret mount, Vault's "password=@/dev/stdin"
    r"|[@~]?/(?:etc|run|tmp|var|home|root|path|opt|usr|dev|mnt|srv|secrets?|app|data|config)"
    r"(?:/[\w.-]+)+"
    # a file in the home directory: "~/.aws/credentials", "~/.pgpass", "~/.docker/config.json"
    r"|~/\.?[\w-]+(?:\.[\w-]+)*(?:/[\w.-]+)*"
    # a template's expression (GitHub Actions' "${{ secrets.X }}") and a variable that
    # Compose passes on to the shell escaped ("$$REDIS_PASSWORD", "$$(cat /run/secrets/x)")
    r"|\$\{\{.*\}\}|\$\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*\}|\(.*\))"
    # a stored hash, not the password: LDAP's "{SSHA}...", "{CRYPT}$6$..."
    r"|\{(?i:s?sha\d*|s?md5|crypt|pbkdf2[\w-]*|argon2\w*|bcrypt)\}\S+"
)
# A value that says it is none: "ThisIsNotARealSecret", "not-a-real-key", a Phoenix dev
# key "development_secret_key_base_please_change_in_production", a config template's
# "local_db_password" or "your-app-key" (words that name the secret, and no digit).
_SAYS_PLACEHOLDER = re.compile(
    r"(?i).*(?:not[_ -]?(?:a[_ -]?)?(?:real|valid|actual)[_ -]?"
    r"(?:secret|password|passwd|key|token)|please[_-]?change|change[_-]?(?:this|me)[_-]"
    r"|change[_-]?in[_-]?prod).*"
    r"|(?:[a-z]{2,12}[_-]){1,4}(?:password|passwd|pwd|secret|token|key|api[_-]?key)"
)
# A Spring or shell variable with a default: "${DB_PASSWORD:}", "${PW:-changeme}".
_WITH_DEFAULT = re.compile(r"\$\{[A-Za-z_][\w.-]*:[-=?+]?(?P<default>[^{}]*|#\{[^{}]*\})\}")


_COUNT_ORDER = "0123456789abcdefghijklmnopqrstuvwxyz"
_NEXT_IN_COUNT = dict(itertools.pairwise(_COUNT_ORDER))
_MIN_COUNT = 16  # shorter counts ("12345678") are passwords people really use


def is_counting(value: str) -> bool:
    """True for a value that counts through the digits and letters, as docs' example keys do
    (``0123456789abcdef0123456789abcdef``, ``abcdef123456...``): at least nine in ten of
    its characters follow the one before in that order. A random key's almost never do."""
    if len(value) < _MIN_COUNT:
        return False
    lowered = value.lower()
    steps = sum(_NEXT_IN_COUNT.get(a) == b for a, b in itertools.pairwise(lowered))
    return steps * 10 >= (len(value) - 1) * 9


def is_placeholder(value: str) -> bool:
    """True for values like ``****``, ``${DB_PASSWORD}``, ``<password>``, ``changeme``,
    ``YES`` (MySQL's "using password: YES"), ``test``, any of them before an unopened
    closing bracket, a
    reference to where the secret lives (``op://...``, ``{cipher}...``, ``@db.password@``), a
    variable whose default is one of these or empty (``${DB_PASSWORD:}``), and credentials
    published for everyone's use (the Azure storage emulator's key); a file that holds the
    secret (``/run/secrets/db``), a template's expression (``${{ secrets.X }}``), Compose's
    escaped variable (``$$PW``), a stored hash (``{SSHA}...``) and a value that says it is
    none (``ThisIsNotARealSecret``, ``local_db_password``), and a count through digits and
    letters (:func:`is_counting`)."""
    if (
        _PLACEHOLDER.match(value)
        or value in _PUBLISHED
        or _REFERENCE.fullmatch(value)
        or _SAYS_PLACEHOLDER.fullmatch(value)
        or is_masked(value)
        or _NEXT_FIELD.fullmatch(value)
        or is_counting(value)
    ):
        return True
    closed = value.rstrip(")]}")
    if closed != value and not any(ch in closed for ch in "([{"):
        return is_placeholder(closed)  # "(using password: YES)", "(default: changeme)"
    variable = _WITH_DEFAULT.fullmatch(value)
    if variable is None:
        return False
    default = variable["default"]
    return (
        not default
        or default.startswith("#{")
        or is_placeholder(default)
        or _PLACEHOLDER_WORDS.search(default) is not None
        or "change" in default.lower()
    )


# A secret a tool printed masked: "gho_****************" (gh auth status),
# "****************OEWE" (aws configure list), "sk-proj-••••••••abcd".
_MASK_RUN = re.compile(r"[*•●]{4}")
_MASK_CHARS = frozenset("*•●")
_MASKED_SHARE = 3  # a third of the value or more


# The next field's name where a field is empty: Go's %+v prints "{DBPassword: APIKey: ...}".
_NEXT_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,40}:")


def is_masked(value: str) -> bool:
    """True for a secret a tool printed masked: four mask characters (``*``, ``•``, ``●``)
    in a row and a third of the value or more ("gho_******...", "AKIA****"). A password
    with a star or two in it is no mask."""
    masked = sum(ch in _MASK_CHARS for ch in value)
    return _MASKED_SHARE * masked >= len(value) and _MASK_RUN.search(value) is not None


def is_code_like(value: str) -> bool:
    """True for a dotted name (``self.password``) or anything with brackets in it."""
    return (
        _CODE_LIKE.match(value) is not None
        and not is_dotted_words(value)
        and not _has_random_part(value)
    )


def distinct(minimum: int) -> Check:
    """At least ``minimum`` different characters in the value."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return len(set(value)) >= minimum

    return check


def random_looking(min_entropy: float) -> Check:
    """Entropy of at least ``min_entropy``, two character classes, no placeholder words."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return (
            shannon_entropy(value) >= min_entropy
            and char_classes(value) >= 2
            and not _PLACEHOLDER_WORDS.search(value)
        )

    return check


def either(*checks: Check) -> Check:
    """Any of ``checks`` passes."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return any(c(value, match, text) for c in checks)

    return check


def has_digit(value: str, match: re.Match[str], text: str) -> bool:
    # Random tokens of 16+ characters almost always contain a digit; identifiers such as
    # "AuthTokenService" (a type annotation after "token:") do not.
    return any(ch.isdigit() for ch in value)


def all_of(*checks: Check) -> Check:
    """All of ``checks`` pass."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return all(c(value, match, text) for c in checks)

    return check


def min_length(length: int) -> Check:
    """At least ``length`` characters, and neither a placeholder nor code."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return len(value) >= length and not is_placeholder(value) and not is_code_like(value)

    return check


# Filler at a value's end, as docs and ``.env.example`` files write a token they do not
# show: runs of "x", "X", "0", "*" or "•" (groups joined by "-", "_" or "."), an ellipsis,
# or a name in brackets whose closing bracket a blank may have cut ("<your key>" ->
# "<your"). A random token's characters almost never run: a run of 8 of one given
# character in a 64-character key is ~1e-7 likely even in hex, and the runs here must be of
# a filler character.
_FILLER_RUN = r"(?:x{4,}|X{4,}|0{4,}|\*{4,}|•{4,})"
_RUN_TAIL = re.compile(rf"{_FILLER_RUN}(?:[-_.]?{_FILLER_RUN})*[-_.]?$")
_ELIDED_TAIL = re.compile(r"(?:\.{3,}|…|<[^<>]*>?|\{[^{}]*\}?|\[[^\[\]]*\]?)$")
_MIN_RUN_FILLER = 8  # "Tx0000" is too little to say; "XXXXXXXX-XXXXXXXX" says it
_FILLER_IN_HEAD = re.compile(_FILLER_RUN)
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")
_SECRET_RUN = 8  # a random run with a digit in it: "a8f5f167..." is a cut key, not filler
_WORD_RUN = 12  # a run without one: "AccountKey=", "services/" are names, not a secret


def _holds_secret(value: str) -> bool:
    """True where the value has a run that could be a secret's: 8+ letters and digits with
    a digit, or 12+ of any (filler runs, and so the filler-like runs of a documented
    example, "T00000000/B00000000", taken out first)."""
    for run in _ALNUM_RUN.findall(_FILLER_IN_HEAD.sub("-", value)):
        if len(run) >= _WORD_RUN or (len(run) >= _SECRET_RUN and any(ch.isdigit() for ch in run)):
            return True
    return False


def is_filler_placeholder(value: str, *, elided: bool = True) -> bool:
    """True for a value whose secret part is filler: a vendor's prefix, a URL or a key's
    name and then ``xxxx...``, ``XXXXXXXX-XXXXXXXX``, ``0000...`` (8 filler characters or
    more), or, with ``elided``, an ellipsis or a bracketed name (``Nzk1NA.…``,
    ``https://hooks.slack.com/<your key>``), where the rest holds no run a secret could be
    (``https://hooks.slack.com/services/T00000000/B00000000/XXXX...``,
    ``AccountKey=xxxx...``). A cut real key (``a8f5f167f44f4964...``) and a password with
    letters and digits before the filler (``Summer2024xxxxxxxx``) stay secrets. Pass
    ``elided=False`` for passwords: "hunter2..." is a password and the prose's ellipsis."""
    tail = _RUN_TAIL.search(value)
    if tail is not None:
        filler = sum(ch not in "-_." for ch in tail.group())
        if filler < _MIN_RUN_FILLER:
            tail = None
    if tail is None and elided:
        tail = _ELIDED_TAIL.search(value)
    if tail is None or tail.start() == 0:
        return False  # a value all filler is is_placeholder's ("xxxx", "<password>")
    # the filler's own text counts too: "${JWT_KEY:-V7PVzA0V9haMkGoAFUjL}" closes a bracket
    # round a default, which is the secret
    return not _holds_secret(value)
