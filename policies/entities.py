"""Entity-type names a policy may use: the detectors' vocabulary plus group aliases.

A rule lists entity types to match. Besides every type the detectors report (see
:mod:`detectors.entities`) and the types of the policy's own custom recognizers, it may use
a group alias that stands for several types, so a pack can say "any secret" once and
keep working when the secrets detector learns a new kind of key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from detectors.entities import (
    CONTACT_ENTITY_TYPES,
    FINANCIAL_ENTITY_TYPES,
    NATIONAL_ID_ENTITY_TYPES,
    SECRET_ENTITY_TYPES,
    SUPPORTED_PII_ENTITY_TYPES,
)

#: Every entity type the built-in detectors can report.
BUILTIN_ENTITY_TYPES: Final = SUPPORTED_PII_ENTITY_TYPES | SECRET_ENTITY_TYPES

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
