"""The Presidio recognizers the PII detector registers, one factory per entity type.

Mostly Presidio's own, built for the configured language, with three replacements:

* ``OfflineEmailRecognizer``: Presidio's ``EmailRecognizer`` validates domains with
  ``tldextract.extract``, whose module-level extractor fetches the public suffix list over
  HTTP on first use (with no network that stalls and prints tracebacks). Ours has no
  suffix-list URLs and no cache directory, so it only ever reads the snapshot bundled with
  tldextract.
* ``StrictPhoneRecognizer``: phonenumbers with strict digit grouping, minus the matches
  that are guesses (see :func:`phone_plausible`).
* the credit card pattern also covers Mastercard's 2-series, and card numbers written
  with dots between the groups.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers
import tldextract
from presidio_analyzer import (
    AnalysisExplanation,
    EntityRecognizer,
    Pattern,
    RecognizerResult,
)
from presidio_analyzer import predefined_recognizers as pr
from presidio_analyzer.nlp_engine import NlpArtifacts

from detectors.errors import DetectorConfigError
from detectors.settings import PiiSettings

RecognizerFactory = Callable[[PiiSettings], EntityRecognizer]


class OfflineEmailRecognizer(pr.EmailRecognizer):
    """Presidio's e-mail recognizer with a tldextract that never touches the network."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language)
        self._tld = tldextract.TLDExtract(
            cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True
        )

    def validate_result(self, pattern_text: str) -> bool:
        """True if the domain ends in a known public suffix (bundled snapshot only)."""
        return self._tld(pattern_text).fqdn != ""


_DOTTED_DIGITS = re.compile(r"\d+(?:\.\d+)+")
_MIN_PHONE_DIGITS = 7
_CCS = phonenumbers.CountryCodeSource


def phone_plausible(raw: str, region: str) -> bool:
    """Whether a phonenumbers match in ``region`` reads as a phone number, not a guess.

    phonenumbers also accepts "4428-6468-3170" (as +44 28... with the "+" missing) and
    "9075-5931-6225" (after a Brazilian carrier prefix), the shapes of order numbers, and
    short matches such as "1688" inside longer digit runs. Rejected here:

    * fewer than 7 digits;
    * dotted digit groups with a group shorter than 3 digits, or four groups (versions,
      IPv4 addresses);
    * a country code read from digits without "+" or "00";
    * leading digits dropped other than the region's trunk prefix ("0", "1").
    """
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) < _MIN_PHONE_DIGITS:
        return False
    if _DOTTED_DIGITS.fullmatch(raw):
        groups = raw.split(".")
        if len(groups) > 3 or any(len(g) < 3 for g in groups):
            return False
    try:
        number = phonenumbers.parse(raw, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return False
    source = number.country_code_source
    if source in (_CCS.FROM_NUMBER_WITH_PLUS_SIGN, _CCS.FROM_NUMBER_WITH_IDD):
        return True
    if source != _CCS.FROM_DEFAULT_COUNTRY:
        return False
    national = phonenumbers.national_significant_number(number)
    if not digits.endswith(national):
        return False
    leftover = digits[: len(digits) - len(national)]
    return leftover in ("", phonenumbers.ndd_prefix_for_region(region, True) or "")


class StrictPhoneRecognizer(pr.PhoneRecognizer):
    """Presidio's phonenumbers-based recognizer minus the guesses (see phone_plausible)."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Phone numbers in ``text`` that read as phone numbers in one of the regions."""
        entity = self.supported_entities[0]
        leniency = self.leniency if self.leniency is not None else 1
        results: list[RecognizerResult] = []
        for region in self.supported_regions:
            matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency)
            for match in matcher:
                if not phone_plausible(match.raw_string, region):
                    continue
                explanation = AnalysisExplanation(
                    recognizer=type(self).__name__,
                    original_score=self.SCORE,
                    textual_explanation=f"phone number valid in region {region}",
                )
                results.append(
                    RecognizerResult(
                        entity_type=entity,
                        start=match.start,
                        end=match.end,
                        score=self.SCORE,
                        analysis_explanation=explanation,
                        recognition_metadata={},  # the analyzer fills in name and id
                    )
                )
        deduplicated: list[RecognizerResult] = EntityRecognizer.remove_duplicates(results)
        return deduplicated


def _phone(settings: PiiSettings) -> EntityRecognizer:
    unknown = sorted(set(settings.phone_regions) - phonenumbers.SUPPORTED_REGIONS)
    if unknown:
        raise DetectorConfigError(f"pii.phone_regions: unknown region(s) {unknown}")
    # STRICT_GROUPING (2): digit groups must follow the region's formatting rules, which
    # rejects most order and ticket numbers at no cost in recall on the evaluation set.
    return StrictPhoneRecognizer(
        supported_language=settings.language,
        supported_regions=settings.phone_regions,
        leniency=2,
    )


def _credit_card(settings: PiiSettings) -> EntityRecognizer:
    # Presidio's pattern predates Mastercard's 2-series (2221-2720); same shape, plus "2".
    pattern = Pattern(
        "All Credit Cards (weak, with Mastercard 2-series)",
        r"\b(?!1\d{12}(?!\d))((4\d{3})|(5[0-5]\d{2})|(2[2-7]\d{2})|(6\d{3})|(1\d{3})|(3\d{3}))"
        r"[- ]?(\d{3,4})[- ]?(\d{3,4})[- ]?(\d{3,5})\b",
        0.3,
    )
    # "4111.1111.1111.1111" reads as a card number too; only the card layouts (4-4-4-4,
    # Amex 4-6-5) with dots, so versions and addresses stay out. Luhn still decides.
    dotted = Pattern(
        "Credit Cards with dots between groups",
        r"\b(?:(?:4\d{3}|5[0-5]\d{2}|2[2-7]\d{2}|6\d{3})(?:\.\d{4}){3}|3[47]\d{2}\.\d{6}\.\d{5})\b",
        0.3,
    )
    return pr.CreditCardRecognizer(
        supported_language=settings.language,
        patterns=[pattern, dotted],
        replacement_pairs=[("-", ""), (" ", ""), (".", "")],
    )


def _simple(cls: Callable[..., EntityRecognizer]) -> RecognizerFactory:
    return lambda settings: cls(supported_language=settings.language)


PATTERN_RECOGNIZERS: dict[str, RecognizerFactory] = {
    "EMAIL_ADDRESS": lambda s: OfflineEmailRecognizer(supported_language=s.language),
    "PHONE_NUMBER": _phone,
    "CREDIT_CARD": _credit_card,
    "IBAN_CODE": _simple(pr.IbanRecognizer),
    "IP_ADDRESS": _simple(pr.IpRecognizer),
    "US_SSN": _simple(pr.UsSsnRecognizer),
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
