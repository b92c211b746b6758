"""Secrets in notes, chat and pasted files, where a line's layout or a sentence names them.

* a name alone on its line and the value alone on a line below (``Password:`` then ``X``,
  ``api_key:`` then ``X``; under a Markdown heading, in a code block, after a blank line
  or an aside: ``### API key``, ``Password (staging):``), "the client secret they sent
  is" then ``X``, and a line ``webhook secret - X``;
* a credentials file shown with ``cat`` or pasted as a block of two lines beside OpenVPN's
  ``auth-user-pass``: the user name on the first line, the password on the second;
* a token variable echoed by name and its value in the output below (``echo
  "api=$API_TOKEN"`` then ``api=X``);
* backup or recovery codes after their name, each a password;
* a TOTP seed in groups of four after an OTP or two-factor word ("2FA secret jdkg mfm7 ...");
* a credential changed and its new value: "I rotated it to X", "Rotated. New one: X",
  "I reset the service account, it's now X";
* a credential given in reply to a question that asks for it: "can you share the sandbox
  key?" then "sure: X";
* a credential named in an earlier sentence and given by a word that refers back to it:
  "I changed the password ... The old one was X", "it asks for an API key. The one in my
  dashboard is X", "the shared secret was wrong, set it to X".

The checks come from :mod:`detectors.secret_places`: ``token`` for a token's value,
``command`` for a password's, ``looks`` for a password in a sentence.
"""

from __future__ import annotations

import re
from typing import Final

from detectors import entities as E
from detectors.office_codes import random_enough
from detectors.secret_rule import CONTEXTUAL, AnchoredPattern, Check, SecretRule
from detectors.secret_values import all_of, is_scattered
from detectors.token_contexts import NOT_SECRET_BEFORE

# A name alone on its line ("Password:", "API key:", "**Token:**", "### Password", "Password
# (staging, rotated monthly):"), the value alone on a line below it: the next, or after up to
# two blank lines and the opening fence of a code block, as notes and Markdown lay it out.
_NEXT_LINE_VALUE = (
    r"[ \t]*(?:\([^()\n]{1,60}\))?[ \t]*(?:\*\*|__)?:?(?:\*\*|__)?[ \t]*\r?\n"
    r"(?:[ \t]*\r?\n){0,2}(?:[ \t]*(?:```|~~~)[\w+-]{0,16}[ \t]*\r?\n)?"
    r"[ \t]*(?P<value>[^\s\"'`]{4,256})[ \t]*(?=\r?\n|$)"
)
# A name's words as an identifier: "api_key:", "db-password:" name what "key:" names; not
# a word that makes the key public or an index's ("public_key:", "cache_key:", "sort-key:").
_IDENTIFIER_HEAD = (
    r"(?:(?!(?i:public|publishable|pub|ssh|gpg|pgp|cache|sort|partition|hash|primary"
    r"|foreign|index|lookup|routing|idempotency|site|object|bucket|queue)[_-])"
    r"[A-Za-z0-9]{1,24}[_-])?"
)
# The anchors are the ones other rules look for already ("key|token|secret", "pass|pw"):
# found once per text for all of them, and each tries these patterns once, at its word.
_TOKEN_ANCHOR = "key|token|secret"  # noqa: S105 - a pattern
_PASSWORD_ANCHOR = "pass|pw"  # noqa: S105 - a pattern


def _next_line(name: str, anchor: str) -> AnchoredPattern:
    """``name`` ending its line, the value alone on a line below (:data:`_NEXT_LINE_VALUE`)."""
    return AnchoredPattern.build(
        anchor,
        r"(?<![\w.-])" + _IDENTIFIER_HEAD + r"(?P<key>(?i:" + name + r"))" + _NEXT_LINE_VALUE,
        0,
        25,  # back over an identifier's first word ("api_" of "api_key")
    )


def _dash_line(name: str, anchor: str) -> AnchoredPattern:
    """A name and its value on one line of notes: ``webhook secret - X``."""
    return AnchoredPattern.build(
        anchor,
        r"(?<![\w.-])" + _IDENTIFIER_HEAD + r"(?P<key>(?i:" + name + r"))[ \t]+[-–—][ \t]+"
        r"(?P<value>[^\s\"'`]{8,256})[ \t]*(?=\r?\n|$)",
        0,
        25,  # back over an identifier's first word
    )


