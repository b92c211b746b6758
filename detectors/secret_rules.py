"""The table of secret patterns: prefixes, lengths and the check each match must pass.

Precise patterns with checks (checksums, JWT structure, entropy, placeholder filters) come
first; context rules (``password=``, ``api_key: ...``) only fire on values that look like
real credentials. When findings overlap, the higher ``priority`` wins (a provider key inside
``api_key = "..."`` is reported as that provider's key, not as a generic secret).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from detectors import entities as E
from detectors.checks import (
    char_classes,
    github_token_checksum_valid,
    jwt_valid,
    shannon_entropy,
)
from detectors.settings import SecretsSettings

Check = Callable[[str, re.Match[str], str], bool]
"""``check(value, match, text)``: True if the matched ``value`` is a real secret."""

SPECIFIC, STRUCTURED, CONTEXTUAL = 3, 2, 1

# Token characters for the common "prefix + base62/base64url" key shapes.
_L = r"(?<![A-Za-z0-9_-])"
_R = r"(?![A-Za-z0-9_-])"

_AWS_KEY_ID = re.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])")
_VALUE_GROUPS = ("value", "dq", "sq", "dq2", "sq2", "bt", "bare")


class Matcher(Protocol):
    """What a rule matches with: a compiled pattern, or an :class:`AnchoredPattern`."""

    @property
    def groupindex(self) -> Mapping[str, int]:
        """The pattern's named groups."""
        ...

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        """Non-overlapping matches, left to right."""
        ...


@dataclass(frozen=True, slots=True)
class AnchoredPattern:
    """``pattern``, tried only where it can start near a match of ``anchor``.

    ``anchor`` matches a literal part of every match in the lowercased text (the key word
    "pass", or "name:"). A pattern that may start at any word ("Autumn2024! is my
    password", a key with up to four prefixes before "password") otherwise costs an
    attempt at every word of every text. Here each anchor sends the pattern back ``words``
    whitespace-separated words (0: to the start of the anchor's own word), at most
    ``reach`` characters, and it is tried there at each position after a non-alphanumeric
    character (every pattern using this starts after a boundary), leftmost first.
    """

    anchor: re.Pattern[str]
    pattern: re.Pattern[str]
    words: int
    reach: int

    @classmethod
    def build(cls, anchor: str, pattern: str, words: int, reach: int) -> AnchoredPattern:
        """``anchor`` is a lowercase regular expression, ``pattern`` the rule's."""
        return cls(re.compile(anchor), re.compile(pattern), words, reach)

    @property
    def groupindex(self) -> Mapping[str, int]:
        """The named groups of ``pattern``."""
        return self.pattern.groupindex

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        """The matches of ``pattern`` around the anchors, left to right, not overlapping."""
        lowered = string.lower()
        if len(lowered) != len(string):  # a few characters lowercase to two ("İ")
            lowered = "".join(ch.lower()[0] for ch in string)
        position = 0
        for anchor in self.anchor.finditer(lowered):
            if anchor.end() <= position:
                continue
            floor = max(position, anchor.start() - self.reach)
            start = anchor.start()
            for word in range(self.words + 1):
                while word and start > floor and string[start - 1].isspace():
                    start -= 1
                while start > floor and not string[start - 1].isspace():
                    start -= 1
            endpos = anchor.end() + _TAIL
            for candidate in range(start, anchor.start() + 1):
                if candidate and string[candidate - 1].isalnum():
                    continue
                match = self.pattern.match(string, candidate, endpos)
                if match is not None:
                    position = match.end()
                    yield match
                    break


_TAIL = 600  # characters after an anchor: more than a key, a separator and a value take


