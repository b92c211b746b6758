"""Passwords on command lines and in credential formats.

``--password X``, ``-storepass X``, ``docker login -p X``, ``mongosh -p X``, ``sqlcmd -P
X``, ``ldapsearch -w X``, ``smbclient -U user%X``, ``htpasswd -b FILE user X``,
``rabbitmqctl add_user user X``, ``openssl -passin pass:X``, ``xfreerdp /p:X``,
``az login -p X``, ``wpa_passphrase SSID X``, ``net user NAME X``, PowerShell
``ConvertTo-SecureString "X" -AsPlainText``, SQL ``IDENTIFIED BY 'X'`` and
``PASSWORD('X')``; ``<password>X</password>`` and ``key="DbPassword" value="X"`` in XML;
``Authorization: Basic`` values whose base64 decodes to ``user:password``; ``.pgpass``
lines, ``host:port:database:user:password``. A value on a command line may be an English
word ("--password bluebird"), but not a word about the flag ("the --password flag").
"""

from __future__ import annotations

import base64
import binascii
import re

from detectors import entities as E
from detectors.password_prose import VALUE
from detectors.secret_rule import CONTEXTUAL, STRUCTURED, AnchoredPattern, Check, SecretRule
from detectors.secret_values import (
    all_of,
    distinct,
    either,
    has_digit,
    is_expression,
    is_placeholder,
    is_scattered,
    min_length,
    random_looking,
)

_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_BATCH_FLAG = re.compile(r"[ \t]-[A-Za-z]*b")
_DOTTED_WORDS = re.compile(r"[a-z]{2,12}(?:\.[a-z]{2,12}){2,5}")


# A variable, a path through one or a placeholder: "$PGPASSFILE", "$HOME/.pw", "%PW%",
# "<pw>"; a value with other symbols after "$" or "%" is a password ("$lLM^EpQ57M*bjB").
_VARIABLE = re.compile(r"[$%][\w{}()./:-]*%?")


def _variable_like(value: str) -> bool:
    return value[0] in "-<" or (value[0] in "$%" and _VARIABLE.fullmatch(value) is not None)


# A user name and password given as a pair: Python's auth=("user", "X"),
# HTTPBasicAuth("user", "X"), aiohttp.BasicAuth(...); PHP Guzzle's 'auth' => ['user', 'X'].
BASIC_AUTH_PAIR = re.compile(
    r"(?:(?<![\w.])auth[ \t]*=[ \t]*\("
    r"|(?<!\w)(?:HTTPBasicAuth|HTTPDigestAuth|BasicAuth)\("
    r"|[\"'](?i:auth)[\"'][ \t]*=>[ \t]*(?:\[|array\())"
    r"[ \t]*(?:\"[^\"\n]{1,128}\"|'[^'\n]{1,128}')[ \t]*,[ \t]*"
    r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})')"
)
BASIC_AUTH_TRIGGERS = ("auth(", "auth=(", "auth' =>", 'auth" =>', "auth'=>", 'auth"=>')


