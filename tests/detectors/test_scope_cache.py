"""The PII scope a scan asks for is cached per (configuration, entity set) and the cache
answers exactly what building the scope answers."""

from __future__ import annotations

import itertools

from detectors.entities import NER_ENTITY_TYPES, SUPPORTED_PII_ENTITY_TYPES
from detectors.pii_scope import pii_scope, wanted_types

CONFIGURED = tuple(sorted(SUPPORTED_PII_ENTITY_TYPES))
SCOPES: list[set[str] | None] = [
    None,
    set(),
    {"CREDIT_CARD"},
    {"CREDIT_CARD", "IBAN_CODE", "US_SSN"},
    {"PERSON", "EMAIL_ADDRESS"},
    set(NER_ENTITY_TYPES),
    set(CONFIGURED),
    {"NOT_A_TYPE", "CREDIT_CARD"},
]


def _built(configured: tuple[str, ...], entities: set[str] | None) -> frozenset[str] | None:
    scope = pii_scope(configured, entities)
    return None if scope.complete else scope.wanted


def test_cached_scope_equals_the_built_one_for_any_order_of_asking() -> None:
    """Asked twice, as a set, list or frozenset, the answer is the scope built afresh."""
    configurations = [CONFIGURED, CONFIGURED[:5], ("CREDIT_CARD", "PERSON")]
    for configured, entities in itertools.product(configurations, SCOPES):
        expected = _built(configured, entities)
        for _ in range(2):
            assert wanted_types(configured, entities) == expected
            assert wanted_types(list(configured), entities) == expected
            frozen = None if entities is None else frozenset(entities)
            assert wanted_types(configured, frozen) == expected


def test_configurations_do_not_share_a_cached_scope() -> None:
    """The same entity set under two configurations gets each configuration's own scope."""
    entities = {"CREDIT_CARD", "PERSON"}
    assert wanted_types(("CREDIT_CARD", "PERSON", "IBAN_CODE"), entities) == frozenset(entities)
    assert wanted_types(("CREDIT_CARD", "PERSON"), entities) is None
    assert wanted_types(("CREDIT_CARD",), entities) is None
