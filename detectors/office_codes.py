"""Codes and keys as office staff write them, named by what they open rather than by a key.

People outside IT rarely write ``password: X``. They write what the value opens: "the door
code changed btw, its 5100 now", "the code for the board-room AV panel is 774806", "master
code is now 0044", "the PUK is 324050", a list of door codes under a heading, the answer to
"what's the alarm code?" on the next line; a licence key as the vendor prints it
(``KFD3-ZP7G-XYYO-513Z``) near the word "licence" or "key"; the backup codes of an account
(``f0fd1-061a2``, ``4107 8968``) after "backup codes"; and a vendor's key named by what it
connects ("the API key the web agency uses for the booking form is X", "activation code X",
"Access code: X").

Each rule matches the value's shape alone (cheap: it runs only where its trigger words
occur) and its check reads the text before the value for the label: on the value's line, a
few words back and with no sentence ending in between, or on the heading of the value's
list, or in the question the value answers. Nothing after the value is read, so a streamed
answer is held back only while the value itself is unfinished. Digits that are a quantity
("4 digits", "10 minutes", "EUR"), a number ("ext. 4412", "room 1418", "order no.") or a
code that is no secret (post, area, error, promo, booking) are not reported.
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.letter_keys import random_letters
from detectors.secret_rule import CONTEXTUAL, STRUCTURED, Check, SecretRule
from detectors.secret_values import is_placeholder, is_scattered

#: A word naming a numeric code that opens something; ``kind`` is the word before "code".
_CODE_LABEL = re.compile(
    r"(?i)(?<![\w-])(?:pin|puk|pins|passcode|pass code|combination|host key"
    r"|(?:(?P<kind>[\w-]+)[ \t]+)?codes?)(?![\w-])"
)
#: What a "code" is when it is no secret: "zip code", "error code", "promo code".
_NOT_SECRET_CODE = frozenset((
    "zip", "post", "postal", "area", "country", "dialling", "dialing", "error", "exit",
    "status", "return", "tax", "product", "promo", "promotional", "discount", "voucher",
    "coupon", "gift", "reference", "booking", "sort", "source", "qr", "bar", "colour", "color",
    "dress", "morse", "iso", "currency", "airport", "course", "program", "hs", "sic", "swift",
    "bic", "branch", "verification", "confirmation", "response", "http", "sms", "short",
    "sample", "example", "conduct", "of", "item", "sku",
    # a card payment's approval by the issuer, printed on receipts and dispute summaries
    "auth", "authorization", "authorisation", "approval",
    # a ledger's, a registry's or a coding system's number: "account codes 6100, 6200",
    # "cadastral municipality code 3207", "procedure code 45378" (h212, tuning15)
    "account", "accounts", "ledger", "gl", "nominal", "cost", "expense", "budget", "project",
    "department", "municipality", "municipal", "cadastral", "district", "region", "parish",
    "procedure", "diagnosis", "diagnostic", "billing", "icd", "cpt", "drug", "ndc", "tariff",
    "customs", "commodity", "classification", "category", "industry", "activity", "nace",
    "naics", "vat", "iban",
))  # fmt: skip
#: A numeric code: 4 to 8 digits, "#" may close it; not a part of a longer number, and
#: no quantity ("4 digits", "10 minutes", "20 EUR").
_DIGITS = re.compile(
    r"(?P<value>\d(?<![\w.,:/#+-]\d)\d{3,7})(?!\w|[.,:/-]\d)"
    r"(?![ \t]*(?:[€$£%]|(?i:digits?|characters?|chars|minutes?|mins|seconds?|secs|hours?"
    r"|days?|weeks?|eur|usd|gbp|chf|kb|mb|gb|pm|am|seats?|users?|people|staff)\b))"
)
#: From a label to its value on one line: nothing, a colon, or a few words that end in
#: "is", "to", "now", a colon or a dash ("changed btw, its", "for the AV panel is").
_BRIDGE = re.compile(
    r"(?i)^(?:[ \t]*[:=#]?[ \t]*"
    r"|[^\n.!?;\d]{0,60}?(?:\b(?:is|are|was|its|it's|it’s|to|now)|[=:–—-])[ \t]*)$"
)
_COPULA_END = re.compile(r"(?i)(?:\b(?:is|are|was|its|it's|it’s)|[=:])[ \t]*$")
#: Words between a label and its value that make the value some other number.
_OTHER_NUMBER = re.compile(
    r"(?i)\b(?:number|no|nr|id|ext|extension|order|invoice|ticket|ref|reference|case"
    r"|account|customer|employee|badge|locker|serial|tel|version|year|valid"
    r"|expires?|digits?|last)\b"
)
_FIELD = re.compile(r"[\"']?[ \t]*[:=]")
#: Words of electronics before a value on its line: "the GPIO PIN is 13, pin 4821" is a pin
#: of a connector, not a PIN.
_HARDWARE = re.compile(
    r"(?i)\b(?:gpio|header|pinout|jumper|connector|breadboard|ground|gnd|vcc|voltage"
    r"|arduino|raspberry|i2c|spi|uart|soc|mcu)\b"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
#: A list's heading that names codes: "Door / alarm codes", "Voicemail PINs".
_HEADING_LABEL = re.compile(
    r"(?i)\b(?:pins|puks|passcodes)\b"
    r"|\b(?:door|alarm|gate|entry|access|safe|lock|keypad|voicemail)\b[^\n]*\bcodes\b"
)
_LIST_ITEM = re.compile(r"^[ \t]*[-*•]?[ \t]*[^\n:–—]{1,40}?(?::|[ \t][–—-])[ \t]*$")
_QUOTE_PREFIX = re.compile(r"^[ \t>]*")
_QUESTION = re.compile(r"(?i)(?:what|whats|what's|what’s|wats|which|anyone know)\b")


def _secret_labels(text: str) -> list[re.Match[str]]:
    """The code labels in ``text`` that may name a secret (not "zip code", "error code")."""
    return [
        label
        for label in _CODE_LABEL.finditer(text)
        if (label["kind"] or "").lower() not in _NOT_SECRET_CODE
    ]


def _labelled_on_line(before: str, value: str) -> bool:
    """``before`` (the value's line up to the value) ends in a code label and a bridge."""
    labels = _secret_labels(before)
    if not labels:
        return False
    label = labels[-1]
    bridge = before[label.end() :]
    if label["kind"] is None and label.group(0).lower().startswith("code") and _FIELD.match(bridge):
        return False  # "(code: 40001)", "code=40001": a field of a log line or JSON
    if _BRIDGE.match(bridge) is None or _OTHER_NUMBER.search(bridge) is not None:
        return False
    # after the verb "pin", a year only as what it "is" ("pin the package to 2023")
    if label.group(0) != "pin" or _YEAR.fullmatch(value) is None:
        return True
    return _COPULA_END.search(bridge) is not None


def _answers_question(text: str, line_start: int) -> bool:
    """The value opens a line that answers a question about a code on the line before."""
    if line_start == 0:
        return False
    previous_start = text.rfind("\n", 0, line_start - 1) + 1
    previous = _QUOTE_PREFIX.sub("", text[previous_start : line_start - 1]).rstrip()
    asks = previous.endswith("?") or _QUESTION.match(previous) is not None
    return asks and bool(_secret_labels(previous))


def _under_heading(text: str, line_start: int, before: str) -> bool:
    """The value ends a list item ("Server room: 5731") under a heading naming codes."""
    if _LIST_ITEM.match(before) is None:
        return False
    block = text[max(0, text.rfind("\n\n", 0, line_start)) : line_start]
    heading = block.strip("\n").split("\n", 1)[0]
    return _HEADING_LABEL.search(heading) is not None


_QUOTES = ("`", '"', "'")


def _without_quotes(before: str, text: str, end: int) -> str:
    """``before`` without the quote or Markdown backtick that opens the value, when the
    same mark closes it ("PIN: `8575`" is labelled as "PIN: 8575" is)."""
    if before.endswith(_QUOTES) and text.startswith(before[-1], end):
        return before[:-1]
    return before


def _numeric_code(value: str, match: re.Match[str], text: str) -> bool:
    if len(set(value)) < 2:
        return False
    start = match.start("value")
    line_start = text.rfind("\n", 0, start) + 1
    before = _without_quotes(text[line_start:start], text, match.end("value"))
    if _labelled_on_line(before[-160:], value):
        # the line before the value only, as every check here: a stream holds back no more
        # than the unfinished value
        return _HARDWARE.search(before) is None
    if not before.strip(" \t>"):
        return _answers_question(text, line_start)
    return _under_heading(text, line_start, before)


#: Backup/recovery codes as accounts print them: "f0fd1-061a2", "fghm-nrp9", "4107 8968".
_RECOVERY = re.compile(
    r"(?<![\w-])(?<!\d )(?P<value>[0-9a-f]{5}-[0-9a-f]{5}|[a-z0-9]{4}-[a-z0-9]{4}|\d{4} \d{4})"
    r"(?![\w-]|[ \t]\d)"
)
_RECOVERY_LABEL = re.compile(r"(?i)\b(?:backup|back-up|recovery|2fa|two-step)[ \t]+codes?\b")
_A_CODE = re.compile(r"(?i)(?<![\w-])(?:(?P<kind>[\w-]+)[ \t]+)?codes?[ \t]*(?:is|are|:)?[ \t]*$")
_RECOVERY_REACH = 240
#: A disk's or an account's recovery key right before the value: "BitLocker recovery key
#: 4107 8968", "backup key: f0fd1-061a2" (h212).
_RECOVERY_TRIGGERS = ("code", "recovery key", "backup key", "back-up key")
_A_RECOVERY_KEY = re.compile(r"(?i)\b(?:recovery|backup|back-up)[ \t]+keys?[ \t]*(?:is|:)?[ \t]*$")
_CODES_WORD = re.compile(r"(?i)(?:\b(?P<kind>[\w-]+)[ \t]+)?\bcodes?\b")


def _recovery_code(english_words: frozenset[str]) -> Check:
    """A backup code: dashed halves of letters and digits after a code's label or under a
    recovery codes' heading; dashed halves of letters alone only under that heading and
    when neither half is an English word ("bzob-cjrk", not "self-care": accounts print
    letters-only codes too, and a list's heading says what they are)."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        letters_only = False
        if "-" in value and not (
            any(c.isalpha() for c in value) and any(c.isdigit() for c in value)
        ):
            halves = value.split("-")
            if not value.replace("-", "").isalpha() or any(h in english_words for h in halves):
                return False
            letters_only = True
        start = match.start("value")
        if not letters_only and _A_RECOVERY_KEY.search(text, max(0, start - 24), start):
            return True
        code = _A_CODE.search(text, max(0, start - 24), start)
        if (
            not letters_only
            and code is not None
            and (code["kind"] or "").lower() not in _NOT_SECRET_CODE
        ):
            return True
        window = text[max(0, start - _RECOVERY_REACH) : start]
        return _RECOVERY_LABEL.search(_list_and_heading(window)) is not None

    return check


def _list_and_heading(window: str) -> str:
    """The paragraph that ends ``window``, and the one before it when this paragraph opens
    with a line introducing a list of codes ("Codes (each works once):"): a heading or a
    subject line ("Subject: Backup codes for the admin account") names what they are."""
    cut = window.rfind("\n\n")
    paragraph = window[cut + 1 :]
    introduction = paragraph.lstrip("\n").split("\n", 1)[0].rstrip()
    codes = _CODES_WORD.search(introduction)
    if (
        cut > 0
        and introduction.endswith(":")
        and codes is not None
        and (codes["kind"] or "").lower() not in _NOT_SECRET_CODE  # "Promo codes:"
    ):
        return window[window.rfind("\n\n", 0, cut) + 1 :]
    return paragraph


#: A licence/product key: four or five groups of four to six capitals and digits.
_LICENCE = re.compile(
    r"(?P<value>[A-Z0-9](?<![\w-][A-Z0-9])[A-Z0-9]{3,5}(?:-[A-Z0-9]{4,6}){3,4})(?![\w-])"
)
# The licence's word in English and as the neighbouring languages spell it (Lizenz,
# licentie, licenza, licencia, licença, licencja, licens; a whole word where the language
# builds no compounds, so not "licenciado"): a key printed in the vendor's groups after "la
# chiave di licenza" is the same licence key, not a person's password.
_LICENCE_LABEL = re.compile(
    r"(?i)licen[cs]e|licentie|lizenz|licen(?:z[ae]|cias?|ças?|cj[aiey]|cyjn\w*|s\w*)\b"
    r"|\bkeys?\b|activation|registration"
)
_LICENCE_REACH = 240
_MIN_MIXED = 2


def _licence_key(value: str, match: re.Match[str], text: str) -> bool:
    letters = sum(c.isalpha() for c in value)
    digits = sum(c.isdigit() for c in value)
    if letters < _MIN_MIXED or digits < _MIN_MIXED:
        return False
    start = match.start("value")
    return _LICENCE_LABEL.search(text, max(0, start - _LICENCE_REACH), start) is not None


#: A key named by what it connects, a few words, "is" or a colon, then a random-looking
#: value ("the API key the web agency uses for the booking form is X", "activation code
#: X", "Access code: X", "API key (for the website widget) X").
_NAMED_KEY = re.compile(
    r"(?i:\b(?:api[ \t-]?(?:key|secret|token)|access[ \t]+(?:code|key)"
    r"|activation[ \t]+(?:code|key)|setup[ \t]+key|integration[ \t]+key|signing[ \t]+secret"
    r"|webhook[ \t]+secret|client[ \t]+secret|secret[ \t]+key"
    r"|one-time[ \t]+(?:access[ \t]+)?code)s?\b)"
    r"(?P<bridge>[^\n.!;]{0,90}?"
    r"(?i:\b(?:is|are|was|its|it's|it’s|now)|:(?=[ \t])|[ \t][–—-]|[=()]))?"
    r"[ \t]*[\"'“]?(?P<value>[A-Za-z0-9][A-Za-z0-9_+/=-]{11,127})(?![\w/+=-])"
)
#: A one-time password the way a support call or a portal's mail gives it ("the technician
#: asked for the one-time password X"): a code the service generated, a generic secret like
#: a one-time access code, not a password a person chose. It outranks the prose rules'
#: password of the same value (which keeps a full stop after it).
_ONE_TIME = re.compile(
    r"(?i:\bone-time[ \t]+(?:password|passcode|pin)s?\b)"
    r"(?P<bridge>[^\n.!;]{0,40}?(?i:\b(?:is|was|its|it's|it’s|now)|:(?=[ \t])|[ \t][–—-]))?"
    r"[ \t]*[\"'“]?(?P<value>[A-Za-z0-9][A-Za-z0-9_+/=-]{11,127})(?![\w/+=-])"
)
_NOT_KEY_BRIDGE = re.compile(
    r"(?i)\b(?:id|ids|sha|hash|commit|trace|request|uuid|checksum|fingerprint|digest|etag"
    r"|nonce|number|no|ref|reference|order|invoice|ticket|serial|tracking|public"
    r"|publishable|last|ends?|old|expired|revoked|example|uid|guid)\b"
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_MIN_DISTINCT = 8
_MIN_LETTERS_ONLY = 20


def random_enough(value: str) -> bool:
    """A key as a portal issues it: letters and digits scattered, or random letters alone;
    not a name in code ("base64encodedValue2", "SECRET_KEY_2024", "ReplaceWithYourOwnKey")."""
    if is_placeholder(value) or len(set(value)) < _MIN_DISTINCT:
        return False
    if _UUID.fullmatch(value) is not None:
        return True
    if any(c.isdigit() for c in value):
        return any(c.isalpha() for c in value) and is_scattered(value)
    return len(value) >= _MIN_LETTERS_ONLY and random_letters(value)


def _named_key(value: str, match: re.Match[str], text: str) -> bool:
    bridge = match["bridge"] or ""
    return random_enough(value) and _NOT_KEY_BRIDGE.search(bridge) is None


#: A key in a list under a heading that names keys ("API keys we got from vendors:" then
#: "Maps - X"): the heading is the label of every item.
_LISTED_KEY = re.compile(
    r"(?m)^[ \t]*[-*•]?[ \t]*(?P<item>[^\n:–—=]{1,40}?)(?::|[ \t]+[–—-])[ \t]+"
    r"(?P<value>[A-Za-z0-9][A-Za-z0-9_+/=-]{11,127})[ \t]*$"
)
_KEYS_HEADING = re.compile(r"(?i)(?<![\w-])(?:api[ \t-]?keys|keys|tokens|secrets)(?![\w-])")


def _listed_key(value: str, match: re.Match[str], text: str) -> bool:
    if not random_enough(value) or _NOT_KEY_BRIDGE.search(match["item"]) is not None:
        return False
    line_start = match.start()
    block = text[max(0, text.rfind("\n\n", 0, line_start)) : line_start]
    heading = block.strip("\n").split("\n", 1)[0]
    return _KEYS_HEADING.search(heading) is not None


#: A password in a list under a heading that names logins ("Supplier portals (shared)"
#: then "Office supplies - jdoe - Winter2018#", with hyphens or dashes): an item, its user
#: name, the password, the last word of the line.
_LISTED_LOGIN = re.compile(
    r"(?m)^[ \t]*[-*•]?[ \t]*(?P<item>[^\n:–—=]{1,40}?)[ \t]+[–—-][ \t]+"
    r"(?P<user>[^\n–—]{1,40}?)[ \t]+[–—-][ \t]+(?P<bare>[^\s–—]{4,128})[ \t]*$"
)
_LOGINS_HEADING = re.compile(
    r"(?i)(?<![\w-])(?:logins?|accounts|portals|credentials|passwords|log-?ins)(?![\w-])"
)


def _listed_login(looks: Check) -> Check:
    """``looks``, for a password listed under a heading that names logins: every line from
    the heading down to the value's is an item of the list, and the user name is one
    word or an account's name ("account 6116")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if len(match["user"].split()) > _USER_WORDS:
            return False  # "2 boxes - delivered": a quantity and a state, no user name
        line_start = match.start()
        block = text[max(0, text.rfind("\n\n", 0, line_start)) : line_start].strip("\n")
        heading, _, items = block.partition("\n")
        if _LOGINS_HEADING.search(heading) is None:
            return False
        rows = items.split("\n") if items else []
        return all(_LISTED_LOGIN.fullmatch(row) for row in rows) and looks(value, match, text)

    return check


_USER_WORDS = 2


# Lowercase substrings the rules need; "pin" inside "shopping" or "api" inside "capital"
# would wake them on most prose.
_CODE_TRIGGERS = ("code", " pin", "pin ", "pin:", "pins", "puk", "passcode", "combination",
                  "host key")  # fmt: skip
_KEY_TRIGGERS = ("api key", "api-key", "apikey", "api secret", "api-secret", "api token",
                 "api-token", "access code", "access key", "activation", "setup key",
                 "integration key", "signing secret", "webhook secret", "client secret",
                 "secret key", "one-time")  # fmt: skip


def office_code_rules(
    looks: Check, english_words: frozenset[str] = frozenset()
) -> tuple[SecretRule, ...]:
    """The rules of this module; ``looks`` checks a password in prose
    (:func:`detectors.password_prose.looks_like_password`)."""
    rule = SecretRule
    return (
        rule(E.PASSWORD, _DIGITS, 0.7, CONTEXTUAL, _CODE_TRIGGERS, _numeric_code),
        rule(E.PASSWORD, _RECOVERY, 0.7, CONTEXTUAL, _RECOVERY_TRIGGERS,
             _recovery_code(english_words)),
        # the vendor's printed groups outrank a label's bare value, which keeps the full
        # stop after it ("... is KFD3-ZP7G-XYYO-513Z."): the key alone, as a key
        rule(E.GENERIC_SECRET, _LICENCE, 0.7, STRUCTURED, ("licen", "lizenz", "key", "activation"),
             _licence_key),
        rule(E.GENERIC_SECRET, _NAMED_KEY, 0.7, CONTEXTUAL, _KEY_TRIGGERS, _named_key),
        rule(E.GENERIC_SECRET, _ONE_TIME, 0.7, STRUCTURED, ("one-time",), _named_key),
        rule(E.GENERIC_SECRET, _LISTED_KEY, 0.7, CONTEXTUAL, ("keys", "tokens", "secrets"),
             _listed_key),
        rule(E.PASSWORD, _LISTED_LOGIN, 0.7, CONTEXTUAL,
             ("login", "accounts", "portals", "credentials", "passwords", "log-in", "log in"),
             _listed_login(looks)),
    )  # fmt: skip
