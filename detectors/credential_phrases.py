"""Passwords where people type them: in prose, in shell commands, in auth headers.

Config entries, URLs and connection strings are parsed in :mod:`detectors.assigned_secrets`
and :mod:`detectors.connection_secrets`; this module holds the rules for what people write
and paste around them:

* prose: "my password is X", "the password for the admin account was X", "the password
  was changed to X", "use X as the password", "X is my password", "login admin / X",
  "creds: deploy/X", "user admin password X" (also a ``.netrc`` line);
* command lines: ``--password X``, ``-storepass X``, ``docker login -p X``,
  ``mongosh -p X``, ``sqlcmd -P X``, ``ldapsearch -w X``, ``smbclient -U user%X``,
  ``htpasswd -b FILE user X``, ``rabbitmqctl add_user user X``, ``openssl -passin pass:X``,
  ``xfreerdp /p:X`` (``mysql -p``, ``redis-cli -a``, ``sshpass -p`` and ``curl -u`` are in
  :mod:`detectors.connection_secrets`);
* ``Authorization: Basic`` values whose base64 decodes to ``user:password``;
* ``.pgpass`` lines, ``host:port:database:user:password``.

A value in prose must look like a password and not like a word of prose: a digit, a
symbol inside it, mixed case, or a lowercase word of seven letters or more that is not one
of the words that follow "password is" in prose (``data/password_prose_words.txt``) and
does not end like an English participle, adjective or adverb. Placeholders and templates
(``<password>``, ``$PW``, ``****``) stay quiet everywhere.

Every pattern starts at a literal keyword and its quantifiers are bounded, so matching is
linear in the text; a rule runs only when one of its trigger substrings occurs.
"""

from __future__ import annotations

import base64
import binascii
import re
from importlib import resources

from detectors import entities as E
from detectors.secret_rule import CONTEXTUAL, STRUCTURED, AnchoredPattern, Check, SecretRule
from detectors.secret_values import is_expression, is_placeholder

# A value: quoted, in backticks, or bare. A bare value runs to the next blank, quote, ","
# or ";" and keeps a full stop after it ("my password is Autumn2024." masks "Autumn2024."):
# the streamed answer masks whole tokens, and the whole answer must mask the same.
_VALUE = (
    r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'|`(?P<bt>[^`\n]{1,256})`"
    r"|(?P<bare>[^\s\"'`,;]{1,256}))"
)
# Where "use X as the new password" and "X is my old password" may start before their
# key: six words back (verb, value, "as", determiner, two adjectives), a value's length and
# the words around it.
_KEY_ANCHOR = "pass|pw"
_WORDS_BEFORE_KEY = 6
_VALUE_REACH = 256 + 64
_KEY = r"(?i:password|passwd|passphrase|passcode|pwd|pw)"
# "password is X", "password for the admin account was X", "password was changed to X".
# Longer verbs first: a regex alternation takes the first that fits, not the longest.
_VERB = (
    r"(?i:(?:is|was|has[ \t]+been|had[ \t]+been)[ \t]+(?:changed|set|reset|updated)[ \t]+to"
    r"|(?:changed|set|reset|updated)[ \t]+to|is[ \t]+now|is[ \t]+still|is|was"
    r"|will[ \t]+be|would[ \t]+be|should[ \t]+be)"
)
_FOR = r"(?:[ \t]+(?i:for|of|on|to)(?:[ \t]+[^\s:=,.;]{1,40}){1,4}?)?"
_DETERMINER = r"(?:(?i:the|my|your|our|his|her|their|its|a|an)[ \t]+)?(?:[\w-]{1,20}[ \t]+){0,2}"
# Suffixes of English participles, adjectives and adverbs: "the password is unchanged",
# "...is predictable", "...is definitely".
_PROSE_SUFFIXES = (
    "ed", "ing", "ly", "able", "ible", "ive", "ous", "ful", "less", "ness", "ment",
    "tion", "sion", "ity",
)  # fmt: skip
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_BATCH_FLAG = re.compile(r"[ \t]-[A-Za-z]*b")


def _word_list(name: str) -> frozenset[str]:
    text = resources.files("detectors").joinpath("data", name).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0] for line in text.splitlines())
    return frozenset(word.lower() for line in lines for word in line.split())


def load_prose_words() -> frozenset[str]:
    """The shipped list of words that follow "password is" (or a ``--password`` flag) in
    prose."""
    return _word_list("password_prose_words.txt")