# What may stand before a name that starts a line of notes: a list mark or a Markdown
# heading's, bold, and up to three words ("API key:", "Stripe webhook secret -", "- prod db
# password:", "### Password", "**Token:**").
_NAME_HEAD = re.compile(r"[ \t]*(?:(?:[-*>]|#{1,6})[ \t]*)?(?:\*\*|__)?(?:[\w.-]{1,24}[ \t]+){0,3}")


# The ends of a name's line with an aside after the name ("Password (staging):").
_ASIDE_ENDS = ("):\n", ")\n", "):\r\n")


def _line_end_triggers(ends: tuple[str, ...]) -> tuple[str, ...]:
    """The triggers of a rule whose name ends its line: each end before a line break, with
    or without a colon (the rule then runs on few texts of code, where "key" is common)."""
    tails = ("\n", ":\n", ": \n", " \n", "\r\n", ":\r\n", ":**\n", "**:\n")
    return tuple(end + tail for end in ends for tail in tails)


def _alone(check: Check) -> Check:
    """``check``, and the name with up to three words before it starts its line."""

    def alone(value: str, match: re.Match[str], text: str) -> bool:
        start = text.rfind("\n", 0, match.start()) + 1
        head = _NAME_HEAD.fullmatch(text, start, match.start())
        return head is not None and check(value, match, text)

    return alone


# A credentials file shown with cat: the user name on the first line, the password on the
# second (OpenVPN's auth-user-pass file, a ".credentials" or "login.txt").
_CAT_FILE = re.compile(
    r"(?<![\w-])cat[ \t]+[^\s|;&]{0,128}(?i:auth|pass|cred|login|secret)[^\s|;&]{0,64}[ \t]*"
    r"\r?\n[ \t]*[^\s:=]{1,64}[ \t]*\r?\n[ \t]*(?P<value>[^\s\"'`]{4,256})[ \t]*(?=\r?\n|$)"
)
# OpenVPN's auth-user-pass file pasted as a block of two lines, the user name then the
# password, in a text that names the option ("the config has auth-user-pass creds.txt").
TWO_LINE_BLOCK = re.compile(
    r"```[^\n`]{0,16}\r?\n[ \t]*[^\s`]{1,64}[ \t]*\r?\n[ \t]*(?P<value>[^\s`]{3,256})[ \t]*\r?\n"
    r"[ \t]*```"
)
_AUTH_FILE_OPTION = "auth-user-pass"
#: How far after a two-line block's value the option that names it may end: a stream holds
#: the value that long after it (policies.holdback_neighbours); before the block, anywhere.
AUTH_USER_PASS_AFTER_CHARS: Final = 160


def _names_auth_file(command: Check) -> Check:
    """A two-line block the text names as an auth-user-pass file: the option before it, or
    ending at most :data:`AUTH_USER_PASS_AFTER_CHARS` characters after its value."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        after = match.end("value")
        named = _AUTH_FILE_OPTION in text[after : after + AUTH_USER_PASS_AFTER_CHARS]
        named = named or text.rfind(_AUTH_FILE_OPTION, 0, match.start()) >= 0
        return named and command(value, match, text)

    return check


# A variable echoed by name and its value printed below: 'echo "api=$API_TOKEN"' then
# "api=X" in the output (a CI log that masks one of them and not the other).
_ECHOED = AnchoredPattern.build(
    r"=\$\{?[a-z_]",
    r"(?<![\w-])(?P<key>[A-Za-z_][\w.-]{0,31})=\$\{?(?P<var>[A-Z][A-Z0-9_]{0,40}"
    r"(?:TOKEN|KEY|SECRET))\}?[^\n]{0,200}\r?\n(?:[^\n]{0,300}\n){0,3}?[^\n]{0,300}?"
    r"(?<![\w-])(?P=key)=(?P<value>[^\s\"'`\[*][^\s\"'`]{7,255})",  # not [MASKED], ****
    0,
    33,  # back to the start of the name before "=$"
)


# Words of a variable's name that make its value public: CACHE_KEY, PUBLIC_KEY, SSH_KEY.
_PUBLIC_VARIABLE = re.compile(
    r"(?:^|_)(?:PUBLIC|PUBLISHABLE|PUB|SITE|CACHE|SORT|PARTITION|HASH|S3|OBJECT|BUCKET|QUEUE"
    r"|ROUTING|IDEMPOTENCY|LOOKUP|INDEX|SSH|GPG|PGP|ID|PAGE|NEXT|CSRF)(?:_|$)"
)


def _echoed(generic: Check) -> Check:
    """``generic``, and the echoed variable's name is not a public key's."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return _PUBLIC_VARIABLE.search(match["var"]) is None and generic(value, match, text)

    return check