@dataclass(frozen=True, slots=True)
class SecretRule:
    """One pattern. The finding's span is the first of the groups ``value``, ``dq``, ``sq``,
    ``dq2``, ``sq2`` (a second alternative's quotes), ``bt`` (backticks), ``bare`` that took
    part in the match, else the whole match."""

    entity_type: str
    pattern: Matcher
    score: float
    priority: int
    triggers: tuple[str, ...]  # lowercase substrings; the rule runs only if one occurs
    check: Check | None = None

    def value_span(self, match: re.Match[str]) -> tuple[int, int]:
        """Offsets of the secret value inside ``match``."""
        for name in _VALUE_GROUPS:
            if name in self.pattern.groupindex and match.start(name) >= 0:
                return match.span(name)
        return match.span()


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
      | sample|dummy|secret|replace[_-]?me|fill[_-]?(?:me[_-]?)?in|n/a|\?|%s|\.\.\..*
    )$""",
)
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)your|example|placeholder|here|xxxx|changeme|dummy|sample|insert|replace|redacted"
)
_CODE_LIKE = re.compile(
    r"""^(?:[A-Za-z_][A-Za-z_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+   # self.password, os.environ
        |.*[()\[\]{}].*)$""",
    re.VERBOSE,
)


def is_expression(value: str) -> bool:
    """True for code that reads a secret rather than the secret: ``settings.db_pw``,
    ``vault.read(path)``."""
    return _EXPRESSION.match(value) is not None


def is_placeholder(value: str) -> bool:
    """True for values like ``****``, ``${DB_PASSWORD}``, ``<password>``, ``changeme``."""
    return bool(_PLACEHOLDER.match(value))


def _distinct(minimum: int) -> Check:
    def check(value: str, match: re.Match[str], text: str) -> bool:
        return len(set(value)) >= minimum

    return check


def _random_looking(min_entropy: float) -> Check:
    def check(value: str, match: re.Match[str], text: str) -> bool:
        return (
            shannon_entropy(value) >= min_entropy
            and char_classes(value) >= 2
            and not _PLACEHOLDER_WORDS.search(value)
        )

    return check


def _github_classic(value: str, match: re.Match[str], text: str) -> bool:
    return github_token_checksum_valid(value)


def _jwt(value: str, match: re.Match[str], text: str) -> bool:
    return jwt_valid(value)


def _aws_secret(value: str, match: re.Match[str], text: str) -> bool:
    # AWS secret keys are 40 random base64 characters: both letter cases appear, which also
    # rules out 40-hex git SHAs in the same place.
    return (
        any(c.islower() for c in value)
        and any(c.isupper() for c in value)
        and (any(c.isdigit() for c in value) or "/" in value or "+" in value)
        and shannon_entropy(value) >= 3.5
    )


def _aws_secret_near_key_id(value: str, match: re.Match[str], text: str) -> bool:
    if not _aws_secret(value, match, text):
        return False
    start, end = match.span()
    return _AWS_KEY_ID.search(text, max(0, start - 200), min(len(text), end + 200)) is not None


# What may follow a bare value that ends a config entry: the line's end, a comment, or the
# next entry of a connection string. Not "," or "}": after a bare name those are code
# (signatures "password: bool,", dicts "Token: FG_DEFAULT,").
_ENTRY_END = re.compile(r"[ \t]*(?:$|\r?\n|#|;|&)")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
# Our own masks ("<AWS_SECRET_ACCESS_KEY:3f9a1c2b04de>") and Markdown code around a value.
_MARKUP = re.compile(r"[<>`]")
# A dotted name or a call: code that reads a secret, not the secret.
_EXPRESSION = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$|[A-Za-z_][\w.]*[(\[].*[)\]]$")
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
        and not _SNAKE_NAME.fullmatch(match["bare"])  # user.password=hashed_password
    )


def _password_value(value: str, match: re.Match[str], text: str) -> bool:
    if len(value) < 4 or is_placeholder(value) or any(ch.isspace() for ch in value):
        return False
    if value.startswith(("$(", "${", "`")) and not any(ch in value[1:] for ch in ")}`"):
        return False  # a command substitution cut at its first space: "$(cat"
    if match.lastgroup != "bare":
        return True
    if _config_entry(match, text):
        # The whole value of a config entry is the password, whatever it starts with, unless
        # it is an expression: "password: vault.read(path)", "password = settings.db_pw".
        return not _EXPRESSION.match(value)
    # Unquoted values need to look like a password, not a word of prose or an expression.
    if _CODE_LIKE.match(value) or value[0] in "$%<@&*":
        return False
    has_symbol_or_digit = any(ch.isdigit() or not (ch.isalnum() or ch in "_.") for ch in value)
    mixed_case = any(c.islower() for c in value) and any(c.isupper() for c in value)
    return has_symbol_or_digit or (mixed_case and len(value) >= 8)


def _either(*checks: Check) -> Check:
    def check(value: str, match: re.Match[str], text: str) -> bool:
        return any(c(value, match, text) for c in checks)

    return check


def _config_token(value: str, match: re.Match[str], text: str) -> bool:
    # A token in a config entry, however human ("API_TOKEN=bluebird-42"); 8+ characters
    # because real tokens are never shorter and short quoted strings are often labels.
    # Bare, it needs a character other than a letter: "token: AuthTokenService" is a type.
    quoted = match.lastgroup != "bare"
    return (
        len(value) >= 8
        and (quoted or (_config_entry(match, text) and not value.isalpha()))
        and _password_value(value, match, text)
        and not _CODE_LIKE.match(value)
        and not _SNAKE_NAME.fullmatch(value)
    )


def _has_digit(value: str, match: re.Match[str], text: str) -> bool:
    # Random tokens of 16+ characters almost always contain a digit; identifiers such as
    # "AuthTokenService" (a type annotation after "token:") do not.
    return any(ch.isdigit() for ch in value)


def _all(*checks: Check) -> Check:
    def check(value: str, match: re.Match[str], text: str) -> bool:
        return all(c(value, match, text) for c in checks)

    return check


def _min_length(length: int) -> Check:
    def check(value: str, match: re.Match[str], text: str) -> bool:
        return len(value) >= length and not is_placeholder(value) and not _CODE_LIKE.match(value)

    return check


def _assignment(key: str, anchor: str) -> AnchoredPattern:
    """``key = value`` in code, config, env files, JSON, YAML, CLI flags; ``anchor`` is the
    literal part of every key (see :class:`AnchoredPattern`)."""
    pattern = (
        r"(?<![A-Za-z0-9])(?P<key>(?i:" + key + r"))[\"']?[ \t]*"
        r"(?P<sep>:[ \t]*[A-Za-z_][\w\[\]|., ]{0,40}?[ \t]*=|:=|=>|[:=])[ \t]*"
        r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'"
        r"|(?P<bare>[^\s\"',;][^\s\",;]{0,255}))"
    )
    return AnchoredPattern.build(anchor, pattern, 0, _KEY_REACH)


def _name_value(key: str) -> AnchoredPattern:
    """A Kubernetes/compose ``env`` entry: ``- name: DB_PASSWORD`` then ``value: "..."``."""
    pattern = (
        r"(?<![A-Za-z0-9])name:[ \t]*[\"']?(?P<key>(?i:" + key + r"))[\"']?[ \t]*\r?\n"
        r"[ \t]*(?P<sep>value)[ \t]*:[ \t]*"
        r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'"
        r"|(?P<bare>[^\s\"',;][^\s\",;]{0,255}))"
    )
    return AnchoredPattern.build("name:", pattern, 0, 0)


# A key's prefixes and the name before its anchor take at most 4 * 25 + 12 characters.
_KEY_REACH = 128
_PASSWORD_ANCHOR, _SECRET_ANCHOR, _TOKEN_ANCHOR = "pass|pw", "secret", "key|token|credential"
_PREFIXES = r"(?:[A-Za-z0-9]{1,24}[_.-]){0,4}"
_PASSWORD_KEY = _PREFIXES + r"(?:[A-Za-z]{0,12}password|passwd|passphrase|pwd|pass|pw)"
_SECRET_KEY = _PREFIXES + r"secret(?:[_.-]?key)?"
_TOKEN_KEY = (
    _PREFIXES + r"(?:api[_.-]?key|apikey|access[_.-]?key|(?:access|auth|refresh|bearer|session"
    r"|private|secret|id)?[_.-]?token|credentials?)"
)


def build_rules(settings: SecretsSettings) -> tuple[SecretRule, ...]:
    """The secret rules, with the generic thresholds taken from ``settings``."""
    generic = _all(
        _min_length(settings.generic_min_length),
        _random_looking(settings.generic_min_entropy),
        _has_digit,
    )
    rule = SecretRule
    return (
        # --- provider keys --------------------------------------------------------------
        rule(
            E.ANTHROPIC_API_KEY,
            re.compile(_L + r"sk-ant-(?:api|admin|oat|sid)\d{2}-[A-Za-z0-9_-]{32,256}" + _R),
            0.98,
            SPECIFIC,
            ("sk-ant-",),
            _distinct(12),
        ),
        # "T3BlbkFJ" is base64 for "OpenAI": every key format since 2023 embeds it.
        rule(
            E.OPENAI_API_KEY,
            re.compile(
                _L + r"sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{16,256}"
                r"T3BlbkFJ[A-Za-z0-9_-]{16,256}" + _R
            ),
            0.98,
            SPECIFIC,
            ("t3blbkfj",),
        ),
        rule(
            E.OPENAI_API_KEY,
            re.compile(_L + r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,256}" + _R),
            0.9,
            SPECIFIC,
            ("sk-",),
            _random_looking(3.5),
        ),
        rule(  # legacy user keys: sk- + 48 base62
            E.OPENAI_API_KEY,
            re.compile(_L + r"sk-[A-Za-z0-9]{48}" + _R),
            0.9,
            SPECIFIC,
            ("sk-",),
            _random_looking(4.0),
        ),
        rule(  # other OpenAI-compatible providers use sk- + 32 or more random characters
            E.GENERIC_SECRET,
            re.compile(_L + r"sk-[A-Za-z0-9_-]{32,256}" + _R),
            0.75,
            STRUCTURED,
            ("sk-",),
            _random_looking(3.5),
        ),
        rule(
            E.AWS_ACCESS_KEY_ID,
            _AWS_KEY_ID,
            0.9,
            SPECIFIC,
            ("akia", "asia", "abia", "acca"),
            _distinct(5),
        ),
        rule(
            E.AWS_SECRET_ACCESS_KEY,
            re.compile(
                # "aws" or "access" in the name: a bare SECRET_KEY is Django's or anyone's
                r"(?<![A-Za-z0-9])(?i:aws_?secret(?:_?access)?(?:_?key)?|secret_?access_?key)"
                r"[\"']?[ \t]*"
                r"(?::=|=>|[:=])[ \t]*[\"']?(?P<value>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"
            ),
            0.9,
            SPECIFIC,
            ("secret",),
            _aws_secret,
        ),
        rule(  # e.g. an exported credentials CSV: key id and secret side by side
            E.AWS_SECRET_ACCESS_KEY,
            re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"),
            0.8,
            SPECIFIC,
            ("akia", "asia", "abia", "acca"),
            _aws_secret_near_key_id,
        ),
        rule(
            E.GITHUB_TOKEN,
            re.compile(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9_])"),
            1.0,
            SPECIFIC,
            ("gh",),
            _github_classic,
        ),
        rule(  # GitHub reserves the right to make tokens longer; those skip the checksum
            E.GITHUB_TOKEN,
            re.compile(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{37,251}(?![A-Za-z0-9_])"),
            0.85,
            SPECIFIC,
            ("gh",),
            _random_looking(4.0),
        ),
        rule(
            E.GITHUB_TOKEN,
            re.compile(
                r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{20,40}_[A-Za-z0-9]{40,100}(?![A-Za-z0-9_])"
            ),
            0.98,
            SPECIFIC,
            ("github_pat_",),
            _random_looking(4.0),
        ),
        rule(
            E.GITLAB_TOKEN,
            re.compile(
                _L + r"(?:glpat|gldt|glrt|glptt|glft|glsoat|glcbt|gloas|glimt|glagent|glffct)-"
                r"[A-Za-z0-9_-]{20,255}(?:\.[0-9a-z]{2}\.[0-9a-z]{7,9})?" + _R
            ),
            0.95,
            SPECIFIC,
            ("gl",),
            _distinct(10),
        ),
        rule(
            E.SLACK_TOKEN,
            re.compile(
                r"(?<![A-Za-z0-9.-])(?:xox[abposre](?:\.xox[bp])?-|xapp-)\d+-[A-Za-z0-9-]{10,255}"
                r"(?![A-Za-z0-9-])"
            ),
            0.95,
            SPECIFIC,
            ("xox", "xapp-"),
            _distinct(10),
        ),
        rule(
            E.SLACK_WEBHOOK_URL,
            re.compile(
                r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,12}/"
                r"[A-Z0-9]{6,12}/(?:\d{6,}/)?[A-Za-z0-9]{16,64}(?![A-Za-z0-9])"
            ),
            0.98,
            SPECIFIC,
            ("hooks.slack.com",),
        ),
        rule(
            E.STRIPE_API_KEY,
            re.compile(
                r"(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,247}(?![A-Za-z0-9_])"
            ),
            0.95,
            SPECIFIC,
            ("_live_", "_test_"),
            _distinct(10),
        ),
        rule(
            E.GOOGLE_API_KEY,
            re.compile(_L + r"AIza[0-9A-Za-z_-]{35}" + _R),
            0.95,
            SPECIFIC,
            ("aiza",),
            _distinct(12),
        ),
        rule(
            E.JWT,
            re.compile(
                r"(?<![A-Za-z0-9_.-])e[yw][A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*"
                r"(?![A-Za-z0-9_-])(?!\.[A-Za-z0-9_-])"
            ),
            0.95,
            SPECIFIC,
            ("ey", "ew"),
            _jwt,
        ),
        # --- passwords and credentials in context ---------------------------------------
        rule(
            E.PASSWORD,
            re.compile(
                r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}://[^\s:/@?#'\"]{0,128}:"
                # Greedy up to the last "@" before the host: unencoded "@" and "#" in
                # passwords (a "#" there would start a fragment, but people paste them).
                r"(?P<value>[^\s/?'\"]{1,256})@[A-Za-z0-9._~%\[\]-]+"
            ),
            0.9,
            STRUCTURED,
            ("://",),
            lambda value, match, text: not is_placeholder(value),
        ),
        rule(  # a URL or JDBC query parameter: the value ends at the next "&"
            E.PASSWORD,
            re.compile(
                r"[?&](?i:" + _PASSWORD_KEY + r")=(?P<value>[^&\s\"'<>]{1,256})(?=[&\s\"'<>]|$)"
            ),
            0.85,
            STRUCTURED,
            ("pass", "pwd"),
            lambda value, match, text: len(value) >= 4 and not is_placeholder(value),
        ),
        rule(  # mysql -p'secret' / -psecret, redis-cli -a secret, sshpass -p secret
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])(?:mysql|mysqldump|mariadb|mysqladmin)\b[^\n|;&]*?[ \t]-p"
                r"(?:'(?P<sq>[^'\n]{1,256})'|\"(?P<dq>[^\"\n]{1,256})\"|(?P<value>[^\s'\"]{1,256}))"
                r"|(?<![\w-])(?:redis-cli[^\n|;&]*?[ \t]-a|sshpass[ \t]+-p)[ \t]+"
                r"(?:'(?P<sq2>[^'\n]{1,256})'|\"(?P<dq2>[^\"\n]{1,256})\"|(?P<bare>[^\s'\"]{1,256}))"
            ),
            0.8,
            STRUCTURED,
            ("mysql", "mariadb", "redis-cli", "sshpass"),
            lambda value, match, text: len(value) >= 3 and not is_placeholder(value),
        ),
        rule(  # curl -u user:password, --user user:password
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])curl\b[^\n|;&]*?[ \t](?:-u|--user)[ \t]*['\"]?[^\s:'\"]{1,128}:"
                r"(?:'(?P<sq>[^'\n]{1,256})'|(?P<value>[^\s'\"]{1,256}))"
            ),
            0.8,
            STRUCTURED,
            ("curl",),
            lambda value, match, text: len(value) >= 3 and not is_placeholder(value),
        ),
        rule(
            E.PASSWORD,
            _assignment(_PASSWORD_KEY, _PASSWORD_ANCHOR),
            0.8,
            CONTEXTUAL,
            ("pass", "pw"),
            _password_value,
        ),
        rule(
            E.PASSWORD,
            _name_value(_PASSWORD_KEY),
            0.8,
            CONTEXTUAL,
            ("pass", "pw"),
            _password_value,
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
            _either(generic, _config_token),
        ),
        rule(
            E.GENERIC_SECRET,
            re.compile(r"(?i:\b(?:bearer|token|basic))[ \t]+(?P<value>[A-Za-z0-9._~+/-]+=*)"),
            0.75,
            CONTEXTUAL,
            ("bearer", "token", "basic"),
            generic,
        ),
        rule(  # "the API key for staging is X", "our client secret was X": random-looking
            E.GENERIC_SECRET,
            AnchoredPattern.build(
                "key|token|secret",
                r"(?<![\w.-])(?i:(?:api|access|secret|private|license|client|auth|access)"
                r"[ \t_-]?(?:key|token|secret)|token|secret)"
                r"(?:[ \t]+(?i:for|of|on|to)(?:[ \t]+[^\s:=,.;]{1,40}){1,4}?)?"
                r"[ \t]+(?i:is|was|is[ \t]+now)[ \t]+(?:[:=][ \t]*)?"
                r"(?:\"(?P<dq>[^\"\n]{8,256})\"|'(?P<sq>[^'\n]{8,256})'|`(?P<bt>[^`\n]{8,256})`"
                r"|(?P<bare>[A-Za-z0-9._~+/=-]{8,256}))",
                1,
                64,
            ),
            0.75,
            CONTEXTUAL,
            ("key", "token", "secret"),
            generic,
        ),
    )
