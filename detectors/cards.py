"""Payment card numbers: every issuer length from 12 to 19 digits, never a decimal's digits.

:class:`CardRecognizer` is Presidio's credit card recognizer with

* patterns for 12-19 digits, plain or in groups separated by one kind of separator
  (space, hyphen, or dot for the 4-4-4-4 and Amex layouts);
* validation by issuer prefix and length (:func:`detectors.checks.card_issuer`) as well
  as the Luhn check digit;
* what is not a card left out: the digits after a decimal point ("0.4532015112830366"),
  the value of an id field (``"order_id": 4532015112830366``, ``?id=...``), and - for the
  lengths other than 15 and 16 digits, which are also the lengths of account, order and
  cloud account ids - numbers without a card word nearby ("card", "visa", "paid", ...).

Digit runs glued to letters, to "#" or inside URL paths are dropped for every pattern type
by the PII detector itself (``detectors.pii``).
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer import predefined_recognizers as pr
from presidio_analyzer.nlp_engine import NlpArtifacts

from detectors.checks import (
    CARD_ROW_SEPARATORS,
    CARD_WORD_AFTER_CHARS,
    needs_card_word,
    valid_card_digits,
)
from detectors.phones import field_key_before, id_field

_PATTERNS = (
    Pattern("Card number, 12-19 digits", r"\b\d{12,19}\b", 0.3),
    # 4-4-4-4, 4-6-5, 4-4-4-4-3, 4-4-4, 4-4-5 ...: groups of 2-7 digits after the first 4.
    Pattern("Card number in groups", r"\b\d{4}([ -])\d{2,7}(?:\1\d{1,7}){1,3}\b", 0.3),
    Pattern(
        "Card number with dots between groups",
        r"\b(?:\d{4}(?:\.\d{4}){3}(?:\.\d{3})?|3[47]\d{2}\.\d{6}\.\d{5})\b",
        0.3,
    ),
)

_CARD_WORDS = re.compile(
    r"\b(?:cards?|credit|debit|visa|master ?card|maestro|amex|american express|discover|"
    r"jcb|diners|unionpay|mir|cc|pan|paid|pay|payment|charged?|cardholder|expir\w*|exp|"
    r"cvv2?|cvc2?|billing|billed|creditcard|bankcard|karte|kreditkarte|kartennummer|carte|"
    r"tarjeta|carta|kaart|"
    # other languages' words for the card and for paying with it
    r"cart[ãa]o|cart[õo]es|karta|kart[ęąy]|kredytow\w*|kortet|kortnummer|"
    r"kaartnummer|bezahlt|pagad[oa]|pag[óo]|pay[ée]e?|betaald|betalt|zap[łl]acon\w*)\b"
    # a compound that ends in a card word, as German, Dutch and Swedish make them
    # ("Firmenkreditkarte", "bedrijfscreditcard"); a bare "kort" is left out (Dutch for
    # "short"), and so is a bare "-karte" ending ("Landkarte" is a map)
    r"|\B(?:kreditkarten?|kartennummer|creditcard|kaartnummer|kreditkort|betalkort)\b"
    # Albanian and Turkish forms of "card" that the words above do not spell ("kartën",
    # "kartës", "kartelë"; Turkish's "kart" with its suffixes: "my card", "from my card")
    r"|\b(?:kart[ëe]n|kart[ëe]s|kartel[ëe]|kart|kart(?:ım?|ımdan|ımla|ımı|ını|ından|la|tan|ta))\b"
    # Russian, Ukrainian and Greek cases of "karta"/"kartka" ("картина", a painting, and
    # "картель" are not among them)
    r"|\b(?:карт(?:а|у|ы|ой|е|ою|к[аиуое]|кою)|κάρτ(?:α|ας|ες))\b"
    # The card's word in other scripts, matched as a stem: suffixes and prefixes glue to it
    # ("बैंक कार्ड", Tamil "கார்டில்" in the card, Arabic "بطاقتي" my card, "بالبطاقة"), and
    # a script's combining vowel signs are no word characters for ``\b``. Hindi/Urdu/Persian
    # loans of "card" (not Bengali: the held-out part's languages are never tuned on), Tamil
    # "attai", Arabic "bitaqa", Hebrew "kartis", Thai "bat", Korean and Japanese "kadeu" and
    # "kaado", Chinese bank/credit card, card number.
    r"|कार्ड|کارڈ|کارت|கார்ட|அட்டை|بطاق[ةت]|כרטיס|บัตร"
    r"|카드|カード|信用卡|银行卡|銀行卡|卡号|卡號",
    re.I,
)
# Card words inside identifiers count too ("card_number", "ccNumber", "creditCardNo"):
# "_" and a lower-to-upper case change become word boundaries before matching.
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")
# A label that makes the digits after it an identifier, whatever their checksum.
_ID_LABEL = re.compile(
    r"\b(?:order|invoice|ticket|id|transaction|txn|tracking|case|receipt|"
    r"confirmation|account|acct|customer|member|shipment|parcel|serial|request|trace|batch)"
    r"(?:\s*(?:number|no\.?|nr\.?|num|#|id))?\s*[:#=]?\s*#?$",
    re.I,
)
# A card named earlier in the same clause as an id label, nothing but words between: "the
# card ending we discussed is on the order: N" tells the card's number under the label;
# "Paid by card, order no. N" (a comma between) lists the order's own.
_CARD_IN_CLAUSE = re.compile(
    r"\b(?:cards?|credit ?card|debit ?card|visa|master ?card|maestro|amex|american express|"
    r"karte|kreditkarte|carte|tarjeta|carta|kaart)\b[^,;.:!?|\n\t()]{0,48}$",
    re.I,
)
_CONTEXT_CHARS = 48
_HEADER_LINES = 200
_DECIMAL_BEFORE = re.compile(r"\d\.$")
#: Characters after a number read for a decimal point and digit ("4532015112830366.5" is a
#: decimal): a stream holds the number's run with a point after it (``number_run``).
CARD_DECIMAL_AFTER_CHARS = 2
_DECIMAL_AFTER = re.compile(r"^\.\d")


def _has_card_word(window: str) -> bool:
    return bool(_CARD_WORDS.search(_CAMEL_BOUNDARY.sub(" ", window).replace("_", " ")))


def not_a_card(text: str, start: int, end: int) -> bool:
    """Whether the digits at ``text[start:end]`` are part of a decimal, follow an id label
    ("transaction", "order no.") in a clause that names no card, or are an id field's value
    (a field named for a card, ``card_no`` or ``ccNumber``, holds a card)."""
    if _DECIMAL_BEFORE.search(text[max(0, start - 2) : start]):
        return True
    if _DECIMAL_AFTER.match(text[end : end + CARD_DECIMAL_AFTER_CHARS]):
        return True
    head_start = max(0, start - 32)
    label = _ID_LABEL.search(text[head_start:start])
    if label is not None and not _card_in_clause(text, head_start + label.start()):
        return True  # "transaction 6487264602691043803", "order no. ..."
    key = field_key_before(text, start)
    return id_field(key) and key is not None and not _has_card_word(" ".join(key))


def _card_in_clause(text: str, label_start: int) -> bool:
    """Whether the clause that ends at an id label named a card before it: then the digits
    after the label are the card's ("the card we discussed is on the order: N")."""
    return _CARD_IN_CLAUSE.search(text[max(0, label_start - 64) : label_start]) is not None