def command_value(prose_words: frozenset[str]) -> Check:
    """A value on a command line: anything but a placeholder, a variable or the next flag."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return (
            len(value) >= 3
            and not is_placeholder(value)
            and not (is_expression(value) and not is_scattered(value))  # "bP.YjuNv0Y"
            and not _variable_like(value)
            and value.rstrip(".!?:").lower() not in prose_words
        )

    return check


def _basic_auth(value: str, match: re.Match[str], text: str) -> bool:
    """An ``Authorization: Basic`` value that decodes to ``user:password``."""
    if len(value) % 4 or _BASE64.fullmatch(value) is None:
        return False
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    user, colon, password = decoded.partition(":")
    return (
        bool(colon and user and password)
        and not password.startswith("//")  # "https://...": a URL, not user:password
        and decoded.isprintable()
        and not (is_placeholder(password))
    )


def _command(names: str, flag: str) -> re.Pattern[str]:
    """``<one of names> ... <flag> VALUE`` on one command line."""
    return re.compile(
        r"(?<![\w-])(?:" + names + r")\b[^\n|;&]{0,200}?[ \t]" + flag + r"[ \t]*" + VALUE
    )


_SECURE_STRING = re.compile(
    r"(?i:convertto-securestring)[ \t]+(?:-String[ \t]+)?" + VALUE + r"(?=[ \t]+-(?i:asplaintext))"
)
# The PowerShell variable a line assigns, right before the call: "$key = (", "$apiToken =".
_ASSIGNED_VARIABLE = re.compile(r"\$(?P<name>[A-Za-z_]\w{0,63})[ \t]*=[ \t]*\(?[ \t]*$")
_KEY_NAME = re.compile(r"(?i)key|token|secret")
_PASSWORD_NAME = re.compile(r"(?i)pass|pw|pwd|cred")


def _secure_key(match: re.Match[str], text: str) -> bool:
    """The secure string goes into a variable named for a key or token, not a password
    (``$key``, ``$apiToken``; not ``$secpasswd``, ``$certPassword``, ``$keyPassword``)."""
    line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
    assigned = _ASSIGNED_VARIABLE.search(line)
    return (
        assigned is not None
        and _KEY_NAME.search(assigned["name"]) is not None
        and _PASSWORD_NAME.search(assigned["name"]) is None
    )


def _not_the_user(value: str, match: re.Match[str], text: str) -> bool:
    """The password is not the user's name again: "admin:admin", "guest:guest" are a
    product's factory default, known to everyone, as SNMP's "public" is (a finding of an
    audit, not a leak), and what sample configs leave commented out."""
    return value != (match["user"] or match["name"])


def command_rules(prose_words: frozenset[str]) -> tuple[SecretRule, ...]:
    """The rules for passwords on command lines, in Basic auth and ``.pgpass`` lines."""
    command = command_value(prose_words)
    rule = SecretRule
    return (
        rule(  # --password X, --db-password X, -storepass X, -keypass X (not "=": config rule)
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])--?(?:[a-z]{1,20}-){0,3}(?:store|key|src|dest|srcstore|deststore)?"
                r"(?:password|passwd|passphrase|pass|pwd)(?:[ \t]+|=)"
                # openssl's "-pass pass:X" is the rule below's; env:VAR, file:PATH name none
                r"(?!(?:pass|env|file|fd):|stdin\b)" + VALUE
            ),
            0.75,
            CONTEXTUAL,
            ("-pass", "-pwd", "storepass", "keypass"),
            command,
        ),
        rule(  # archives and keys a password locks: zip -P X, 7z a -pX, ssh-keygen -N X,
            # openssl enc -k X, nmcli ... password X
            E.PASSWORD,
            AnchoredPattern.build(
                r"(?:zip|unzip|zipcloak|7z|7za|7zr|rar|unrar|ssh-keygen|openssl|nmcli)[ \t]",
                r"(?<![\w-])(?:(?:zip|unzip|zipcloak)\b[^\n|;&]{0,200}?[ \t]-P[ \t]+"
                r"|(?:7z|7za|7zr|rar|unrar)\b[^\n|;&]{0,200}?[ \t]-p(?=\S)"
                r"|ssh-keygen\b[^\n|;&]{0,200}?[ \t]-[NP][ \t]*"
                r"|openssl[ \t]+(?:enc|aes-\S+|des\S*)\b[^\n|;&]{0,200}?[ \t]-k[ \t]+"
                r"|nmcli\b[^\n|;&]{0,200}?[ \t](?:password|wifi-sec\.psk)[ \t]+)" + VALUE,
                0,
                0,
            ),
            0.8,
            STRUCTURED,
            _LOCK_TRIGGERS,
            command,
        ),
        rule(  # echo 'X' | sudo -S ...: the password sudo reads from its input
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])echo[ \t]+(?:-n[ \t]+)?"
                + VALUE
                + r"[ \t]*\|[ \t]*sudo[ \t]+(?:-[A-Za-z]+[ \t]+)*-[A-Za-z]*S\b"
            ),
            0.8,
            STRUCTURED,
            ("sudo",),
            command,
        ),
        rule(  # echo 'X' | docker login -u ci --password-stdin: a registry login (docker,
            # podman, helm, oras, skopeo ...) reads the password from its input
            E.PASSWORD,
            AnchoredPattern.build(
                r"--password-stdin",
                r"(?<![\w-])echo[ \t]+(?:-n[ \t]+)?"
                + VALUE
                + r"[ \t]*\|[ \t]*[\w./-]{1,40}[ \t]+[^\n|;&]{0,200}?--password-stdin\b",
                12,
                400,
            ),
            0.8,
            STRUCTURED,
            ("--password-stdin",),
            command,
        ),
        rule(  # echo -n 'user:X' | base64: the credential of a Basic Authorization header
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])echo[ \t]+(?:-[neE]{1,2}[ \t]+)?"
                r"(?:\"[\w.@+-]{1,64}:(?!//)(?P<dq>[^\"\s]{1,256})\""
                r"|'[\w.@+-]{1,64}:(?!//)(?P<sq>[^'\s]{1,256})'"
                r"|[\w.@+-]{1,64}:(?!//)(?P<bare>[^\s\"'|]{1,256}))"
                r"[ \t]*\|[ \t]*(?:base64|openssl[ \t]+(?:base64|enc[ \t]+-base64))\b"
            ),
            0.8,
            STRUCTURED,
            ("base64",),
            command,
        ),
        rule(  # ... and what it printed: a line of base64 that decodes to user:password
            E.PASSWORD,
            re.compile(
                r"(?m)\|[ \t]*(?:base64|openssl[ \t]+(?:base64|enc[ \t]+-base64))\b"
                r"[^\n]{0,200}\r?\n"
                r"(?:[ \t]*(?:#|\$|>)?[ \t]*)(?P<value>[A-Za-z0-9+/]{8,1024}={0,2})[ \t]*\r?$"
            ),
            0.8,
            STRUCTURED,
            ("base64",),
            _basic_auth,
        ),
        rule(  # a Wi-Fi QR code: WIFI:T:WPA;S:Office;P:X;;
            E.PASSWORD,
            re.compile(r"WIFI:[^\n]{0,200}?(?<=[:;])P:(?P<value>[^;\n]{1,63})(?=;)"),
            0.85,
            STRUCTURED,
            ("wifi:",),
            command,
        ),
        rule(  # lines of "user / X" under a line about accounts or logins
            E.PASSWORD,
            re.compile(LISTED_LOGIN_VALUE),
            0.75,
            CONTEXTUAL,
            (" / ",),
            _listed_login(command),
        ),
        rule(  # HAProxy: stats auth user:X, userlist "user NAME insecure-password X"
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])(?:stats[ \t]+auth[ \t]+(?P<user>[^\s:]{1,64}):"
                r"|user[ \t]+(?P<name>\S{1,64})[ \t]+insecure-password[ \t]+)(?P<value>\S{1,256})"
            ),
            0.8,
            STRUCTURED,
            ("stats auth", "insecure-password"),
            all_of(command, _not_the_user),
        ),
        rule(  # docker login -p X, az/oc/podman login -p X, mongosh -p X
            E.PASSWORD,
            _command(
                r"(?:docker|az|oc|cf|argocd|podman|buildah|skopeo|nerdctl)[ \t]+login|mongo"
                r"|mongosh|mongodump|mongorestore|mongoexport|mongoimport",
                r"-p",
            ),
            0.8,
            STRUCTURED,
            ("login", "mongo"),
            command,
        ),
        rule(
            E.PASSWORD,
            _command(r"sqlcmd|bcp|ipmitool", r"-P"),
            0.8,
            STRUCTURED,
            ("sqlcmd", "bcp", "ipmitool"),
            command,
        ),
        rule(  # wpa_supplicant.conf: psk="X" (a passphrase; psk=<64 hex digits> is its hash)
            E.PASSWORD,
            re.compile(r"(?<![\w-])psk=\"(?P<value>[^\"\n]{8,63})\""),
            0.85,
            STRUCTURED,
            ("psk=",),
            # quoted: "best.oil.sense.many" is a passphrase here, not an attribute
            lambda value, match, text: (
                _DOTTED_WORDS.fullmatch(value) is not None or command(value, match, text)
            ),
        ),
        rule(  # wpa_passphrase SSID X
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])wpa_passphrase[ \t]+(?:\S{1,32}|\"[^\"\n]{1,32}\")[ \t]+" + VALUE
            ),
            0.8,
            STRUCTURED,
            ("wpa_passphrase",),
            command,
        ),
        rule(
            E.PASSWORD,
            _command(r"ldap(?:search|modify|add|delete|passwd|whoami|compare)", r"-w"),
            0.8,
            STRUCTURED,
            ("ldap",),
            command,
        ),
        rule(
            E.PASSWORD,
            _command(r"smbclient|rpcclient|smbmap|smbget", r"-U[ \t]*['\"]?[^\s%'\"]{1,64}%"),
            0.8,
            STRUCTURED,
            ("smb", "rpcclient"),
            command,
        ),
        rule(
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])htpasswd[ \t]+(?:-[A-Za-z]+[ \t]+){0,4}\S{1,256}[ \t]+\S{1,64}[ \t]+"
                + VALUE
            ),
            0.8,
            STRUCTURED,
            ("htpasswd",),
            _htpasswd(command),
        ),
        rule(
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])rabbitmqctl[ \t]+(?:add_user|change_password)[ \t]+\S{1,64}[ \t]+"
                + VALUE
            ),
            0.8,
            STRUCTURED,
            ("rabbitmqctl",),
            command,
        ),
        rule(  # openssl -passin pass:X, -passout pass:X, -pass pass:X, -password pass:X
            E.PASSWORD,
            re.compile(r"(?<![\w-])-pass(?:in|out|word)?[ \t]+pass:" + VALUE),
            0.85,
            STRUCTURED,
            ("pass:",),
            command,
        ),
        rule(
            E.PASSWORD,
            # not /pth:HASH, a pass-the-hash login's NTLM hash
            _command(r"xfreerdp|wlfreerdp|sdl-freerdp|rdesktop", r"[/-]p(?::|(?=[ \t]))"),
            0.8,
            STRUCTURED,
            ("rdp", "rdesktop"),
            command,
        ),
        rule(
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])(?i:basic)[ \t]+(?P<value>[A-Za-z0-9+/]{8,1024}={0,2})(?![\w+/=])"
            ),
            0.85,
            STRUCTURED,
            ("basic",),
            _basic_auth,
        ),
        rule(  # .npmrc: _auth=<base64 of user:password>, as a Basic header carries it
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])_auth[ \t]*=[ \t]*(?P<value>[A-Za-z0-9+/]{8,1024}={0,2})(?![\w+/=])"
            ),
            0.85,
            STRUCTURED,
            ("_auth",),
            _basic_auth,
        ),
        rule(  # PowerShell: ConvertTo-SecureString [-String] "X" -AsPlainText
            E.PASSWORD,
            _SECURE_STRING,
            0.85,
            STRUCTURED,
            ("convertto-securestring",),
            all_of(command, lambda value, match, text: not _secure_key(match, text)),
        ),
        rule(  # ... into a variable that names a key: $apiKey = ConvertTo-SecureString "X"
            E.GENERIC_SECRET,
            _SECURE_STRING,
            0.85,
            STRUCTURED,
            ("convertto-securestring",),
            all_of(command, lambda value, match, text: _secure_key(match, text)),
        ),
        rule(  # PuTTY: plink/pscp/psftp -pw X
            E.PASSWORD, _command(r"plink|pscp|psftp", r"-pw"), 0.8, STRUCTURED, ("-pw",), command
        ),
        rule(  # Windows Credential Manager: cmdkey /add:HOST /user:NAME /pass:X
            E.PASSWORD,
            # the value runs to the blank: cmd's ";" does not end a command
            re.compile(r"(?<![\w-])cmdkey\b[^\n|&]{0,200}?[ \t]/pass:(?P<value>[^\s\"']{1,256})"),
            0.8,
            STRUCTURED,
            ("cmdkey",),
            command,
        ),
        rule(  # Sysinternals: psexec \\host -u user -p X
            E.PASSWORD,
            _command(r"psexec", r"-p"),
            0.8,
            STRUCTURED,
            ("psexec",),
            command,
        ),
        rule(  # echo 'user:X' | chpasswd
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])echo[ \t]+(?:-e[ \t]+)?[\"']?[\w.-]{1,64}:(?P<value>[^\s'\"]{1,256})"
                r"[\"']?[ \t]*\|[ \t]*(?:sudo[ \t]+)?chpasswd"
            ),
            0.85,
            STRUCTURED,
            ("chpasswd",),
            command,
        ),
        rule(  # redis.conf requirepass, slapd/nslcd rootpw/bindpw: a directive line
            E.PASSWORD,
            # also written by a script (echo "bindpw X" >> /etc/nslcd.conf), by sed's
            # replacement (s/^# requirepass .*/requirepass X/) or as redis-server's flag
            re.compile(
                r"(?:(?m:^)[ \t]*(?:(?:echo|printf)[ \t]+(?:-e[ \t]+)?[\"']?)?|(?<=/)"
                r"|(?<![\w-])--(?=requirepass))"
                r"(?:requirepass|rootpw|bindpw|bind_pw)[ \t]+" + _DIRECTIVE_VALUE
            ),
            0.8,
            STRUCTURED,
            ("requirepass", "rootpw", "bindpw", "bind_pw"),  # each contains "pass" or "pw"
            lambda value, match, text: not value.startswith("{") and command(value, match, text),
        ),
        rule(
            E.PASSWORD,
            BASIC_AUTH_PAIR,
            0.85,
            STRUCTURED,
            BASIC_AUTH_TRIGGERS,
            command,
        ),
        rule(  # an API key as Basic auth's user and no password: HTTPBasicAuth("X", ""),
            # auth=("X", ""), curl -u X: (Stripe's, Reed's, Mailchimp's documented form)
            E.GENERIC_SECRET,
            AnchoredPattern.build(
                r"auth\(|auth=\(|-u ",
                r"(?:(?<![\w.])auth[ \t]*=[ \t]*\(|(?<!\w)(?:HTTPBasicAuth|BasicAuth)\()[ \t]*"
                r"(?:\"(?P<dq>[^\"\n]{16,256})\"|'(?P<sq>[^'\n]{16,256})')[ \t]*,[ \t]*(?:\"\"|'')"
                r"|(?<![\w-])-u[ \t]+(?P<value>[A-Za-z0-9_.-]{16,256}):(?=[ \t\r\n]|$)",
                0,
                16,
            ),
            0.8,
            STRUCTURED,
            ("auth(", "auth=(", "-u "),
            _KEY_AS_USER,
        ),
        rule(  # Postfix sasl_passwd: "[smtp.example.com]:587 user@example.com:X", as a line
            # of the file or echoed into it
            E.PASSWORD,
            re.compile(
                r"(?m:^)[ \t]*(?:(?:echo|printf)[ \t]+[\"']?)?\[[\w.-]{1,253}\](?::\d{1,5})?[ \t]+"
                r"[^\s:\[\]\"']{1,128}:(?P<value>[^\s\"']{1,256})"
            ),
            0.8,
            STRUCTURED,
            # the relay's port: "]:" alone is in every Python type hint ("dict[str, int]:")
            ("]:587", "]:465", "]:25", "]:2525"),
            command,
        ),
        rule(  # lftp -u user,X (lftp's own "user,password" form)
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])lftp\b[^\n|;&]{0,200}?[ \t](?:-u|--user)[ \t]+['\"]?[^\s,'\"]{1,64},"
                r"(?:'(?P<sq>[^'\n]{1,256})'|\"(?P<dq>[^\"\n]{1,256})\"|(?P<value>[^\s'\"]{1,256}))"
            ),
            0.8,
            STRUCTURED,
            ("lftp",),
            command,
        ),
        rule(  # SQL Server: EXEC sp_addlogin 'name', 'X' (also @passwd = 'X' by name)
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])(?i:sp_addlogin)[ \t]+(?:@loginame[ \t]*=[ \t]*)?N?'[^'\n]{1,128}'"
                r"[ \t]*,[ \t]*(?:@passwd[ \t]*=[ \t]*)?N?'(?P<sq>[^'\n]{1,256})'"
            ),
            0.85,
            STRUCTURED,
            ("sp_addlogin",),
            command,
        ),
        rule(  # Redis: AUTH [user] X at a prompt, a line's start or after redis-cli
            E.PASSWORD,
            re.compile(
                r"AUTH[ \t]+(?:[^\s\"'`&|;]{1,64}[ \t]+)?"
                r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'|(?P<bare>[^\s\"'`&|;]{1,256}))"
                + _COMMAND_END
            ),
            0.8,
            STRUCTURED,
            ("auth",),  # contains the other triggers with "auth": one look through a text
            _redis_auth(command),
        ),
        rule(  # Windows: net user NAME X [/add]; "net user NAME *" prompts for it
            E.PASSWORD,
            re.compile(r"(?<![\w-])(?i:net)[ \t]+(?i:user)[ \t]+[^\s/]{1,64}[ \t]+" + VALUE),
            0.8,
            STRUCTURED,
            ("net user",),
            command,
        ),
        rule(  # Windows: net use Z: \\host\share X /user:DOM\name, or /user:DOM\name X
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])(?i:net)[ \t]+(?i:use)[ \t]+(?:[A-Za-z]:[ \t]+|\*[ \t]+)?\\\\\S{1,256}"
                r"[ \t]+(?:(?P<value>[^\s/\"']\S{0,255})[ \t]+(?=/(?i:user):)"
                r"|/(?i:user):\S{1,128}[ \t]+" + VALUE + r")"
            ),
            0.8,
            STRUCTURED,
            ("net use",),
            lambda value, match, text: value[0] != "/" and command(value, match, text),
        ),
        rule(  # SQL: CREATE/ALTER USER name IDENTIFIED [WITH plugin] BY 'X', PASSWORD('X')
            E.PASSWORD,
            re.compile(
                # GRANT ... TO 'name'@'host' IDENTIFIED BY 'X' (MySQL before 8)
                r"(?<![\w-])(?i:user|role|login|to)[ \t]+[^\s;]{1,128}[ \t]+(?i:identified)[ \t]+"
                r"(?:(?i:with)[ \t]+\w{1,64}[ \t]+)?(?i:by)[ \t]+"
                + VALUE
                + r"|(?<![\w.-])(?i:password)[ \t]*\([ \t]*'(?P<sq2>[^'\n]{1,256})'[ \t]*\)"
            ),
            0.8,
            STRUCTURED,
            ("identified", "password("),
            command,
        ),
        rule(  # XML: <password>X</password>, <db:Password>X</db:Password>
            E.PASSWORD,
            re.compile(
                r"<(?P<tag>(?:[\w.-]{1,32}:)?[\w.-]{0,32}(?i:password|passwd|pwd))>"
                r"(?P<value>[^<\n]{1,256})</(?P=tag)>"
            ),
            0.85,
            STRUCTURED,
            ("word>", "wd>"),
            command,
        ),
        rule(  # .NET appSettings, Ant, Maven: key="DbPassword" value="X"
            E.PASSWORD,
            AnchoredPattern.build(
                r"(?:key|name)=\"",
                r"(?<![\w-])(?i:key|name)=\"[\w.:-]{0,64}(?i:password|passwd|pwd)\"[ \t]+"
                r"(?i:value)=\"(?P<value>[^\"\n]{1,256})\"",
                0,
                0,
            ),
            0.85,
            STRUCTURED,
            ("pass", "pwd"),
            command,
        ),
        rule(  # .pgpass: hostname:port:database:username:password, a line or in quotes
            E.PASSWORD,
            re.compile(
                r"(?<![^\s`'\"])[\w.*-]{1,253}:(?:\d{1,5}|\*):[^:\s`'\"]{1,128}:"
                r"[^:\s`'\"]{1,128}:(?P<value>[^\s`'\"]{1,256})(?![^\s`'\"])"
            ),
            0.8,
            STRUCTURED,
            ("pgpass", ":5432:", ":6432:", ":*:"),
            lambda value, match, text: not is_placeholder(value),
        ),
        rule(  # PgBouncer's auth_file (userlist.txt): "user" "password" on each line; an
            # "md5..." or "SCRAM-SHA-256$..." there logs in as well as the password does
            E.PASSWORD,
            re.compile(r"(?m)^[ \t]*\"[^\"\s]{1,64}\"[ \t]+\"(?P<dq>[^\"\n]{1,256})\"[ \t]*\r?$"),
            0.8,
            STRUCTURED,
            ("userlist", "auth_file"),
            _in_auth_file,
        ),
    )


# What names PgBouncer's list of users and passwords: its setting, its usual file name.
_AUTH_FILE = re.compile(r"(?i)userlist|auth_file")
_AUTH_FILE_REACH = 2000


def _in_auth_file(value: str, match: re.Match[str], text: str) -> bool:
    """A ``"user" "password"`` line is PgBouncer's: the setting or file name that holds such
    lines stands above it (``auth_file = userlist.txt``, ``pgbouncer_userlist: |``), and
    the value is no placeholder."""
    above = text[max(0, match.start() - _AUTH_FILE_REACH) : match.start()]
    return _AUTH_FILE.search(above) is not None and not is_placeholder(value)


# What the rule for archives and keys runs on: the commands, with what follows their names.
_LOCK_TRIGGERS = (
    "zip -", "7z ", "7za ", "7zr ", "rar ", "ssh-keygen", "openssl enc", "openssl aes",
    "openssl des", "nmcli",
)  # fmt: skip
# A line "name / value": a user and a password in a list of logins.
# The rule's pattern starts at the "/" (a literal start is searched fast); the check reads
# the user's part from the line's start.
# "user / X", in Markdown also "* teacher: `user` / `X`" (a label, backticks). Both are
# read by the stream's hold on a first row (policies.holdback_neighbours), whose neighbour
# is the line after it.
LISTED_LOGIN_VALUE = r"(?m)/[ \t]+`?(?P<value>[^\s/`]{3,256})`?[ \t]*\r?$"
USER_SLASH = re.compile(
    r"[ \t]*[-*]?[ \t]*(?:[\w *]{1,30}:\**[ \t]*)?`?[\w.@+-]{1,64}`?[ \t]+/[ \t]+`?[^\s/`]{3,256}`?"
    r"[ \t]*\r?(?:\n|$)"
)
# A line that says what it lists: "**Login:** admin / X", "Credentials: admin / X".
_LOGIN_LABEL = re.compile(
    r"[ \t]*[-*>]*[ \t]*\**(?i:login|log-in|credentials?|creds|account)\**:\**[ \t]"
)
_LOGIN_WORDS = re.compile(r"(?i)account|login|log-in|credential|creds|user|password")


def _listed_login(command: Check) -> Check:
    """A "user / X" line next to another one, below a line about accounts or logins (not
    "src / lib" in a tree, not "and / or" in a sentence)."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        start = text.rfind("\n", 0, match.start()) + 1
        if USER_SLASH.match(text, start) is None:
            return False
        if _LOGIN_LABEL.match(text, start) is not None:
            return command(value, match, text)
        previous = text.rfind("\n", 0, max(start - 1, 0)) + 1 if start else None
        end = text.find("\n", match.end())
        following = None if end < 0 else end + 1
        neighbours = [
            line
            for line in (previous, following)
            if line is not None and USER_SLASH.match(text, line) is not None
        ]
        if not neighbours or not command(value, match, text):
            return False
        block = start
        while block and (above := text.rfind("\n", 0, block - 1) + 1) < block:
            if USER_SLASH.match(text, above) is None:
                return _LOGIN_WORDS.search(text, above, block) is not None
            block = above
        return False

    return check


