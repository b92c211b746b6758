"""Passwords inside URLs, connection strings and the command lines of database clients.

``scheme://user:password@host``, a ``?password=`` query parameter or a JDBC URL's
``;password=`` property, ``mysql -pX``,
``redis-cli -a X``, ``sshpass -p X`` and ``curl -u user:X``: the structure around the
value says it is a password, so these rules are ``STRUCTURED``.
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.assigned_secrets import PASSWORD_KEY
from detectors.secret_rule import STRUCTURED, SecretRule
from detectors.secret_values import is_placeholder, random_looking

_RANDOM = random_looking(3.0)


def _sas_signature(value: str, match: re.Match[str], text: str) -> bool:
    """A SAS token's ``sig``: its ``sv=`` (the service version) before it in the URL, and a
    random value, not a name of words ("sig=the_signature_here")."""
    return "sv=" in text[max(0, match.start() - 400) : match.start()] and _RANDOM(
        value, match, text
    )


def _userinfo(value: str, match: re.Match[str], text: str) -> bool:
    """A URL's password: no placeholder, and if it holds a "/", not a port before a path
    ("http://localhost:4873/@scope/pkg") nor an scp-style repository before its tag
    ("git+ssh://github.com:acme/tools.git@v1.2.0")."""
    head, slash, _ = value.partition("/")
    if slash and (head.isdigit() or value.endswith(".git")):
        return False
    return not is_placeholder(value)


def connection_rules() -> tuple[SecretRule, ...]:
    """The rules for passwords in URLs and client command lines."""
    rule = SecretRule
    return (
        rule(
            E.PASSWORD,
            re.compile(
                r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}://[^\s:/@?#'\"]{0,128}:"
                # Greedy up to the last "@" before the host: unencoded "@" and "#" in
                # passwords (a "#" there would start a fragment, but people paste them).
                # An unencoded "/" too ("rediss://:pa/ss@host"), where no "@" came before
                # it: "https://host:8080/@scope/pkg" is a port and a path (see _userinfo).
                r"(?P<value>[^\s/?'\"]{1,256}|[^\s/?'\"@]{1,128}(?:/[^\s/?'\"@]{1,128}){1,4})"
                r"@[A-Za-z0-9._~%\[\]-]+"
            ),
            0.9,
            STRUCTURED,
            ("://",),
            _userinfo,
        ),
        rule(  # Go's MySQL DSN: "user:password@tcp(host:3306)/db"
            E.PASSWORD,
            re.compile(r"[\"'`][^\s\"'`:@/]{1,128}:(?P<value>[^\s\"'`]{1,256})@(?:tcp|unix|udp)\("),
            0.9,
            STRUCTURED,
            ("@tcp(", "@unix(", "@udp("),
            lambda value, match, text: not is_placeholder(value),
        ),
        rule(  # a URL or JDBC query parameter: the value ends at the next "&"
            E.PASSWORD,
            re.compile(
                r"[?&](?i:" + PASSWORD_KEY + r")=(?P<value>[^&\s\"'<>]{1,256})(?=[&\s\"'<>]|$)"
            ),
            0.85,
            STRUCTURED,
            ("pass", "pwd"),
            lambda value, match, text: len(value) >= 4 and not is_placeholder(value),
        ),
        rule(  # a JDBC URL's ";"-separated properties: jdbc:derby://h:1527/db;user=u;password=X
            E.PASSWORD,
            re.compile(
                r"(?i:jdbc):[A-Za-z0-9:]{1,30}//?[^\s;\"'<>]{1,256}(?:;[^\s;=\"'<>]{1,64}=[^\s;\"'<>]*)*"
                r";(?i:" + PASSWORD_KEY + r")=(?P<value>[^;\s\"'<>]{1,256})(?=[;\s\"'<>]|$)"
            ),
            0.85,
            STRUCTURED,
            ("jdbc:",),
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
        rule(  # an Azure SAS token's signature: ...?sv=2022-11-02&...&sig=<url-encoded base64>
            # (or URL-safe base64, "-_", with URL-unreserved "~": as tools and pastes print it)
            E.GENERIC_SECRET,
            re.compile(
                r"[?&]sig=(?P<value>[A-Za-z0-9%+/_~-]{20,256}(?:%3[Dd]|=){0,2})(?=[&\s\"'<>]|$)"
            ),
            0.85,
            STRUCTURED,
            ("sig=",),
            _sas_signature,
        ),
        rule(  # Oracle: jdbc:oracle:thin:user/password@host, sqlplus user/password@db
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])(?:(?i:jdbc:oracle:(?:thin|oci8?|kprb)):"
                r"|sqlplus(?:[ \t]+-[A-Za-z]+)*[ \t]+)"
                r"[\w$#.-]{1,64}/(?P<value>[^\s/@'\"]{1,128})(?=@|[ \t]+(?i:as)[ \t])"
            ),
            0.85,
            STRUCTURED,
            ("oracle:", "sqlplus"),
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
    )
