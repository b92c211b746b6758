"""The Presidio recognizers the PII detector registers, one factory per entity type.

Mostly Presidio's own, built for the configured language, with four replacements:

* ``OfflineEmailRecognizer``: Presidio's ``EmailRecognizer`` validates domains with
  ``tldextract.extract``, whose module-level extractor fetches the public suffix list over
  HTTP on first use (with no network that stalls and prints tracebacks). Ours has no
  suffix-list URLs and no cache directory, so it only ever reads the snapshot bundled with
  tldextract; the ``user@host`` of ``ssh``/``scp``/``git clone`` is a login, not an
  e-mail; and an address a form body or query string URL-encoded (``ann%40corp.io``) is
  an address.
* :class:`detectors.phones.RegionPhoneRecognizer`: phone numbers by region, minus guesses,
  timestamps and labelled ids.
* :class:`detectors.cards.CardRecognizer`: card numbers of every issuer length (12-19),
  never the digits of a decimal number or an id field.
* :class:`detectors.ibans.IbanRecognizer`: Presidio's, and an IBAN typed in lower case.

* :class:`SsnRecognizer`: Presidio's, and nine bare digits that a key or a table column
  names an SSN ("ssn": "004339288", ``name|ssn|plan``): Presidio scores them 0.05 and its
  context words reach only a few words back, never a column's header.

and one that only skips work: :class:`IpAddressRecognizer` runs Presidio's IPv6 patterns
only on a text where they can match.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers
import tldextract
from presidio_analyzer import (
    AnalysisExplanation,
    EntityRecognizer,
    RecognizerResult,
)
from presidio_analyzer import predefined_recognizers as pr
from presidio_analyzer.nlp_engine import NlpArtifacts

from detectors.cards import CardRecognizer
from detectors.errors import DetectorConfigError
from detectors.ibans import IbanRecognizer
from detectors.phones import RegionPhoneRecognizer
from detectors.pii_filters import email_start, remote_login
from detectors.settings import PiiSettings

RecognizerFactory = Callable[[PiiSettings], EntityRecognizer]


# An address with its "@" URL-encoded, as a form body or query string carries it.
_URL_ENCODED_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._+-]*%40((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w.-])"
)


class OfflineEmailRecognizer(pr.EmailRecognizer):
    """Presidio's e-mail recognizer with a tldextract that never touches the network."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language)
        self._tld = tldextract.TLDExtract(
            cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True
        )

    def validate_result(self, pattern_text: str) -> bool:
        """True if the domain ends in a known public suffix (bundled snapshot only); the
        address alone is read, not a query's earlier parameters ("?team=7&email="), and
        what follows its "@" must be such a domain too: a map link's ".../place/@48.85,2.29"
        is read by tldextract as the URL of www.google.com, and holds no address."""
        address = pattern_text[email_start(pattern_text, 0, len(pattern_text)) :]
        return self._domain(address) and self._domain(address.rpartition("@")[2])

    def _domain(self, domain: str) -> bool:
        return self._tld(domain).fqdn != ""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """E-mail addresses in ``text``, less the ``user@host`` of a remote login command
        (``ssh deploy@build.corp.io``: see :func:`detectors.pii_filters.remote_login`).

        Presidio's local part admits ``|`` and a backtick, which in text delimit table cells
        and code ("|Jira|ann@corp.io|"), never a mailbox: a match starts after the last."""
        results: list[RecognizerResult] = super().analyze(
            text, entities, nlp_artifacts, regex_flags
        )
        for result in results:
            at = text.find("@", result.start, result.end)
            cut = max(text.rfind("|", result.start, at), text.rfind("`", result.start, at))
            if 0 <= cut < at - 1:
                result.start = cut + 1
        if "%40" in text and "EMAIL_ADDRESS" in entities:
            results.extend(self._url_encoded(text))
        return [r for r in results if not remote_login(text, r.start)]

    def _url_encoded(self, text: str) -> list[RecognizerResult]:
        """Addresses a form body or query string carries URL-encoded ("ann%40corp.io"):
        the same address to whoever reads the request."""
        return [
            RecognizerResult(
                "EMAIL_ADDRESS",
                match.start(),
                match.end(),
                self.MAX_SCORE,
                AnalysisExplanation(
                    type(self).__name__,
                    self.MAX_SCORE,
                    pattern_name="Email (URL-encoded)",
                    pattern=_URL_ENCODED_EMAIL.pattern,
                ),
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for match in _URL_ENCODED_EMAIL.finditer(text)
            if self._domain(match.group(1))
        ]


# Two colons with at most four hex digits between them ("::", ":db8:"): every match of
# Presidio's patterns other than "IPv4" holds such a pair (each is "::", or hex groups of
# 1-4 digits joined by colons, with at least two colons), so a text without one has none.
_COLON_PAIR = re.compile(r":[0-9A-Fa-f]{0,4}:")


class IpAddressRecognizer(pr.IpRecognizer):
    """Presidio's IP recognizer, with its IPv6 patterns (whose regexes are most of its cost)
    run only on a text with a colon pair they need (``_COLON_PAIR``): the same results."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language)
        # The same recognizer (name, id, context, validation) with the IPv4 pattern alone.
        self._ipv4_only = pr.IpRecognizer(
            patterns=[p for p in self.PATTERNS if p.name == "IPv4"],
            supported_language=supported_language,
            name=type(self).__name__,  # Presidio's default name, as ours has
        )
        self._ipv4_only._id = self._id  # its results are ours (context words, metadata)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """IPv4 and IPv6 addresses in ``text``."""
        recognizer = self if _COLON_PAIR.search(text) else self._ipv4_only
        results: list[RecognizerResult] = pr.IpRecognizer.analyze(
            recognizer, text, entities, nlp_artifacts, regex_flags
        )
        return results


# Keys and column headers that name a US social security number ("SSN", "social_security",
# "Social Security No.", "ss_number", "SS#", "Social Security #"), in English or as Spanish
# and French forms name it ("número de seguro social", "n° de sécurité sociale").
_SSN_KEY = (
    r"(?:ssn|ss[_ ]?(?:no|num|number)|social[_ -]?security(?:[_ -]?(?:no|num|number))?\.?"
    r"|ssn[ \t]?#|ss[ \t]?#|social[_ -]security[ \t]?#"
    r"|seguro[ \t]social|s[eé]curit[eé][ \t]sociale)"
)
_SSN_HEADER = re.compile(rf"[\s\"'`*]*{_SSN_KEY}[\s\"'`*:]*", re.I)
# The key right before a value: 'ssn=004339288', '"ssn": "004339288"', 'SSN: 004339288',
# 'SS# 613688216'.
_SSN_KEY_BEFORE = re.compile(rf"(?<!\w){_SSN_KEY}[\"']?[ \t]*(?:(?<=#)|[:=])[ \t]*[\"']?\Z", re.I)
_CELL_SEPARATORS = ",;\t|^"
_RULE_CHARS = " -:=+"
_BARE_SSN = re.compile(r"\d{9}")
# A labelled SSN's score: above the policies' cut (0.4), below a formatted one's context-aided.
_LABELLED_SSN_SCORE = 0.6


def labelled_ssn(text: str, start: int) -> bool:
    """Whether the value at ``start`` follows a key naming an SSN or sits in a column (CSV,
    TSV, pipes, carets) whose header, the nearest line above without digits in that column
    (a markdown table's rule skipped), names one."""
    line_start = text.rfind("\n", 0, start) + 1
    if _SSN_KEY_BEFORE.search(text[max(line_start, start - 40) : start]):
        return True
    prefix = text[line_start:start]
    separator = next((c for c in _CELL_SEPARATORS if c in prefix), None)
    if separator is None:
        return False
    column = prefix.count(separator)
    at = line_start - 1
    for _ in range(50):  # rows above, up to the header
        if at <= 0:
            return False
        above_start = text.rfind("\n", 0, at) + 1
        cells = text[above_start:at].split(separator)
        at = above_start - 1
        if len(cells) <= column:
            return False
        cell = cells[column]
        if cell.strip() and not cell.strip(_RULE_CHARS):
            continue  # a markdown table's rule under its header ("|---|:--:|")
        if not any(c.isdigit() for c in cell):
            return bool(_SSN_HEADER.fullmatch(cell))
    return False


class SsnRecognizer(pr.UsSsnRecognizer):
    """Presidio's US SSN recognizer; nine bare digits a key or a column header names an SSN
    (:func:`labelled_ssn`) score :data:`_LABELLED_SSN_SCORE`."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """SSNs in ``text``."""
        results: list[RecognizerResult] = super().analyze(
            text, entities, nlp_artifacts, regex_flags
        )
        for result in results:
            if (
                result.score < _LABELLED_SSN_SCORE
                and _BARE_SSN.fullmatch(text, result.start, result.end)
                and labelled_ssn(text, result.start)
            ):
                result.score = _LABELLED_SSN_SCORE
        return results


def _phone(settings: PiiSettings) -> EntityRecognizer:
    unknown = sorted(set(settings.phone_regions) - phonenumbers.SUPPORTED_REGIONS)
    if unknown:
        raise DetectorConfigError(f"pii.phone_regions: unknown region(s) {unknown}")
    return RegionPhoneRecognizer(
        supported_language=settings.language, supported_regions=settings.phone_regions
    )


def _simple(cls: Callable[..., EntityRecognizer]) -> RecognizerFactory:
    return lambda settings: cls(supported_language=settings.language)


PATTERN_RECOGNIZERS: dict[str, RecognizerFactory] = {
    "EMAIL_ADDRESS": lambda s: OfflineEmailRecognizer(supported_language=s.language),
    "PHONE_NUMBER": _phone,
    "CREDIT_CARD": lambda s: CardRecognizer(supported_language=s.language),
    "IBAN_CODE": _simple(IbanRecognizer),
    "IP_ADDRESS": _simple(IpAddressRecognizer),
    "US_SSN": _simple(SsnRecognizer),
    "US_ITIN": _simple(pr.UsItinRecognizer),
    "US_PASSPORT": _simple(pr.UsPassportRecognizer),
    "US_DRIVER_LICENSE": _simple(pr.UsLicenseRecognizer),
    "US_BANK_NUMBER": _simple(pr.UsBankRecognizer),
    "UK_NHS": _simple(pr.NhsRecognizer),
    "UK_NINO": _simple(pr.UkNinoRecognizer),
    "ES_NIF": _simple(pr.EsNifRecognizer),
    "IT_FISCAL_CODE": _simple(pr.ItFiscalCodeRecognizer),
    "PL_PESEL": _simple(pr.PlPeselRecognizer),
    "FI_PERSONAL_IDENTITY_CODE": _simple(pr.FiPersonalIdentityCodeRecognizer),
    "IN_AADHAAR": _simple(pr.InAadhaarRecognizer),
    "IN_PAN": _simple(pr.InPanRecognizer),
    "SG_NRIC_FIN": _simple(pr.SgFinRecognizer),
    "AU_TFN": _simple(pr.AuTfnRecognizer),
    "CRYPTO": _simple(pr.CryptoRecognizer),
    "MEDICAL_LICENSE": _simple(pr.MedicalLicenseRecognizer),
    "MAC_ADDRESS": _simple(pr.MacAddressRecognizer),
    "URL": _simple(pr.UrlRecognizer),
}

# DATE_TIME has both a pattern recognizer and NER labels.
DATE_RECOGNIZER = _simple(pr.DateRecognizer)