# A directive's value: VALUE, but not the "/" that closes sed's replacement after it.
_DIRECTIVE_VALUE = (
    r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'"
    r"|(?P<bare>[^\s\"'`,;]{1,256}?)(?=/?(?:[\s\"'`,;]|$)))"
)
# An API key given as Basic auth's user: random-looking, not a placeholder or a name.
_KEY_AS_USER = all_of(min_length(16), random_looking(3.0), either(has_digit, distinct(12)))
# Where a command's last argument ends: the line, a pipe, a list or a closing quote.
_COMMAND_END = r"(?=[ \t]*(?:$|[\r\n|;&)\"'`]))"
_SASL = re.compile(
    r"(?i:plain|login|cram-md5|digest-md5|xoauth2?|oauthbearer|gssapi|ntlm|scram-\S+)"
)
_REDIS_PREFIX = re.compile(r"(?:^|>|(?i:redis)\S*(?:[ \t]+\S+)*)[ \t]*$")


def _redis_auth(command: Check) -> Check:
    """``AUTH X`` as Redis takes it: alone on its line, after a prompt (``127.0.0.1:6379>``)
    or on a ``redis-cli`` line; a bare word (``AUTH required``) is no password, nor is
    what follows a SASL mechanism (SMTP's ``AUTH LOGIN``)."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        line_start = text.rfind("\n", 0, match.start()) + 1
        if _REDIS_PREFIX.search(text, line_start, match.start()) is None:
            return False
        if match["bare"] is not None and value.isalpha():
            return False
        if _SASL.fullmatch(match[0].split(None, 2)[1]):
            return False  # SMTP/IMAP "AUTH PLAIN <base64>", "AUTH CRAM-MD5": not Redis
        return command(value, match, text)

    return check


def _htpasswd(command: Check) -> Check:
    """``htpasswd -b FILE USER PASSWORD`` (``-nb USER PASSWORD`` has no file): the password
    is on the command line only in batch mode."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        head = match.group(0).rsplit(value, 1)[0]
        return _BATCH_FLAG.search(head) is not None and command(value, match, text)

    return check