# Backup or recovery codes listed after their name: each code is a password.
_BACKUP_CODES = re.compile(
    r"(?:(?i:backup|recovery|scratch)[ \t]+codes?[ \t]*:[ \t]*|(?<=\d)[ \t]*[, \t][ \t]*)"
    r"(?P<value>\d{4,10})(?![\w.-])"
)
_CODES_HEAD = re.compile(
    r"(?i:backup|recovery|scratch)[ \t]+codes?[ \t]*:[ \t]*(?:\d{4,10}[ \t,]+)*$"
)


def _listed_code(value: str, match: re.Match[str], text: str) -> bool:
    """A code of the list that follows "backup codes:" on its line, not one digit repeated."""
    line = text[text.rfind("\n", 0, match.start()) + 1 : match.start("value")]
    return _CODES_HEAD.search(line) is not None and len(set(value)) > 1


# "I rotated it to X", "regenerated them, now X", "Rotated. New one: X": a credential
# changed, the new value after it.
_ROTATED = AnchoredPattern.build(
    r"rotated|regenerated|reissued|re-issued|rolled",
    r"(?<![\w-])(?i:rotated|regenerated|re-?issued|rolled)(?:[ \t]+(?i:it|them|this|that))?"
    r"(?:[ \t]+(?i:to)|[ \t]*[,:;.!]?[ \t]+(?i:now|new[ \t]+one)(?:[ \t]+(?i:is))?:?)[ \t]+"
    r"(?P<value>[A-Za-z0-9_~+/-]{16,256}=*)(?![\w~+/=-])",
    0,
    0,
)


def _random(generic: Check) -> Check:
    """``generic``, and the value's character classes change like a random string's."""
    return all_of(generic, lambda value, match, text: is_scattered(value))


# A TOTP seed in groups of four, as set-up pages show it ("jdkg mfm7 vher adqq"), or in
# capitals in one run, named by an OTP or two-factor word and "secret", "key" or "seed"
# before it on the line.
_GROUPED_SEED = AnchoredPattern.build(
    r"otp|2fa|mfa|two-factor|authenticator",
    r"(?<![\w-])(?i:t?otp|2fa|mfa|two-factor|authenticator)[^\n]{0,60}?(?i:secret|key|seed)"
    # right after its name, or where a clause about the app ends in a colon ("setup key if
    # you want to add it to your authenticator: X")
    r"(?:[^\n\w]{0,6}?(?:[ \t]+(?i:is|was))?|[ \t][^\n:]{1,80}?:)[ \t:=\"'`]+"
    # 16 or 32 characters (80 or 160 bits), in one case; in capitals also ungrouped
    r"(?P<value>(?-i:[a-z2-7]{4}(?:[ \t][a-z2-7]{4}){3}(?:(?:[ \t][a-z2-7]{4}){4})?"
    r"|[A-Z2-7]{4}(?:[ \t][A-Z2-7]{4}){3}(?:(?:[ \t][A-Z2-7]{4}){4})?"
    r"|[A-Z2-7]{16}(?:[A-Z2-7]{16})?))"
    r"(?![\w])",
    0,
    0,
)


def _seed(value: str, match: re.Match[str], text: str) -> bool:
    """Base32 groups with a digit in them: not four words ("this will show here")."""
    return any(ch.isdigit() for ch in value)


# "the client secret they sent is" ending its line, the value alone on the next.
_IS_NEXT_LINE = AnchoredPattern.build(
    _TOKEN_ANCHOR,
    r"(?<![\w.-])(?i:secret|token|key)(?:[ \t]+[^\s:=]{1,24}){0,4}?[ \t]+(?i:is|was)[ \t]*:?"
    + _NEXT_LINE_VALUE,
    0,
    0,
)


# "I reset the service account, it's now X", "changed the admin login - now X"
_RESET_ACCOUNT = AnchoredPattern.build(
    r"reset|changed|updated",
    r"(?<![\w-])(?i:reset|changed|updated)[ \t]+(?i:the|my|our|your|his|her|their)[ \t]+"
    r"(?:[\w-]{1,24}[ \t]+){0,2}(?i:account|login|user)[ \t]*[,;:-][ \t]*"
    r"(?i:it'?s|it’s|it[ \t]+is|now)(?:[ \t]+(?i:now))?[ \t]+:?[ \t]*"
    # a bare value ends before the full stop of its sentence
    r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'"
    r"|(?P<bare>[^\s\"'`]{0,255}[^\s\"'`.,;]))",
    0,
    0,
)


