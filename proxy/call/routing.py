"""Routing: which register entry governs a call, and which provider it goes to."""

from __future__ import annotations

from core.apis import ApiFamily
from core.identity import Identity
from proxy.call.apis import api_family_for_path
from proxy.config.register import Route
from proxy.config.settings import ModelEntry
from proxy.config.snapshot import ConfigSnapshot
from wire.apis.registry import WIRE_APIS, WireRegistry

#: The register entry of a model-less call, per API family: one object each (frozen), so
#: that the policy's rule selection, kept per entry, is found again for the next such call.
_MODEL_LESS_ENTRIES = {
    family: ModelEntry.model_construct(name="", provider=family.value) for family in ApiFamily
}


def model_less_entry(family: ApiFamily) -> ModelEntry:
    """The register entry a call naming no model is judged under, through ``family``."""
    return _MODEL_LESS_ENTRIES[family]


def route_call(
    snapshot: ConfigSnapshot,
    path: str,
    model: str,
    identity: Identity,
    wire: WireRegistry = WIRE_APIS,
) -> Route:
    """The route for a call to ``path`` naming ``model`` ("" for a model-less call), or the
    register's 403/404 error. A model-less call (files, the model list of an open register)
    goes to its API family's provider when the register lets the path through."""
    family = api_family_for_path(path, wire)
    if model:
        return snapshot.register.resolve(model, family, identity)
    snapshot.register.check_path(path)
    entry = model_less_entry(family)
    provider = snapshot.settings.providers[family.value]
    return Route(entry=entry, provider_name=family.value, provider=provider, listed=False)
