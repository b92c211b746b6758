"""Secrets in the configuration of devices and firmware: network equipment's command lines
and the constants of C headers and Arduino sketches.

Router and switch configs (Cisco IOS, Junos ``set`` lines, their look-alikes) name a secret by
the command, not by ``key=value``: ``enable secret X``, ``username admin password 0 X``,
``snmp-server community X RO``, ``ip ospf message-digest-key 1 md5 X``, ``tacacs-server host
H key X``, ``crypto isakmp key X address H``, ``set system login user U authentication
plain-text-password-value X``. A type digit of 5, 8 or 9 before the value says it is stored
hashed (``enable secret 5 $1$...``); 0 or none says it is in clear.

Firmware holds its credentials as preprocessor constants: ``#define WIFI_PASSWORD "X"``,
``#define FIREBASE_AUTH "X"``, ``#define BOT_TOKEN "X"``; the constant's name says what it
is, as an assignment's key does (see :mod:`detectors.assigned_secrets`).
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.assigned_secrets import PASSWORD_KEY, SECRET_KEY, TOKEN_KEY
from detectors.password_prose import quoted_passphrase
from detectors.secret_rule import CONTEXTUAL, STRUCTURED, AnchoredPattern, Check, SecretRule
from detectors.secret_values import is_placeholder

# A value on a device's command line: a word of non-blank characters, or a quoted one.
_VALUE = r"(?:\"(?P<dq>[^\"\n]{1,128})\"|(?P<bare>[^\s\"]{1,128}))"
# A type digit: 0 (clear), 7 (Cisco's reversible encoding, as good as clear); 5, 8, 9 hash.
_CLEAR_TYPE = r"(?:[07][ \t]+)?"
_DEVICE_COMMANDS = (
    # enable secret X, enable password X
    r"enable[ \t]+(?:secret|password)(?:[ \t]+level[ \t]+\d{1,2})?"
    # username admin [privilege 15] password|secret [0] X ("username and password from env
    # vars" is prose naming two fields)
    r"|username[ \t]+(?!(?:and|or|nor|&|/)[ \t])\S{1,64}"
    r"(?:[ \t]+privilege[ \t]+\d{1,2})?[ \t]+(?:password|secret)"
    # snmp-server community X RO; Junos "set snmp community X"
    r"|snmp(?:-server)?[ \t]+community"
    # ip ospf message-digest-key 1 md5 X; ntp authentication-key 1 md5 X
    r"|(?:message-digest-key|authentication-key)[ \t]+\d{1,5}[ \t]+md5"
    # tacacs-server host H [port N] key X; radius-server host H ... key X
    r"|(?:tacacs|radius)-server[ \t]+(?:host[ \t]+\S{1,128}(?:[ \t]+[a-z-]+[ \t]+\d{1,5}){0,3}"
    r"[ \t]+)?key"
    # crypto isakmp key X address H; a DMVPN tunnel's "ip nhrp authentication X"
    r"|crypto[ \t]+isakmp[ \t]+key|nhrp[ \t]+authentication"
    # Junos: plain-text-password-value X
    r"|plain-text-password-value"
)
# Each command is tried only where its first word is (see AnchoredPattern).
_DEVICE_LINE = AnchoredPattern.build(
    r"enable (?:secret|password)|username|snmp(?:-server)? community|message-digest-key"
    r"|authentication-key|tacacs-server|radius-server|crypto isakmp|plain-text-password-value"
    r"|nhrp authentication",
    r"(?<![\w-])(?:" + _DEVICE_COMMANDS + r")[ \t]+" + _CLEAR_TYPE + _VALUE + r"(?=[ \t]|\r?\n|$)",
    0,
    0,
)
_DEVICE_TRIGGERS = (
    "enable secret", "enable password", "username", "community", "digest-key",
    "authentication-key", "-server", "isakmp", "plain-text-password", "nhrp authentication",
)  # fmt: skip
# A line's password, under "line vty 0 4" or "line con 0": " password X" alone on its line.
_LINE_PASSWORD = AnchoredPattern.build(
    "password", r"(?<![\w-])password[ \t]+" + _CLEAR_TYPE + _VALUE + r"(?=[ \t]|\r?\n|$)", 0, 0
)
# Words that follow these commands and are none: Cisco's keywords; SNMP's factory-default
# communities "public" and "private", known to everyone (a finding of an audit, not a leak).
_DEVICE_KEYWORDS = frozenset((
    "level", "privilege", "encrypted", "hash", "ro", "rw", "view", "public", "private",
))  # fmt: skip
# A hash as IOS stores it: "$1$salt$hash" (type 5), "$8$...", "$9$...".
_STORED_HASH = re.compile(r"\$\d\$\S+")


def _device_value(value: str, match: re.Match[str], text: str) -> bool:
    """Not a keyword, a placeholder (``<community>``, ``YOUR_COMMUNITY_STRING``), a stored
    hash, a variable, nor the start of prose or a list ("(use 'enable secret' instead)")."""
    return not (
        len(value) < 4
        or value.lower() in _DEVICE_KEYWORDS
        or is_placeholder(value)
        or _STORED_HASH.match(value)
        or (value.isupper() and "_" in value)
        or value.startswith(("$(", "${", "$$", "(", "[", "<", "'"))
    )


def _line_password(value: str, match: re.Match[str], text: str) -> bool:
    """A device's value, alone on its line, in a config with a ``line`` section."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    return (
        _device_value(value, match, text)
        and not text[line_start : match.start()].strip()
        and _LINE_SECTION.search(text) is not None
    )