# A credential named in an earlier sentence and given by a word that refers back to it:
# "I changed the password ... The old one was X", "it asks for an API key. The one in my
# dashboard is X", "set it to X", "I found this under the settings: X". The match starts
# at the referring word; the name is read in the text before it (:func:`_named_before`).
_REFERRED = re.compile(
    r"(?<![\w-])(?:(?i:one|this|that)(?P<bridge>[^\n.!?;:]{0,60}?)"
    r"(?:[ \t]+(?i:is|was)(?:[ \t]+(?i:now))?|:)"
    r"|(?i:set|changed|reset|updated)[ \t]+(?i:it|this|that)[ \t]+(?i:to))[ \t]+"
    r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'"
    # a bare value ends before the full stop of its sentence
    r"|(?P<bare>[^\s\"'`]{0,255}[^\s\"'`.,;]))"
)
#: How far back, in the paragraph, the credential's name is looked for.
_REFERRED_REACH = 240
_PASSWORD_NAMED = re.compile(
    r"(?i)(?<![\w-])(?:password|passwd|passphrase|pw|shared[ \t]+secret|pre-?shared[ \t]+key"
    r"|psk)(?![\w-])"
)
_KEY_NAMED = re.compile(
    r"(?i)(?<![\w-])(?:api[ \t-]?(?:key|secret|token)|access[ \t]+(?:key|token)|secret[ \t]+key"
    r"|(?:integration|auth|bearer|access)[ \t]+token)s?(?![\w-])"
)
#: Words between the referring word and its value that make the value something else:
#: "the one on the invoice is", "this order number:", "that ticket is".
_NOT_REFERRED = re.compile(
    r"(?i)\b(?:id|number|no|order|invoice|ticket|ref|reference|serial|user(?:name)?|login"
    r"|e-?mail|public|example|link|url|version|hash|name|code)\b"
)


def _named_before(named: re.Pattern[str], other: re.Pattern[str], value: Check) -> Check:
    """``value``, for a value given by a word that refers back: the nearest credential
    named before it in its paragraph is of ``named``'s kind (not ``other``'s), and the
    words between the referring word and the value name nothing else."""

    def check(found: str, match: re.Match[str], text: str) -> bool:
        if _NOT_REFERRED.search(match["bridge"] or "") is not None:
            return False
        start = match.start()
        window = text[max(0, start - _REFERRED_REACH) : start]
        window = window[window.rfind("\n\n") + 1 :]
        mine = [m.end() for m in named.finditer(window)]
        theirs = [m.end() for m in other.finditer(window)]
        if not mine or (theirs and theirs[-1] > mine[-1]):
            return False
        return value(found, match, text)

    return check


def _issued_key(value: str, match: re.Match[str], text: str) -> bool:
    """A key as a service issues it: a UUID, 32 hex digits or more, or letters and digits
    scattered (:func:`detectors.office_codes.random_enough`), 12 characters or more."""
    return (
        _UUID.fullmatch(value) is not None
        or _LONG_HEX.fullmatch(value) is not None
        or (len(value) >= _MIN_ISSUED and random_enough(value))
    )


_MIN_ISSUED = 12


# A credential given in reply to a request for it, on the line after the question:
# "> can you share the sandbox key?" then "sure: X", "[10:02] Ana: here you go - X". The
# match starts at the question mark (a literal the regex engine looks for fast).
_REPLY = re.compile(
    r"\?[ \t]*\r?\n[ \t]*(?:>[ \t]*)?(?:\[[^\]\n]{1,32}\][ \t]*)?(?:[\w .'-]{1,32}:[ \t]*)?"
    r"(?<![\w-])(?i:sure|here(?:[ \t]+(?:it[ \t]+is|you[ \t]+go))?|yes|yep|ok(?:ay)?)"
    r"[ \t]*[:,–—-][ \t]*(?P<value>[^\s\"'`]{8,256}?)[.,;!]?(?=\s|$)"
)
_ASKED = re.compile(r"(?i)(?<![\w-])(?:api[ \t]+)?(?:key|token|secret)s?(?![\w-])")
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_LONG_HEX = re.compile(r"[0-9a-f]{32,}|[0-9A-F]{32,}")


