"""Phone numbers by region: national formats, extensions, international prefixes.

:class:`RegionPhoneRecognizer` is Presidio's phonenumbers-based recognizer with the
regions of ``pii.phone_regions`` (numbers written with "+" or an international prefix
are found whatever the regions), and the rules that keep it from reporting what only
looks like a phone number:

* guesses phonenumbers makes (see :func:`phone_plausible`);
* digit groups that do not follow the region's formatting, unless the number is written
  with its national trunk prefix ("0151 2345 6789" is grouped 4-4-4, Germany formats it
  4-8; an order number "4529 8812 3301" has no trunk prefix and stays out);
* unix timestamps in seconds or milliseconds next to a time word, before a log level or
  as the value of a time field (``"ts": 1717245296``), numbers labelled as order,
  ticket, build or other ids, and digits after an extension's label ("Ext 69 - 48451642":
  an extension follows its number) (see :func:`labelled_not_phone`);
* a bare run of digits (the shape of every size, count, id and checksum in logs, configs,
  SQL and CSV) unless a phone word, field, label, table column, e-mail or name points to
  it, or it starts with a trunk "0" (see :func:`_bare_without_cue`);
* dates, IPv4 addresses, the whole part of a decimal and numbers cut out of a longer
  dotted run, and a ")" without its "(" ("(index 87)  35030791 bytes").

The matchers parse only candidates that could give a number we report: not bare ids,
timestamps nor digit groups too short for a phone (see :func:`_never_reported`).

A number's span holds its extension in any spelling ("x311", " ext. 311", " #311") and
its "+", "00" or North American "1" prefix, never a list item's "1. " nor an unclosed "(".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer import predefined_recognizers as pr
from presidio_analyzer.nlp_engine import NlpArtifacts

from detectors.checks import PAREN_EXTENSION, PHONE_CUE_AFTER_CHARS, PHONE_TIME_AFTER_CHARS

_CCS = phonenumbers.CountryCodeSource
_DOTTED_DIGITS = re.compile(r"\d+(?:\.\d+)+")
# Two digit runs around a slash, the first without a trunk "0" ("0151/2345678" is an area
# code and a number): a count and its limit, a rate.
_COUNT_OF_LIMIT = re.compile(r"\d+/\d+")
_MIN_PHONE_DIGITS = 7
_EXTENSION_TAIL = re.compile(r"[^\d)]+$")  # "x", " ext. ", "#" before an extension
# The "1" a North American number is dialled with: "1-202-", "1 (202)", "1(202)", and with
# dots only before dotted groups ("1.202.555.0147"; "1.5743049084" is a decimal).
_NANP_TRUNK = re.compile(r"1[ .-]?(?=\()|1[ -](?=\d)|1\.(?=\d+\.)")
# A "1" that numbers a list item rather than dialling: "1. 202-555-0147", "1) (202) 555-0147".
_ITEM_ONE = re.compile(r"1[^\w(]+")
_VALID = phonenumbers.Leniency.VALID
_STRICT_GROUPING = phonenumbers.Leniency.STRICT_GROUPING

#: Unix time from 2001-09-09 (the first 10-digit second) to 2100-01-01, in s and ms.
_EPOCH_SECONDS = (1_000_000_000, 4_102_444_800)

# Words that say a nearby number is a point in time ...
_TIME_WORDS = (
    r"time|times|timestamp|timestamps|ts|epoch|unix|created|updated|modified|expires|"
    r"expiry|expired|iat|nbf|exp|seconds?|secs?|ms|millis|milliseconds?|date|datetime|"
    r"logged|since|until|last[_ ]seen|utc|posix"
)
_TIME_BEFORE = re.compile(
    rf"\b(?:{_TIME_WORDS})\b[^\w\n]{{0,3}}(?:\w+[^\w\n]{{1,3}}){{0,2}}$", re.I
)
_TIME_AFTER = re.compile(rf"^[^\w\n]{{0,3}}(?:{_TIME_WORDS})\b", re.I)
# ... or a log line's level after it: "1642476135547 WARN  [pool-2-thread-9] Retrying".
_LOG_LEVEL_AFTER = re.compile(r"^[^\w\n]{0,3}(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\b")
# ... or that label it as an identifier: "order 4529 8812 3301", "ticket #0151 234567".
_ID_LABEL = re.compile(
    r"\b(?:order|invoice|ticket|id|ids|ref|reference|build|version|sku|tracking|case|issue|"
    r"job|run|transaction|txn|serial|pid|port|po|request|trace|batch|shipment|parcel|"
    r"receipt|confirmation|account|acct|konto|kto|kontonummer|kundennummer|kundennr|customer|"
    r"contract|policy|member|employee|personnel|claim|vat|tax|nif|blz|bic|iban|isbn|ean|imei|"
    r"rekening|cuenta|conto|compte)"
    r"\.?(?:\s*(?:number|no\.?|nr\.?|num|#|id))?\s*[:#=]?\s*#?$",
    re.I,
)
# ... or name a tax number, a social security number or a card of a loyalty scheme, a
# verb or a bracket between: "an EIN like 98-7612124", "our EIN is 12-3456789", "taxpayer
# identification number: 701-85-9061" (Presidio's phone context word "number" otherwise
# outscores the SSN), "membership card numbers (0914...)".
_TAX_OR_CARD_LABEL = re.compile(
    r"\b(?:ein|fein|itin|tin|ssn|ss[ \t]?#|social[ \t]+security(?:[ \t]+(?:number|no\.?|#))?|"
    r"(?:employer|taxpayer|tax)[ \t]+identification[ \t]+number|"
    r"seguro[ \t]+social|s[eé]curit[eé][ \t]+sociale|"
    r"(?:member(?:ship)?|loyalty|club|gift|reward|bonus)[ \t]+cards?"
    r"(?:[ \t]+(?:numbers?|nos?\.?))?)"
    r"(?:[ \t]+(?:is|are|was|like|of|reads))?[ \t]*[:#=(]?[ \t]*$",
    re.I,
)
# A label of one-time credentials on the number's line, with only other codes between:
# "backup codes: 0347 772039 316379" (a run of codes reads as one long phone number).
_CREDENTIAL_CODES_LABEL = re.compile(
    r"\b(?:(?:backup|recovery|scratch|one[ -]?time|2fa|mfa|otp|totp|verification|"
    r"emergency|reset)[ _-]?(?:codes?|pins?|passcodes?)|passcodes?|passwords?|passwd|pwd|pins?)"
    r"\b(?:[^\w\n]|\d)*$",
    re.I,
)
# An extension's label right before the digits: "Ext 69 - 48451642" in a list of
# extensions and PINs. An extension follows the number it extends ("0151 2345 6789 ext.
# 12"), so digits that start after the label are the extension itself, or an internal line.
_EXTENSION_BEFORE = re.compile(
    r"\b(?:ext|extn|extension|poste|durchwahl|nebenstelle|anexo|interno|toestel)\.?:?[ \t]*#?$",
    re.I,
)
# A key in JSON, YAML, a query string, key=value or SQL: ``"created_at": ``, ``ts >``.
_KEY_BEFORE = re.compile(r"""["']?([A-Za-z][\w.-]{0,40})["']?\s*(?:[:=<>]=?|!=)\s*["']?$""")
# A day, month and year in either order, as Europe and the US write them.
_DATE = re.compile(
    r"(?:(?:0?[1-9]|[12]\d|3[01])[-/. ](?:0?[1-9]|[12]\d|3[01])[-/. ](?:19|20)\d\d"
    r"|(?:19|20)\d\d[-/. ](?:0?[1-9]|1[0-2])[-/. ](?:0?[1-9]|[12]\d|3[01]))(?!\d)"
)
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")
# A number cut out of a longer dotted run (an address, version or decimal goes on).
_DOTTED_AFTER = re.compile(r"\.\d")
_DECIMAL_BEFORE = re.compile(r"\d\.$")
_DECIMAL_AFTER = re.compile(r"[.,]\d")
# Words that say a bare digit run ("2125551234") is a phone number: before it on its line
# ("Call me at", "Tel.:", "Handy", "WhatsApp"), or a contact label after it ("-Office").
_PHONE_WORDS = (
    r"phone|phones|telephone|tel|telefon|telefono|tel[eé]fono|t[eé]l[eé]phone|t[eé]l|mobile|"
    r"mobil|mob|cell|cellphone|cellulare|handy|m[oó]vil|mobiel|telefoon|fax|call|called|"
    r"calling|dial|dialled|dialed|texted|texting|sms|whatsapp|contact|hotline|helpline|"
    r"pager|(?:(?:my|his|her|your|our|their|whose|new|private|personal)\s+|^)numbers?|nummer|numero|n[uú]mero|rufnummer|landline|office|desk|"
    r"extension|ext|voicemail|phoned|phoning|callback|answering|registered|dial-in|"
    r"(?:direct|main|support|private|personal|my|our|phone|help|land|service)[ -]?lines?|"
    r"(?:messages?|texts?|sms|whatsapp)(?=\s+(?:me|us|to|at|on)\b)|r[uü]ckruf|anrufen|"
    r"erreichbar|natel|appel|appeler|appelez|appelle[rz]?|rappel(?:er|ez)?|llamar|ll[aá]mame|"
    r"ll[aá]menos|chiamare|chiamami|bellen|bel|ligar|ligue|telem[oó]vel|contacto|contatto|"
    r"reach(?:ed|able)?(?=\s+(?:me|us|him|her|them|at|on|via|by|under)\b)"
)
_PHONE_CUE_BEFORE = re.compile(
    rf"\b(?:{_PHONE_WORDS})\b|(?:^|[\s,;/|])(?:t|m|p|ph|w|h|f|c|o|tel)\.?:\s*$", re.I
)
_PHONE_LABEL_LINE = re.compile(rf"\b(?:{_PHONE_WORDS})\b[^\w\n]*$", re.I)
_TRUNK_FIRST = re.compile(r"0[1-9]\d{7}")
# The "00" international prefix and a country code other than North America's, glued to
# the number ("0034806938208", "00441184960431"): how a number is stored in a CRM field or
# printed under a signature. "001" stays out, as a UPC written as an EAN-13 opens with it.
_IDD_FIRST = re.compile(r"00[2-9]\d{8,12}")
# Words of the product codes whose digits may open with "00" (an EAN-13, a GTIN-14).
_PRODUCT_CODE_WORDS = re.compile(r"\b(?:ean|gtin|upc|barcodes?|sku|isbn|gs1)\b", re.I)
_QUOTED = re.compile(r'"[^"\n]*"')
_LAST_DIGIT = re.compile(r"\d")
_EMAIL_BEFORE = re.compile(r"\w@[\w-]+\.\w")
_NAMED_IN_BRACKETS = re.compile(r"\b[A-Z][a-z]+ [(\[]$")
_PHONE_CUE_AFTER = re.compile(
    r"(?:[ /-]|\s?\()(?:office|fax|home|mobile|cell|work|direct|desk|phone|tel)\b(?![\"':])",
    re.I,
)
_PHONE_KEY_PARTS = frozenset(
    {"phone", "tel", "telephone", "mobile", "cell", "fax", "msisdn", "contact", "hotline"}
    | {"pager", "sms", "whatsapp", "telefon", "telefono", "handy", "oncall"}
)
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_TIME_KEY_PARTS = frozenset(
    {"ts", "time", "timestamp", "created", "updated", "modified", "expires", "exp", "iat"}
    | {"nbf", "epoch", "date", "at", "on", "since", "until", "seen", "when", "ms", "sec"}
)
_ID_KEY_PARTS = frozenset({"id", "ids", "uuid", "key", "seq", "serial", "ref", "no", "nr"})


def key_parts(key: str) -> list[str]:
    """The lowercase words of a field name: ``createdAt`` -> ``["created", "at"]``."""
    return [p for p in re.split(r"[_.\-]+", _CAMEL_BOUNDARY.sub("_", key).lower()) if p]


def field_key_before(text: str, start: int) -> list[str] | None:
    """The words of the key whose value starts at ``start`` (JSON, YAML, key=value)."""
    found = _KEY_BEFORE.search(text[max(0, start - 48) : start])
    return key_parts(found.group(1)) if found else None


def id_field(parts: list[str] | None) -> bool:
    """Whether a field named by ``parts`` (see :func:`key_parts`) holds an identifier."""
    return bool(parts) and parts is not None and parts[-1] in _ID_KEY_PARTS


def _is_timestamp(text: str, start: int, end: int) -> bool:
    """A bare 10 or 13 digit run in the unix-time range, next to a time word or field, or
    before a log level."""
    raw = text[start:end]
    if not raw.isdigit() or len(raw) not in (10, 13):
        return False
    seconds = int(raw) // (1000 if len(raw) == 13 else 1)
    if not _EPOCH_SECONDS[0] <= seconds < _EPOCH_SECONDS[1]:
        return False
    parts = field_key_before(text, start)
    if parts is not None and _TIME_KEY_PARTS & set(parts):
        return True
    before = text[max(0, start - 40) : start]
    after = text[end : end + PHONE_TIME_AFTER_CHARS]
    if _TIME_AFTER.search(after) or _LOG_LEVEL_AFTER.search(after):
        return True
    return bool(_TIME_BEFORE.search(before))


def _bare_without_cue(text: str, start: int, end: int) -> bool:
    """A run of digits alone (no "+", bracket, separator or extension: the shape of every
    id, count, size and epoch in technical text) with no word or field naming a phone
    around it, or the whole part of a decimal ("1645238366.553860")."""
    raw = text[start:end]
    if not raw.isdigit():
        return False
    if _DECIMAL_AFTER.match(text, end):
        return True
    if _TRUNK_FIRST.match(raw):
        return False  # ids seldom start with a 0: "0612345678" is the Dutch way to write it
    if _IDD_FIRST.fullmatch(raw) and not _product_code(text, start):
        return False  # "0034806938208": a number as an international call dials it
    parts = field_key_before(text, start)
    if parts is not None and _PHONE_KEY_PARTS & set(parts):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    # the words since the last digit: "customer 81, call 2125551234" but not
    # "call 81, customer 2125551234"
    before = _LAST_DIGIT.split(text[max(line_start, start - 48) : start])[-1]
    cue_after = text[end : end + PHONE_CUE_AFTER_CHARS]
    if _PHONE_CUE_BEFORE.search(before) or _PHONE_CUE_AFTER.match(cue_after):
        return False
    if "@" in before and _EMAIL_BEFORE.search(before):
        return False  # a contact's e-mail and number: "Anna, anna@example.com, 2025550147"
    if _NAMED_IN_BRACKETS.search(before):
        return False  # "Anna Cruz (2025550147)"
    # a label on the line before: "Phone:\n2025550147"
    previous = text[max(0, line_start - 24) : max(0, line_start - 1)].rsplit("\n", 1)[-1]
    if before.strip() == "" and _PHONE_LABEL_LINE.search(previous):
        return False
    return not _phone_column(text, line_start, start)


def _product_code(text: str, start: int) -> bool:
    """Whether the line of ``start`` or the first line of its block names a product code
    ("EAN", "GTIN", "SKU"): digits opening with "00" are then one."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    block_start = text.rfind("\n\n", 0, line_start)
    block_start = 0 if block_start < 0 else block_start + 2
    header_end = text.find("\n", block_start)
    return bool(
        _PRODUCT_CODE_WORDS.search(text, line_start, len(text) if line_end < 0 else line_end)
        or _PRODUCT_CODE_WORDS.search(
            text, block_start, len(text) if header_end < 0 else header_end
        )
    )


