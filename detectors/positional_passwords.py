"""Passwords passed by position: ``pymysql.connect("db", "app", "X")``, ``new PDO($dsn,
'app', 'X')``, ``DriverManager.getConnection(url, "sa", "X")``, ``cx_Oracle.connect("scott",
"X", dsn)``, and a call of a function whose signature in the same text names the parameter
(``def connect(host, user, password)`` then ``connect("db", "app", "X")``).

Only string literals count: the value is the literal in the password's place, never a name
or an expression (``os.environ["DB_PW"]``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from detectors import entities as E
from detectors.password_commands import command_value
from detectors.secret_rule import STRUCTURED, AnchoredPattern, SecretRule

# A call's argument: a string, or a name ($dsn, url, config.DB_HOST, args[0]).
_ARGUMENT = r"(?:\"[^\"\n]{0,256}\"|'[^'\n]{0,256}'|\$?[\w.\[\]]{1,64})"
_STRING = r"(?:\"[^\"\n]{1,128}\"|'[^'\n]{1,128}')"
_LITERAL = r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})')"
_LITERAL2 = r"(?:\"(?P<dq2>[^\"\n]{1,256})\"|'(?P<sq2>[^'\n]{1,256})')"
_COMMA = r"[ \t]*,[ \t]*"
# Between a call's arguments when the call spans lines ("getConnection(\n  url, ...").
_SPACED_COMMA = r"\s*,\s*"
# A function's signature: Python, JavaScript, Go.
_KEYWORDS = ("def ", "function ", "func ")
_SIGNATURE = re.compile(
    r"(?:def|function|func)[ \t]+(?P<name>[A-Za-z_]\w{0,63})[ \t]*"
    r"\((?P<params>[^()]{0,400})\)"
)
_PARAMETER = re.compile(r"\w+")
_KEY_HINT = re.compile(r"(?i)pass|pw")
_PASSWORD_PARAMETER = re.compile(r"(?i)(?:\w*_)?(?:password|passwd|passphrase|pwd|pw|pass)")
_MAX_POSITION = 6


def _signatures(text: str) -> Iterator[re.Match[str]]:
    """The signatures in ``text`` whose parameters may name a password: found from their
    keyword with ``str.find`` (a regex tried at every position costs ~0.2 ms per 4 KB)."""
    for keyword in _KEYWORDS:
        position = text.find(keyword)
        while position >= 0:
            if position == 0 or not (text[position - 1].isalnum() or text[position - 1] in "_."):
                signature = _SIGNATURE.match(text, position)
                if signature is not None and _KEY_HINT.search(signature["params"]):
                    yield signature
            position = text.find(keyword, position + 1)


def _password_position(params: str) -> int | None:
    """The index of the password among ``params`` (after ``self`` or ``cls``), if one is."""
    names = []
    for param in params.split(","):
        head = re.split(r"[:=]", param, maxsplit=1)[0]
        words = _PARAMETER.findall(head)
        if words:
            names.append(words[-1])  # "password: str", "String password"
    if names and names[0] in ("self", "cls", "this"):
        names = names[1:]
    for index, name in enumerate(names[:_MAX_POSITION]):
        if _PASSWORD_PARAMETER.fullmatch(name):
            return index
    return None


def _call(name: str, position: int) -> re.Pattern[str]:
    """A call of ``name`` with a string literal at ``position``."""
    return re.compile(
        r"(?<![\w$])" + re.escape(name) + r"[ \t]*\([ \t]*"
        r"(?:" + _ARGUMENT + _COMMA + r"){" + str(position) + r"}" + _LITERAL + r"[ \t]*[,)]"
    )


@dataclass(frozen=True, slots=True)
class SignedCalls:
    """A :class:`~detectors.secret_rule.Matcher`: calls that pass a string literal where a
    signature in the same text has its password parameter."""

    @property
    def groupindex(self) -> Mapping[str, int]:
        """The groups of a call: ``dq`` and ``sq``, the literal's quotes."""
        return _call("f", 0).groupindex

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        """The calls, left to right, not overlapping."""
        positions: dict[str, int] = {}
        for signature in _signatures(string):
            position = _password_position(signature["params"])
            if position is not None:
                positions.setdefault(signature["name"], position)
        matches = sorted(
            (
                m
                for name, position in positions.items()
                for m in _call(name, position).finditer(string)
            ),
            key=lambda m: m.start(),
        )
        end = 0
        for match in matches:
            if match.start() >= end:
                end = match.end()
                yield match