def load_english_words() -> frozenset[str]:
    """The English word list of the NER lexicon (``english_words.txt``, Debian's
    ``wamerican``), or nothing where it is not installed: then prose is told from a
    password by the shipped list and the word endings alone."""
    english = resources.files("detectors").joinpath("data", "english_words.txt")
    return _word_list("english_words.txt") if english.is_file() else frozenset()


def _looks_like_password(prose_words: frozenset[str]) -> Check:
    """``prose_words``: the shipped list and the English words together."""
    """A value in prose: a password's shape, not a word of the sentence around it."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if match["bare"] is None:  # quoted: the quotes delimit it
            return len(value) >= 4 and not is_placeholder(value) and not is_expression(value)
        value = value.rstrip(".!?:")  # "the password is wrong!": judge the word
        if len(value) < 6 or is_placeholder(value) or is_expression(value):
            return False
        if value[0] == "/" or "://" in value:
            return False  # a path, a URL
        if _prose_compound(value, prose_words):
            return False
        if any(ch.isdigit() for ch in value):
            return True
        if any(not (ch.isalnum() or ch in "_-") for ch in value[1:]):
            return True  # a symbol inside: "Tr0ub4dor&3", "S+l2BNCy("
        if len(value) >= 8 and value[0].islower() and not value.islower():
            return True  # camelCase: "styleDemocrat"
        return (
            value.isalpha()
            and value.islower()
            and len(value) >= 7
            and not (_prose_word(value, prose_words))
        )

    return check


def _prose_word(word: str, prose_words: frozenset[str]) -> bool:
    """An English word (or its plural); short ones also by their ending, which a password
    made of two words ("courtcapable") is too long to be caught by."""
    return (
        word in prose_words
        or (word.endswith("s") and word[:-1] in prose_words)
        or (len(word) <= 10 and word.endswith(_PROSE_SUFFIXES))
    )


def _prose_compound(value: str, prose_words: frozenset[str]) -> bool:
    """ "base64-encoded", "bcrypt-hashed", "SHA256", "UTF-8": words about a password."""
    last = value.rsplit("-", 1)[-1].lower()
    if "-" in value and last.isalpha() and _prose_word(last, prose_words):
        return True
    letters = [ch for ch in value if ch.isalpha()]
    return (
        len(value) <= 8
        and bool(letters)
        and all(ch.isupper() for ch in letters)
        and (value.replace("-", "").isalnum())
    )


def _command_value(prose_words: frozenset[str]) -> Check:
    """A value on a command line: anything but a placeholder, a variable or the next flag."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return (
            len(value) >= 3
            and not is_placeholder(value)
            and not is_expression(value)
            and value[0] not in "-$%<"
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
        and decoded.isprintable()
        and not (is_placeholder(password))
    )


def _command(names: str, flag: str) -> re.Pattern[str]:
    """``<one of names> ... <flag> VALUE`` on one command line."""
    return re.compile(
        r"(?<![\w-])(?:" + names + r")\b[^\n|;&]{0,200}?[ \t]" + flag + r"[ \t]*" + _VALUE
    )