def _phone_column(text: str, line_start: int, start: int) -> bool:
    """Whether the value at ``start`` sits in a CSV or Markdown table column whose header
    (the first line of the block of lines it is in) names a phone."""
    prefix = _QUOTED.sub('""', text[line_start:start])
    delimiter = next((d for d in ",;\t|" if d in prefix), None)
    if delimiter is None:
        return False
    block_start = text.rfind("\n\n", 0, line_start)
    block_start = 0 if block_start < 0 else block_start + 2
    header = text[block_start : text.find("\n", block_start)].split(delimiter)
    column = prefix.count(delimiter)
    if column >= len(header) or block_start == line_start:
        return False
    return bool(_PHONE_KEY_PARTS & set(key_parts(header[column].strip(" \"'`*"))))


def labelled_not_phone(text: str, start: int, end: int) -> bool:
    """Whether the number at ``text[start:end]`` is a timestamp, a labelled identifier or
    credential code, an extension (it starts after an extension's label), the digits after
    a decimal point, or a bare digit run no phone word points to."""
    if _is_timestamp(text, start, end) or _DECIMAL_BEFORE.search(text[max(0, start - 2) : start]):
        return True
    if _bare_without_cue(text, start, end) or _DOTTED_AFTER.match(text, end):
        return True
    if _ID_LABEL.search(text[max(0, start - 32) : start]):
        return True
    if _TAX_OR_CARD_LABEL.search(text[max(0, start - 48) : start]):
        return True
    if _EXTENSION_BEFORE.search(text[max(0, start - 16) : start]):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    if _CREDENTIAL_CODES_LABEL.search(text, max(line_start, start - 160), start):
        return True
    return id_field(field_key_before(text, start))