# "the number" right before the digits: the card is then the one the sentence named before
# ("Kreditkarte der Abteilung ... endet nicht mehr auf dem alten Stand, neue Nummer N").
_NUMBER_BEFORE = re.compile(
    r"(?i)(?<![^\W\d_])(?:number|nummer|número|numero|numéro|numer|nr\.?|no\.?|nº)"
    r"[ \t]*[:#]?[ \t]*$"
)
_SENTENCE_CHARS = 160  # characters before the number word read for the sentence's card
_SENTENCE_END = re.compile(r"[!?\n]|\.(?=\s)")


def _card_earlier_in_sentence(text: str, start: int) -> bool:
    """Whether a number word stands right before the digits and a card word earlier in the
    same sentence (text before the digits only: a stream has it when the digits arrive)."""
    number = _NUMBER_BEFORE.search(text[max(0, start - 16) : start])
    if number is None:
        return False
    head = text[max(0, start - _SENTENCE_CHARS) : start - len(number[0])]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    return _has_card_word(head[ends[-1] if ends else 0 :])


def card_context(text: str, start: int, end: int) -> bool:
    """Whether a card word is within a few words of ``text[start:end]``, or earlier in its
    sentence with "number" right before the digits, or heads its column in a table (CSV,
    TSV, Markdown)."""
    after = text[end : end + CARD_WORD_AFTER_CHARS]
    window = text[max(0, start - _CONTEXT_CHARS) : start] + " " + after
    if _has_card_word(window) or _card_earlier_in_sentence(text, start):
        return True
    header = column_header(text, start)
    return header is not None and _has_card_word(header)