def _replied(generic: Check) -> Check:
    """The question the reply follows names a key, token or secret (not a public key's
    name), and the value is a key's shape: a UUID, 32 hex digits or more, or a random
    token (``generic`` and classes that change like a random string's), not a path, a date
    or words ("sure: /etc/keys/app.pem")."""

    def replied(value: str, match: re.Match[str], text: str) -> bool:
        question = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        if all(
            NOT_SECRET_BEFORE.search(question, 0, noun.start()) is not None
            for noun in _ASKED.finditer(question)
        ):
            return False  # no noun, or each one a public key's
        return (
            _UUID.fullmatch(value) is not None
            or _LONG_HEX.fullmatch(value) is not None
            or (value[0] != "/" and is_scattered(value) and generic(value, match, text))
        )

    return replied


def note_rules(
    generic: Check, token: Check, command: Check, looks: Check
) -> tuple[SecretRule, ...]:
    """The rules of this module; ``generic`` checks a random-looking token, ``token`` and
    ``command`` a token's and a password's value in their places, ``looks`` a password in
    a sentence."""
    rule = SecretRule
    return (
        rule(
            E.PASSWORD,
            _next_line(r"password|passwd|passphrase|pwd|pw|pass", _PASSWORD_ANCHOR),
            0.7,
            CONTEXTUAL,
            (*_line_end_triggers(("pass", "pw", "word", "wd", "phrase")), *_ASIDE_ENDS),
            _alone(command),
        ),
        rule(
            E.GENERIC_SECRET,
            _next_line(r"key|token|secret", _TOKEN_ANCHOR),
            0.7,
            CONTEXTUAL,
            (*_line_end_triggers(("key", "token", "secret")), *_ASIDE_ENDS),
            _alone(token),
        ),
        rule(
            E.GENERIC_SECRET,
            _dash_line(r"key|token|secret", _TOKEN_ANCHOR),
            0.7,
            CONTEXTUAL,
            tuple(f"{name} {dash} " for name in ("key", "token", "secret") for dash in "-–—"),
            _alone(token),
        ),
        rule(E.PASSWORD, _CAT_FILE, 0.75, CONTEXTUAL, ("cat ",), command),
        rule(
            E.PASSWORD,
            TWO_LINE_BLOCK,
            0.7,
            CONTEXTUAL,
            (_AUTH_FILE_OPTION,),
            _names_auth_file(command),
        ),
        rule(E.GENERIC_SECRET, _ECHOED, 0.75, CONTEXTUAL, ("=$",), _echoed(generic)),
        rule(
            E.GENERIC_SECRET,
            _ROTATED,
            0.7,
            CONTEXTUAL,
            ("rotated", "regenerated", "issued", "rolled"),
            _random(generic),
        ),
        rule(
            E.PASSWORD,
            _BACKUP_CODES,
            0.7,
            CONTEXTUAL,
            ("backup code", "recovery code", "scratch code"),
            _listed_code,
        ),
        rule(
            E.GENERIC_SECRET,
            _GROUPED_SEED,
            0.75,
            CONTEXTUAL,
            ("otp", "2fa", "mfa", "two-factor", "authenticator"),
            _seed,
        ),
        rule(
            E.GENERIC_SECRET,
            _IS_NEXT_LINE,
            0.7,
            CONTEXTUAL,
            _line_end_triggers(("is", "was")),
            _random(generic),
        ),
        rule(
            E.PASSWORD,
            _RESET_ACCOUNT,
            0.7,
            CONTEXTUAL,
            ("'s now", "’s now", "is now", ", now", "- now", ": now"),
            looks,
        ),
        rule(E.GENERIC_SECRET, _REPLY, 0.7, CONTEXTUAL, ("?\n",), _replied(generic)),
        rule(
            E.PASSWORD,
            _REFERRED,
            0.7,
            CONTEXTUAL,
            ("password", "passwd", "passphrase", "pw ", "shared secret", "shared key", "psk"),
            _named_before(_PASSWORD_NAMED, _KEY_NAMED, looks),
        ),
        rule(
            E.GENERIC_SECRET,
            _REFERRED,
            0.7,
            CONTEXTUAL,
            (
                "api key",
                "api-key",
                "apikey",
                "api secret",
                "api token",
                "access key",
                "access token",
                "secret key",
                "integration token",
                "auth token",
                "bearer token",
            ),
            _named_before(_KEY_NAMED, _PASSWORD_NAMED, _issued_key),
        ),
    )
