"""Entity-type names a policy may use: the detectors' vocabulary plus group aliases.

A rule lists entity types to match. Besides every type the detectors report (see
:mod:`detectors.entities`) and the types of the policy's own custom recognizers, it may use
a group alias that stands for several types, so a pack can say "any secret" once and
keep working when the secrets detector learns a new kind of key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from detectors.entities import SECRET_ENTITY_TYPES, SUPPORTED_PII_ENTITY_TYPES

#: Every entity type the built-in detectors can report.
BUILTIN_ENTITY_TYPES: Final = SUPPORTED_PII_ENTITY_TYPES | SECRET_ENTITY_TYPES

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

#: Ways to reach a person directly.
CONTACT_ENTITY_TYPES: Final = frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER"})

#: Group alias → the entity types it stands for. Aliases are upper case like entity types.
ENTITY_GROUPS: Final[Mapping[str, frozenset[str]]] = {
    "SECRETS": SECRET_ENTITY_TYPES,
    "NATIONAL_IDS": NATIONAL_ID_ENTITY_TYPES,
    "FINANCIAL": FINANCIAL_ENTITY_TYPES,
    "CONTACT": CONTACT_ENTITY_TYPES,
    "PII": SUPPORTED_PII_ENTITY_TYPES,
}


def expand_entity_types(names: Iterable[str]) -> frozenset[str]:
    """The entity types ``names`` stand for, group aliases expanded."""
    expanded: set[str] = set()
    for name in names:
        expanded |= ENTITY_GROUPS.get(name, frozenset({name}))
    return frozenset(expanded)


def unknown_entity_types(names: Iterable[str], custom: Iterable[str]) -> list[str]:
    """The names that are neither a built-in type, a group alias nor one of ``custom``."""
    known = BUILTIN_ENTITY_TYPES | set(ENTITY_GROUPS) | set(custom)
    return sorted({name for name in names if name not in known})