def column_header(text: str, start: int) -> str | None:
    """The header of the table column that ``text[start]`` is in: the first of the lines
    above (up to :data:`_HEADER_LINES`) that split into as many fields with the same
    separator. None if the line is not a row of a table."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    separator = next((s for s in CARD_ROW_SEPARATORS if s in line), None)
    if separator is None:
        return None
    fields, column = line.count(separator), text.count(separator, line_start, start)
    row_start = line_start
    header = None
    for _ in range(_HEADER_LINES):
        if line_start == 0:
            break
        previous = text.rfind("\n", 0, line_start - 1) + 1
        candidate = text[previous : line_start - 1]
        if candidate.count(separator) != fields:
            break
        header, line_start = candidate, previous
    if header is not None:
        return header.split(separator)[column]
    return _header_under_extra_separators(text, row_start, separator, fields, column)


def _header_under_extra_separators(
    text: str, row_start: int, separator: str, fields: int, column: int
) -> str | None:
    """The header cells a cell may sit under when its row has more separators than its
    header: unquoted commas inside a name or an amount ("Aliyev, Mohinurova and Abdumalikov",
    "INR 28,776.15") shift the cells after them right. The header is the nearest line above,
    through the rows of the table (lines with the separator and digits), that has the
    separator and no digit; the
    cell's own column and those up to the extra count to its left are joined. None if there
    is no such header (a line without the separator, or one without digits that has as
    many separators as the row, comes first)."""
    line_start = row_start
    for _ in range(_HEADER_LINES):
        if line_start == 0:
            return None
        previous = text.rfind("\n", 0, line_start - 1) + 1
        candidate = text[previous : line_start - 1]
        count = candidate.count(separator)
        if count == 0:
            return None
        if not any(ch.isdigit() for ch in candidate):
            if count >= fields:
                return None  # the exact header, read above, or a row of words
            cells = candidate.split(separator)
            extra = fields - count
            return " ".join(cells[max(0, column - extra) : min(column, count) + 1])
        line_start = previous
    return None


class CardRecognizer(pr.CreditCardRecognizer):
    """Card numbers of every issuer length, checked by prefix, length and Luhn."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            patterns=list(_PATTERNS),
            supported_language=supported_language,
            replacement_pairs=[("-", ""), (" ", ""), (".", "")],
        )

    def validate_result(self, pattern_text: str) -> bool:
        """True if the digits have a card issuer's prefix and length and pass Luhn."""
        digits = EntityRecognizer.sanitize_value(pattern_text, self.replacement_pairs)
        return valid_card_digits(digits)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Validated card numbers in ``text``, minus decimals, ids and unlabelled odd lengths."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        kept: list[RecognizerResult] = []
        for result in results:
            start, end = result.start, result.end
            if not_a_card(text, start, end):
                continue
            digits = "".join(ch for ch in text[start:end] if ch.isdigit())
            if needs_card_word(digits) and not card_context(text, start, end):
                continue
            kept.append(result)
        deduplicated: list[RecognizerResult] = EntityRecognizer.remove_duplicates(kept)
        return deduplicated
