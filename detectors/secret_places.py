"""Secrets named by the markup, file or command line around them rather than by ``key = value``.

* XML elements and resources named like a secret: ``<clientSecret>X</clientSecret>``,
  Android's ``<string name="backend_secret">X</string>``, a property list's
  ``<key>ClientSecret</key>`` then ``<string>X</string>``;
* a Groovy/Gradle or Ruby DSL line that calls a setting by its name: ``storePassword "X"``;
* IPsec's ``: PSK "X"`` and Cisco's ``crypto isakmp key X`` and ``pre-shared-key X``;
* a CLI that stores a setting by name: ``pulumi config set --secret dbPassword 'X'``,
  ``npm config set //registry.npmjs.org/:_authToken X``;
* an ``Authorization`` header with a short token (``Authorization: Token 5n2f0opMSCXk``),
  where the generic rules want 16 characters;
  a custom header naming a key (``x-api-key: kQ3x9LmP2vRtW``) with 10 or more; and a
  URL's ``?api_key=``/``&private_token=``/``?psk=`` parameter with 12 characters or more;
* SQL's ``SET PASSWORD [FOR user] = 'X'``; a row of pppd's ``chap-secrets``/``pap-secrets``
  (``client server "X" *``);
* and, from :mod:`detectors.secret_notes`, secrets that a line's layout or a sentence of
  notes and chat names.

The name decides the type: a password's name gives ``PASSWORD``, a token's, key's or
secret's ``GENERIC_SECRET``. The value must still be a value: no placeholder, template,
variable or expression.
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.letter_keys import random_letters
from detectors.secret_notes import note_rules
from detectors.secret_rule import CONTEXTUAL, STRUCTURED, AnchoredPattern, Check, SecretRule
from detectors.secret_values import (
    all_of,
    either,
    is_code_like,
    is_expression,
    is_placeholder,
    is_scattered,
)

# The last word of a name: a password's, or a token's, key's or secret's.
_PASSWORD_END = r"(?:password|passwd|passphrase|pwd)"  # noqa: S105 - a pattern
_TOKEN_END = (
    r"(?:secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|secret[_.-]?key"  # noqa: S105 - a pattern
    r"|private[_.-]?key|signing[_.-]?key|client[_.-]?key|app[_.-]?key|master[_.-]?key)"
)
# A name's words before its end: "backend_", "Client", "db.", "spring.mail."
_HEAD = r"[\w.:-]{0,48}?"
# Words of a name that make its value public: "public_key", "csrf_token", "page_token".
_PUBLIC = re.compile(r"(?i)public|publishable|csrf|xsrf|page|cursor|next|sort|cache")
_QUOTED = r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})')"


def is_value(value: str) -> bool:
    """A value a name points to, not a placeholder (``${X}``, ``****``), a variable or an
    expression (``getToken()``, ``settings.key``), with no blank in it; a lone bracket may
    be part of a password ("M93)7Rzya!uqy")."""
    return (
        len(value) >= 4
        and not any(ch.isspace() for ch in value)
        and not is_placeholder(value)
        and not is_expression(value)
        and not (is_code_like(value) and any(pair in value for pair in ("()", "[]", "{}")))
        and value[0] not in "$%@<"
    )


def _public_name(match: re.Match[str]) -> bool:
    key = match.groupdict().get("key")
    return key is not None and _PUBLIC.search(key) is not None


def is_quoted_value(value: str) -> bool:
    """A quoted value a password's place holds: blanks, dots and brackets are part of a
    passphrase there ("correct horse", "best.oil.sense", "&5l)LWJqVz"); not a placeholder,
    a template or a variable."""
    return (
        len(value.strip()) >= 4
        and not is_placeholder(value)
        and value[0] not in "$%@<"
        and "{{" not in value
        and len(value.split()) <= 8
    )


def _value(value: str, match: re.Match[str], text: str) -> bool:
    if _public_name(match):
        return False
    return is_quoted_value(value) if match.lastgroup in ("dq", "sq") else is_value(value)


def _token(generic: Check) -> Check:
    """A token a secret's name points to in markup: a value, and random-looking (the
    generic check) or at least 8 characters that change class like a random string."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return _value(value, match, text) and (
            generic(value, match, text) or (len(value) >= 8 and is_scattered(value))
        )

    return check


def _line_start(check: Check) -> Check:
    """``check``, and only blanks stand before the match on its line."""

    def first(value: str, match: re.Match[str], text: str) -> bool:
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        return not line.strip() and check(value, match, text)

    return first


def _element(end: str) -> re.Pattern[str]:
    """``<NAME>X</NAME>`` for a token's name (a password's is in
    :mod:`detectors.password_commands`)."""
    return re.compile(
        r"<(?P<key>(?:[\w.-]{1,32}:)?" + _HEAD + r"(?i:" + end + r"))>"
        r"(?P<value>[^<\n]{1,256})</(?P=key)>"
    )