def positional_rules(prose_words: frozenset[str]) -> tuple[SecretRule, ...]:
    """The rules for passwords passed by position (see the module docstring)."""
    command = command_value(prose_words)
    return (
        SecretRule(  # a DB driver's connect(host, "user", "X"): the third argument;
            # cx_Oracle.connect("user", "X", "dsn"): the second
            E.PASSWORD,
            # Tried only at its anchors: a pattern opening with a look-behind and an
            # alternation is tried at every position (~0.2 ms per 4 KB of Python).
            AnchoredPattern.build(
                r"connect|mysqli|pdo\(|sequelize\(",
                r"(?<![\w.])(?:(?:(?:MySQLdb|pymysql|pymssql|psycopg2?|mariadb|mysql\.connector)"
                r"\.connect|mysqli_connect|mysql_connect|mysqli|PDO|Sequelize"
                r"|DriverManager\.getConnection)[ \t]*\(\s*"
                + _ARGUMENT
                + _SPACED_COMMA
                + _STRING
                + _SPACED_COMMA
                + _LITERAL
                + r"|cx_Oracle\.connect[ \t]*\([ \t]*"
                + _STRING
                + _COMMA
                + _LITERAL2
                + r")",
                0,
                40,  # "DriverManager.getConnection": back from "connect" to the name's start
            ),
            0.85,
            STRUCTURED,
            ("connect", "mysqli", "pdo(", "sequelize("),  # each trigger is a look through a text
            command,
        ),
        SecretRule(  # credentials built from a user and a password: NetworkCredential("u", "X"),
            # UsernamePasswordCredentials, PasswordAuthentication; a client's login("u", "X")
            # (smtplib, imaplib, ftplib, poplib)
            E.PASSWORD,
            AnchoredPattern.build(
                r"credential\(|authentication\(|\.login\(",
                r"(?<![\w.])(?:(?:new[ \t]+)?(?:[\w.]{1,64}\.)?(?:NetworkCredential"
                r"|UsernamePasswordCredentials|PasswordAuthentication|PasswordCredential)"
                r"|[\w.\]\)]{0,64}\.login)[ \t]*\([ \t]*" + _STRING + _COMMA + _LITERAL,
                0,
                64,
            ),
            0.85,
            STRUCTURED,
            ("credential(", "authentication(", ".login("),
            command,
        ),
        SecretRule(  # a user and a password as a call's two arguments: MQTT's
            # username_pw_set("u", "X"), reqwest's basic_auth("u", Some("X")), an Arduino's
            # WiFi.begin("ssid", "X"); paramiko's connect(host, 22, "u", "X") after its port
            E.PASSWORD,
            AnchoredPattern.build(
                r"pw_set\(|basic_auth\(|wifi\.begin\(|\.connect\(",
                r"(?<![\w$])(?:(?:[\w.\]\)]{0,64}\.)?(?:username_pw_set|basic_auth)"
                r"|WiFi\.begin)[ \t]*\([ \t]*"
                + _STRING
                + _COMMA
                + r"(?:Some\()?"
                + _LITERAL
                + r"|[\w.\]\)]{0,64}\.connect[ \t]*\([ \t]*"
                + _ARGUMENT
                + _COMMA
                + r"\d{2,5}"
                + _COMMA
                + _STRING
                + _COMMA
                + _LITERAL2,
                0,
                64,
            ),
            0.85,
            STRUCTURED,
            ("pw_set(", "basic_auth(", "wifi.begin(", ".connect("),
            command,
        ),
        SecretRule(  # a setter given the password: factory.setPassword("X"),
            # encryptor.setPassword("X"), a test's resetPassword(token, "X")
            E.PASSWORD,
            AnchoredPattern.build(
                r"password\(",
                r"(?<![\w$])(?:set|reset|change|update)(?:[A-Z][a-z]{1,15}){0,2}Password"
                r"[ \t]*\([ \t]*(?:" + _STRING + _COMMA + r")?" + _LITERAL + r"[ \t]*\)",
                0,
                40,
            ),
            0.8,
            STRUCTURED,
            ("password(",),
            command,
        ),
        SecretRule(  # def connect(host, user, password) ... connect("db", "app", "X")
            E.PASSWORD,
            SignedCalls(),
            0.8,
            STRUCTURED,
            ("pass", "pw"),  # the parameter's name holds one
            command,
        ),
    )
