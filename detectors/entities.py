"""The entity-type vocabulary shared by detectors, settings and the policy engine.

Policy rules match findings by these names, so they are part of the user-facing contract:
keep them stable, add new ones freely. Custom recognizers declare their own types.
"""

from __future__ import annotations

from typing import Final

# --- PII (detector "presidio") --------------------------------------------------------------

# Recognised by spaCy NER (through Presidio's SpacyRecognizer).
NER_ENTITY_TYPES: Final = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION", "DATE_TIME"})

#: National identity and tax numbers.
NATIONAL_ID_ENTITY_TYPES: Final = frozenset(
    {
        "US_SSN",
        "US_ITIN",
        "US_PASSPORT",
        "US_DRIVER_LICENSE",
        "UK_NINO",
        "UK_NHS",
        "ES_NIF",
        "IT_FISCAL_CODE",
        "PL_PESEL",
        "FI_PERSONAL_IDENTITY_CODE",
        "IN_AADHAAR",
        "IN_PAN",
        "SG_NRIC_FIN",
        "AU_TFN",
    }
)

#: Payment and bank account data.
FINANCIAL_ENTITY_TYPES: Final = frozenset({"CREDIT_CARD", "IBAN_CODE", "US_BANK_NUMBER", "CRYPTO"})

EMAIL_ADDRESS: Final = "EMAIL_ADDRESS"

#: Ways to reach a person directly.
CONTACT_ENTITY_TYPES: Final = frozenset({EMAIL_ADDRESS, "PHONE_NUMBER"})

# Recognised by Presidio pattern recognizers (regex + checksum/validation where one exists).
PATTERN_PII_ENTITY_TYPES: Final = (
    CONTACT_ENTITY_TYPES
    | FINANCIAL_ENTITY_TYPES
    | NATIONAL_ID_ENTITY_TYPES
    | {"IP_ADDRESS", "MEDICAL_LICENSE", "MAC_ADDRESS", "URL"}
)

SUPPORTED_PII_ENTITY_TYPES: Final = NER_ENTITY_TYPES | PATTERN_PII_ENTITY_TYPES

# Enabled when the configuration does not say otherwise. Left out on purpose, because they
# fire on ordinary technical text (measured with bench/eval_detectors.py hard negatives):
#   DATE_TIME          - the small spaCy model labels bare numbers, ports and order numbers
#                        as dates; dates alone are rarely sensitive.
#   US_DRIVER_LICENSE  - matches short alphanumerics such as "v1" and 6-digit numbers.
#   US_BANK_NUMBER     - any 8-17 digit number (order ids, timestamps).
#   US_PASSPORT        - any 9 digit number; only meaningful with context words.
#   UK_NHS             - 10 digits with a mod-11 check that ~9% of random numbers (and US
#                        phone numbers written 3-3-4) pass.
#   URL, MAC_ADDRESS   - identifiers of machines and pages, not of people.
#   NRP, ORGANIZATION  - noisy with the small model; enable for stricter packs.
DEFAULT_PII_ENTITY_TYPES: Final[tuple[str, ...]] = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_SSN",
    "US_ITIN",
    "UK_NINO",
    "CRYPTO",
    "PERSON",
    "LOCATION",
)

# --- Secrets (detector "secrets") -----------------------------------------------------------

OPENAI_API_KEY: Final = "OPENAI_API_KEY"
ANTHROPIC_API_KEY: Final = "ANTHROPIC_API_KEY"
AWS_ACCESS_KEY_ID: Final = "AWS_ACCESS_KEY_ID"
AWS_SECRET_ACCESS_KEY: Final = "AWS_SECRET_ACCESS_KEY"  # noqa: S105 - an entity type name
GITHUB_TOKEN: Final = "GITHUB_TOKEN"  # noqa: S105 - an entity type name
GITLAB_TOKEN: Final = "GITLAB_TOKEN"  # noqa: S105 - an entity type name
SLACK_TOKEN: Final = "SLACK_TOKEN"  # noqa: S105 - an entity type name
SLACK_WEBHOOK_URL: Final = "SLACK_WEBHOOK_URL"
STRIPE_API_KEY: Final = "STRIPE_API_KEY"
GOOGLE_API_KEY: Final = "GOOGLE_API_KEY"
PRIVATE_KEY: Final = "PRIVATE_KEY"
JWT: Final = "JWT"
PASSWORD: Final = "PASSWORD"  # noqa: S105 - an entity type name
GENERIC_SECRET: Final = "GENERIC_SECRET"  # noqa: S105 - an entity type name

SECRET_ENTITY_TYPES: Final = frozenset(
    {
        OPENAI_API_KEY,
        ANTHROPIC_API_KEY,
        AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY,
        GITHUB_TOKEN,
        GITLAB_TOKEN,
        SLACK_TOKEN,
        SLACK_WEBHOOK_URL,
        STRIPE_API_KEY,
        GOOGLE_API_KEY,
        PRIVATE_KEY,
        JWT,
        PASSWORD,
        GENERIC_SECRET,
    }
)
"""Every entity type the secrets detector reports: a rule that means "any secret" matches
a finding whose ``entity_type`` is in this set."""