def _resource(end: str) -> re.Pattern[str]:
    """Android's ``<string name="NAME">X</string>`` (also ``item``, ``entry``, ``value``)."""
    return re.compile(
        r"<(?P<tag>string|item|entry|value)[ \t]+name=\"(?P<key>" + _HEAD + r"(?i:" + end + r"))\""
        r"[^>\n]{0,64}>(?P<value>[^<\n]{1,256})</(?P=tag)>"
    )


def _plist(end: str) -> re.Pattern[str]:
    """A property list's ``<key>NAME</key>`` and ``<string>X</string>`` after it."""
    return re.compile(
        r"<key>(?P<key>" + _HEAD + r"(?i:" + end + r"))</key>[ \t]*(?:\r?\n[ \t]*)?"
        r"<string>(?P<value>[^<\n]{1,256})</string>"
    )


def _config_set(end: str) -> re.Pattern[str]:
    """``pulumi config set [--secret] NAME VALUE``, ``npm config set NAME VALUE``."""
    return re.compile(
        r"(?<![\w-])(?:pulumi|esc|npm|pnpm|yarn)[ \t]+config[ \t]+set[ \t]+"
        r"(?:--[\w-]{1,20}[ \t]+){0,3}(?P<key>[\w.:/@-]{0,64}(?i:" + end + r"))[ \t]+"
        r"(?:" + _QUOTED + r"|(?P<bare>[^\s\"'`]{1,256}))"
    )


def _dsl_line(end: str, anchor: str) -> AnchoredPattern:
    """A setting called by name with a quoted value, alone on its line: ``storePassword
    "X"``, ``keyPassword 'X'`` (Gradle, Groovy, Ruby DSLs)."""
    return AnchoredPattern.build(
        anchor,
        r"(?<![\w.$-])(?P<key>[A-Za-z][\w.]{0,40}?(?i:"
        + end
        + r"))[ \t]+"
        + _QUOTED
        + r"[ \t]*[,;]?[ \t]*(?=\r?\n|$)",
        0,
        48,
    )


# An Authorization header's scheme and a token of 10 characters or more after it, in a
# header line or a HAR/Postman pair ({"name": "Authorization", "value": "Token X"}). Any
# scheme a vendor names (Splunk's "Splunk X", Okta's "SSWS X", "GenieKey X"), but those
# whose credentials other rules read or that carry no secret alone (Basic, Digest, AWS's
# signature, Kerberos' and NTLM's exchanges).
_AUTHORIZATION = re.compile(
    r"(?i:authorization)[\"']?[ \t]*(?:[:=]|,[ \t]*[\"']?value[\"']?[ \t]*:)[ \t]*[\"']?"
    r"(?!(?i:basic|digest|negotiate|ntlm|aws4-hmac-sha256|hoba|mutual|signature)[ \t])"
    r"[A-Za-z][A-Za-z0-9_-]{1,30}[ \t]+"
    r"(?P<value>[A-Za-z0-9._~+/-]{10,256}=*)(?![\w.~+/=-])"
)


def _short_token(value: str, match: re.Match[str], text: str) -> bool:
    """A token: a digit and a letter, or case that changes like a random string's; not
    lowercase words joined ("?psk=wpa2-personal", "X-Api-Key: v2-required-header")."""
    return (
        is_value(value)
        and (
            is_scattered(value)
            or random_letters(value)  # "x-api-key: exLZIugnrsYNWd"
            or (
                any(c.isdigit() for c in value)
                and any(c.isalpha() for c in value)
                and _JOINED_WORDS.fullmatch(value) is None
            )
        )
        and len(set(value)) >= 6
    )


# Lowercase words of three letters or more, a version or a number glued to each, joined
_JOINED_WORDS = re.compile(r"(?:[a-z]{3,}\d{0,3}|[a-z]\d{1,3})(?:[-_.][a-z]{3,}\d{0,3})+")


# SQL: SET PASSWORD [FOR 'user'@'host'] = 'X' (MySQL, MariaDB)
_SET_PASSWORD = re.compile(
    r"(?<![\w-])(?i:set[ \t]+password)(?:[ \t]+(?i:for)[ \t]+[^\s=;]{1,160})?[ \t]*=[ \t]*"
    r"(?:(?i:password)[ \t]*\([ \t]*)?" + _QUOTED
)


# A URL's key parameter with a value too short for the generic rules: ?api_key=to1h8zUsG6tIc
_URL_KEY = re.compile(
    r"[?&](?i:api[_-]?key|apikey|(?:access|auth|private)[_-]?token|token|psk)="
    r"(?P<value>[A-Za-z0-9._~-]{12,256})(?=[&#\s\"'<>]|$)"
)
_URL_KEY_TRIGGERS = tuple(
    mark + name for mark in "?&" for name in ("api", "access", "auth", "private", "token", "psk")
)
# A custom header that names a key or token ("x-api-key: X", "X-Auth-Token: X") with a
# short value, where the generic rules want 16 characters.
_KEY_HEADER = re.compile(
    r"(?<![\w-])(?i:x-(?:[a-z0-9]{1,20}-){0,3}(?:api-?key|key|token))[ \t]*:[ \t]*"
    r"(?P<value>[A-Za-z0-9._~+/-]{10,256}=*)(?![\w.~+/=-])"
)