def phone_plausible(raw: str, region: str) -> bool:
    """Whether a phonenumbers match in ``region`` reads as a phone number, not a guess.

    phonenumbers also accepts "4428-6468-3170" (as +44 28... with the "+" missing) and
    "9075-5931-6225" (after a Brazilian carrier prefix), the shapes of order numbers, and
    short matches such as "1688" inside longer digit runs. Rejected here:

    * fewer than 7 digits (an extension not counted);
    * dotted digit groups other than those of :func:`_dotted_plausible` (versions, IPv4
      addresses, dates);
    * two digit runs around a slash, the first without a trunk "0" (a count of a limit);
    * a country code read from digits without "+" or "00", except the "1" that North
      American numbers are dialled with ("1-202-555-0147", "1 (202) 555-0147"), which is
      their trunk prefix too;
    * leading digits dropped other than the region's trunk prefix ("0", "1");
    * digit groups that break the region's formatting, unless the trunk prefix is written.
    """
    try:
        number = phonenumbers.parse(raw, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return False
    digits = "".join(ch for ch in raw if ch.isdigit())
    if number.extension:
        digits = digits[: len(digits) - len(number.extension)]
        raw = _EXTENSION_TAIL.sub("", raw[: raw.rfind(number.extension)])
    trunk = phonenumbers.ndd_prefix_for_region(region, True) or ""
    source = number.country_code_source
    if source == _CCS.FROM_NUMBER_WITHOUT_PLUS_SIGN:
        written = _NANP_TRUNK.match(raw)
        if trunk != "1" or number.country_code != 1 or written is None:
            return False
        return phone_plausible(raw[written.end() :], region)
    if len(digits) < _MIN_PHONE_DIGITS:
        return False
    core = raw.strip().lstrip("([")
    if raw.count(")") > raw.count("(") or _DATE.match(core) or _IPV4.search(raw):
        return False  # "(index 87)  35030791 bytes", "04-07-2024 25", "02 10.0.3.1"
    core = core.rstrip(")]")  # "[0.757220489132019" is dotted too
    if _DOTTED_DIGITS.fullmatch(core) and not _dotted_plausible(core, trunk):
        return False
    if _COUNT_OF_LIMIT.fullmatch(core) and not core.startswith("0"):
        return False  # "api-usage=70674/15000", "1234/5000 requests": a count of a limit
    if source in (_CCS.FROM_NUMBER_WITH_PLUS_SIGN, _CCS.FROM_NUMBER_WITH_IDD):
        return True
    if source != _CCS.FROM_DEFAULT_COUNTRY:
        return False
    national = phonenumbers.national_significant_number(number)
    if not digits.endswith(national):
        return False
    leftover = digits[: len(digits) - len(national)]
    if leftover not in ("", trunk):
        return False
    return (trunk != "" and leftover == trunk) or _strictly_grouped(raw, region)


def _dotted_plausible(raw: str, trunk: str) -> bool:
    """Whether digit groups joined by dots read as a phone number in a region whose trunk
    prefix is ``trunk``: at most three groups of three digits or more ("202.555.0147",
    "030.1234567"), or a number written with its trunk prefix either in pairs
    ("01.47.68.71.78", the French way) or as area code and subscriber ("06.12345678").
    Versions ("3.11.4", "1.2.3.4"), IPv4 addresses, dates ("01.02.2024") and decimals
    ("0.5459864913") stay out."""
    groups = raw.split(".")
    if len(groups) == 3 and all(len(g) >= 3 for g in groups):
        return True
    if not trunk or not raw.startswith(trunk):
        return False
    pairs = len(groups) == 5 and all(len(g) == 2 for g in groups)
    area, subscriber = (len(groups[0]), len(groups[-1])) if len(groups) == 2 else (0, 0)
    # the area code follows the prefix: "0.5459864913" is a decimal, not "0" and a number
    return pairs or (len(trunk) < area <= 5 and 5 <= subscriber <= 8)


def _strictly_grouped(raw: str, region: str) -> bool:
    """Whether ``raw`` as a whole keeps the digit groups ``region`` formats numbers in."""
    matcher = phonenumbers.PhoneNumberMatcher(raw, region, leniency=_STRICT_GROUPING)
    return any(m.start == 0 and m.end >= len(raw.rstrip()) for m in matcher)


#: "00 49 ..." and "001-415-..." read as "+49 ..." and "+1-415-..." in any region.
_IDD_00 = re.compile(r"(?<![\w.+])00(?=[1-9])")

# Where phonenumbers can find a number we report. A match of its matcher is a candidate of
# its ``_PATTERN``: digit blocks with at most 4 punctuation characters between them (the
# letter x among them), then maybe an extension ("ext.", "int", "anexo", ...). Such a
# candidate never holds a newline nor an ASCII letter other than a, e, i, n, o, s, t, x:
# these "blockers" cut a text into stretches the matcher judges each on its own.
_BLOCKER = re.compile(r"[\nb-dfghj-mp-ru-wyzB-DFGHJ-MP-RU-WYZ]")
# Seven digits, at most four characters apart: phone_plausible wants 7 digits before the
# extension, all inside one candidate.
_SEVEN_DIGITS = re.compile(r"\d(?:[^\d\n]{0,4}\d){6}")
# The candidates phonenumbers' matchers try and how they cut one short (their own private
# patterns, so that the two cannot drift apart).
_MATCHER_CANDIDATE = phonenumbers.phonenumbermatcher._PATTERN
_SECOND_NUMBER = phonenumbers.phonenumberutil._SECOND_NUMBER_START_PATTERN
# Where a matcher looks for a number inside a candidate it cannot match whole (its
# ``_INNER_MATCHES``: a slash, a bracket, a dot, a space or a wide hyphen). A candidate
# without them is matched whole or not at all.
_INNER_BREAK = re.compile(r"[/(.\s\u2012-\u2015\uFF0D]")


def _windows(text: str, seeds: Iterator[re.Match[str]]) -> list[tuple[int, int]]:
    """Sorted, disjoint (start, end) of the stretches of ``text`` that hold a seed match,
    each widened by the blocker on either side (the matcher reads the character before and
    after a candidate). The matcher finds in such a window the matches it finds there in
    the whole text: no candidate crosses a blocker, so its search reaches the window's
    stretch in the same state. Only its cap of 65,535 failed candidates per text differs."""
    windows: list[tuple[int, int]] = []
    for seed in seeds:
        if windows and seed.start() < windows[-1][1]:
            if seed.end() <= windows[-1][1]:
                continue
            start = windows.pop()[0]
        else:
            start = seed.start()
            floor = windows[-1][1] if windows else 0
            while start > floor and not _BLOCKER.match(text, start - 1):
                start -= 1
            if start > floor:
                start -= 1  # the blocker before the stretch
            elif windows:
                start = windows.pop()[0]  # the stretch starts at the last window's blocker
        blocker = _BLOCKER.search(text, seed.end())
        windows.append((start, len(text) if blocker is None else blocker.end()))
    return windows


def _region_matches(
    matchers: _Matchers, low: int, high: int, region: str
) -> Iterator[tuple[int, int]]:
    """(start, end) in the text of the plausible matches of ``region``'s matcher in
    ``text[low:high]``."""
    text = matchers.text
    for match in matchers.matcher(low, high, region):
        raw, start = match.raw_string, low + match.start
        if not matchers.plausible(raw, region):
            # phonenumbers took a list item's "1" for a dialled one and looks no further
            item = _ITEM_ONE.match(raw)
            if item is None or not matchers.plausible(raw[item.end() :], region):
                continue
            raw, start = raw[item.end() :], start + item.end()
        yield start + _open_paren(raw), _extended(text, low + match.end)


def _idd_matches(text: str, low: int, high: int) -> Iterator[tuple[int, int]]:
    """(start, end) in ``text`` of the plausible numbers in ``text[low:high]`` written
    with the "00" international prefix ("0049 151 23456789", "001-415-555-0199").

    The prefix is region-dependent (the US dials 011): each "00" is rewritten to " +"
    (same length, so offsets hold) and the number is found whatever the regions. Only a
    "+" the rewrite wrote counts: "0+49 30 1234567" is the number "+49 30 1234567"."""
    part = text[low:high]
    rewritten = _IDD_00.sub(" +", part)
    for match in phonenumbers.PhoneNumberMatcher(rewritten, "ZZ", leniency=_VALID):
        if part[match.start] == "0" and phone_plausible(match.raw_string, "ZZ"):
            yield low + match.start - 1, _extended(text, low + match.end)


def _extended(text: str, end: int) -> int:
    """Where a number ending at ``end`` ends with the extension in parentheses after it."""
    extension = PAREN_EXTENSION.match(text, end)
    return end if extension is None else extension.end()


def _open_paren(raw: str) -> int:
    """1 if ``raw`` starts with a bracket it does not close: phonenumbers keeps the "(" of
    "(2025550147)" or the "[" of "[2025550147]" and drops the closing one; the number
    starts after it."""
    opening = raw[:1]
    closing = {"(": ")", "[": "]"}.get(opening)
    return int(closing is not None and raw.count(opening) > raw.count(closing))


def _never_reported(text: str, start: int, candidate: str) -> bool:
    """Whether no region's matcher can make a number we report of the candidate it tries
    at ``start`` (~85 % of the candidates in logs, CSV and configs, against ~0.3 ms of
    parsing each in ten regions).

    That holds for a candidate with fewer than 7 digits (:func:`phone_plausible` wants 7
    in what a matcher makes of it, whole or in part), and for one matched whole or not at
    all (no :data:`_INNER_BREAK` in it) whose spans as :func:`_region_matches` would report
    them are turned down by :func:`labelled_not_phone` (a bare id, a timestamp): the region
    changes neither the span nor that rule.

    After a part of a candidate, a matcher would go on searching inside the rest of it:
    its pattern, from any digit in a candidate, runs to the candidate's end (the digit
    blocks' limits bind only past 20 digits). It tries there only parts of what it passes
    over, so it goes on after the candidate as it does here."""
    if sum(ch.isdigit() for ch in candidate) < _MIN_PHONE_DIGITS:
        return True
    if _INNER_BREAK.search(candidate):
        return False
    end = _extended(text, start + len(candidate))
    if not labelled_not_phone(text, start + _open_paren(candidate), end):
        return False
    item = _ITEM_ONE.match(candidate)
    if item is None:
        return True
    rest = candidate[item.end() :]
    return labelled_not_phone(text, start + item.end() + _open_paren(rest), end)


# A candidate whose first digit or plus sign is a plus, with no letter (that phonenumbers
# could read as a digit or an extension's mark).
_PLUS_FIRST = re.compile(r"[^+\uff0b\d]*[+\uff0b][^a-zA-Z]*$")


def _read_alike_in_every_region(candidate: str) -> bool:
    """Whether every region's matcher reads ``candidate`` alike: a number written with "+"
    and a known country code after it. ``phonenumbers.parse`` reads such a number by its
    country code alone (the default region's metadata serves only an international
    prefix, looked for without "+", and a retry without the "+" after an unknown country
    code); the matcher's checks around the parse read the text and the number, never the
    region."""
    if not _PLUS_FIRST.match(candidate):
        return False
    digits = phonenumbers.normalize_digits_only(candidate)
    if digits[:1] in ("", "0"):
        return False
    codes = phonenumbers.COUNTRY_CODE_TO_REGION_CODE
    return any(int(digits[:size]) in codes for size in range(1, min(3, len(digits)) + 1))


class _Matchers:
    """phonenumbers' matchers over one text that pass over the candidates of
    :func:`_never_reported`, decided once per text for all regions.

    A matcher goes on after a candidate passed over as it would after parsing it (see
    :func:`_never_reported`): the matches left are those it finds, minus none we report.
    In logs, shell output, stack traces and HR records it parses 26-29 % of the candidates."""

    def __init__(self, text: str, *, skipping: bool = True) -> None:
        self.text, self.skipping = text, skipping
        self.skip: dict[tuple[int, str], bool] = {}
        #: What a matcher made of a candidate every region reads alike, by its place.
        self.international: dict[tuple[int, str], phonenumbers.PhoneNumberMatch | None] = {}
        #: phone_plausible of such a number, by the number and the region's trunk prefix.
        self.plausible_alike: dict[tuple[str, str], bool] = {}

    def never_reported(self, start: int, candidate: str) -> bool:
        """:func:`_never_reported`, once per candidate."""
        key = (start, candidate)
        skip = self.skip.get(key)
        if skip is None:
            skip = self.skip[key] = _never_reported(self.text, start, candidate)
        return skip

    def plausible(self, raw: str, region: str) -> bool:
        """:func:`phone_plausible`, once per text for a number every region reads alike
        (then only the region's trunk prefix matters, for dotted digit groups)."""
        if not (self.skipping and _read_alike_in_every_region(raw)):
            return phone_plausible(raw, region)
        key = (raw, phonenumbers.ndd_prefix_for_region(region, True) or "")
        known = self.plausible_alike.get(key)
        if known is None:
            known = self.plausible_alike[key] = phone_plausible(raw, region)
        return known

    def worth_matching(self, low: int, high: int) -> bool:
        """Whether ``text[low:high]`` holds a candidate not passed over (its candidates
        found as every matcher finds them when it matches none)."""
        window = self.text[low:high]
        found = _MATCHER_CANDIDATE.search(window)
        while found is not None:
            candidate = window[found.start() : found.end()]
            second = _SECOND_NUMBER.search(candidate)
            candidate = candidate if second is None else candidate[: second.start()]
            if not self.never_reported(low + found.start(), candidate):
                return True
            found = _MATCHER_CANDIDATE.search(window, found.start() + len(candidate))
        return False

    def matcher(self, low: int, high: int, region: str) -> phonenumbers.PhoneNumberMatcher:
        """``region``'s matcher over ``text[low:high]``, passing over what it can (unless
        made with ``skipping=False``, as the reference the tests compare with)."""
        if not self.skipping:
            return phonenumbers.PhoneNumberMatcher(self.text[low:high], region, leniency=_VALID)
        return _SkippingMatcher(self, low, high, region)


def _shortest_valid(metadata: phonenumbers.PhoneMetadata | None) -> int:
    """The fewest digits of a valid national number in ``metadata`` (all of them if None):
    ``is_valid_number`` wants the length among its general lengths."""
    every = (
        [metadata]
        if metadata is not None
        else [
            phonenumbers.PhoneMetadata.metadata_for_region(r)
            for r in phonenumbers.SUPPORTED_REGIONS
        ]
        + [
            phonenumbers.PhoneMetadata.metadata_for_nongeo_region(c)
            for c in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS
        ]
    )
    # a region without lengths is judged by its patterns alone: parse's floor of 2 then
    descs = [m.general_desc if m is not None else None for m in every]
    lengths = [n for d in descs for n in (d.possible_length if d is not None else ()) or (2,)]
    return max(2, min(n for n in lengths if n > 0))


#: The fewest digits of a valid number of any country (4: Austria, Germany, Niue, ...).
_SHORTEST_ANYWHERE = _shortest_valid(None)
#: :func:`_fewest_digits` by region, worked out on first use.
_FEWEST_DIGITS: dict[str, int] = {}
_PLUS_SIGNS = frozenset("+\uff0b")


def _fewest_digits(region: str) -> int:
    """The fewest letters and digits a candidate without a plus sign needs to be a valid
    number in ``region``'s matcher: the region's own shortest number, or another country's
    shortest after an international prefix and a country code (a digit each at least).

    A candidate holds at least the digits of the national number ``phonenumbers.parse``
    makes of it: a country code, an international or trunk prefix and a carrier code are
    cut off, letters stand for digits, and the regions whose trunk rule adds digits
    ("Jersey: 1534" before a local number) add them only to 5 digits or more."""
    own = _shortest_valid(phonenumbers.PhoneMetadata.metadata_for_region(region))
    return min(own, _SHORTEST_ANYWHERE + 2)


class _SkippingMatcher(phonenumbers.PhoneNumberMatcher):
    """A matcher that does not parse the candidates its :class:`_Matchers` passes over,
    nor those too short to be valid (mostly the pieces it tries inside a candidate: "0",
    "41", "")."""

    def __init__(self, matchers: _Matchers, low: int, high: int, region: str) -> None:
        super().__init__(matchers.text[low:high], region, leniency=_VALID)
        self._matchers, self._low = matchers, low
        self._fewest = _FEWEST_DIGITS.get(region) or _FEWEST_DIGITS.setdefault(
            region, _fewest_digits(region)
        )

    def _extract_match(self, candidate: str, offset: int) -> phonenumbers.PhoneNumberMatch | None:
        # the one place phonenumbers tries a candidate: a private method, pinned by the
        # equivalence check in bench/phone_cost.py
        if self._matchers.never_reported(self._low + offset, candidate):
            return None
        return super()._extract_match(candidate, offset)

    def _parse_and_verify(
        self, candidate: str, offset: int
    ) -> phonenumbers.PhoneNumberMatch | None:
        # where phonenumbers parses: not a candidate too short to be valid (VALID
        # leniency), and a number with "+" and a country code once per text for all
        # regions (see _read_alike_in_every_region)
        fewest = _SHORTEST_ANYWHERE if _PLUS_SIGNS.intersection(candidate) else self._fewest
        if sum(ch.isalnum() for ch in candidate) < fewest:
            return None
        if not _read_alike_in_every_region(candidate):
            return super()._parse_and_verify(candidate, offset)
        key, known = (self._low + offset, candidate), self._matchers.international
        if key not in known:
            known[key] = super()._parse_and_verify(candidate, offset)
        return known[key]


def _candidates(text: str, regions: tuple[str, ...]) -> Iterator[tuple[int, int, str]]:
    """(start, end, region) of every plausible phonenumbers match in ``text``, "ZZ" for a
    number written with the "00" prefix.

    The matchers (one per region, ~1 ms per KB of prose together) read only the stretches
    that hold seven digits close together, or a "00" prefix (see :func:`_windows`), and
    that hold a candidate they need to parse (see :class:`_Matchers`); they find there
    what they find in the whole text, and elsewhere nothing we report."""
    matchers = _Matchers(text)
    seeded = _windows(text, _SEVEN_DIGITS.finditer(text))
    windows = [(low, high) for low, high in seeded if matchers.worth_matching(low, high)]
    for region in regions:
        for low, high in windows:
            for start, end in _region_matches(matchers, low, high, region):
                yield start, end, region
    for low, high in _windows(text, _IDD_00.finditer(text)) if "00" in text else ():
        for start, end in _idd_matches(text, low, high):
            yield start, end, "ZZ"


class RegionPhoneRecognizer(pr.PhoneRecognizer):
    """Presidio's phone recognizer over ``supported_regions``, minus guesses and ids."""

    #: Texts analysed so far (the matcher is the costliest recognizer on text with digits).
    texts_analysed = 0

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Phone numbers in ``text`` that read as phone numbers in one of the regions."""
        self.texts_analysed += 1
        entity = self.supported_entities[0]
        results: list[RecognizerResult] = []
        for start, end, region in _candidates(text, tuple(self.supported_regions)):
            if labelled_not_phone(text, start, end):
                continue
            explanation = AnalysisExplanation(
                recognizer=type(self).__name__,
                original_score=self.SCORE,
                textual_explanation=f"phone number valid in region {region}",
            )
            results.append(
                RecognizerResult(
                    entity_type=entity,
                    start=start,
                    end=end,
                    score=self.SCORE,
                    analysis_explanation=explanation,
                    recognition_metadata={},  # the analyzer fills in name and id
                )
            )
        deduplicated: list[RecognizerResult] = EntityRecognizer.remove_duplicates(results)
        return deduplicated