_LINE_SECTION = re.compile(r"(?m)^[ \t]*line[ \t]+(?:vty|con|aux)\b")


_DEFINE_PREFIX = re.compile(r"#[ \t]*define[ \t]+$")


def _defined(value: str, match: re.Match[str], text: str) -> bool:
    """The name starts a ``#define`` line."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    return _DEFINE_PREFIX.fullmatch(text, line_start, match.start()) is not None


def _define(key: str, anchor: str) -> AnchoredPattern:
    """``#define KEY "value"``: the name of a preprocessor constant, then its string."""
    pattern = (
        r"(?<![A-Za-z0-9])(?P<key>(?i:" + key + r"))[ \t]+"
        r"(?:\"(?P<dq>[^\"\n]{1,256})\"|(?P<bare>[^\s\"/]{4,256})(?=[ \t]*(?:$|\r?\n|//|/\*)))"
    )
    return AnchoredPattern.build(anchor, pattern, 0, 128)


def _not_placeholder(check: Check) -> Check:
    def wrapped(value: str, match: re.Match[str], text: str) -> bool:
        return (
            _defined(value, match, text) and not is_placeholder(value) and check(value, match, text)
        )

    return wrapped


def _password_constant(value: str, match: re.Match[str], text: str) -> bool:
    return (
        len(value) >= 4
        and not (value.isupper() and "_" in value)  # "WIFI_PASSWORD": the name as a value
        and (not any(ch.isspace() for ch in value) or quoted_passphrase(value, match, text))
    )


# A constant for a credential beyond the assignment rules' keys: Firebase's legacy database
# secret ("FIREBASE_AUTH"), Adafruit IO's key ("MQTT_KEY", "AIO_KEY").
_AUTH_KEY = r"(?:[A-Za-z0-9]{1,24}_){0,3}(?:auth|[A-Za-z0-9]{1,24}_key)"


# A Wi-Fi network's key written after its name in notes and chat: "SSID `Office-Guest`, key
# `article-kitchen-save`", "SSID: HomeNet / password: Tr0ub4dor", "ssid Lab5G psk 'x y z w'".
# The SSID says what the key is: a WPA passphrase people type (8 to 63 characters), so words
# alone are one too. Not "key_mgmt=WPA-PSK" (the key's word must stand alone), nor a URL's
# "?ssid=Office&psk=..." (a query's parameters are the query rules').
_WIFI_KEY = AnchoredPattern.build(
    "ssid",
    r"(?<![\w-])(?i:ssid)(?![\w-])[^\n]{1,80}?(?<![\w&?-])(?i:key|pass(?:word|phrase)?|psk|pwd?)"
    r"(?![\w-])[ \t]*[:=]?[ \t]*(?:`(?P<bt>[^`\n]{8,63})`|\"(?P<dq>[^\"\n]{8,63})\""
    r"|'(?P<sq>[^'\n]{8,63})'|(?P<bare>[^\s,;`\"']{7,62}[^\s,;`\"'.]))",
    0,
    0,
)


def _wifi_key(value: str, match: re.Match[str], text: str) -> bool:
    """Not a placeholder, a variable or a constant's name (``YOUR_WIFI_PASSWORD``); unquoted,
    not a word of prose ("key provided separately"): a digit, a symbol, mixed case or a
    chain of three words or more."""
    if not _device_value(value, match, text) or value.startswith(("$", "{", "%")):
        return False
    if _WIFI_SECURITY.fullmatch(value):
        return False  # "key: WPA2-Personal": the kind of security, not the key
    if match.lastgroup != "bare":
        return True
    return (
        any(ch.isdigit() or not (ch.isalpha() or ch in "-_") for ch in value)
        or (value != value.lower() and value != value.upper())
        or len(_WORD_JOINS.findall(value)) >= 2
    )


_WORD_JOINS = re.compile(r"[a-z][-_][a-z]")
_WIFI_SECURITY = re.compile(r"(?i)wpa\d?(?:[-_ ](?:personal|enterprise|psk|sae|eap|aes|tkip))*")


def device_secret_rules(generic: Check) -> tuple[SecretRule, ...]:
    """The rules for secrets in device configs and firmware constants; ``generic`` checks a
    random-looking token."""
    rule = SecretRule
    return (
        rule(E.PASSWORD, _DEVICE_LINE, 0.8, STRUCTURED, _DEVICE_TRIGGERS, _device_value),
        rule(
            E.PASSWORD,
            _LINE_PASSWORD,
            0.8,
            STRUCTURED,
            ("line vty", "line con", "line aux"),
            _line_password,
        ),
        rule(
            E.PASSWORD,
            _define(PASSWORD_KEY, "pass|pw|pswd"),
            0.8,
            STRUCTURED,
            ("#define", "# define"),
            _not_placeholder(_password_constant),
        ),
        rule(
            E.GENERIC_SECRET,
            _define(SECRET_KEY + "|" + TOKEN_KEY + "|" + _AUTH_KEY, "key|token|secret|auth"),
            0.8,
            STRUCTURED,
            ("#define", "# define"),
            _not_placeholder(generic),
        ),
        rule(E.PASSWORD, _WIFI_KEY, 0.8, CONTEXTUAL, ("ssid",), _wifi_key),
    )