# pppd's /etc/ppp/chap-secrets and pap-secrets: "client server secret [IP addresses]", one
# row a line, the secret quoted or bare; read only in a text that names the file.
_PPP_SECRET = re.compile(
    r"(?m)^[ \t]*(?!#)(?:\"[^\"\n]{1,128}\"|[^\s#\"]{1,128})[ \t]+"
    r"(?:\"[^\"\n]{0,128}\"|[^\s\"]{1,128})[ \t]+"
    r"(?:\"(?P<dq>[^\"\n]{1,256})\"|(?P<bare>[^\s\"]{1,256}))(?=[ \t]|\r?$)"
)


def _ppp_row(value: str, match: re.Match[str], text: str) -> bool:
    """A row below the file's name, and a secret: not "*" (any), a placeholder or a
    variable."""
    return (
        any(name in text[: match.start()] for name in ("chap-secrets", "pap-secrets"))
        and len(value) >= 4
        and is_value(value)
    )


# Cisco IOS: "crypto isakmp key [0|6] X address ...", "pre-shared-key [local|remote] X"
_IKE_KEY = re.compile(
    r"(?<![\w-])(?:crypto[ \t]+isakmp[ \t]+key|pre-shared-key(?:[ \t]+(?:local|remote))?)"
    r"[ \t]+(?:[06][ \t]+)?(?P<value>[^\s\"'`]{4,128})"
)


def _quoted(value: str, match: re.Match[str], text: str) -> bool:
    return match.lastgroup in ("dq", "sq")


def secret_place_rules(generic: Check, password: Check, looks: Check) -> tuple[SecretRule, ...]:
    """The rules of this module; ``generic`` checks a random-looking token, ``password``
    a value on a command line (see :func:`detectors.password_commands.command_value`),
    ``looks`` a password in prose (:func:`detectors.password_prose.looks_like_password`)."""
    token = _token(generic)
    command = all_of(_value, either(_quoted, password))
    rule = SecretRule
    return (
        rule(
            E.GENERIC_SECRET,
            _element(_TOKEN_END),
            0.8,
            STRUCTURED,
            ("secret>", "token>", "key>"),
            token,
        ),
        rule(
            E.PASSWORD,
            _resource(_PASSWORD_END),
            0.85,
            STRUCTURED,
            ("<string", "<item", "<entry", "<value"),
            command,
        ),
        rule(
            E.GENERIC_SECRET,
            _resource(_TOKEN_END),
            0.8,
            STRUCTURED,
            ("<string", "<item", "<entry", "<value"),
            token,
        ),
        rule(E.PASSWORD, _plist(_PASSWORD_END), 0.85, STRUCTURED, ("</key>",), command),
        rule(E.GENERIC_SECRET, _plist(_TOKEN_END), 0.8, STRUCTURED, ("</key>",), token),
        rule(
            E.PASSWORD,
            _dsl_line(_PASSWORD_END, "word|wd|phrase"),
            0.8,
            CONTEXTUAL,
            ('word "', "word '", 'wd "', "wd '"),
            _line_start(command),
        ),
        rule(
            E.GENERIC_SECRET,
            _dsl_line(_TOKEN_END, "key|token|secret"),
            0.75,
            CONTEXTUAL,
            ('secret "', "secret '", 'token "', "token '", 'key "', "key '"),
            _line_start(token),
        ),
        rule(
            E.PASSWORD,
            re.compile(r"(?<![\w-])PSK[ \t]+" + _QUOTED),
            0.85,
            STRUCTURED,
            ("psk",),
            command,
        ),
        rule(E.PASSWORD, _config_set(_PASSWORD_END), 0.8, STRUCTURED, ("config set",), command),
        rule(E.GENERIC_SECRET, _config_set(_TOKEN_END), 0.8, STRUCTURED, ("config set",), token),
        rule(E.GENERIC_SECRET, _AUTHORIZATION, 0.8, STRUCTURED, ("authorization",), _short_token),
        rule(
            E.GENERIC_SECRET,
            _URL_KEY,
            0.75,
            CONTEXTUAL,
            _URL_KEY_TRIGGERS,
            _short_token,
        ),
        rule(E.GENERIC_SECRET, _KEY_HEADER, 0.75, CONTEXTUAL, ("key:", "token:"), _short_token),
        rule(E.PASSWORD, _IKE_KEY, 0.85, STRUCTURED, ("isakmp key", "pre-shared-key"), command),
        rule(E.PASSWORD, _SET_PASSWORD, 0.85, STRUCTURED, ("set password",), command),
        rule(
            E.PASSWORD,
            _PPP_SECRET,
            0.8,
            STRUCTURED,
            ("chap-secrets", "pap-secrets"),
            _ppp_row,
        ),
        *note_rules(generic, token, command, looks),
    )