def build_phrase_rules(
    prose_words: frozenset[str], english_words: frozenset[str] = frozenset()
) -> tuple[SecretRule, ...]:
    """The rules of this module (see the module docstring): ``prose_words`` from
    :func:`load_prose_words`, ``english_words`` from :func:`load_english_words`. A value in
    prose must not be an English word; one on a command line may be ("--password
    bluebird"), unless it is a word about the flag ("the --password flag")."""
    looks = _looks_like_password(prose_words | english_words)
    command = _command_value(prose_words)
    rule = SecretRule
    triggers = ("pass", "pw")
    return (
        rule(  # "my password is X", "the password for the admin account was changed to X"
            E.PASSWORD,
            AnchoredPattern.build(
                _KEY_ANCHOR,
                r"(?<![\w.-])"
                + _KEY
                + _FOR
                + r"[ \t]+"
                + _VERB
                + r"[ \t]+(?:[:=][ \t]*)?"
                + _VALUE,
                0,
                0,
            ),
            0.7,
            CONTEXTUAL,
            triggers,
            looks,
        ),
        rule(  # "use X as the password", "try X as your new password"
            E.PASSWORD,
            AnchoredPattern.build(
                _KEY_ANCHOR,
                r"(?<![\w-])(?i:use|using|try|tried|typed|type|enter|entered|set|with)[ \t]+"
                + _VALUE
                + r"[ \t]+(?i:as)[ \t]+"
                + _DETERMINER
                + _KEY
                + r"\b",
                _WORDS_BEFORE_KEY,
                _VALUE_REACH,
            ),
            0.7,
            CONTEXTUAL,
            triggers,
            looks,
        ),
        rule(  # "X is my password", "X was the old password"
            E.PASSWORD,
            AnchoredPattern.build(
                _KEY_ANCHOR,
                r"(?<![^\s(\[{,;:])"
                + _VALUE
                + r"[ \t]+(?i:is|was)[ \t]+"
                + _DETERMINER
                + _KEY
                + r"\b",
                _WORDS_BEFORE_KEY,
                _VALUE_REACH,
            ),
            0.7,
            CONTEXTUAL,
            triggers,
            looks,
        ),
        rule(  # "login admin / X", "creds: deploy/X", "credentials are root:X"
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])(?i:creds|credentials|logins?|user/pass(?:word)?|u/p"
                r"|username/password)[ \t]*(?:[:=-]|(?i:is|are))?[ \t]*"
                r"[\w.@+-]{1,64}[ \t]*[/:|][ \t]*(?!/)" + _VALUE
            ),
            0.7,
            CONTEXTUAL,
            ("cred", "login", "u/p", "/pass"),
            looks,
        ),
        rule(  # "user admin password X", .netrc "machine h login alice password X"
            E.PASSWORD,
            AnchoredPattern.build(
                _KEY_ANCHOR,
                r"(?<![\w-])(?i:login|user(?:name)?|user[ \t]?id)[ \t]*[:=]?[ \t]*"
                r"[^\s:=/,;()\"']{1,64}[ \t]+" + _KEY + r"[ \t]+" + _VALUE,
                4,  # "user id : alice password"
                _VALUE_REACH,
            ),
            0.7,
            CONTEXTUAL,
            triggers,
            looks,
        ),
        rule(  # a line that is "password X": .netrc, a credentials note
            E.PASSWORD,
            re.compile(r"(?m)^[ \t]*" + _KEY + r"[ \t]+" + _VALUE + r"[ \t]*$"),
            0.7,
            CONTEXTUAL,
            triggers,
            looks,
        ),
        rule(  # --password X, --db-password X, -storepass X, -keypass X (not "=": config rule)
            E.PASSWORD,
            re.compile(
                r"(?<![\w-])--?(?:[a-z]{1,20}-){0,3}(?:store|key|src|dest|srcstore|deststore)?"
                r"(?:password|passwd|passphrase|pass|pwd)[ \t]+" + _VALUE
            ),
            0.75,
            CONTEXTUAL,
            ("-pass", "-pwd", "storepass", "keypass"),
            command,
        ),
        rule(
            E.PASSWORD,
            _command(
                r"docker[ \t]+login|mongo|mongosh|mongodump|mongorestore|mongoexport"
                r"|mongoimport",
                r"-p",
            ),
            0.8,
            STRUCTURED,
            ("docker", "mongo"),
            command,
        ),
        rule(
            E.PASSWORD, _command(r"sqlcmd|bcp", r"-P"), 0.8, STRUCTURED, ("sqlcmd", "bcp"), command
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
                + _VALUE
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
                + _VALUE
            ),
            0.8,
            STRUCTURED,
            ("rabbitmqctl",),
            command,
        ),
        rule(  # openssl -passin pass:X, -passout pass:X, -pass pass:X, -password pass:X
            E.PASSWORD,
            re.compile(r"(?<![\w-])-pass(?:in|out|word)?[ \t]+pass:" + _VALUE),
            0.85,
            STRUCTURED,
            ("pass:",),
            command,
        ),
        rule(
            E.PASSWORD,
            _command(r"xfreerdp|wlfreerdp|sdl-freerdp|rdesktop", r"[/-]p:?"),
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
    )


def _htpasswd(command: Check) -> Check:
    """``htpasswd -b FILE USER PASSWORD`` (``-nb USER PASSWORD`` has no file): the password
    is on the command line only in batch mode."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        head = match.group(0).rsplit(value, 1)[0]
        return _BATCH_FLAG.search(head) is not None and command(value, match, text)

    return check
